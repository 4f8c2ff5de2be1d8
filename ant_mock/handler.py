"""HTTP/1.1 for the mock: framing, routing, the API's answers and the streamed ones, scripted faults.

Every answer has a length (or is chunked) so a connection stays usable after an error; every answer from the
API carries a `request-id`; nothing a client sends makes the mock drop the connection or print a traceback.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import sys
import time
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from io import BufferedIOBase
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ant_mock import batches
from ant_mock.batches import BatchRoute, ResultLines
from ant_mock.control import control
from ant_mock.endpoints import Endpoint, endpoint_for
from ant_mock.framing import BadFraming, TooLarge, read_body, too_large_from_headers
from ant_mock.knowledge import MAX_BODY_BYTES, TOO_LARGE_BODY, error_type_for, rate_limit_message
from ant_mock.load import UNITS, admission_cost, limits_as_answered, pick_latency
from ant_mock.replies import STALL, Reply, api_headers, error_reply, make_id
from ant_mock.script import CLIENT_HEADER, canned_reply, is_canned, proxy_page, scripted_headers
from ant_mock.state import MockState
from ant_mock.validation import Rejection, check_headers


def header_lists(message: Any) -> dict[str, list[str]]:
    """Request headers as lower-case name -> every value, in order (repeated headers kept)."""
    lists: dict[str, list[str]] = {}
    for name, value in message.items():
        lists.setdefault(name.lower(), []).append(value)
    return lists


class Handler(BaseHTTPRequestHandler):
    """Serves /v1/complete, /v1/messages, /v1/messages/batches, the /_mock control endpoints, and a JSON 404
    for everything else."""

    protocol_version = "HTTP/1.1"
    server_version = "ant-mock/2"
    state: MockState

    def setup(self) -> None:
        super().setup()
        self.state.connection_opened()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the client's output is what matters
        pass

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # every method, GET to PATCH and beyond, gets a JSON answer
            return self.route
        raise AttributeError(name)

    def body_limit(self) -> int:
        """Bytes a body may have before the front end refuses it unread: a batch may be far larger."""
        if batches.is_batches_path(urlsplit(self.path).path):
            return max(MAX_BODY_BYTES, 2 * self.state.batches.limits.max_bytes)
        return MAX_BODY_BYTES

    def handle_expect_100(self) -> bool:
        if too_large_from_headers(self.headers, self.body_limit()):
            return True  # no "100 Continue": the 413 comes straight away
        return super().handle_expect_100()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a bad request line, too many headers) in the API's envelope."""
        reply = error_reply(code, error_type_for(code), message or HTTPStatus(code).phrase, make_id("req_"))
        reply.close = True
        self.send_reply(reply)

    def route(self) -> None:
        request_id = make_id("req_")
        try:
            reply = self.answer(request_id)
        except TooLarge:
            return self.refuse_too_large()
        except BadFraming as exc:  # where the body ends is unknown: answer, then close
            reply = error_reply(400, "invalid_request_error", str(exc), request_id)
            reply.close = True
        except OSError:
            self.close_connection = True
            return None
        except Exception as exc:  # a bug in the mock still gets an answer rather than a dropped connection
            print(f"ant_mock: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)  # one line, no traceback
            reply = error_reply(500, "api_error", "Internal server error", request_id)
            reply.close = True
        if reply is not None:
            self.send_reply(reply)
        return None

    def answer(self, request_id: str) -> Reply | None:
        raw = read_body(self.rfile, self.headers, self.body_limit())
        parts = urlsplit(self.path)  # absolute-form too: the mock can stand in for a proxy
        path = parts.path
        if path.startswith("/_mock/"):
            return control(self.state, self.command, self.path, raw, request_id)
        endpoint: Endpoint | BatchRoute | None = endpoint_for(self.command, path)
        if endpoint is None and batches.is_batches_path(path):
            endpoint = BatchRoute(self.command, path, parse_qs(parts.query), self.base_url())
        if endpoint is not None:
            return self.serve(endpoint, raw, request_id)
        return error_reply(404, "not_found_error", "Not Found", request_id)

    def base_url(self) -> str:
        """This mock's own URL as the client reached it, for a batch's `results_url`."""
        host = self.headers.get("host") or "%s:%s" % self.connection.getsockname()[:2]
        scheme = "https" if hasattr(self.connection, "getpeercert") else "http"
        return f"{scheme}://{host}"

    def serve(self, endpoint: Endpoint | BatchRoute, raw: bytes, request_id: str) -> Reply | None:
        action = self.state.next_action(self.headers.get(CLIENT_HEADER))
        self.state.record({"method": self.command, "path": self.path, "proxied": self.path.startswith("http"),
                           "headers": {name.lower(): value for name, value in self.headers.items()},
                           "body": raw.decode("utf-8", "replace"), "peer_port": self.client_address[1]})
        with self.state.in_flight():
            # Admission comes first, as at the API: a refusal is answered at once, an admitted request takes its time.
            admission = self.state.budget.take(admission_cost(raw))
            latency = pick_latency(self.state.latency) if admission[0] else 0.0
            time.sleep(latency + float(action.get("delay", 0)))
            return self.respond(endpoint, raw, action, request_id, admission)

    def respond(self, endpoint: Endpoint | BatchRoute, raw: bytes, action: dict[str, Any], request_id: str,
                admission: tuple[bool, dict[str, str], str | None]) -> Reply | None:
        """The scripted fault if there is one, else the API's answer; the rate-limit headers on either."""
        if self.play_broken_answer(action, endpoint.truncated, request_id):
            return None
        if action.get("html"):
            return proxy_page(action)
        allowed, limits, refused = admission
        if is_canned(action):
            limit = self.state.budget.enforced_limit
            reply: Reply | ResultLines | dict[str, Any] = canned_reply(action, request_id, limit)
        else:
            reply = self.api_answer(endpoint, raw, refused, action, request_id)
        if isinstance(reply, ResultLines):
            self.stream(reply.lines, {}, {**api_headers(request_id), **limits, "content-type": batches.RESULTS_TYPE,
                                          **scripted_headers(action)})
            return None
        if isinstance(reply, dict):
            assert isinstance(endpoint, Endpoint)
            self.stream(endpoint.events(reply, action), action,
                        {**api_headers(request_id), **limits, **scripted_headers(action)})
            return None
        reply.headers = {**limits_as_answered(limits, reply.status, scripted=is_canned(action)), **reply.headers,
                         **scripted_headers(action)}  # later names win
        return reply

    def play_broken_answer(self, action: dict[str, Any], truncated: bytes, request_id: str) -> bool:
        """A reset connection or a truncated body: faults below HTTP, written straight to the socket."""
        if action.get("reset"):
            self.reset_connection()
        elif action.get("truncate"):
            self.send_truncated(truncated, request_id)
        else:
            return False
        return True

    def api_answer(self, endpoint: Endpoint | BatchRoute, raw: bytes, refused: str | None, action: dict[str, Any],
                   request_id: str) -> Reply | ResultLines | dict[str, Any]:
        """A refusal (`refused`: the rate-limit family that has no room), the endpoint's answer, or the body of
        a valid request to stream."""
        try:
            check_headers(header_lists(self.headers), self.state.api_key)
            if refused is not None:
                limit = self.state.budget.settings[refused]
                raise Rejection(429, "rate_limit_error", rate_limit_message(limit, UNITS[refused]))
            if isinstance(endpoint, BatchRoute):
                return batches.route(self.state.batches, endpoint, raw, action, request_id)
            body = endpoint.check(raw, self.state.allowed_models)
        except Rejection as rejection:
            return error_reply(rejection.status, rejection.error_type, rejection.message, request_id)
        return body if body.get("stream") is True else endpoint.answer(body, request_id)

    def send_reply(self, reply: Reply) -> None:
        if self.request_version == "HTTP/0.9":  # http.server's default for a garbled request line: answer in 1.1
            self.request_version = "HTTP/1.1"
        self.send_response(reply.status)
        headers = {"content-type": reply.content_type, "content-length": str(len(reply.body))}
        for name, value in dict(headers, **reply.headers).items():
            self.send_header(name, value)
        if reply.close:
            self.send_header("connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def refuse_too_large(self) -> None:
        """The 413 as Cloudflare sends it, before the API: decided from the length, the body left unread."""
        self.send_reply(Reply(413, TOO_LARGE_BODY, close=True))
        self.linger()

    def linger(self, seconds: float = 2.0) -> None:
        """Drain what the client is still sending, so it reads the answer rather than a reset connection."""
        deadline = time.monotonic() + seconds
        with contextlib.suppress(OSError):
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(0.2)
            while time.monotonic() < deadline and self.connection.recv(1 << 16):
                pass

    def send_truncated(self, truncated: bytes, request_id: str) -> None:
        self.send_response(200)
        for name, value in dict(api_headers(request_id), **{"content-type": "application/json",
                                                            "content-length": "500"}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(truncated)
        self.close_connection = True

    def reset_connection(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def stream(self, events: Iterator[bytes], action: dict[str, Any], headers: dict[str, str]) -> None:
        """Chunked SSE: the endpoint's events as they come; faults as scripted."""
        self.send_response(200)
        for name, value in dict({"content-type": "text/event-stream; charset=utf-8",
                                 "transfer-encoding": "chunked"}, **headers).items():
            self.send_header(name, value)
        self.end_headers()
        cut = action.get("cut_after") is not None
        writer = ChunkWriter(self.wfile, float(action.get("interval", 0)))
        with contextlib.suppress(OSError):
            for event in events:
                if event is STALL:
                    writer.flush()  # what came before the stall must reach the client
                    self.hang_until_client_leaves()
                    self.close_connection = True
                    return
                writer.write(event)
            writer.finish(cut)
        if cut:  # a cut stream has no end but the connection's
            self.close_connection = True

    def hang_until_client_leaves(self, seconds: float = 3600.0) -> None:
        """A stalled stream hangs, but only while its client waits: one gone is no longer in flight."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.client_has_left(0.05):
            pass

    def client_has_left(self, wait: float) -> bool:
        """Whether the peer closed its end (read as end-of-file, not consumed), after waiting up to `wait`."""
        try:
            readable, _, _ = select.select([self.connection], [], [], wait)
            if not readable:
                return False
            # Peek at the raw socket, below TLS: pending bytes (pipelining, a TLS alert) are not the end.
            if socket.socket.recv(self.connection, 1, socket.MSG_PEEK) == b"":
                return True
        except (OSError, ValueError):  # reset, or closed under us
            return True
        time.sleep(wait)  # something pending that is not the end: wait rather than spin
        return False


class ChunkWriter:
    """HTTP/1.1 chunked writes: batched for throughput, or one per event with a pause when paced."""

    def __init__(self, wfile: BufferedIOBase, interval: float, batch: int = 65536):
        self.wfile, self.interval, self.batch = wfile, interval, batch
        self.pending: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.pending.append(data)
        self.size += len(data)
        if self.interval or self.size >= self.batch:
            self.flush()
        if self.interval:
            time.sleep(self.interval)

    def flush(self) -> None:
        if self.pending:
            data = b"".join(self.pending)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
            self.pending, self.size = [], 0

    def finish(self, cut: bool) -> None:
        self.flush()
        if not cut:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
