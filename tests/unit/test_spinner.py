"""Unit tests of the waiting spinner: silent for fast answers, drawn for slow ones, always cleared.

The spinner draws from its own thread; a fake stderr records every write, and every wait for the
thread has a deadline.
"""

from __future__ import annotations

import threading

import pytest

from ant_cli.core.environment import Environment
from ant_cli.output.spinner import CLEAR, NoSpinner, Spinner, waiting_indicator
from tests.helpers import wait_until


class FakeStderr:
    """A byte stream that keeps its writes apart, safe to write from two threads."""

    def __init__(self):
        self.writes: list[bytes] = []
        self.lock = threading.Lock()

    def write(self, data: bytes) -> None:
        with self.lock:
            self.writes.append(data)

    def flush(self) -> None:
        pass

    def say(self, line: str) -> None:
        self.write(line.encode() + b"\n")

    def frames(self) -> list[bytes]:
        with self.lock:
            return [data for data in self.writes if data.startswith(b"\r") and data != CLEAR]


def spinner(stderr: FakeStderr, delay: float) -> Spinner:
    return Spinner(stderr, stderr.say, text="waiting", delay=delay, interval=0.005)


def test_fast_work_shows_nothing():
    stderr = FakeStderr()
    with spinner(stderr, delay=5):
        pass
    assert stderr.writes == []


def test_slow_work_shows_turning_frames_then_clears_the_line():
    stderr = FakeStderr()
    with spinner(stderr, delay=0.001):
        wait_until(lambda: len(stderr.frames()) >= 3, what="three spinner frames")
    frames = stderr.frames()
    assert all(frame.decode().endswith(" waiting") for frame in frames)
    assert len({frame[:4] for frame in frames[:3]}) == 3  # each frame shows the next symbol
    assert stderr.writes[-1] == CLEAR


def test_say_clears_the_spinner_before_its_line():
    stderr = FakeStderr()
    with spinner(stderr, delay=0.001) as shown:
        wait_until(stderr.frames, what="a spinner frame")
        shown.say("ant: 529 overloaded_error; retrying in 0.5s")
        with stderr.lock:
            said = stderr.writes.index(b"ant: 529 overloaded_error; retrying in 0.5s\n")
            assert stderr.writes[said - 1] == CLEAR
    assert stderr.writes[-1] not in stderr.frames()  # the spinner may have come back meanwhile, but never stays


def test_say_before_the_spinner_appears_writes_only_the_line():
    stderr = FakeStderr()
    with spinner(stderr, delay=5) as shown:
        shown.say("ant: notice")
    assert stderr.writes == [b"ant: notice\n"]


def test_no_spinner_passes_lines_through_and_draws_nothing():
    stderr = FakeStderr()
    with NoSpinner(stderr.say) as indicator:
        indicator.say("ant: notice")
    assert stderr.writes == [b"ant: notice\n"]


def environment(stderr_isatty: bool) -> Environment:
    return Environment(None, None, FakeStderr(), stderr_isatty=stderr_isatty)


@pytest.mark.parametrize("tty, quiet, debug, streaming, spins", [
    (True, False, False, False, True),
    (False, False, False, False, False),
    (True, True, False, False, False),
    (True, False, True, False, False),
    (True, False, False, True, False),
])
def test_a_spinner_only_on_a_terminal_for_a_plain_wait(tty, quiet, debug, streaming, spins):
    env = environment(tty)
    indicator = waiting_indicator(env, quiet=quiet, debug=debug, streaming=streaming, say=env.stderr.say)
    assert isinstance(indicator, Spinner) is spins
    with indicator:
        indicator.say("ant: notice")
    assert b"ant: notice\n" in env.stderr.writes
