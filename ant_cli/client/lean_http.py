"""A lean HTTP/1.1 session over http.client, for a batch's many small requests.

requests spends about 1.5 ms of CPU preparing and reading each request (settings merged, hooks,
adapters, cookie jars), several times what the batch does with the answer; a batch at a rate limit of
thousands of requests a minute would spend a core on it. This session keeps what a batch needs: POST
(and GET) with a body and headers, kept-alive connections (one pool per scheme, host and port, each
connection used by one request at a time), connect and read timeouts, and TLS verified with the same CA
bundle requests would use. http.client opens the connections; the request is written in one piece, and
the answer's head is read here, as http.client's email parser of the head would cost more than all the
rest of an answer. Its handles look like a requests response to the transport (`status_code`, `reason`,
`headers`, `raw.read1`, `close`). Proxies are requests' business: `lean_session_fits` says
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
from typing import Iterator, Mapping
from urllib.parse import urlsplit

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")
MAX_LINE, MAX_FIELDS = 65536, 100  # http.client's bounds on a head line and on the number of fields


def lean_session_fits(variables: Mapping[str, str]) -> bool:
    """Whether no proxy variable is set (in either case), so requests would connect directly too, and
    ANT_HTTP_CLIENT does not ask for requests."""
    if variables.get("ANT_HTTP_CLIENT", "").strip().lower() == "requests":
        return False
    return not any(value and name.lower() in PROXY_VARIABLES for name, value in variables.items())


class Headers(Mapping):
    """An answer's header fields, looked up in any case, listed as the server spelled them; a field sent
    twice holds both values joined by a comma (as requests joins them)."""

    def __init__(self, fields: list[tuple[str, str]]):
        self.joined: dict[str, str] = {}
        self.spelled: dict[str, str] = {}
        for name, value in fields:
            key = name.lower()
            self.joined[key] = f"{self.joined[key]}, {value}" if key in self.joined else value
            self.spelled.setdefault(key, name)

    def __getitem__(self, name: str) -> str:
        return self.joined[name.lower()]

    def get(self, name: str, default=None):
        return self.joined.get(name.lower(), default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.spelled.values())

    def __len__(self) -> int:
        return len(self.joined)


class LeanAnswer:
    """One answer read from a connection's socket: the status line and head, then the body as framed by
    content-length, by chunks, or by the server closing the connection."""

    def __init__(self, sock: socket.socket):
        self.source = sock.makefile("rb")
        self.status, self.reason, version = read_status(self.source)
        while self.status == 100:  # an interim "continue": the real answer follows
            read_fields(self.source)
            self.status, self.reason, version = read_status(self.source)
        self.headers = Headers(read_fields(self.source))
        connection = self.headers.get("connection", "").lower()
        self.will_close = "close" in connection or (version == "HTTP/1.0" and "keep-alive" not in connection)
        self.chunked = "chunked" in self.headers.get("transfer-encoding", "").lower()
        self.left = body_length(self.headers, self.status, self.chunked)  # None: until a chunk or the close ends it
        if self.left is None and not self.chunked:
            self.will_close = True

    def read1(self, size: int) -> bytes:
        """Up to `size` bytes of the body as they arrive; b"" once it is all read."""
        if self.chunked and not self.left:
            self.left = next_chunk(self.source)
        if self.left == 0:
            return b""
        data = self.source.read1(size if self.left is None else min(size, self.left))
        if self.left is not None:
            if not data:
                raise http.client.IncompleteRead(b"", self.left)
            self.left -= len(data)
            if self.chunked and self.left == 0:
                self.source.readline()  # the CRLF after a chunk's data
                self.left = None  # the next chunk's size is read on the next call
        return data

    def close(self) -> None:
        self.source.close()


def read_status(source) -> tuple[int, str, str]:
    line = source.readline(MAX_LINE + 1)
    if not line:
        raise http.client.RemoteDisconnected("the server closed the connection without an answer")
    version, _, rest = line.decode("latin-1").rstrip("\r\n").partition(" ")
    code, _, reason = rest.partition(" ")
    if not version.startswith("HTTP/") or len(code) != 3 or not code.isdigit():
        raise http.client.BadStatusLine(line.decode("latin-1")[:100])
    return int(code), reason.strip(), version


def read_fields(source) -> list[tuple[str, str]]:
    """The header fields up to the blank line (a folded line continues the field before it); a head the
    connection's end cuts short is an incomplete answer, not a whole one with fewer fields."""
    fields: list[tuple[str, str]] = []
    for _ in range(MAX_FIELDS):
        line = source.readline(MAX_LINE + 1)
        if not line:
            raise http.client.IncompleteRead(b"")
        if line in (b"\r\n", b"\n"):
            return fields
        text = line.decode("latin-1").rstrip("\r\n")
        if text[:1] in (" ", "\t") and fields:
            fields[-1] = (fields[-1][0], f"{fields[-1][1]} {text.strip()}")
            continue
        name, _, value = text.partition(":")
        fields.append((name.strip(), value.strip()))
    raise http.client.HTTPException(f"more than {MAX_FIELDS} header fields")


