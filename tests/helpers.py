"""What tests at every level share: the standard request, runners for the in-process and installed `ant`,
and a deadline-bounded wait. Fixtures live in conftest.py; plain helpers here."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from ant_cli.main import main

PROMPT = "\n\nHuman: Hello there\n\nAssistant:"
MODEL = "claude-2.1"  # answers on the mock, which emulates the endpoint's last working era
KEY = "sk-ant-test-0123456789abcdef"
ANT = Path(sys.executable).with_name("ant")
ROOT = Path(__file__).resolve().parent.parent
BASIC = ["completions", "create", "--model", MODEL, "--max-tokens-to-sample", "64", "--prompt", PROMPT]
COMPLETION = {"id": "compl_01abc", "type": "completion", "completion": " Hi!", "stop_reason": "stop_sequence",
              "model": MODEL}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


class Transcript:
    """The stderr of every `ant` the running test started, in order: conftest's report hook shows it under a
    failing test, so no test has to add `result.stderr` to its assertions."""

    def __init__(self):
        self.runs: list[tuple[list[str], int, str]] = []

    def add(self, args, code: int, stderr: str) -> None:
        self.runs.append(([str(arg) for arg in args], code, stderr))

    def text(self) -> str:
        return "\n".join(f"$ ant {' '.join(args)}\n(exit {code})\n{stderr}" for args, code, stderr in self.runs)


TRANSCRIPT = Transcript()  # reset before each test by conftest


def run_ant(args, input=None, env=None) -> Run:
    """Run the real entry point (error boundary included) in-process with click's stream isolation."""
    # requests, which `responses` intercepts in these runs, also for a batch (whose own session it would miss)
    environment = {"ANTHROPIC_API_KEY": KEY, "ANT_HTTP_CLIENT": "requests"}
    environment.update(env or {})
    with CliRunner().isolation(input=input, env=environment) as streams:
        code = main([str(arg) for arg in args])
        sys.stdout.flush()
        sys.stderr.flush()
        out, err = streams[0].getvalue().decode(), streams[1].getvalue().decode()
    TRANSCRIPT.add(args, int(code), err)
    return Run(int(code), out, err)


def installed_env(env=None) -> dict:
    """The process environment for the installed `ant`: the test key, no developer settings; None unsets."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    environment.update({"ANTHROPIC_API_KEY": KEY}, **(env or {}))
    return {name: value for name, value in environment.items() if value is not None}


def run_installed(args, input=None, env=None, timeout=30, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed `ant` console script as a user would."""
    kwargs.setdefault("capture_output", True)
    result = subprocess.run([str(ANT), *map(str, args)], input=input, env=installed_env(env), text=True,
                            timeout=timeout, **kwargs)
    TRANSCRIPT.add(args, result.returncode, result.stderr if isinstance(result.stderr, str) else "")
    return result


def wait_until(condition, timeout: float = 10.0, interval: float = 0.01, what: str = "the condition"):
    """Poll `condition` until it returns something truthy; fail the test once `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text, text
