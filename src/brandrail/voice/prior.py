"""A shipped, brand-independent prior of bad practice for the voice model (BR502).

Most messages that break a brand's "never" rules in the brand's own register are generic failures: blaming or
talking down to the customer, a cold refusal, a fear-based upsell, a fee hidden in jargon, a promise no one can
keep, a mean joke, money pressure. Twenty-four examples of one brand cannot teach these; a linear model over
the embedding fitted on many invented brands' labelled messages can. :class:`VoicePrior` is that model: a ridge
logistic regression on each message's embedding (minus the brand's mean, so the brand's subject matter drops
out), fitted by ``bench/fit_voice_prior.py`` and shipped as ``data/voice_prior.json``. The voice model uses its
logit as one more feature of its final non-negative fit, so a brand whose examples contradict it drops it.

Out of sample: the file also holds one model per training group (brand) fitted without that group, and the
digest of every training text with its group; a text the prior was trained on gets the logit of the model
that left its group out. So a development brand's examples and messages are never judged by a prior that
has seen them, and neither is anything else the prior was fitted on.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from brandrail.voice.embed import FloatArray

__all__ = ["PRIOR_FILE", "VoicePrior", "default_prior", "fit_prior", "text_digest"]

PRIOR_FILE = Path(__file__).with_name("data") / "voice_prior.json"


def text_digest(text: str) -> str:
    """The first 16 hex digits of the sha256 of a text (how the prior file names its training texts)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _short(v: float) -> float:
    return float(f"{v:.10g}")


@dataclass(frozen=True)
class _Head:
    """``logit(x) = x @ weights + intercept`` (the regression's standardisation folded into the weights)."""

    weights: npt.NDArray[np.float64]
    intercept: float

    def logit(self, x: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        from brandrail.voice.model import _rowdot

        out: npt.NDArray[np.float64] = _rowdot(x, self.weights[None, :])[:, 0] + self.intercept
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"weights": [_short(float(v)) for v in self.weights], "intercept": _short(self.intercept)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> _Head:
        return cls(np.asarray(data["weights"], dtype=np.float64), float(data["intercept"]))


def _inputs(emb: FloatArray, centre: FloatArray) -> npt.NDArray[np.float64]:
    """The prior's input: each embedding minus the brand's mean, scaled to unit length."""
    from brandrail.voice.model import _unit_rows

    out: npt.NDArray[np.float64] = _unit_rows(np.asarray(emb, dtype=np.float32) - centre).astype(np.float64)
    return out


@dataclass(frozen=True)
class VoicePrior:
    """A brand-independent logit of "this message is on-brand practice" over the brand-centred embedding."""

    head: _Head
    folds: Mapping[str, _Head]
    groups: Mapping[str, str]
    model_id: str = ""
    l2: float = 0.0

    def logits(self, texts: Sequence[str], emb: FloatArray, centre: FloatArray) -> npt.NDArray[np.float64]:
        """The prior's logit of each text (out of sample for a text it was trained on), higher = on-brand."""
        x = _inputs(emb, centre)
        out = self.head.logit(x)
        for i, text in enumerate(texts):
            group = self.groups.get(text_digest(text))
            if group is not None and group in self.folds:
                out[i] = self.folds[group].logit(x[i : i + 1])[0]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "model": self.model_id,
            "l2": self.l2,
            "input": "unit(embedding - brand mean of the examples)",
            "head": self.head.to_dict(),
            "folds": {name: head.to_dict() for name, head in sorted(self.folds.items())},
            "groups": dict(sorted(self.groups.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VoicePrior:
        return cls(
            _Head.from_dict(data["head"]),
            {name: _Head.from_dict(h) for name, h in data["folds"].items()},
            dict(data["groups"]),
            str(data.get("model", "")),
            float(data.get("l2", 0.0)),
        )


def _fit_head(x: npt.NDArray[np.float64], y: npt.NDArray[np.int_], l2: float) -> _Head:
    from brandrail.voice.model import _Linear

    fit = _Linear.fit(x, y, l2)
    weights = fit.weights / fit.scale
    return _Head(weights, fit.intercept - float(fit.mean @ weights))


def fit_prior(
    groups: Mapping[str, tuple[Sequence[str], FloatArray, Sequence[int], FloatArray]],
    *,
    l2: float,
    model_id: str = "",
    folds: bool = True,
) -> VoicePrior:
    """Fit the prior on labelled groups: ``{name: (texts, embeddings, labels (1 on-brand), brand mean)}``.

    ``folds`` also fits one model per group without it (the out-of-sample logits of the group's texts).
    """
    names = sorted(groups)
    xs = {n: _inputs(groups[n][1], groups[n][3]) for n in names}
    ys = {n: np.asarray(groups[n][2], dtype=np.int_) for n in names}

    def fit(keep: Sequence[str]) -> _Head:
        return _fit_head(np.vstack([xs[n] for n in keep]), np.concatenate([ys[n] for n in keep]), l2)

    heads = {n: fit([m for m in names if m != n]) for n in names} if folds else {}
    digests = {text_digest(t): n for n in names for t in groups[n][0]}
    return VoicePrior(fit(names), heads, digests, model_id, l2)


_LOADED: dict[str, VoicePrior | None] = {}
_LOCK = threading.Lock()


def default_prior() -> VoicePrior | None:
    """The shipped prior (``data/voice_prior.json``), loaded once; None when the file is absent."""
    with _LOCK:
        if "shipped" not in _LOADED:
            _LOADED["shipped"] = (
                VoicePrior.from_dict(json.loads(PRIOR_FILE.read_text(encoding="utf-8")))
                if PRIOR_FILE.is_file()
                else None
            )
        return _LOADED["shipped"]
