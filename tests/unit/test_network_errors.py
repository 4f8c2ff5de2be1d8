"""Unit tests of describe_network_error: each way a connection fails becomes its own one-line message.

Where a failure can be made for real on 127.0.0.1 (refused, reset, dropped, stalled, not TLS, no
proxy), requests itself raises it against a tiny socket server; the rest (a connect timeout, a DNS
failure) are built the way requests and urllib3 chain them.

The network-failure classifier goes by exception type: what requests and urllib3 raise for each fault
the README documents, raw (a stream's reads reach urllib3 directly) or wrapped by requests, and never by a
class's name or its text.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import struct
import threading

import pytest
import requests
import urllib3
import urllib3.exceptions as u3

from ant_cli.client.network_errors import describe_network_error, network_exceptions
from ant_cli.core.errors import NetworkError, NetworkTimeout

URL = "https://api.example.test/v1/complete"


def describe(exc: BaseException, url: str = URL) -> NetworkError:
    return describe_network_error(exc, url, timeout=600, connect_timeout=10)


def caused_by(outer: BaseException, cause: BaseException) -> BaseException:
    """`outer` as `raise outer from cause` leaves it."""
    outer.__cause__ = cause
    return outer


class RawServer:
    """Accepts one connection on 127.0.0.1 and hands the socket to `behaviour`."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(10)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/v1/complete"

    def serve(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(10)
            self.behaviour(connection, self)

    def __enter__(self) -> "RawServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.listener.close()
        self.thread.join(timeout=10)


def read_request(connection) -> None:
    """Read the whole request (head and body), so that closing afterwards sends a FIN, not a reset."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(4096) or b"\r\n\r\n"
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next((line.split(b":")[1] for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), b"0"))
    while len(body) < length:
        body += connection.recv(4096) or b" " * length


def reset(connection, server) -> None:
    """Close with a TCP reset (linger 0), as a crashed server or a middlebox does."""
    read_request(connection)
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def drop_mid_body(connection, server) -> None:
    read_request(connection)
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"comp")


def stall(connection, server) -> None:
    read_request(connection)
    server.done.wait(10)


def plain_http(connection, server) -> None:
    """Answer in plain HTTP at once, whatever the client sends (a TLS client gets no handshake)."""
    connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    server.done.wait(10)


def raised_by(url: str, **kwargs) -> BaseException:
    """What requests raises posting to `url`."""
    session = requests.Session()
    session.trust_env = False  # the developer's proxy and CA settings must not change the failure
    try:
        session.post(url, data=b"{}", **dict({"timeout": 5}, **kwargs))
    except network_exceptions() as exc:
        return exc
    raise AssertionError("the request succeeded")


def served(behaviour, scheme: str = "http", **kwargs) -> BaseException:
    """What requests raises posting to a local server that answers with `behaviour`."""
    with RawServer(behaviour) as server:
        return raised_by(server.url.replace("http:", f"{scheme}:"), **kwargs)


def test_refused(unused_port):
    error = describe(raised_by(f"http://127.0.0.1:{unused_port}/v1/complete"), f"http://127.0.0.1:{unused_port}")
    assert str(error) == f"connection refused by 127.0.0.1:{unused_port} (is the server running?)"
    assert error.exit_code == 3 and not isinstance(error, NetworkTimeout)


def test_reset():
    assert str(describe(served(reset))) == "connection reset by api.example.test"


def test_dropped_mid_body():
    error = describe(served(drop_mid_body))
    assert str(error) == "connection to api.example.test dropped before the whole response arrived"


def test_read_timeout():
    error = describe_network_error(served(stall, timeout=(5, 0.2)), URL, timeout=0.2, connect_timeout=5)
    assert isinstance(error, NetworkTimeout)
    assert str(error) == "timed out after 0.2s waiting for the response from api.example.test"


def test_tls_failure_names_the_tls_problem():
    error = describe(served(plain_http, scheme="https"))
    assert str(error).startswith("TLS failure talking to api.example.test: ")
    assert "WRONG_VERSION_NUMBER" in str(error) or "wrong version number" in str(error)


def test_proxy_error(unused_port):
    failure = raised_by("http://api.example.test/v1/complete", proxies={"http": f"http://127.0.0.1:{unused_port}"})
    assert str(describe(failure)).startswith("proxy error while connecting to api.example.test: ")


def test_connect_timeout_names_the_connect_timeout():
    inner = urllib3.exceptions.ConnectTimeoutError(None, "Connection to api.example.test timed out.")
    failure = requests.exceptions.ConnectTimeout(urllib3.exceptions.MaxRetryError(None, URL, inner))
    error = describe_network_error(failure, URL, timeout=600, connect_timeout=2.5)
    assert isinstance(error, NetworkTimeout) and str(error) == "timed out after 2.5s connecting to api.example.test"


@pytest.mark.parametrize("failure", [
    socket.timeout("timed out"),  # the socket layer's own (an alias of TimeoutError)
    requests.exceptions.ReadTimeout(urllib3.exceptions.ReadTimeoutError(None, URL, "Read timed out.")),
])
def test_every_shape_of_read_timeout_is_a_timeout(failure):
    assert isinstance(describe(failure), NetworkTimeout)


@pytest.mark.parametrize("failure", [
    requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, URL, urllib3.exceptions.NameResolutionError(
        "api.example.test", None, socket.gaierror(-2, "Name or service not known")))),
    socket.gaierror(-3, "Temporary failure in name resolution"),
])
def test_dns_failure_names_the_host(failure):
    assert str(describe(failure)) == "cannot resolve host 'api.example.test'"


def test_a_certificate_error_gives_the_reason_not_the_wrappers():
    verify = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                                             "self-signed certificate in certificate chain (_ssl.c:1006)")
    failure = requests.exceptions.SSLError(urllib3.exceptions.MaxRetryError(
        None, URL, caused_by(urllib3.exceptions.SSLError(verify), verify)))
    assert str(describe(failure)) == ("TLS failure talking to api.example.test: [SSL: CERTIFICATE_VERIFY_FAILED] "
                                      "certificate verify failed: self-signed certificate in certificate chain "
                                      "(_ssl.c:1006)")


@pytest.mark.parametrize("failure, words", [
    (requests.exceptions.InvalidHeader("Invalid leading whitespace in header value"),
     "Invalid leading whitespace in header value"),
    (OSError(), "OSError"),
    (requests.RequestException("x" * 300), "x" * 197 + "..."),
    (requests.RequestException("two\n   lines"), "two lines"),
])
def test_anything_else_is_one_short_line(failure, words):
    assert str(describe(failure)) == f"network error talking to api.example.test: {words}"


def test_a_self_referencing_chain_does_not_loop():
    failure = requests.RequestException("loop")
    failure.__context__ = failure
    assert str(describe(failure)) == "network error talking to api.example.test: loop"


HOST = "api.example.test"
REFUSED = f"connection refused by {HOST} (is the server running?)"
RESET = f"connection reset by {HOST}"
DROPPED = f"connection to {HOST} dropped before the whole response arrived"
CONNECT_TIMEOUT = f"timed out after 2.5s connecting to {HOST}"
READ_TIMEOUT = f"timed out after 60s waiting for the response from {HOST}"
NO_HOST = "cannot resolve host 'api.example.test'"


def said(exc: BaseException) -> str:
    return str(describe_network_error(exc, URL, timeout=60, connect_timeout=2.5))


def chained(outer: BaseException, cause: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


def through_requests(wrapper, reason: BaseException) -> BaseException:
    """As requests' adapter raises it: its own exception around urllib3's MaxRetryError around the reason."""
    return wrapper(u3.MaxRetryError(None, URL, reason))


class HalfReadResponse:
    """What urllib3's InvalidChunkLength asks of the response it was reading."""

    length_remaining = None

    def tell(self) -> int:
        return 6


def bad_chunk() -> BaseException:
    return u3.InvalidChunkLength(HalfReadResponse(), b"zz")  # type: ignore[arg-type]


def new_connection(cause: OSError) -> BaseException:
    return chained(u3.NewConnectionError(None, f"Failed to establish a new connection: {cause}"), cause)


@pytest.mark.parametrize("failure, message", [
    (through_requests(requests.ConnectionError, new_connection(ConnectionRefusedError(111, "refused"))), REFUSED),
    (new_connection(ConnectionRefusedError(111, "Connection refused")), REFUSED),
    (requests.ConnectionError(u3.ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))), RESET),
    (u3.ProtocolError("Connection broken: ConnectionResetError(104)", ConnectionResetError(104, "reset")), RESET),
    (requests.exceptions.ChunkedEncodingError(u3.ProtocolError("Connection broken: IncompleteRead(3 bytes read)",
                                                               u3.IncompleteRead(3, 10))), DROPPED),
    (u3.ProtocolError("Response ended prematurely"), DROPPED),
    (u3.ProtocolError("Connection broken", bad_chunk()), DROPPED),
    (bad_chunk(), DROPPED),
    (http.client.IncompleteRead(b"{\"comp", 94), DROPPED),
    (through_requests(requests.exceptions.ConnectTimeout, u3.ConnectTimeoutError(None, "timed out")),
     CONNECT_TIMEOUT),
    (chained(u3.ConnectTimeoutError(None, "Connection timed out"), socket.timeout("timed out")), CONNECT_TIMEOUT),
    (requests.exceptions.ReadTimeout(u3.ReadTimeoutError(None, URL, "Read timed out.")), READ_TIMEOUT),
    (u3.ReadTimeoutError(None, URL, "Read timed out."), READ_TIMEOUT),
    (through_requests(requests.ConnectionError, u3.NameResolutionError(HOST, None, socket.gaierror(-2, "unknown"))),
     NO_HOST),
    (socket.gaierror(-3, "Temporary failure in name resolution"), NO_HOST),
])
def test_each_documented_fault_in_each_shape_requests_and_urllib3_raise_it(failure, message):
    assert said(failure) == message


