"""Variants of the BR502 voice model, for ``bench_voice_lobo.py --variants`` (development brands only).

Each variant changes one thing in :mod:`brandrail.voice.model` for the duration of a ``with`` block
(module attributes patched and restored), rewrites the examples, or adds a per-brand prior. They are the
ideas of issue 16, item 3 that were measured and not kept; none of them is part of the shipped model. A
variant that wins here must then be written into ``model.py`` properly.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from brandrail.voice import model as vm


@dataclass(frozen=True)
class Variant:
    """One change to the model: what it patches, how it rewrites a brand's examples, its per-brand prior."""

    about: str
    patch: Callable[[], contextlib.AbstractContextManager[None]] | None = None
    examples: Callable[[vm.Examples], vm.Examples] | None = None
    offset: Callable[[vm.VoiceModel], float] | None = None
    #: a per-brand prior may lower the logit too: the global prior's grid then starts below 0
    signed_offset: bool = False


@contextlib.contextmanager
def _patched(changes: list[tuple[Any, str, Any]]) -> Iterator[None]:
    # the raw attribute (a class's classmethod object, not the method bound to the class)
    saved = [(obj, name, vars(obj).get(name, getattr(obj, name))) for obj, name, _ in changes]
    try:
        for obj, name, value in changes:
            setattr(obj, name, value)
        yield
    finally:
        for obj, name, value in reversed(saved):
            setattr(obj, name, value)


_SIM = vm._similarity_features
_FIT = vm._Linear.fit.__func__  # type: ignore[attr-defined]
#: the shipped features and one more (the shipped model has six, the practice view among them)
_ALL6 = {"both": (0, 1, 2, 3, 4, 5, 6), "embedding": (0, 2, 3, 4, 5, 6), "tone": (1,)}


def _centred(emb: Any, on: Any, centre: Any, exclude: Any) -> tuple[Any, Any]:
    e = vm._unit_rows(emb - centre)
    o = vm._unit_rows(on - centre)
    if exclude is not None and exclude[0] == "on":
        o = np.delete(o, exclude[1], axis=0)
    return e, o


def _rule_against_on_brand(mode: str) -> Callable[..., Any]:
    """A sixth feature: each rule's highest similarity measured against the on-brand examples' own
    similarity to that rule (``z``: z-score, ``margin``: minus the closest on-brand example, ``share``: the
    share of on-brand examples less close), the maximum over rules, negated (higher = more on-brand)."""

    def extra(emb: Any, on: Any, off: Any, never: Any, centre: Any, *, exclude: Any = None) -> Any:
        base = _SIM(emb, on, off, never, centre, exclude=exclude)
        e, o = _centred(emb, on, centre, exclude)
        best = np.full(e.shape[0], -np.inf) if never else np.zeros(e.shape[0])
        for r, rule in enumerate(never):
            ru = vm._unit_rows(rule - centre)
            s = vm._rowdot(e, ru)
            if exclude is not None and exclude[0] == f"never{r}":
                s[:, exclude[1]] = -np.inf
            s = s.max(axis=1)
            ref = vm._rowdot(o, ru).max(axis=1)
            if mode == "z":
                z = (s - ref.mean()) / max(float(ref.std()), 0.05)
            elif mode == "margin":
                z = s - ref.max()
            else:
                z = (np.searchsorted(np.sort(ref), s) + 0.5) / (len(ref) + 1)
            best = np.maximum(best, z)
        return np.column_stack([base, -best])

    return extra


def _rule_direction(emb: Any, on: Any, off: Any, never: Any, centre: Any, *, exclude: Any = None) -> Any:
    """A sixth feature: the projection on each rule's direction (on-brand centroid → the rule's examples'
    centroid), z-scored against the on-brand examples, maximum over rules, negated."""
    base = _SIM(emb, on, off, never, centre, exclude=exclude)
    e, o = _centred(emb, on, centre, exclude)
    best = np.full(e.shape[0], -np.inf) if never else np.zeros(e.shape[0])
    for r, rule in enumerate(never):
        ru = vm._unit_rows(rule - centre)
        if exclude is not None and exclude[0] == f"never{r}":
            ru = np.delete(ru, exclude[1], axis=0)
        d = vm._unit_rows((ru.mean(axis=0) - o.mean(axis=0))[None, :])
        s, ref = vm._rowdot(e, d)[:, 0], vm._rowdot(o, d)[:, 0]
        best = np.maximum(best, (s - ref.mean()) / max(float(ref.std()), 0.05))
    return np.column_stack([base, -best])


