"""The pygls server: LSP messages in, the workspace's results out as LSP types.

Every handler is guarded: an error while serving one request is logged to the client
(`window/logMessage`) and answered with nothing, and the server goes on serving the next.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from msgflash_lint import __version__
from msgflash_lint.language_server.answers import SOURCE, lsp_diagnostic
from msgflash_lint.language_server.positions import DocumentPositions
from msgflash_lint.language_server.workspace import Checked, Workspace


class MsgFlashServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.project: Workspace | None = None
        self.checked: dict[str, Checked] = {}  # uri → the last findings published for it

    @property
    def encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return getattr(encoding, "value", encoding) or "utf-16"

    def positions(self, text: str) -> DocumentPositions:
        return DocumentPositions(text, self.encoding)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def publish(self, results: list[Checked]) -> None:
        for result in results:
            uri = from_fs_path(result.path)
            self.checked[uri] = result
            positions = self.positions(result.text)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=[lsp_diagnostic(d, positions) for d in result.diagnostics]))

    def current(self, uri: str) -> Checked | None:
        """The findings of the document as the editor holds it now (checked again if they are stale)."""
        path = to_fs_path(uri)
        text = self.workspace.get_text_document(uri).source
        checked = self.checked.get(uri)
        if path is None or self.project is None:
            return None
        if checked is None or checked.text != text:
            checked = self.project.check(path, text)
            self.checked[uri] = checked
        return checked


server = MsgFlashServer()


def guarded(handler):
    """Log a failure to the client and answer nothing: one bad request never ends the session."""
    @functools.wraps(handler)
    def run(ls: MsgFlashServer, params):
        try:
            return handler(ls, params)
        except Exception as error:  # the server lives on; the editor's log says what broke
            import traceback

            ls.log(f"msgflash-lint: internal error in {handler.__name__}: {type(error).__name__}: {error}\n"
                   f"{traceback.format_exc()}", types.MessageType.Error)
            return None
    return run


@server.feature(types.INITIALIZED)
@guarded
def initialized(ls: MsgFlashServer, params: types.InitializedParams) -> None:
    root = ls.workspace.root_path
    ls.project = Workspace(Path(root) if root else None)
    for warning in ls.project.config_warnings:
        ls.log(warning, types.MessageType.Warning)
    if ls.project.config_problem:
        ls.window_show_message(types.ShowMessageParams(
            type=types.MessageType.Error, message=f"msgflash-lint: {ls.project.config_problem} (using the defaults)"))


def _project(ls: MsgFlashServer) -> Workspace:
    if ls.project is None:  # a client that never sent `initialized`
        root = ls.workspace.root_path
        ls.project = Workspace(Path(root) if root else Path(os.getcwd()))
    return ls.project


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded
def did_open(ls: MsgFlashServer, params: types.DidOpenTextDocumentParams) -> None:
    path = to_fs_path(params.text_document.uri)
    if path is not None:
        ls.publish(_project(ls).open(path, params.text_document.text))


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded
def did_change(ls: MsgFlashServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = to_fs_path(uri)
    if path is not None:  # pygls applied the changes (full or incremental) to its copy already
        ls.publish(_project(ls).changed(path, ls.workspace.get_text_document(uri).source))


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded
def did_close(ls: MsgFlashServer, params: types.DidCloseTextDocumentParams) -> None:
    path = to_fs_path(params.text_document.uri)
    if path is not None:
        ls.publish(_project(ls).closed(path))
        ls.checked.pop(params.text_document.uri, None)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]))
@guarded
def code_action(ls: MsgFlashServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    from msgflash_lint.language_server.answers import code_actions

    uri = params.text_document.uri
    checked = ls.current(uri)
    if checked is None:
        return None
    return code_actions(uri, checked, params.range, ls.positions(checked.text), _project(ls), params.context.only)


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["{", ".", '"']))
@guarded
def completion(ls: MsgFlashServer, params: types.CompletionParams) -> types.CompletionList | None:
    from msgflash_lint.language_server.answers import completion_list

    uri = params.text_document.uri
    path = to_fs_path(uri)
    project = _project(ls)
    if path is None or not project.serves(path):
        return None
    text = ls.workspace.get_text_document(uri).source
    positions = ls.positions(text)
    offset = positions.offset_of_lsp(params.position.line, params.position.character)
    return completion_list(project, path, text, offset, positions)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded
def hover(ls: MsgFlashServer, params: types.HoverParams) -> types.Hover | None:
    from msgflash_lint.language_server.answers import hover_at

    uri = params.text_document.uri
    checked = ls.current(uri)
    if checked is None or not _project(ls).serves(checked.path):
        return None
    positions = ls.positions(checked.text)
    return hover_at(checked, positions.offset_of_lsp(params.position.line, params.position.character), positions)


def serve() -> None:
    """Serve over standard input and output until the client says `exit`."""
    server.start_io()
