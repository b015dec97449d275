"""`brandrail lsp` driven by pygls's LanguageClient over stdio: diagnostics as a writer types, quick fixes."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

ROOT = Path(__file__).resolve().parents[2]
POLICY = """\
brand:
  name: Acme
  trademarks:
    - term: GORE-TEX
terms:
  banned:
    - term: flimsy
      replacement: lightweight
channels:
  sms:
    kind: sms
    max_length: 20
"""


async def _session(folder: Path, steps: Any, capabilities: lsp.ClientCapabilities | None = None) -> Any:
    client = LanguageClient("brandrail-test", "1")
    published: dict[str, list[lsp.Diagnostic]] = {}
    arrived = asyncio.Condition()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    async def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        async with arrived:
            published[params.uri] = list(params.diagnostics)
            arrived.notify_all()

    async def wait_for(uri: str, predicate: Any) -> list[lsp.Diagnostic]:
        async with arrived:
            await asyncio.wait_for(
                arrived.wait_for(lambda: uri in published and predicate(published[uri])), 120
            )
            return published[uri]

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("BRANDRAIL_POLICY", None)
    await client.start_io(
        sys.executable, "-c", "from brandrail.cli import main; main()", "lsp", env=env, cwd=folder
    )
    try:
        client.initialize_result = await client.initialize_async(  # type: ignore[attr-defined]
            lsp.InitializeParams(
                capabilities=capabilities or lsp.ClientCapabilities(),
                root_uri=from_fs_path(str(folder)),
            )
        )
        client.initialized(lsp.InitializedParams())
        return await steps(client, published, wait_for)
    finally:
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()


def test_diagnostics_on_open_and_change_and_a_quick_fix(tmp_path: Path) -> None:
    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    doc = tmp_path / "post.md"
    uri = from_fs_path(str(doc))
    text = "# Launch 🎉\n\nOur flimsy gore-tex jacket.\n"

    async def steps(client: LanguageClient, published: Any, wait_for: Any) -> Any:
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
            )
        )
        first = await wait_for(uri, lambda d: len(d) >= 2)
        flimsy = next(d for d in first if d.code == "BR101")
        actions = await client.text_document_code_action_async(
            lsp.CodeActionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                range=flimsy.range,
                context=lsp.CodeActionContext(diagnostics=[flimsy]),
            )
        )
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text="Our GORE-TEX jacket.\n")],
            )
        )
        after = await wait_for(uri, lambda d: len(d) == 0)
        return first, actions, after

    first, actions, after = asyncio.run(_session(tmp_path, steps))
    by_code = {d.code: d for d in first}
    assert {"BR101", "BR103"} <= set(by_code)
    flimsy = by_code["BR101"]
    # line 2 (0-based), "Our " is 4 code units; the emoji on line 0 does not shift other lines
    assert (flimsy.range.start.line, flimsy.range.start.character, flimsy.range.end.character) == (2, 4, 10)
    assert flimsy.severity == lsp.DiagnosticSeverity.Error and flimsy.source == "brandrail"
    assert flimsy.code_description is not None and flimsy.code_description.href.endswith("/BR101.md")
    assert actions and actions[0].kind == lsp.CodeActionKind.QuickFix
    edits = actions[0].edit.changes[uri]
    assert [
        (e.range.start.line, e.range.start.character, e.range.end.character, e.new_text) for e in edits
    ] == [(2, 4, 10, "lightweight")]
    assert after == []


def test_utf16_columns_and_channel_from_front_matter(tmp_path: Path) -> None:
    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    uri = from_fs_path(str(tmp_path / "sms.md"))
    text = "---\nchannel: sms\n---\n𝒜 flimsy and long enough\n"

    async def steps(client: LanguageClient, published: Any, wait_for: Any) -> Any:
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
            )
        )
        return await wait_for(uri, lambda d: any(x.code == "BR401" for x in d))

    diagnostics = asyncio.run(_session(tmp_path, steps))
    flimsy = next(d for d in diagnostics if d.code == "BR101")
    # "𝒜 " is 2 code points but 3 UTF-16 code units
    assert (flimsy.range.start.line, flimsy.range.start.character) == (3, 3)


def test_a_broken_policy_is_one_diagnostic_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "brandrail.yaml").write_text("terms: [\n", encoding="utf-8")
    uri = from_fs_path(str(tmp_path / "m.txt"))

    async def steps(client: LanguageClient, published: Any, wait_for: Any) -> Any:
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(
                    uri=uri, language_id="plaintext", version=1, text="hello\n"
                )
            )
        )
        return await wait_for(uri, lambda d: len(d) == 1)

    (diagnostic,) = asyncio.run(_session(tmp_path, steps))
    assert diagnostic.message.startswith("brandrail could not check this file:")
    assert "invalid YAML" in diagnostic.message and diagnostic.code == "POLICY"


def test_html_diagnostics_point_into_the_markup(tmp_path: Path) -> None:
    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    uri = from_fs_path(str(tmp_path / "mail.html"))
    text = "<html><body>\n<p>So <b>flimsy</b>!</p>\n<script>var flimsy = 1;</script>\n</body></html>\n"

    async def steps(client: LanguageClient, published: Any, wait_for: Any) -> Any:
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(uri=uri, language_id="html", version=1, text=text)
            )
        )
        return await wait_for(uri, lambda d: any(x.code == "BR101" for x in d))

    diagnostics = asyncio.run(_session(tmp_path, steps))
    banned = [d for d in diagnostics if d.code == "BR101"]
    assert len(banned) == 1  # the word in <script> is code, not copy
    start = banned[0].range.start
    assert (start.line, start.character) == (1, 9)
    assert text.splitlines()[1][9:15] == "flimsy"


def _server_with_workspace(folder: Path, encoding: str = lsp.PositionEncodingKind.Utf16) -> Any:
    from pygls.workspace import Workspace

    from brandrail.lsp import create_server

    server = create_server()
    server.protocol._workspace = Workspace(
        from_fs_path(str(folder)), lsp.TextDocumentSyncKind.Full, [], encoding
    )
    return server


def test_lines_end_only_where_lsp_ends_them(tmp_path: Path) -> None:
    """A form feed, U+2028, NEL and the other separators str.splitlines() knows stay inside a line (as in an
    editor); a lone CR ends one. The diagnostic and its Quick Fix both point at the word."""
    from brandrail.lsp import diagnostics_for

    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    server = _server_with_workspace(tmp_path)
    uri = from_fs_path(str(tmp_path / "post.md"))
    cases = {
        # text: (line, start, end) of "flimsy" in UTF-16 code units
        "a\u2028b flimsy x\n": (0, 4, 10),
        "😀\u2029😀 flimsy": (0, 6, 12),
        "a\x0cb\n😀 flimsy\n": (1, 3, 9),
        "a\x0b\x1c\x1d\x1e\x85 flimsy\n": (0, 7, 13),
        "a\rb flimsy\n": (1, 2, 8),
        "x\r\n😀😀 flimsy\r\nok": (1, 5, 11),
        "x\r\r\n\n\rflimsy": (4, 0, 6),
    }
    for text, (line, start, end) in cases.items():
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert lines[line].encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le") == "flimsy"
        (diagnostic,) = [d for d in diagnostics_for(server, uri, text, "markdown") if d.code == "BR101"]
        got = (diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.character)
        assert got == (line, start, end), repr(text)
        assert diagnostic.range.end.line == line
        assert isinstance(diagnostic.data, dict)
        (edit,) = diagnostic.data["edits"]
        assert edit["range"] == {
            "start": {"line": line, "character": start},
            "end": {"line": line, "character": end},
        }


def test_utf32_clients_get_code_points(tmp_path: Path) -> None:
    from brandrail.lsp import diagnostics_for

    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    server = _server_with_workspace(tmp_path, lsp.PositionEncodingKind.Utf32)
    uri = from_fs_path(str(tmp_path / "post.md"))
    (diagnostic,) = [
        d for d in diagnostics_for(server, uri, "𝒜\u2028𝒜 flimsy", "markdown") if d.code == "BR101"
    ]
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (0, 4)


def test_a_check_that_fails_is_an_error_diagnostic_not_a_clean_document(
    tmp_path: Path, monkeypatch: Any
) -> None:
    import brandrail.engine
    from brandrail.lsp import diagnostics_for

    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    server = _server_with_workspace(tmp_path)
    uri = from_fs_path(str(tmp_path / "post.md"))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(brandrail.engine, "check_document", broken)
    (diagnostic,) = diagnostics_for(server, uri, "Our flimsy jacket.\n", "markdown")
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error and diagnostic.code == "INTERNAL"
    assert diagnostic.message.startswith(
        "brandrail could not check this file: internal error (RecursionError"
    )


def test_a_document_over_the_size_limit_is_refused_with_a_diagnostic(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from brandrail.lsp import diagnostics_for

    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    server = _server_with_workspace(tmp_path)
    uri = from_fs_path(str(tmp_path / "post.md"))
    monkeypatch.setenv("BRANDRAIL_MAX_BYTES", "100")
    (diagnostic,) = diagnostics_for(server, uri, "é" * 60, "markdown")  # 60 characters, 120 bytes
    assert diagnostic.code == "IO001" and "over the size limit (100 bytes)" in diagnostic.message
    monkeypatch.setenv("BRANDRAIL_MAX_BYTES", "nonsense")
    (diagnostic,) = diagnostics_for(server, uri, "flimsy", "markdown")
    assert diagnostic.code == "INPUT" and "BRANDRAIL_MAX_BYTES" in diagnostic.message


def test_the_server_asks_for_whole_documents_and_checks_what_the_editor_shows(tmp_path: Path) -> None:
    """pygls applies incremental edits by str.splitlines() lines: after a U+2028 an edit would land elsewhere
    than in the editor. The server asks for full text on every change instead."""
    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    uri = from_fs_path(str(tmp_path / "post.md"))
    before = "Intro\u2028still line one\nOur jacket.\n"
    after = "Intro\u2028still line one\nOur flimsy jacket.\n"

    async def steps(client: LanguageClient, published: Any, wait_for: Any) -> Any:
        sync = client.initialize_result.capabilities.text_document_sync  # type: ignore[attr-defined]
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=before)
            )
        )
        await wait_for(uri, lambda d: d == [])
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=after)],
            )
        )
        return sync, await wait_for(uri, lambda d: len(d) == 1)

    sync, (diagnostic,) = asyncio.run(_session(tmp_path, steps))
    change = sync.change if isinstance(sync, lsp.TextDocumentSyncOptions) else sync
    assert change == lsp.TextDocumentSyncKind.Full
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (1, 4)


def test_a_quick_fix_from_before_an_edit_is_not_offered_and_edits_carry_the_version(tmp_path: Path) -> None:
    """A code action request can carry a diagnostic published for an older text (the writer kept typing): its
    edits would replace other characters than the word. Such a fix is dropped; a current one is tied to the
    document's version, so the client refuses it once the text moves on."""
    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    uri = from_fs_path(str(tmp_path / "post.md"))
    caps = lsp.ClientCapabilities(
        workspace=lsp.WorkspaceClientCapabilities(
            workspace_edit=lsp.WorkspaceEditClientCapabilities(document_changes=True)
        )
    )

    async def steps(client: LanguageClient, published: Any, wait_for: Any) -> Any:
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(
                    uri=uri, language_id="markdown", version=1, text="Our flimsy jacket.\n"
                )
            )
        )
        (old,) = await wait_for(uri, lambda d: len(d) == 1)

        async def actions_for(diagnostic: lsp.Diagnostic) -> Any:
            return await client.text_document_code_action_async(
                lsp.CodeActionParams(
                    text_document=lsp.TextDocumentIdentifier(uri=uri),
                    range=diagnostic.range,
                    context=lsp.CodeActionContext(diagnostics=[diagnostic]),
                )
            )

        current = await actions_for(old)
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text="So, our flimsy jacket.\n")],
            )
        )
        (new,) = await wait_for(uri, lambda d: len(d) == 1 and d[0].range.start.character == 8)
        stale = await actions_for(old)  # the client still had the old diagnostic
        fresh = await actions_for(new)
        return current, stale, fresh

    current, stale, fresh = asyncio.run(_session(tmp_path, steps, caps))
    assert not stale
    for actions, version, start in ((current, 1, 4), (fresh, 2, 8)):
        (action,) = actions
        (change,) = action.edit.document_changes
        assert change.text_document.version == version
        (edit,) = change.edits
        assert (edit.range.start.character, edit.range.end.character, edit.new_text) == (
            start,
            start + 6,
            "lightweight",
        )
