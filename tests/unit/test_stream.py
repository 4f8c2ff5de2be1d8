"""Unit tests of EventStream: a streamed response read event by event over fake network reads.

Each fake read is one list item, so a test says exactly which events arrive together. What matters
to the user: no decoded event is lost before a failure, failures name what happened, and a stream
that ends without its final event is never taken for a complete one.
"""

from __future__ import annotations

import json

import pytest
import requests
import urllib3

from ant_cli.client.stream import EventStream, StreamCut, decode_events
from ant_cli.core.errors import MalformedResponse, StreamEventError


def completion(text: str, stop_reason: str | None = None) -> bytes:
    data = json.dumps({"type": "completion", "completion": text, "stop_reason": stop_reason})
    return f"event: completion\ndata: {data}\n\n".encode()


PING = b'event: ping\ndata: {"type": "ping"}\n\n'
FINAL = completion("", "stop_sequence")


class FakeHandle:
    url = "https://api.example.test/v1/complete"


class FakeResponse:
    """A streamed response: `reads` are the network reads, in order; an exception among them is raised there."""

    def __init__(self, *reads, request_id: str | None = "req_1"):
        self.reads = reads
        self.request_id = request_id
        self.handle = FakeHandle()
        self.closed = False
        self.reads_taken = 0

    def read_chunks(self):
        for read in self.reads:
            self.reads_taken += 1
            if isinstance(read, BaseException):
                raise read
            yield read

    def close(self) -> None:
        self.closed = True


def texts(batches) -> list[list[str]]:
    """The completion text of each event, grouped by the network read that brought it."""
    return [[document["completion"] for document, _, _ in batch] for batch in batches]


def read_all(stream: EventStream) -> tuple[list[list[str]], BaseException | None]:
    """Everything the stream yields, and the error that ended it (None for a clean end)."""
    batches = []
    try:
        for batch in stream:
            batches.append(batch)
    except Exception as failure:  # the test inspects which error it was
        return texts(batches), failure
    return texts(batches), None


def test_each_read_yields_the_events_it_completed():
    stream = EventStream(FakeResponse(completion(" Hel") + completion("lo"), PING, completion("!") + FINAL), 10)
    assert read_all(stream) == ([[" Hel", "lo"], ["!", ""]], None)
    assert stream.completed and stream.events == 4


def test_each_event_comes_with_its_data_line_as_received():
    (batch,) = list(EventStream(FakeResponse(FINAL), 10))
    (document, line, data), = batch
    assert document["stop_reason"] == "stop_sequence" and json.loads(data) == document and line == data


def test_an_event_split_across_reads_arrives_with_the_read_that_ends_it():
    whole = completion(" split") + FINAL
    assert read_all(EventStream(FakeResponse(whole[:10], whole[10:]), 10)) == ([[" split", ""]], None)


def test_a_bad_event_after_good_ones_in_one_read_yields_the_good_ones_first():
    read = completion(" one") + completion(" two") + b"event: completion\ndata: [1]\n\n" + completion(" lost") + FINAL
    got, failure = read_all(EventStream(FakeResponse(read), 10))
    assert got == [[" one", " two"]]
    assert isinstance(failure, MalformedResponse) and failure.request_id == "req_1"
    assert str(failure) == "the stream sent a completion event that is not a JSON object: '[1]'"


def test_an_undecodable_first_event_yields_nothing_before_the_error():
    got, failure = read_all(EventStream(FakeResponse(b"event: completion\ndata: {oops\n\n"), 10))
    assert got == [] and isinstance(failure, MalformedResponse) and "'{oops'" in str(failure)


def test_an_error_event_ends_the_stream_after_the_events_before_it():
    error = b'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", "message": "busy"}}\n\n'
    got, failure = read_all(EventStream(FakeResponse(completion(" a"), completion(" b") + error + FINAL), 10))
    assert got == [[" a"], [" b"]]
    assert isinstance(failure, StreamEventError)
    assert str(failure) == "error in the stream: overloaded_error: busy (request-id req_1)"


@pytest.mark.parametrize("data, line", [
    ('{"error": {"type": "api_error", "message": "boom"}}', "error in the stream: api_error: boom"),
    ("upstream went away", "error in the stream: error: upstream went away"),
    ("", "error in the stream: error: (no message)"),
])
def test_an_error_event_in_any_shape_is_one_line(data, line):
    error = f"event: error\ndata: {data}\n\n".encode()
    _, failure = read_all(EventStream(FakeResponse(error, request_id=None), 10))
    assert isinstance(failure, StreamEventError) and str(failure) == line


