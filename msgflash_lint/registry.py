"""Every rule the linter knows, with its metadata: codes live here and nowhere else.

`msgflash-lint rules`, docs/rules.md, SARIF `tool.driver.rules` and the mock
server's error `details` all read this tuple. A retired rule keeps its code (marked
`removed=True`) so that users' suppressions never change meaning.
"""

from __future__ import annotations

from typing import NamedTuple

from msgflash_lint.diagnostics import Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING

_SEND_HEAD = '{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", '


class Rule(NamedTuple):
    code: str
    name: str
    summary: str
    rationale: str
    fix: str
    severity: Severity
    # The error code the live MsgFlash API answers for the same mistake ("" when none).
    api_error: str
    # A failing and a passing example. `example_kind` says how to lint them;
    # None means the examples describe files that cannot be written as text.
    bad: str
    good: str
    example_kind: str | None = "template-body"
    removed: bool = False
    # `check --fix` rewrites the mistake when it has exactly one right answer.
    fixable: bool = False


# 0xx: input and files
UNREADABLE_PATH = Rule(
    "MFL001", "unreadable-path",
    "The path does not exist or cannot be read.",
    "A hook or CI job that silently skips a missing file gives false confidence.",
    "Check the path and its permissions.",
    ERROR, "", "a path that does not exist", "an existing, readable file", None,
)

BINARY_FILE = Rule(
    "MFL002", "binary-file",
    "The file holds binary data (a NUL byte), not JSON or template text.",
    "Payloads and templates are UTF-8 text; a binary file was passed by mistake.",
    "Remove the file from the paths checked, or narrow the hook's `files:` pattern.",
    ERROR, "", "a PNG image named payload.json", "a UTF-8 JSON payload", None,
)

INVALID_ENCODING = Rule(
    "MFL003", "invalid-encoding",
    "The file is not valid UTF-8.",
    "MsgFlash accepts JSON bodies in UTF-8 only; other encodings garble accents and emoji.",
    "Re-save the file as UTF-8.",
    ERROR, "BAD_REQUEST", "a Latin-1 file with the byte 0xE9", "the same text saved as UTF-8", None,
)

EMPTY_FILE = Rule(
    "MFL004", "empty-file",
    "The file is empty.",
    "An empty payload is rejected by the API and an empty template renders nothing.",
    "Write the payload or template, or delete the file.",
    ERROR, "BAD_REQUEST", "", "Hello {{contact.firstName}}",
)

INVALID_JSON = Rule(
    "MFL005", "invalid-json",
    "The file is not valid JSON.",
    "The API answers 400 to a body it cannot parse.",
    "Fix the syntax at the reported position (trailing commas and single quotes are common).",
    ERROR, "BAD_REQUEST",
    _SEND_HEAD + '"type": "text", "text": "Hi",}', _SEND_HEAD + '"type": "text", "text": "Hi"}', "send",
)

FILE_TOO_LARGE = Rule(
    "MFL006", "file-too-large",
    "The file is larger than the 2 MiB the linter reads.",
    "No MsgFlash payload or template comes near this size; such a file is almost "
    "certainly not one, and reading it would slow every commit.",
    "Exclude the file, or split the data it holds.",
    ERROR, "", "a 10 MB JSON export", "a payload of a few kilobytes", None,
)

NOTHING_TO_CHECK = Rule(
    "MFL007", "nothing-to-check",
    "A directory given on the command line holds no file the linter knows.",
    "A typo in a directory name should not look like a clean run.",
    "Point at the folder that holds your `.json` payloads or `.txt` templates.",
    WARNING, "", "an empty directory", "a directory with payload files", None,
)

UNKNOWN_KIND = Rule(
    "MFL008", "unknown-kind",
    "The linter cannot tell whether a JSON file is a send, schedule, campaign or template payload.",
    "Checking a file against the wrong contract gives wrong findings.",
    "Pass `--kind send|schedule|campaign|template`, or map the file name with "
    "`kinds` in the configuration.",
    ERROR, "", '{"hello": "world"}',
    _SEND_HEAD + '"type": "text", "text": "Hi"}', "auto",
)

