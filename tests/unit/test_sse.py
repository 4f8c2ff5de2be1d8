"""Unit tests of the SSE decoder: line endings, fragmentation, comments, multi-line data, errors.

Property: the SSE decoder gives the same events however the network splits or merges the bytes.
"""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ant_cli.client.sse import Event, SSEDecoder

STREAM = (b'event: completion\ndata: {"completion": " Hi", "stop_reason": null}\n\n'
          b": keep-alive comment\n\n"
          b'event: ping\ndata: {"type": "ping"}\n\n'
          b'event: completion\ndata: {"completion": "", "stop_reason": "stop_sequence"}\n\n')
EXPECTED = [Event("completion", '{"completion": " Hi", "stop_reason": null}'), Event("ping", '{"type": "ping"}'),
            Event("completion", '{"completion": "", "stop_reason": "stop_sequence"}')]


def decode(chunks):
    decoder = SSEDecoder()
    events = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_each_line_ending(ending):
    assert decode([STREAM.replace(b"\n", ending)]) == EXPECTED


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_every_split_point_gives_the_same_events(ending):
    data = STREAM.replace(b"\n", ending)
    for cut in range(1, len(data)):
        assert decode([data[:cut], data[cut:]]) == EXPECTED, cut


def test_one_byte_at_a_time():
    assert decode([STREAM[i:i + 1] for i in range(len(STREAM))]) == EXPECTED


def test_crlf_split_across_reads_is_one_line_ending():
    assert decode([b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\n"]) == [Event("message", "a"), Event("message", "b")]


def test_multi_line_data_is_joined_with_newlines():
    assert decode([b"event: x\ndata: line one\ndata:line two\ndata\n\n"]) == [Event("x", "line one\nline two\n")]


def test_comments_and_unknown_fields_are_ignored():
    assert decode([b": hello\nid: 7\nretry: 100\nfoo: bar\ndata: d\n\n"]) == [Event("message", "d")]


def test_event_without_data_and_blank_lines_alone():
    assert decode([b"\n\n\nevent: ping\n\n"]) == [Event("ping", "")]


def test_multibyte_character_split_across_reads():
    data = 'data: {"completion": "héllo ✓"}\n\n'.encode()
    cut = data.index("✓".encode()) + 1
    assert json.loads(decode([data[:cut], data[cut:]])[0][1])["completion"] == "héllo ✓"


def test_an_event_needs_its_blank_line():
    decoder = SSEDecoder()
    assert decoder.feed(b"event: completion\ndata: {}\n") == []
    assert decoder.feed(b"\n") == [Event("completion", "{}")]


def test_fast_path_and_general_path_agree():
    assert decode([b"event: a\ndata: 1\n\n"]) == decode([b"data: 1\nevent: a\n\n"]) == [Event("a", "1")]
    assert decode([b"event:a\ndata:1\n\n"]) == [Event("a", "1")]


@pytest.mark.parametrize("data", [
    '{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}',
    '{"error": {"type": "overloaded_error", "message": "Overloaded"}}',
])
def test_both_error_shapes_decode(data):
    from ant_cli.client.api_errors import stream_error

    ((name, payload),) = decode([f"event: error\ndata: {data}\n\n".encode()])
    assert name == "error"
    error = stream_error(payload, "req_1")
    assert str(error) == "error in the stream: overloaded_error: Overloaded (request-id req_1)"
    assert error.exit_code == 5


def test_only_the_unfinished_event_is_kept():
    import tracemalloc

    decoder = SSEDecoder()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(1000):
        decoder.feed(b'event: completion\ndata: {"completion": "x"}\n\nevent: compl')
        decoder.feed(b"etion\ndata: {}\n\n")
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert grown < 4096  # 2,000 events went through; what stays is at most one unfinished event
    assert decoder.feed(b"event: ping\ndata: {}\n\n") == [("ping", "{}")]  # and nothing was left over


# Field values may hold anything but line breaks (the format has no escape for them), including ':' and
# non-ASCII text whose UTF-8 bytes a read can split.
VALUE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=12)
NAME = st.one_of(st.just("completion"), st.just("ping"), VALUE.filter(lambda name: name != ""))
EVENT = st.tuples(NAME, st.lists(VALUE, min_size=1, max_size=3))
ENDING = st.sampled_from(["\n", "\r\n", "\r"])


def encode(events, ending: str, comments: bool) -> bytes:
    """Events as a server writes them; a comment line before each when asked."""
    blocks = []
    for name, datas in events:
        lines = [": keep-alive"] if comments else []
        lines += [f"event: {name}"] + [f"data: {data}" for data in datas]
        blocks.append(ending.join(lines) + ending + ending)
    return "".join(blocks).encode()


def split(data: bytes, cuts: set[int]) -> list[bytes]:
    bounds = [0, *sorted(cuts), len(data)]
    return [data[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]


def pairs_from(reads: list[bytes]) -> list[tuple[str, str]]:
    decoder = SSEDecoder()
    return [tuple(event) for read in reads for event in decoder.feed(read)]


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENT, max_size=5), ENDING, st.booleans(), st.data())
def test_any_split_of_the_bytes_gives_the_events_in_order(events, ending, comments, data):
    stream = encode(events, ending, comments)
    cuts = data.draw(st.sets(st.integers(1, max(len(stream) - 1, 1)), max_size=len(stream)))
    expected = [(name, "\n".join(datas)) for name, datas in events]
    assert pairs_from(split(stream, cuts)) == expected


@settings(max_examples=50, deadline=None)
@given(st.lists(EVENT, min_size=1, max_size=3), ENDING)
def test_every_byte_boundary_one_byte_reads_and_one_read_agree(events, ending):
    stream = encode(events, ending, comments=False)
    whole = pairs_from([stream])
    assert pairs_from([stream[i:i + 1] for i in range(len(stream))]) == whole
    for cut in range(1, len(stream)):
        assert pairs_from([stream[:cut], stream[cut:]]) == whole, cut
