"""The workspace's findings, the fix engine's edits and the assist tables as LSP types.

Positions go through DocumentPositions: offsets in code points on our side, the negotiated
encoding (UTF-16 by default) on the editor's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from lsprotocol import types

from msgflash_lint.diagnostics import Diagnostic, Severity
from msgflash_lint.language_server import assist
from msgflash_lint.language_server.positions import DocumentPositions
from msgflash_lint.language_server.workspace import Checked, Workspace

SOURCE = "msgflash-lint"
_SEVERITIES = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning}
_KINDS = {"namespace": types.CompletionItemKind.Module, "field": types.CompletionItemKind.Field,
          "key": types.CompletionItemKind.Property, "value": types.CompletionItemKind.EnumMember}


def lsp_range(positions: DocumentPositions, start: int, end: int) -> types.Range:
    return types.Range(start=types.Position(*positions.lsp_of_offset(start)),
                       end=types.Position(*positions.lsp_of_offset(end)))


def lsp_diagnostic(diagnostic: Diagnostic, positions: DocumentPositions) -> types.Diagnostic:
    start = positions.offset_of_linter(diagnostic.line, diagnostic.column)
    end = positions.offset_of_linter(diagnostic.end_line, diagnostic.end_column)
    return types.Diagnostic(
        range=lsp_range(positions, start, end), message=diagnostic.message,
        severity=_SEVERITIES[diagnostic.severity], code=diagnostic.code,
        code_description=types.CodeDescription(href=rule_docs_uri(diagnostic.code, diagnostic.rule)),
        source=SOURCE, data={"rule": diagnostic.rule, "fixable": diagnostic.fix is not None})


def rule_docs_uri(code: str, name: str) -> str:
    """The rule's section in rules.md: the copy inside the installed package, or the checkout's
    (a file URI works offline, and always names the version that found it)."""
    package = Path(__file__).resolve().parent.parent
    page = package / "docs" / "rules.md"
    if not page.is_file():
        page = package.parent / "docs" / "rules.md"
    return f"{page.as_uri()}#{code.lower()}-{name}"


# Code actions.

def code_actions(uri: str, checked: Checked, wanted: types.Range, positions: DocumentPositions,
                 project: Workspace, only: list[str] | None) -> list[types.CodeAction]:
    """A quick fix per fixable finding touching `wanted`, then "fix all" for the file."""
    actions: list[types.CodeAction] = []
    fixable = [d for d in checked.diagnostics if d.fix is not None]
    if _asked(only, types.CodeActionKind.QuickFix):
        for diagnostic in checked.diagnostics:
            fix = diagnostic.fix or diagnostic.unsafe_fix
            shown = lsp_diagnostic(diagnostic, positions)
            if fix is None or not _overlaps(shown.range, wanted):
                continue
            start, end, replacement = fix
            what = f"write `{replacement}`" if replacement else f"remove `{checked.text[start:end]}`"
            # A guess is offered, never preferred, and says so: it may change what the text means.
            title = f"Fix {diagnostic.code}: {what}" if diagnostic.fix else \
                f"Unsafe fix {diagnostic.code} (a guess, check it): {what}"
            actions.append(types.CodeAction(
                title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[shown],
                is_preferred=diagnostic.fix is not None,
                edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(lsp_range(positions, start, end), replacement)]})))
    if fixable and _asked(only, types.CodeActionKind.SourceFixAll):
        edit = _fix_all_edit(checked, positions, project)
        if edit is not None:
            actions.append(types.CodeAction(
                title="Fix all msgflash-lint findings that have one right answer (safe fixes)",
                kind=types.CodeActionKind.SourceFixAll, edit=types.WorkspaceEdit(changes={uri: [edit]})))
    return actions


def _asked(only: list[str] | None, kind: str) -> bool:
    """LSP kinds are hierarchical: asking for `source` includes `source.fixAll`."""
    return not only or any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _fix_all_edit(checked: Checked, positions: DocumentPositions, project: Workspace) -> types.TextEdit | None:
    """The fix loop of `check --fix` on the buffer, as one edit over the part that changes."""
    from msgflash_lint.fixes import fix_until_stable

    text = checked.text
    fixed, count = fix_until_stable(text, lambda t: project.check(checked.path, t, record=False).diagnostics)
    if not count or fixed == text:
        return None
    start = 0
    while start < min(len(text), len(fixed)) and text[start] == fixed[start]:
        start += 1
    end_old, end_new = len(text), len(fixed)
    while end_old > start and end_new > start and text[end_old - 1] == fixed[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    return types.TextEdit(lsp_range(positions, start, end_old), fixed[start:end_new])


# Completion and hover.

def completion_list(project: Workspace, path: str, text: str, offset: int,
                    positions: DocumentPositions) -> types.CompletionList | None:
    line_start = _line_start(text, offset)
    template_id = project.template_id_of(path)
    custom_keys = project.custom_keys(template_id) if template_id else []
    suggestions = assist.placeholder_suggestions(text[line_start:offset], custom_keys)
    if suggestions is None and path.endswith(".json"):
        spot = assist.json_spot(text, offset)
        suggestions = assist.json_suggestions(_json_kind(project, path, text), spot) if spot else None
    if suggestions is None:
        return None
    closing_quote = text[offset:offset + 1] == '"'
    items = []
    for suggestion in suggestions:
        end = offset + (1 if closing_quote and suggestion.insert.endswith('"') else 0)
        items.append(types.CompletionItem(
            label=suggestion.label, kind=_KINDS[suggestion.kind], detail=suggestion.detail,
            documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=suggestion.documentation)
            if suggestion.documentation else None,
            text_edit=types.TextEdit(lsp_range(positions, offset - suggestion.replaces, end),
                                     suggestion.insert or suggestion.label),
            filter_text=suggestion.insert or suggestion.label))
    return types.CompletionList(is_incomplete=False, items=items)


def _line_start(text: str, offset: int) -> int:
    """Where the line holding `offset` starts (after `\n`, `\r\n` or a lone `\r`, as LSP counts lines)."""
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def _json_kind(project: Workspace, path: str, text: str) -> str:
    """The payload kind of a document, half-typed ones included: the configuration's and the
    default name patterns, its content, then the keys it already has."""
    from msgflash_lint.documents import kind_from_content
    from msgflash_lint.paths import path_matches

    options = project.options
    for pattern, kind in options.kind_patterns:
        if kind != "template-body" and path_matches(path, (pattern,), options.path_root):
            return kind
    try:
        data = json.loads(text)
    except ValueError:
        data = {key: "" for key in re.findall(r'"([A-Za-z]+)"\s*:', text)}
    return kind_from_content(data) or "send"


def hover_at(checked: Checked, offset: int, positions: DocumentPositions) -> types.Hover | None:
    """The findings under the cursor (their rule, summary and fix), and what a placeholder there means."""
    parts = []
    for diagnostic in checked.diagnostics:
        start = positions.offset_of_linter(diagnostic.line, diagnostic.column)
        end = positions.offset_of_linter(diagnostic.end_line, diagnostic.end_column)
        if start <= offset <= max(end, start + 1):
            explained = assist.rule_hover(diagnostic.code)
            if explained:
                parts.append(f"{diagnostic.message}\n\n{explained}")
    text = checked.text
    line_start = _line_start(text, offset)
    line_end = min((i for i in (text.find("\n", offset), text.find("\r", offset)) if i >= 0), default=len(text))
    meaning = assist.placeholder_hover(text[line_start:line_end], offset - line_start)
    if meaning:
        parts.insert(0, meaning)
    if not parts:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))
