"""`msgflash-lint server` driven over stdio by a real LSP client (pytest-lsp), as an editor would:
initialize, open, change, diagnostics with exact ranges, quick fixes applied and re-checked,
completion, hover, cross-file re-publish, half-typed JSON, shutdown and exit with status 0."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from msgflash_lint.language_server.positions import DocumentPositions

TEMPLATE_ID = "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"
INSTANCE = "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10"
TEMPLATE_TEXT = "Bonjour {{contact.firstName}}, votre code : {{custom.code}}\n"
PAYLOAD = {"instanceId": INSTANCE, "to": "+33612345678", "templateId": TEMPLATE_ID,
           "contactId": "3c9e2a71-5b4d-4f8e-a6c1-7d2b9e0f4a15", "variables": {"code": "PROMO10"}}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "msgflash" / "templates").mkdir(parents=True)
    (tmp_path / "msgflash" / "templates" / f"relance.{TEMPLATE_ID}.txt").write_text(TEMPLATE_TEXT)
    (tmp_path / "msgflash" / "send-relance.json").write_text(json.dumps(PAYLOAD, indent=2) + "\n")
    (tmp_path / "package.json").write_text('{"name": "shop"}\n')
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-c", "from msgflash_lint.cli import main; main()", "server"]))
async def client(lsp_client: LanguageClient, project: Path):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=project.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="shop")]))
    yield
    await lsp_client.shutdown_session()


def _open(client: LanguageClient, path: Path, text: str | None = None, language: str = "plaintext") -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id=language, version=1, text=path.read_text() if text is None else text)))
    return uri


async def _diagnostics(client: LanguageClient, uri: str, count: int | None = None) -> list[types.Diagnostic]:
    """The diagnostics published for `uri` once the server has answered (and, with `count`, once there are that many)."""
    for _ in range(200):
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS) \
            if uri not in client.diagnostics else await asyncio.sleep(0.01)
        found = client.diagnostics.get(uri)
        if found is not None and (count is None or len(found) == count):
            return list(found)
    raise AssertionError(f"no diagnostics for {uri}: {client.diagnostics.get(uri)}")


def _range(line: int, start: int, end_line: int, end: int) -> types.Range:
    return types.Range(start=types.Position(line, start), end=types.Position(end_line, end))


def _change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


@pytest.mark.asyncio
async def test_diagnostics_on_open_with_exact_utf16_ranges_and_rule_links(client: LanguageClient, project: Path) -> None:
    path = project / "msgflash" / "templates" / "welcome.txt"
    text = "👋🏽 Hé {{contcat.firstName}} {{ contact.phone }}\n"
    path.write_text(text)
    uri = _open(client, path)
    found = await _diagnostics(client, uri)
    assert [(d.code, d.severity) for d in found] == [
        ("MFL105", types.DiagnosticSeverity.Error), ("MFL111", types.DiagnosticSeverity.Warning)]
    # Two emoji of two UTF-16 units each (the linter counts two code points), a space, "Hé", a space,
    # then `{{`: the path `contcat.firstName` spans units 10 to 27.
    assert found[0].range == _range(0, 10, 0, 27)
    assert found[0].message == "unknown namespace `contcat`; did you mean `contact`?"
    assert found[0].source == "msgflash-lint"
    assert found[0].code_description.href.endswith("rules.md#mfl105-unknown-namespace")
    assert Path(found[0].code_description.href.removeprefix("file://").split("#")[0]).is_file()
    assert found[1].range == _range(0, 30, 0, 49)


@pytest.mark.asyncio
async def test_a_change_is_checked_again_and_a_quick_fix_clears_the_finding(client: LanguageClient,
                                                                            project: Path) -> None:
    path = project / "msgflash" / "templates" / "welcome.txt"
    path.write_text("Hi {{contact.firstName}}\n")
    uri = _open(client, path)
    assert await _diagnostics(client, uri) == []
    _change(client, uri, 2, "Hi {{contcat.firstName}}\n")
    found = await _diagnostics(client, uri, 1)
    assert found[0].code == "MFL105"
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=found[0].range,
        context=types.CodeActionContext(diagnostics=found)))
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert len(quick) == 1 and quick[0].is_preferred and quick[0].title == "Fix MFL105: write `contact.firstName`"
    (edit,) = quick[0].edit.changes[uri]
    assert edit.range == _range(0, 5, 0, 22) and edit.new_text == "contact.firstName"
    fixed = _apply("Hi {{contcat.firstName}}\n", edit)
    assert fixed == "Hi {{contact.firstName}}\n"
    _change(client, uri, 3, fixed)
    assert await _diagnostics(client, uri, 0) == []


@pytest.mark.asyncio
async def test_fix_all_rewrites_every_safe_fix_of_the_file(client: LanguageClient, project: Path) -> None:
    path = project / "msgflash" / "templates" / "welcome.txt"
    text = "Hi {{ contcat.firstname }} and {{usr.email}}\n"
    path.write_text(text)
    uri = _open(client, path)
    await _diagnostics(client, uri)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=_range(0, 0, 0, 0),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll])))
    (fix_all,) = actions
    (edit,) = fix_all.edit.changes[uri]
    assert _apply(text, edit) == "Hi {{contact.firstName}} and {{user.email}}\n"


def _apply(text: str, edit: types.TextEdit) -> str:
    positions = DocumentPositions(text)
    start = positions.offset_of_lsp(edit.range.start.line, edit.range.start.character)
    end = positions.offset_of_lsp(edit.range.end.line, edit.range.end.character)
    return text[:start] + edit.new_text + text[end:]


@pytest.mark.asyncio
async def test_a_template_change_republishes_the_payloads_that_use_it(client: LanguageClient, project: Path) -> None:
    template = project / "msgflash" / "templates" / f"relance.{TEMPLATE_ID}.txt"
    payload = project / "msgflash" / "send-relance.json"
    payload_uri = _open(client, payload, language="json")
    assert await _diagnostics(client, payload_uri) == []
    template_uri = _open(client, template)
    await _diagnostics(client, template_uri)
    client.diagnostics.pop(payload_uri, None)
    _change(client, template_uri, 2, TEMPLATE_TEXT.replace("\n", " {{custom.coupon}}\n"))
    found = await _diagnostics(client, payload_uri, 1)
    assert found[0].code == "MFL301" and "custom.coupon" in found[0].message
    # The payload gives the variable: the finding goes away.
    fixed = dict(PAYLOAD, variables={"code": "PROMO10", "coupon": "X"})
    _change(client, payload_uri, 2, json.dumps(fixed, indent=2))
    assert await _diagnostics(client, payload_uri, 0) == []


@pytest.mark.asyncio
async def test_a_payload_is_checked_against_a_template_on_disk(client: LanguageClient, project: Path) -> None:
    path = project / "msgflash" / "send-other.json"
    text = json.dumps({**PAYLOAD, "variables": {}}, indent=2)
    uri = _open(client, path, text, "json")
    found = await _diagnostics(client, uri)
    assert [d.code for d in found] == ["MFL301"]
    assert found[0].range.start.line == 5  # `"variables": {}` on the sixth line


@pytest.mark.asyncio
async def test_half_typed_json_gets_a_finding_and_the_server_lives_on(client: LanguageClient, project: Path) -> None:
    path = project / "msgflash" / "send.json"
    uri = _open(client, path, '{"instanceId": "', "json")
    found = await _diagnostics(client, uri)
    assert [d.code for d in found] == ["MFL005"]
    for version, text in enumerate(['{"to": ', "{", '{"to": "+336", }', "[", '"', "\ud800"], start=2):
        _change(client, uri, version, text)
        await _diagnostics(client, uri)
    _change(client, uri, 20, json.dumps({"instanceId": INSTANCE, "to": "+33612345678", "type": "text", "text": "Hi"}))
    assert await _diagnostics(client, uri, 0) == []


@pytest.mark.asyncio
async def test_files_the_linter_does_not_check_get_nothing(client: LanguageClient, project: Path) -> None:
    uri = _open(client, project / "package.json", language="json")
    assert await _diagnostics(client, uri) == []
    notes = project / "notes.txt"
    notes.write_text("{{contcat.x}}")
    assert await _diagnostics(client, _open(client, notes)) == []


@pytest.mark.asyncio
async def test_completion_of_namespaces_fields_and_custom_keys(client: LanguageClient, project: Path) -> None:
    template = project / "msgflash" / "templates" / f"relance.{TEMPLATE_ID}.txt"
    uri = _open(client, template, "Hi {{")
    await _diagnostics(client, uri)

    async def labels(text: str) -> list[str]:
        _change(client, uri, 2, text)
        result = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, len(text))))
        return [item.label for item in result.items]

    assert await labels("Hi {{") == ["contact", "user", "instance", "custom"]
    assert await labels("Hi {{contact.") == ["name", "firstName", "phone", "tags", "meta"]
    assert await labels("Hi {{user.f") == ["fullName", "email", "phone"]
    assert await labels("Hi {{custom.") == ["code"]  # the keys send-relance.json gives this template


@pytest.mark.asyncio
async def test_completion_of_payload_fields_and_enum_values(client: LanguageClient, project: Path) -> None:
    path = project / "msgflash" / "send.json"
    text = '{\n  "instanceId": "x",\n  "type": "'
    uri = _open(client, path, text, "json")
    await _diagnostics(client, uri)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(2, 11)))
    assert "text" in [i.label for i in result.items] and "buttons" in [i.label for i in result.items]
    text_item = next(i for i in result.items if i.label == "image")
    assert text_item.text_edit.new_text == '"image"' and text_item.text_edit.range == _range(2, 10, 2, 11)
    keys = '{\n  "instanceId": "x",\n  "'
    _change(client, uri, 2, keys)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(2, 3)))
    assert {"to", "type", "templateId", "mediaUrl"} <= {i.label for i in result.items}


@pytest.mark.asyncio
async def test_hover_on_a_placeholder_and_on_a_finding(client: LanguageClient, project: Path) -> None:
    path = project / "msgflash" / "templates" / "welcome.txt"
    text = "Hi {{contact.firstName}} {{contcat.name}}\n"
    uri = _open(client, path, text)
    await _diagnostics(client, uri)
    meaning = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 8)))
    assert "the first word of the contact's name" in meaning.contents.value
    rule = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 29)))
    assert "MFL105 `unknown-namespace`" in rule.contents.value and "**Fix:**" in rule.contents.value


def _message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def test_exit_ends_the_process_with_status_0_after_shutdown(project: Path) -> None:
    """The protocol's end, as an editor closes the session: `shutdown`, then `exit`, then status 0."""
    import subprocess


    messages = [{"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"processId": None, "rootUri": project.as_uri(), "capabilities": {}}},
                {"jsonrpc": "2.0", "method": "initialized", "params": {}}]
    messages += [{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}]
    run = subprocess.run([sys.executable, "-c", "from msgflash_lint.cli import main; main()", "server"],
                         input=b"".join(map(_message, messages)), capture_output=True, timeout=30)
    assert run.returncode == 0, run.stderr
    assert b'"capabilities"' in run.stdout and b"Traceback" not in run.stderr


@pytest.mark.asyncio
async def test_an_incremental_change_is_applied_and_checked(client: LanguageClient, project: Path) -> None:
    """The server asks for incremental sync: a change of one range (after an emoji, in UTF-16 units)."""
    path = project / "msgflash" / "templates" / "welcome.txt"
    text = "👋 Hi {{contact.firstName}}\n"
    uri = _open(client, path, text)
    assert await _diagnostics(client, uri) == []
    client.diagnostics.pop(uri, None)
    # Replace `contact` (UTF-16 units 8 to 15: the emoji counts two) with `contcat`.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(range=_range(0, 8, 0, 15), text="contcat")]))
    (found,) = await _diagnostics(client, uri, 1)
    assert found.code == "MFL105" and found.range == _range(0, 8, 0, 25)
