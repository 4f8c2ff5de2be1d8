"""The `/_mock/*` endpoints a test drives the mock with: script, requests, stats, reset."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ant_mock.replies import Reply, api_headers, error_reply, json_reply
from ant_mock.script import ScriptError
from ant_mock.state import MockState


def control(state: MockState, method: str, target: str, raw: bytes, request_id: str) -> Reply:
    """Answer one control request; a wrong path or method is the API's own 404."""
    parts = urlsplit(target)
    route = (method, parts.path)
    if route == ("GET", "/_mock/requests"):
        with state.lock:
            return json_reply(200, list(state.log), api_headers(request_id))
    if route == ("GET", "/_mock/stats"):
        return json_reply(200, state.snapshot(), api_headers(request_id))
    if route == ("POST", "/_mock/reset"):
        state.reset()
        return json_reply(200, {"reset": True}, api_headers(request_id))
    if route == ("POST", "/_mock/script"):
        return queue_script(state, raw, parse_qs(parts.query).get("client", [None])[0], request_id)
    return error_reply(404, "not_found_error", "Not Found", request_id)


def queue_script(state: MockState, raw: bytes, client: str | None, request_id: str) -> Reply:
    """`[action, ...]` for everyone, or for one client with `?client=NAME` or `{"client": NAME, "actions": [...]}`."""
    try:
        actions, client = script_request(json.loads(raw or b"[]"), client)
        with state.lock:
            queued = state.scripts.add(actions, client)
    except (ValueError, ScriptError) as exc:  # JSONDecodeError is a ValueError
        return error_reply(400, "invalid_request_error", f"script: {exc}", request_id)
    return json_reply(200, {"queued": queued, "client": client}, api_headers(request_id))


def script_request(document: Any, client: str | None) -> tuple[Any, str | None]:
    if isinstance(document, dict) and "actions" in document:
        document, client = document["actions"], document.get("client", client)
    if client is not None and not isinstance(client, str):
        raise ScriptError("client must be a string")
    return document, client
