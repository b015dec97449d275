"""apply_fixes / fix_text: non-overlapping edits, markup stays valid, idempotent."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from content_testlib import DEMO, content_policy, demo_policy
from markdown_it import MarkdownIt

from brandrail.content.fix import apply_fixes, fix_text
from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.text.io import kind_of


def _finding(code: str, *edits: Edit, safe: bool = True) -> Finding:
    return Finding(code, "x", Severity.ERROR, "m", fix=Fix("d", tuple(edits), safe))


def test_apply_fixes_applies_in_position_order() -> None:
    text = "abc def ghi"
    new, applied, skipped = apply_fixes(
        text,
        [
            _finding("BR2", Edit(8, 11, "GHI")),
            _finding("BR1", Edit(0, 3, "ABC")),
            _finding("BR3", Edit(11, 11, "!")),
        ],
    )
    assert new == "ABC def GHI!"
    assert [f.code for f in applied] == ["BR1", "BR2", "BR3"]
    assert skipped == []


def test_overlapping_fixes_first_wins_and_unsafe_are_skipped() -> None:
    text = "one two three"
    a = _finding("BR101", Edit(4, 7, "2"))
    b = _finding("BR902", Edit(5, 9, "X"))
    c = _finding("BR103", Edit(0, 3, "1"), safe=False)
    inside = _finding("BR104", Edit(5, 5, "®"))
    new, applied, skipped = apply_fixes(text, [b, a, c, inside])
    assert new == "one 2 three"
    assert applied == [a]
    assert set(map(id, skipped)) == {id(b), id(c), id(inside)}


def test_insertions_at_the_same_place_all_apply_and_identical_edits_once() -> None:
    text = "Body"
    new, applied, _ = apply_fixes(
        text,
        [
            _finding("BR306", Edit(4, 4, " U.")),
            _finding("BR307", Edit(4, 4, " A.")),
            _finding("BR307", Edit(4, 4, " A.")),
        ],
    )
    assert new == "Body U. A."
    assert len(applied) == 3


def test_edit_out_of_range_is_skipped() -> None:
    new, applied, skipped = apply_fixes("abc", [_finding("BR1", Edit(2, 9, "x"))])
    assert new == "abc" and not applied and len(skipped) == 1


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors = 0
        self.seen: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag not in ("meta", "br", "img", "hr", "link", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors += 1
        else:
            self.stack.pop()


def _balanced(html_text: str) -> list[str]:
    parser = _Tags()
    parser.feed(html_text)
    parser.close()
    assert parser.errors == 0 and parser.stack == []
    return parser.seen


def _md_structure(text: str) -> list[str]:
    return [
        t.type
        for t in MarkdownIt("commonmark").parse(text)
        if t.type in ("fence", "code_block", "heading_open")
    ]


@pytest.mark.parametrize("path", sorted((DEMO / "messages").iterdir()), ids=lambda p: p.name)
def test_fixing_demo_messages_is_idempotent_and_keeps_markup(path: Path) -> None:
    policy = demo_policy()
    channel = path.name.split("-")[0]
    kind = kind_of(path)
    text = path.read_text(encoding="utf-8")
    first = fix_text(text, policy.for_channel(channel), kind=kind, channel=channel)  # type: ignore[arg-type]
    second = fix_text(first.text, policy.for_channel(channel), kind=kind, channel=channel)  # type: ignore[arg-type]
    assert second.text == first.text, "running fix twice changed the text"
    assert second.applied == []
    if kind == "html":
        before, after = _balanced(text), _balanced(first.text)
        assert [t for t in after if t not in ("p", "a")] == [t for t in before if t not in ("p", "a")]
    if kind == "markdown":
        assert _md_structure(first.text) == _md_structure(text)
        assert first.text.startswith("---\n") == text.startswith("---\n")


def test_fix_text_repairs_everything_fixable() -> None:
    policy = content_policy(
        {
            "brand": {"name": "Fernhill", "trademarks": [{"term": "GORE-TEX", "symbol": "®"}]},
            "terms": {"banned": [{"term": "cheap", "replacement": "affordable"}]},
            "channels": {"sms": {"kind": "sms", "max_emoji": 0}},
        }
    )
    outcome = fix_text(
        "Our ch\u0435ap Gore-Tex jacket 🎉 for jane@x.org", policy.for_channel("sms"), channel="sms"
    )
    assert outcome.text == "Fernhill: Our affordable GORE-TEX® jacket for j•••@x.org Reply STOP to opt out."
    assert outcome.remaining is not None
    assert [f.code for f in outcome.remaining.findings if f.fix and f.fix.safe] == []


def test_markdown_disclosure_is_escaped() -> None:
    policy = content_policy(
        {
            "disclosures": {
                "required": [{"id": "x", "text": "# not a heading *really*", "when": {"always": True}}]
            }
        }
    )
    out = fix_text("Hello\n", policy, kind="markdown")
    assert out.text == "Hello\n\n&#35; not a heading &#42;really&#42;\n"
    assert _md_structure(out.text) == []