UNSTORABLE_VALUE = Rule(
    "MFL009", "unstorable-value",
    "A JSON value cannot be stored: a lone surrogate escape such as `\\ud800`, or nesting "
    "deeper than 32 levels.",
    "JSON's syntax allows both, but neither is text or data MsgFlash can keep and send back: "
    "the request is refused, or worse, stored and broken for every later read.",
    "Write the whole surrogate pair (`\\ud83d\\ude00`) or the character itself; flatten the nested value.",
    ERROR, "VALIDATION_ERROR",
    _SEND_HEAD + '"type": "text", "text": "Hi \\ud83d"}', _SEND_HEAD + '"type": "text", "text": "Hi \\ud83d\\ude00"}',
    "send",
)

# 1xx: template placeholders
FIX_NOT_WRITTEN = Rule(
    "MFL010", "fix-not-written",
    "`--fix` did not write a file it fixed: it could not be written, it changed since it was read, or "
    "it is a link to a file outside the project.",
    "A fix must never lose a byte: the file keeps its old text, and the run says so instead of passing.",
    "Make the file writable, run --fix again once nothing else is editing it, or fix the link's target "
    "in its own project.",
    ERROR, "", "a read-only template with a fixable typo, under --fix", "the same file, writable", None,
)

UNCLOSED_PLACEHOLDER = Rule(
    "MFL101", "unclosed-placeholder",
    "A `{{` is never closed by `}}` on the same line.",
    "MsgFlash rejects the template with TEMPLATE_INVALID.",
    "Close the placeholder: `{{contact.firstName}}`.",
    ERROR, "TEMPLATE_INVALID", "Hello {{contact.firstName, welcome", "Hello {{contact.firstName}}, welcome",
)

STRAY_CLOSING_BRACES = Rule(
    "MFL102", "stray-closing-braces",
    "A `}}` closes no placeholder.",
    "MsgFlash rejects the template with TEMPLATE_INVALID.",
    "Remove the `}}` or add the missing `{{`.",
    ERROR, "TEMPLATE_INVALID", "Hello contact.firstName}}", "Hello {{contact.firstName}}",
)

EMPTY_PLACEHOLDER = Rule(
    "MFL103", "empty-placeholder",
    "A placeholder has nothing between its braces.",
    "MsgFlash rejects the template with TEMPLATE_INVALID.",
    "Name a variable, such as `{{contact.firstName}}`, or remove the braces.",
    ERROR, "TEMPLATE_INVALID", "Hello {{}}", "Hello {{contact.firstName}}",
)

MISSING_NAMESPACE = Rule(
    "MFL104", "missing-namespace",
    "A placeholder names a field without its namespace.",
    "MsgFlash resolves only `contact.*`, `user.*`, `instance.*` and `custom.*`.",
    "Prefix the namespace: `{{contact.firstName}}` or `{{custom.code}}`.",
    ERROR, "TEMPLATE_INVALID", "Hello {{firstName}}", "Hello {{contact.firstName}}",
    fixable=True,
)

UNKNOWN_NAMESPACE = Rule(
    "MFL105", "unknown-namespace",
    "A placeholder uses a namespace other than contact, user, instance or custom.",
    "MsgFlash rejects the template with TEMPLATE_INVALID.",
    "Use one of `contact`, `user`, `instance`, `custom`.",
    ERROR, "TEMPLATE_INVALID", "Hello {{contcat.firstName}}", "Hello {{contact.firstName}}",
    fixable=True,
)

UNKNOWN_FIELD = Rule(
    "MFL106", "unknown-field",
    "A placeholder names a field that its namespace does not have.",
    "contact, user and instance fields are a fixed list; an unlisted one is never resolved "
    "and the send fails with TEMPLATE_VARIABLES_MISSING.",
    "Use a documented field (contact: name, firstName, phone, tags, meta.<key>; "
    "user: fullName, email, phone; instance: name) or `custom.<key>`.",
    ERROR, "TEMPLATE_VARIABLES_MISSING", "Hello {{contact.firstname}}", "Hello {{contact.firstName}}",
    fixable=True,
)

PLACEHOLDER_WITHOUT_FIELD = Rule(
    "MFL107", "placeholder-without-field",
    "A placeholder names only a namespace, or `contact.meta` without a key.",
    "MsgFlash rejects `{{contact}}` or `{{custom}}` with TEMPLATE_INVALID.",
    "Name the field: `{{custom.code}}`, `{{contact.meta.city}}`.",
    ERROR, "TEMPLATE_INVALID", "Your code: {{custom}}", "Your code: {{custom.code}}",
)

