"""`--stream`: decode the SSE answer and print each event the moment it is decoded.

Output is written and flushed once per network read, so a pipe sees each event as soon as it
arrives; nothing accumulates but the event being decoded, so memory stays flat.
"""

from __future__ import annotations

import contextlib
import json

from ant_cli.api_errors import stream_error
from ant_cli.errors import ApiError, NetworkError, OutputError
from ant_cli.network_errors import describe_network_error, network_exceptions
from ant_cli.output import Item, View, apply_transform, renderer_for
from ant_cli.output.text_format import text_of
from ant_cli.sse import SSEDecoder


def decode_batch(datas: list[str], request_id: str | None) -> list[dict]:
    """Parse many events' JSON in one call (as one array); find the bad one only if that fails."""
    if not datas:
        return []
    try:
        documents = json.loads("[" + ",".join(datas) + "]")
        if len(documents) == len(datas) and all(type(item) is dict for item in documents):
            return documents
    except ValueError:
        pass
    for data in datas:
        try:
            if not isinstance(json.loads(data), dict):
                raise ValueError
        except ValueError:
            raise ApiError(f"the stream sent a completion event that is not a JSON object: {data[:80]!r}", 200,
                           data.encode(), None, request_id) from None
    raise AssertionError("unreachable: every event parsed alone")


class StreamCut(NetworkError):
    """The stream ended (or broke) before its final event; `events` tells how many were printed."""

    def __init__(self, message: str, events: int):
        super().__init__(message)
        self.events = events


def stream_format(fmt: str, stdout_isatty: bool) -> str:
    """`auto` streams the growing text (pretty) on a terminal and one JSON line per event in a pipe."""
    if fmt == "auto":
        return "pretty" if stdout_isatty else "jsonl"
    return fmt


class EventPrinter:
    """json, jsonl, raw, yaml: each completion event rendered on its own, --transform and -r per event."""

    def __init__(self, view: View, request_id: str | None):
        self.view, self.request_id, self.count = view, request_id, 0
        self.render = renderer_for(view)

    def event(self, document: dict, data: str) -> bytes:
        rendered = self.render(Item(document, data.encode("utf-8"), self.request_id))
        separator = b"---\n" if self.view.fmt == "yaml" and self.count else b""
        self.count += 1
        return separator + rendered

    def finish(self, completed: bool) -> bytes:
        return b""


class TextPrinter:
    """text: the completion deltas exactly as they come, then one final newline."""

    def __init__(self, view: View, request_id: str | None):
        self.view, self.request_id = view, request_id
        self.ends_with_newline, self.printed = True, False
        self.last: dict = {}

    def event(self, document: dict, data: str) -> bytes:
        self.last = document
        text = text_of(apply_transform(document, self.view.transform), self.view)  # nothing added per chunk
        if text:
            self.printed, self.ends_with_newline = True, text.endswith("\n")
        return text.encode("utf-8")

    def finish(self, completed: bool) -> bytes:
        """One final newline, unless the text already ended with one (or nothing came of a broken stream)."""
        if not (completed or self.printed):
            return b""
        return b"" if self.printed and self.ends_with_newline else b"\n"


class PrettyPrinter(TextPrinter):
    """pretty: the text growing live on the terminal, then a footer with the stop reason and ids."""

    def finish(self, completed: bool) -> bytes:
        from ant_cli.output.pretty import stream_footer

        return super().finish(completed) + (stream_footer(self.last, self.request_id, self.view) if completed else b"")


def make_printer(view: View, request_id: str | None):
    if view.fmt == "text":
        return TextPrinter(view, request_id)
    if view.fmt == "pretty" and not view.transform:
        return PrettyPrinter(view, request_id)
    return EventPrinter(view, request_id)


class StreamRun:
    """One streamed response being decoded, counted and printed."""

    def __init__(self, response, view: View, env, max_items: int | None, timeout: float, debug=None):
        self.response, self.env, self.debug, self.timeout = response, env, debug, timeout
        self.printer = make_printer(view, response.request_id)
        self.max_items = max_items
        self.events = 0
        self.completed = False

    def run(self) -> int:
        if self.max_items == 0:
            self.response.close()
            return 0
        decoder = SSEDecoder()
        try:
            for chunk in self._network_reads():
                if self._print(decoder.feed(chunk)):
                    return 0
        finally:
            self._end()
        if not self.completed:
            raise self._cut_short(None)
        return 0

    def _network_reads(self):
        """The body's reads; a failure here (not a failure writing stdout) means the stream was cut."""
        reads = self.response.read_chunks()
        while True:
            try:
                chunk = next(reads, None)
            except network_exceptions() as exc:
                raise self._cut_short(describe_network_error(exc, self.response.handle.url, self.timeout,
                                                             self.timeout)) from None
            if chunk is None:
                return
            yield chunk

    def _print(self, events) -> bool:
        """Print a batch of decoded events with one write and flush; True once --max-items is reached."""
        out, pending = [], []
        try:
            for name, data in events:
                if self.debug:
                    self.debug.event(name, data)
                if name == "completion":
                    pending.append(data)
                elif name == "error":
                    out += self._completions(pending)
                    raise stream_error(data, self.response.request_id)
            out += self._completions(pending)
        finally:
            self._write(b"".join(out))
        return self.max_items is not None and 0 < self.max_items <= self.events

    def _completions(self, datas: list[str]) -> list[bytes]:
        if self.max_items is not None and self.max_items > 0:
            datas = datas[: max(self.max_items - self.events, 0)]
        documents = decode_batch(datas, self.response.request_id)
        self.events += len(documents)
        if any(document.get("stop_reason") for document in documents):
            self.completed = True
        event = self.printer.event
        return [event(document, data) for document, data in zip(documents, datas, strict=True)]

    def _write(self, data: bytes) -> None:
        if data:
            self.env.write_out(data)

    def _end(self) -> None:
        """Close the connection and end the output cleanly, whatever stopped the stream."""
        self.response.close()
        with contextlib.suppress(OSError, ValueError, OutputError):
            self._write(self.printer.finish(self.completed))

    def _cut_short(self, cause: NetworkError | None) -> "StreamCut":
        detail = f": {cause}" if cause else ""
        return StreamCut(f"the stream was cut short after {self.events} events, before its final event{detail}",
                         self.events)


def print_stream(response, invocation, env, debug=None) -> int:
    """Print a streamed answer; the exit status is 0, or an error propagates (5 error event, 3 cut short)."""
    from ant_cli.app import output_view, with_error_view

    settings = invocation.settings
    view = output_view(stream_format(settings.output_format, env.stdout_isatty), settings, env, settings.transform)
    try:
        return StreamRun(response, view, env, invocation.args.max_items, settings.timeout, debug).run()
    except ApiError as error:
        raise with_error_view(error, settings, env) from None