def _rule_words(emb: Any, on: Any, off: Any, never: Any, centre: Any, *, exclude: Any = None) -> Any:
    """A sixth feature: similarity to each rule's own sentence alone (not its examples), minus the closest
    on-brand example's, maximum over rules, negated."""
    base = _SIM(emb, on, off, never, centre, exclude=exclude)
    e, o = _centred(emb, on, centre, exclude)
    best = np.full(e.shape[0], -np.inf) if never else np.zeros(e.shape[0])
    for rule in never:
        d = vm._unit_rows(rule[-1:] - centre)  # the rule's words are its last row
        best = np.maximum(best, vm._rowdot(e, d)[:, 0] - vm._rowdot(o, d)[:, 0].max())
    return np.column_stack([base, -best])


def _uncentred_never(emb: Any, on: Any, off: Any, never: Any, centre: Any, *, exclude: Any = None) -> Any:
    """never_distance and never_margin on the raw embeddings (the brand's mean not removed)."""
    base = _SIM(emb, on, off, never, centre, exclude=exclude)
    raw = _SIM(emb, on, off, never, np.zeros_like(centre), exclude=exclude)
    base[:, :2] = raw[:, :2]
    return base


def _sixth(sim: Callable[..., Any]) -> Callable[[], contextlib.AbstractContextManager[None]]:
    return lambda: _patched([(vm, "_similarity_features", sim), (vm, "FEATURE_SETS", _ALL6)])


def _pca_view(k: int, l2: float | None, average: bool = False) -> Callable[..., Any]:
    """The embedding view fitted on the first ``k`` principal components of the standardised examples
    (every fit, leave-one-out fits included, computes its own), each scaled to unit variance; ``average``:
    the mean of that and the shipped ridge view (both linear, so one set of weights)."""

    def fit(cls: Any, x: Any, y: Any, l2_view: float, *, non_negative: bool = False) -> Any:
        ridge = _FIT(cls, x, y, l2_view, non_negative=non_negative)
        x64 = np.asarray(x, dtype=np.float64)
        if x64.shape[1] < 50:  # the tone view and the final fit are left as they are
            return ridge
        z = (x64 - ridge.mean) / ridge.scale
        v = np.linalg.svd(z, full_matrices=False)[2][:k].T
        scores = z @ v
        s = scores.std(axis=0)
        s = np.where(s > 1e-9, s, 1.0)
        w, b = vm._fit_logistic(scores / s, y, l2=l2_view if l2 is None else l2)
        weights = v @ (w / s)
        if average:
            return cls(ridge.mean, ridge.scale, 0.5 * (ridge.weights + weights), 0.5 * (ridge.intercept + b))
        return cls(ridge.mean, ridge.scale, weights, b)

    return fit


def _fit_patch(fit: Callable[..., Any]) -> Callable[[], contextlib.AbstractContextManager[None]]:
    return lambda: _patched([(vm._Linear, "fit", classmethod(fit))])


def _equal_weights(cls: Any, x: Any, y: Any, l2: float, *, non_negative: bool = False) -> Any:
    """The final fit replaced by the sum of the standardised features (one slope and an intercept)."""
    fitted = _FIT(cls, x, y, l2, non_negative=non_negative)
    if not non_negative:
        return fitted
    z = (np.asarray(x, dtype=np.float64) - fitted.mean) / fitted.scale
    w, b = vm._fit_logistic(z.sum(axis=1, keepdims=True), y, l2=l2)
    return cls(fitted.mean, fitted.scale, np.full(z.shape[1], max(float(w[0]), 0.0)), b)


