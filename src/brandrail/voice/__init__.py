"""Voice and tone: the tone profile of a message, tone targets, and the embedding voice model (BR5xx)."""

from brandrail.voice.tone import DIMENSIONS, Driver, ToneProfile, profile_document, profile_text

__all__ = ["DIMENSIONS", "Driver", "ToneProfile", "profile_document", "profile_text"]