def test_a_stream_that_ends_without_its_final_event_was_cut_short():
    stream = EventStream(FakeResponse(completion(" a") + completion(" b")), 10)
    got, failure = read_all(stream)
    assert got == [[" a", " b"]] and not stream.completed
    assert isinstance(failure, StreamCut) and failure.events == 2
    assert str(failure) == "the stream was cut short after 2 events, before its final event"


@pytest.mark.parametrize("broken", [
    requests.exceptions.ChunkedEncodingError(urllib3.exceptions.ProtocolError("Connection broken")),
    urllib3.exceptions.ProtocolError("Connection broken: IncompleteRead(3 bytes read)"),
    ConnectionResetError(104, "Connection reset by peer"),
])
def test_a_broken_connection_is_a_cut_that_says_why(broken):
    response = FakeResponse(completion(" a"), broken, FINAL)
    got, failure = read_all(EventStream(response, 10))
    assert got == [[" a"]] and isinstance(failure, StreamCut) and failure.events == 1
    assert str(failure).startswith("the stream was cut short after 1 events, before its final event: ")
    assert "api.example.test" in str(failure) and response.reads_taken == 2


def test_a_read_timeout_mid_stream_names_the_timeout():
    stalled = requests.exceptions.ConnectionError(urllib3.exceptions.ReadTimeoutError(None, None, "Read timed out."))
    _, failure = read_all(EventStream(FakeResponse(completion(" a"), stalled), 7))
    assert isinstance(failure, StreamCut) and "timed out after 7s waiting for the response" in str(failure)


def test_max_items_stops_reading_once_reached():
    response = FakeResponse(completion(" a") + completion(" b") + completion(" c"), completion(" d"), FINAL)
    stream = EventStream(response, 10, max_items=2)
    assert read_all(stream) == ([[" a", " b"]], None)
    assert stream.limit_reached and not stream.completed and response.reads_taken == 1


def test_max_items_across_reads_counts_every_event():
    response = FakeResponse(completion(" a"), PING, completion(" b") + completion(" c"), FINAL)
    assert read_all(EventStream(response, 10, max_items=2)) == ([[" a"], [" b"]], None)


ERROR_EVENT = b'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", "message": "x"}}\n\n'


@pytest.mark.parametrize("reads", [
    [completion(" a") + completion(" b") + ERROR_EVENT],  # the error in the same read as the limit
    [completion(" a") + completion(" b"), ERROR_EVENT],  # ... or in the next one: the same outcome
])
def test_an_error_after_max_items_is_never_read(reads):
    assert read_all(EventStream(FakeResponse(*reads), 10, max_items=2)) == ([[" a", " b"]], None)


def test_max_items_zero_reads_nothing():
    response = FakeResponse(completion(" a"), FINAL)
    assert read_all(EventStream(response, 10, max_items=0)) == ([], None)
    assert response.reads_taken == 0


@pytest.mark.parametrize("unlimited", [None, -1])
def test_no_limit_or_a_negative_one_reads_to_the_end(unlimited):
    stream = EventStream(FakeResponse(completion(" a"), completion(" b"), FINAL), 10, max_items=unlimited)
    assert read_all(stream) == ([[" a"], [" b"], [""]], None) and not stream.limit_reached


def test_only_an_event_with_a_stop_reason_completes_the_stream():
    stream = EventStream(FakeResponse(completion(" a"), PING), 10)
    assert read_all(stream)[1] is not None and not stream.completed
    stream = EventStream(FakeResponse(completion(" a", "max_tokens")), 10)
    assert read_all(stream) == ([[" a"]], None) and stream.completed


def test_events_other_than_completions_are_not_yielded_but_are_logged():
    debug = []

    class Log:
        def event(self, name, data):
            debug.append(name)

    stream = EventStream(FakeResponse(PING + completion(" a"), FINAL), 10, debug=Log())
    assert read_all(stream) == ([[" a"], [""]], None)
    assert debug == ["ping", "completion", "completion"]


def test_close_closes_the_response():
    response = FakeResponse(FINAL)
    EventStream(response, 10).close()
    assert response.closed


def test_decoding_many_events_at_once_matches_decoding_each():
    datas = ['{"completion": "a"}', '{"completion": "b"}']
    assert decode_events(datas, None) == ([{"completion": "a"}, {"completion": "b"}], None)
    assert decode_events([], None) == ([], None)


@pytest.mark.parametrize("bad", ["[]", "null", "3", '"text"', "{", ""])
def test_decoding_stops_at_the_first_event_that_is_not_an_object(bad):
    documents, failure = decode_events(['{"n": 1}', bad, '{"n": 2}'], "req_9")
    assert documents == [{"n": 1}]
    assert isinstance(failure, MalformedResponse) and failure.body == bad.encode() and failure.request_id == "req_9"