def _conformal(q: float) -> Callable[[vm.VoiceModel], float]:
    """A per-brand prior: minus the ``q`` quantile of the on-brand examples' final logits, each from a final
    fit that leaves the example out (so that a share ``q`` of the examples would be flagged)."""

    def offset(model: vm.VoiceModel) -> float:
        n_on = len(model.examples.on_brand)
        x = model.training_features[:, model.columns]
        y = np.array([1] * n_on + [0] * (len(x) - n_on))
        logits = []
        for i in range(n_on):
            keep = np.arange(len(x)) != i
            final = vm._Linear.fit(x[keep], y[keep], vm._FINAL_L2, non_negative=True)
            logits.append(float(final.logit(x[i : i + 1])[0]))
        return float(-np.quantile(np.array(logits), q))

    return offset


def _tone_matrix(mode: str) -> Callable[..., Any]:
    """The tone view's vector with humour added (``humour``), or also the six rated dimensions of the tone
    model's embedding tier (``embedding``), computed from the message's embedding."""
    from brandrail.voice.embed import embed_cached
    from brandrail.voice.tone import profile_text
    from brandrail.voice.tone_model import load_model

    tier = load_model("embedding")

    def matrix(texts: Any) -> Any:
        if not len(texts):
            return np.zeros((0, 14 if mode == "humour" else 20), dtype=np.float32)
        embs = embed_cached(vm._as_meant(list(texts))) if mode == "embedding" else [None] * len(texts)
        rows = []
        for text, e in zip(texts, embs, strict=True):
            p = profile_text(text)
            row = [*p.vector(), p.values["humour"]]
            if mode == "embedding":
                values = tier.values(p.features, e)
                values["sentiment"] = (values["sentiment"] + 1) / 2
                row += [
                    values[d] for d in ("formality", "urgency", "warmth", "excitement", "sentiment", "humour")
                ]
            rows.append(row)
        return np.asarray(rows, dtype=np.float32)

    return matrix


