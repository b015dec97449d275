"""Run the content checks: the one place that turns text, files and images into Results.

The library API (:func:`brandrail.check`), the CLI, the HTTP service and the gate all call these functions,
so they all produce the same findings. The engine picks the rules that apply (by kind, ``rules:``
enable/disable and severity settings), applies inline suppressions and builds the :class:`Result`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from brandrail.check_budget import note_stage
from brandrail.errors import InputError, Location, PolicyError, PolicyIssue
from brandrail.findings import Finding, Result, family_of
from brandrail.policy import Policy
from brandrail.registry import Rule, all_rules, get_rule, suggest_code
from brandrail.text.conversation import ConversationLike, attach_conversation, parse_conversation
from brandrail.text.document import Document, Kind
from brandrail.text.io import decode, discover, read_input
from brandrail.text.meta import MessageMeta, validate_meta

__all__ = [
    "check",
    "check_document",
    "check_field",
    "check_many",
    "check_paths",
    "check_text",
    "delivered_errors",
    "message_metadata",
    "prefetch",
    "validate_rule_settings",
]

Metadata = MessageMeta | Mapping[str, Any]


def _policy_meta_keys(policy: Policy) -> frozenset[str]:
    """Metadata keys the policy's conditional disclosures test (``disclosures.required[].when.meta``)."""
    cache = policy.cache()
    found: frozenset[str] | None = cache.get("_engine_meta_keys")
    if found is None:
        found = frozenset(k for d in policy.disclosures.required for k in d.when.meta)
        cache["_engine_meta_keys"] = found
    return found


def message_metadata(metadata: Metadata | None, policy: Policy, *, where: str = "metadata") -> dict[str, Any]:
    """``metadata`` validated for ``policy`` (see :mod:`brandrail.text.meta`); an unknown key or a wrong type
    is an :class:`~brandrail.errors.InputError` naming the field."""
    if not metadata:
        return {}
    return validate_meta(metadata, extra_keys=_policy_meta_keys(policy), where=where)


def validate_rule_settings(policy: Policy) -> None:
    """Every code under ``rules:`` must exist; otherwise a PolicyError pointing at it."""
    issues = []
    for code in policy.rules:
        if get_rule(code) is None:
            close = suggest_code(code)
            issues.append(
                PolicyIssue(
                    f"rules.{code}",
                    f"unknown rule code {code!r}",
                    policy.location_of(("rules", code), key=True),
                    f"did you mean {close!r}?" if close else "run `brandrail rules` for the list",
                )
            )
    if issues:
        raise PolicyError("policy names unknown rules", location=issues[0].location, issues=issues)


def _rules_for(policy: Policy, kinds: Iterable[str]) -> list[Rule]:
    key = "_engine_rules:" + ",".join(sorted(kinds))
    cache = policy.cache()
    rules: list[Rule] | None = cache.get(key)
    if rules is None:
        validate_rule_settings(policy)
        rules = []
        for cls in sorted((r for kind in set(kinds) for r in all_rules(kind)), key=lambda r: r.code):  # type: ignore[arg-type]
            setting = policy.rules.get(cls.code)
            if setting is not None and not setting.enabled:
                continue
            if cls.status == "deprecated" and setting is None:
                continue
            if cls.check is Rule.check:  # a code emitted by another rule (e.g. "check unavailable")
                continue
            rules.append(cls())
        cache[key] = rules
        cache[key + ":families"] = tuple(sorted({family_of(r.code) for r in rules}))
    return rules


#: Rules about the structure of an e-mail (unsubscribe link, postal address, preheader, size limit): they run
#: on channels of kind ``email`` and when no channel is given, never on a web page, social post or ad. A
#: rule class may set ``channel_kinds`` (a frozenset of kinds) itself; this table covers the others.
EMAIL_STRUCTURE_CODES = frozenset({"BR721", "BR722", "BR726", "BR727"})


