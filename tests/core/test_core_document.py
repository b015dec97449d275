"""Document: prose extraction, normalised view, offsets back into the original, suppressions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandrail.text import Document, normalize


def find_original(doc: Document, word: str) -> list[str]:
    return [doc.text[slice(*doc.norm_to_original(m.start(), m.end()))] for m in re.finditer(word, doc.folded)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("guar\u200banteed", "guar\u200banteed"),  # zero-width space
        ("guar\u00adanteed", "guar\u00adanteed"),  # soft hyphen
        ("guarant\u0435\u0435d", "guarant\u0435\u0435d"),  # Cyrillic e
        ("ｇｕａｒａｎｔｅｅｄ", "ｇｕａｒａｎｔｅｅｄ"),  # full-width
        ("g u a r a n t e e d", "g u a r a n t e e d"),  # spaced letters
        ("g.u.a.r.a.n.t.e.e.d", "g.u.a.r.a.n.t.e.e.d"),
        ("guar4nt33d", "guar4nt33d"),  # leetspeak
        ("GUARANTÉED", "GUARANTÉED"),  # accent
        ("gu\u0430r\u0430nteed", "gu\u0430r\u0430nteed"),  # Cyrillic a
    ],
)
def test_evasions_normalise_and_map_back(text: str, expected: str) -> None:
    doc = Document(f"It is {text} today.")
    assert find_original(doc, "guaranteed") == [expected]


def test_html_entities_and_inline_tags_are_prose() -> None:
    doc = Document("<p>Free &amp; <b>guar</b>ant&#101;ed</p>", kind="html")
    assert doc.prose == "Free & guaranteed"
    assert find_original(doc, "guaranteed") == ["guar</b>ant&#101;ed"]


def test_html_skips_scripts_styles_comments_and_link_targets() -> None:
    text = (
        "<html><head><title>t</title><style>.cheap{}</style></head><body><!-- cheap -->"
        '<a href="https://x.example/cheap" data-x="cheap" title="cheap">go</a><script>cheap()</script></body></html>'
    )
    doc = Document(text, kind="html")
    # no reader sees a style sheet, a comment, a link's address, a data attribute or a script; a link's
    # title is its tooltip, read where it stands
    assert [m.start() for m in re.finditer("cheap", doc.folded)] == [doc.folded.index("cheap")]
    assert find_original(doc, "cheap") == ["cheap"]
    start = text.index('title="cheap"') + len('title="')
    assert doc.norm_to_original(doc.folded.index("cheap"), doc.folded.index("cheap") + 5) == (
        start,
        start + 5,
    )
    assert "go" in doc.prose


def test_html_reads_what_a_mail_client_shows() -> None:
    # mail clients run no scripts, so <noscript> content is shown; so is an inline SVG's <text>; an SVG's
    # <title> is a tooltip and its <desc> is read by screen readers; its <metadata> no one is shown
    doc = Document(
        "<p>Hello</p><noscript>Guaranteed cure</noscript>"
        "<svg><title>tooltip cheap</title><desc>cheap</desc><metadata>flimsy</metadata>"
        "<text x='0' y='9'>Free money</text></svg>",
        kind="html",
    )
    assert "Guaranteed cure" in doc.prose and "Free money" in doc.prose
    assert find_original(doc, "cheap") == ["cheap", "cheap"]
    assert "flimsy" not in doc.folded
    assert find_original(doc, "free money") == ["Free money"]


def test_block_tags_separate_words() -> None:
    doc = Document("<p>guar</p><p>anteed</p>", kind="html")
    assert "guaranteed" not in doc.folded


def test_markdown_urls_and_comments_are_not_prose_code_is_marked() -> None:
    text = (
        "# Title\n\nBuy `cheap` now at https://cheap.example/x and [our shop](https://x.example/cheap).\n\n"
        "```\ncheap = True\n```\n\n    cheap indented code\n\n<div>great <b>deal</b><!-- cheap --></div>\n"
    )
    doc = Document(text, kind="markdown")
    # the reader sees code: the code span, the fenced and the indented block are read, marked as code
    found = [m.start() for m in re.finditer("cheap", doc.folded)]
    assert len(found) == 3
    spans = [doc.norm_to_original(a, a + 5) for a in found]
    assert [text[a:b] for a, b in spans] == ["cheap"] * 3
    assert all(doc.in_code(a, b) for a, b in spans)
    assert [a for a, _ in spans] == [
        text.index("`cheap`") + 1,
        text.index("cheap ="),
        text.index("cheap ind"),
    ]
    # URLs, link targets and comments are not prose; without code, no "cheap" is left
    assert "cheap" not in doc.without_code().folded
    assert "our shop" in doc.prose
    assert "deal" in doc.prose
    assert "```" not in doc.prose  # the fence lines are markup


def test_markdown_front_matter_is_read_only_where_a_reader_sees_it() -> None:
    text = "---\nsubject: cheap\nlayout: flimsy\ntitle: 'Best boots'\n---\nHello there\n"
    doc = Document(text, kind="markdown")
    assert find_original(doc, "cheap") == ["cheap"]
    assert find_original(doc, "best boots") == ["Best boots"]
    assert "flimsy" not in doc.folded  # a template's name no reader sees
    assert "layout" not in doc.folded and "subject" not in doc.folded
    assert "hello there" in doc.folded


def test_spans_have_lines_and_columns() -> None:
    doc = Document("first line\nsecond cheap line\n")
    start = doc.text.index("cheap")
    span = doc.span(start, start + 5)
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 8, 2, 12)
    assert doc.line_text(2) == "second cheap line"


def test_suppressions() -> None:
    text = (
        "cheap one\n<!-- brandrail-disable BR101 -->\ncheap two\n<!-- brandrail-enable BR101 -->\n"
        "cheap three <!-- brandrail-disable-line -->\ncheap four\n"
    )
    doc = Document(text)
    offsets = [m.start() for m in re.finditer("cheap", text)]
    assert [doc.is_suppressed("BR101", o) for o in offsets] == [False, True, True, False]
    assert doc.is_suppressed("BR103", offsets[1]) is False
    assert doc.is_suppressed("BR103", offsets[2]) is True


def test_normalize_identity_for_plain_ascii() -> None:
    text, index = normalize("Plain ASCII text, nothing to undo.")
    assert text == "Plain ASCII text, nothing to undo."
    assert index is None


_ZW = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])


@given(st.lists(st.tuples(st.integers(0, 8), _ZW), max_size=6))
def test_zero_width_characters_never_hide_a_word(inserts: list[tuple[int, str]]) -> None:
    word = "guaranteed"
    chars = list(word)
    for pos, ch in sorted(inserts, reverse=True):
        chars.insert(pos + 1, ch)
    hidden = "".join(chars)
    doc = Document(f"Results {hidden} or money back")
    assert find_original(doc, word) == [hidden]


@given(st.text(max_size=200))
def test_offsets_always_fall_inside_the_original(text: str) -> None:
    doc = Document(text)
    for i in range(len(doc.norm)):
        a, b = doc.norm_to_original(i, i + 1)
        assert 0 <= a <= b <= len(text)
