"""The voice model: a calibrated classifier over sentence embeddings plus tone features.

:func:`load_examples` gathers a policy's on-brand and off-brand examples (inline and from a folder);
:class:`VoiceModel` fits ``P(on-brand voice)`` on them and scores new messages with the nearest examples
of each kind as evidence; :func:`evaluate` cross-validates a model on two labelled sets.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from brandrail.errors import InputError, PolicyError
from brandrail.voice.embed import FloatArray, embed_cached, get_embedder
from brandrail.voice.tone import profile_text

if TYPE_CHECKING:
    from brandrail.policy import Policy

__all__ = [
    "EXAMPLE_SUFFIXES",
    "Examples",
    "VoiceModel",
    "VoiceScore",
    "evaluate",
    "features",
    "load_examples",
    "read_messages",
    "voice_model_for",
]

EXAMPLE_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Examples:
    """Labelled example messages."""

    on_brand: tuple[str, ...]
    off_brand: tuple[str, ...]

    @property
    def key(self) -> str:
        h = hashlib.sha256()
        for label, texts in (("on", self.on_brand), ("off", self.off_brand)):
            for t in texts:
                h.update(label.encode() + b"\0" + t.encode("utf-8") + b"\0")
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
                text = path.read_text(encoding="utf-8").strip()
            except UnicodeDecodeError:
                raise InputError(f"{path}: not UTF-8 text", hint="save the file as UTF-8") from None
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
    found = Examples(tuple(dict.fromkeys(on)), tuple(dict.fromkeys(off)))
    cache["voice:examples"] = found
    return found


def features(embeddings: FloatArray, texts: Sequence[str]) -> FloatArray:
    """Classifier features: the embedding followed by the scaled tone vector of each text."""
    tone = np.array([profile_text(t).vector() for t in texts], dtype=np.float32).reshape(len(texts), -1)
    return np.hstack([embeddings, tone]).astype(np.float32)


def _classifier(n_on: int, n_off: int, *, calibrate: bool = True) -> tuple[Any, bool]:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    base = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000))
    folds = min(5, n_on, n_off)
    if calibrate and folds >= 3:
        return CalibratedClassifierCV(base, method="sigmoid", cv=folds), True
    return base, False


@dataclass(frozen=True)
class VoiceScore:
    """``probability`` that a message is in the brand's voice, with the nearest examples of each kind."""

    probability: float
    calibrated: bool
    nearest_on: list[tuple[str, float]]
    nearest_off: list[tuple[str, float]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "probability": round(self.probability, 4),
            "calibrated": self.calibrated,
            "nearest_on_brand": [{"text": t, "similarity": round(s, 4)} for t, s in self.nearest_on],
            "nearest_off_brand": [{"text": t, "similarity": round(s, 4)} for t, s in self.nearest_off],
        }


class VoiceModel:
    """``P(on-brand)`` from a calibrated logistic regression over [embedding, tone features].

    Platt scaling (sigmoid calibration, cross-validated over min(5, smaller class) folds) when each class has
    at least three examples; the plain logistic output (marked ``calibrated: false``) otherwise.
    """

    def __init__(
        self, examples: Examples, *, cache_directory: Path | None = None, int8: bool = False
    ) -> None:
        if not examples.on_brand or not examples.off_brand:
            raise PolicyError(
                "the voice model needs both on-brand and off-brand examples",
                hint="add voice.examples.off_brand (or an off_brand/ folder): messages not in your voice",
            )
        self.examples = examples
        self.int8 = int8
        texts = [*examples.on_brand, *examples.off_brand]
        self._emb = embed_cached(texts, directory=cache_directory, int8=int8)
        self._on = self._emb[: len(examples.on_brand)]
        self._off = self._emb[len(examples.on_brand) :]
        y = np.array([1] * len(examples.on_brand) + [0] * len(examples.off_brand))
        self.classifier, self.calibrated = _classifier(len(examples.on_brand), len(examples.off_brand))
        self.classifier.fit(features(self._emb, texts), y)

    def embed(self, texts: Sequence[str]) -> FloatArray:
        return get_embedder(self.int8).embed(texts)

    def score(
        self, texts: Sequence[str], embeddings: FloatArray | None = None, *, neighbours: int = 2
    ) -> list[VoiceScore]:
        """Score messages; ``embeddings`` (one row per text) are computed when not given."""
        if not texts:
            return []
        emb = self.embed(texts) if embeddings is None else embeddings
        proba = self.classifier.predict_proba(features(emb, texts))[:, 1]
        sim_on = emb @ self._on.T
        sim_off = emb @ self._off.T
        out = []
        for i in range(len(texts)):
            on_idx = np.argsort(-sim_on[i])[:neighbours]
            off_idx = np.argsort(-sim_off[i])[:neighbours]
            out.append(
                VoiceScore(
                    float(proba[i]),
                    self.calibrated,
                    [(self.examples.on_brand[j], float(sim_on[i, j])) for j in on_idx],
                    [(self.examples.off_brand[j], float(sim_off[i, j])) for j in off_idx],
                )
            )
        return out


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


def evaluate(
    on_brand: Sequence[str],
    off_brand: Sequence[str],
    *,
    folds: int = 5,
    bins: int = 5,
    seed: int = 0,
    use: str = "both",
    cache_directory: Path | None = None,
    int8: bool = False,
) -> dict[str, Any]:
    """Cross-validated accuracy, ROC AUC, Brier score and a calibration table of the voice model.

    ``use`` selects the features: ``both`` (default), ``embedding`` or ``tone``.
    """
    from sklearn.metrics import accuracy_score, brier_score_loss, roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    if len(on_brand) < 2 or len(off_brand) < 2:
        raise InputError("evaluation needs at least two on-brand and two off-brand messages")
    folds = max(2, min(folds, len(on_brand), len(off_brand)))
    texts = [*on_brand, *off_brand]
    y = np.array([1] * len(on_brand) + [0] * len(off_brand))
    if use == "tone":
        x = np.array([profile_text(t).vector() for t in texts], dtype=np.float32)
    else:
        emb = embed_cached(texts, directory=cache_directory, int8=int8)
        x = features(emb, texts) if use == "both" else emb
    proba = np.zeros(len(texts))
    calibrated = True
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        n_on = int(y[train].sum())
        clf, cal = _classifier(n_on, len(train) - n_on)
        calibrated = calibrated and cal
        clf.fit(x[train], y[train])
        proba[test] = clf.predict_proba(x[test])[:, 1]
    pred = (proba >= 0.5).astype(int)
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
    return {
        "n_on_brand": len(on_brand),
        "n_off_brand": len(off_brand),
        "folds": folds,
        "features": use,
        "int8": int8 and use != "tone",
        "calibrated": calibrated,
        "accuracy": round(float(accuracy_score(y, pred)), 4),
        "auc": round(float(roc_auc_score(y, proba)), 4),
        "brier": round(float(brier_score_loss(y, proba)), 4),
        "calibration": table,
    }
