"""Turning requests/urllib3/socket failures into one human line (and exit status 3).

A failure is classified by the types of the exceptions in its chain (requests wraps urllib3, which
wraps the socket error), never by their names or text: the first kind in `_kinds()` found anywhere
in the chain decides the message.
"""

from __future__ import annotations

from typing import Callable, NamedTuple
from urllib.parse import urlsplit

from ant_cli.core.errors import ConnectTimeout, NetworkError, NetworkTimeout


class Where(NamedTuple):
    """What a message names: the host, and the timeouts that were in force."""

    url: str
    timeout: float
    connect_timeout: float

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


class Kind(NamedTuple):
    """One kind of failure: the exception types that mean it, and how it is said."""

    types: tuple
    say: Callable[[BaseException, Where], NetworkError]
    unless: tuple = ()  # subclasses of `types` that mean something else


def _chain(exc: BaseException):
    """The exception and everything it wraps (causes, contexts, urllib3 `reason`s, first args)."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo:
        current = todo.pop()
        if any(current is item for item in seen):
            continue
        seen.append(current)
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None),
                  *getattr(current, "args", ())]
        todo += [item for item in linked if isinstance(item, BaseException)]
    return seen


def _find(exc, types: tuple, unless: tuple = ()):
    return next((item for item in _chain(exc) if isinstance(item, types) and not isinstance(item, unless)), None)


def network_exceptions() -> tuple:
    """Everything requests, urllib3, http.client or the socket layer may raise while sending or reading."""
    import http.client

    import requests
    import urllib3

    return (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, OSError)


def _kinds() -> tuple[Kind, ...]:
    """The kinds of failure, most specific first (a refused proxy is a proxy error, not a refusal)."""
    # Imported here, with requests (which loads them anyway): a usage error never pays for ssl and socket.
    import http.client
    import socket
    import ssl

    import requests.exceptions as rq
    import urllib3.exceptions as u3

    return (
        # urllib3's NewConnectionError (any failure to connect) derives from its ConnectTimeoutError
        Kind((rq.ConnectTimeout, u3.ConnectTimeoutError), _connect_timeout, unless=(u3.NewConnectionError,)),
        Kind((rq.ReadTimeout, u3.ReadTimeoutError, socket.timeout), _read_timeout),
        Kind((rq.SSLError, u3.SSLError, ssl.SSLError), _tls_failure),
        Kind((rq.ProxyError, u3.ProxyError), _proxy_error),
        Kind((u3.NameResolutionError, socket.gaierror), _no_such_host),
        Kind((ConnectionRefusedError,), lambda exc, at: NetworkError(
            f"connection refused by {at.host} (is the server running?)")),
        Kind((ConnectionResetError,), lambda exc, at: NetworkError(f"connection reset by {at.host}")),
        Kind((rq.ChunkedEncodingError, u3.ProtocolError, http.client.IncompleteRead), lambda exc, at: NetworkError(
            f"connection to {at.host} dropped before the whole response arrived")),
    )


def describe_network_error(exc: BaseException, url: str, timeout: float, connect_timeout: float) -> NetworkError:
    """One line saying what went wrong talking to the host, without a traceback."""
    where = Where(url, timeout, connect_timeout)
    for kind in _kinds():
        if _find(exc, kind.types, kind.unless) is not None:
            return kind.say(exc, where)
    return NetworkError(f"network error talking to {where.host}: {_last_words(exc)}")


def _connect_timeout(exc: BaseException, at: Where) -> NetworkError:
    return ConnectTimeout(f"timed out after {at.connect_timeout:g}s connecting to {at.host}")


def _read_timeout(exc: BaseException, at: Where) -> NetworkError:
    return read_timeout(at.url, at.timeout)


def read_timeout(url: str, timeout: float) -> NetworkTimeout:
    """No whole answer from the host of `url` within `timeout` seconds (one slow read, or a slow body in total)."""
    return NetworkTimeout(f"timed out after {timeout:g}s waiting for the response from {Where(url, timeout, 0).host}")


def _tls_failure(exc: BaseException, at: Where) -> NetworkError:
    import ssl

    return NetworkError(f"TLS failure talking to {at.host}: {_last_words(_find(exc, (ssl.SSLError,)) or exc)}")


def _proxy_error(exc: BaseException, at: Where) -> NetworkError:
    return NetworkError(f"proxy error while connecting to {at.host}: {_last_words(exc)}")


def _no_such_host(exc: BaseException, at: Where) -> NetworkError:
    return NetworkError(f"cannot resolve host {urlsplit(at.url).hostname!r}")


def _last_words(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
