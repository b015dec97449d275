"""A finding's ``reads_as`` drops punctuation at both ends of its reading. The pattern once tried the end's run
from every character of every run of symbols, so a reading holding a long run (a finding on a whole message of
emoji) cost time growing with the square of the run: 100 KB of "!" between two letters took 87 CPU-s. It now
starts only where a run starts. These tests check it against a plain reference; they time nothing."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from brandrail.registry import _EDGE_PUNCTUATION


def _word(c: str) -> bool:
    return re.fullmatch(r"[^\W_]", c) is not None


def _reference(text: str) -> str:
    """Drop every character before the first letter or digit and after the last (all of it if none)."""
    start = next((i for i, c in enumerate(text) if _word(c)), len(text))
    end = next((i for i in range(len(text), start, -1) if _word(text[i - 1])), start)
    return text[start:end]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1é_ !?.-😀\u200b\n")), max_size=30))
def test_edge_punctuation_is_dropped_as_the_reference_drops_it(text: str) -> None:
    assert _EDGE_PUNCTUATION.sub("", text) == _reference(text)


def test_a_long_run_of_symbols_inside_a_reading_is_kept_and_its_edges_dropped() -> None:
    inner = "!" * 200_000
    assert _EDGE_PUNCTUATION.sub("", "?? x" + inner + "x !!") == "x" + inner + "x"
    assert _EDGE_PUNCTUATION.sub("", "😀" * 100_000) == ""