def test_a_failure_to_connect_is_not_a_connect_timeout_though_urllib3_derives_it_from_one():
    failure = new_connection(OSError(101, "Network is unreachable"))
    assert isinstance(failure, u3.ConnectTimeoutError)
    error = describe_network_error(failure, URL, timeout=60, connect_timeout=2.5)
    assert not isinstance(error, NetworkTimeout)
    assert str(error).endswith("Failed to establish a new connection: [Errno 101] Network is unreachable")


@pytest.mark.parametrize("failure", [
    requests.exceptions.SSLError(u3.MaxRetryError(None, URL, u3.SSLError("bad handshake"))),
    u3.SSLError("bad handshake"),
    ssl.SSLZeroReturnError(6, "TLS/SSL connection has been closed (EOF)"),
])
def test_tls_failures(failure):
    assert said(failure).startswith(f"TLS failure talking to {HOST}: ")


def test_proxy_failures_say_proxy_even_when_the_proxy_refused():
    refused = new_connection(ConnectionRefusedError(111, "Connection refused"))
    wrapped = through_requests(requests.exceptions.ProxyError, u3.ProxyError("Unable to connect to proxy", refused))
    assert said(wrapped).startswith(f"proxy error while connecting to {HOST}: ")


class Stalled(u3.ReadTimeoutError):
    """A subclass whose name says nothing of what it is."""


class Broken(u3.ProtocolError):
    pass


class ReadTimeoutSettingInvalid(ValueError):
    """A name that merely contains a kind's name."""


def test_a_subclass_is_its_kind_whatever_it_is_called():
    assert isinstance(describe_network_error(Stalled(None, URL, "slow"), URL, 60, 2.5), NetworkTimeout)
    assert said(Broken("gone")) == DROPPED


@pytest.mark.parametrize("failure", [
    ReadTimeoutSettingInvalid("bad"),
    OSError("NameResolution of the proxy configuration failed"),
    type("ChunkedEncodingHint", (OSError,), {})("odd"),
])
def test_a_name_or_a_message_alone_decides_nothing(failure):
    assert said(failure).startswith(f"network error talking to {HOST}: ")
