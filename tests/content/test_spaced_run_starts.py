"""normalize._spaced_runs tries the spaced-run patterns only at the first letters it walks back to from their
second letters (normalize._run_matches): on random texts of spaced letters, leet symbols, separators and words,
the runs are exactly those of the patterns' own finditer, sparse or dense."""

from __future__ import annotations

import importlib
import random
import re

import pytest

nz = importlib.import_module("brandrail.text.normalize")


def test_separator_chars_are_the_class() -> None:
    cls = re.compile(nz._SEPARATORS)
    assert {chr(i) for i in range(0x10000) if cls.fullmatch(chr(i))} == nz._SEPARATOR_CHARS


_PIECES = [
    *"abcXYZ4301$@57!",
    *" .-_*/+~|:\t\u00a0\u2014\u30fb'’",
    "  ",
    "   ",
    "         ",
    "word ",
    "a ",
    "I ",
    "1.1",
    "2,5",
    "é",
    "😀",
    "\n",
]


def _texts(seed: int, pieces: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, pieces))) for _ in range(1500)]


@pytest.mark.parametrize(
    ("rx", "second", "first"),
    [
        (nz._SPACED_RE, nz._SPACED_SECOND, nz._RUN_FIRST),
        (nz._SPACED_LEET_RE, nz._SPACED_LEET_SECOND, nz._LEET_RUN_FIRST),
    ],
)
@pytest.mark.parametrize("always_walk", [True, False])
def test_same_runs_as_the_pattern(
    rx: re.Pattern[str],
    second: re.Pattern[str],
    first: frozenset[str],
    always_walk: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if (
        always_walk
    ):  # the walk back from every second letter, however dense (else the fallback on these texts)
        monkeypatch.setattr(nz, "_SPARSE_RUNS", 1)
    found = 0
    for pieces in (40, 400):
        for text in _texts(pieces, pieces):
            want = [m.span() for m in rx.finditer(text)]
            assert [m.span() for m in nz._run_matches(rx, text, second, first)] == want, text
            found += len(want)
    assert found > 100  # the texts do hold runs


def test_prose_with_a_few_runs_takes_the_walk() -> None:
    prose = ("Plain words, a list: one - two. I think so. " * 400) + "L A S T  c h a n c e, f r 3 3 ! "
    runs = [m.group() for m in nz._run_matches(nz._SPACED_RE, prose, nz._SPACED_SECOND, nz._RUN_FIRST)]
    assert runs == [m.group() for m in nz._SPACED_RE.finditer(prose)] == ["L A S T  c h a n c e"]
    hints = len(nz._SPACED_SECOND.findall(prose))
    assert 0 < hints <= len(prose) // nz._SPARSE_RUNS  # the walk, not the fallback, was taken
