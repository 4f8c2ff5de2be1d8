"""The lean HTTP session: its pool keeps an idle connection while the server keeps it, whatever its number, and
it writes each request in one piece and reads each answer's head and body as HTTP/1.1 frames them."""

from __future__ import annotations

import http.client
import os
import socket
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ant_cli.client.lean_http import LeanAnswer, request_bytes, was_dropped
from ant_cli.client.network_errors import describe_network_error, network_exceptions
from ant_cli.client.transport import Budget, Transport
from ant_cli.core.types import HttpRequest, Settings
from tests.helpers import wait_until


def connected_pair(low_descriptors: int = 0):
    """A client connection (as http.client holds it) and the server's end, after `low_descriptors` other
    descriptors are taken, so that the client's number can lie past select's limit of 1,024."""
    held = [os.dup(0) for _ in range(low_descriptors)]
    listener = socket.create_server(("127.0.0.1", 0))
    client = http.client.HTTPConnection("127.0.0.1", listener.getsockname()[1], timeout=5)
    client.connect()
    server, _ = listener.accept()
    listener.close()
    return client, server, held


def test_an_open_idle_connection_is_kept_even_past_descriptor_1024():
    client, server, held = connected_pair(low_descriptors=1100)
    try:
        assert client.sock.fileno() > 1024
        assert not was_dropped(client)  # select() cannot watch it; keep-alive must not be lost for that
        server.close()
        wait_until(lambda: was_dropped(client), 5, what="the close to reach the client")  # readable: end of file
    finally:
        client.close()
        for descriptor in held:
            os.close(descriptor)


# ---- the answer, as read off the socket --------------------------------------------------------------------


KEPT_OPEN: list[socket.socket] = []


def answer_from(raw: bytes, close: bool = True) -> LeanAnswer:
    """A LeanAnswer reading `raw` as the server sent it (then the server's end closed, unless `close` is False)."""
    ours, theirs = socket.socketpair()
    theirs.sendall(raw)
    if close:
        theirs.close()
    else:
        KEPT_OPEN.append(theirs)  # a read that waited for the close would time out
    ours.settimeout(5)
    return LeanAnswer(ours)


def body_of(answer: LeanAnswer, size: int = 65536) -> bytes:
    return b"".join(iter(lambda: answer.read1(size), b""))


def test_a_sized_answer_gives_its_status_fields_in_any_case_and_its_body():
    answer = answer_from(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nrequest-id: req_1\r\n"
                         b"Set-Thing: a\r\nset-thing: b\r\nContent-Length: 5\r\n\r\nhello", close=False)
    assert (answer.status, answer.reason) == (429, "Too Many Requests")
    assert answer.headers.get("retry-after") == "3" and answer.headers["REQUEST-ID"] == "req_1"
    assert answer.headers.get("set-thing") == "a, b" and list(answer.headers)[0] == "Retry-After"
    assert body_of(answer) == b"hello" and not answer.will_close  # read to its length, not to a close


def test_a_chunked_answer_is_read_chunk_by_chunk_with_extensions_and_trailers():
    answer = answer_from(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                         b"5;name=value\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nTrailer: x\r\n\r\n", close=False)
    assert body_of(answer, 3) == b"hello world" and not answer.will_close


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=20_000), st.lists(st.integers(1, 5000), max_size=20), st.integers(1, 70_000))
def test_any_body_in_any_chunks_reads_back_whole(body, cuts, size):
    pieces, start = [], 0
    for cut in cuts:
        if start < len(body):
            pieces.append(body[start:start + cut])
            start += cut
    pieces.append(body[start:])
    framed = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces if piece) + b"0\r\n\r\n"
    assert body_of(answer_from(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + framed), size) == body
    assert body_of(answer_from(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body), size) == body


def test_an_answer_without_a_length_lasts_until_the_close_and_the_connection_is_not_kept():
    answer = answer_from(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: 1\n\ndata: 2\n\n")
    assert body_of(answer) == b"data: 1\n\ndata: 2\n\n" and answer.will_close


def test_no_body_after_204_and_an_interim_continue_is_skipped():
    answer = answer_from(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", close=False)
    assert answer.status == 204 and body_of(answer) == b""


def test_connection_close_and_http_1_0_are_not_kept_alive():
    assert answer_from(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").will_close
    assert answer_from(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").will_close
    assert not answer_from(b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").will_close


def test_a_cut_or_garbled_answer_is_a_network_error_that_says_so():
    cut = answer_from(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")
    with pytest.raises(http.client.IncompleteRead) as caught:
        body_of(cut)
    assert "dropped before the whole response arrived" in str(describe(caught.value))
    for head_cut in (b"HTTP/1.1 200 OK\r\nContent-Le",
                     b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nx: 1"):
        with pytest.raises(http.client.IncompleteRead):  # a head or a trailer cut off: never a whole answer
            body_of(answer_from(head_cut))
    with pytest.raises(http.client.RemoteDisconnected) as closed:
        answer_from(b"")
    assert "connection reset" in str(describe(closed.value))
    for garbled in (b"HTTP/1.1 2x0 OK\r\n\r\n", b"SSH-2.0-OpenSSH\r\n\r\n"):
        with pytest.raises(http.client.BadStatusLine):
            answer_from(garbled)
    for bad in (b"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n",
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"):
        with pytest.raises(http.client.HTTPException):
            body_of(answer_from(bad))
    assert all(isinstance(error, network_exceptions()) for error in (
        http.client.IncompleteRead(b""), http.client.BadStatusLine("x"), http.client.RemoteDisconnected("x")))


def describe(error: BaseException):
    return describe_network_error(error, "http://127.0.0.1:9/v1/complete", 600, 10)


def test_a_request_is_written_in_one_piece_with_host_and_length_and_no_line_breaks_in_fields():
    written = request_bytes("POST", "/v1/complete", "api.example:8443", {"x-api-key": "k"}, b'{"a":1}')
    assert written == (b"POST /v1/complete HTTP/1.1\r\nHost: api.example:8443\r\nAccept-Encoding: identity\r\n"
                       b'x-api-key: k\r\nContent-Length: 7\r\n\r\n{"a":1}')
    assert request_bytes("GET", "/v1/x", "h", {}, None).endswith(b"Accept-Encoding: identity\r\n\r\n")
    with pytest.raises(ValueError):
        request_bytes("POST", "/", "h", {"x-api-key": "k\r\nx-evil: 1"}, b"")


def test_an_answer_cut_short_is_sent_again_and_a_whole_one_is_kept_alive():
    listener = socket.create_server(("127.0.0.1", 0))
    answers = [b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"completion\":",  # then the server goes away
               b'HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n{"completion":1}',
               b'HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n{"completion":2}']
    accepted = []

    def serve():
        for number, answer in enumerate(answers):
            if number < 2:  # a new connection for the first send and for its retry; the third reuses the second
                accepted.append(listener.accept()[0])
            accepted[-1].recv(65536)
            accepted[-1].sendall(answer)
            if number == 0:
                accepted[-1].close()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    notices = []
    client = Transport(Settings(), {}, notices.append, sleep=lambda seconds: None, lean=True)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1/complete"
    sent = HttpRequest("POST", url, {"content-type": "application/json"}, {"prompt": "x"})
    try:
        assert client.send(sent, Budget()).body == b'{"completion":1}'
        assert client.send(sent, Budget()).body == b'{"completion":2}'
    finally:
        listener.close()
    assert len(accepted) == 2  # the cut answer's connection was dropped, the whole one's reused
    assert "dropped before the whole response arrived; retrying" in notices[0]
