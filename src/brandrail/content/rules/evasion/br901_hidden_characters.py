"""BR901 hidden-characters."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator, Sequence

from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.reader import hidden_runs

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ISOLATE_START = frozenset("\u2066\u2067\u2068")
_ISOLATE_START_RE = re.compile("[\u2066-\u2068]")
_ISOLATE_END = "\u2069"
#: At most this many runs outside the prose are reported one by one (each with its fix).
_MAX_OUTSIDE = 100
#: A bidi control or a tag character anywhere (the quick test before the text outside the prose is read).
_SEVERE_RE = re.compile("[\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]")
#: how far an isolate's pop may stand from its start (a name, a phrase)
_ISOLATE_REACH = 200


def _word_isolates(prose: str) -> frozenset[int]:
    """Positions of bidi isolates (LRI, RLI or FSI and its PDI) that wrap whole words on one line, with no
    other bidi control inside: right-to-left text written as W3C advises, which reorders no Latin letters."""
    out: set[int] = set()
    n = len(prose)
    for m in _ISOLATE_START_RE.finditer(prose):
        i = m.start()
        if i > 0 and prose[i - 1].isalnum():
            continue
        j = prose.find(_ISOLATE_END, i + 1, min(n, i + 1 + _ISOLATE_REACH))
        if j < 0 or (j + 1 < n and prose[j + 1].isalnum()):
            continue
        inner = prose[i + 1 : j]
        if "\n" in inner or any(ch in _BIDI for ch in inner):
            continue
        out.update((i, j))
    return frozenset(out)


def _describe(ch: str) -> str:
    try:
        return f"U+{ord(ch):04X} {unicodedata.name(ch)}"
    except ValueError:
        return f"U+{ord(ch):04X}"


@register
class HiddenCharacters(Rule):
    """Invisible characters in outgoing copy.

    What it flags:
        Runs of zero-width characters (U+200B-U+200D, U+2060, U+FEFF), soft hyphens, bidirectional controls,
        Unicode tag characters (U+E0000-U+E007F, used to smuggle hidden instructions), stray variation
        selectors and blank fillers (Hangul filler, braille blank) in the prose, also when written as HTML
        entities. Joiners and selectors inside an emoji sequence are part of the emoji and are not flagged.
        Tag characters and bidi controls are errors; the rest warnings. A bidi isolate that wraps whole
        words on one line ("\\u2067مرحبا\\u2069", as W3C advises for right-to-left text in Latin copy) is
        how such text is written properly and is not flagged; an override or an isolate inside a word is.
        Bidi controls and tag characters outside the prose (inside a link, an address or code) are errors
        too: a link reordered on screen reads as another address.

    Why it matters:
        Hidden characters are how text slips past filters (a banned word split by a zero-width space), how
        prompt-injection payloads hide (tag characters), and how displayed text is reordered (bidi
        overrides, "Trojan Source"); in copy they also break search, copy-paste and screen readers.

    Example:
        "guar\\u200banteed" is flagged at the zero-width space (and BR202 still sees "guaranteed").

    Use instead:
        Plain text; `brandrail fix` deletes the characters.
    """

    code = "BR901"
    name = "hidden-characters"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        prose = doc.prose
        runs = hidden_runs(prose)
        proper = _word_isolates(prose) if runs and _ISOLATE_START & set(prose) else frozenset()
        for a, b in runs:
            if proper and all(i in proper for i in range(a, b)):
                continue
            chars = prose[a:b]
            start, end = doc.prose_to_original(a, b)
            severe = any(c in _BIDI or "\U000e0000" <= c <= "\U000e007f" for c in chars)
            names = sorted({_describe(c) for c in chars})
            yield self.finding(
                f"{b - a} hidden character{'s' if b - a > 1 else ''} ({', '.join(names[:3])})",
                doc=doc,
                start=start,
                end=end,
                severity=Severity.ERROR if severe else None,
                fix=Fix("delete the hidden characters", (Edit(start, end, ""),)),
                evidence={"characters": names, "count": b - a, "smuggling_or_bidi": severe},
            )
        yield from self._outside_prose(doc, runs)

    def _outside_prose(self, doc: Document, prose_runs: Sequence[tuple[int, int]]) -> Iterator[Finding]:
        """Bidi controls and tag characters the prose does not hold (a link, an address, code): errors."""
        text = doc.text
        if _SEVERE_RE.search(text) is None:
            return
        covered = sorted(doc.prose_to_original(a, b) for a, b in prose_runs)
        proper = _word_isolates(text) if _ISOLATE_START & set(text) else frozenset()
        reported = 0
        for a, b in hidden_runs(text):
            chars = text[a:b]
            if not any(c in _BIDI or "\U000e0000" <= c <= "\U000e007f" for c in chars):
                continue
            at = bisect.bisect_left(covered, (b, b))  # the prose runs starting before b; the last may overlap
            if at and covered[at - 1][1] > a:
                continue
            if proper and all(i in proper for i in range(a, b)):
                continue
            if reported == _MAX_OUTSIDE:
                # a flood of them: one more finding without a fix, so the text is refused rather than patched
                yield self.finding(
                    f"more than {_MAX_OUTSIDE} runs of hidden characters outside the prose",
                    doc=doc,
                    start=a,
                    end=b,
                    severity=Severity.ERROR,
                    evidence={"smuggling_or_bidi": True, "in_prose": False, "count": f"over {_MAX_OUTSIDE}"},
                )
                return
            reported += 1
            names = sorted({_describe(c) for c in chars})
            yield self.finding(
                f"{b - a} hidden character{'s' if b - a > 1 else ''} outside the prose, in a link, address "
                f"or code ({', '.join(names[:3])})",
                doc=doc,
                start=a,
                end=b,
                severity=Severity.ERROR,
                fix=Fix("delete the hidden characters", (Edit(a, b, ""),)),
                evidence={"characters": names, "count": b - a, "smuggling_or_bidi": True, "in_prose": False},
            )
