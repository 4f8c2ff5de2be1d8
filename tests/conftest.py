"""Shared fixtures: an isolated environment, the in-process runner, the installed `ant`, the mock API."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from ant_cli.main import main
from ant_cli.mockserver import MockServer

PROMPT = "\n\nHuman: Hello there\n\nAssistant:"
MODEL = "claude-opus-4-8"
KEY = "sk-ant-test-0123456789abcdef"
ANT = Path(sys.executable).with_name("ant")
BASIC = ["completions", "create", "--model", MODEL, "--max-tokens-to-sample", "64", "--prompt", PROMPT]
COMPLETION = {"id": "compl_01abc", "type": "completion", "completion": " Hi!", "stop_reason": "stop_sequence",
              "model": MODEL}


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch):
    """No test sees the developer's credentials, base URL or colour settings."""
    for name in list(os.environ):
        if name.startswith("ANTHROPIC_") or name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"):
            monkeypatch.delenv(name)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_ant(args, input=None, env=None) -> Run:
    """Run the real entry point (error boundary included) in-process with click's stream isolation."""
    environment = {"ANTHROPIC_API_KEY": KEY}
    environment.update(env or {})
    with CliRunner().isolation(input=input, env=environment) as streams:
        code = main([str(arg) for arg in args])
        sys.stdout.flush()
        sys.stderr.flush()
        out, err = streams[0].getvalue().decode(), streams[1].getvalue().decode()
    return Run(int(code), out, err)


def run_installed(args, input=None, env=None, timeout=30, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed `ant` console script as a user would."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    environment.update({"ANTHROPIC_API_KEY": KEY}, **(env or {}))
    environment = {name: value for name, value in environment.items() if value is not None}  # None unsets
    kwargs.setdefault("capture_output", True)
    return subprocess.run([str(ANT), *map(str, args)], input=input, env=environment, text=True, timeout=timeout,
                          **kwargs)


@pytest.fixture
def mock_api():
    with MockServer(api_key=KEY) as server:
        yield server


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text, text
