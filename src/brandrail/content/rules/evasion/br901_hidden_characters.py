"""BR901 hidden-characters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from brandrail.content.channel import emoji_clusters
from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document

#: Invisible characters that are not format characters (Cf) but render as nothing.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# every format character (Unicode category Cf) plus the invisible fillers and variation selectors
_CANDIDATES = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)


def _hidden(ch: str) -> bool:
    if ch.isascii():
        return False
    if ch in _INVISIBLE or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef":
        return True
    return unicodedata.category(ch) == "Cf"


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
        Tag characters and bidi controls are errors; the rest warnings.

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
        if prose.isascii():
            return
        positions = [m.start() for m in _CANDIDATES.finditer(prose)]
        if not positions:
            return
        inside_emoji: set[int] = set()
        for a, b, _ in emoji_clusters(prose):
            inside_emoji.update(range(a, b))
        runs: list[tuple[int, int]] = []
        for i in positions:
            ch = prose[i]
            if i in inside_emoji or not _hidden(ch):
                continue
            if ch == "\ufeff" and i == 0:
                continue  # a byte-order mark at the very start is encoding, not content
            if runs and runs[-1][1] == i:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        for a, b in runs:
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
