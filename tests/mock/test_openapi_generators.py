"""The mock's OpenAPI document through the client generators other teams use (issue 22).

openapi-python-client (test extra) generates a client into a temporary folder with no warning,
one function per operation, and every one of them is called against a live mock, its answer
parsed by the generated models. openapi-typescript (tools/openapi-typescript, from the committed
lock file) types the document, and tsc --strict compiles the types and a test double using them.
"""

from __future__ import annotations

import importlib
import inspect
import json
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from mock_server import create_app
from tests.conftest import require_tool
from tests.mock.conftest import ALPHA, FIXTURES, INSTANCE, TEAM, TEAM_KEY, mock_at, send_body, unknown_ids

REPO = Path(__file__).resolve().parents[2]
TYPESCRIPT = REPO / "tools" / "openapi-typescript"
PACKAGE = "msgflash_generated_client"


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> tuple[dict, Path]:
    from mock_server.state.fixtures import load_fixtures

    app = create_app(load_fixtures(FIXTURES.read_text("utf-8"), str(FIXTURES)))
    doc = app.test_client().get("/openapi.json").get_json()
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return doc, path


@pytest.fixture(scope="module")
def python_client(document, tmp_path_factory):
    pytest.importorskip("openapi_python_client", reason="openapi-python-client is in the test extra")
    doc, path = document
    folder = tmp_path_factory.mktemp("generated")
    done = subprocess.run([sys.executable, "-m", "openapi_python_client", "generate", "--path", str(path),
                           "--meta", "none", "--output-path", str(folder / PACKAGE)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "warning" not in output.lower() and "unable" not in output.lower(), output
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_python_client_has_every_operation(document, python_client) -> None:
    doc, _ = document
    for _, _, operation in _operations(doc):
        module = importlib.import_module(f"{PACKAGE}.api.{operation['tags'][0].replace('-', '_')}."
                                         f"{operation['operationId']}")
        assert callable(module.sync_detailed)


def _ids(api) -> dict[str, str]:
    """An id of each kind the paths name, made on the live mock (the fixtures give instances)."""
    contact = api.post("/api/v1/contacts", {"name": "Ada Lovelace", "phone": "+33611111111"}).data["id"]
    group = api.post("/api/v1/contacts/groups", {"name": "Generated"}).data["id"]
    template = api.post("/api/v1/templates", {"name": "Generated", "type": "text",
                                              "body": "Hello {{contact.firstName}}"}).data["id"]
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data["id"]
    campaign = api.post("/api/v1/campaigns", {"instanceId": INSTANCE, "name": "Generated", "type": "text",
                                              "body": "Hello", "recipients": {"type": "all"},
                                              "schedule": "2030-01-01T09:00:00.000Z"}).data["id"]
    webhook = api.post("/api/v1/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["message.sent"]}).data["id"]
    # Async ones (100 numbers, 100 ids), on a frozen clock: still running when cancelled.
    numbers = [f"+336{n:08d}" for n in range(100)]
    lookup = api.post("/api/v1/number-lookups", {"instanceId": INSTANCE, "numbers": numbers}).data["lookupId"]
    done = api.post("/api/v1/number-lookups", {"instanceId": INSTANCE, "numbers": numbers[:2]}).data["lookupId"]
    job = api.post("/api/v1/contacts/bulk-delete", {"contactIds": unknown_ids(100)}).data["jobId"]
    return {"instance_id": INSTANCE, "contact_id": contact, "group_id": group, "template_id": template,
            "message_id": message, "campaign_id": campaign, "webhook_id": webhook, "lookup_id": lookup,
            "job_id": job, "team_id": TEAM, "completed_lookup_id": done}


def _adapted(key: str, arguments: dict, ids: dict) -> dict:
    """Where a documented example cannot succeed as it stands on this mock's state: a group named
    like a fixture one, a contact the fixtures lack, an import that needs a completed lookup."""
    if key == "POST /api/v1/contacts/groups":
        arguments["body"].name = "Generated too"
    elif key == "POST /api/v1/templates/{template_id}/preview":
        arguments["body"].contact_id = ids["contact_id"]
    elif key == "POST /api/v1/number-lookups/{lookup_id}/import-contacts":
        arguments["lookup_id"] = ids["completed_lookup_id"]
    return arguments


def test_every_generated_call_parses_the_live_mocks_answer(document, python_client, server_url) -> None:
    """Each operation called once with its documented example body: the answer is a documented
    status, parsed by the generated models (never `None`, never an exception)."""
    from http import HTTPStatus

    doc, _ = document
    api = mock_at(server_url)
    assert api.post("/_mock/reset", key=None).status == 200
    assert api.post("/_mock/clock", {"freeze": True}, key=None).status == 200
    ids = _ids(api)
    client_module = importlib.import_module(f"{PACKAGE}.client")
    error_model = importlib.import_module(f"{PACKAGE}.models.error").Error
    called, refused = 0, {}
    # The API first, what removes things after what reads them, the controls next, the reset last.
    order = sorted(_operations(doc), key=lambda o: (o[0] == "/_mock/reset", o[0].startswith("/_mock/"),
                                                    o[1] == "delete", -o[0].count("/")))
    clients = {key: client_module.AuthenticatedClient(base_url=server_url, token=key, prefix="",
                                                      auth_header_name="x-api-key") for key in (ALPHA, TEAM_KEY)}
    try:
        for path, method, operation in order:
            module = importlib.import_module(f"{PACKAGE}.api.{operation['tags'][0].replace('-', '_')}."
                                             f"{operation['operationId']}")
            parameters = inspect.signature(module.sync_detailed).parameters
            arguments = {name: ids[name] for name in parameters if name in ids}
            if "body" in parameters:
                arguments["body"] = _body(module, operation, doc)
            arguments = _adapted(f"{method.upper()} {path}", arguments, ids)
            client = clients[TEAM_KEY if "/teams/" in path else ALPHA]
            answer = module.sync_detailed(client=client, **arguments)
            called += 1
            assert str(answer.status_code.value) in operation["responses"] or "default" in operation["responses"], \
                (method, path, answer.status_code)
            assert answer.parsed is not None, (method, path, answer.status_code, answer.content[:300])
            if answer.status_code < HTTPStatus.BAD_REQUEST:
                assert not isinstance(answer.parsed, error_model), (method, path)
            else:
                assert isinstance(answer.parsed, error_model), (method, path)
                refused[f"{method.upper()} {path}"] = (answer.status_code.value, answer.parsed.error.message)
    finally:
        for client in clients.values():
            client.get_httpx_client().close()
    assert called == sum(1 for _ in _operations(doc))
    assert refused == {}  # every call succeeded: its success answer parsed by a generated model


def _body(module, operation: dict, doc: dict):
    """The operation's body model, built from the documented example of its schema."""
    annotation = inspect.signature(module.sync_detailed).parameters["body"].annotation
    model = getattr(module, annotation) if isinstance(annotation, str) else annotation
    if not hasattr(model, "from_dict"):  # `Model | Unset`: an optional body
        model = next(member for member in typing.get_args(model) if hasattr(member, "from_dict"))
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    component = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    example = (component.get("examples") or [{}])[0]
    return model.from_dict(example)


def test_openapi_typescript_output_compiles_under_tsc_strict(document, tmp_path: Path) -> None:
    node = shutil.which("node")
    require_tool(node is not None, "Node.js is not installed: openapi-typescript runs under Node")
    binaries = TYPESCRIPT / "node_modules" / ".bin"
    require_tool((binaries / "openapi-typescript").exists() and (binaries / "tsc").exists(),
                 "openapi-typescript is not installed: cd tools/openapi-typescript && npm ci")
    _, path = document
    types = tmp_path / "msgflash.d.ts"
    done = subprocess.run([str(binaries / "openapi-typescript"), str(path), "-o", str(types)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    # The test double, and beside it a copy with a field the schema lacks: one tsc run must refuse
    # the copy and only the copy (so the check can fail, and the types are not `any`).
    (tmp_path / "double.ts").write_text(_TEST_DOUBLE, encoding="utf-8")
    (tmp_path / "wrong.ts").write_text(_TEST_DOUBLE.replace('scheduledAt: "2026', 'scheduledFor: "2026'),
                                       encoding="utf-8")
    done = subprocess.run([str(binaries / "tsc"), "--strict", "--noEmit", "--target", "es2022", str(types),
                           str(tmp_path / "double.ts"), str(tmp_path / "wrong.ts")],
                          capture_output=True, text=True, timeout=120)
    errors = [line for line in done.stdout.splitlines() if "error TS" in line]
    assert len(errors) == 1 and "wrong.ts" in errors[0] and "scheduledFor" in errors[0], done.stdout


# A Node team's typed test double: request bodies and answers, the control API's too.
_TEST_DOUBLE = """
import type { components, paths } from "./msgflash";

type Schemas = components["schemas"];
const scheduled: Schemas["Schedule"] = {
  instanceId: "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", to: "+33612345678", type: "text", text: "Bonjour",
  scheduledAt: "2026-04-15T09:00:00.000Z",
};
type Sent = paths["/api/v1/messages/send"]["post"]["responses"]["201"]["content"]["application/json"];
const answer = (sent: Sent): string => sent.data.id + sent.data.status;
const fault: Schemas["MockFaultBody"] = { route: "POST /api/v1/messages/send", error: "PROVIDER_TIMEOUT", times: 1 };
export { scheduled, answer, fault };
"""