INVALID_PATH_SEGMENT = Rule(
    "MFL108", "invalid-path-segment",
    "A placeholder path holds an empty segment or a character other than letters, digits and `_`.",
    "Path segments are letters, digits and underscores only; MsgFlash rejects others with "
    "TEMPLATE_INVALID.",
    "Rename the key with letters, digits and underscores: `{{custom.promo_code}}`.",
    ERROR, "TEMPLATE_INVALID", "Code: {{custom.promo-code}}", "Code: {{custom.promo_code}}",
)

NESTED_BRACES = Rule(
    "MFL109", "nested-braces",
    "A placeholder contains braces of its own.",
    "Placeholders cannot nest, and `{{{…}}}` (unescaped output in other engines) means nothing "
    "to MsgFlash: the template is rejected with TEMPLATE_INVALID.",
    "Use one pair of double braces per variable.",
    ERROR, "TEMPLATE_INVALID", "Hello {{{contact.firstName}}}", "Hello {{contact.firstName}}",
)

UNSUPPORTED_CONSTRUCT = Rule(
    "MFL110", "unsupported-construct",
    "A placeholder uses a filter, condition, loop or default value.",
    "The MsgFlash template engine only interpolates variables: no filters, conditions, "
    "loops or fallbacks.",
    "Compute the value on your side and pass it in `variables` as `custom.<key>`.",
    ERROR, "TEMPLATE_INVALID", "Hello {{contact.firstName | upper}}", "Hello {{custom.upper_first_name}}",
)

SPACES_INSIDE_BRACES = Rule(
    "MFL111", "spaces-inside-braces",
    "A placeholder has spaces just inside its braces.",
    "MsgFlash accepts `{{ contact.name }}`, but every documented example writes "
    "`{{contact.name}}`; one spelling keeps templates searchable.",
    "Remove the spaces: `{{contact.firstName}}`.",
    WARNING, "", "Hello {{ contact.firstName }}", "Hello {{contact.firstName}}",
    fixable=True,
)

CUSTOM_KEY_TOO_DEEP = Rule(
    "MFL112", "custom-key-too-deep",
    "A `custom.*` placeholder has more than one key segment.",
    "`variables` is a flat object mapped onto `custom.*`; `{{custom.a.b}}` can never be filled.",
    "Use one key: `{{custom.order_id}}`, and send `variables: {\"order_id\": …}`.",
    ERROR, "TEMPLATE_VARIABLES_MISSING", "Order {{custom.order.id}}", "Order {{custom.order_id}}",
)

# 2xx: payload contract (schemas/)
MISSING_FIELD = Rule(
    "MFL201", "missing-field",
    "A field the payload's type requires is missing.",
    "MsgFlash answers 400 VALIDATION_ERROR.",
    "Add the field named in the message.",
    ERROR, "VALIDATION_ERROR",
    _SEND_HEAD + '"type": "image"}',
    _SEND_HEAD + '"type": "image", "mediaUrl": "https://cdn.example.com/a.jpg"}', "send",
)

WRONG_TYPE = Rule(
    "MFL202", "wrong-type",
    "A field has the wrong JSON type (for example a string where a number is expected).",
    "MsgFlash answers 400 VALIDATION_ERROR.",
    "Write the value with the JSON type the message names.",
    ERROR, "VALIDATION_ERROR",
    _SEND_HEAD + '"type": "location", "latitude": "6.36", "longitude": 2.41}',
    _SEND_HEAD + '"type": "location", "latitude": 6.36, "longitude": 2.41}', "send",
)

INVALID_VALUE = Rule(
    "MFL203", "invalid-value",
    "A field holds a value outside its documented choices.",
    "MsgFlash answers 400 VALIDATION_ERROR.",
    "Use one of the values listed in the message.",
    ERROR, "VALIDATION_ERROR",
    _SEND_HEAD + '"type": "picture", "mediaUrl": "https://cdn.example.com/a.jpg"}',
    _SEND_HEAD + '"type": "image", "mediaUrl": "https://cdn.example.com/a.jpg"}', "send",
    fixable=True,
)

INVALID_FORMAT = Rule(
    "MFL204", "invalid-format",
    "A field does not have its documented format (UUID, E.164 number, URL, ISO 8601 date).",
    "MsgFlash answers 400 VALIDATION_ERROR.",
    "Write the value in the format the message shows.",
    ERROR, "VALIDATION_ERROR",
    '{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "0612345678", '
    '"type": "text", "text": "Hi"}',
    _SEND_HEAD + '"type": "text", "text": "Hi"}', "send",
)

