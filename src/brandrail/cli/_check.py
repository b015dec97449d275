"""The ``check`` run: find files, read each one, check it, refine its result, hand it to a writer, drop it.

Files are read and checked in small batches (so rules that batch work, like voice embeddings, still can),
and nothing of a file is kept after its result is written: memory stays flat in the number of files.
A file that cannot be read or checked as asked becomes one finding for that file (code ``IO001`` or
``IO002``, documented in docs/cli.md) and the run goes on; the exit code is then 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from brandrail.check_budget import CheckPool
from brandrail.errors import InputError, UsageError
from brandrail.findings import Finding, Result, Severity, family_of, score_findings
from brandrail.policy import Policy
from brandrail.text.conversation import Conversation, attach_conversation
from brandrail.text.document import Document, Kind

__all__ = [
    "FILE_CHANNEL_CODE",
    "FILE_CODES",
    "FILE_ERROR_CODE",
    "CodeFilter",
    "check_files",
    "file_error",
    "refine",
    "restrict_rules",
]

#: A file could not be read (missing, permission denied, not a regular file, binary, not UTF-8, too big).
FILE_ERROR_CODE = "IO001"
#: A file names a channel the policy does not define (front matter ``channel:``).
FILE_CHANNEL_CODE = "IO002"
FILE_CODES = {FILE_ERROR_CODE: "unreadable-file", FILE_CHANNEL_CODE: "unknown-file-channel"}

BATCH = 64


def file_error(
    path: str, message: str, *, policy_version: str, hint: str | None = None, code: str = FILE_ERROR_CODE
) -> Result:
    """A result holding one error finding about the whole file (no span)."""
    from brandrail.text.io import display_path

    path = display_path(path)
    evidence: dict[str, str] = {"reason": message}
    if hint:
        evidence["hint"] = hint
    finding = Finding(
        code=code,
        rule=FILE_CODES[code],
        severity=Severity.ERROR,
        message=message + (f" ({hint})" if hint else ""),
        path=path,
        evidence=evidence,
    )
    return Result.build([finding], policy_version=policy_version, path=path)


@dataclass(frozen=True)
class CodeFilter:
    """``--select`` / ``--ignore``: rule codes, code prefixes (``BR1``) or family names (``claims``)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def parse(cls, select: Sequence[str], ignore: Sequence[str], known_codes: Iterable[str]) -> CodeFilter:
        from difflib import get_close_matches

        from brandrail.findings import FAMILIES

        codes = sorted(set(known_codes) | set(FILE_CODES))
        families = set(FAMILIES.values())

        def tokens(values: Sequence[str], option: str) -> tuple[str, ...]:
            out: list[str] = []
            for value in values:
                for token in (t.strip() for t in value.split(",")):
                    if not token:
                        continue
                    norm = token.lower() if token.lower() in families else token.upper()
                    if norm not in families and not any(c.startswith(norm) for c in codes):
                        from brandrail.registry import suggest_code

                        suggestion = suggest_code(norm)
                        close = (
                            [suggestion]
                            if suggestion
                            else get_close_matches(norm, codes + sorted(families), n=1)
                        )
                        raise UsageError(
                            f"{option} {token!r} is neither a rule code, a code prefix nor a family",
                            hint=f"did you mean {close[0]!r}?"
                            if close
                            else "run `brandrail rules` for the codes",
                        )
                    out.append(norm)
            return tuple(out)

        return cls(tokens(select, "--select"), tokens(ignore, "--ignore"))

    @staticmethod
    def _hit(code: str, tokens: tuple[str, ...]) -> bool:
        return any(code.startswith(t) or family_of(code) == t for t in tokens)

    def keeps(self, code: str) -> bool:
        if code in FILE_CODES:
            return True  # a file that could not be checked is always reported
        if self.select and not self._hit(code, self.select):
            return False
        return not (self.ignore and self._hit(code, self.ignore))

    @property
    def active(self) -> bool:
        return bool(self.select or self.ignore)


def refine(result: Result, codes: CodeFilter, max_per_rule: int) -> Result:
    """Drop unselected codes and keep at most ``max_per_rule`` findings of a code (0: no cap).

    Scores, counts and the verdict are computed from every selected finding, shown or not: the findings
    kept are the first ``max_per_rule`` of each code in document order, ``extra["capped"]`` counts the hidden
    ones by code and :attr:`Result.not_shown` by severity.
    """
    kept = [f for f in result.findings if codes.keeps(f.code)] if codes.active else list(result.findings)
    suppressed = (
        [f for f in result.suppressed if codes.keeps(f.code)] if codes.active else list(result.suppressed)
    )
    shown = kept
    capped: dict[str, int] = {}
    hidden: dict[str, int] = {}
    if max_per_rule > 0:
        per_code: dict[str, int] = {}
        shown = []
        for f in kept:
            n = per_code.get(f.code, 0)
            per_code[f.code] = n + 1
            if n < max_per_rule:
                shown.append(f)
            else:
                capped[f.code] = capped.get(f.code, 0) + 1
                hidden[f.severity.value] = hidden.get(f.severity.value, 0) + 1
    if len(kept) == len(result.findings) and len(suppressed) == len(result.suppressed) and not capped:
        return result
    families = [k for k in result.scores if k != "overall"]
    extra = dict(result.extra)
    if capped:
        extra["capped"] = capped
    listed_suppressed = max_per_rule * 10 if max_per_rule > 0 else len(suppressed)
    if len(suppressed) > listed_suppressed:
        extra["suppressed_not_shown"] = len(suppressed) - listed_suppressed
    return Result(
        findings=tuple(shown),
        policy_version=result.policy_version,
        scores=score_findings(kept, families),
        path=result.path,
        channel=result.channel,
        suppressed=tuple(suppressed[:listed_suppressed]),
        pass_mark=result.pass_mark,
        extra=extra,
        not_shown={
            s.value: n for s in Severity if (n := hidden.get(s.value, 0) + result.not_shown.get(s.value, 0))
        },
    )


