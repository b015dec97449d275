"""Learn a voice from approved content: robust tone target ranges and a set of examples.

:func:`learn_voice` profiles every message, takes the ``low``/``high`` percentiles of each dimension widened by
a quarter of the inter-quartile range (so one odd message does not set the range and one more does not break
it), clips to each dimension's natural bounds, and picks examples spread over the messages' lengths.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from brandrail.errors import InputError
from brandrail.voice.tone import MIN_WORDS, profile_text

__all__ = ["BOUNDS", "LEARNED_DIMENSIONS", "learn_voice", "policy_yaml"]

#: Natural bounds of the learned dimensions (ranges are clipped to them).
BOUNDS: dict[str, tuple[float, float]] = {
    "formality": (0.0, 1.0),
    "sentiment": (-1.0, 1.0),
    "warmth": (0.0, 1.0),
    "urgency": (0.0, 1.0),
    "excitement": (0.0, 1.0),
    "reading_grade": (0.0, 30.0),
    "sentence_length": (0.0, 200.0),
    "passive": (0.0, 1.0),
    "jargon": (0.0, 1.0),
}

#: Dimensions learned as a range (min and max) versus only a ceiling (more is the risk, less is fine).
LEARNED_DIMENSIONS: dict[str, str] = {
    "formality": "range",
    "sentiment": "range",
    "warmth": "range",
    "urgency": "max",
    "excitement": "max",
    "reading_grade": "range",
    "sentence_length": "range",
    "passive": "max",
    "jargon": "max",
}


def _round(value: float, dimension: str) -> float:
    return round(value, 1) if dimension in ("reading_grade", "sentence_length") else round(value, 2)


def learn_voice(
    messages: Sequence[str],
    *,
    off_brand: Sequence[str] = (),
    low: float = 5.0,
    high: float = 95.0,
    max_examples: int = 20,
) -> dict[str, Any]:
    """The ``voice:`` section learned from approved ``messages`` (and optional off-brand examples)."""
    if len(messages) < 5:
        raise InputError(
            f"learning a voice needs at least 5 approved messages, got {len(messages)}",
            hint="give a folder with more .txt/.md files, one message each",
        )
    if not 0 <= low < high <= 100:
        raise InputError(f"percentiles must satisfy 0 <= low < high <= 100 (got {low}, {high})")
    profiles = [profile_text(m) for m in messages]
    targets: dict[str, dict[str, float]] = {}
    stats: dict[str, dict[str, float]] = {}
    for dim, mode in LEARNED_DIMENSIONS.items():
        values = np.array([p.values[dim] for p in profiles if p.words >= MIN_WORDS.get(dim, 1)])
        if len(values) < 5:
            continue
        p_lo, q1, med, q3, p_hi = np.percentile(values, [low, 25, 50, 75, high])
        spread = 0.25 * (q3 - q1)
        lo_b, hi_b = BOUNDS[dim]
        entry: dict[str, float] = {}
        if mode == "range":
            entry["min"] = _round(max(lo_b, float(p_lo - spread)), dim)
        entry["max"] = _round(min(hi_b, float(p_hi + spread)), dim)
        if mode == "max" and dim in ("urgency", "excitement", "jargon", "passive"):
            entry["max"] = _round(min(hi_b, max(entry["max"], 0.05)), dim)
        if entry.get("min") == lo_b:
            entry.pop("min")
        if entry.get("max") == hi_b:
            entry.pop("max")
        if entry:
            targets[dim] = entry
        stats[dim] = {"median": _round(float(med), dim), "n": len(values)}
    order = sorted(range(len(messages)), key=lambda i: (len(messages[i]), messages[i]))
    if len(order) > max_examples:
        step = (len(order) - 1) / max(max_examples - 1, 1)
        order = [order[round(k * step)] for k in range(max_examples)]
    examples: dict[str, Any] = {"on_brand": [messages[i] for i in order]}
    if off_brand:
        examples["off_brand"] = list(off_brand[:max_examples])
    return {"targets": targets, "examples": examples, "_stats": stats}


def policy_yaml(section: dict[str, Any], *, source: str, count: int) -> str:
    """A policy file holding the learned ``voice:`` section, with a header that says where it came from."""
    import yaml

    data = {k: v for k, v in section.items() if not k.startswith("_")}
    header = (
        f"# Learned by `brandrail voice learn` from {count} approved messages in {source}.\n"
        "# Ranges: low/high percentiles widened by a quarter of the inter-quartile range (docs/voice.md).\n"
        "# Review the targets and examples before use; extend this file from your brandrail.yaml.\n"
        "# Add your guideline's rules as voice.never (what the brand never does, with short examples), e.g.\n"
        "#   never:\n"
        "#     - id: cure\n"
        '#       rule: "Promise a cure or a guaranteed result."\n'
        '#       examples: ["This treatment will cure your arthritis."]\n'
        "# The voice model (BR502) scores how close each message comes to them; see docs/voice.md.\n"
    )
    body = yaml.safe_dump({"version": 1, "voice": data}, sort_keys=False, allow_unicode=True, width=100)
    return header + body