def _channel_kind(policy: Policy, channel: str | None) -> str | None:
    from brandrail.content.common import kind_of_channel

    return kind_of_channel(policy, channel)


def _rules_for_channel(policy: Policy, kinds: tuple[str, ...], channel: str | None) -> list[Rule]:
    """The rules of ``kinds`` that apply on ``channel``'s kind (see :data:`EMAIL_STRUCTURE_CODES`)."""
    cache = policy.cache()
    key = f"_engine_rules:{','.join(sorted(kinds))}:on:{channel}"
    kept: list[Rule] | None = cache.get(key)
    if kept is not None:
        return kept
    rules = _rules_for(policy, kinds)
    channel_kind = _channel_kind(policy, channel)
    if channel_kind is None:
        kept = rules
    else:
        kept = []
        for rule in rules:
            wanted = getattr(rule, "channel_kinds", None)
            if wanted is None and rule.code in EMAIL_STRUCTURE_CODES:
                wanted = frozenset({"email"})
            if wanted is None or channel_kind in wanted:
                kept.append(rule)
    cache[key] = kept
    return kept


def _families_for(policy: Policy, kinds: Iterable[str]) -> tuple[str, ...]:
    families: tuple[str, ...] = policy.cache()["_engine_rules:" + ",".join(sorted(kinds)) + ":families"]
    return families


def _finish(
    findings: list[Finding], policy: Policy, families: tuple[str, ...], doc: Document | None, path: str | None
) -> Result:
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        setting = policy.rules.get(finding.code)
        if setting is not None and setting.severity is not None:
            finding = finding.with_severity(setting.severity)
        if finding.path != path:
            finding = finding.with_path(path)
        offset = finding.span.start if finding.span else None
        if doc is not None and doc.is_suppressed(finding.code, offset):
            suppressed.append(finding)
        else:
            kept.append(finding)
    channel = policy.channel_policy
    return Result.build(
        kept,
        policy_version=policy.version,
        path=path,
        channel=policy.channel,
        suppressed=suppressed,
        families=families,
        pass_mark=channel.pass_mark if channel else None,
    )


def check_document(doc: Document, policy: Policy) -> Result:
    """Run every enabled text rule (and HTML rules for HTML) on ``doc``; rules about e-mail structure only
    run on an e-mail channel (or when no channel is given)."""
    view = policy.for_channel(doc.channel) if doc.channel != policy.channel else policy
    kinds = ("text", "html") if doc.kind == "html" else ("text",)
    rules = _rules_for_channel(view, kinds, doc.channel or view.channel)
    findings: list[Finding] = []
    skipping = _code_skippers(view, rules) if doc.has_code else frozenset()
    for rule in rules:
        note_stage(f"{rule.code} {rule.name}")  # what a check stopped at its CPU budget was doing
        findings.extend(rule.check(doc.without_code() if rule.code in skipping else doc, view))
    if doc.kind == "html":
        findings.extend(_seen_seam_findings(doc, view, rules, skipping, findings))
    return _finish(findings, view, _families_for(view, kinds), doc, doc.path)


