"""Console helpers: telling HTML from text, and marking spans."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.extras

console = pytest.importorskip("brandrail.service.console")


@pytest.mark.parametrize(
    ("content", "html"),
    [
        ("<b>Spring sale</b> this week", True),
        ("<p>Hi</p>", True),
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("<table><tr><td>x</td></tr></table>", True),
        ("Line one<br/>line two", True),
        ("<IMG SRC='x.png'>", True),
        ("if a < b > c then", False),
        ("Save <20%> today", False),
        ("<3 from the team", False),
        ("Reply to <sales@example.com>", False),
        ("plain text", False),
        ("<bold>not a tag we know</bold>", False),
    ],
)
def test_looks_html(content: str, html: bool) -> None:
    assert console._looks_html(content) is html


def test_highlight_marks_spans_and_matches_and_escapes() -> None:
    text = "Our <flimsy> tent & a flimsy bag"
    out = str(console._highlight(text, [(4, 12)], ["bag"]))
    assert out == "Our <mark>&lt;flimsy&gt;</mark> tent &amp; a flimsy <mark>bag</mark>"
    # overlapping and out-of-range spans are ignored rather than garbling the text
    assert str(console._highlight("abcdef", [(0, 3), (2, 5), (4, 99)], [])) == "<mark>abc</mark>def"
