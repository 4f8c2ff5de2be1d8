"""The output plan: how one run prints, decided once from the options and the terminal, then handed down.

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


def resolve(fmt: Format, stdout_isatty: bool, streaming: bool) -> Format:
    """`auto`: the rich view on a terminal; in a pipe JSON, or one JSON line per event when streaming."""
    if fmt is not Format.AUTO:
        return fmt
    if stdout_isatty:
        return Format.PRETTY
    return Format.JSONL if streaming else Format.JSON


def error_view(error_format: Format, error_transform: str | None, raw_output: bool) -> View | None:
    """--format-error/--transform-error: the body on stderr; auto and text keep the one-line summary."""
    one_line = error_format in (Format.AUTO, Format.TEXT)
    if one_line and not error_transform:
        return None
    return View(Format.JSON if one_line else error_format, error_transform, raw_output)


def terminal_width() -> int:
    import shutil  # here: it costs a millisecond (bz2, lzma) that a run into a pipe, --help or an error need not pay

    return shutil.get_terminal_size((80, 24)).columns


def decide(settings, stdout_isatty: bool, color: bool) -> OutputPlan:
    """The plan for one run of a command, from its Settings and the terminal."""
    width = terminal_width() if stdout_isatty else 80

    def view(streaming: bool) -> View:
        fmt = resolve(settings.output_format, stdout_isatty, streaming)
        return View(fmt, settings.transform, settings.raw_output, color, width)

    as_data = settings.output_format in (Format.JSON, Format.JSONL, Format.YAML)
    return OutputPlan(view(False), view(True),
                      error_view(settings.error_format, settings.error_transform, settings.raw_output),
                      settings.output_format if as_data else Format.TEXT)
