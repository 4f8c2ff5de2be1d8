"""Each line's outcome in the Message Batches result shape, and which failures stop a whole batch.

    {"custom_id": "q-1", "result": {"type": "succeeded", "completion": {...}}}
    {"custom_id": "q-2", "result": {"type": "errored", "error": {"type": "error", "error": {...},
                                                                  "request_id": "req_..."}}}

Errors that never reached the API use the same envelope: `invalid_request_error` for a line that
cannot be sent, `timeout_error` for a request that timed out, `api_error` for an unusable answer,
`connection_error` for a network failure (which, like a connect timeout, also stops the batch).
"""

from __future__ import annotations

import json
from typing import NamedTuple

from ant_cli.client.api_errors import error_fields, error_type_for_status
from ant_cli.core.errors import AntError, ApiError, ConnectTimeout, NetworkError, NetworkTimeout, ServerError
from ant_cli.output.encoding import compact_json, utf8_json

FATAL_STATUSES = (401, 403, 404)  # a wrong key or base URL: every other line would fail the same way


class Outcome(NamedTuple):
    """One line's result: its position in the input, its id, the JSON line, and how it went."""

    position: int
    custom_id: str
    line: bytes  # empty when the line was already done (the output file holds its succeeded result)
    succeeded: bool
    fatal: AntError | None = None
    already_done: bool = False
    error_type: str | None = None  # an errored result's error type, for the summary


class ResultLine(NamedTuple):
    """What a written result line says: whose result it is and its type ("succeeded" or "errored")."""

    custom_id: str
    type: str


def result_line(custom_id: str, result: dict) -> bytes:
    """One JSON line, a lone surrogate in a completion written as its JSON escape (the writer masks the
    run's credentials, even inside an error body that echoed them)."""
    return utf8_json(compact_json({"custom_id": custom_id, "result": result}) + "\n")


def parse_result_line(line: bytes) -> ResultLine | None:
    """The custom_id and type of one line `result_line` wrote; None when the line is not such a result."""
    try:
        value = json.loads(line)
        custom_id, kind = value["custom_id"], value["result"]["type"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(custom_id, str) or not isinstance(kind, str):
        return None
    return ResultLine(custom_id, kind)


def already_done(position: int, custom_id: str) -> Outcome:
    """A line whose succeeded result the output file already holds (--resume): nothing to send or write."""
    return Outcome(position, custom_id, b"", True, already_done=True)


def succeeded(position: int, custom_id: str, completion) -> Outcome:
    return Outcome(position, custom_id, result_line(custom_id, {"type": "succeeded", "completion": completion}),
                   True)


def envelope(error_type: str, message: str, request_id: str | None) -> dict:
    return {"type": "error", "error": {"type": error_type, "message": message}, "request_id": request_id}


def errored(position: int, custom_id: str, error: dict, fatal: AntError | None = None) -> Outcome:
    inner = error.get("error")
    error_type = inner.get("type") if isinstance(inner, dict) else None
    return Outcome(position, custom_id, result_line(custom_id, {"type": "errored", "error": error}), False, fatal,
                   error_type=str(error_type) if error_type else None)


def invalid(position: int, custom_id: str, problem: str) -> Outcome:
    """A line that cannot be sent, with the message `create` would give for the same values."""
    return errored(position, custom_id, envelope("invalid_request_error", problem, None))


def api_error_body(error: ServerError, status: int | None) -> dict:
    """The API's own error body with its request id; a body that is not the envelope gets one."""
    document = error.document
    error_type, message = error_fields(document)
    if isinstance(document, dict) and error_type and isinstance(document.get("error"), dict):
        return dict(document, type="error", request_id=document.get("request_id") or error.request_id)
    fallback = error_type_for_status(status) if status else "api_error"
    return envelope(error_type or fallback, message or str(error), error.request_id)


def failed(position: int, custom_id: str, error: AntError, shared_model: str | None = None) -> Outcome:
    """The errored result for a failure; 401/403/404 and network failures also stop the batch, except a 404
    for a model that the line gave itself (`shared_model` is the one the options give every line)."""
    if isinstance(error, ApiError):
        fatal = error.status in FATAL_STATUSES and not own_model_unknown(error, shared_model)
        return errored(position, custom_id, api_error_body(error, error.status), error if fatal else None)
    if isinstance(error, ServerError):
        return errored(position, custom_id, api_error_body(error, None))
    if isinstance(error, NetworkTimeout):  # a slow answer is this line's; no connection at all stops the batch
        fatal_timeout = error if isinstance(error, ConnectTimeout) else None
        return errored(position, custom_id, envelope("timeout_error", str(error), None), fatal_timeout)
    if isinstance(error, NetworkError):
        return errored(position, custom_id, envelope("connection_error", str(error), None), error)
    return errored(position, custom_id, envelope("api_error", str(error), None))


def own_model_unknown(error: ApiError, shared_model: str | None) -> bool:
    """A 404 `model: <id>` for an id that is not the options' one: only the lines that give it fail."""
    _, message = error_fields(error.document)
    return error.status == 404 and isinstance(message, str) and message.startswith("model: ") \
        and message[len("model: "):] != shared_model
