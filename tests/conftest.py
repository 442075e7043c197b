import os

from hypothesis import HealthCheck, settings

pytest_plugins = ["pytester"]

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def require_tool(present: bool, why: str, on_ci: bool = True) -> None:
    """Skip with the reason where a tool a test drives is missing; on CI (the CI variable set, and
    `on_ci`: .ci/run installs it there) fail instead, so a suite can never pass there without running it."""
    import pytest

    if present:
        return
    if on_ci and os.environ.get("CI"):
        pytest.fail(f"{why} on this CI machine")
    pytest.skip(why)
