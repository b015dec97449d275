"""Voice and tone: the tone profile of a message, tone targets, and the embedding voice model (BR5xx).

Every name is imported on first access (``brandrail.voice.evaluate`` etc.): the voice model, learning and
evaluation load numpy and the packaged model (and evaluation scikit-learn), and even the tone profile is left
out of a check that sets no tone target (its word lists and patterns cost a few milliseconds of start-up).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from brandrail.voice.tone import DIMENSIONS, Driver, ToneProfile, profile_document, profile_text

__all__ = [
    "DIMENSIONS",
    "Driver",
    "Examples",
    "NeverRule",
    "ToneProfile",
    "VoiceModel",
    "VoiceScore",
    "VoiceUnavailable",
    "evaluate",
    "learn_voice",
    "load_examples",
    "profile_document",
    "profile_text",
]

_LAZY = {
    "DIMENSIONS": "brandrail.voice.tone",
    "Driver": "brandrail.voice.tone",
    "ToneProfile": "brandrail.voice.tone",
    "profile_document": "brandrail.voice.tone",
    "profile_text": "brandrail.voice.tone",
    "Examples": "brandrail.voice.model",
    "NeverRule": "brandrail.voice.model",
    "VoiceModel": "brandrail.voice.model",
    "VoiceScore": "brandrail.voice.model",
    "evaluate": "brandrail.voice.model",
    "load_examples": "brandrail.voice.model",
    "learn_voice": "brandrail.voice.learn",
    "VoiceUnavailable": "brandrail.voice.embed",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'brandrail.voice' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
