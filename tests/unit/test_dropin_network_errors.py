"""The network-failure classifier goes by exception type: what requests and urllib3 raise for each fault
the README documents, raw (a stream's reads reach urllib3 directly) or wrapped by requests, and never by a
class's name or its text."""

from __future__ import annotations

import http.client
import socket
import ssl

import pytest
import requests
import urllib3.exceptions as u3

from ant_cli.client.network_errors import describe_network_error
from ant_cli.core.errors import NetworkTimeout

URL = "https://api.example.test/v1/complete"
HOST = "api.example.test"
REFUSED = f"connection refused by {HOST} (is the server running?)"
RESET = f"connection reset by {HOST}"
DROPPED = f"connection to {HOST} dropped before the whole response arrived"
CONNECT_TIMEOUT = f"timed out after 2.5s connecting to {HOST}"
READ_TIMEOUT = f"timed out after 60s waiting for the response from {HOST}"
NO_HOST = "cannot resolve host 'api.example.test'"


def describe(exc: BaseException) -> str:
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
    assert describe(failure) == message


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
    assert describe(failure).startswith(f"TLS failure talking to {HOST}: ")


def test_proxy_failures_say_proxy_even_when_the_proxy_refused():
    refused = new_connection(ConnectionRefusedError(111, "Connection refused"))
    wrapped = through_requests(requests.exceptions.ProxyError, u3.ProxyError("Unable to connect to proxy", refused))
    assert describe(wrapped).startswith(f"proxy error while connecting to {HOST}: ")


class Stalled(u3.ReadTimeoutError):
    """A subclass whose name says nothing of what it is."""


class Broken(u3.ProtocolError):
    pass


class ReadTimeoutSettingInvalid(ValueError):
    """A name that merely contains a kind's name."""


def test_a_subclass_is_its_kind_whatever_it_is_called():
    assert isinstance(describe_network_error(Stalled(None, URL, "slow"), URL, 60, 2.5), NetworkTimeout)
    assert describe(Broken("gone")) == DROPPED


@pytest.mark.parametrize("failure", [
    ReadTimeoutSettingInvalid("bad"),
    OSError("NameResolution of the proxy configuration failed"),
    type("ChunkedEncodingHint", (OSError,), {})("odd"),
])
def test_a_name_or_a_message_alone_decides_nothing(failure):
    assert describe(failure).startswith(f"network error talking to {HOST}: ")
