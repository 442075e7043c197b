"""The Dockerfile, built and run with podman as a Node or PHP team's CI would use the image: the API
answers on the published port, a mounted fixture file is served, the process is not root, the
health check passes, `fixtures` prints the bundled file, and SIGTERM stops it within seconds
with status 0.

Image registries are unreachable here, so the base image is a local stand-in for python:*-slim
(tools/container/base-image.sh: Debian bookworm with its Python 3.11), passed as BASE. Skipped
with a reason where podman is missing; on CI (the CI variable set) that fails instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import require_tool

REPO = Path(__file__).resolve().parent.parent
BASE = "localhost/msgflash-base:bookworm"
IMAGE = "localhost/msgflash-mock:test"
KEY = "msgf_live_alpha"
INSTANCE = "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10"


def _podman(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "CONTAINERS_CONF": str(REPO / "tools" / "container" / "containers.conf")}
    run = subprocess.run(["podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs", *args],
                         capture_output=True, text=True, timeout=timeout, env=env)
    if check:
        assert run.returncode == 0, f"podman {' '.join(args)}: {run.stderr[-2000:]}"
    return run


def _pip_mounts() -> list[str]:
    """The host's CA certificates and pip configuration, read-only: how pip inside the build reaches the index."""
    mounts = []
    for path in ("/etc/ssl/certs", "/etc/pip.conf", "/etc/xdg/pip"):
        if os.path.exists(path):
            mounts += ["-v", f"{path}:{path}:ro"]
    return mounts


@pytest.fixture(scope="module")
def image() -> str:
    missing = [tool for tool in ("podman", "runc", "debootstrap") if shutil.which(tool) is None]
    # .ci/run installs them where it can (root, apt): there, a missing tool is a failure, never a skip.
    require_tool(not missing, f"{', '.join(missing)} not installed (apt-get install podman runc debootstrap)",
                 on_ci=os.geteuid() == 0 and shutil.which("apt-get") is not None)
    base = subprocess.run(["bash", str(REPO / "tools" / "container" / "base-image.sh"), BASE],
                          capture_output=True, text=True, timeout=900,
                          env={**os.environ, "CONTAINERS_CONF": str(REPO / "tools" / "container" / "containers.conf")})
    assert base.returncode == 0, base.stderr[-2000:]
    _podman("build", "--format", "docker", "--network", "host", "--build-arg", f"BASE={BASE}", *_pip_mounts(),
            "-t", IMAGE, str(REPO), timeout=900)
    return IMAGE


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_answering(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _call(base: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base}{path}", method=method, headers={"x-api-key": KEY,
                                     "content-type": "application/json"},
                                     data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def container(image: str):
    """Run the image; yields a function starting it with extra options and arguments."""
    names = []

    def run(*options: str, port: int = 8787, args: tuple[str, ...] = ()) -> tuple[str, str]:
        host_port = _free_port()
        name = f"msgflash-mock-test-{os.getpid()}-{len(names)}"
        names.append(name)
        _podman("run", "-d", "--name", name, "-p", f"127.0.0.1:{host_port}:{port}", *options, image, *args)
        base = f"http://127.0.0.1:{host_port}"
        _wait_until_answering(base)
        return name, base

    yield run
    for name in names:
        _podman("rm", "-f", name, check=False)


def test_the_api_answers_as_a_non_root_user_and_passes_its_health_check(container) -> None:
    name, base = container()
    status, sent = _call(base, "POST", "/api/v1/messages/send",
                         {"instanceId": INSTANCE, "to": "+33612345678", "type": "text", "text": "Bonjour"})
    assert status == 201 and sent["data"]["status"] == "queued"
    assert _call(base, "GET", f"/api/v1/messages/{sent['data']['id']}")[0] == 200
    assert _podman("exec", name, "id", "-u").stdout.strip() == "10001"
    assert _podman("healthcheck", "run", name, check=False).returncode == 0


def test_a_mounted_fixture_file_on_another_port(container, tmp_path: Path) -> None:
    fixtures = json.loads(_podman("run", "--rm", IMAGE, "fixtures").stdout)  # `docker run IMAGE fixtures`
    fixtures["accounts"][0]["apiKeys"] = ["msgf_live_container"]
    (tmp_path / "f.json").write_text(json.dumps(fixtures))
    os.chmod(tmp_path / "f.json", 0o644)
    _, base = container("-v", f"{tmp_path / 'f.json'}:/f.json:ro", port=9000,
                        args=("serve", "--host", "0.0.0.0", "--port", "9000", "--fixtures", "/f.json"))
    request = urllib.request.Request(f"{base}/api/v1/instances/{INSTANCE}",
                                     headers={"x-api-key": "msgf_live_container"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200
    assert _call(base, "GET", f"/api/v1/instances/{INSTANCE}")[0] == 401  # the bundled key is gone


def test_sigterm_stops_it_within_seconds_with_status_0(container) -> None:
    name, _ = container()
    started = time.monotonic()
    _podman("stop", "--time", "20", name)  # SIGTERM, then SIGKILL only after 20 s
    assert time.monotonic() - started < 5
    assert _podman("inspect", name, "--format", "{{.State.ExitCode}}").stdout.strip() == "0"
    assert "msgflash-mock stopped after" in _podman("logs", name).stderr + _podman("logs", name).stdout
