"""``brandrail lsp``: a Language Server that checks Markdown, plain text and HTML as a writer types.

A shell over the engine, like the CLI: it finds the policy as the CLI does (upwards from the open file,
then ``BRANDRAIL_POLICY``), chooses the channel as the CLI does (front matter ``channel:``, then the
policy's ``files:``), checks the buffer with :func:`brandrail.engine.check_document` and publishes each
finding as a diagnostic (code, link to the rule's docs, severity, the exact range). Findings with a safe
fix are offered as "Quick Fix" code actions that apply the fix's edits. A policy that cannot be loaded is
one diagnostic on the first line of each open document, with the policy error's message.

Positions: findings are offsets in code points; the server converts them to the client's encoding (UTF-16
unless the client negotiates another) with pygls's position codec. Lines are counted as LSP counts them —
ended by ``\n``, ``\r\n`` or ``\r`` only — never by :meth:`str.splitlines`, which also ends a line at a
form feed, U+2028 and other separators an editor shows inside a line (a diagnostic and its Quick Fix would
land on the wrong line). For the same reason the server asks for the whole document on every change
(``TextDocumentSyncKind.Full``): pygls applies incremental changes through ``splitlines`` and would check
a text other than the one in the editor.

Fail closed: a document that cannot be checked (the policy cannot be loaded, the document is over the size
limit, an internal error) gets one error diagnostic saying so, never an empty list that reads as clean.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from brandrail.errors import BrandrailError
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.text.document import Document, Kind

__all__ = ["DOCS_URL", "BrandrailLanguageServer", "create_server", "serve"]

DOCS_URL = "https://github.com/brandrail/brandrail/blob/main/docs/rules/{code}.md"
_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
_LANGUAGES: dict[str, Kind] = {"markdown": "markdown", "html": "html", "plaintext": "text", "text": "text"}
_EXTENSIONS: dict[str, Kind] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
}


class BrandrailLanguageServer(LanguageServer):
    """The server, with a cache of loaded policies keyed by file and modification time."""

    def __init__(self) -> None:
        from brandrail.report.model import tool_version

        super().__init__("brandrail", tool_version(), text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self._policies: dict[str, tuple[float, Policy]] = {}

    def policy_for(self, path: Path | None) -> Policy:
        from brandrail.engine import validate_rule_settings
        from brandrail.policy import load_policy
        from brandrail.policy.discovery import find_policy

        file = find_policy(None, [str(path)] if path is not None else [])
        key = str(Path(file).absolute())
        mtime = Path(file).stat().st_mtime if Path(file).exists() else 0.0
        cached = self._policies.get(key)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        policy = load_policy(file)
        validate_rule_settings(policy)
        self._policies[key] = (mtime, policy)
        return policy

    def forget_policies(self) -> None:
        self._policies.clear()


def _path_of(uri: str) -> Path | None:
    from pygls.uris import to_fs_path

    if not uri.startswith("file:"):
        return None
    fs = to_fs_path(uri)
    return Path(fs) if fs else None


def _kind(language_id: str | None, path: Path | None) -> Kind:
    if language_id and language_id in _LANGUAGES:
        return _LANGUAGES[language_id]
    if path is not None:
        return _EXTENSIONS.get(path.suffix.lower(), "text")
    return "text"


_LINE_END = re.compile(r"\r\n|\r|\n")


class _Lines:
    """A text's lines as LSP counts them (ended by ``\\n``, ``\\r\\n`` or ``\\r``), to turn offsets into positions."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.starts = [0]
        self.starts.extend(m.end() for m in _LINE_END.finditer(text))
        ends = [*self.starts[1:], len(text)]
        self.lines = [text[a:b] for a, b in zip(self.starts, ends, strict=True)]

    def position(self, offset: int) -> lsp.Position:
        """The code-point position of ``offset`` (clamped to the text)."""
        offset = max(0, min(offset, self.length))
        line = bisect_right(self.starts, offset) - 1
        return lsp.Position(line=line, character=offset - self.starts[line])

    def offset(self, ls: LanguageServer, position: lsp.Position) -> int:
        """The offset of a position in the client's units (clamped to its line and to the text)."""
        if position.line >= len(self.lines):
            return self.length
        at = ls.workspace.position_codec.position_from_client_units(self.lines, position)
        return self.starts[at.line] + max(0, min(at.character, len(self.lines[at.line])))

    def client_range(self, ls: LanguageServer, start: int, end: int) -> lsp.Range:
        """``[start, end)`` in the client's units (UTF-16 unless negotiated otherwise)."""
        codec = ls.workspace.position_codec
        return codec.range_to_client_units(
            self.lines, lsp.Range(start=self.position(start), end=self.position(end))
        )


def _range(lines: _Lines, f: Finding, ls: LanguageServer) -> lsp.Range:
    if f.span is None:
        return lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))
    return lines.client_range(ls, f.span.start, f.span.end)


def _not_checked(message: str, code: str) -> list[lsp.Diagnostic]:
    """One error diagnostic on the first line: the document was not checked (never an empty, clean list)."""
    return [
        lsp.Diagnostic(
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
            message=f"brandrail could not check this file: {message}",
            severity=lsp.DiagnosticSeverity.Error,
            source="brandrail",
            code=code,
        )
    ]