def _split_sentences(examples: vm.Examples) -> vm.Examples:
    """Each example of two or more sentences (of 4+ words) also given as its sentences, on both sides."""
    from brandrail.voice.tone import _sentence_spans

    def parts(texts: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for t in texts:
            found = [t[a:b].strip() for a, b in _sentence_spans(t)]
            found = [p for p in found if len(p.split()) >= 4]
            if len(found) > 1:
                out.extend(found)
        return out

    on = tuple(dict.fromkeys([*examples.on_brand, *parts(examples.on_brand)]))
    off = tuple(dict.fromkeys([*examples.off_brand, *parts(examples.off_brand)]))
    return vm.Examples(on, off, examples.never)


class _RulesView(vm.VoiceModel):
    """A sixth feature: a ridge view on the embedding fitted on the on-brand examples against the "never"
    rules' examples only (the in-register breaches, without the easy off-brand copy)."""

    def _loo_features(self, emb: Any, tone: Any, y: Any, n_on: int, bounds: Any) -> Any:
        x = super()._loo_features(emb, tone, y, n_on, bounds)
        rows = np.r_[np.arange(n_on), np.arange(n_on + len(self.examples.off_brand), len(y))]
        col = np.zeros(len(y))
        self._rules_view = vm._Linear.fit(emb[rows], y[rows], vm._VIEW_L2) if len(rows) > n_on else None
        if self._rules_view is not None:
            col[:] = self._rules_view.logit(emb)
            for j, i in enumerate(rows):
                keep = np.delete(rows, j)
                if y[keep].min() != y[keep].max():
                    col[i] = vm._Linear.fit(emb[keep], y[keep], vm._VIEW_L2).logit(emb[i : i + 1])[0]
        return np.column_stack([x, col])

    def _features(self, texts: Any, emb: Any) -> Any:
        tone = vm.tone_matrix(texts)
        sims = vm._similarity_features(emb, self._on, self._off_all, self._never, self._centre)
        rules = self._rules_view.logit(emb) if self._rules_view is not None else np.zeros(len(texts))
        practice = vm._practice_logit(emb, self._centre)
        x = np.column_stack([self._emb_view.logit(emb), self._tone_view.logit(tone), sims, practice, rules])
        return x[:, self.columns]


class _Bagged:
    """Bagging: the mean logit of the shipped model and nine more, each fitted on a seeded bootstrap
    resample of the on-brand and of the off-brand examples (the "never" rules kept whole)."""

    def __init__(self, examples: vm.Examples, *, embeddings: Any, **_: Any) -> None:
        rng = np.random.default_rng(0)
        n_on, n_off = len(examples.on_brand), len(examples.off_brand)
        self.models = [_VOICE_MODEL(examples, embeddings=embeddings)]
        for _ in range(9):
            i = np.unique(rng.choice(n_on, n_on))
            j = np.unique(rng.choice(n_off, n_off))
            bag = vm.Examples(
                tuple(examples.on_brand[k] for k in i),
                tuple(examples.off_brand[k] for k in j),
                examples.never,
            )
            emb = np.vstack(
                [embeddings[:n_on][i], embeddings[n_on : n_on + n_off][j], embeddings[n_on + n_off :]]
            )
            self.models.append(_VOICE_MODEL(bag, embeddings=emb))

    def probabilities(self, texts: Any, emb: Any) -> Any:
        logits = []
        for m in self.models:
            p = np.clip(m.probabilities(texts, emb), 1e-9, 1 - 1e-9)
            logits.append(np.log(p / (1 - p)))
        return 1.0 / (1.0 + np.exp(-np.mean(logits, axis=0)))


_VOICE_MODEL = vm.VoiceModel

VARIANTS: dict[str, Variant] = {
    "rule_z": Variant(
        "6th feature: rule similarity z-scored against the on-brand examples",
        _sixth(_rule_against_on_brand("z")),
    ),
    "rule_margin": Variant(
        "6th feature: rule similarity minus the closest on-brand example's",
        _sixth(_rule_against_on_brand("margin")),
    ),
    "rule_share": Variant(
        "6th feature: share of on-brand examples less close to the rule",
        _sixth(_rule_against_on_brand("share")),
    ),
    "rule_direction": Variant(
        "6th feature: projection on each rule's direction from the on-brand centroid", _sixth(_rule_direction)
    ),
    "rule_words": Variant(
        "6th feature: similarity to the rule's own sentence, minus the closest on-brand example's",
        _sixth(_rule_words),
    ),
    "rules_view": Variant(
        "6th feature: ridge view of on-brand vs the never examples only",
        lambda: _patched([(vm, "VoiceModel", _RulesView), (vm, "FEATURE_SETS", _ALL6)]),
    ),
    "never_uncentred": Variant(
        "never features on raw embeddings (brand mean kept)",
        lambda: _patched([(vm, "_similarity_features", _uncentred_never)]),
    ),
    "pca4_view": Variant(
        "embedding view on the examples' first 4 principal components", _fit_patch(_pca_view(4, None))
    ),
    "pca8_view": Variant(
        "embedding view on the examples' first 8 principal components (L2 1)", _fit_patch(_pca_view(8, 1.0))
    ),
    "pca16_view": Variant(
        "embedding view on the examples' first 16 principal components", _fit_patch(_pca_view(16, None))
    ),
    "ridge_pca8_average": Variant(
        "mean of the ridge view and the 8-component view", _fit_patch(_pca_view(8, 1.0, average=True))
    ),
    "equal_weights": Variant(
        "ensemble: equal weights on the standardised features (Platt slope only)", _fit_patch(_equal_weights)
    ),
    "conformal_10": Variant(
        "per-brand prior: 10% of the on-brand examples (leave-one-out) flagged",
        offset=_conformal(0.10),
        signed_offset=True,
    ),
    "conformal_20": Variant(
        "per-brand prior: 20% of the on-brand examples (leave-one-out) flagged",
        offset=_conformal(0.20),
        signed_offset=True,
    ),
    "tone_humour": Variant(
        "tone view with humour (14 values)", lambda: _patched([(vm, "tone_matrix", _tone_matrix("humour"))])
    ),
    "tone_embedding_tier": Variant(
        "tone view with humour and the embedding tier's six rated dimensions (20 values)",
        lambda: _patched([(vm, "tone_matrix", _tone_matrix("embedding"))]),
    ),
    "bagged": Variant(
        "bagging: mean logit over 10 fits on bootstrap resamples of the examples",
        lambda: _patched([(vm, "VoiceModel", _Bagged)]),
    ),
    "split_sentences": Variant(
        "examples of 2+ sentences also given sentence by sentence", examples=_split_sentences
    ),
}
