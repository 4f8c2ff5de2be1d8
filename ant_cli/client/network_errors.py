"""Turning requests/urllib3/socket failures into one human line (and exit status 3)."""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

from ant_cli.core.errors import NetworkError, NetworkTimeout


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


def _find(exc, *types):
    return next((item for item in _chain(exc) if isinstance(item, types)), None)


def network_exceptions() -> tuple:
    """Everything requests, urllib3 or the socket layer may raise while sending or reading."""
    import requests
    import urllib3

    return (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


def _named(exc, fragment: str) -> bool:
    return any(fragment in type(item).__name__ for item in _chain(exc))


def describe_network_error(exc: BaseException, url: str, timeout: float, connect_timeout: float) -> NetworkError:
    """One line saying what went wrong talking to the host, without a traceback."""
    import requests

    host = urlsplit(url).netloc
    if isinstance(exc, requests.exceptions.ConnectTimeout) or _named(exc, "ConnectTimeout"):
        return NetworkTimeout(f"timed out after {connect_timeout:g}s connecting to {host}")
    if _named(exc, "ReadTimeout") or _find(exc, socket.timeout, TimeoutError):
        return NetworkTimeout(f"timed out after {timeout:g}s waiting for the response from {host}")
    if isinstance(exc, requests.exceptions.SSLError) or _find(exc, ssl.SSLError):
        return NetworkError(f"TLS failure talking to {host}: {_last_words(_find(exc, ssl.SSLError) or exc)}")
    if isinstance(exc, requests.exceptions.ProxyError):
        return NetworkError(f"proxy error while connecting to {host}: {_last_words(exc)}")
    if _find(exc, socket.gaierror) or "NameResolution" in repr(exc):
        return NetworkError(f"cannot resolve host {urlsplit(url).hostname!r}")
    if _find(exc, ConnectionRefusedError):
        return NetworkError(f"connection refused by {host} (is the server running?)")
    if _find(exc, ConnectionResetError):
        return NetworkError(f"connection reset by {host}")
    if _named(exc, "ChunkedEncoding") or _named(exc, "IncompleteRead") or _named(exc, "ProtocolError"):
        return NetworkError(f"connection to {host} dropped before the whole response arrived")
    return NetworkError(f"network error talking to {host}: {_last_words(exc)}")


def _last_words(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
