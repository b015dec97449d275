"""BR301 required-disclosure-missing."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from brandrail.content.common import PhraseSet, across_hidden_seam
from brandrail.content.disclosures import (
    HIDDEN_SEAMS,
    accept_forms,
    ends_within,
    reader_contexts,
    seen_view,
    starts_within,
    trigger_reason,
)
from brandrail.content.fixes import append_fix, prepend_fix
from brandrail.content.paraphrase import Paraphrase, find_paraphrase
from brandrail.creative.email import CONTEXT_WORDS
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class RequiredDisclosureMissing(Rule):
    """A disclosure the policy requires for this message is missing or in the wrong place.

    What it flags:
        For each `disclosures.required` entry whose `when` trigger holds (always; a phrase or pattern in the
        text; the channel; a metadata value such as `offer: true`), a message that contains neither its
        `text` nor one of its `accept` wordings, or contains it outside the first/last `within` characters
        when `position` is `start`/`end`. A wording written as a sentence counts as the wording ("No
        purchase was necessary", "Credit is subject to status" for "no purchase necessary", "credit subject
        to status"). A trigger term the sentence says is not offered ("We don't offer
        interest-free credit on sale items", "no prize draw this year", "pay monthly is not available",
        "there won't be a prize draw", "pay monthly on grinders has been discontinued"; "ist bei Abos
        ausgeschlossen", "a été supprimé", "queda excluida", "nada de sorteos") triggers nothing; "don't miss
        interest-free credit", "is no longer available only in store" and "is not excluded" still do. Nor does a draw
        that is over or whose winners are out ("our prize draw winners have been announced", "congratulations to
        the winners of last month's prize draw"; "winners will be announced on Friday" still triggers), a
        lower-case trigger term that is a word of a public scheme's capitalised name ("a loan under the
        Enterprise Finance Guarantee") or a one-word trigger naming a bank account ("your savings account"). In
        HTML only text a reader sees
        counts (not hidden by CSS, not the
        colour of its background, not alt text or a comment), on a desktop screen, in dark mode and on a phone
        when the e-mail styles them differently. A wording of three or more words is also accepted said in
        other words within one sentence ("renews automatically on the 1st of each month until you cancel it"
        for "renews monthly until you cancel"): each of its content words there as the same word, an
        inflection or a listed synonym, in any order and close together, with exactly the wording's
        negations ("does not renew", or "until you cancel" left out, is not the wording; see
        docs/content.md, "A required wording in other words"), unless the entry sets `verbatim: true`
        (wording prescribed by law or a regulator: only `text` and `accept` as written count).

    Why it matters:
        Offers, promotions and regulated products carry mandatory wording (material terms, risk warnings,
        age limits); leaving it out makes an ad misleading by omission (FTC Act s.5; EU UCPD Art. 7).

    Example:
        With `disclosures: {required: [{id: offer-terms, text: "Terms apply.", when: {terms: [offer]}}]}`,
        "Our spring offer starts today" is flagged.

    Use instead:
        "Our spring offer starts today. Terms apply." `brandrail fix` appends (or, for `position: start`,
        prepends) the `text`, as a new paragraph in Markdown and HTML.
    """

    code = "BR301"
    name = "required-disclosure-missing"
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        for entry in policy.disclosures.required:
            key = f"{self.code}:{entry.id}"
            reason = trigger_reason(doc, policy, key, entry.when)
            if reason is None:
                continue
            wordings = [entry.text, *entry.accept]
            accepted = PhraseSet.cached(policy, f"{key}:accept", partial(accept_forms, wordings))
            # every reader must see it: in HTML, light and dark schemes, desktop and phone
            for context in reader_contexts(doc, policy):
                seen = seen_view(doc, policy, context)
                hits: list[tuple[int, int, str | Paraphrase]] = list(accepted.shown(seen))
                if not hits and not entry.verbatim:
                    hits = _paraphrased(seen, wordings)
                if entry.position == "start":
                    ok = any(starts_within(seen, a, entry.within) for a, _, _ in hits)
                elif entry.position == "end":
                    ok = any(ends_within(seen, b, entry.within) for _, b, _ in hits)
                else:
                    ok = bool(hits)
                if not ok:
                    break
            if ok:
                continue
            misplaced = bool(hits)
            disguised = [] if misplaced else accepted.disguised(seen)
            hidden = not misplaced and not disguised and seen is not doc and bool(accepted.positions(doc))
            state = (
                f"must stand within {entry.within} characters of the {entry.position}"
                if misplaced
                else f"is written with look-alike or styled letters ({disguised[0]!r}), which a screen reader or a "
                "translation does not read as the words"
                if disguised
                else "is in the markup but not seen by the reader (hidden, camouflaged or only in alt text)"
                if hidden
                else "is missing"
            ) + CONTEXT_WORDS.get(context, "")
            fix = prepend_fix(doc, entry.text) if entry.position == "start" else append_fix(doc, entry.text)
            start = end = None
            if misplaced:
                start, end = seen.norm_to_original(hits[0][0], hits[0][1])
            matched = hits[0][2] if misplaced else None
            yield self.finding(
                entry.message or f"disclosure {entry.id!r} ({entry.text!r}) {state}",
                doc=doc,
                start=start,
                end=end,
                fix=fix,
                evidence={
                    "disclosure": entry.id,
                    "text": entry.text,
                    "trigger": reason,
                    "position": entry.position,
                    "context": context,
                    "hidden": hidden,
                    **({"disguised": disguised} if disguised else {}),
                    **({"matched": matched.explain()} if isinstance(matched, Paraphrase) else {}),
                },
            )


def _paraphrased(seen: Document, wordings: list[str]) -> list[tuple[int, int, str | Paraphrase]]:
    """The first wording said in other words in ``seen`` (:func:`brandrail.content.paraphrase.find_paraphrase`),
    written as it reads and not across hidden text inside it, as a hit (norm start, norm end, the paraphrase)."""
    seams: list[tuple[int, int]] = seen.__dict__.get(HIDDEN_SEAMS) or []
    for wording in wordings:
        found = find_paraphrase(seen.folded, wording)
        if (
            found is not None
            and seen.reads_plainly(found.start, found.end)
            and not (seams and across_hidden_seam(seen, found.start, found.end, seams))
        ):
            return [(found.start, found.end, found)]
    return []