OUT_OF_RANGE = Rule(
    "MFL205", "out-of-range",
    "A number, text length or list length is outside its documented range.",
    "MsgFlash answers 400 VALIDATION_ERROR (text is 1 to 4096 characters, at most 2 buttons, "
    "latitude -90..90, longitude -180..180).",
    "Bring the value within the range the message gives.",
    ERROR, "VALIDATION_ERROR",
    _SEND_HEAD + '"type": "text", "text": ""}',
    _SEND_HEAD + '"type": "text", "text": "Hi"}', "send",
)

CONTENT_MODE = Rule(
    "MFL206", "content-mode",
    "A message or campaign gives both `type` and `templateId`, or neither.",
    "Content is either direct (`type` and its fields) or a template (`templateId`); "
    "MsgFlash answers 400 VALIDATION_ERROR otherwise.",
    "Keep exactly one of `type` and `templateId`.",
    ERROR, "VALIDATION_ERROR",
    '{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678"}',
    _SEND_HEAD + '"templateId": "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"}', "send",
)

UNKNOWN_PROPERTY = Rule(
    "MFL207", "unknown-property",
    "A payload has a field the API does not document.",
    "MsgFlash ignores unknown fields, so a misspelt optional field (`caption`, `footnote`) is "
    "silently dropped.",
    "Remove the field or fix its spelling; captions go in `text`.",
    WARNING, "",
    _SEND_HEAD + '"type": "image", "mediaUrl": "https://cdn.example.com/a.jpg", "caption": "New"}',
    _SEND_HEAD + '"type": "image", "mediaUrl": "https://cdn.example.com/a.jpg", "text": "New"}', "send",
)

BUTTON_KIND_IN_TITLE = Rule(
    "MFL208", "button-kind-in-title",
    "A button gives its kind in `title` instead of `type`.",
    "One documentation page spells the kind `title`; the canonical key is `type`, and MsgFlash "
    "rejects a button whose `type` and `title` disagree.",
    "Rename `title` to `type` in each button.",
    WARNING, "",
    _SEND_HEAD + '"type": "buttons", "title": "Menu", "description": "Pick one", '
    '"buttons": [{"title": "reply", "displayText": "Menu", "id": "menu"}]}',
    _SEND_HEAD + '"type": "buttons", "title": "Menu", "description": "Pick one", '
    '"buttons": [{"type": "reply", "displayText": "Menu", "id": "menu"}]}', "send",
    fixable=True,
)

TEMPLATE_MODE_IGNORES_CONTENT = Rule(
    "MFL209", "template-mode-ignores-content",
    "A template-mode payload (`templateId`) also carries direct-content fields.",
    "The template decides the content; MsgFlash ignores `text`, `mediaUrl` and the like beside "
    "`templateId`, which is rarely what the author meant.",
    "Remove the direct-content fields, or drop `templateId` and send direct content.",
    WARNING, "",
    _SEND_HEAD + '"templateId": "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90", "text": "Hi"}',
    _SEND_HEAD + '"templateId": "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"}', "send",
)

TIMESTAMP_WITHOUT_OFFSET = Rule(
    "MFL210", "timestamp-without-offset",
    "A `scheduledAt` or `schedule` timestamp has no time-zone offset.",
    "MsgFlash reads a zone-less timestamp as UTC, which is rarely the author's local time.",
    "End the timestamp with `Z` or an offset such as `+01:00`.",
    WARNING, "",
    _SEND_HEAD + '"type": "text", "text": "Hi", "scheduledAt": "2026-04-15T09:00:00"}',
    _SEND_HEAD + '"type": "text", "text": "Hi", "scheduledAt": "2026-04-15T09:00:00Z"}', "schedule",
)

LONG_TEXT = Rule(
    "MFL211", "long-text",
    "A caption, campaign body or template body is longer than 4096 characters.",
    "Only message `text` has a documented 4096-character limit; WhatsApp truncates or refuses "
    "longer captions, so the linter warns.",
    "Shorten the text to 4096 characters or fewer.",
    WARNING, "",
    '{"name": "Long", "type": "text", "body": "' + "x" * 4097 + '"}',
    '{"name": "Short", "type": "text", "body": "Hello {{contact.firstName}}"}', "template",
)

