"""`msgflash-lint server`: the linter in the editor, over the Language Server Protocol (pygls).

positions.py   the linter's 1-based code-point columns ↔ LSP positions (UTF-16 by default)
workspace.py   the workspace's documents and the cross-file facts between them; no LSP types
assist.py      completion and hover: what a placeholder or a payload field can be, and means
answers.py     those results and the fix engine's edits as LSP types (code actions, completion, hover)
server.py      the pygls server: the protocol's messages → workspace → diagnostics, fixes, help

The engine is the linter's own (`lint_in_workspace`): same codes, messages, severities and spans
as `msgflash-lint check`.
"""
