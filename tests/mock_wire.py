"""Raw HTTP to the mock API, for the tests of its endpoints: one request on a connection, status, headers, body."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

from ant_mock import MockServer

KEY = "sk-ant-mock-test-key"
BASE_HEADERS = {"x-api-key": KEY, "anthropic-version": "2023-06-01", "content-type": "application/json"}


def address(server: MockServer) -> tuple[str, int]:
    parts = urlsplit(server.url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def connect(server: MockServer) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(*address(server), timeout=5)


def exchange(connection, body: Any, headers=None, path: str = "/v1/complete", method: str = "POST"):
    """One request on an open connection; repeated headers are given as a list of (name, value) pairs."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = BASE_HEADERS if headers is None else headers
    pairs = headers if isinstance(headers, list) else list(headers.items())
    connection.putrequest(method, path, skip_accept_encoding=True)
    for name, value in pairs + [("content-length", str(len(data)))]:
        connection.putheader(name, value)
    connection.endheaders(data)
    response = connection.getresponse()
    return response.status, response.headers, response.read()


def send(server: MockServer, body: Any, headers=None, path: str = "/v1/complete", method: str = "POST"):
    connection = connect(server)
    try:
        return exchange(connection, body, headers, path, method)
    finally:
        connection.close()


def headers_with(**changes) -> dict:
    """The standard headers with some changed (`x_api_key="..."`) or removed (`anthropic_version=None`)."""
    headers = dict(BASE_HEADERS, **{name.replace("_", "-"): value for name, value in changes.items()})
    return {name: value for name, value in headers.items() if value is not None}


def assert_refusal(answer, status: int, error_type: str, message) -> None:
    """An answer is the API's error envelope: status, type, request id, and the message — exact (a str), a
    ("prefix", text) pair, or None when only the status and type are known."""
    code, headers, raw = answer
    document = json.loads(raw)
    assert (code, document["error"]["type"]) == (status, error_type)
    assert set(document) == {"type", "error", "request_id"} and document["type"] == "error"
    assert document["request_id"] == headers["request-id"] and document["request_id"].startswith("req_")
    if isinstance(message, tuple):
        assert document["error"]["message"].startswith(message[1])
    elif message is not None:
        assert document["error"]["message"] == message
