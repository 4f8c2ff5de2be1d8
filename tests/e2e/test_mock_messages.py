"""The mock's `/v1/messages` over raw HTTP: every documented refusal, what it accepts, its answers, its streams,
and every script action and load setting on it; then what both endpoints share (error texts, rate-limit headers,
reset, a stalled stream's client leaving).

Rows are named after the API's rejection table (R1..R38) for `/v1/messages`.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time

import pytest

from ant_mock import MockServer
from tests.helpers import wait_until
from tests.mock_wire import BASE_HEADERS, KEY, address, assert_refusal, connect, exchange, headers_with, send

MODEL = "claude-haiku-4-5"
USER = {"role": "user", "content": "Tell me about dogs"}
GOOD = {"model": MODEL, "max_tokens": 64, "messages": [USER]}
PATH = "/v1/messages"
ANY = None  # the row's level gives status and type only
PREFILL = "This model does not support assistant message prefill. The conversation must end with a user message."
BOTH = "`temperature` and `top_p` cannot both be specified for this model. Please use only one."


@pytest.fixture
def mock(capsys):
    with MockServer(api_key=KEY) as server:
        yield server
    assert "ant_mock:" not in capsys.readouterr().err  # no internal error was hidden behind a 500


def post(server, body=GOOD, headers=None, path=PATH):
    return send(server, body, headers, path)


def with_(**changes) -> dict:
    return dict(GOOD, **changes)


def without(name: str) -> dict:
    return {key: value for key, value in GOOD.items() if key != name}


def conversation(*messages, **changes) -> dict:
    return dict(GOOD, messages=list(messages), **changes)


def said(text: str, role: str = "assistant") -> dict:
    return {"role": role, "content": text}


def ceiling(tokens: int, ceiling_tokens: int, name: str) -> str:
    return f"max_tokens: {tokens} > {ceiling_tokens}, which is the maximum allowed number of output tokens for {name}"


# (row, body, headers, status, error type, message: exact str, ("prefix", text), or ANY)
REJECTED = [
    ("R1 no version", GOOD, headers_with(anthropic_version=None), 400, "invalid_request_error",
     "anthropic-version: header is required"),
    ("R2 unknown beta", GOOD, headers_with(anthropic_beta="x"), 400, "invalid_request_error",
     ("prefix", "Unexpected value(s) `x` for the `anthropic-beta` header.")),
    ("H1 no credentials", GOOD, headers_with(x_api_key=None), 401, "authentication_error",
     "x-api-key header is required"),
    ("H2 wrong key", GOOD, headers_with(x_api_key="sk-wrong"), 401, "authentication_error", "invalid x-api-key"),
    ("B1 invalid JSON", b"{nope", None, 400, "invalid_request_error",
     ("prefix", "The request body is not valid JSON: ")),
    ("R4 model missing", without("model"), None, 400, "invalid_request_error", "model: Field required"),
    ("R4 model null", with_(model=None), None, 400, "invalid_request_error", "model: Input should be a valid string"),
    ("R4 model number", with_(model=7), None, 400, "invalid_request_error", "model: Input should be a valid string"),
    ("R4 model empty", with_(model=""), None, 400, "invalid_request_error",
     "model: String should have at least 1 character"),
    ("R5 unknown model", with_(model="claude-unknown"), None, 404, "not_found_error", "model: claude-unknown"),
    ("R5 retired claude-2.1", with_(model="claude-2.1"), None, 404, "not_found_error", "model: claude-2.1"),
    ("R5 retired Sonnet 4", with_(model="claude-sonnet-4-20250514"), None, 404, "not_found_error",
     "model: claude-sonnet-4-20250514"),
    ("R5 retired Mythos Preview", with_(model="claude-mythos-preview"), None, 404, "not_found_error",
     "model: claude-mythos-preview"),
    ("R5 blank model", with_(model="   "), None, 404, "not_found_error", "model:    "),
    ("R6 a completion body", {"model": MODEL, "prompt": "\n\nHuman: hi\n\nAssistant:", "max_tokens_to_sample": 5},
     None, 400, "invalid_request_error", "messages: Field required"),
    ("R7 max_tokens missing", without("max_tokens"), None, 400, "invalid_request_error",
     "max_tokens: Field required"),
    ("R7 beats unknown keys", dict(without("max_tokens"), bogus=1), None, 400, "invalid_request_error",
     "max_tokens: Field required"),
    ("R8 max_tokens string", with_(max_tokens="16"), None, 400, "invalid_request_error",
     "max_tokens: Input should be a valid integer"),
    ("R8 max_tokens null", with_(max_tokens=None), None, 400, "invalid_request_error",
     "max_tokens: Input should be a valid integer"),
    ("R9 max_tokens negative", with_(max_tokens=-1), None, 400, "invalid_request_error",
     ("prefix", "max_tokens: ")),
    ("R11 messages string", with_(messages="hi"), None, 400, "invalid_request_error",
     "messages: Input should be a valid array"),
    ("R11 messages null", with_(messages=None), None, 400, "invalid_request_error",
     "messages: Input should be a valid array"),
    ("R11 messages empty", with_(messages=[]), None, 400, "invalid_request_error",
     "messages: at least one message is required"),
    ("R12 temperature string", with_(temperature="abc"), None, 400, "invalid_request_error",
     "temperature: Input should be a valid number"),
    ("R12 temperature null", with_(temperature=None), None, 400, "invalid_request_error",
     "temperature: Input should be a valid number"),
    ("R12 temperature range", with_(temperature=1.5), None, 400, "invalid_request_error",
     "temperature: range: 0..1"),
    ("R12 temperature below", with_(temperature=-0.1), None, 400, "invalid_request_error",
     "temperature: range: 0..1"),
    ("R12 top_p range", with_(top_p=1.5), None, 400, "invalid_request_error", "top_p: range: 0..1"),
    ("R12 range beats unknown keys", with_(temperature=1.5, bogus=1), None, 400, "invalid_request_error",
     "temperature: range: 0..1"),
    ("R13 top_k fraction", with_(top_k=1.5), None, 400, "invalid_request_error",
     "top_k: Input should be a valid integer"),
    ("R14 stop_sequences string", with_(stop_sequences="ZZ"), None, 400, "invalid_request_error",
     "stop_sequences: Input should be a valid array"),
    ("R14 stop_sequences item", with_(stop_sequences=[1]), None, 400, "invalid_request_error",
     "stop_sequences.0: Input should be a valid string"),
    ("R15 stream string", with_(stream="yes"), None, 400, "invalid_request_error",
     "stream: Input should be a valid boolean"),
    ("R16 user_id number", with_(metadata={"user_id": 7}), None, 400, "invalid_request_error",
     "metadata.user_id: Input should be a valid string"),
    ("R16 metadata unknown key", with_(metadata={"bogus": "x"}), None, 400, "invalid_request_error",
     "metadata.bogus: Extra inputs are not permitted"),
    ("R17 system number", with_(system=7), None, 400, "invalid_request_error", "system: Input should be a valid array"),
    ("R17 system item", with_(system=[7]), None, 400, "invalid_request_error",
     "system.0: Input does not match the expected shape."),
    ("R18 unknown key", with_(bogus_field=1), None, 400, "invalid_request_error",
     "bogus_field: Extra inputs are not permitted"),
    ("R18 unknown key null", with_(bogus=None), None, 400, "invalid_request_error",
     "bogus: Extra inputs are not permitted"),
    ("R18 a completion-era key", with_(stop=["x"]), None, 400, "invalid_request_error",
     "stop: Extra inputs are not permitted"),
    ("R18 first unknown key", with_(zeta=1, alpha=2), None, 400, "invalid_request_error",
     "zeta: Extra inputs are not permitted"),
    ("R19 service_tier", with_(service_tier="bogus"), None, 400, "invalid_request_error",
     "service_tier: Input should be 'auto' or 'standard_only'"),
    ("R20 no role", conversation({"content": "hi"}), None, 400, "invalid_request_error",
     "messages.0.role: Field required"),
    ("R20 developer role", conversation(said("hi", "developer")), None, 400, "invalid_request_error",
     'messages: Unexpected role "developer". Allowed roles are "user" or "assistant"'),
    ("R20 human role", conversation(said("hi", "human")), None, 400, "invalid_request_error", ANY),
    ("R21 system item first", conversation(said("be brief", "system"), USER), None, 400, "invalid_request_error",
     ("prefix", "messages.0: use the top-level 'system' parameter")),
    ("R22 content missing", conversation({"role": "user"}), None, 400, "invalid_request_error",
     "messages.0.content: Field required"),
    ("R22 content null", conversation({"role": "user", "content": None}), None, 400, "invalid_request_error",
     "messages.0.content: Input should be a valid array"),
    ("R22 content number", conversation({"role": "user", "content": 7}), None, 400, "invalid_request_error",
     "messages.0.content: Input should be a valid array"),
    ("R22 content object", conversation({"role": "user", "content": {}}), None, 400, "invalid_request_error",
     "messages.0.content: Input should be a valid array"),
    ("R23 block number", conversation({"role": "user", "content": [7]}), None, 400, "invalid_request_error",
     "messages.0.content.0: Input should be an object"),
    ("R23 block without type", conversation({"role": "user", "content": [{}]}), None, 400, "invalid_request_error",
     "messages.0.content.0.type: Field required"),
    ("R23 unknown member", conversation(dict(USER, bogus=1)), None, 400, "invalid_request_error",
     "messages.0.bogus: Extra inputs are not permitted"),
    ("R24 empty user turn", conversation(said("hi"), {"role": "user", "content": []}), None, 400,
     "invalid_request_error", "messages.1: user messages must have non-empty content"),
    ("R26 empty final text", conversation({"role": "user", "content": [{"type": "text", "text": ""}]}), None, 400,
     "invalid_request_error", "messages: text content blocks must be non-empty"),
    ("R27 blank text", conversation(said(" \n", "user")), None, 400, "invalid_request_error",
     "messages: text content blocks must contain non-whitespace text"),
    ("R28 prefill with trailing space", conversation(USER, said("The answer is ")), None, 400,
     "invalid_request_error", "messages: final assistant content cannot end with trailing whitespace"),
    ("R29 prefill on Sonnet 5", conversation(USER, said("Well,"), model="claude-sonnet-5"), None, 400,
     "invalid_request_error", PREFILL),
    ("R29 prefill on Opus 4.6", conversation(USER, said("Well,"), model="claude-opus-4-6"), None, 400,
     "invalid_request_error", PREFILL),
    ("R29 prefill on Sonnet 4.6", conversation(USER, said("Well,"), model="claude-sonnet-4-6"), None, 400,
     "invalid_request_error", PREFILL),
    ("R31 empty system item", conversation(USER, {"role": "system", "content": []}), None, 400,
     "invalid_request_error", "messages.1: system content must contain at least one block"),
    ("R31 system before user", conversation(USER, said("ok"), said("s", "system"), said("hi", "user")), None, 400,
     "invalid_request_error", ("prefix", "messages.2: role 'system' must precede an 'assistant' message")),
    ("R33 Haiku 4.5 ceiling", with_(max_tokens=64_001), None, 400, "invalid_request_error",
     ceiling(64_001, 64_000, "claude-haiku-4-5-20251001")),
    ("R33 Opus 4.5 ceiling", with_(model="claude-opus-4-5", max_tokens=128_001), None, 400,
     "invalid_request_error", ceiling(128_001, 64_000, "claude-opus-4-5-20251101")),
    ("R33 Opus 4.8 ceiling", with_(model="claude-opus-4-8", max_tokens=9_999_999), None, 400,
     "invalid_request_error", ceiling(9_999_999, 128_000, "claude-opus-4-8")),
    ("R34 temperature on Sonnet 5", with_(model="claude-sonnet-5", temperature=0.5), None, 400,
     "invalid_request_error", "`temperature` is deprecated for this model."),
    ("R34 temperature on Opus 4.7", with_(model="claude-opus-4-7", temperature=0), None, 400,
     "invalid_request_error", "`temperature` is deprecated for this model."),
    ("R35 top_p on Fable 5", with_(model="claude-fable-5", top_p=0.9), None, 400, "invalid_request_error",
     "`top_p` is deprecated for this model"),
    ("R35 top_k on Opus 5", with_(model="claude-opus-5", top_k=5), None, 400, "invalid_request_error",
     "`top_k` is deprecated for this model"),
    ("R37 manual thinking on Sonnet 5", with_(model="claude-sonnet-5", thinking={"type": "enabled",
                                                                             "budget_tokens": 1024}), None, 400,
     "invalid_request_error", '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" '
     'and "output_config.effort" to control thinking behavior.'),
    ("R36 both on Sonnet 4.5", with_(model="claude-sonnet-4-5", temperature=0.5, top_p=0.9), None, 400,
     "invalid_request_error", BOTH),
    ("R36 both on Haiku 4.5", with_(temperature=0.5, top_p=0.9), None, 400, "invalid_request_error", BOTH),
    ("R36 both on Sonnet 4.6", with_(model="claude-sonnet-4-6", temperature=1, top_p=1), None, 400,
     "invalid_request_error", BOTH),
]


@pytest.mark.parametrize("row, body, headers, status, error_type, message", REJECTED,
                         ids=[row[0] for row in REJECTED])
def test_rejected_like_the_api(mock, row, body, headers, status, error_type, message):
    code, response_headers, raw = post(mock, body, headers)
    assert_refusal((code, response_headers, raw), status, error_type, message)


ACCEPTED = [
    ("R10 max_tokens zero", with_(max_tokens=0)),
    ("R13 negative top_k on Sonnet 5", with_(model="claude-sonnet-5", top_k=-1)),
    ("R34 default temperature on Sonnet 5", with_(model="claude-sonnet-5", temperature=1)),
    ("R14 stop_sequences empty", with_(stop_sequences=[])),
    ("R14 stop_sequences null", with_(stop_sequences=None)),
    ("R16 metadata null", with_(metadata=None)),
    ("R16 a long user_id", with_(metadata={"user_id": "u" * 300})),
    ("R17 system string", with_(system="Be brief.")),
    ("R17 system blocks", with_(system=[{"type": "text", "text": "Be brief."}])),
    ("R25 two user items in a row", conversation(said("Hi", "user"), USER)),
    ("R24 an empty item in a non-empty run", conversation({"role": "user", "content": []}, USER)),
    ("R26 an empty block mid-conversation", conversation({"role": "user", "content": [{"type": "text", "text": ""}]},
                                                         said("Hi"), USER)),
    ("R29 prefill on Haiku 4.5", conversation(USER, said("Well,"))),
    ("R29 empty final assistant on Sonnet 5", conversation(USER, {"role": "assistant", "content": []},
                                                           model="claude-sonnet-5")),
    ("R30 assistant first", conversation(said("Hello"), USER)),
    ("R37 manual thinking on Haiku 4.5", with_(thinking={"type": "enabled", "budget_tokens": 1024})),
    ("R37 adaptive thinking on Opus 4.7", with_(model="claude-opus-4-7", thinking={"type": "adaptive"})),
    ("R36 one sampling parameter on Sonnet 4.5", with_(model="claude-sonnet-4-5", temperature=0.3, top_k=5)),
    ("every optional field", with_(temperature=0.5, top_k=5, stream=False, metadata={"user_id": "u"},
                                   stop_sequences=["\n\nHuman:"], service_tier="auto", inference_geo=None,
                                   cache_control=None, container=None, system="Be brief.")),
]


@pytest.mark.parametrize("row, body", ACCEPTED, ids=[row[0] for row in ACCEPTED])
def test_accepted_like_the_api(mock, row, body):
    code, headers, raw = post(mock, body)
    document = json.loads(raw)
    assert code == 200 and document["type"] == "message" and document["model"] == body["model"]
    assert headers["request-id"].startswith("req_01")


@pytest.mark.parametrize("model", ["claude-sonnet-5", "claude-fable-5", "claude-mythos-5", "claude-opus-5",
                                   "claude-opus-4-8", "claude-opus-4-7", "claude-opus-4-6", "claude-sonnet-4-6",
                                   "claude-haiku-4-5", "claude-haiku-4-5-20251001", "claude-opus-4-5",
                                   "claude-opus-4-5-20251101", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929"])
def test_every_current_model_answers_up_to_its_ceiling(mock, model):
    top = 64_000 if "4-5" in model else 128_000
    assert post(mock, with_(model=model, max_tokens=top))[0] == 200
    assert post(mock, with_(model=model, max_tokens=top + 1))[0] == 400


def test_allowed_models_answer_on_messages_too():
    with MockServer(api_key=KEY, allow_models=["my-gateway-model"]) as lenient:
        code, _, raw = post(lenient, conversation(USER, said("Well,"), model="my-gateway-model", temperature=0.2))
    assert code == 200 and json.loads(raw)["content"][0]["text"].startswith(" Hello!")


def test_only_post_reaches_the_endpoint(mock):
    code, _, raw = send(mock, b"", BASE_HEADERS, path=PATH, method="GET")
    assert code == 404 and json.loads(raw)["error"] == {"type": "not_found_error", "message": "Not Found"}


def test_a_body_over_32_mb_is_refused_with_cloudflares_413(mock):
    with socket.create_connection(address(mock), timeout=5) as sock:
        head = [f"POST {PATH} HTTP/1.1", "Host: 127.0.0.1", "Content-Length: 33000000"]
        sock.sendall(("\r\n".join(head + [f"{k}: {v}" for k, v in BASE_HEADERS.items()]) + "\r\n\r\n").encode())
        answer = sock.makefile("rb").read()
    assert answer.startswith(b"HTTP/1.1 413")
    assert answer.endswith(b'{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}')


# ---- answers --------------------------------------------------------------------------------------------

def test_the_message_answers_the_last_user_turn(mock):
    code, headers, raw = post(mock, conversation(said("First", "user"), said("Ok"), USER, system="Be brief."))
    message = json.loads(raw)
    assert code == 200 and headers["content-type"] == "application/json"
    assert message["id"].startswith("msg_01") and len(message["id"]) > 20
    assert {key: message[key] for key in ("type", "role", "model", "content", "stop_reason", "stop_sequence")} == {
        "type": "message", "role": "assistant", "model": MODEL, "stop_reason": "end_turn", "stop_sequence": None,
        "content": [{"type": "text", "text": "Hello! You said: Tell me about dogs"}]}
    assert message["usage"] == {"input_tokens": 8, "output_tokens": 7, "cache_creation_input_tokens": 0,
                                "cache_read_input_tokens": 0, "service_tier": "standard",
                                "inference_geo": "not_available"}


@pytest.mark.parametrize("changes, text, stop_reason, stop_sequence, output_tokens", [
    ({"stop_sequences": ["ZZ", "about"]}, "Hello! You said: Tell me ", "stop_sequence", "about", 6),
    ({"max_tokens": 4}, "Hello! You said: Tell", "max_tokens", None, 4),
    ({"max_tokens": 0}, "", "max_tokens", None, 0),
])
def test_stop_sequences_and_max_tokens_end_the_text(mock, changes, text, stop_reason, stop_sequence, output_tokens):
    message = json.loads(post(mock, with_(**changes))[2])
    assert (message["content"][0]["text"], message["stop_reason"], message["stop_sequence"]) == (
        text, stop_reason, stop_sequence)
    assert message["usage"]["output_tokens"] == output_tokens


def test_a_prefill_is_continued_not_repeated(mock):
    message = json.loads(post(mock, conversation(USER, said("Well,")))[2])
    assert message["content"][0]["text"] == " Hello! You said: Tell me about dogs"


def test_the_requested_geography_is_reported(mock):
    assert json.loads(post(mock, with_(inference_geo="us"))[2])["usage"]["inference_geo"] == "us"


# ---- streams --------------------------------------------------------------------------------------------

def read_raw(server, body, headers=None) -> tuple[bytes, bytes, bool]:
    """(head, dechunked body, whether the chunked terminator came) of one answer read until the server closes."""
    data = json.dumps(body).encode()
    lines = [f"POST {PATH} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", f"Content-Length: {len(data)}"]
    lines += [f"{name}: {value}" for name, value in (headers or BASE_HEADERS).items()]
    with socket.create_connection(address(server), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        raw = sock.makefile("rb").read()
    head, _, rest = raw.partition(b"\r\n\r\n")
    chunks, ended = [], False
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            ended = True
            break
        chunks.append(rest[:size])
        rest = rest[size + 2:]
    return head, b"".join(chunks), ended


def events_of(body: bytes) -> list[tuple[str, dict]]:
    parsed = []
    for block in body.decode().split("\n\n"):
        if block.strip():
            name, data = block.split("\n", 1)
            parsed.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return parsed


def stream(server, action=None, body=None) -> tuple[list[tuple[str, dict]], bool]:
    if action is not None:
        server.script(action)
    head, data, ended = read_raw(server, dict(body or GOOD, stream=True))
    assert head.startswith(b"HTTP/1.1 200") and b"content-type: text/event-stream" in head.lower()
    return events_of(data), ended


FRAME = ["message_start", "content_block_start", "ping"]
END = ["content_block_stop", "message_delta", "message_stop"]


def test_the_stream_follows_the_documented_event_order(mock):
    events, ended = stream(mock)
    names = [name for name, _ in events]
    assert ended and names == FRAME + ["content_block_delta"] * 7 + END
    assert all(data["type"] == name for name, data in events)
    start = events[0][1]["message"]
    assert start["content"] == [] and start["stop_reason"] is None and start["usage"]["output_tokens"] == 1
    assert start["usage"]["input_tokens"] == 4 and start["model"] == MODEL and start["id"].startswith("msg_")
    assert events[1][1] == {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
    text = "".join(data["delta"]["text"] for name, data in events if name == "content_block_delta")
    assert text == json.loads(post(mock)[2])["content"][0]["text"]
    assert events[-2][1] == {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                             "usage": {"output_tokens": 7}}


def test_a_streamed_stop_sequence_is_reported_in_message_delta(mock):
    events, _ = stream(mock, body=with_(stop_sequences=["dogs"]))
    assert events[-2][1]["delta"] == {"stop_reason": "stop_sequence", "stop_sequence": "dogs"}


@pytest.mark.parametrize("action, deltas, ending, ended", [
    ({"events": 4, "chunk": " tick"}, 4, END, True),
    ({"events": 3, "interval": 0.01}, 3, END, True),
    ({"events": 3, "no_final": True}, 3, ["content_block_stop"], True),
    ({"events": 5, "cut_after": 2}, 2, [], False),
    ({"cut_after": 1}, 1, [], False),
    ({"events": 5, "error_after": 2}, 2, ["error"], True),
    ({"error_after": 0, "bare_error": True}, 0, ["error"], True),
])
def test_scripted_stream_faults_inside_the_message_framing(mock, action, deltas, ending, ended):
    events, terminated = stream(mock, action)
    assert [name for name, _ in events] == FRAME + ["content_block_delta"] * deltas + ending
    assert terminated == ended
    if "chunk" in action:
        assert {data["delta"]["text"] for name, data in events if name == "content_block_delta"} == {" tick"}
        assert events[-2][1]["usage"] == {"output_tokens": 4} and events[-2][1]["delta"]["stop_reason"] == "max_tokens"
    if ending == ["error"]:
        error = {"type": "overloaded_error", "message": "Overloaded"}
        assert events[-1][1] == ({"error": error} if action.get("bare_error") else {"type": "error", "error": error})


# ---- script actions and load on /v1/messages ------------------------------------------------------------------

@pytest.mark.parametrize("action, status, error_type, message", [
    ({"status": 529}, 529, "overloaded_error", "Overloaded"),
    ({"error": "api_error"}, 500, "api_error", "Internal server error"),
    ({"status": 429}, 429, "rate_limit_error", "This request would exceed the rate limit for your organization"),
    ({"status": 403, "message": "no access"}, 403, "permission_error", "no access"),
])
def test_scripted_errors_say_what_the_api_says(mock, action, status, error_type, message):
    mock.script(action)
    code, headers, raw = post(mock)
    assert (code, json.loads(raw)["error"]["type"]) == (status, error_type)
    assert json.loads(raw)["error"]["message"].startswith(message)
    assert json.loads(raw)["request_id"] == headers["request-id"]


def test_canned_bodies_headers_delay_and_html(mock):
    mock.script({"status": 200, "body": {"type": "message", "content": []}}, {"headers": {"x-extra": "1"}},
                {"delay": 0.2}, {"html": True, "status": 503})
    assert json.loads(post(mock)[2]) == {"type": "message", "content": []}
    assert post(mock)[1]["x-extra"] == "1"
    started = time.monotonic()
    assert post(mock)[0] == 200 and time.monotonic() - started >= 0.2
    code, headers, raw = post(mock)
    assert code == 503 and headers["content-type"] == "text/html" and raw.startswith(b"<html>")


def test_a_truncated_answer_is_a_message_cut_short(mock):
    mock.script({"truncate": True})
    connection = connect(mock)
    with pytest.raises(http.client.IncompleteRead) as cut:
        exchange(connection, GOOD, path=PATH)
    connection.close()
    assert cut.value.partial.startswith(b'{"id": "msg_cut", "type": "message"') and cut.value.expected > 0


def test_a_reset_drops_the_connection(mock):
    mock.script({"reset": True})
    with pytest.raises(ConnectionError):
        post(mock)
    assert post(mock)[0] == 200


def test_each_client_plays_its_own_script_on_messages(mock):
    mock.script({"status": 529}, client="alpha")
    tagged = dict(BASE_HEADERS, **{"x-mock-client": "alpha"})
    assert [post(mock)[0], post(mock, headers=tagged)[0], post(mock, headers=tagged)[0]] == [200, 529, 200]


def test_the_rpm_budget_and_latency_apply_to_messages():
    with MockServer(rpm=2, depth=60, latency=0.05) as server:
        connection = connect(server)
        started = time.monotonic()
        answers = [exchange(connection, GOOD, path=PATH) for _ in range(3)]
        connection.close()
    assert [status for status, _, _ in answers] == [200, 200, 429] and time.monotonic() - started >= 0.15
    status, headers, raw = answers[2]
    assert json.loads(raw)["error"]["message"].startswith(
        "This request would exceed the rate limit for your organization (mock-org) of 2 requests per minute.")
    assert headers["anthropic-ratelimit-requests-remaining"] == "0" and int(headers["retry-after"]) >= 1


def test_the_request_log_records_messages_with_their_path(mock):
    post(mock)
    send(mock, dict(GOOD, stream=True), path=PATH)
    assert [(entry["path"], json.loads(entry["body"])["model"]) for entry in mock.requests] == [(PATH, MODEL)] * 2


def test_help_names_both_endpoints_and_their_eras():
    result = subprocess.run([sys.executable, "-m", "ant_mock", "--help"], capture_output=True, text=True, timeout=9)
    text = " ".join(result.stdout.split())
    assert result.returncode == 0
    for words in ("POST /v1/complete", "POST /v1/messages", "last working state", "claude-sonnet-5",
                  "claude-haiku-4-5", "anthropic-ratelimit-", "claude-mythos-preview"):
        assert words in text, words


# ---- what both endpoints share ---------------------------------------------------------------------------------

COMPLETE = {"model": "claude-2.1", "max_tokens_to_sample": 16, "prompt": "\n\nHuman: Hello there\n\nAssistant:"}
ENDPOINTS = [("/v1/complete", COMPLETE), (PATH, GOOD)]


@pytest.mark.parametrize("path, body", ENDPOINTS)
def test_every_answer_carries_the_four_rate_limit_families(mock, path, body):
    for answer_body in (body, dict(body, model="nope"), dict(body, stream=True)):
        _, headers, _ = send(mock, answer_body, path=path)
        for family in ("requests", "tokens", "input-tokens", "output-tokens"):
            limit, remaining = (int(headers[f"anthropic-ratelimit-{family}-{part}"]) for part in ("limit", "remaining"))
            assert limit == remaining > 0 and headers[f"anthropic-ratelimit-{family}-reset"].endswith("Z")


@pytest.mark.parametrize("path, body", ENDPOINTS)
def test_a_scripted_429_leaves_no_request_remaining(mock, path, body):
    mock.script({"status": 429})
    code, headers, _ = send(mock, body, path=path)
    assert code == 429 and headers["anthropic-ratelimit-requests-remaining"] == "0"
    assert int(send(mock, body, path=path)[1]["anthropic-ratelimit-requests-remaining"]) > 0


def test_a_reset_restarts_the_sequence_numbers(mock):
    for path, body in ENDPOINTS:
        send(mock, body, path=path)
    assert [entry["seq"] for entry in mock.requests] == [1, 2]
    assert send(mock, b"", {}, path="/_mock/reset")[0] == 200
    send(mock, GOOD, path=PATH)
    assert [entry["seq"] for entry in mock.requests] == [1]


def fetch_stats(server) -> dict:
    return json.loads(send(server, b"", {}, path="/_mock/stats", method="GET")[2])


@pytest.mark.parametrize("path, body", ENDPOINTS)
def test_a_stalled_stream_whose_client_left_is_no_longer_in_flight(mock, path, body):
    mock.script({"stall_after": 1})
    data = json.dumps(dict(body, stream=True)).encode()
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(data)}"]
    lines += [f"{name}: {value}" for name, value in BASE_HEADERS.items()]
    sock = socket.create_connection(address(mock), timeout=5)
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
    received = wait_until(lambda: sock.recv(65536), what="the events before the stall")
    assert received.startswith(b"HTTP/1.1 200")
    assert fetch_stats(mock)["in_flight"] == 1  # stalled, its client still waiting
    sock.close()
    wait_until(lambda: fetch_stats(mock)["in_flight"] == 0, timeout=5, what="the stalled request to end")
    assert send(mock, body, path=path)[0] == 200