def _seen_seam_findings(
    doc: Document, policy: Policy, rules: list[Rule], skipping: frozenset[str], found: list[Finding]
) -> list[Finding]:
    """What the word rules (:data:`FIELD_FAMILIES`) find in an HTML document as a reader sees it and not in
    its whole prose: a word spelled across text hidden by CSS (``fla<span style="display:none">q</span>wless``
    reads "flawless"; see :func:`brandrail.content.disclosures.seen_view`), or across or inside text a style
    sheet adds with ``::before``/``::after`` ``content``. Only findings whose span crosses such a seam
    (:func:`brandrail.content.disclosures.hidden_seams`) or touches such text
    (:func:`brandrail.content.disclosures.generated_points`) are new; the rest were found already."""
    from brandrail.content.disclosures import generated_points, hidden_seams, reader_contexts, seen_view

    word_rules = [r for r in rules if family_of(r.code) in FIELD_FAMILIES and r.code not in _NOT_FIELD_RULES]
    if not word_rules:
        return []
    seen_spans = {(f.code, f.span.start, f.span.end) for f in found if f.span is not None}
    out: list[Finding] = []
    for context in reader_contexts(doc, policy):
        seen = seen_view(doc, policy, context, generated=True)
        seams = hidden_seams(doc, seen)
        points = generated_points(doc, policy, context)
        if not seams and not points:
            continue
        for rule in word_rules:
            for finding in rule.check(seen.without_code() if rule.code in skipping else seen, policy):
                span = finding.span
                if span is None or (finding.code, span.start, span.end) in seen_spans:
                    continue
                made = [text for at, text in points if span.start <= at <= span.end]
                if made:
                    seen_spans.add((finding.code, span.start, span.end))
                    out.append(_with_generated_text(finding, made))
                elif any(span.start < a and b < span.end for a, b in seams):
                    seen_spans.add((finding.code, span.start, span.end))
                    out.append(finding)
    return out


def _with_generated_text(finding: Finding, made: list[str]) -> Finding:
    """``finding`` (made on text a style sheet generates, at least in part) with that text as evidence
    (``generated_text``), as its match when its span in the HTML is empty, and without a fix: the words are
    in the style sheet, which an edit of the span does not change."""
    match = finding.match
    message = finding.message
    if not match:
        match = "".join(made).strip()
        message = message.replace("''", repr(match), 1)
    evidence = {**finding.evidence, "generated_text": made}
    return replace(finding, match=match, message=message, evidence=evidence, fix=None)


def _code_skippers(policy: Policy, rules: list[Rule]) -> frozenset[str]:
    """The codes of ``rules`` that skip text formatted as code under ``policy`` (``code_text.skipped_by``):
    they read :meth:`Document.without_code`, every other rule the whole prose."""
    from brandrail.policy.sections.code_text import skips_code

    cache: dict[str, bool] = policy.cache().setdefault("_engine_code_skippers", {})
    out = []
    for rule in rules:
        skips = cache.get(rule.code)
        if skips is None:
            skips = cache[rule.code] = skips_code(policy.code_text, rule.code)
        if skips:
            out.append(rule.code)
    return frozenset(out)


#: The rule families that judge the words of a short field of a message (its subject line, its preheader) on
#: their own: terms, claims, inclusive language, personal data, hidden and look-alike characters. Rules about
#: the message as a whole (required disclosures, length, tone) read the body, and so do the two terms rules
#: that judge a whole message (a trademark's first use, consistent spelling).
FIELD_FAMILIES = frozenset({"terms", "claims", "inclusive", "privacy", "evasion"})
_NOT_FIELD_RULES = frozenset({"BR104", "BR106"})
#: Message metadata whose text the reader sees, checked by :func:`check_field` when given.
SHOWN_FIELDS = ("subject", "preheader")


def check_field(
    text: str, policy: Policy, *, field: str, body: str = "", channel: str | None = None
) -> list[Finding]:
    """Findings on the words of one field of a message (``field``: ``subject``, ``preheader``), with spans
    into ``text``: the :data:`FIELD_FAMILIES` rules, as on any text. A pricing claim in the field (BR206) may
    have its terms in the field or in ``body``, as a reader of the whole message sees them."""
    if not text.strip():
        return []
    view = policy.for_channel(channel) if channel and channel != policy.channel else policy
    rules = [
        r
        for r in _rules_for_channel(view, ("text",), channel or view.channel)
        if family_of(r.code) in FIELD_FAMILIES and r.code not in _NOT_FIELD_RULES
    ]
    doc = Document(text, path=field, kind="text", channel=channel)
    findings: list[Finding] = []
    for rule in rules:
        note_stage(f"{rule.code} {rule.name} ({field})")
        if rule.code == "BR206" and body.strip():
            # the field first, then the body: a claim in the field keeps its offsets
            joined = Document(f"{text}\n\n{body}", path=field, kind="text", channel=channel)
            found = rule.check(joined, view)
            findings.extend(f for f in found if f.span is not None and f.span.end <= len(text))
        else:
            findings.extend(rule.check(doc, view))
    families = tuple(sorted({family_of(r.code) for r in rules}))
    return list(_finish(findings, view, families, doc, field).findings)


