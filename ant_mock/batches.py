"""Message Batches (`/v1/messages/batches`): create, list, retrieve, cancel, delete and results.

Shapes as the official SDK reads them (anthropic 0.125.0, `resources/messages/batches.py`, `types/messages/`) and
as https://platform.claude.com/docs/en/build-with-claude/batch-processing describes them. A batch is
`in_progress` for `BatchLimits.seconds` (every request counted `processing` until then), `canceling` for a short
while after a cancel, then `ended`; only then does `results_url` (an absolute URL of this mock) answer. At the end
each request is validated as `/v1/messages` would validate it: an invalid one is `errored` with that error, the
others `succeeded` with the Message `/v1/messages` would answer. A canceled batch's requests are `canceled`; a
batch scripted to expire ends with every request `expired`. Result lines come in an order unlike the input's.
Refused at create, synchronously: a body over `max_bytes` (413), more than `max_requests` requests, and a
`custom_id` outside `^[a-zA-Z0-9_-]{1,64}$` or used twice (400).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ant_mock.load import rfc3339
from ant_mock.messages import compose_message, message
from ant_mock.messages_validation import check_messages_body
from ant_mock.replies import Reply, api_headers, error_body, error_reply, json_reply, make_id
from ant_mock.validation import Rejection, invalid, parse_body

BATCHES_PATH = "/v1/messages/batches"
CUSTOM_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")
CUSTOM_ID_PATTERN = "^[a-zA-Z0-9_-]{1,64}$"
DAY = 86400.0
CANCEL_SECONDS = 0.2  # how long a canceled batch stays `canceling`
RESULTS_TYPE = "application/x-jsonl"
OUTCOMES = ("succeeded", "errored", "canceled", "expired")


@dataclass
class BatchLimits:
    """How long a batch takes and what one may hold (the documented limits by default)."""

    seconds: float = 3.0
    max_requests: int = 100_000
    max_bytes: int = 256_000_000


@dataclass
class Batch:
    """One batch: its requests as given, when it ends, and what a script made of it."""

    id: str
    created: float
    requests: list[tuple[str, dict[str, Any]]]
    ends: float
    expire: bool = False
    lost_polls: int = 0  # retrieves (and results) still to answer 404, as just after a create
    cancel_at: float | None = None
    kinds: list[str] | None = None  # each request's outcome, decided once at the end

    def ended_at(self) -> float:
        if self.cancel_at is not None and self.cancel_at < self.ends:
            return min(self.ends, self.cancel_at + CANCEL_SECONDS)
        return self.ends

    def status(self, now: float) -> str:
        if now >= self.ended_at():
            return "ended"
        return "canceling" if self.cancel_at is not None else "in_progress"

    def canceled(self) -> bool:
        return self.cancel_at is not None and self.cancel_at < self.ends


@dataclass(frozen=True)
class BatchRoute:
    """A request for the batches endpoints: method, path, query, and the mock's URL for `results_url`."""

    method: str
    path: str
    query: dict[str, list[str]]
    base_url: str
    truncated: bytes = b'{"id": "msgbatch_cut", "type": "message_batch", "processing_'


@dataclass
class ResultLines:
    """The body of a results answer, streamed line by line rather than built whole."""

    lines: Iterator[bytes]


@dataclass
class BatchStore:
    """Every batch of one mock, behind its own lock (newest last)."""

    limits: BatchLimits = field(default_factory=BatchLimits)
    allowed: tuple[str, ...] = ()  # extra model ids that answer (the mock's --allow-model)
    batches: dict[str, Batch] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        with self.lock:
            self.batches.clear()


def is_batches_path(path: str) -> bool:
    return path == BATCHES_PATH or path.startswith(BATCHES_PATH + "/")


def route(store: BatchStore, request: BatchRoute, raw: bytes, action: dict[str, Any],
          request_id: str) -> Reply | ResultLines:
    """The answer of one batches request; the API's 404 for a path or method it does not serve."""
    method, query, base_url = request.method, request.query, request.base_url
    parts = request.path[len(BATCHES_PATH):].strip("/").split("/")
    parts = [] if parts == [""] else parts
    try:
        if not parts:
            if method == "POST":
                return create(store, raw, action, base_url, request_id)
            if method == "GET":
                return listing(store, query, base_url, request_id)
        elif len(parts) == 1 and method in ("GET", "DELETE"):
            return (retrieve if method == "GET" else delete)(store, parts[0], base_url, request_id)
        elif len(parts) == 2 and (method, parts[1]) == ("POST", "cancel"):
            return cancel(store, parts[0], base_url, request_id)
        elif len(parts) == 2 and (method, parts[1]) == ("GET", "results"):
            return results(store, parts[0], request_id)
    except Rejection as rejection:
        return error_reply(rejection.status, rejection.error_type, rejection.message, request_id)
    return error_reply(404, "not_found_error", "Not Found", request_id)


