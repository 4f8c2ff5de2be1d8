"""The process's I/O, gathered in one object so tests can replace any part of it."""

from __future__ import annotations

import os
import sys
from typing import BinaryIO, Mapping, NamedTuple

from ant_cli.core.errors import OutputError
from ant_cli.core.redact import Redactor


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _binary(stream) -> BinaryIO:
    return getattr(stream, "buffer", stream)


class Environment(NamedTuple):
    """stdin, stdout and stderr (as byte streams), whether each is a terminal, and the variables."""

    stdin: BinaryIO
    stdout: BinaryIO
    stderr: BinaryIO
    stdin_isatty: bool = False
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    variables: Mapping[str, str] = {}
    redactor: Redactor = Redactor()  # the run's credentials, set once its Settings are parsed

    @classmethod
    def from_process(cls) -> "Environment":
        """The real process streams, read at the moment of the call (click's runner swaps them)."""
        return cls(
            stdin=_binary(sys.stdin),
            stdout=_binary(sys.stdout),
            stderr=_binary(sys.stderr),
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            variables=os.environ,
        )

    @property
    def color_allowed(self) -> bool:
        """Colour only on a terminal, never with NO_COLOR set; FORCE_COLOR forces it on."""
        if "NO_COLOR" in self.variables:
            return False
        if self.variables.get("FORCE_COLOR", "") not in ("", "0"):
            return True
        return self.stdout_isatty

    def write_out(self, data: bytes) -> None:
        """Write and flush a result. A vanished reader (BrokenPipeError) is left to the boundary;
        any other failure to write (a full disk, a closed descriptor) is an output error, exit 1."""
        try:
            self.stdout.write(self.redactor.data(data))
            self.stdout.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise OutputError(f"cannot write the output: {reason}") from None

    def say(self, line: str) -> None:
        """Write one line of talk (warning, notice) to stderr, with secrets removed."""
        self.stderr.write((self.redactor.text(line) + "\n").encode("utf-8", "replace"))
        self.stderr.flush()
