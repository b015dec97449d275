"""Speed-ups that must not change a result: each shortcut against the plain computation it replaces, on random
text built from the characters the shortcut is about (full-width forms, combining marks, emoji, typographic
apostrophes). The whole-output check of a speed change is bench/same_output.py (every tone score and every
finding, this tree against another)."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from brandrail.content import pii

_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}


def _plain_forms_reference(seen: str, index: tuple[int, ...] | None) -> tuple[str, tuple[int, ...] | None]:
    """The computation before the shortcut: translate always, the category of every candidate character."""
    narrow = seen.translate(_FULL_WIDTH)
    if narrow != seen and index is None:
        index = tuple(range(len(seen)))
    seen = narrow
    marks = []
    kept = -2
    for m in pii._MAYBE_MARK.finditer(seen):
        if unicodedata.category(m.group())[0] != "M":
            continue
        i = m.start()
        before = seen[i - 1] if i else ""
        # a vowel sign or virama after a letter of a script beyond Latin (or after such a kept mark) stays
        if kept == i - 1 or (before >= "\u0370" and unicodedata.category(before)[0] == "L"):
            kept = i
        else:
            marks.append(i)
    if not marks:
        return seen, index
    base = index if index is not None else range(len(seen))
    text_parts: list[str] = []
    positions: list[int] = []
    start = 0
    for mark in [*marks, len(seen)]:
        text_parts.append(seen[start:mark])
        positions.extend(base[start:mark])
        start = mark + 1
    return "".join(text_parts), tuple(positions)


_ALPHABET = (
    "ab1@. \n"
    + "ｊｏ＠ｅ０７\u3000"
    + "\u0301\u0308\u20dd"
    + "😀🎉’—£\ufe0f\u200d"
    # Bengali and Thai letters with their vowel signs and virama, which stay with their letters
    + "\u099c\u09a8\u09cd\u09ae\u09bf\u0e04\u0e38\u0e13"
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60), st.booleans())
@example("jose\u0301@example.com", False)
@example("ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", True)
@example("😀🎉 plain", False)
@example("জন্ম তারিখ", True)
def test_plain_forms_same_as_before(text: str, with_index: bool) -> None:
    index = tuple(range(3, 3 + len(text))) if with_index else None
    seen, got = pii._plain_forms(text, index)
    want_seen, want = _plain_forms_reference(text, index)
    assert seen == want_seen
    assert (None if got is None else tuple(got)) == want
    if got is not None:
        assert [got[i] for i in range(-len(got), 0)] == list(want)  # negative positions too
        assert list(got[1:-1]) == list(want[1:-1])
