"""An incremental Server-Sent Events decoder (the WHATWG rules the API's streams follow).

Bytes go in as they arrive from the network, in pieces of any size; complete events come out.
Handles `\\n`, `\\r\\n` and `\\r` line endings (also a `\\r\\n` split across reads), comment lines,
multi-line `data`, and fields without a value. Only the unfinished event is kept between reads;
an event not ended by a blank line when the stream closes is dropped, as the standard says.

Speed: the events completed by one read are decoded together. When they all have the API's usual
`event: NAME` / `data: ...` shape, two regular-expression passes in C do the work; anything else
takes the general line-by-line rules.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Event(NamedTuple):
    name: str
    data: str


_USUAL_RUN = re.compile(r"(?:event: [^:\n]*\ndata: [^\n]*\n\n)*")
_USUAL_EVENT = re.compile(r"event: ([^:\n]*)\ndata: ([^\n]*)\n\n")


class SSEDecoder:
    """Feed it bytes with `feed` as they arrive; it returns the events those bytes completed.

    Events come back as (name, data) pairs: plain tuples on the fast path, `Event`s otherwise.
    """

    def __init__(self):
        self._partial = b""
        self._skip_lf = False  # the last read ended in \r: a \n starting the next one belongs to it

    def feed(self, chunk: bytes) -> list[tuple[str, str]]:
        if self._skip_lf and chunk[:1] == b"\n":
            chunk = chunk[1:]
        self._skip_lf = False
        if b"\r" in chunk:
            self._skip_lf = chunk.endswith(b"\r")
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        buffer = self._partial + chunk
        end = buffer.rfind(b"\n\n")
        if end < 0:
            self._partial = buffer
            return []
        self._partial = buffer[end + 2:]
        return decode_events(buffer[:end + 2].decode("utf-8", "replace"))


def decode_events(text: str) -> list[tuple[str, str]]:
    """The events in `text`, which ends at an event boundary."""
    if _USUAL_RUN.fullmatch(text):
        return _USUAL_EVENT.findall(text)
    return [event for event in map(parse_block, text.split("\n\n")) if event]


def parse_block(block: str) -> Event | None:
    """The general rules for one event: comments, any field order, several data lines, bare fields."""
    name, data = "", []
    for line in block.split("\n"):
        if not line or line[0] == ":":
            continue
        field, _, value = line.partition(":")
        if value[:1] == " ":
            value = value[1:]
        if field == "data":
            data.append(value)
        elif field == "event":
            name = value
    if not data and not name:
        return None
    return Event(name or "message", "\n".join(data))