# ---- create ------------------------------------------------------------------------------------------------

def check_requests(body: dict[str, Any], limits: BatchLimits) -> list[tuple[str, dict[str, Any]]]:
    """The (custom_id, params) of every request, or the API's objection to the body."""
    requests = body.get("requests")
    extra = [key for key in body if key != "requests"]
    if extra:
        raise invalid(f"{extra[0]}: Extra inputs are not permitted")
    if not isinstance(requests, list):
        raise invalid("requests: Field required" if requests is None else "requests: Input should be a valid list")
    if not requests:
        raise invalid("requests: List should have at least 1 item after validation, not 0")
    if len(requests) > limits.max_requests:
        raise invalid(f"requests: List should have at most {limits.max_requests} items after validation, "
                      f"not {len(requests)}")
    checked = [check_request(index, item) for index, item in enumerate(requests)]
    seen: set[str] = set()
    for custom_id, _ in checked:
        if custom_id in seen:  # the API's wording is not documented; the rule is ("unique within the batch")
            raise invalid(f"requests: custom_id '{custom_id}' is used more than once; each must be unique")
        seen.add(custom_id)
    return checked


def check_request(index: int, item: Any) -> tuple[str, dict[str, Any]]:
    where = f"requests.{index}"
    if not isinstance(item, dict):
        raise invalid(f"{where}: Input should be a valid dictionary or object to extract fields from")
    for key in item:
        if key not in ("custom_id", "params"):
            raise invalid(f"{where}.{key}: Extra inputs are not permitted")
    custom_id, params = item.get("custom_id"), item.get("params")
    if not isinstance(custom_id, str):
        raise invalid(f"{where}.custom_id: " + ("Field required" if custom_id is None
                                                else "Input should be a valid string"))
    if len(custom_id) > 64:
        raise invalid(f"{where}.custom_id: String should have at most 64 characters")
    if not CUSTOM_ID.fullmatch(custom_id):
        raise invalid(f"{where}.custom_id: String should match pattern '{CUSTOM_ID_PATTERN}'")
    if not isinstance(params, dict):
        raise invalid(f"{where}.params: " + ("Field required" if params is None else "Input should be an object"))
    return custom_id, params


def create(store: BatchStore, raw: bytes, action: dict[str, Any], base_url: str, request_id: str) -> Reply:
    limits = store.limits
    if len(raw) > limits.max_bytes:
        return error_reply(413, "request_too_large", "Request exceeds the maximum size", request_id)
    requests = check_requests(parse_body(raw), limits)
    now = time.time()
    batch = Batch(make_id("msgbatch_"), now, requests, now + limits.seconds, bool(action.get("expire")),
                  int(action.get("lost_polls", 0)))
    with store.lock:
        store.batches[batch.id] = batch
    return json_reply(200, batch_object(store, batch, now, base_url), api_headers(request_id))


# ---- reading and changing a batch --------------------------------------------------------------------------

def find(store: BatchStore, batch_id: str, polled: bool = False) -> Batch:
    with store.lock:
        batch = store.batches.get(batch_id)
        if batch is not None and polled and batch.lost_polls:
            batch.lost_polls -= 1
            batch = None  # a known API behaviour: a fresh batch is not found for a moment
    if batch is None:
        raise Rejection(404, "not_found_error", f"No batch found with id '{batch_id}'")
    return batch


def retrieve(store: BatchStore, batch_id: str, base_url: str, request_id: str) -> Reply:
    batch = find(store, batch_id, polled=True)
    return json_reply(200, batch_object(store, batch, time.time(), base_url), api_headers(request_id))


def cancel(store: BatchStore, batch_id: str, base_url: str, request_id: str) -> Reply:
    batch = find(store, batch_id)
    now = time.time()
    with store.lock:
        if batch.cancel_at is None and batch.status(now) == "in_progress":
            batch.cancel_at = now
    return json_reply(200, batch_object(store, batch, now, base_url), api_headers(request_id))


def delete(store: BatchStore, batch_id: str, base_url: str, request_id: str) -> Reply:
    batch = find(store, batch_id)
    if batch.status(time.time()) != "ended":
        raise invalid(f"Batch '{batch_id}' cannot be deleted while it is processing; cancel it first")
    with store.lock:
        store.batches.pop(batch_id, None)
    return json_reply(200, {"id": batch_id, "type": "message_batch_deleted"}, api_headers(request_id))