def restrict_rules(view: Policy, codes: CodeFilter) -> Policy:
    """Don't run rules whose code is not selected (so ``--ignore voice`` skips the embedding model).

    The engine keeps the rule instances of a policy view in that view's cache; they are filtered in place
    once per view. Findings are still filtered by :func:`refine` (a rule may emit more than one code).
    """
    from brandrail.engine import _rules_for

    if not codes.active or view.cache().get("_cli_restricted"):
        return view
    for kinds in (("text",), ("html", "text"), ("image",)):
        rules = _rules_for(view, kinds)
        rules[:] = [r for r in rules if codes.keeps(r.code)]
    view.cache()["_cli_restricted"] = True
    return view


def _batches(items: Sequence[tuple[str, str]], size: int) -> Iterator[Sequence[tuple[str, str]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _budgeted(pool: CheckPool, doc: Document, policy: Policy, conversation: Conversation | None) -> Result:
    """``doc`` checked in ``pool``'s process within its budget (past it: a failing BR999 Result)."""
    from brandrail.check_budget import OverBudget, over_budget_result

    options: dict[str, Any] = {"channel": doc.channel, "path": doc.path, "kind": doc.kind}
    if conversation is not None:
        options["conversation"] = conversation
    done = pool.run("check_text", doc.text, policy, **options)
    if isinstance(done, OverBudget):
        return over_budget_result(done, policy, path=doc.path, channel=doc.channel)
    result: Result = done[0]
    return result


def check_files(
    items: Sequence[tuple[str, str]],
    policy: Policy,
    *,
    channel: str | None = None,
    max_bytes: int | None = None,
    stdin_kind: Kind = "text",
    on_empty: Callable[[str], None] | None = None,
    codes: CodeFilter | None = None,
    conversation: Conversation | None = None,
    pool: CheckPool | None = None,
) -> Iterator[tuple[Result, Document | None]]:
    """Check ``items`` (``(path, kind)`` pairs from :func:`brandrail.text.io.discover`) one batch at a time.

    The channel of a file is ``channel`` when given, else its front matter's ``channel:``, else the
    policy's ``files:`` mapping, else none. With ``conversation``, every text file is judged as a reply to it
    (the channel's ``voice.context`` targets). With ``pool``, each text file is checked in its check process
    within its budget (a file past it: a failing Result with one BR999 finding).
    """
    from brandrail.engine import _check_image, check_document, prefetch
    from brandrail.policy.discovery import channel_for, front_matter_channel
    from brandrail.text.io import decode, read_input

    version = policy.version
    restrict = codes or CodeFilter()

    def view_of(name: str | None) -> Policy:
        return restrict_rules(policy.for_channel(name), restrict)

    for chunk in _batches(items, BATCH):
        prepared: list[Result | tuple[str, bytes, str | None] | Document] = []
        for path, kind in chunk:
            try:
                name, raw = read_input(path, max_bytes)
            except InputError as exc:
                prepared.append(file_error(path, exc.message, policy_version=version, hint=exc.hint))
                continue
            file_channel = channel if channel is not None else channel_for(path, policy.files, policy.source)
            if kind == "image":
                prepared.append((name, raw, file_channel))
                continue
            try:
                text = decode(raw, name)
            except InputError as exc:
                loc = exc.location
                line = getattr(loc, "line", None)
                column = getattr(loc, "column", None)
                message = exc.message + (f" (line {line}, column {column})" if line and column else "")
                prepared.append(file_error(name, message, policy_version=version, hint=exc.hint))
                continue
            doc_kind: Kind = stdin_kind if kind == "stdin" else kind  # type: ignore[assignment]
            if channel is None and doc_kind == "markdown":
                declared = front_matter_channel(text)
                if declared is not None:
                    if declared not in policy.channels:
                        known = ", ".join(sorted(policy.channels)) or "none"
                        prepared.append(
                            file_error(
                                name,
                                f"front matter names channel {declared!r}, which the policy does not define",
                                policy_version=version,
                                hint=f"known channels: {known}",
                                code=FILE_CHANNEL_CODE,
                            )
                        )
                        continue
                    file_channel = declared
            if on_empty is not None and not text.strip():
                on_empty(name)
            doc = Document(text, path=name, kind=doc_kind, channel=file_channel)
            attach_conversation(doc, conversation)
            prepared.append(doc)
        by_channel: dict[str | None, list[Document]] = {}
        for item in prepared:
            if isinstance(item, Document):
                by_channel.setdefault(item.channel, []).append(item)
        for name_, docs in by_channel.items():
            if pool is None:  # the check process does its own
                prefetch(view_of(name_), docs)
        for item in prepared:
            if isinstance(item, Result):
                yield item, None
            elif isinstance(item, Document) and pool is not None:
                yield _budgeted(pool, item, policy, conversation), item
            elif isinstance(item, Document):
                yield check_document(item, view_of(item.channel)), item
            else:
                name, raw, file_channel = item
                try:
                    yield _check_image(name, raw, view_of(file_channel)), None
                except InputError as exc:
                    yield file_error(name, exc.message, policy_version=version, hint=exc.hint), None
