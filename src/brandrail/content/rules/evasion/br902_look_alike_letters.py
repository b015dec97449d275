"""BR902 look-alike-letters."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from brandrail.content.fixes import is_plain
from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.reader import look_alike_words


@register
class LookAlikeLetters(Rule):
    """Words that mix Latin letters with look-alike letters from other scripts or styled Unicode letters.

    What it flags:
        Each word that contains a letter from another script that imitates a Latin one (Cyrillic "е",
        Greek "ο") next to Latin letters, or full-width / mathematical-alphanumeric letters ("ｆｒｅｅ",
        "𝐟𝐫𝐞𝐞"), in a message otherwise written in Latin script. Words wholly in another script (a Greek
        or Russian word in its own text) are not flagged, nor are letters that are part of an emoticon (a
        lone Greek "ω" in "(^ω^)", or letters touching symbols).

    Why it matters:
        Homoglyphs are how a banned term or claim is smuggled past checks and how phishing look-alike names
        are built; styled letters are also read letter by letter, or not at all, by screen readers.

    Example:
        "guarantееd" with two Cyrillic "е" is flagged (and BR202 still sees "guaranteed").

    Use instead:
        Plain Latin letters; `brandrail fix` replaces the look-alikes.
    """

    code = "BR902"
    name = "look-alike-letters"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        for found in look_alike_words(doc.prose):
            word, plain, word_start, word_end = found.word, found.plain, found.start, found.end
            start, end = doc.prose_to_original(word_start, word_end)
            safe = end - start == len(word) and is_plain(doc, start, end)
            yield self.finding(
                f"{word!r} uses {len(found.fakes)} look-alike letter{'s' if len(found.fakes) > 1 else ''}; reads as {plain!r}",
                doc=doc,
                start=start,
                end=end,
                fix=Fix(f"write {plain!r}", (Edit(start, end, plain),), safe),
                evidence={
                    "reads_as": plain,
                    "characters": sorted(
                        {f"U+{ord(word[i]):04X} {unicodedata.name(word[i], '?')}" for i in found.fakes}
                    ),
                },
            )