def body_length(headers: Headers, status: int, chunked: bool) -> int | None:
    """The body's length when known before it is read: 0 for a 204 or 304, content-length unless chunked."""
    if status in (204, 304) or 100 <= status < 200:
        return 0
    length = headers.get("content-length")
    if chunked or length is None:
        return None
    if not length.strip().isdigit():
        raise http.client.HTTPException(f"bad content-length: {length[:40]!r}")
    return int(length)


def next_chunk(source) -> int:
    """The size of the next chunk; 0 at the last one, whose trailer fields are read and dropped."""
    line = source.readline(MAX_LINE + 1)
    if not line:
        raise http.client.IncompleteRead(b"")
    try:
        size = int(line.split(b";", 1)[0].strip(), 16)
    except ValueError:
        raise http.client.HTTPException(f"bad chunk size: {line[:40]!r}") from None
    if size == 0:
        read_fields(source)
    return size


class LeanBody:
    """The `raw` of a handle: reads the body; the connection goes back to its pool once it is all read."""

    def __init__(self, answer: LeanAnswer, release):
        self.answer, self.release = answer, release

    def read1(self, size: int = 65536, decode_content: bool = True) -> bytes:
        data = self.answer.read1(size)
        if not data:
            self.finish()
        return data

    def read(self) -> bytes:
        return b"".join(iter(lambda: self.read1(), b""))

    def finish(self) -> None:
        """The body is all read: the connection is reused unless the answer said it closes."""
        self.answer.close()
        self.release(reusable=not self.answer.will_close)


class LeanHandle:
    """One answer, shaped as the transport reads a requests response."""

    def __init__(self, answer: LeanAnswer, release):
        self.status_code, self.reason = answer.status, answer.reason
        self.headers = answer.headers
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
            connection.sock.sendall(request_bytes(method, path or "/", host_field(parts), headers or {}, data))
            answer = LeanAnswer(connection.sock)
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


def host_field(parts) -> str:
    """The Host field: the host, and the port unless it is the scheme's own."""
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    default = 443 if parts.scheme == "https" else 80
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def request_bytes(method: str, path: str, host: str, headers: Mapping[str, str], data) -> bytes:
    """The whole request, head and body, in one piece (a file body is read whole: a batch line is small)."""
    body = data.read() if hasattr(data, "read") else data
    if isinstance(body, str):
        body = body.encode()
    fields = {"Host": host, "Accept-Encoding": "identity", **headers}
    if body is not None:
        fields["Content-Length"] = str(len(body))
    lines = [f"{method} {path} HTTP/1.1"]
    for name, value in fields.items():
        if any(mark in f"{name}{value}" for mark in "\r\n\0"):
            raise ValueError(f"invalid header field {name!r}")  # http.client refuses the same
        lines.append(f"{name}: {value}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head + body if body else head


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
