"""The voice model: a calibrated classifier over sentence embeddings plus tone features.

:func:`load_examples` gathers a policy's on-brand and off-brand examples (inline and from a folder);
:class:`VoiceModel` fits ``P(on-brand voice)`` on them and scores new messages with the nearest examples
of each kind as evidence; :func:`evaluate` cross-validates a model on two labelled sets.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from brandrail.errors import InputError, PolicyError
from brandrail.text.io import decode
from brandrail.voice.embed import FloatArray, embed_cached, get_embedder, variant
from brandrail.voice.never_cues import VERSION as NEVER_CUES_VERSION
from brandrail.voice.never_cues import Family, active_families
from brandrail.voice.tone import profile_text, read_as_meant
from brandrail.voice.tone_model import ToneModel, load_model

if TYPE_CHECKING:
    from brandrail.policy import Policy

__all__ = [
    "EXAMPLE_SUFFIXES",
    "FEATURE_NAMES",
    "Examples",
    "NeverMatch",
    "NeverRule",
    "VoiceModel",
    "VoiceScore",
    "evaluate",
    "features",
    "load_examples",
    "read_messages",
    "tone_matrix",
    "tone_view",
    "voice_model_for",
]

EXAMPLE_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class NeverRule:
    """One of the guideline's rules (``voice.never``): what the brand never does, with example messages."""

    id: str
    rule: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Examples:
    """Labelled example messages, and the "never" rules with theirs."""

    on_brand: tuple[str, ...]
    off_brand: tuple[str, ...]
    never: tuple[NeverRule, ...] = ()

    @property
    def key(self) -> str:
        h = hashlib.sha256()
        for label, texts in (("on", self.on_brand), ("off", self.off_brand)):
            for t in texts:
                h.update(label.encode() + b"\0" + t.encode("utf-8") + b"\0")
        for rule in self.never:
            h.update(f"never\0{rule.id}\0{rule.rule}\0".encode())
            for t in rule.examples:
                h.update(b"ex\0" + t.encode("utf-8") + b"\0")
        return h.hexdigest()

    def __bool__(self) -> bool:
        return bool(self.on_brand or self.off_brand)


def read_messages(folder: Path) -> list[str]:
    """Every ``.txt``/``.md`` file below ``folder`` (sorted by path), one message each, stripped."""
    if not folder.is_dir():
        raise InputError(
            f"{folder}: not a folder", hint="give a folder of .txt or .md files, one message each"
        )
    out: list[str] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in EXAMPLE_SUFFIXES and not path.name.startswith("."):
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read example {path}: {exc.strerror}") from None
            text = decode(raw, str(path)).strip()  # not UTF-8: an error at the byte's file:line:col
            if text:
                out.append(text)
    return out


def _examples_dir(policy: Policy) -> Path | None:
    setting = policy.voice.examples.dir
    if setting is None:
        return None
    path = Path(setting)
    if not path.is_absolute():
        where = policy.location_of(("voice", "examples", "dir"))
        base: Path | None = None
        if where is not None and not where.file.startswith(("<", "pack:")):
            base = Path(where.file).parent
        elif policy.source and not policy.source.startswith(("<", "pack:")):
            base = Path(policy.source).parent
        path = (base / path) if base is not None else path
    if not path.is_dir():
        raise PolicyError(
            f"voice.examples.dir: folder {setting!r} not found (looked at {path})",
            location=policy.location_of(("voice", "examples", "dir")),
            hint="the folder is relative to the policy file that sets it and holds on_brand/ and off_brand/",
        )
    return path


def load_examples(policy: Policy) -> Examples:
    """The policy's on-brand and off-brand examples: inline lists plus the folder's files (cached)."""
    cache = policy.cache()
    found: Examples | None = cache.get("voice:examples")
    if found is not None:
        return found
    on = list(policy.voice.examples.on_brand)
    off = list(policy.voice.examples.off_brand)
    folder = _examples_dir(policy)
    if folder is not None:
        for name, bucket in (("on_brand", on), ("off_brand", off)):
            sub = folder / name
            if sub.is_dir():
                bucket.extend(read_messages(sub))
    never = tuple(
        NeverRule(rule_id, item.rule, tuple(dict.fromkeys(item.examples)))
        for rule_id, item in zip(policy.voice.never_ids(), policy.voice.never, strict=True)
    )
    found = Examples(tuple(dict.fromkeys(on)), tuple(dict.fromkeys(off)), never)
    cache["voice:examples"] = found
    return found


def _as_meant(texts: Sequence[str]) -> list[str]:
    return [read_as_meant(t)[0] for t in texts]


