"""brandrail.text.scan.whole_runs finds exactly the runs a plain ``finditer`` of the run pattern finds and
keeps (the loop it replaces in content.readings), on random texts built to put tokens next to each other, inside
longer runs, at the edges and next to non-ASCII characters."""

from __future__ import annotations

import random
import re

import pytest

from brandrail.text import scan
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


def test_grouped_alternation_matches_the_same() -> None:
    """grouped_by_first: the date-of-birth words (every branch opens with a letter) grouped by first letter
    find the same spans as the flat alternation, on texts built from pieces of those words."""
    from brandrail.content.pii_more import _DOB_WORDS
    from brandrail.text.scan import grouped_by_first

    flat = f"{_DOB_WORDS}|生年月日|誕生日"
    grouped = grouped_by_first(flat)
    assert grouped != flat and grouped.count("|") < flat.count("|") + 60
    words = [
        "date of birth",
        "dob",
        "d.o.b.",
        "born on",
        "born",
        "birthday",
        "b-day",
        "data de nasc.",
        "dt. nasc",
        "datum narození",
        "fødselsdato",
        "født",
        "geb.",
        "doğum günü",
        "生日",
        "生年月日",
        "nar.",
        "ur.",
        "née le",
    ]
    pieces = [*words, *(w[: len(w) // 2] for w in words), " ", "  ", ".", ":", "\n", "x", "1985", "ü"]
    rng = random.Random(11)
    flat_rx, grouped_rx = re.compile(flat), re.compile(grouped)
    found = 0
    for _ in range(600):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        want = [m.span() for m in flat_rx.finditer(text)]
        assert [m.span() for m in grouped_rx.finditer(text)] == want, text
        found += len(want)
    assert found > 1000


@pytest.mark.parametrize("pattern", [r"\bab|cd", "a*b|ac", "[ab]c|ad", "(?:a|b)c|ad", "abc", ""])
def test_grouped_alternation_leaves_what_it_cannot_group(pattern: str) -> None:
    from brandrail.text.scan import grouped_by_first

    assert grouped_by_first(pattern) == pattern


def test_grouped_alternation_reads_classes_and_escapes() -> None:
    from brandrail.text.scan import grouped_by_first

    # a "|" inside a class, a group or after a backslash does not split a branch
    assert grouped_by_first(r"a[|]b|a\|c|b(?:x|y)|a") == r"a(?:[|]b|\|c|)|b(?:(?:x|y))"


@pytest.mark.parametrize(
    ("pattern", "branches"),
    [
        ("a|b", ["a", "b"]),
        ("a(?:b|c)|d", ["a(?:b|c)", "d"]),
        (r"a\|b|c", [r"a\|b", "c"]),
        ("[|]x|y", ["[|]x", "y"]),
        ("[]|]x|y", ["[]|]x", "y"]),
        ("[^]|]x|y", ["[^]|]x", "y"]),
        ("", [""]),
    ],
)
def test_top_level_branches_split_only_outside_groups_classes_and_escapes(
    pattern: str, branches: list[str]
) -> None:
    assert scan.top_level_branches(pattern) == branches
    assert "|".join(branches) == pattern
