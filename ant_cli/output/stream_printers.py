"""Printers for a live stream: each turns one event into the bytes to print.

The command writes and flushes once per network read, so a pipe sees each event as it arrives.
An event comes as (completion, line, wire): its completion event (None when it has none), that
completion's JSON text when at hand, and the data as received. jsonl prints the JSON text as it is
instead of dumping the completion again (an event whose data spans several `data:` lines is dumped,
so that it stays one line); raw prints the data as received, another API's own events included
(keep-alive pings aside, as on every API; an `error` event is reported on stderr).
"""

from __future__ import annotations

from ant_cli.core.plan import View
from ant_cli.output import Item, apply_transform, renderer_for
from ant_cli.output.encoding import compact_json, utf8_text
from ant_cli.output.formats import FORMATS, Printer
from ant_cli.output.pretty import stream_footer
from ant_cli.output.syntax_colour import colour_json
from ant_cli.output.text_format import text_of


class EventPrinter:
    """json, jsonl, raw, yaml: each completion event rendered on its own, --transform and -r per event."""

    def __init__(self, view: View, request_id: str | None):
        self.view, self.request_id, self.count = view, request_id, 0
        self.render = renderer_for(view)
        self.separator = FORMATS[view.fmt].separator

    def event(self, document: dict | None, line: str | None, wire: str) -> bytes:
        if document is None:
            return b""
        rendered = self.render(Item(document, wire.encode("utf-8"), self.request_id))
        separator = self.separator if self.count else b""
        self.count += 1
        return separator + rendered

    def finish(self, completed: bool) -> bytes:
        return b""


class LinePrinter(EventPrinter):
    """jsonl and raw without --transform: the completion's JSON text (jsonl, coloured when colour is on), or
    the data as received (raw, never coloured)."""

    def __init__(self, view: View, request_id: str | None):
        super().__init__(view, request_id)
        self.wire, self.color = FORMATS[view.fmt].wire, view.color  # looked up once: this runs per event

    def event(self, document: dict | None, line: str | None, wire: str) -> bytes:
        if self.wire:
            return wire.encode("utf-8") + b"\n"
        if document is None:
            return b""
        text = line if line is not None and "\n" not in line else compact_json(document)
        if self.color:
            text = colour_json(text)
        return (text + "\n").encode("utf-8", "backslashreplace")  # a lone surrogate as its JSON escape


class TextPrinter:
    """text: the completion deltas exactly as they come, then one final newline."""

    def __init__(self, view: View, request_id: str | None):
        self.view, self.request_id = view, request_id
        self.ends_with_newline, self.printed = True, False
        self.last: dict = {}

    def event(self, document: dict | None, line: str | None, wire: str) -> bytes:
        if document is None:
            return b""
        self.last = document
        text = text_of(apply_transform(document, self.view.transform), self.view)  # nothing added per chunk
        if text:
            self.printed, self.ends_with_newline = True, text.endswith("\n")
        return utf8_text(text)

    def finish(self, completed: bool) -> bytes:
        """One final newline, unless the text already ended with one (or nothing came of a broken stream)."""
        if not (completed or self.printed):
            return b""
        return b"" if self.printed and self.ends_with_newline else b"\n"


class PrettyPrinter(TextPrinter):
    """pretty: the text growing live on the terminal, then a footer with the stop reason and ids."""

    def finish(self, completed: bool) -> bytes:
        return super().finish(completed) + (stream_footer(self.last, self.request_id, self.view) if completed else b"")


def make_printer(view: View, request_id: str | None):
    """The printer for a stream shown in `view`: its format's, or each event rendered alone when --transform
    selects a part of every event."""
    kind = FORMATS[view.fmt].printer
    if view.transform and kind in (Printer.PRETTY, Printer.LINE):
        kind = Printer.EVENT
    printers = {Printer.TEXT: TextPrinter, Printer.PRETTY: PrettyPrinter, Printer.LINE: LinePrinter,
                Printer.EVENT: EventPrinter}
    return printers[kind](view, request_id)
