"""A lean HTTP/1.1 session over http.client, for a batch's many small requests.

requests spends about 1.5 ms of CPU preparing and reading each request (settings merged, hooks,
adapters, cookie jars), several times what the batch does with the answer; a batch at a rate limit of
thousands of requests a minute would spend a core on it. This session keeps what a batch needs: POST
(and GET) with a body and headers, kept-alive connections (one pool per scheme, host and port, each
connection used by one request at a time), connect and read timeouts, and TLS verified with the same CA
bundle requests would use. Its handles look like a requests response to the transport (`status_code`,
`reason`, `headers`, `raw.read1`, `close`). Proxies are requests' business: `lean_session_fits` says
when no proxy setting applies (and ANT_HTTP_CLIENT=requests does not ask for requests), and only then is
this session used.
"""

from __future__ import annotations

import http.client
import os
import select
import socket
import ssl
import threading
from typing import Mapping
from urllib.parse import urlsplit

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


def lean_session_fits(variables: Mapping[str, str]) -> bool:
    """Whether no proxy variable is set (in either case), so requests would connect directly too, and
    ANT_HTTP_CLIENT does not ask for requests."""
    if variables.get("ANT_HTTP_CLIENT", "").strip().lower() == "requests":
        return False
    return not any(value and name.lower() in PROXY_VARIABLES for name, value in variables.items())


class LeanBody:
    """The `raw` of a handle: reads the body; the connection goes back to its pool once it is all read."""

    def __init__(self, answer: http.client.HTTPResponse, release):
        self.answer, self.release = answer, release

    def read1(self, size: int = 65536, decode_content: bool = True) -> bytes:
        data = self.answer.read1(size)
        if not data:
            self.finish()
        return data

    def read(self) -> bytes:
        data = self.answer.read()
        self.finish()
        return data

    def finish(self) -> None:
        """The body is all read: the answer is closed (its connection stays open) and the connection reused."""
        reusable = not self.answer.will_close
        self.answer.close()
        self.release(reusable=reusable)


class LeanHandle:
    """One answer, shaped as the transport reads a requests response."""

    def __init__(self, answer: http.client.HTTPResponse, release):
        self.status_code, self.reason = answer.status, answer.reason
        self.headers = answer.headers  # case-insensitive, as requests' are
        self.raw = LeanBody(answer, release)

    def close(self) -> None:
        self.raw.release(reusable=False)


class LeanSession:
    """Kept-alive connections to each origin, at most `pool_size` of them kept idle."""

    def __init__(self, pool_size: int = 10):
        self.pool_size = pool_size
        self.idle: dict[tuple, list[http.client.HTTPConnection]] = {}
        self.lock = threading.Lock()
        self.contexts: dict[object, ssl.SSLContext] = {}

    def post(self, url: str, data=None, headers=None, stream: bool = True, timeout=(10.0, 600.0), verify=True):
        return self.request("POST", url, data, headers, stream, timeout, verify)

    def get(self, url: str, headers=None, stream: bool = True, timeout=(10.0, 600.0), verify=True):
        return self.request("GET", url, None, headers, stream, timeout, verify)

    def request(self, method: str, url: str, data=None, headers=None, stream: bool = True,
                timeout=(10.0, 600.0), verify=True) -> LeanHandle:
        """As requests' `Session.request` is called by the transport (the body is always read as a stream)."""
        parts = urlsplit(url)
        origin = (parts.scheme, parts.hostname, parts.port, str(verify))
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection = self.take(origin) or self.connect(origin, timeout, verify)
        try:
            connection.sock.settimeout(timeout[1])  # from here on, the read timeout
            connection.request(method, path or "/", body=data, headers=headers or {})
            answer = connection.getresponse()
        except BaseException:
            connection.close()
            raise
        return LeanHandle(answer, Releaser(self, origin, connection))

    def take(self, origin: tuple) -> http.client.HTTPConnection | None:
        """An idle connection to `origin` that the server has not closed meanwhile, if there is one."""
        while True:
            with self.lock:
                idle = self.idle.get(origin)
                connection = idle.pop() if idle else None
            if connection is None or not was_dropped(connection):
                return connection
            connection.close()

    def give_back(self, origin: tuple, connection: http.client.HTTPConnection) -> None:
        with self.lock:
            idle = self.idle.setdefault(origin, [])
            if len(idle) < self.pool_size:
                idle.append(connection)
                return
        connection.close()

    def connect(self, origin: tuple, timeout, verify) -> http.client.HTTPConnection:
        """A new connection, opened now so that a connect timeout is told apart from a slow answer."""
        scheme, host, port, _ = origin
        if scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, port, timeout=timeout[0], context=self.context(verify))
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeout[0])
        try:
            connection.connect()
        except (socket.timeout, TimeoutError) as exc:
            from urllib3.exceptions import ConnectTimeoutError  # its type says "connect" to the error messages

            raise ConnectTimeoutError(f"connect timed out: {exc}") from exc
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def context(self, verify) -> ssl.SSLContext:
        """TLS verified as requests verifies it: the given bundle (file or directory), else certifi's."""
        with self.lock:
            if verify not in self.contexts:
                self.contexts[verify] = tls_context(verify)
            return self.contexts[verify]


def tls_context(verify) -> ssl.SSLContext:
    if verify is False:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        return context
    if isinstance(verify, str):
        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def was_dropped(connection: http.client.HTTPConnection) -> bool:
    """An idle connection with something to read has been closed by the server (or is out of step)."""
    if connection.sock is None:
        return True
    try:
        if hasattr(select, "poll"):  # poll has no limit on the descriptor's number; select stops at 1,024
            poller = select.poll()
            poller.register(connection.sock, select.POLLIN)
            return bool(poller.poll(0))
        readable, _, _ = select.select([connection.sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


class Releaser:
    """Gives a connection back to its pool once (when its answer was read whole), or closes it."""

    def __init__(self, session: LeanSession, origin: tuple, connection: http.client.HTTPConnection):
        self.session, self.origin, self.connection = session, origin, connection
        self.done = False

    def __call__(self, reusable: bool) -> None:
        if self.done:
            return
        self.done = True
        if reusable:
            self.session.give_back(self.origin, self.connection)
        else:
            self.connection.close()
