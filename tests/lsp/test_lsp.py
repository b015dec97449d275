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


async def _session(folder: Path, steps: Any) -> Any:
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
        await client.initialize_async(
            lsp.InitializeParams(
                capabilities=lsp.ClientCapabilities(),
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
