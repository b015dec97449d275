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

#: Set by `make test-core`, which runs the core tests under the bare install (no extras).
CORE_ONLY = os.environ.get("BRANDRAIL_CORE_ONLY") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under the bare core install, skip the tests marked ``extras`` (they need optional packages)."""
    if not CORE_ONLY:
        return
    skip = pytest.mark.skip(reason="needs an optional extra; the bare core install is under test")
    for item in items:
        if item.get_closest_marker("extras") is not None:
            item.add_marker(skip)


SHARED = ROOT.parent / "shared"


@pytest.fixture
def root() -> Path:
    return ROOT
