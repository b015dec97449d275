"""Shared test set-up: no network, no model downloads, deterministic hypothesis profile."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# caches (parsed policies, embeddings) go to a fresh folder per test session, never the user's
os.environ.setdefault("BRANDRAIL_CACHE_DIR", tempfile.mkdtemp(prefix="brandrail-test-cache-"))
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

settings.register_profile("ci", deadline=None, derandomize=True, max_examples=100)
settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def root() -> Path:
    return ROOT