RECIPIENTS_VALUE_IGNORED = Rule(
    "MFL212", "recipients-value-ignored",
    "A campaign with `recipients.type` `all` also lists `recipients.value`.",
    "`value` only applies to `tags` and `explicit`; with `all` it is ignored.",
    "Remove `value`, or choose `tags` or `explicit`.",
    WARNING, "",
    '{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "name": "April", '
    '"schedule": "2026-04-15T09:00:00.000Z", "recipients": {"type": "all", "value": ["vip"]}, '
    '"type": "text", "body": "News"}',
    '{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "name": "April", '
    '"schedule": "2026-04-15T09:00:00.000Z", "recipients": {"type": "all"}, '
    '"type": "text", "body": "News"}', "campaign",
)

# 3xx: checks across files
TEMPLATE_VARIABLES_MISSING = Rule(
    "MFL301", "template-variables-missing",
    "A payload uses a template whose `custom.*` placeholders are not all given in `variables`.",
    "MsgFlash answers 400 TEMPLATE_VARIABLES_MISSING at send time.",
    "Add each missing key to `variables` (without the `custom.` prefix).",
    ERROR, "TEMPLATE_VARIABLES_MISSING",
    "a template `{{custom.code}}` sent with `variables: {}`",
    "the same template sent with `variables: {\"code\": \"PROMO10\"}`", None,
)

TEMPLATE_CONTEXT_UNAVAILABLE = Rule(
    "MFL302", "template-context-unavailable",
    "A payload uses a template with `contact.*` placeholders but gives no `contactId`.",
    "Without a contact MsgFlash cannot resolve `contact.*` and rejects the send.",
    "Add the `contactId` of the recipient's contact.",
    ERROR, "TEMPLATE_CONTEXT_UNAVAILABLE",
    "a template `Hello {{contact.firstName}}` sent without `contactId`",
    "the same template sent with a `contactId`", None,
)

UNKNOWN_TEMPLATE = Rule(
    "MFL303", "unknown-template",
    "A payload's `templateId` matches none of the template files in this run or its project.",
    "The template may live only on the server, or the id may be a typo that answers 404.",
    "Check the id, or include the template file in the run.",
    WARNING, "NOT_FOUND",
    "a payload whose templateId no template file carries",
    "a payload whose templateId is the `id` of a template file in the run", None,
)

# Every rule, in code order: the table `msgflash-lint rules`, the docs and SARIF show.
RULES: tuple[Rule, ...] = (
    UNREADABLE_PATH, BINARY_FILE, INVALID_ENCODING, EMPTY_FILE, INVALID_JSON, FILE_TOO_LARGE, NOTHING_TO_CHECK,
    UNKNOWN_KIND, UNSTORABLE_VALUE, FIX_NOT_WRITTEN, UNCLOSED_PLACEHOLDER, STRAY_CLOSING_BRACES, EMPTY_PLACEHOLDER, MISSING_NAMESPACE,
    UNKNOWN_NAMESPACE, UNKNOWN_FIELD, PLACEHOLDER_WITHOUT_FIELD, INVALID_PATH_SEGMENT, NESTED_BRACES,
    UNSUPPORTED_CONSTRUCT, SPACES_INSIDE_BRACES, CUSTOM_KEY_TOO_DEEP, MISSING_FIELD, WRONG_TYPE, INVALID_VALUE,
    INVALID_FORMAT, OUT_OF_RANGE, CONTENT_MODE, UNKNOWN_PROPERTY, BUTTON_KIND_IN_TITLE,
    TEMPLATE_MODE_IGNORES_CONTENT, TIMESTAMP_WITHOUT_OFFSET, LONG_TEXT, RECIPIENTS_VALUE_IGNORED,
    TEMPLATE_VARIABLES_MISSING, TEMPLATE_CONTEXT_UNAVAILABLE, UNKNOWN_TEMPLATE,
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}

# Fixable rules whose one right answer may be a guess (the one close documented name, not
# certainly a typo of it): those fixes are unsafe, written only by `--unsafe-fixes`
# (rules/placeholders.certain_typo draws the line).
GUESSING_RULES: frozenset[str] = frozenset({UNKNOWN_NAMESPACE.code, UNKNOWN_FIELD.code, INVALID_VALUE.code})
