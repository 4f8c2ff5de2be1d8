"""The mock API as an object: a threaded HTTP(S) server on 127.0.0.1 run in the background."""

from __future__ import annotations

import socket
import ssl
import sys
import threading
from collections.abc import Iterable
from http.server import ThreadingHTTPServer
from typing import Any

from ant_mock.batches import BatchLimits
from ant_mock.handler import Handler
from ant_mock.load import DEPTH, Limits, parse_latency
from ant_mock.state import MockState


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up early is normal here (timeouts, Ctrl-C tests): never a traceback for it."""

    daemon_threads = True
    request_queue_size = 4096  # a batch opens hundreds of connections at once: none may wait for a SYN retry

    def get_request(self) -> tuple[Any, Any]:
        """Each answer's head and body are separate writes: without TCP_NODELAY, Nagle's algorithm holds
        the body back until the client's delayed ACK (about 40 ms a request) — a stall the real API has not."""
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, ssl.SSLError, TimeoutError)):
            print(f"ant_mock: {type(error).__name__}: {error}", file=sys.stderr)


class MockServer:
    """The mock API in a background thread; a context manager (for tests, the demo and the bench).

    `allow_models` adds model ids that answer on both endpoints (next to claude-2.0 and claude-2.1 on
    /v1/complete, and today's models on /v1/messages); `latency` is seconds per request, fixed (0.05) or random
    between two bounds ("0.02-0.08" or (0.02, 0.08)); `rpm`, `input_tpm` and `output_tpm` enforce requests,
    input tokens and output tokens per minute, each bucket `depth` seconds deep; `other` (0 to 1) is the share of
    every limit a simulated second client on the same key takes; `batches` sets how long a Message Batch takes
    and what one may hold (`state.batches.limits` may change them later).
    """

    def __init__(self, port: int = 0, api_key: str | None = None, host: str = "127.0.0.1",
                 tls: tuple[str, str] | None = None, *, allow_models: Iterable[str] = (),
                 latency: float | str | tuple[float, float] | None = None, rpm: int | None = None,
                 input_tpm: int | None = None, output_tpm: int | None = None, depth: float = DEPTH,
                 other: float = 0.0, batches: BatchLimits | None = None):
        limits = Limits(rpm, input_tpm, output_tpm, depth, other)
        self.state = MockState(api_key, tuple(allow_models), parse_latency(latency), limits, batches)
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = QuietServer((host, port), handler)
        scheme = "http"
        if tls:  # (certificate file, key file): serve HTTPS, to test CA bundles and TLS failures
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> MockServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, *actions: dict[str, Any], client: str | None = None) -> None:
        """Queue actions for every client, or only for requests sent with `x-mock-client: <client>`."""
        with self.state.lock:
            self.state.scripts.add(list(actions), client)

    def reset(self) -> None:
        self.state.reset()

    def drain(self) -> None:
        """Empty the rate-limit buckets (what another client on the key would leave): they refill from now."""
        self.state.budget.drain()

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return list(self.state.log)

    @property
    def stats(self) -> dict[str, int]:
        return self.state.snapshot()
