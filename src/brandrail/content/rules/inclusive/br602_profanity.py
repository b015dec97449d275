"""BR602 profanity."""

from __future__ import annotations

import re
from collections.abc import Iterator

from brandrail.content.compounds import CompoundHeads
from brandrail.content.fastpolicy import cache_of
from brandrail.content.lexicons import (
    GERMAN_PROFANITY,
    GERMAN_PROFANITY_NAMES,
    GERMAN_PROFANITY_NO_TAIL,
    GERMAN_TAIL_LOOKALIKES,
    PROFANITY,
    PROFANITY_FORMS,
)
from brandrail.content.matching import TermMatcher, in_email
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.normalize import fold_term
from brandrail.text.scan import finditer_at

# a word with letters masked by '*' or '#' ("f**k", "sh#t")
_MASKED = re.compile(r"(?<![\w*#])[a-z]+[*#]+[a-z]*(?![\w*#])|(?<![\w*#])[*#]+[a-z]+(?![\w*#])")

_MASK_RUN = re.compile(r"[*#]+")


def _masked_starts(text: str) -> Iterator[int]:
    """Every position where a match of :data:`_MASKED` can start, in order: before each run of ``*``/``#``,
    the start of the letters ``[a-z]`` that run up to it (the run itself when none do). The engine skips to
    the marks in C, so a long text without them costs no try of the pattern at every word."""
    floor = 0
    for run in _MASK_RUN.finditer(text):
        at = run.start()
        p = at
        while p > floor and "a" <= text[p - 1] <= "z":
            p -= 1
        yield p
        floor = run.end()


@register
class Profanity(Rule):
    """Profanity, including masked spellings, at or above the policy's sureness level.

    What it flags:
        Whole words from the built-in profanity list and `inclusive.profanity.add` whose sureness (1.0 =
        profane in any context, lower = mild or ambiguous: "hell" 0.3, "damn" 0.5) is at least
        `inclusive.profanity.min_sureness` (0.6 by default), matched on the normalised text so "sh!t" and
        look-alike letters count; masked forms ("f**k") count at 0.9 of the word's sureness. In German text a
        German word (and any `inclusive.profanity.add` word) also counts at the start of a compound
        ("Scheißwetter", "arschkalt") and, of five letters or more, at its end ("Riesenscheiß", "Hundekacke"),
        not where a word merely holds the letters ("Marsch", "Gewaltmarsch", "Rotbarsch", "Schlamperei"). Built-in words
        match in their listed inflected forms too ("wankers", "fuckers", "bitches"; not "asses" or
        "pricked"), and the built-in list has a modest set of German, French and Spanish words ("Scheiße",
        "Putain", "mierda"), chosen so that words and names of those languages that contain them are left
        alone ("Wankdorf", "Bitche", "Pute", "cono", "disputa").

    Why it matters:
        Profanity in brand copy is rarely intended; a model can pick it up from user-generated input it
        was asked to answer or summarise.

    Example:
        "This jacket is sh!t hot" is flagged at "sh!t".

    Use instead:
        Rephrase. Lower `min_sureness` to catch milder words; `inclusive.profanity.remove` drops entries.
    """

    code = "BR602"
    name = "profanity"
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.inclusive.profanity
        if not settings.enabled:
            return
        cache = cache_of(policy)
        compiled: (
            tuple[TermMatcher[float], dict[int, list[tuple[str, float]]], CompoundHeads[float]] | None
        ) = cache.get(self.code)
        if compiled is None:
            removed = {fold_term(t) for t in settings.remove}
            words: dict[str, float] = {}
            if settings.builtin:
                for word, sureness in PROFANITY:
                    folded = fold_term(word)
                    if folded in removed:
                        continue
                    words[folded] = sureness
                    for form in map(fold_term, PROFANITY_FORMS.get(folded, ())):
                        if form not in removed:
                            words.setdefault(form, sureness)
            words.update((fold_term(e.term), e.sureness) for e in settings.add)
            matcher: TermMatcher[float] = TermMatcher(policy)
            for word, sureness in words.items():
                if sureness >= settings.min_sureness:
                    matcher.add(word, sureness)
            added = {fold_term(e.term) for e in settings.add}
            heads_of = (
                (w, s)
                for w, s in words.items()
                if s >= settings.min_sureness and (w in GERMAN_PROFANITY or w in added)
            )
            heads = CompoundHeads(
                heads_of,
                names=GERMAN_PROFANITY_NAMES,
                lookalikes=GERMAN_TAIL_LOOKALIKES,
                no_tails=GERMAN_PROFANITY_NO_TAIL,
            )
            # the words by length, each length's in sorted order: a masked form is compared with the words of
            # its own length only
            by_length: dict[int, list[tuple[str, float]]] = {}
            for word, sureness in sorted(words.items()):
                by_length.setdefault(len(word), []).append((word, sureness))
            compiled = (matcher, by_length, heads)
            cache[self.code] = compiled
        matcher, words_by_length, heads = compiled
        doc = subject
        spans: list[tuple[int, int]] = []
        for m in matcher.find(doc):
            if in_email(doc, m.norm_start, m.norm_end):  # an address is data, not prose
                continue
            spans.append((m.norm_start, m.norm_end))
            yield self._finding(doc, m.start, m.end, m.form, m.payload, masked=False)
        for a, b, word, sureness in heads.find(doc):
            if any(x < b and a < y for x, y in spans) or in_email(doc, a, b):
                continue
            start, end = doc.norm_to_original(a, b)
            yield self._finding(doc, start, end, word, sureness, masked=False, compound=True)
        if "*" in doc.folded or "#" in doc.folded:
            for mm in finditer_at(_MASKED, doc.folded, _masked_starts(doc.folded)):
                pattern = re.compile(
                    "^"
                    + re.sub(
                        r"[*#]+",
                        lambda g: f".{{1,{len(g.group())}}}",
                        re.escape(mm.group()).replace("\\*", "*").replace("\\#", "#"),
                    )
                    + "$"
                )
                for word, sureness in words_by_length.get(len(mm.group()), ()):
                    if pattern.match(word) and sureness * 0.9 >= settings.min_sureness:
                        start, end = doc.norm_to_original(mm.start(), mm.end())
                        yield self._finding(doc, start, end, word, sureness * 0.9, masked=True)
                        break

    def _finding(
        self,
        doc: Document,
        start: int,
        end: int,
        word: str,
        sureness: float,
        *,
        masked: bool,
        compound: bool = False,
    ) -> Finding:
        evidence: dict[str, object] = {"word": word, "sureness": round(sureness, 2), "masked": masked}
        if compound:
            evidence["compound"] = True
        return self.finding(
            f"profanity {doc.text[start:end]!r} (sureness {sureness:.2f})",
            doc=doc,
            start=start,
            end=end,
            evidence=evidence,
        )