def listing(store: BatchStore, query: dict[str, list[str]], base_url: str, request_id: str) -> Reply:
    """One page, newest first: `after_id` pages on (older), `before_id` back (newer); `limit` 1..1000."""
    limit_text = query.get("limit", ["20"])[0]
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= 1000:
        raise invalid("limit: Input should be between 1 and 1000")
    limit, now = int(limit_text), time.time()
    with store.lock:
        newest_first = list(reversed(store.batches.values()))
    ids = [batch.id for batch in newest_first]
    after, before = query.get("after_id", [None])[0], query.get("before_id", [None])[0]
    if after in ids:
        newest_first = newest_first[ids.index(after) + 1:]
    elif before in ids:
        newest_first = newest_first[:ids.index(before)][-limit:]
    page = newest_first[:limit]
    data = [batch_object(store, batch, now, base_url) for batch in page]
    return json_reply(200, {"data": data, "has_more": len(newest_first) > limit,
                            "first_id": data[0]["id"] if data else None, "last_id": data[-1]["id"] if data else None},
                      api_headers(request_id))


def batch_object(store: BatchStore, batch: Batch, now: float, base_url: str) -> dict[str, Any]:
    """The MessageBatch object: counts stay `processing` until the whole batch has ended."""
    status = batch.status(now)
    counts = dict.fromkeys(("processing",) + OUTCOMES, 0)
    if status == "ended":
        for kind in outcome_kinds(batch, store.allowed):
            counts[kind] += 1
    else:
        counts["processing"] = len(batch.requests)
    ended = status == "ended"
    return {"id": batch.id, "type": "message_batch", "processing_status": status, "request_counts": counts,
            "ended_at": rfc3339(batch.ended_at()) if ended else None, "created_at": rfc3339(batch.created),
            "expires_at": rfc3339(batch.created + DAY), "archived_at": None,
            "cancel_initiated_at": rfc3339(batch.cancel_at) if batch.cancel_at is not None else None,
            "results_url": f"{base_url}{BATCHES_PATH}/{batch.id}/results" if ended else None}


# ---- results -----------------------------------------------------------------------------------------------

def validation_error(params: dict[str, Any], allowed: tuple[str, ...]) -> Rejection | None:
    """What `/v1/messages` would refuse in these params (plus what a batch request may not hold), or None."""
    if params.get("stream") is True:  # refused in a batch (whether at create or per request is not documented)
        return invalid("stream: streaming is not supported in a batch request")
    if params.get("max_tokens") == 0:  # accepted by /v1/messages (a cache pre-warm), not in a batch
        return invalid("max_tokens: Input should be greater than or equal to 1")
    try:
        check_messages_body(json.dumps(params).encode(), allowed)
    except Rejection as rejection:
        return rejection
    return None


def outcome_kinds(batch: Batch, allowed: tuple[str, ...]) -> list[str]:
    """Each request's outcome type, decided once (the batch has ended)."""
    if batch.kinds is None:
        if batch.canceled():
            batch.kinds = ["canceled"] * len(batch.requests)
        elif batch.expire:
            batch.kinds = ["expired"] * len(batch.requests)
        else:
            batch.kinds = ["succeeded" if validation_error(params, allowed) is None else "errored"
                           for _, params in batch.requests]
    return batch.kinds


def result_order(count: int) -> Iterator[int]:
    """Every position once, in an order unlike the input's: the odd positions backwards, then the even ones."""
    yield from reversed(range(1, count, 2))
    yield from range(0, count, 2)


def result_line(custom_id: str, params: dict[str, Any], kind: str, allowed: tuple[str, ...]) -> bytes:
    result: dict[str, Any] = {"type": kind}
    if kind in ("succeeded", "errored"):
        error = validation_error(params, allowed)
        if error is not None:
            result = {"type": "errored", "error": error_body(error.error_type, error.message, make_id("req_"))}
        else:
            answer = message(params, compose_message(params), make_id("msg_"))
            answer["usage"]["service_tier"] = "batch"
            result = {"type": "succeeded", "message": answer}
    return json.dumps({"custom_id": custom_id, "result": result}).encode() + b"\n"


def results(store: BatchStore, batch_id: str, request_id: str) -> ResultLines:
    batch = find(store, batch_id, polled=True)
    if batch.status(time.time()) != "ended":
        raise invalid(f"Batch '{batch_id}' has not finished processing; its results are not available yet")
    kinds = outcome_kinds(batch, store.allowed)
    return ResultLines(result_line(*batch.requests[index], kinds[index], store.allowed)
                       for index in result_order(len(batch.requests)))
