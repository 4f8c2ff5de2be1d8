"""What each output format is, decided in one table, and the output plan of a run decided from it.

A row says which module renders the format, whether it shows a document as data (so `--dry-run`
prints the request in it), whether `-r` prints a selected string bare, which printer shows a live
stream, whether a batch may be asked for it, whether, as `--format-error`, it keeps the one-line
summary, whether it prints what the API sent as received, and what separates a stream's documents.
Everything else reads the row: nothing else names formats to decide what they are.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple, Protocol

from ant_cli.core.plan import Format, OutputPlan, View


class Printer(Enum):
    """How a live stream is shown."""

    TEXT = "text"  # the completion deltas as they come
    PRETTY = "pretty"  # the text live, then a footer of facts
    LINE = "line"  # one line per event, as received (jsonl, raw)
    EVENT = "event"  # each event rendered on its own


class Renderer(Protocol):
    """A format module's `render`: the bytes that show `value` (the document, or what --transform selected)."""

    def __call__(self, value: object, item, view: View) -> bytes: ...


class Spec(NamedTuple):
    module: str  # the module whose `render` writes the format ("" for auto, which is never rendered)
    data: bool  # a document as data: --dry-run prints the request in it
    bare_strings: bool  # -r prints a selected string without JSON quotes
    printer: Printer  # how a live stream shows
    batch: bool  # a batch may be asked for it (it writes one JSON result per line)
    one_line_error: bool  # as --format-error: the one-line summary instead of the error body
    wire: bool = False  # prints what the API sent, as received, not the document
    separator: bytes = b""  # between the documents of a stream


FORMATS: dict[Format, Spec] = {
    Format.AUTO: Spec("", False, False, Printer.EVENT, True, True),
    Format.JSON: Spec("ant_cli.output.json_format", True, True, Printer.EVENT, False, False),
    Format.JSONL: Spec("ant_cli.output.jsonl_format", True, True, Printer.LINE, True, False),
    Format.RAW: Spec("ant_cli.output.raw_format", False, True, Printer.LINE, False, False, wire=True),
    Format.YAML: Spec("ant_cli.output.yaml_format", True, True, Printer.EVENT, False, False, separator=b"---\n"),
    Format.PRETTY: Spec("ant_cli.output.pretty", False, False, Printer.PRETTY, False, False),
    Format.TEXT: Spec("ant_cli.output.text_format", False, False, Printer.TEXT, False, True),
}


def resolve(fmt: Format, stdout_isatty: bool, streaming: bool) -> Format:
    """`auto`: the rich view on a terminal; in a pipe JSON, or one JSON line per event when streaming."""
    if fmt is not Format.AUTO:
        return fmt
    if stdout_isatty:
        return Format.PRETTY
    return Format.JSONL if streaming else Format.JSON


def error_view(error_format: Format, error_transform: str | None, raw_output: bool) -> View | None:
    """--format-error/--transform-error: the body on stderr; a one-line format keeps the summary."""
    one_line = FORMATS[error_format].one_line_error
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

    request_format = settings.output_format if FORMATS[settings.output_format].data else Format.TEXT
    return OutputPlan(view(False), view(True),
                      error_view(settings.error_format, settings.error_transform, settings.raw_output),
                      request_format)
