"""Reading the API's error envelope (or whatever a proxy sent instead) into one line."""

from __future__ import annotations

import json
import re
from http import HTTPStatus

from ant_cli.core.errors import ApiError, MalformedResponse, StreamEventError

# The API's error types by status, for answers whose body does not say (a proxy's page, an empty body).
ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 402: "billing_error",
               403: "permission_error", 404: "not_found_error", 408: "timeout_error", 409: "conflict_error",
               413: "request_too_large", 429: "rate_limit_error", 504: "timeout_error", 529: "overloaded_error"}


def error_type_for_status(status: int) -> str:
    return ERROR_TYPES.get(status, "api_error")


def parse_json(body: bytes):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def error_fields(document) -> tuple[str | None, str | None]:
    """(error type, message) from either envelope shape: {"type":"error","error":{...}} or {"error":{...}}."""
    if not isinstance(document, dict):
        return None, None
    error = document.get("error")
    if isinstance(error, dict):
        return error.get("type"), error.get("message")
    if isinstance(error, str):
        return None, error
    return None, document.get("message") if isinstance(document.get("message"), str) else None


def status_phrase(status: int, reason: str | None = None) -> str:
    try:
        return f"{status} {reason or HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def snippet(body: bytes, limit: int = 100) -> str:
    """A short, tag-free, single-line excerpt of a non-JSON body (e.g. a proxy's HTML page)."""
    text = body.decode("utf-8", "replace")
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", text, flags=re.S | re.I)
    text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def summarize(status: int, reason: str | None, document, body: bytes, content_type: str = "") -> str:
    """`<status> <type>: <message>` for the error envelope, or a description of a non-JSON body."""
    error_type, message = error_fields(document)
    if error_type or message:
        head = f"{status} {error_type}" if error_type else status_phrase(status, reason)
        return f"{head}: {message or '(no message)'}"
    kind = (content_type.split(";")[0].strip() or "unknown type") if body else "empty"
    excerpt = snippet(body)
    detail = f"the server sent a non-JSON {kind} body" if body else "the server sent an empty body"
    return f"{status_phrase(status, reason)}: {detail}" + (f": {excerpt}" if excerpt else "")


def api_error(status: int, reason: str | None, headers, body: bytes) -> ApiError:
    document = parse_json(body)
    request_id = headers.get("request-id")
    if not request_id and isinstance(document, dict) and isinstance(document.get("request_id"), str):
        request_id = document["request_id"]
    message = summarize(status, reason, document, body, headers.get("content-type", ""))
    if request_id:
        message += f" (request-id {request_id})"
    return ApiError(message, status, body, document, request_id)


def stream_error(data: str, request_id: str | None) -> StreamEventError:
    """An `error` event inside a stream: `{"type": "error", "error": {...}}` or the bare `{"error": {...}}`."""
    document = parse_json(data.encode("utf-8"))
    error_type, message = error_fields(document)
    text = f"error in the stream: {error_type or 'error'}: {message or data.strip() or '(no message)'}"
    if request_id:
        text += f" (request-id {request_id})"
    return StreamEventError(text, data.encode("utf-8"), document, request_id)


def malformed_body(status: int, reason: str | None, headers, body: bytes,
                   expected: str = "a completion") -> MalformedResponse:
    """A success status whose body is not the `expected` JSON object (a proxy's page, an empty body)."""
    document = parse_json(body)
    if isinstance(document, dict):
        message = f"{status_phrase(status, reason)}: the server sent JSON that is not {expected}: {snippet(body)}"
    else:
        message = summarize(status, reason, None, body, headers.get("content-type", ""))
    return MalformedResponse(message, body, None, headers.get("request-id"))
