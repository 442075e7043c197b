"""Offline checks for MsgFlash payloads and templates.

Where things are (data flows one way; the core never prints, exits or imports click):

    cli.py            the shell: options → workflow.CheckRequest → exit code
    workflow.py       one `check` run: configuration, baseline, lint, the fix loop, report
    linter.py         lint_paths / lint_text: runs the stages, filters, sorts
    sources.py        path or stdin → text (the one file reader); documents.py → kind and data
    templates.py      the placeholder grammar (grammar/template.lark) and syntax errors
    rules/            placeholders.py (namespaces, fields), template_text.py (a whole template),
                      payloads.py (schema errors in plain words, advisories), crossfile.py
    contract.py       the schemas, compiled once; responses.py the documented answers
    registry.py       every rule: code, name, docs, severity, fixability
    formatters/       text, json, github, sarif, junit: render(result) -> str
    config.py         [tool.msgflash-lint]; baseline.py; fixes.py (edits at offsets)
    api.py            the one door for other code (the mock server, editors, scripts)

Where a change goes: a placeholder namespace → rules/placeholders.py (CLOSED_NAMESPACES) and the
renderer (mock_server/api/templates/rendering.py); a rule over a whole template text →
rules/template_text.py; an output format → formatters/<name>_format.py and FORMATS; a config key
→ config.py; a rule → registry.py (a constant and its place in RULES), then the check.
Importing this package stays free: the hook starts this program on every commit.
"""

__version__ = "0.1.0"
