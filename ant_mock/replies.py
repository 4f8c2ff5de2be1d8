"""What the mock answers: ids, the error envelope, the canned answer, a completion and its SSE events.

The canned answer and the scripted stream faults are shared with `/v1/messages` (see `messages`)."""

from __future__ import annotations

import json
import random
import string
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ant_mock.knowledge import ORGANIZATION_ID

STALL = b""  # a marker in an event stream: stop writing here and hang


@dataclass
class Reply:
    """One HTTP answer with a length; `close` ends the connection after it."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    close: bool = False


def make_id(prefix: str) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "01" + "".join(random.choice(alphabet) for _ in range(22))


def api_headers(request_id: str) -> dict[str, str]:
    """The headers every answer from the API itself carries."""
    return {"request-id": request_id, "anthropic-organization-id": ORGANIZATION_ID}


def error_body(error_type: str, message: str, request_id: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": error_type, "message": message}, "request_id": request_id}


def json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(payload).encode(), "application/json", dict(headers or {}))


def error_reply(status: int, error_type: str, message: str, request_id: str) -> Reply:
    headers = api_headers(request_id)
    if status == 401:  # seen on real 401s: no client should retry a bad key
        headers["x-should-retry"] = "false"
    return json_reply(status, error_body(error_type, message, request_id), headers)


@dataclass
class Answer:
    """The canned answer's words and why they end: "max_tokens", "stop_sequence", or None (a natural end)."""

    words: list[str]
    stop_reason: str | None = None
    stop_sequence: str | None = None


def compose_answer(question: str, max_tokens: int, stop_sequences: list[str] | None, first: str = " Hello!") -> Answer:
    """Deterministic words answering a question, cut by the token limit (a word a token), then by stop sequences."""
    words = [first, " You", " said:"] + [" " + word for word in question.split()]
    answer = Answer(words[:max_tokens], "max_tokens" if len(words) > max_tokens else None)
    text = "".join(answer.words)
    found = [(text.index(stop), stop) for stop in stop_sequences or [] if stop and stop in text]
    if not found:
        return answer
    at, stop = min(found)  # the sequence the text reaches first
    return Answer(cut_words(answer.words, at), "stop_sequence", stop)


def compose_reply(body: dict[str, Any]) -> tuple[list[str], str]:
    """The completion's words for the last Human turn; a natural end is reported as "stop_sequence", as TC did."""
    question = body["prompt"].rsplit("\n\nHuman:", 1)[-1].split("\n\nAssistant:", 1)[0].strip()
    answer = compose_answer(question, body["max_tokens_to_sample"], body.get("stop_sequences"))
    return answer.words, answer.stop_reason or "stop_sequence"


def cut_words(words: list[str], limit: int) -> list[str]:
    """The words up to `limit` characters, the last one shortened to fit."""
    kept, length = [], 0
    for word in words:
        if length + len(word) > limit:
            kept.append(word[: limit - length])
            break
        kept.append(word)
        length += len(word)
    return [word for word in kept if word]


def completion(body: dict[str, Any], request_id: str) -> Reply:
    words, stop_reason = compose_reply(body)
    payload = {"id": make_id("compl_"), "type": "completion", "completion": "".join(words),
               "stop_reason": stop_reason, "model": body["model"]}
    return json_reply(200, payload, api_headers(request_id))


def sse(name: str, payload: Any) -> bytes:
    return f"event: {name}\ndata: {json.dumps(payload)}\n\n".encode()


def delta(completion_id: str, model: str, text: str, stop_reason: str | None = None) -> bytes:
    return sse("completion", {"type": "completion", "id": completion_id, "completion": text,
                              "stop_reason": stop_reason, "model": model})


def stream_events(body: dict[str, Any], action: dict[str, Any]) -> Iterator[bytes]:
    """The SSE events of one streamed completion, with the scripted error, cut, stall or missing final event."""
    completion_id, model = make_id("compl_"), body["model"]
    if "events" in action:
        same = delta(completion_id, model, action.get("chunk", " word"))
        deltas: Iterator[bytes] = (same for _ in range(action["events"]))  # built once: a fast server
        stop_reason = "max_tokens"
    else:
        words, stop_reason = compose_reply(body)
        deltas = (delta(completion_id, model, word) for word in words)
    finished = yield from scripted_deltas(deltas, action, after_first=sse("ping", {"type": "ping"}))
    if finished and not action.get("no_final"):
        yield delta(completion_id, model, "", stop_reason)


def scripted_deltas(deltas: Iterable[bytes], action: dict[str, Any],
                    after_first: bytes = b"") -> Generator[bytes, None, bool]:
    """The deltas with the scripted fault (an error event, a cut, a stall); False when the fault ended them."""
    for index, event in enumerate(deltas):
        if index == action.get("error_after"):
            error = {"error": {"type": "overloaded_error", "message": "Overloaded"}}
            yield sse("error", error if action.get("bare_error") else dict(type="error", **error))
            return False
        if index == action.get("cut_after"):
            return False
        if index == action.get("stall_after"):
            yield STALL
        yield event
        if index == 0 and after_first:
            yield after_first
    return True
