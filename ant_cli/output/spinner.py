"""A small spinner on stderr while a non-streamed request is pending; only on a terminal.

Standard library only (rich's status would add ~70 ms of start-up). It appears after a short delay,
so fast answers do not flash, and it clears its line before any other message or the result.
"""

from __future__ import annotations

import threading

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
CLEAR = b"\r\x1b[2K"


class Spinner:
    """Use as a context manager; `say` prints a line on stderr without garbling the spinner."""

    def __init__(self, stream, say, text: str = "waiting for the API", delay: float = 0.3, interval: float = 0.1):
        self._stream, self._say = stream, say
        self._text, self._delay, self._interval = text, delay, interval
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._shown = False
        self._thread = threading.Thread(target=self._spin, daemon=True)

    def __enter__(self) -> "Spinner":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        with self._lock:
            self._clear()

    def say(self, line: str) -> None:
        with self._lock:
            self._clear()
            self._say(line)

    def _spin(self) -> None:
        if self._stop.wait(self._delay):
            return
        frame = 0
        while not self._stop.is_set():
            with self._lock:
                self._stream.write(f"\r{FRAMES[frame % len(FRAMES)]} {self._text}".encode("utf-8"))
                self._stream.flush()
                self._shown = True
            frame += 1
            self._stop.wait(self._interval)

    def _clear(self) -> None:
        if self._shown:
            self._stream.write(CLEAR)
            self._stream.flush()
            self._shown = False


class NoSpinner:
    """Stands in where no spinner belongs (a pipe, --quiet, --debug, a stream)."""

    def __init__(self, say):
        self.say = say

    def __enter__(self) -> "NoSpinner":
        return self

    def __exit__(self, *exc) -> None:
        pass


def waiting_indicator(env, quiet: bool, debug: bool, streaming: bool, say):
    if env.stderr_isatty and not (quiet or debug or streaming):
        return Spinner(env.stderr, say)
    return NoSpinner(say)
