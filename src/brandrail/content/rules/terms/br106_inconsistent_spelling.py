"""BR106 inconsistent-spelling."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.fastpolicy import cache_of
from brandrail.content.fixes import is_plain, match_case
from brandrail.content.matching import TermMatcher
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.normalize import fold_term


@register
class InconsistentSpelling(Rule):
    """Two spellings of the same word in one message.

    What it flags:
        For each `terms.consistency` group (e.g. `[email, e-mail]`), every use of a form other than the one
        the message should settle on: the group's `prefer` when set, otherwise the form used first. Nothing
        is flagged when the message uses only one form.

    Why it matters:
        Mixed spellings ("email" then "e-mail") read as careless and signal copy stitched together from
        several sources.

    Example:
        With `terms: {consistency: [[email, e-mail]]}`, "Check your email. We sent the e-mail at 9." is
        flagged at "e-mail".

    Use instead:
        One spelling throughout ("Check your email. We sent the email at 9."); `brandrail fix` rewrites the
        others.
    """

    code = "BR106"
    name = "inconsistent-spelling"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        cache = cache_of(policy)
        matcher: TermMatcher[tuple[int, str]] | None = cache.get(self.code)
        if matcher is None:
            matcher = TermMatcher(policy)
            for i, group in enumerate(policy.terms.consistency):
                for form in group.forms:
                    matcher.add(form, (i, form))
            cache[self.code] = matcher
        doc = subject
        by_group: dict[int, list[tuple[int, int, str]]] = {}
        for m in matcher.find(doc):
            group_index, form = m.payload
            if m.form != fold_term(form):
                continue
            by_group.setdefault(group_index, []).append((m.start, m.end, form))
        for group_index, hits in by_group.items():
            used = {form for _, _, form in hits}
            group = policy.terms.consistency[group_index]
            if len(used) < 2:
                continue
            target = group.prefer if group.prefer is not None else hits[0][2]
            for start, end, form in hits:
                if form == target:
                    continue
                found = doc.text[start:end]
                replacement = match_case(found, target)
                yield self.finding(
                    f"spell it {target!r} throughout; {found!r} is also used",
                    doc=doc,
                    start=start,
                    end=end,
                    fix=self.replace_fix(
                        f"replace with {replacement!r}",
                        start,
                        end,
                        replacement,
                        safe=is_plain(doc, start, end),
                    ),
                    evidence={"forms": list(group.forms), "settled_on": target, "found": form},
                )
