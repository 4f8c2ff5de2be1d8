"""Fixtures for every level: an isolated environment, the mock API on 127.0.0.1, a port nothing listens on;
and the stderr of each `ant` a test ran, shown under the test when it fails."""

from __future__ import annotations

import os
import socket

import pytest

from ant_cli.mockserver import MockServer
from tests.helpers import KEY, TRANSCRIPT


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch):
    """No test sees the developer's credentials, base URL or colour settings."""
    for name in list(os.environ):
        if name.startswith("ANTHROPIC_") or name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def fresh_transcript():
    TRANSCRIPT.runs.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test's report ends with the stderr of each `ant` it ran (run_ant, run_installed)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and TRANSCRIPT.runs:
        report.sections.append(("stderr of each ant run", TRANSCRIPT.text()))


@pytest.fixture
def mock_api():
    with MockServer(api_key=KEY) as server:
        yield server


@pytest.fixture
def slow_mock():
    """The mock answering every request after 50 ms, so that a batch has requests in flight to watch."""
    with MockServer(api_key=KEY, latency=0.05) as server:
        yield server


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
