"""Scripted actions: one queue shared by every client and one per client, and the canned answers they make.

A request tagged `x-mock-client: NAME` takes the next action from NAME's queue first, then from the shared one,
so tests running side by side never play each other's faults. Callers hold the state's lock.
"""

from __future__ import annotations

from typing import Any

from ant_mock.knowledge import ERROR_STATUS, default_message, error_type_for
from ant_mock.replies import Reply, api_headers, error_body, json_reply

CLIENT_HEADER = "x-mock-client"
PROXY_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
# What each action key holds; "any" keys are flags (any JSON value, read as true or false) or a canned body.
ACTION_TYPES: dict[str, str] = {
    "status": "status", "headers": "object", "body": "any", "content_type": "text", "error": "text",
    "message": "text", "delay": "seconds", "reset": "any", "html": "any", "truncate": "any", "events": "count",
    "chunk": "text", "interval": "seconds", "error_after": "count", "bare_error": "any", "cut_after": "count",
    "stall_after": "count", "no_final": "any", "expire": "any", "lost_polls": "count",
}
ACTION_KEYS = frozenset(ACTION_TYPES)


class ScriptError(ValueError):
    """A script the mock cannot play (not a list of objects, or an unknown action key)."""


class Scripts:
    """The shared queue (`shared`, the list older tests know as `state.script`) and one queue per client."""

    def __init__(self) -> None:
        self.shared: list[dict[str, Any]] = []
        self.clients: dict[str, list[dict[str, Any]]] = {}

    def add(self, actions: list[dict[str, Any]], client: str | None = None) -> int:
        """Queue the actions; the number now waiting in that queue."""
        queue = self.shared if client is None else self.clients.setdefault(client, [])
        queue.extend(validated(actions))
        return len(queue)

    def next_for(self, client: str | None) -> dict[str, Any]:
        own = self.clients.get(client or "") if client else None
        if own:
            return own.pop(0)
        return self.shared.pop(0) if self.shared else {}

    def pending(self) -> dict[str, Any]:
        return {"shared": len(self.shared), "clients": {name: len(queue) for name, queue in self.clients.items()}}

    def clear(self) -> None:
        self.shared.clear()
        self.clients.clear()


def validated(actions: Any) -> list[dict[str, Any]]:
    if isinstance(actions, dict):
        actions = [actions]
    if not isinstance(actions, list) or not all(isinstance(action, dict) for action in actions):
        raise ScriptError("a script is a JSON list of action objects")
    for action in actions:
        unknown = sorted(set(action) - ACTION_KEYS)
        if unknown:
            raise ScriptError(f"unknown action key(s): {', '.join(unknown)}")
        for key, value in action.items():
            if not fits(ACTION_TYPES[key], value):
                raise ScriptError(f"{key}: not a valid {ACTION_TYPES[key]}: {value!r}")
    return list(actions)


def fits(kind: str, value: Any) -> bool:
    """Whether a value suits its action key, checked when queued rather than failing the request later."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    checks = {
        "status": lambda: isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599,
        "count": lambda: isinstance(value, int) and not isinstance(value, bool) and value >= 0,
        "seconds": lambda: is_number and value >= 0,
        "text": lambda: isinstance(value, str),
        "object": lambda: isinstance(value, dict),
    }
    return checks.get(kind, lambda: True)()


def scripted_headers(action: dict[str, Any]) -> dict[str, str]:
    """The action's extra headers, lower-cased so they replace the mock's own of the same name."""
    return {str(name).lower(): str(value) for name, value in (action.get("headers") or {}).items()}


def is_canned(action: dict[str, Any]) -> bool:
    """An action that replaces the answer (rather than only delaying it or adding headers to it)."""
    if "error" in action or "body" in action:
        return True
    return "status" in action and not 200 <= int(action["status"]) < 300


def canned_reply(action: dict[str, Any], request_id: str, rate_limit: int | None = None) -> Reply:
    """The scripted answer: a canned body, or the error envelope with the type and message the API gives that
    status (`rate_limit`: the requests-per-minute limit the mock enforces, if any, for a 429's message)."""
    error_type = action.get("error") or error_type_for(int(action.get("status", 500)))
    status = int(action.get("status", ERROR_STATUS.get(error_type, 500)))
    headers = dict(api_headers(request_id), **scripted_headers(action))
    message = action.get("message") or default_message(error_type, rate_limit)
    body = action.get("body", error_body(error_type, message, request_id))
    if isinstance(body, str):
        return Reply(status, body.encode(), action.get("content_type", "text/plain"), headers)
    reply = json_reply(status, body, headers)
    reply.content_type = action.get("content_type", reply.content_type)
    return reply


def proxy_page(action: dict[str, Any]) -> Reply:
    """A proxy's HTML error page: it comes from outside the API, so it carries no request id."""
    return Reply(int(action.get("status", 502)), PROXY_PAGE, "text/html", scripted_headers(action))