def _field_findings(meta: Mapping[str, Any], body: str, policy: Policy, channel: str | None) -> list[Finding]:
    """The :func:`check_field` findings of the shown metadata fields, as findings on the message: no span in
    the message's text; the field and the span within it in the evidence, the field named in the message."""
    out = []
    for name in SHOWN_FIELDS:
        value = meta.get(name)
        if not isinstance(value, str):
            continue
        for f in check_field(value, policy, field=name, body=body, channel=channel):
            evidence = {**f.evidence, "field": name}
            if f.span is not None:
                evidence["field_span"] = [f.span.start, f.span.end]
            out.append(replace(f, message=f"{name}: {f.message}", span=None, fix=None, evidence=evidence))
    return out


def check_text(
    text: str,
    policy: Policy,
    *,
    channel: str | None = None,
    path: str | None = None,
    kind: Kind = "text",
    metadata: Metadata | None = None,
    conversation: ConversationLike | None = None,
) -> Result:
    """Check a string of plain text, Markdown or HTML; ``metadata`` and ``conversation`` as in :func:`check`.
    The words of a subject line or preheader given in ``metadata`` are checked too (:func:`check_field`)."""
    meta = message_metadata(metadata, policy)
    doc = Document(text, path=path, kind=kind, channel=channel, meta=meta)
    if conversation is not None:
        attach_conversation(doc, parse_conversation(conversation))
    result = check_document(doc, policy)
    fields = _field_findings(meta, text, policy, channel) if any(k in meta for k in SHOWN_FIELDS) else []
    if not fields:
        return result
    view = policy.for_channel(channel) if channel != policy.channel else policy
    kinds = ("text", "html") if doc.kind == "html" else ("text",)
    return _finish([*result.findings, *fields], view, _families_for(view, kinds), doc, path)


def check(
    text: str,
    policy: Policy,
    channel: str | None = None,
    *,
    kind: Kind = "text",
    metadata: Metadata | None = None,
    conversation: ConversationLike | None = None,
) -> Result:
    """Check ``text`` against ``policy`` (for ``channel`` when given) and return the :class:`Result`.

    ``metadata`` is what is known about the message besides its text (:class:`~brandrail.text.meta.MessageMeta`):
    ``subject``, ``preheader``, ``sender`` (str) and ``sponsored``, ``ai_generated``, ``has_offer``,
    ``marketing`` (bool), plus keys the policy's conditional disclosures use. An unknown key or a wrong type
    raises :class:`~brandrail.errors.InputError` naming it.

    ``conversation`` (a list of ``{"role": "customer" | "agent", "text": ...}``, oldest first) is what came
    before ``text`` when it is a reply: tone targets then follow the customer's state (docs/voice.md).
    """
    return check_text(text, policy, channel=channel, kind=kind, metadata=metadata, conversation=conversation)


def delivered_errors(
    value: Any, policy: Policy, *, channel: str | None = None, path: str | None = None
) -> list[Finding]:
    """The error findings in the text of a tool's argument ``value`` (a string, or the strings nested in its
    lists and objects) as the tool may deliver it (:func:`~brandrail.text.nested.delivered_forms`: its parts
    as paragraphs with the objects' keys, and its strings run together), one per code and message. Used by
    the agent gateway's ``check_args`` and the gate's custom-action ``content``."""
    from brandrail.text.nested import delivered_forms, texts_in

    labelled = texts_in(value, keys=True)
    if not labelled:
        return []
    found: dict[tuple[str, str], Finding] = {}
    for text, kind in delivered_forms(texts_in(value), labelled):
        for f in check_text(text, policy, kind=kind, channel=channel, path=path).errors:
            found.setdefault((f.code, f.message), f)
    return list(found.values())


