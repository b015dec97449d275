"""brandrail.text.scan.whole_runs finds exactly the runs a plain ``finditer`` of the run pattern finds and
keeps (the loop it replaces in content.readings), on random texts built to put tokens next to each other, inside
longer runs, at the edges and next to non-ASCII characters."""

from __future__ import annotations

import random
import re

import pytest

from brandrail.text.scan import whole_runs

_PIECES = [
    *"abcxyz",
    " ",
    "  ",
    "-",
    ".",
    "'",
    "\n",
    "é",
    "😀",
    "ab",
    "abc",
    "bca",
    "a.b",
    "x-y",
    "#c",
    "\\",
    "(",
    "]",
]


def _reference(text: str, run: str, tokens: set[str]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in re.finditer(run + "+", text) if m.group() in tokens]


def _texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 60))) for _ in range(800)]


@pytest.mark.parametrize("run", ["[a-z]", r"\S"])
def test_same_as_the_filtered_run_scan(run: str) -> None:
    rng = random.Random(7)
    compared = found = 0
    for text in _texts(3):
        runs = sorted({m.group() for m in re.finditer(run + "+", text)})
        # some of the text's own runs, a token that is only part of a run, and tokens absent from the text
        tokens = set(rng.sample(runs, min(len(runs), rng.randint(0, 4)))) | {"ab", "zz", "a"}
        if run == r"\S":
            tokens |= {"#c", "a.b", "😀", "(\\"}
        got = [(m.start(), m.end(), m.group()) for m in whole_runs(text, run, tokens)]
        want = _reference(text, run, tokens)
        assert got == want, (text, tokens)
        compared += 1
        found += len(want)
    assert compared == 800 and found > 300  # the texts do hold wanted runs


def test_no_tokens_finds_nothing() -> None:
    assert list(whole_runs("abc abc", "[a-z]", [])) == []
    assert list(whole_runs("abc abc", "[a-z]", [""])) == []


def test_a_run_holding_a_token_is_not_that_token() -> None:
    text = "xabc abcx abc abc. (abc)"
    got = [m.span() for m in whole_runs(text, "[a-z]", {"abc"})]
    assert got == [(10, 13), (14, 17), (20, 23)]
