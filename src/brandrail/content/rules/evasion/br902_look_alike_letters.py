"""BR902 look-alike-letters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from brandrail.content.fixes import is_plain
from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.normalize import CONFUSABLES

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _words_with_non_ascii_letters(prose: str) -> list[tuple[int, int]]:
    """(start, end) of each run of letters that holds a non-ASCII letter, found from those letters outwards."""
    out: list[tuple[int, int]] = []
    last_end = -1
    n = len(prose)
    for m in _NON_ASCII.finditer(prose):
        i = m.start()
        if i < last_end or not prose[i].isalpha():
            continue
        a, b = i, i + 1
        while a > 0 and prose[a - 1].isalpha():
            a -= 1
        while b < n and prose[b].isalpha():
            b += 1
        out.append((a, b))
        last_end = b
    return out


def _emoticon(prose: str, start: int, end: int) -> bool:
    """Whether a foreign-script word is part of an emoticon rather than of the text: its letters touch a
    symbol ("(^ω^)", "(´ε｀)", "(≧ω≦)")."""
    for i in (start - 1, end):
        if 0 <= i < len(prose) and (unicodedata.category(prose[i]).startswith("S") or prose[i] in "^_"):
            return True
    return False


def disguise(ch: str) -> str | None:
    """The ASCII letter(s) ``ch`` imitates when it is a letter of another script or a styled Latin form."""
    if ch.isascii():
        return None
    mapped = CONFUSABLES.get(ch)
    name = unicodedata.name(ch, "")
    if mapped is not None:
        return mapped if not name.startswith("LATIN") or "SMALL CAPITAL" in name else None
    if name.startswith(("FULLWIDTH LATIN", "MATHEMATICAL", "CIRCLED LATIN", "PARENTHESIZED LATIN")):
        folded = unicodedata.normalize("NFKD", ch)
        return folded if folded.isascii() and folded.isalpha() else None
    return None


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
        prose = doc.prose
        if prose.isascii():
            return
        latin = -1
        for word_start, word_end in _words_with_non_ascii_letters(prose):
            word = prose[word_start:word_end]
            swaps = [(i, disguise(c)) for i, c in enumerate(word)]
            fakes = [(i, s) for i, s in swaps if s is not None]
            if not fakes:
                continue
            has_latin = any(c.isascii() for c in word)
            styled = any(
                unicodedata.name(word[i], "").startswith(("FULLWIDTH", "MATHEMATICAL")) for i, _ in fakes
            )
            all_fake = len(fakes) == len(word)
            if all_fake and not has_latin and not styled and _emoticon(prose, word_start, word_end):
                continue
            if all_fake and not (has_latin or styled) and latin < 0:
                latin = sum(1 for c in prose if c.isascii() and c.isalpha())
            if not (has_latin or styled or (all_fake and latin > 2 * len(word))):
                continue
            start, end = doc.prose_to_original(word_start, word_end)
            plain = "".join(s if s is not None else c for (_, s), c in zip(swaps, word, strict=True))
            safe = end - start == len(word) and is_plain(doc, start, end)
            yield self.finding(
                f"{word!r} uses {len(fakes)} look-alike letter{'s' if len(fakes) > 1 else ''}; reads as {plain!r}",
                doc=doc,
                start=start,
                end=end,
                fix=Fix(f"write {plain!r}", (Edit(start, end, plain),), safe),
                evidence={
                    "reads_as": plain,
                    "characters": sorted(
                        {f"U+{ord(word[i]):04X} {unicodedata.name(word[i], '?')}" for i, _ in fakes}
                    ),
                },
            )
