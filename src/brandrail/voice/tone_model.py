"""The learned tone model: per-dimension linear heads fitted on the rated tone corpus, shipped as data.

The tone profile (:mod:`brandrail.voice.tone`) measures interpretable features of a message — cue evidence
from the word lists (damped by length), emphasis marks, word classes, VADER, the hand-built measures
themselves. Each of the six rated dimensions is a small linear model over those features, fitted by ridge
regression on the development part of the tone corpus (``bench/fit_tone_model.py``), its coefficients in
``data/tone_model.json``. A head predicts a 1–5 rating; the profile reports it on the dimension's scale with
a logistic squash (:func:`squash`), and shows the features that moved it (:meth:`Head.explain`).

Two tiers, chosen explicitly in the policy (``voice.tone_model``), never by what is installed:

- ``core`` (default): pure Python over the profile's features, no extra needed;
- ``embedding``: the same features plus the packaged MiniLM sentence embedding (the ``[voice]`` extra,
  NumPy engine), for a closer agreement with people at the cost of running the model.

A head may be *gated* by a feature: with no evidence for the dimension at all (no pressure cue, no mark of
excitement) the value is 0, so a message without a single cue never scores above one that has one.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "MODEL_FILE",
    "RATED",
    "TONE_MODELS",
    "Head",
    "ToneModel",
    "check_tier",
    "load_model",
    "model_version",
    "squash",
]

#: The dimensions the model predicts (the rated dimensions of the tone corpus).
RATED: tuple[str, ...] = ("formality", "urgency", "warmth", "excitement", "sentiment", "humour")
#: The tiers a policy may choose (``voice.tone_model``).
TONE_MODELS: tuple[str, ...] = ("core", "embedding")
#: The packaged coefficients (written by ``bench/fit_tone_model.py``).
MODEL_FILE = Path(__file__).with_name("data") / "tone_model.json"
#: Slope of the squash from a predicted rating to 0–1: rating 3 → 0.5, 2 → 0.18, 4 → 0.82, 1 → 0.05.
_SLOPE = 1.5
#: Features shown per dimension when a value is explained.
_EXPLAIN = 4


def squash(rating: float) -> float:
    """A predicted 1–5 rating on the 0–1 scale of the profile (monotone, so ranks are kept)."""
    z = _SLOPE * (rating - 3.0)
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True, slots=True)
class Head:
    """One dimension's linear model: ``rating = intercept + Σ weight · (feature − mean) / scale``
    (``+ embedding · embedding_weights`` in the embedding tier), gated by ``gate`` when set."""

    dimension: str
    intercept: float
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    gate: str | None = None
    embedding_weights: tuple[float, ...] = ()

    def terms(self, features: Mapping[str, float]) -> list[float]:
        """Each feature's contribution, in rating points, relative to an average development message."""
        return [
            w * (features.get(name, 0.0) - m) / s
            for name, m, s, w in zip(self.features, self.mean, self.scale, self.weights, strict=True)
        ]

    def gated(self, features: Mapping[str, float]) -> bool:
        """Whether the gate is closed: no evidence at all for this dimension (the value is then 0)."""
        return self.gate is not None and features.get(self.gate, 0.0) <= 0.0

    def rating(self, features: Mapping[str, float], embedding: Sequence[float] | None = None) -> float:
        """The predicted 1–5 rating (not clipped; the squash bounds the value)."""
        total = self.intercept + math.fsum(self.terms(features))
        if embedding is not None and self.embedding_weights:
            total += math.fsum(w * float(e) for w, e in zip(self.embedding_weights, embedding, strict=True))
        return total

    def value(self, features: Mapping[str, float], embedding: Sequence[float] | None = None) -> float:
        """The dimension on its profile scale: 0–1, sentiment −1–1 (0 when the gate is closed)."""
        if self.gated(features):
            return 0.0  # no evidence: none of the dimension (sentiment: neutral, not the most negative)
        v = squash(self.rating(features, embedding))
        return 2.0 * v - 1.0 if self.dimension == "sentiment" else v

    def explain(self, features: Mapping[str, float]) -> list[tuple[str, float]]:
        """The features that moved the value most, with their contributions in rating points."""
        terms = sorted(zip(self.features, self.terms(features), strict=True), key=lambda t: -abs(t[1]))
        return [(name, round(c, 3)) for name, c in terms[:_EXPLAIN] if abs(c) >= 0.005]


@dataclass(frozen=True, slots=True)
class ToneModel:
    """The heads of one tier, with where they came from (data sizes, cross-validated agreement)."""

    name: str
    version: str
    heads: dict[str, Head]
    info: dict[str, Any]

    def values(
        self, features: Mapping[str, float], embedding: Sequence[float] | None = None
    ) -> dict[str, float]:
        return {dim: head.value(features, embedding) for dim, head in self.heads.items()}


def _head(dimension: str, raw: Mapping[str, Any]) -> Head:
    return Head(
        dimension=dimension,
        intercept=float(raw["intercept"]),
        features=tuple(raw["features"]),
        mean=tuple(float(x) for x in raw["mean"]),
        scale=tuple(float(x) for x in raw["scale"]),
        weights=tuple(float(x) for x in raw["weights"]),
        gate=raw.get("gate"),
        embedding_weights=tuple(float(x) for x in raw.get("embedding_weights", ())),
    )


def check_tier(name: str) -> str:
    """``name`` if it is a tier of the tone model (:data:`TONE_MODELS`), else a ValueError naming the known ones."""
    if name not in TONE_MODELS:
        raise ValueError(f"unknown tone model {name!r}; known: {', '.join(TONE_MODELS)}")
    return name


def model_version(tiers: dict[str, Any]) -> str:
    """The version of a fitted tone model: the first 12 hex digits of the sha256 of its tiers (every head's
    coefficients, and the data it was fitted on) as canonical JSON, so two fits that score differently never
    share a version and audit evidence names the coefficients that produced a score."""
    canonical = json.dumps(tiers, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:12]


@lru_cache(maxsize=4)
def load_model(name: str = "core", path: Path | None = None) -> ToneModel:
    """A tier of the packaged tone model (``core`` or ``embedding``), read once."""
    check_tier(name)
    data = json.loads((path or MODEL_FILE).read_text(encoding="utf-8"))
    tier = data["tiers"][name]
    heads = {dim: _head(dim, tier["heads"][dim]) for dim in RATED}
    return ToneModel(name=name, version=str(data["version"]), heads=heads, info=dict(tier.get("info", {})))
