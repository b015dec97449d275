"""The style sheet's matcher (brandrail.creative.css._Matcher) indexes selectors that need an ancestor's id or
class by it; what matches, and in what order, must stay cssselect2's own."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import cssselect2  # type: ignore[import-untyped]
import pytest
from cssselect2 import parser as selectors

from brandrail.creative.css import _ancestor_guard, _Matcher

HTML = """<html><body>
<div id="a" class="x y"><p class="r"><span id="s1" class="k">one</span><em>two</em></p>
  <p><span class="k">three</span><b lang="en">four</b></p></div>
<div class="y"><section id="b"><span>five</span><span class="k z">six</span></section></div>
<p class="r">seven<span>eight</span></p>
</body></html>"""

SELECTORS = [
    "#a span",
    "#a > p > span",
    ".x span.k",
    ".y span",
    ".y > span",
    "#b span + span",
    "p.r ~ p span",
    ".r + p b",
    "#a em, .y .z",
    "div .k:first-child",
    ".x b[lang]",
    "#a *",
    ".y :not(em)",
    "#missing span",
    "span",
    ".k",
    "p span + em",
    "#b > span ~ span.z",
    ".x .r span#s1",
    "div#a.x p",
    "#a::before",
    ".y span::after",
]


def _tree() -> cssselect2.ElementWrapper:
    return cssselect2.ElementWrapper.from_html_root(ET.fromstring(HTML))


def _strip(found: list[tuple[object, int, object, object]]) -> list[tuple[object, int, object, object]]:
    return [(spec, order, pseudo, payload) for spec, order, pseudo, payload in found]


def test_matches_as_cssselect2_does() -> None:
    plain, guarded = cssselect2.Matcher(), _Matcher()
    for i, text in enumerate(SELECTORS):
        for parsed in selectors.parse(text):
            compiled = cssselect2.compiler.CompiledSelector(parsed)
            plain.add_selector(compiled, i)
            guarded.add_guarded(compiled, i, _ancestor_guard(parsed.parsed_tree))
    assert guarded.guarded  # some selectors were indexed by an ancestor
    matched = 0
    for element in _tree().iter_subtree():
        expected = _strip(plain.match(element))
        assert _strip(guarded.match(element)) == expected, element.etree_element.tag
        matched += len(expected)
    assert matched > 20


@pytest.mark.parametrize(
    ("text", "guard"),
    [
        ("#a span", ("id", "a")),
        (".x > p span", ("class", "x")),
        (".x #a span", ("id", "a")),
        (".x + span", None),  # a sibling, not an ancestor
        (".x ~ .y span", ("class", "y")),
        (".r + p span", None),  # the sibling of an ancestor is none
        ("p.r span + em", ("class", "r")),  # the sibling's parent is the element's
        (".c + .d > span", ("class", "d")),
        ("span", None),
        ("div span", None),
        (":not(.x) span", None),
    ],
)
def test_ancestor_guard(text: str, guard: tuple[str, str] | None) -> None:
    [parsed] = list(selectors.parse(text))
    assert _ancestor_guard(parsed.parsed_tree) == guard