#: BR502's own tone view: a frozen copy of the tone model's core heads that the voice model (its ``tone``
#: feature, the practice view's brands and every BR502 figure) was fitted and measured with. BR502 reads its
#: rated dimensions from these heads, never from the shipped core tier, so that the core tier can be refitted
#: without moving a BR502 score (tests/voice/test_voice_tone_view.py pins the file). A new view is a new file
#: with its own version, and BR502's figures are measured again.
TONE_VIEW_FILE = Path(__file__).resolve().parent / "data" / "voice_tone_view.json"


def tone_view() -> ToneModel:
    """BR502's frozen tone heads (:data:`TONE_VIEW_FILE`), read once."""
    return load_model("core", TONE_VIEW_FILE)


def tone_matrix(texts: Sequence[str]) -> FloatArray:
    """The tone profile's feature vector of each text, one row each (read generically: any length), its rated
    dimensions computed by BR502's frozen tone view (:func:`tone_view`) from the profile's features."""
    view = tone_view()
    rows = []
    for t in texts:
        profile = profile_text(t)
        rows.append(profile.vector(view.values(profile.features)))
    width = len(rows[0]) if rows else 0
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), width)


def features(embeddings: FloatArray, texts: Sequence[str]) -> FloatArray:
    """The raw [embedding, tone vector] of each text (the old model's features; a baseline in the benchmark)."""
    return np.hstack([embeddings, tone_matrix(texts)]).astype(np.float32)


#: The voice model's features, in order: two stacked linear views and three "never"/similarity measures.
FEATURE_NAMES: tuple[str, ...] = (
    "embedding",  # logit of a ridge logistic regression on the standardised embedding (out of sample)
    "tone",  # logit of a ridge logistic regression on the standardised tone vector (out of sample)
    "never_distance",  # minus the highest cosine to any "never" rule's examples
    "never_margin",  # mean cosine to the nearest on-brand examples minus that highest "never" cosine
    "centroid_margin",  # cosine to the on-brand centroid minus to the off-brand one (brand mean removed)
    "practice",  # logit of one linear view fitted across 16 development brands on brand-centred embeddings
)

#: Which features each ``use=`` of :func:`evaluate` keeps.
FEATURE_SETS: dict[str, tuple[int, ...]] = {
    "both": (0, 1, 2, 3, 4, 5),
    "embedding": (0, 2, 3, 4, 5),
    "tone": (1,),
}

#: The ``practice`` feature's weights: a ridge logistic regression (balanced classes, L2 in the file) on
#: embeddings with the brand's mean removed, fitted on the examples and development messages of the 16
#: development brands (``tests/data/voice/dev_brands`` and ``heldout_brands``; never a frozen test set) by
#: ``bench/bench_voice_lobo.py --with-heldout --fit-practice``. What on-brand and off-brand copy differ in
#: whatever the brand (pressure, hidden fees, blame, hype, legalese), learned from 16 brands' ~1,300 messages
#: instead of one brand's 24. See docs/voice.md, "A view learned across brands".
PRACTICE_FILE = Path(__file__).resolve().parent / "data" / "voice_practice.json"


@cache
def _practice_weights() -> npt.NDArray[np.float64] | None:
    """The ``practice`` view's weights (one per embedding dimension), or None when the file is missing."""
    try:
        data = json.loads(PRACTICE_FILE.read_text("utf-8"))
    except FileNotFoundError:
        return None
    weights: npt.NDArray[np.float64] = np.asarray(data["weights"], dtype=np.float64)
    return weights


