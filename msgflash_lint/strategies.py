"""Public hypothesis strategies for valid MsgFlash payloads and template text.

For your own property tests: `from msgflash_lint.strategies import payloads` and
`@given(payloads("send"))`. Needs hypothesis (the `test` extra). Every value drawn
passes `msgflash-lint check` with no finding and is accepted by `msgflash-mock`
(given ids that exist in its fixtures: see `with_ids`).
"""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import strategies as st

from msgflash_lint import contract
from msgflash_lint.rules.placeholders import CLOSED_NAMESPACES

# From the schemas, so a type added there is generated here too.
MESSAGE_TYPES = contract.type_choices("send")
CAMPAIGN_TYPES = contract.type_choices("campaign")
TEMPLATE_TYPES = contract.type_choices("template")
_MEDIA = ("image", "video", "audio", "voice_note", "document")

uuids = st.uuids().map(str)
phone_numbers = st.from_regex(r"\+[1-9][0-9]{6,14}", fullmatch=True)
media_urls = st.from_regex(r"https://[a-z0-9]{1,12}\.example\.com/[a-z0-9_-]{1,16}\.(jpg|mp4|ogg|pdf)", fullmatch=True)
timestamps = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(timezone.utc)
).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z")
_CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="{}")
texts = st.text(_CHARACTERS, min_size=1, max_size=300).filter(lambda text: text.strip() != "")
short_texts = st.text(_CHARACTERS, min_size=1, max_size=40)
keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,15}", fullmatch=True)
variables = st.dictionaries(keys, st.one_of(short_texts, st.integers(-10**6, 10**6)), max_size=5)

placeholder_paths = st.one_of(
    st.sampled_from([f"{ns}.{field}" for ns, fields in CLOSED_NAMESPACES.items() for field in fields
                     if field != "meta"]),
    keys.map(lambda key: f"custom.{key}"),
    st.lists(keys, min_size=1, max_size=3).map(lambda parts: "contact.meta." + ".".join(parts)),
)


@st.composite
def template_bodies(draw) -> str:
    """Free text with valid placeholders: no finding, and variables in order of appearance."""
    parts = draw(st.lists(st.tuples(st.text(_CHARACTERS, max_size=30), placeholder_paths), min_size=1, max_size=6))
    return "".join(f"{free}{{{{{path}}}}}" for free, path in parts) + draw(st.text(_CHARACTERS, max_size=20))


@st.composite
def buttons(draw) -> dict:
    kind = draw(st.sampled_from(("reply", "copy", "url", "call", "pix")))
    button = {"type": kind, "displayText": draw(short_texts)}
    if kind == "reply":
        button["id"] = draw(keys)
    elif kind == "copy":
        button["copyCode"] = draw(short_texts)
    elif kind == "url":
        button["url"] = draw(media_urls)
    elif kind == "call":
        button["phoneNumber"] = draw(phone_numbers)
    else:
        button.update(currency="BRL", name=draw(short_texts), keyType="random", key=draw(short_texts))
    return button


@st.composite
def _direct_message_content(draw, message_type: str, text_field: str) -> dict:
    content: dict = {"type": message_type}
    if message_type == "text":
        content[text_field] = draw(texts)
    elif message_type in _MEDIA:
        content["mediaUrl"] = draw(media_urls)
        if message_type in ("image", "video", "document") and draw(st.booleans()):
            content[text_field] = draw(texts)
    elif message_type == "location":
        content["latitude"] = draw(st.floats(-90, 90, allow_nan=False))
        content["longitude"] = draw(st.floats(-180, 180, allow_nan=False))
        if draw(st.booleans()):
            content["locationName"] = draw(short_texts)
    elif message_type == "contact":
        content["contactId"] = draw(uuids)
    else:
        content.update(title=draw(short_texts), description=draw(short_texts),
                       buttons=draw(st.lists(buttons(), min_size=1, max_size=2)))
        if draw(st.booleans()):
            content["footer"] = draw(short_texts)
    return content


@st.composite
def _message(draw, scheduled: bool) -> dict:
    payload = {"instanceId": draw(uuids), "to": draw(phone_numbers)}
    if draw(st.booleans()):
        payload["templateId"] = draw(uuids)
        if draw(st.booleans()):
            payload["contactId"] = draw(uuids)
        payload["variables"] = draw(variables)
    else:
        payload.update(draw(st.sampled_from(MESSAGE_TYPES).flatmap(lambda t: _direct_message_content(t, "text"))))
    if scheduled:
        payload["scheduledAt"] = draw(timestamps)
    return payload


@st.composite
def _campaign(draw) -> dict:
    recipient_type = draw(st.sampled_from(("all", "tags", "explicit", "group")))
    recipients: dict = {"type": recipient_type}
    if recipient_type == "tags":
        recipients["value"] = draw(st.lists(keys, min_size=1, max_size=3))
    elif recipient_type == "explicit":
        recipients["value"] = draw(st.lists(uuids, min_size=1, max_size=3))
    elif recipient_type == "group":
        recipients["groupId"] = draw(uuids)
    payload = {"instanceId": draw(uuids), "name": draw(short_texts), "schedule": draw(timestamps),
               "recipients": recipients}
    if draw(st.booleans()):
        payload["repeat"] = draw(st.sampled_from(("none", "daily", "weekly")))
    if draw(st.booleans()):
        payload["templateId"] = draw(uuids)
        payload["variables"] = draw(variables)
    else:
        payload.update(draw(st.sampled_from(CAMPAIGN_TYPES).flatmap(lambda t: _direct_message_content(t, "body"))))
    return payload


@st.composite
def _template(draw) -> dict:
    template_type = draw(st.sampled_from(TEMPLATE_TYPES))
    payload = {"name": draw(short_texts), "type": template_type}
    if template_type == "text" or draw(st.booleans()):
        payload["body"] = draw(template_bodies())
    if template_type != "text":
        payload["mediaUrl"] = draw(media_urls)
    return payload


_BY_KIND = {
    "send": lambda: _message(scheduled=False),
    "schedule": lambda: _message(scheduled=True),
    "campaign": _campaign,
    "template": _template,
}


def payloads(kind: str) -> st.SearchStrategy[dict]:
    """Valid request bodies of one kind: send, schedule, campaign or template."""
    return _BY_KIND[kind]()


def any_payload() -> st.SearchStrategy[tuple[str, dict]]:
    """(kind, payload) pairs over every kind."""
    return st.sampled_from(tuple(_BY_KIND)).flatmap(lambda kind: payloads(kind).map(lambda p: (kind, p)))
