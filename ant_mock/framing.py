"""Reading a request body off the wire: `content-length` or chunked, never past the size limit.

Pure functions over a binary file object, so they can be tested on bytes in memory.
"""

from __future__ import annotations

import re
from typing import Protocol

from ant_mock.knowledge import MAX_BODY_BYTES

HEX_SIZE = re.compile(rb"[0-9a-fA-F]{1,16}")


class HeaderSource(Protocol):
    """Read access to request headers: a dict, or the `email.message.Message` http.server parses."""

    def get(self, name: str, default: None = None) -> str | None: ...


class Readable(Protocol):
    """The reading end of a connection (or bytes in memory in a test)."""

    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


class TooLarge(Exception):
    """The body is over the limit: answered 413 without reading the rest."""


class BadFraming(Exception):
    """The body cannot be delimited (bad length or chunk syntax, or the client left early)."""


def is_chunked(headers: HeaderSource) -> bool:
    return "chunked" in (headers.get("transfer-encoding") or "").lower()


def declared_length(headers: HeaderSource) -> int:
    """The content-length (0 when absent); BadFraming when it is not a non-negative integer."""
    text = (headers.get("content-length") or "0").strip()
    if not text.isdigit():
        raise BadFraming(f"invalid content-length: {text[:40]!r}")
    return int(text)


def too_large_from_headers(headers: HeaderSource, limit: int = MAX_BODY_BYTES) -> bool:
    """Whether the headers alone already announce a body over the limit."""
    try:
        return not is_chunked(headers) and declared_length(headers) > limit
    except BadFraming:
        return False


def read_body(rfile: Readable, headers: HeaderSource, limit: int = MAX_BODY_BYTES) -> bytes:
    if is_chunked(headers):  # chunked wins over content-length (RFC 9112 §6.3)
        return read_chunked(rfile, limit)
    length = declared_length(headers)
    if length > limit:
        raise TooLarge()
    return read_exactly(rfile, length)


def read_exactly(rfile: Readable, length: int) -> bytes:
    data = rfile.read(length) if length else b""
    if len(data) < length:
        raise BadFraming("the body ended before its length")
    return data


def read_chunked(rfile: Readable, limit: int = MAX_BODY_BYTES) -> bytes:
    parts, total = [], 0
    while True:
        size = chunk_size(rfile.readline(1024))
        if size == 0:
            break
        total += size
        if total > limit:
            raise TooLarge()
        parts.append(read_exactly(rfile, size))
        if rfile.readline(3).rstrip(b"\r\n") != b"":
            raise BadFraming("chunk data longer than its size")
    skip_trailers(rfile)
    return b"".join(parts)


def chunk_size(line: bytes) -> int:
    if not line.endswith(b"\n"):
        raise BadFraming("truncated chunk size line")
    text = line.split(b";", 1)[0].strip()  # chunk extensions are allowed and ignored
    if not HEX_SIZE.fullmatch(text):
        raise BadFraming(f"invalid chunk size: {text[:20]!r}")
    return int(text, 16)


def skip_trailers(rfile: Readable) -> None:
    for _ in range(100):
        line = rfile.readline(8192)
        if line in (b"\r\n", b"\n", b""):
            return
    raise BadFraming("too many trailer lines")