def _check_image(name: str, data: bytes, policy: Policy) -> Result:
    try:
        from brandrail.creative import open_image
    except ImportError:
        raise InputError(
            "image checks are not available in this installation", location=Location(name)
        ) from None
    subject: Any = open_image(name, data)
    rules = _rules_for(policy, ("image",))
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule.check(subject, policy))
    return _finish(findings, policy, _families_for(policy, ("image",)), None, name)


def check_paths(
    paths: list[str],
    policy: Policy,
    *,
    channel: str | None = None,
    max_bytes: int | None = None,
    stdin_kind: Kind = "text",
    metadata: Metadata | None = None,
) -> Iterator[tuple[Result, Document | None]]:
    """Check files, folders (recursively) and ``-`` (standard input); yields each result with its Document.

    Every path is validated before the first result is produced, so a bad path fails the run up front.
    ``metadata`` (validated first) applies to every text document, as in :func:`check`.
    """
    view = policy.for_channel(channel)
    meta = message_metadata(metadata, policy)
    items = list(discover(paths))
    loaded: list[tuple[str, bytes, str]] = [(*read_input(path, max_bytes), kind) for path, kind in items]
    docs: list[Document | None] = []
    for name, raw, kind in loaded:
        if kind == "image":
            docs.append(None)
            continue
        doc_kind: Kind = stdin_kind if kind == "stdin" else kind  # type: ignore[assignment]
        docs.append(Document(decode(raw, name), path=name, kind=doc_kind, channel=channel, meta=dict(meta)))
    prefetch(view, [d for d in docs if d is not None])
    for (name, raw, _kind), doc in zip(loaded, docs, strict=True):
        if doc is None:
            yield _check_image(name, raw, view), None
        else:
            yield check_document(doc, view), doc


def prefetch(policy: Policy, docs: list[Document]) -> None:
    """Let rules that batch work (embeddings) see every document of a run before they are checked one by one.

    A rule opts in by defining ``prefetch(self, docs, policy)``.
    """
    if not docs:
        return
    # the kinds check_document will run: HTML rules (and their imports) only when an HTML document is there
    kinds = ("text", "html") if any(d.kind == "html" for d in docs) else ("text",)
    for rule in _rules_for(policy, kinds):
        hook = getattr(rule, "prefetch", None)
        if hook is not None:
            hook(docs, policy)


def check_many(
    texts: list[str],
    policy: Policy,
    *,
    channel: str | None = None,
    kind: Kind = "text",
    metadata: Metadata | Sequence[Metadata | None] | None = None,
    conversation: ConversationLike | None = None,
) -> list[Result]:
    """Check many messages at once (rules that batch, like voice similarity, run faster this way).

    ``metadata`` is one mapping for every message, or a list with one mapping (or None) per message.
    ``conversation``, when given, is the one conversation every text replies to (candidate replies).
    """
    view = policy.for_channel(channel)
    if metadata is None or isinstance(metadata, Mapping):
        shared = message_metadata(metadata, policy)
        metas = [shared] * len(texts)
    else:
        if len(metadata) != len(texts):
            raise InputError(
                f"metadata has {len(metadata)} entries for {len(texts)} messages",
                location="metadata",
                hint="pass one mapping for all messages, or a list with one entry per message",
            )
        metas = [message_metadata(m, policy, where=f"metadata[{i}]") for i, m in enumerate(metadata)]
    parsed = parse_conversation(conversation) if conversation is not None else None
    docs = [Document(t, kind=kind, channel=channel, meta=dict(m)) for t, m in zip(texts, metas, strict=True)]
    for doc in docs:
        attach_conversation(doc, parsed)
    prefetch(view, docs)
    return [check_document(d, view) for d in docs]
