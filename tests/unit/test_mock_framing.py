"""Request bodies off the wire: content-length, chunked with extensions and trailers, and the 32 MB limit."""

from __future__ import annotations

import io

import pytest

from ant_mock.framing import BadFraming, TooLarge, read_body, read_chunked, too_large_from_headers

CHUNKED = {"transfer-encoding": "chunked"}


def test_chunked_body_with_extensions_and_trailers():
    wire = io.BytesIO(b"4;name=value\r\nabcd\r\nA\r\n0123456789\r\n0\r\nx-trailer: 1\r\n\r\nNEXT")
    assert read_body(wire, CHUNKED) == b"abcd0123456789"
    assert wire.read() == b"NEXT"  # the next request starts exactly where this one ended


def test_chunked_wins_over_content_length():
    assert read_body(io.BytesIO(b"2\r\nok\r\n0\r\n\r\n"), dict(CHUNKED, **{"content-length": "99"})) == b"ok"


def test_content_length_body_leaves_the_rest_unread():
    wire = io.BytesIO(b"{}GET")
    assert read_body(wire, {"content-length": "2"}) == b"{}" and wire.read() == b"GET"


def test_no_length_is_an_empty_body():
    assert read_body(io.BytesIO(b"GET / HTTP/1.1"), {}) == b""


@pytest.mark.parametrize("wire", [b"zz\r\n", b"-1\r\n", b"0x2\r\nok\r\n0\r\n\r\n", b"4\r\nabcdEF\r\n", b"4",
                                  b"8\r\nabc"])
def test_broken_chunks_are_bad_framing(wire):
    with pytest.raises(BadFraming):
        read_chunked(io.BytesIO(wire))


@pytest.mark.parametrize("length", ["abc", "-5", "1e3"])
def test_a_bad_content_length_is_bad_framing(length):
    with pytest.raises(BadFraming):
        read_body(io.BytesIO(b""), {"content-length": length})


def test_too_large_is_decided_before_reading():
    never_read = io.BytesIO(b"")
    with pytest.raises(TooLarge):
        read_body(never_read, {"content-length": str(32_000_001)})
    assert too_large_from_headers({"content-length": "33000000"})
    assert not too_large_from_headers({"content-length": "32000000"})
    assert not too_large_from_headers(dict(CHUNKED, **{"content-length": "33000000"}))


def test_a_chunked_body_stops_at_the_limit():
    with pytest.raises(TooLarge):
        read_chunked(io.BytesIO(b"8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n"), limit=10)
