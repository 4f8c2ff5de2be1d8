"""Deciding whether stdin carries a request body, and reading it without ever hanging or reading a terminal."""

from __future__ import annotations

import os
import select
import stat

from ant_cli.core.errors import UsageError
from ant_cli.request.values import parse_document, type_name


def stdin_kind(stdin, isatty: bool) -> str:
    """'tty', 'file', 'pipe' or 'none' (closed, /dev/null and other devices carry no body)."""
    if isatty:
        return "tty"
    try:
        mode = os.fstat(stdin.fileno()).st_mode
    except (AttributeError, OSError, ValueError):
        return "pipe" if stdin is not None else "none"  # an in-memory stream (tests) behaves like a pipe
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return "pipe"
    return "none"


def has_data_now(stdin) -> bool:
    """True if reading stdin would not block right now (data waiting, or end of input)."""
    try:
        ready, _, _ = select.select([stdin.fileno()], [], [], 0)
    except (AttributeError, OSError, ValueError):
        return True  # an in-memory stream never blocks
    return bool(ready)


def should_read_body(kind: str, stdin, flags_complete: bool) -> bool:
    """A piped body is read when it cannot make us wait: a file, or a pipe that is needed or already has data."""
    if kind == "file":
        return True
    if kind != "pipe":
        return False
    return not flags_complete or has_data_now(stdin)


def parse_body(data: bytes) -> dict:
    """Parse a piped JSON or YAML object; empty input means no body."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError("the body piped on stdin is not UTF-8 text") from None
    if not text.strip():
        return {}
    value = parse_document(text, "the body piped on stdin")
    if not isinstance(value, dict):
        raise UsageError(f"the body piped on stdin must be a JSON or YAML object, got {type_name(value)}")
    return value