def _practice_logit(emb: npt.NDArray[Any], centre: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """The ``practice`` view's logit of each row (the brand mean ``centre`` removed); 0 when the weights are
    missing or the embeddings are not the model's (another width: ``voice eval --features tone``)."""
    weights = _practice_weights()
    if weights is None or emb.shape[1] != len(weights):
        return np.zeros(emb.shape[0])
    centred = np.asarray(emb, dtype=np.float64) - np.asarray(centre, dtype=np.float64)
    return _rowdot(centred, weights[None, :])[:, 0]


#: L2 penalty of each view's regression (on standardised inputs) and of the final one over the features.
#: With 24 examples and 384 (or 13) columns a view is shrunk towards the direction between the two classes'
#: means. On the development brands' unseen messages AUC rose from 2.0 (scikit-learn's C=0.5, used before)
#: and was flat from 8 up; the training-side checks (leave-one-out on the examples, Fernhill/Aldgate splits)
#: preferred less shrinkage, so the flat range's lower end. See docs/voice.md, "How the model was chosen".
_VIEW_L2 = 8.0
_FINAL_L2 = 3.0
#: Added to the final logit: a prior that a message is on-brand, in logit units (0: both kinds equally
#: likely, as balanced class weights make them). Unseen on-brand copy is more varied than a brand's dozen
#: examples, so at 0.5 more good copy was flagged than bad copy passed. The smallest offset keeping the
#: development brands' mean on-brand flagged at 0.5 within 10%, on the 16 brands' out-of-sample logits with
#: the practice view (``bench/bench_voice_lobo.py --with-heldout --levers global_view``): 0.5 (0.375-0.625
#: in the leave-one-brand-out folds; 0.25 when it was chosen on seven brands of one author).
_ON_BRAND_OFFSET = 0.5
#: Subtracted from the final logit for each kind of "never" rule (:mod:`brandrail.voice.never_cues`) that the
#: brand's rules forbid and a message shows the cues of: mockery, blame, fear, guilt, pressure, suggestive
#: jokes, promises, hidden costs, making light of risk. A fixed weight learned across brands, not from the
#: brand's 24 examples (few of which show any cue): 2 logit, the largest of 0.5 / 1 / 2, chosen in every fold
#: by nested leave-one-brand-out over the 16 development brands (``bench/bench_voice_lobo.py --with-heldout
#: --levers cues_fixed --base practice``), where no on-brand message showed a forbidden cue. Not larger: a
#: cue is evidence, not a verdict, and one cue must not sink a message the rest of the model finds on-brand
#: (at 2, an on-brand score of 0.9 falls to 0.55).
_NEVER_CUE_PENALTY = 2.0
#: Up to this many examples the views' out-of-sample logits are leave-one-out; above, 10-fold.
_LOO_MAX = 80


def _k(n: int) -> int:
    return max(1, min(3, n // 4))


def _top_mean(sim: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.float64]:
    """Mean of the ``k`` largest finite values of each row (``-inf`` marks the left-out example)."""
    if sim.shape[1] == 0:
        return np.zeros(sim.shape[0])
    k = min(k, sim.shape[1])
    top = -np.sort(-sim, axis=1)[:, :k]
    finite = np.isfinite(top)
    total = np.where(finite, top, 0.0).sum(axis=1)
    count = np.maximum(finite.sum(axis=1), 1)
    out: npt.NDArray[np.float64] = total / count
    return out


def _rowdot(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """``a @ b.T`` in float64, computed row by row so that a row's result never depends on the others.

    BLAS picks other kernels (and so another summation order) for one row than for many; an elementwise
    product reduced along each row is the same arithmetic whatever the batch.
    """
    a64 = np.asarray(a, dtype=np.float64)
    b64 = np.asarray(b, dtype=np.float64)
    out = np.empty((a64.shape[0], b64.shape[0]))
    step = max(1, 2_000_000 // max(b64.size, 1))
    for k in range(0, a64.shape[0], step):
        out[k : k + step] = (a64[k : k + step, None, :] * b64[None, :, :]).sum(axis=2)
    return out


def _unit_rows(x: FloatArray) -> FloatArray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    out: FloatArray = (x / np.maximum(norms, 1e-6)).astype(np.float32)
    return out


def _fit_logistic(
    x: npt.NDArray[Any], y: npt.NDArray[np.int_], *, l2: float = 1.0, iterations: int = 50
) -> tuple[npt.NDArray[np.float64], float]:
    """L2-regularised logistic regression with balanced class weights, by Newton's method.

    With more columns than rows (an embedding view), the fit runs in the rows' span (the L2 solution lies
    there), so each Newton step solves at most an n-by-n system. scikit-learn's import (over a second) stays
    out of a cold ``brandrail check``.
    """
    x64 = np.asarray(x, dtype=np.float64)
    n, d = x64.shape
    basis: npt.NDArray[np.float64] | None = None
    if d > n:
        # coordinates in the rows' span from the n-by-n Gram matrix (x = U S V^T, so x V = U S)
        values, vectors = np.linalg.eigh(x64 @ x64.T)
        keep = values > values.max() * 1e-10
        sv = np.sqrt(values[keep])
        basis = x64.T @ (vectors[:, keep] / sv)  # V, d-by-r
        x64 = vectors[:, keep] * sv
        d = x64.shape[1]
    pos = max(int(y.sum()), 1)
    neg = max(n - int(y.sum()), 1)
    sample_w = np.where(y == 1, n / (2.0 * pos), n / (2.0 * neg))
    design = np.hstack([x64, np.ones((n, 1))])
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    beta = np.zeros(d + 1)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        grad = design.T @ (sample_w * (p - y)) + penalty * beta
        hess = (design * (sample_w * p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    weights = beta[:-1] if basis is None else basis @ beta[:-1]
    return weights, float(beta[-1])


@dataclass(frozen=True)
class _Linear:
    """A standardised linear view: ``logit(x) = ((x - mean) / scale) @ weights + intercept``."""

    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]
    intercept: float

    @classmethod
    def fit(
        cls, x: npt.NDArray[Any], y: npt.NDArray[np.int_], l2: float, *, non_negative: bool = False
    ) -> _Linear:
        """Fit on standardised ``x``; ``non_negative`` keeps every weight >= 0 (features that the
        examples do not support drop out instead of getting a negative weight: stacking as in Breiman 1996)."""
        x64 = np.asarray(x, dtype=np.float64)
        mean = x64.mean(axis=0)
        std = x64.std(axis=0)
        scale = np.where(std > 1e-6, std, 1.0)
        z = (x64 - mean) / scale
        active = list(range(z.shape[1]))
        weights = np.zeros(z.shape[1])
        intercept = 0.0
        while True:
            if not active:
                _, intercept = _fit_logistic(np.zeros((len(z), 0)), y, l2=l2)
                weights = np.zeros(z.shape[1])
                break
            sub, intercept = _fit_logistic(z[:, active], y, l2=l2)
            if not non_negative or sub.min() >= 0:
                weights = np.zeros(z.shape[1])
                weights[active] = sub
                break
            active.pop(int(np.argmin(sub)))
        return cls(mean, scale, weights, intercept)

    def standardised(self, x: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = (np.asarray(x, dtype=np.float64) - self.mean) / self.scale
        return out

    def logit(self, x: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        return _rowdot(self.standardised(x), self.weights[None, :])[:, 0] + self.intercept


def _similarity_features(
    emb: FloatArray,
    on: FloatArray,
    off: FloatArray,
    never: Sequence[FloatArray],
    centre: FloatArray,
    *,
    exclude: tuple[str, int] | None = None,
) -> FloatArray:
    """never_distance, never_margin and centroid_margin of ``emb`` rows (see :data:`FEATURE_NAMES`).

    ``exclude`` (a training example's own features) is ``("on", j)``, ``("off", j)`` or ``("never<r>", j)``:
    that row of the reference is the message itself and does not count.
    """
    emb, on = _unit_rows(emb - centre), _unit_rows(on - centre)
    never = [_unit_rows(rule - centre) for rule in never]
    sim_on = _rowdot(emb, on)
    if exclude is not None and exclude[0] == "on":
        sim_on[:, exclude[1]] = -np.inf
    near_on = _top_mean(sim_on, _k(on.shape[0]))
    never_sim = np.full(emb.shape[0], -1.0)
    for r, rule in enumerate(never):
        sim = _rowdot(emb, rule)
        if exclude is not None and exclude[0] == f"never{r}":
            sim[:, exclude[1]] = -np.inf
        if sim.shape[1]:
            never_sim = np.maximum(never_sim, sim.max(axis=1))
    if not never:
        never_sim = np.zeros(emb.shape[0])
    on_rows = on if exclude is None or exclude[0] != "on" else np.delete(on, exclude[1], axis=0)
    off_rows = off if exclude is None or exclude[0] != "off" else np.delete(off, exclude[1], axis=0)
    centred = emb
    # a reference set emptied by leaving the message out has no direction: its centroid is the brand mean
    c_on = _unit_rows(((on_rows.mean(axis=0) if len(on_rows) else centre) - centre)[None, :])[0]
    c_off = _unit_rows(((off_rows.mean(axis=0) if len(off_rows) else centre) - centre)[None, :])[0]
    # oriented like the other features, higher = more on-brand: distance from the rules, not similarity
    return np.column_stack(
        [
            -never_sim,
            (near_on - never_sim) if never else np.zeros_like(near_on),
            _rowdot(centred, (c_on - c_off)[None, :])[:, 0],
        ]
    )


@dataclass(frozen=True)
class NeverMatch:
    """A "never" rule and how close a message comes to it: the nearest of its examples (or the rule's own
    words), and the share of the on-brand examples that come less close to the rule than the message does
    (1.0: closer than every on-brand example; the rule's evidence against the message)."""

    id: str
    rule: str
    similarity: float
    example: str
    closer_than_on_brand: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "similarity": round(self.similarity, 4),
            "nearest_example": self.example,
            "closer_than_on_brand": round(self.closer_than_on_brand, 4),
        }


@dataclass(frozen=True)
class VoiceScore:
    """``probability`` that a message is in the brand's voice, with the nearest examples of each kind."""

    probability: float
    calibrated: bool
    nearest_on: list[tuple[str, float]]
    nearest_off: list[tuple[str, float]]
    never: NeverMatch | None = None
    contributions: dict[str, float] | None = None
    engine: str = "numpy"
    precision: str = "fp32"
    model: str = ""
    never_rules: tuple[NeverMatch, ...] = ()
    #: the forbidden kinds of "never" rule the message shows cues of, each with the first cue found
    never_cues: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "probability": round(self.probability, 4),
            "calibrated": self.calibrated,
            "nearest_on_brand": [{"text": t, "similarity": round(s, 4)} for t, s in self.nearest_on],
            "nearest_off_brand": [{"text": t, "similarity": round(s, 4)} for t, s in self.nearest_off],
        }
        if self.never is not None:
            out["nearest_never_rule"] = self.never.to_dict()
        if self.never_rules:
            out["never_rules"] = [
                {
                    "id": m.id,
                    "similarity": round(m.similarity, 4),
                    "closer_than_on_brand": round(m.closer_than_on_brand, 4),
                }
                for m in self.never_rules
            ]
        if self.never_cues:
            out["never_cues"] = [{"kind": kind, "cue": cue} for kind, cue in self.never_cues]
        if self.contributions is not None:
            out["contributions"] = {k: round(v, 4) for k, v in self.contributions.items()}
        out["model"] = {
            "id": self.model,
            "engine": self.engine,
            "precision": self.precision,
            "tone_view": tone_view().version,
            "never_cues": NEVER_CUES_VERSION,
        }
        return out


#: Decimal places of a voice probability: scores are rounded so that last-bit differences of floating point
#: (another BLAS kernel, another CPU) cannot change the number written to evidence.
PROBABILITY_DIGITS = 6


class VoiceModel:
    """``P(on-brand)`` from a small logistic regression over a few features, not over 384 dimensions.

    Each message is reduced to :data:`FEATURE_NAMES`: the out-of-sample logit of a ridge regression on its
    embedding, the same on its tone profile (so the tone dimensions get their own say instead of being
    swamped), how close it comes to any of the guideline's "never" rules and how much closer to a rule than
    to the on-brand examples, where it falls between the on-brand and off-brand centroids once the
    brand's common subject matter is removed, and the logit of the ``practice`` view, fitted across 16
    development brands (:data:`PRACTICE_FILE`) rather than on the brand's own examples. A final L2 logistic regression with balanced class weights
    combines them, fitted on leave-one-out features of the examples (an example never judges itself), so
    that a probability of 0.5 sits where the examples put the boundary, even with 24 examples, moved by a
    small prior towards on-brand (:data:`_ON_BRAND_OFFSET`: unseen good copy is more varied than a dozen
    examples). "never" rule examples count as off-brand examples. Probabilities are rounded to
    :data:`PROBABILITY_DIGITS`.
    """

    calibrated = True

    def __init__(
        self,
        examples: Examples,
        *,
        cache_directory: Path | None = None,
        int8: bool = False,
        use: str = "both",
        embeddings: FloatArray | None = None,
    ) -> None:
        if not examples.on_brand or not (examples.off_brand or examples.never):
            raise PolicyError(
                "the voice model needs on-brand examples and off-brand examples or never rules",
                hint="add voice.examples.off_brand (or an off_brand/ folder): messages not in your voice",
            )
        self.examples = examples
        self.int8 = int8
        self.columns = FEATURE_SETS[use]
        never_texts = [t for rule in examples.never for t in rule.examples]
        texts = [*examples.on_brand, *examples.off_brand, *never_texts]
        rule_texts = [rule.rule for rule in examples.never]
        if embeddings is None:
            emb_all = embed_cached(_as_meant([*texts, *rule_texts]), directory=cache_directory, int8=int8)
        else:
            emb_all = embeddings
        emb, rule_emb = emb_all[: len(texts)], emb_all[len(texts) :]
        tone = tone_matrix(texts)
        n_on, n_off = len(examples.on_brand), len(examples.off_brand)
        y = np.array([1] * n_on + [0] * (len(texts) - n_on))
        self._on = emb[:n_on]
        self._off = emb[n_on : n_on + n_off]
        bounds = np.cumsum([n_on + n_off, *(len(r.examples) for r in examples.never)])
        # a rule's own words count as one more of its examples (for similarity; they are not a message)
        self._never = tuple(
            np.vstack([emb[bounds[r] : bounds[r + 1]], rule_emb[r : r + 1]])
            if len(rule_emb)
            else emb[bounds[r] : bounds[r + 1]]
            for r in range(len(examples.never))
        )
        self._off_all = emb[n_on:]  # off-brand examples and "never" examples: messages the brand never sends
        self._centre = emb.mean(axis=0).astype(np.float32)
        self._emb_view = _Linear.fit(emb, y, _VIEW_L2)
        self._tone_view = _Linear.fit(tone, y, _VIEW_L2)
        with threadpool_limits(limits=1, user_api="blas"):  # tiny matrices: threads only add overhead
            x = self._loo_features(emb, tone, y, n_on, bounds)
        self.training_features = x
        final = _Linear.fit(x[:, self.columns], y, _FINAL_L2, non_negative=True)
        self._final = replace(final, intercept=final.intercept + _ON_BRAND_OFFSET)
        # the kinds of "never" rule the brand forbids whose surface cues count against a message
        self.families: tuple[Family, ...] = active_families([(r.rule, r.examples) for r in examples.never])
        # each on-brand example's similarity to each rule (sorted), for the evidence's "closer than" share
        self._on_rule_sims = tuple(np.sort(_rowdot(self._on, v).max(axis=1)) for v in self._never)

    def _loo_features(
        self,
        emb: FloatArray,
        tone: FloatArray,
        y: npt.NDArray[np.int_],
        n_on: int,
        bounds: npt.NDArray[np.int_],
    ) -> npt.NDArray[np.float64]:
        """Each training example's features, measured by models and references that leave it out.

        The two views are refitted without the example (leave-one-out up to :data:`_LOO_MAX` examples,
        10-fold cross-fitting above, so a large example set stays fast); the similarities simply skip it.
        """
        n = len(y)
        folds = np.arange(n) if n <= _LOO_MAX else np.arange(n) % 10
        emb_logits = np.zeros(n)
        tone_logits = np.zeros(n)
        for fold in np.unique(folds):
            held = folds == fold
            keep = ~held
            if y[keep].min() == y[keep].max():  # one class left: cannot hold these out
                emb_logits[held] = self._emb_view.logit(emb[held])
                tone_logits[held] = self._tone_view.logit(tone[held])
            else:
                emb_logits[held] = _Linear.fit(emb[keep], y[keep], _VIEW_L2).logit(emb[held])
                tone_logits[held] = _Linear.fit(tone[keep], y[keep], _VIEW_L2).logit(tone[held])
        rows = []
        for i in range(n):
            emb_logit, tone_logit = emb_logits[i : i + 1], tone_logits[i : i + 1]
            if i < n_on:
                exclude = ("on", i)
            else:
                r = int(np.searchsorted(bounds, i, side="right")) - 1
                exclude = ("off", i - n_on) if r < 0 else (f"never{r}", int(i - bounds[r]))
            off_ref = np.delete(self._off_all, i - n_on, axis=0) if i >= n_on else self._off_all
            sims = _similarity_features(
                emb[i : i + 1],
                self._on,
                off_ref,
                self._never,
                self._centre,
                exclude=exclude if exclude[0] != "off" else None,
            )
            rows.append(np.concatenate([emb_logit, tone_logit, sims[0]]))
        # the practice view never saw this brand's examples: its logits are out of sample as they are
        return np.column_stack([np.vstack(rows), _practice_logit(emb, self._centre)])

    @property
    def weights(self) -> npt.NDArray[np.float64]:
        return self._final.weights

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """The embedding of each text as a reader takes it in (:func:`brandrail.voice.tone.read_as_meant`:
        invisible characters, look-alike letters, leetspeak and spaced letters do not move a message away from
        what it says)."""
        return get_embedder(self.int8).embed(_as_meant(texts))

    def _features(self, texts: Sequence[str], emb: FloatArray) -> npt.NDArray[np.float64]:
        tone = tone_matrix(texts)
        sims = _similarity_features(emb, self._on, self._off_all, self._never, self._centre)
        x = np.column_stack(
            [self._emb_view.logit(emb), self._tone_view.logit(tone), sims, _practice_logit(emb, self._centre)]
        )
        out: npt.NDArray[np.float64] = x[:, self.columns]
        return out

    def _cues(self, text: str) -> tuple[tuple[str, str], ...]:
        """The forbidden kinds the text (as a reader takes it in) shows cues of, with the first cue of each."""
        if not self.families:
            return ()
        meant = read_as_meant(text)[0]
        found = ((family.name, family.cues.search(meant)) for family in self.families)
        return tuple((name, m.group(0)) for name, m in found if m is not None)

    def _cue_penalty(
        self, cues: Sequence[tuple[tuple[str, str], ...]], never_cues: bool
    ) -> npt.NDArray[np.float64]:
        """What each message's forbidden cues take off its logit (0 with ``never_cues`` False)."""
        weight = _NEVER_CUE_PENALTY if never_cues else 0.0
        return weight * np.array([len(c) for c in cues], dtype=np.float64)

    def probabilities(
        self, texts: Sequence[str], embeddings: FloatArray, *, never_cues: bool = True
    ) -> npt.NDArray[np.float64]:
        """``P(on-brand)`` of each text, rounded to :data:`PROBABILITY_DIGITS`; ``never_cues=False`` leaves the
        never-rule cues out (the model as it would score without them, for comparisons)."""
        logit = self._final.logit(self._features(texts, embeddings))
        if never_cues:
            logit = logit - self._cue_penalty([self._cues(t) for t in texts], never_cues)
        out: npt.NDArray[np.float64] = np.round(1.0 / (1.0 + np.exp(-logit)), PROBABILITY_DIGITS)
        return out

    def score(
        self,
        texts: Sequence[str],
        embeddings: FloatArray | None = None,
        *,
        neighbours: int = 2,
        never_cues: bool = True,
    ) -> list[VoiceScore]:
        """Score messages; ``embeddings`` (one row per text) are computed when not given. ``never_cues=False``
        scores without the never-rule cues (their cues are still reported, with a contribution of 0)."""
        if not texts:
            return []
        emb = self.embed(texts) if embeddings is None else embeddings
        x = self._features(texts, emb)
        z = self._final.standardised(x)
        cues = [self._cues(t) for t in texts]
        penalty = self._cue_penalty(cues, never_cues)
        logit = _rowdot(z, self._final.weights[None, :])[:, 0] + self._final.intercept - penalty
        proba = np.round(1.0 / (1.0 + np.exp(-logit)), PROBABILITY_DIGITS)
        engine, precision = variant(self.int8)
        model_id = get_embedder(self.int8).model_id
        sim_on = _rowdot(emb, self._on)
        sim_off = _rowdot(emb, self._off)
        out = []
        for i in range(len(texts)):
            on_idx = np.argsort(-sim_on[i], kind="stable")[:neighbours]
            off_idx = np.argsort(-sim_off[i], kind="stable")[:neighbours]
            rules = self._never_matches(emb[i])
            out.append(
                VoiceScore(
                    float(proba[i]),
                    self.calibrated,
                    [(self.examples.on_brand[j], float(sim_on[i, j])) for j in on_idx],
                    [(self.examples.off_brand[j], float(sim_off[i, j])) for j in off_idx],
                    max(rules, key=lambda m: m.similarity) if rules else None,
                    {
                        FEATURE_NAMES[c]: float(z[i, k] * self._final.weights[k])
                        for k, c in enumerate(self.columns)
                    }
                    | ({"never_cues": -float(penalty[i])} if self.families else {}),
                    engine,
                    precision,
                    model_id,
                    rules,
                    cues[i],
                )
            )
        return out

    def _never_matches(self, row: FloatArray) -> tuple[NeverMatch, ...]:
        """Each "never" rule's evidence for one message, in the policy's order."""
        out = []
        for rule, vectors, on_sims in zip(self.examples.never, self._never, self._on_rule_sims, strict=True):
            sims = _rowdot(row[None, :], vectors)[0]
            j = int(np.argmax(sims))
            example = rule.examples[j] if j < len(rule.examples) else rule.rule
            share = float(np.searchsorted(on_sims, sims[j], side="left")) / max(len(on_sims), 1)
            out.append(NeverMatch(rule.id, rule.rule, float(sims[j]), example, share))
        return tuple(out)


_MODELS: dict[str, VoiceModel] = {}
_MODELS_LOCK = threading.Lock()


def voice_model_for(policy: Policy) -> VoiceModel | None:
    """The voice model of ``policy`` (shared by policies with the same examples); None without examples."""
    examples = load_examples(policy)
    if not examples:
        return None
    int8 = policy.voice.similarity.int8
    key = f"{examples.key}:{'int8' if int8 else 'fp32'}"
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is None:
            model = VoiceModel(examples, int8=int8)
            if len(_MODELS) > 16:
                _MODELS.clear()
            _MODELS[key] = model
        return model


def _auc(pos: npt.NDArray[np.float64], neg: npt.NDArray[np.float64]) -> float:
    """ROC AUC as the Mann-Whitney statistic: P(an on-brand score > an off-brand score), ties count half."""
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size)


def _metrics(proba: npt.NDArray[np.float64], y: npt.NDArray[np.int_], threshold: float) -> dict[str, float]:
    pos, neg = proba[y == 1], proba[y == 0]
    pred = proba >= threshold
    return {
        "accuracy": float((pred == (y == 1)).mean()),
        "auc": _auc(pos, neg),
        "brier": float(((proba - y) ** 2).mean()),
        "on_brand_flagged": float((pos < threshold).mean()) if len(pos) else float("nan"),
        "off_brand_passed": float((neg >= threshold).mean()) if len(neg) else float("nan"),
    }


#: Fewer examples of a kind than this and `voice eval` warns that its cross-validated figures are noisy.
FEW_EXAMPLES = 30


def evaluate(
    on_brand: Sequence[str],
    off_brand: Sequence[str],
    *,
    never: Sequence[NeverRule] = (),
    folds: int = 5,
    bins: int = 5,
    seed: int = 0,
    use: str = "both",
    cache_directory: Path | None = None,
    int8: bool = False,
    threshold: float = 0.5,
    resamples: int = 2000,
    level: float = 0.95,
) -> dict[str, Any]:
    """Cross-validated accuracy, ROC AUC, Brier score, flag rates and a calibration table of the voice model.

    Each figure comes with a ``level`` bootstrap interval (percentile; on-brand and off-brand messages
    resampled separately, ``resamples`` times, seeded). ``never`` rules are part of every fold's training
    (they are the guideline, not labelled data). ``use`` selects the features: ``both`` (default),
    ``embedding`` or ``tone`` (no embeddings needed). ``warnings`` says when the examples are too few;
    ``probabilities`` holds each message's out-of-fold probability, in input order (on-brand first).
    """
    from sklearn.model_selection import StratifiedKFold

    if use not in FEATURE_SETS:
        raise InputError(f"features must be one of {', '.join(FEATURE_SETS)}, not {use!r}")
    if len(on_brand) < 3 or len(off_brand) < 3:
        raise InputError(
            f"evaluation needs at least three on-brand and three off-brand messages "
            f"(got {len(on_brand)} and {len(off_brand)})",
            hint="add messages to both folders; 30 or more of each give figures worth trusting",
        )
    folds = max(2, min(folds, len(on_brand), len(off_brand)))
    texts = [*on_brand, *off_brand]
    never_texts = [t for rule in never for t in rule.examples] + [rule.rule for rule in never]
    y = np.array([1] * len(on_brand) + [0] * len(off_brand))
    if use == "tone":
        emb_all = np.zeros((len(texts) + len(never_texts), 1), dtype=np.float32)
    else:
        emb_all = embed_cached([*texts, *never_texts], directory=cache_directory, int8=int8)
    emb, emb_never = emb_all[: len(texts)], emb_all[len(texts) :]
    proba = np.zeros(len(texts))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(emb, y):
        on_idx = [i for i in train if y[i] == 1]
        off_idx = [i for i in train if y[i] == 0]
        model = VoiceModel(
            Examples(tuple(texts[i] for i in on_idx), tuple(texts[i] for i in off_idx), tuple(never)),
            use=use,
            embeddings=np.vstack([emb[on_idx], emb[off_idx], emb_never]),
        )
        proba[test] = model.probabilities([texts[i] for i in test], emb[test])
    figures = _metrics(proba, y, threshold)
    rng = np.random.default_rng(seed)
    pos_idx, neg_idx = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    draws: dict[str, list[float]] = {k: [] for k in figures}
    for _ in range(resamples):
        pick = np.concatenate(
            [rng.choice(pos_idx, len(pos_idx), replace=True), rng.choice(neg_idx, len(neg_idx), replace=True)]
        )
        for name, v in _metrics(proba[pick], y[pick], threshold).items():
            draws[name].append(v)
    tail = (1 - level) / 2 * 100
    intervals = {
        name: [round(float(np.nanpercentile(v, tail)), 4), round(float(np.nanpercentile(v, 100 - tail)), 4)]
        for name, v in draws.items()
    }
    edges = np.linspace(0.0, 1.0, bins + 1)
    table = []
    for k in range(bins):
        lo, hi = edges[k], edges[k + 1]
        mask = (proba >= lo) & ((proba < hi) if k < bins - 1 else (proba <= hi))
        count = int(mask.sum())
        table.append(
            {
                "bin": f"{lo:.1f}–{hi:.1f}",
                "count": count,
                "mean_predicted": round(float(proba[mask].mean()), 4) if count else None,
                "observed_on_brand": round(float(y[mask].mean()), 4) if count else None,
            }
        )
    warnings: list[str] = []
    fewest = min(len(on_brand), len(off_brand))
    if fewest < FEW_EXAMPLES:
        warnings.append(
            f"only {fewest} examples of the smaller kind: cross-validated figures on so few messages are "
            f"noisy and usually optimistic (see the intervals); judge the model on {FEW_EXAMPLES}+ unseen "
            "messages of each kind before relying on it"
        )
    if intervals["auc"][1] - intervals["auc"][0] > 0.1:
        warnings.append(
            f"the AUC interval is wide ({intervals['auc'][0]:.2f}–{intervals['auc'][1]:.2f}): "
            "more examples would narrow it"
        )
    engine, precision = ("none", "none") if use == "tone" else variant(int8)
    return {
        "n_on_brand": len(on_brand),
        "n_off_brand": len(off_brand),
        "never_rules": len(never),
        "folds": folds,
        "features": use,
        "int8": int8 and use != "tone",
        "engine": engine,
        "precision": precision,
        "calibrated": True,
        "threshold": threshold,
        **{k: round(v, 4) for k, v in figures.items()},
        "interval_level": level,
        "intervals": intervals,
        "calibration": table,
        "warnings": warnings,
        "probabilities": [round(float(p), 6) for p in proba],
    }
