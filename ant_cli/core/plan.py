"""The output plan's types: how one run prints, decided once (by `ant_cli.output.formats`) from the options
and the terminal, then handed down.

Nothing below the command re-derives a format: renderers get a `View`, stream printers the stream's
`View`, and the error boundary the error `View` (None means the one-line summary).
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class Format(Enum):
    """The values of --format and --format-error."""

    AUTO = "auto"
    JSON = "json"
    JSONL = "jsonl"
    RAW = "raw"
    YAML = "yaml"
    PRETTY = "pretty"
    TEXT = "text"


FORMAT_NAMES = tuple(item.value for item in Format)


class View(NamedTuple):
    """How to show one document: a concrete format (never AUTO), a --transform path, -r, colour, width."""

    fmt: Format
    transform: str | None = None
    raw_output: bool = False
    color: bool = False
    width: int = 80


class OutputPlan(NamedTuple):
    """A whole response's view, each stream event's view, the error body's view (None: one line), and
    how --dry-run prints a request (TEXT: HTTP-like text; JSON, JSONL or YAML: the request as data)."""

    document: View
    stream: View
    error: View | None
    request: Format = Format.TEXT

    def response_view(self, streaming: bool) -> View:
        return self.stream if streaming else self.document