def diagnostics_for(
    ls: BrandrailLanguageServer, uri: str, text: str, language_id: str | None
) -> list[lsp.Diagnostic]:
    """The diagnostics for one buffer (also used by the tests without a client)."""
    from brandrail.engine import check_document
    from brandrail.policy.discovery import channel_for, front_matter_channel
    from brandrail.text.io import max_bytes

    path = _path_of(uri)
    kind = _kind(language_id, path)
    try:
        limit = max_bytes()
        if len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:
            return _not_checked(
                f"it is over the size limit ({limit:,} bytes); raise BRANDRAIL_MAX_BYTES to check it", "IO001"
            )
        policy = ls.policy_for(path)
        channel = front_matter_channel(text) if kind == "markdown" else None
        if channel is None and path is not None:
            channel = channel_for(str(path), policy.files, policy.source)
        view = policy.for_channel(channel)
        doc = Document(text, path=str(path) if path else uri, kind=kind, channel=channel)
        result = check_document(doc, view)
    except BrandrailError as exc:
        return _not_checked(str(exc).splitlines()[0], getattr(exc, "code", "BRANDRAIL"))
    except Exception as exc:  # a bug (even a RecursionError) must not read as a clean document
        detail = str(exc).splitlines()[0] if str(exc) else ""
        return _not_checked(
            f"internal error ({type(exc).__name__}{': ' + detail if detail else ''}); this is a bug, please "
            "report it",
            "INTERNAL",
        )
    lines = _Lines(text)
    out: list[lsp.Diagnostic] = []
    for f in result.findings:
        data: dict[str, Any] | None = None
        if f.fix is not None and f.fix.safe and f.fix.edits:
            data = {
                "description": f.fix.description,
                "edits": [
                    {
                        "range": _range_dict(ls, lines, e.start, e.end),
                        "newText": e.replacement,
                        "oldText": text[e.start : e.end],
                    }
                    for e in f.fix.edits
                ],
            }
        out.append(
            lsp.Diagnostic(
                range=_range(lines, f, ls),
                message=f.message,
                severity=_SEVERITY[f.severity],
                code=f.code,
                code_description=lsp.CodeDescription(href=DOCS_URL.format(code=f.code)),
                source="brandrail",
                data=data,
            )
        )
    return out


def _range_dict(ls: LanguageServer, lines: _Lines, start: int, end: int) -> dict[str, Any]:
    rng = lines.client_range(ls, start, end)
    return {
        "start": {"line": rng.start.line, "character": rng.start.character},
        "end": {"line": rng.end.line, "character": rng.end.character},
    }


def _current_edits(ls: LanguageServer, lines: _Lines, text: str, raw: Any) -> list[lsp.TextEdit] | None:
    """The Quick Fix edits a diagnostic carries, when the document still holds the text each one replaces;
    None when it does not (edited since the diagnostic was published) or the data is malformed."""
    edits: list[lsp.TextEdit] = []
    try:
        for item in raw:
            rng = lsp.Range(
                start=lsp.Position(**item["range"]["start"]), end=lsp.Position(**item["range"]["end"])
            )
            old = item.get("oldText")
            start, end = lines.offset(ls, rng.start), lines.offset(ls, rng.end)
            if not isinstance(old, str) or text[start:end] != old or not isinstance(item["newText"], str):
                return None
            edits.append(lsp.TextEdit(range=rng, new_text=item["newText"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return edits


def _workspace_edit(
    ls: LanguageServer, uri: str, version: int | None, edits: list[lsp.TextEdit]
) -> lsp.WorkspaceEdit:
    """The edits for the document's version (the client refuses them once it has moved on), when the client
    takes versioned edits; plain edits otherwise."""
    workspace = ls.client_capabilities.workspace
    edit_caps = workspace.workspace_edit if workspace is not None else None
    if edit_caps is not None and edit_caps.document_changes:
        identifier = lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        return lsp.WorkspaceEdit(
            document_changes=[lsp.TextDocumentEdit(text_document=identifier, edits=list(edits))]
        )
    return lsp.WorkspaceEdit(changes={uri: edits})


def create_server() -> BrandrailLanguageServer:
    """A server with its features registered (not started)."""
    server = BrandrailLanguageServer()

    def publish(ls: BrandrailLanguageServer, uri: str, version: int | None = None) -> None:
        document = ls.workspace.get_text_document(uri)
        diagnostics = diagnostics_for(ls, uri, document.source, document.language_id)
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: BrandrailLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri, params.text_document.version)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: BrandrailLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        publish(ls, params.text_document.uri, params.text_document.version)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: BrandrailLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        path = _path_of(params.text_document.uri)
        if path is not None and path.name.endswith((".yaml", ".yml")):
            ls.forget_policies()  # a policy was saved: check every open document again
            for uri in list(ls.workspace.text_documents):
                publish(ls, uri)
            return
        publish(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: BrandrailLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def code_action(ls: BrandrailLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        actions: list[lsp.CodeAction] = []
        uri = params.text_document.uri
        document = ls.workspace.get_text_document(uri)
        lines = _Lines(document.source)
        for diagnostic in params.context.diagnostics:
            data = diagnostic.data
            if diagnostic.source != "brandrail" or not isinstance(data, dict) or not data.get("edits"):
                continue
            edits = _current_edits(ls, lines, document.source, data["edits"])
            if edits is None:  # the text changed since the diagnostic: its edits would land elsewhere
                continue
            actions.append(
                lsp.CodeAction(
                    title=f"brandrail: {data.get('description') or 'apply the safe fix'} ({diagnostic.code})",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=_workspace_edit(ls, uri, document.version, edits),
                    is_preferred=True,
                )
            )
        return actions

    return server


def serve() -> None:
    """Run the server on standard input and output until the client asks it to exit."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    create_server().start_io()
