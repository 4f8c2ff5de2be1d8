"""A streamed response read event by event: decoded, counted, and checked for its final event.

`EventStream` yields, per network read, the events that read finished, each as a triple
(completion, line, wire): the completion event it amounts to (None for an event that has none),
that completion's JSON text when it is at hand (None when it has to be dumped), and the event's data
as received (what `--format raw` prints). Printing them is the output layer's business. Which events
are completions is the API adapter's to say (`ant_cli.client.apis`): for `/v1/complete` each
`completion` event, its data line being its JSON; for `/v1/messages` the translated events.
An `error` event raises StreamEventError, a broken or unfinished stream StreamCut, an undecodable
event MalformedResponse; in every case the events decoded before the failure are yielded first, so
none is lost.
"""

from __future__ import annotations

import json
from typing import Iterator

from ant_cli.client.api_errors import stream_error
from ant_cli.client.apis import CompletionEvents, EventReader
from ant_cli.client.network_errors import describe_network_error, network_exceptions
from ant_cli.client.sse import SSEDecoder
from ant_cli.core.errors import AntError, MalformedResponse, NetworkError

Event = tuple[dict | None, str | None, str]  # completion, its JSON text if known, the data as received


class StreamCut(NetworkError):
    """The stream ended (or broke) before its final event; `events` tells how many were decoded."""

    def __init__(self, message: str, events: int):
        super().__init__(message)
        self.events = events
        self.printed = True  # the printer says otherwise: only a stream that printed nothing may be sent again


def decode_events(datas: list[str], request_id: str | None) -> tuple[list[dict], AntError | None]:
    """Parse many events' JSON in one call (as one array); only if that fails, one by one up to the bad one."""
    if not datas:
        return [], None
    try:
        documents = json.loads("[" + ",".join(datas) + "]")
        if len(documents) == len(datas) and all(type(item) is dict for item in documents):
            return documents, None
    except ValueError:
        pass
    good: list[dict] = []
    for data in datas:
        try:
            document = json.loads(data)
        except ValueError:
            document = None
        if not isinstance(document, dict):
            return good, MalformedResponse(f"the stream sent a completion event that is not a JSON object: "
                                           f"{data[:80]!r}", data.encode(), None, request_id)
        good.append(document)
    raise AssertionError("unreachable: every event parsed alone")


class EventStream:
    """Iterate over it for the completion events of each network read; `completed` once the final one came."""

    def __init__(self, response, timeout: float, max_items: int | None = None, debug=None,
                 reader: EventReader | None = None):
        self.response, self.timeout, self.debug = response, timeout, debug
        self.reader = reader or CompletionEvents()
        self.max_items = max_items if max_items is not None and max_items >= 0 else None
        self.events = 0
        self.completed = False

    @property
    def limit_reached(self) -> bool:
        return self.max_items is not None and self.events >= self.max_items

    def __iter__(self) -> Iterator[list[Event]]:
        if self.limit_reached:
            return
        decoder = SSEDecoder()
        for chunk in self._network_reads():
            pairs, failure = self._completions(decoder.feed(chunk))
            if pairs:
                yield pairs
            if failure is not None:
                raise failure
            if self.limit_reached:
                return
        if not self.completed:
            raise self.cut_short(None)

    def close(self) -> None:
        self.response.close()

    def cut_short(self, cause: NetworkError | None) -> StreamCut:
        detail = f": {cause}" if cause else ""
        return StreamCut(f"the stream was cut short after {self.events} events, before its final event{detail}",
                         self.events)

    def _network_reads(self) -> Iterator[bytes]:
        """The body's reads; a failure here (not one writing stdout) means the stream was cut."""
        reads = self.response.read_chunks()
        while True:
            try:
                chunk = next(reads, None)
            except network_exceptions() as exc:
                cause = describe_network_error(exc, self.response.handle.url, self.timeout, self.timeout)
                raise self.cut_short(cause) from None
            if chunk is None:
                return
            yield chunk

    def _completions(self, events) -> tuple[list[Event], AntError | None]:
        """The completion events among one read's events, and the failure that ended them, if any."""
        names: list[str] = []
        datas: list[str] = []
        failure: AntError | None = None
        for name, data in events:
            if self.debug:
                self.debug.event(name, data)
            if name in self.reader.names:
                names.append(name)
                datas.append(data)
            elif name == "error":
                failure = stream_error(data, self.response.request_id)
                break
        found = self.reader.completion_lines(names, datas)
        if found is None:
            return self._translated(names, datas, failure)
        return self._lines(*found, datas, failure)

    def _lines(self, lines: list[str], documents: list[dict] | None, datas: list[str], failure: AntError | None):
        """Events whose completions' JSON text is at hand: only as many decoded as --max-items still wants."""
        if self.max_items is not None and len(lines) >= self.max_items - self.events:
            lines, failure = lines[: max(self.max_items - self.events, 0)], None  # what follows the limit is unread
        bad = None
        if documents is None:
            documents, bad = decode_events(lines, self.response.request_id)
        documents = documents[: len(lines)]
        self._count(documents)
        return list(zip(documents, lines, datas, strict=False)), bad or failure

    def _translated(self, names: list[str], datas: list[str], failure: AntError | None):
        """Each event with the completion it amounts to (or None), up to --max-items completions."""
        documents, bad = decode_events(datas, self.response.request_id)
        completions = self._up_to_limit(self.reader.completions(names, documents))
        found = [completion for completion, _ in completions if completion is not None]
        self.events += len(found)
        self.completed = self.completed or any(document.get("stop_reason") for document in found[-1:])
        events = [(completion, line, data) for (completion, line), data in zip(completions, datas, strict=False)]
        if self.limit_reached:  # --max-items: what follows the limit is not read, an error event included
            return events, None
        return events, bad or failure

    def _up_to_limit(self, completions: list) -> list:
        """The events up to the one that brings the count of completions to --max-items."""
        if self.max_items is None:
            return completions
        wanted = self.max_items - self.events
        for index, (completion, _) in enumerate(completions):
            if wanted <= 0:
                return completions[:index]
            if completion is not None:
                wanted -= 1
        return completions

    def _count(self, completions: list[dict]) -> None:
        self.events += len(completions)
        self.completed = self.completed or any(document.get("stop_reason") for document in completions)
