"""Property tests: the tone profile of any text is finite, bounded, and its drivers point into the text."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from brandrail.text.document import Document
from brandrail.voice.tone import DIMENSIONS, profile_document, profile_text

BOUNDED = ("formality", "warmth", "urgency", "excitement", "passive", "jargon", "person_we", "person_you")

words = st.sampled_from(
    [
        "we",
        "you",
        "HURRY",
        "now",
        "thanks",
        "sorry",
        "the",
        "leverage",
        "was",
        "shipped",
        "!",
        "🎉",
        "no rush",
        "only 3 left",
        "don't",
        "café",
        "—",
        "\n\n",
        "Ends tonight.",
        "ß",
        "İstanbul",
        "\u200b",
    ]
)
texts = st.one_of(st.text(max_size=200), st.lists(words, max_size=40).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(texts)
def test_profile_is_finite_and_bounded(text: str) -> None:
    p = profile_text(text)
    assert set(p.values) == set(DIMENSIONS)
    assert all(math.isfinite(v) for v in p.values.values())
    assert all(0.0 <= p.values[d] <= 1.0 for d in BOUNDED)
    assert -1.0 <= p.values["sentiment"] <= 1.0
    assert p.values["reading_grade"] >= 0.0
    for found in p.drivers.values():
        for d in found:
            assert 0 <= d.start < d.end <= len(text)
            assert text[d.start : d.end] == d.text or d.text == text[d.start : d.end].strip()


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=1, max_size=20).map(" ".join))
def test_driver_offsets_map_into_html(text: str) -> None:
    html = f"<p><b>Hello</b> {text.replace('<', ' ').replace('&', ' ')}</p>"
    doc = Document(html, kind="html")
    p = profile_document(doc)
    for found in p.drivers.values():
        for d in found:
            a, b = doc.prose_to_original(d.start, d.end)
            assert 0 <= a <= b <= len(html)
