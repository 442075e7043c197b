"""The kinds of file the linter checks: a free import, so the command line can offer them as choices."""

# Kinds of JSON payload, each checked against `schemas/<kind>.schema.json`.
PAYLOAD_KINDS = ("send", "schedule", "campaign", "template")
TEMPLATE_BODY = "template-body"
# What `--kind` and the configuration's `kinds` accept; "auto" decides per file.
KINDS = ("auto", *PAYLOAD_KINDS, TEMPLATE_BODY)
