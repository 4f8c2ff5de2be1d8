"""The mock API over raw HTTP: every documented refusal of the real endpoint, what it accepts, and its HTTP.

Rows are named after the API's rejection table (H headers, B framing, F fields, P prompt, M model) and carry
the public capture each message comes from. Self-contained: fixtures are defined here.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ant_mock import MockServer
from tests import mock_wire as wire
from tests.mock_wire import BASE_HEADERS, KEY, address, assert_refusal, connect, headers_with

MODEL = "claude-2.1"
PROMPT = "\n\nHuman: Hello there\n\nAssistant:"
GOOD = {"model": MODEL, "max_tokens_to_sample": 16, "prompt": PROMPT}
BETA_TAIL = " for the `anthropic-beta` header."
ANT = Path(sys.executable).with_name("ant")


@pytest.fixture
def mock(capsys):
    with MockServer(api_key=KEY) as server:
        yield server
    assert "ant_mock:" not in capsys.readouterr().err  # no internal error was hidden behind a 500


def exchange(connection, body=GOOD, headers=None, path="/v1/complete", method="POST"):
    return wire.exchange(connection, body, headers, path, method)


def send(server, body=GOOD, headers=None, path="/v1/complete", method="POST"):
    return wire.send(server, body, headers, path, method)


def without(name: str) -> dict:
    return {key: value for key, value in GOOD.items() if key != name}


def invalid_json_message(text: str) -> str:
    try:
        json.loads(text)
    except ValueError as exc:  # the API quotes CPython's own decoder message
        return f"The request body is not valid JSON: {exc}"
    raise AssertionError("valid JSON")


ANY = None  # the row's level gives status and type only
START = 'prompt must start with "\n\nHuman:" turn after an optional system prompt'
END = 'prompt must end with "\n\nAssistant:" turn'
NOT_HERE = '"{}" is not supported on this API. Please use the Messages API instead.'

# (row, body, headers, status, error type, message: exact str, ("prefix", text), or ANY)
REJECTED = [
    ("H1 no credentials", GOOD, headers_with(x_api_key=None), 401, "authentication_error",
     "x-api-key header is required"),
    ("H2 wrong key", GOOD, headers_with(x_api_key="sk-wrong"), 401, "authentication_error", "invalid x-api-key"),
    ("H3 wrong bearer", GOOD, headers_with(x_api_key=None, authorization="Bearer wrong"), 401,
     "authentication_error", "Invalid bearer token"),
    ("H4 auth before version", GOOD, headers_with(x_api_key=None, anthropic_version=None), 401,
     "authentication_error", "x-api-key header is required"),
    ("H5 no version", GOOD, headers_with(anthropic_version=None), 400, "invalid_request_error",
     "anthropic-version: header is required"),
    ("H6 unknown version", GOOD, headers_with(anthropic_version="2023-10-01"), 400, "invalid_request_error",
     'anthropic-version: "2023-10-01" is not a valid version'),
    ("H7 joined versions", GOOD, headers_with(anthropic_version="2023-06-01, 2023-06-01"), 400,
     "invalid_request_error", 'anthropic-version: "2023-06-01, 2023-06-01" is not a valid version'),
    ("H9 unknown beta", GOOD, headers_with(anthropic_beta="x"), 400, "invalid_request_error",
     ("prefix", "Unexpected value(s) `x`" + BETA_TAIL)),
    ("H10 two unknown betas", GOOD, headers_with(anthropic_beta="a,b"), 400, "invalid_request_error",
     ("prefix", "Unexpected value(s) `a`, `b`" + BETA_TAIL)),
    ("H11 empty beta", GOOD, headers_with(anthropic_beta=""), 400, "invalid_request_error",
     ("prefix", "Unexpected value(s) ``" + BETA_TAIL)),
    ("B1 invalid JSON", b"{nope", None, 400, "invalid_request_error", invalid_json_message("{nope")),
    ("B2 empty body", b"", None, 400, "invalid_request_error", invalid_json_message("")),
    ("B2 not an object", b"[1, 2]", None, 400, "invalid_request_error", ANY),
    ("F1 max_tokens_to_sample missing", without("max_tokens_to_sample"), None, 400, "invalid_request_error",
     "max_tokens_to_sample: Field required"),
    ("F1 model missing", without("model"), None, 400, "invalid_request_error", "model: Field required"),
    ("F1 prompt missing", without("prompt"), None, 400, "invalid_request_error", "prompt: Field required"),
    ("F2 two missing", {"prompt": PROMPT}, None, 400, "invalid_request_error",
     "max_tokens_to_sample: Field required"),
    ("F3 unknown key", dict(GOOD, bogus=1), None, 400, "invalid_request_error",
     "bogus: Extra inputs are not permitted"),
    ("F3 unknown key null", dict(GOOD, bogus=None), None, 400, "invalid_request_error",
     "bogus: Extra inputs are not permitted"),
    ("F3 field error first", dict(GOOD, bogus=1, temperature=2), None, 400, "invalid_request_error",
     "temperature: range: 0..1"),
    ("F3 first unknown key", dict(GOOD, zeta=1, alpha=2), None, 400, "invalid_request_error",
     "zeta: Extra inputs are not permitted"),
    ("F4 temperature string", dict(GOOD, temperature="0.5"), None, 400, "invalid_request_error",
     "temperature: Input should be a valid number"),
    ("F4 temperature null", dict(GOOD, temperature=None), None, 400, "invalid_request_error",
     "temperature: Input should be a valid number"),
    ("F5 temperature range", dict(GOOD, temperature=1.5), None, 400, "invalid_request_error",
     "temperature: range: 0..1"),
    ("F5 top_p range", dict(GOOD, top_p=-0.1), None, 400, "invalid_request_error", "top_p: range: 0..1"),
    ("F6 top_k fraction", dict(GOOD, top_k=1.5), None, 400, "invalid_request_error",
     "top_k: Input should be a valid integer"),
    ("F6 max_tokens fraction", dict(GOOD, max_tokens_to_sample=1.5), None, 400, "invalid_request_error",
     "max_tokens_to_sample: Input should be a valid integer"),
    ("F6 max_tokens string", dict(GOOD, max_tokens_to_sample="16"), None, 400, "invalid_request_error",
     "max_tokens_to_sample: Input should be a valid integer"),
    ("F7 max_tokens zero", dict(GOOD, max_tokens_to_sample=0), None, 400, "invalid_request_error",
     ("prefix", "max_tokens_to_sample: ")),
    ("F9 stream string", dict(GOOD, stream="yes"), None, 400, "invalid_request_error",
     "stream: Input should be a valid boolean"),
    ("F10 metadata string", dict(GOOD, metadata="abc"), None, 400, "invalid_request_error", ANY),
    ("F10 metadata list", dict(GOOD, metadata=[1]), None, 400, "invalid_request_error", ANY),
    ("F11 user_id number", dict(GOOD, metadata={"user_id": 7}), None, 400, "invalid_request_error",
     "metadata.user_id: Input should be a valid string"),
    ("F11 metadata unknown key", dict(GOOD, metadata={"bogus": "x"}), None, 400, "invalid_request_error",
     "metadata.bogus: Extra inputs are not permitted"),
    ("F12 user_id too long", dict(GOOD, metadata={"user_id": "u" * 257}), None, 400, "invalid_request_error",
     ("prefix", "metadata.user_id: ")),
    ("F13 stop_sequences string", dict(GOOD, stop_sequences="ZZ"), None, 400, "invalid_request_error",
     "stop_sequences: Input should be a valid array"),
    ("F13 stop_sequences item", dict(GOOD, stop_sequences=[1]), None, 400, "invalid_request_error",
     "stop_sequences.0: Input should be a valid string"),
    ("F14 model number", dict(GOOD, model=7), None, 400, "invalid_request_error",
     "model: Input should be a valid string"),
    ("F14 model empty", dict(GOOD, model=""), None, 400, "invalid_request_error",
     "model: String should have at least 1 character"),
    ("F15 prompt number", dict(GOOD, prompt=5), None, 400, "invalid_request_error", ANY),
    ("F15 prompt empty", dict(GOOD, prompt=""), None, 400, "invalid_request_error", ANY),
    ("P1 no turns", dict(GOOD, prompt="Hello, world"), None, 400, "invalid_request_error", START),
    ("P1 no Human turn", dict(GOOD, prompt="Hello, world\n\nAssistant:"), None, 400, "invalid_request_error",
     START),
    ("P1 Assistant first", dict(GOOD, prompt="\n\nAssistant: Hello, world\n\nHuman: Hello, Claude\n\nAssistant:"),
     None, 400, "invalid_request_error", START),
    ("P2 no Assistant turn", dict(GOOD, prompt="\n\nHuman: Hello, Claude"), None, 400, "invalid_request_error",
     END),
    ("P2 Human last", dict(GOOD, prompt="\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: How many toes?"), None, 400,
     "invalid_request_error", END),
    ("P2 one newline", dict(GOOD, prompt="\n\nHuman: Hello, Claude \nAssistant:"), None, 400,
     "invalid_request_error", END),
    ("M1 Claude 3 haiku", dict(GOOD, model="claude-3-haiku-20240307"), None, 400, "invalid_request_error",
     NOT_HERE.format("claude-3-haiku-20240307")),
    ("M1 Claude 3 opus", dict(GOOD, model="claude-3-opus-20240229"), None, 400, "invalid_request_error",
     NOT_HERE.format("claude-3-opus-20240229")),
    ("M2 Claude 3.5", dict(GOOD, model="claude-3-5-sonnet-20241022"), None, 400, "invalid_request_error", ANY),
    ("M2 Claude 4", dict(GOOD, model="claude-opus-4-8"), None, 400, "invalid_request_error", ANY),
    ("M2 family first", dict(GOOD, model="claude-sonnet-4-5-20250929"), None, 400, "invalid_request_error", ANY),
    ("M3 unknown model", dict(GOOD, model="claude-unknown"), None, 404, "not_found_error", "model: claude-unknown"),
]


@pytest.mark.parametrize("row, body, headers, status, error_type, message", REJECTED,
                         ids=[row[0] for row in REJECTED])
def test_rejected_like_the_api(mock, row, body, headers, status, error_type, message):
    code, response_headers, raw = send(mock, body, headers)
    assert_refusal((code, response_headers, raw), status, error_type, message)


def test_unknown_path_is_the_apis_404(mock):
    code, headers, raw = send(mock, GOOD, None, path="/v1/nope")
    assert code == 404 and json.loads(raw)["error"] == {"type": "not_found_error", "message": "Not Found"}
    assert json.loads(raw)["request_id"] == headers["request-id"]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"])
@pytest.mark.parametrize("path", ["/v1/complete", "/", "/anything/else"])
def test_every_method_and_path_gets_a_json_answer_with_a_request_id(mock, method, path):
    code, headers, raw = send(mock, b"", {"x-api-key": KEY}, path=path, method=method)
    document = json.loads(raw)
    assert code == 404 and document["error"]["type"] == "not_found_error"
    assert document["request_id"] == headers["request-id"]


ACCEPTED = [
    ("P3 system prompt", dict(GOOD, prompt="You are terse.\n\nHuman: Hi\n\nAssistant:"), BASE_HEADERS),
    ("P3 Human without blank line", dict(GOOD, prompt="Human: Hello, Claude\n\nAssistant:"), BASE_HEADERS),
    ("P3 trailing space", dict(GOOD, prompt="\n\nHuman: Hello, Claude:\n\nAssistant: "), BASE_HEADERS),
    ("P3 prefill", dict(GOOD, prompt="\n\nHuman: Count\n\nAssistant: One, two,"), BASE_HEADERS),
    ("F8 huge max_tokens", dict(GOOD, max_tokens_to_sample=10_000_000), BASE_HEADERS),
    ("F11 metadata null", dict(GOOD, metadata=None), BASE_HEADERS),
    ("F11 user_id null", dict(GOOD, metadata={"user_id": None}), BASE_HEADERS),
    ("F13 stop_sequences empty", dict(GOOD, stop_sequences=[]), BASE_HEADERS),
    ("F13 stop_sequences null", dict(GOOD, stop_sequences=None), BASE_HEADERS),
    ("M4 claude-2.0", dict(GOOD, model="claude-2.0"), BASE_HEADERS),
    ("M4 claude-2.1", GOOD, BASE_HEADERS),
    ("H8 version 2023-01-01", GOOD, headers_with(anthropic_version="2023-01-01")),
    ("bearer token", GOOD, headers_with(x_api_key=None, authorization=f"Bearer {KEY}")),
    ("beta comma list", GOOD, headers_with(anthropic_beta="prompt-caching-2024-07-31,pdfs-2024-09-25")),
    ("repeated beta headers", GOOD, list(BASE_HEADERS.items()) + [("anthropic-beta", "prompt-caching-2024-07-31"),
                                                                   ("anthropic-beta", "pdfs-2024-09-25")]),
    ("every optional field", dict(GOOD, temperature=0, top_p=1, top_k=5, stream=False,
                                  metadata={"user_id": "u" * 256}, stop_sequences=["\n\nHuman:"]), BASE_HEADERS),
]


@pytest.mark.parametrize("row, body, headers", ACCEPTED, ids=[row[0] for row in ACCEPTED])
def test_accepted_like_the_api(mock, row, body, headers):
    code, response_headers, raw = send(mock, body, headers)
    document = json.loads(raw)
    assert code == 200 and document["type"] == "completion" and document["model"] == body["model"]
    assert response_headers["request-id"].startswith("req_01")


def test_allowed_models_are_added_to_the_era(mock):
    with MockServer(api_key=KEY, allow_models=["claude-3-haiku-20240307", "my-gateway-model"]) as lenient:
        assert send(lenient, dict(GOOD, model="claude-3-haiku-20240307"))[0] == 200
        assert send(lenient, dict(GOOD, model="my-gateway-model"))[0] == 200
    assert send(mock, dict(GOOD, model="my-gateway-model"))[0] == 404


# ---- HTTP framing -----------------------------------------------------------------------------------------

def raw_request(head: str, body: bytes = b"") -> bytes:
    lines = ["POST /v1/complete HTTP/1.1", "Host: 127.0.0.1"] + [f"{k}: {v}" for k, v in BASE_HEADERS.items()]
    return ("\r\n".join(lines + head.splitlines()) + "\r\n\r\n").encode() + body


def read_response(sock: socket.socket) -> tuple[int, bytes]:
    """Status and body of one answer with a content-length, read off a raw socket."""
    reader = sock.makefile("rb")
    status = int(reader.readline().split()[1])
    length = 0
    while (line := reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        length = int(value) if name.lower() == "content-length" else length
    return status, reader.read(length)


@pytest.mark.parametrize("wire, status", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET / HTTP/9.9\r\n\r\n", 505),
    (b"GET / HTTP/1.1\r\n" + b"x-many: 1\r\n" * 120 + b"\r\n", 431),
    (b"POST /v1/complete HTTP/1.1\r\nContent-Length: ten\r\n\r\n", 400),
])
def test_garbled_http_still_gets_a_json_answer_with_a_request_id(mock, wire, status):
    with socket.create_connection(address(mock), timeout=5) as sock:
        sock.sendall(wire)
        response = http.client.HTTPResponse(sock)
        response.begin()
        document = json.loads(response.read())
    assert response.status == status and document["request_id"] == response.headers["request-id"]


def test_chunked_body_is_read_whole(mock):
    data = json.dumps(GOOD).encode()
    chunks = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(part), part) for part in (data[:10], data[10:]))
    with socket.create_connection(address(mock), timeout=5) as sock:
        sock.sendall(raw_request("Transfer-Encoding: chunked", chunks + b"0\r\n\r\n"))
        status, body = read_response(sock)
        sock.sendall(raw_request(f"Content-Length: {len(data)}", data))  # the connection is still in step
        assert (status, read_response(sock)[0]) == (200, 200)
    assert json.loads(body)["completion"] == " Hello! You said: Hello there"
    assert json.loads(mock.requests[0]["body"]) == GOOD


def test_a_body_over_32_mb_is_refused_from_its_length_at_once(mock):
    started = time.monotonic()
    with socket.create_connection(address(mock), timeout=5) as sock:
        sock.sendall(raw_request("Content-Length: 33000000", b"{" + b" " * 65536))
        status, body = read_response(sock)
    assert time.monotonic() - started < 1
    assert status == 413
    assert body == b'{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}'
    assert mock.requests == []


def test_expect_100_continue(mock):
    data = json.dumps(GOOD).encode()
    with socket.create_connection(address(mock), timeout=5) as sock:
        sock.sendall(raw_request(f"Content-Length: {len(data)}\r\nExpect: 100-continue"))
        reader = sock.makefile("rb")
        assert reader.readline().startswith(b"HTTP/1.1 100")
        assert reader.readline() == b"\r\n"
        sock.sendall(data)
        assert read_response(sock)[0] == 200


def test_expect_100_continue_for_too_large_a_body_gets_the_413_instead(mock):
    with socket.create_connection(address(mock), timeout=5) as sock:
        sock.sendall(raw_request("Content-Length: 40000000\r\nExpect: 100-continue"))
        assert read_response(sock)[0] == 413


def test_bad_chunk_framing_is_answered_then_closed(mock):
    with socket.create_connection(address(mock), timeout=5) as sock:
        sock.sendall(raw_request("Transfer-Encoding: chunked", b"zz\r\n{}\r\n0\r\n\r\n"))
        status, body = read_response(sock)
        assert status == 400 and json.loads(body)["error"]["type"] == "invalid_request_error"
        assert sock.recv(100) == b""


def test_keep_alive_after_an_error(mock):
    connection = connect(mock)
    assert exchange(connection, b"{nope")[0] == 400
    first_socket = connection.sock
    assert exchange(connection, dict(GOOD, model="claude-opus-4-8"))[0] == 400
    assert exchange(connection)[0] == 200
    assert connection.sock is first_socket and mock.stats["connections"] == 1
    connection.close()


# ---- scripts ------------------------------------------------------------------------------------------------

def run_client(server, name: str, count: int, start: threading.Barrier, results: dict) -> None:
    connection = connect(server)
    start.wait(timeout=5)
    results[name] = [exchange(connection, headers=dict(BASE_HEADERS, **{"x-mock-client": name}))
                     for _ in range(count)]
    connection.close()


def test_two_clients_each_get_only_their_own_faults(mock):
    mock.script({"status": 429, "delay": 0.05}, {"status": 429, "delay": 0.05}, client="alpha")
    send(mock, {"client": "beta", "actions": [{"error": "overloaded_error", "delay": 0.05}] * 2},
         path="/_mock/script")
    start, results = threading.Barrier(2), {}
    threads = [threading.Thread(target=run_client, args=(mock, name, 3, start, results)) for name in ("alpha", "beta")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=8)
    alpha = [(status, json.loads(body).get("error", {}).get("type")) for status, _, body in results["alpha"]]
    beta = [(status, json.loads(body).get("error", {}).get("type")) for status, _, body in results["beta"]]
    assert alpha == [(429, "rate_limit_error"), (429, "rate_limit_error"), (200, None)]
    assert beta == [(529, "overloaded_error"), (529, "overloaded_error"), (200, None)]


def test_a_client_takes_its_own_queue_first_then_the_shared_one(mock):
    mock.script({"status": 500})
    send(mock, [{"status": 504}], path="/_mock/script?client=gamma")
    tagged = dict(BASE_HEADERS, **{"x-mock-client": "gamma"})
    assert [send(mock, headers=tagged)[0] for _ in range(3)] == [504, 500, 200]


@pytest.mark.parametrize("status, error_type", [(429, "rate_limit_error"), (529, "overloaded_error"),
                                                (500, "api_error"), (504, "timeout_error"),
                                                (403, "permission_error"), (402, "billing_error"),
                                                (409, "conflict_error"), (401, "authentication_error"),
                                                (404, "not_found_error"), (413, "request_too_large"),
                                                (400, "invalid_request_error"), (503, "api_error")])
def test_a_scripted_status_gets_the_apis_error_type(mock, status, error_type):
    mock.script({"status": status})
    code, headers, raw = send(mock)
    assert code == status and json.loads(raw)["error"]["type"] == error_type
    assert json.loads(raw)["request_id"] == headers["request-id"]


def test_headers_alone_are_added_to_the_normal_answer(mock):
    limits = {"anthropic-ratelimit-requests-remaining": "0",
              "anthropic-ratelimit-requests-reset": "2030-01-01T00:00:00Z"}
    mock.script({"headers": limits, "delay": 0.01})
    code, headers, raw = send(mock)
    assert code == 200 and json.loads(raw)["type"] == "completion"
    assert {name: headers[name] for name in limits} == limits


def test_scripted_headers_win_over_the_mocks_own(mock):
    mine = {"retry-after": "1", "anthropic-ratelimit-requests-remaining": "7", "request-id": "req_scripted"}
    mock.script({"status": 429, "headers": mine}, {"headers": mine})
    for expected_status in (429, 200):
        code, headers, _ = send(mock)
        assert code == expected_status and {name: headers[name] for name in mine} == mine
    mock.script({"headers": mine})
    _, headers, _ = send(mock, dict(GOOD, stream=True))
    assert {name: headers[name] for name in mine} == mine


def test_a_bad_script_is_refused_with_a_reason(mock):
    code, _, raw = send(mock, [{"stauts": 429}], path="/_mock/script")
    assert code == 400 and "stauts" in json.loads(raw)["error"]["message"]
    assert send(mock)[0] == 200


def read_stream(server, action) -> str:
    server.script(action)
    code, headers, raw = send(server, dict(GOOD, stream=True))
    assert code == 200 and headers["content-type"].startswith("text/event-stream")
    return raw.decode()


def test_a_stream_can_end_without_its_final_event(mock):
    whole, unfinished = read_stream(mock, {"events": 3}), read_stream(mock, {"events": 3, "no_final": True})
    assert '"stop_reason": "max_tokens"' in whole
    assert unfinished.count("event: completion") == 3 and '"stop_reason": "max_tokens"' not in unfinished


# ---- load -------------------------------------------------------------------------------------------------

RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def test_rate_limit_headers_on_every_answer(mock):
    for body in (GOOD, dict(GOOD, model="nope")):
        _, headers, _ = send(mock, body)
        assert int(headers["anthropic-ratelimit-requests-limit"]) >= int(
            headers["anthropic-ratelimit-requests-remaining"]) >= 0
        assert RFC3339.fullmatch(headers["anthropic-ratelimit-requests-reset"])


def test_the_rpm_budget_answers_429_with_retry_after():
    with MockServer(rpm=2, depth=60) as server:  # a minute deep: 2 at once
        connection = connect(server)
        answers = [exchange(connection) for _ in range(3)]
        connection.close()
    assert [status for status, _, _ in answers] == [200, 200, 429]
    status, headers, raw = answers[2]
    assert json.loads(raw)["error"]["type"] == "rate_limit_error"
    assert 1 <= int(headers["retry-after"]) <= 30
    assert headers["anthropic-ratelimit-requests-limit"] == "2"
    assert headers["anthropic-ratelimit-requests-remaining"] == "0"
    assert "retry-after" not in answers[1][1]


def test_random_latency_delays_each_answer():
    with MockServer(latency="0.1-0.2") as server:
        started = time.monotonic()
        assert send(server)[0] == 200
        assert 0.1 <= time.monotonic() - started < 2


def test_the_cli_retry_succeeds_after_the_rpm_budgets_429():
    # 20 a minute refills one request every 3 s: the CLI's first try meets an empty bucket, its retry waits it out
    with MockServer(rpm=20) as server:
        connection = connect(server)
        while exchange(connection)[0] == 200:
            pass
        connection.close()
        environment = dict(os.environ, ANTHROPIC_BASE_URL=server.url, ANTHROPIC_API_KEY="anything")
        result = subprocess.run([str(ANT), "completions", "create", "--model", MODEL, "--max-tokens-to-sample", "16",
                                 "--prompt", PROMPT, "--format", "text"], env=environment, capture_output=True,
                                text=True, timeout=9)
        cli_requests = [entry for entry in server.requests if "x-stainless-retry-count" in entry["headers"]]
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(" Hello!") and "429" in result.stderr
    assert [entry["headers"]["x-stainless-retry-count"] for entry in cli_requests] == ["0", "1"]


# ---- stats and the request log -----------------------------------------------------------------------------

def fetch_stats(server) -> dict:
    code, _, raw = send(server, b"", {}, path="/_mock/stats", method="GET")
    assert code == 200
    return json.loads(raw)


def test_stats_count_concurrent_requests_and_connections():
    with MockServer(latency=0.4) as server:
        threads = [threading.Thread(target=send, args=(server,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=5)
        assert server.stats == {"requests": 3, "in_flight": 0, "max_in_flight": 3, "connections": 3}
        assert fetch_stats(server) == {"requests": 3, "in_flight": 0, "max_in_flight": 3, "connections": 4}


def test_stats_tell_a_reused_connection_from_new_ones(mock):
    connection = connect(mock)
    for _ in range(3):
        exchange(connection)
    connection.close()
    assert mock.stats == {"requests": 3, "in_flight": 0, "max_in_flight": 1, "connections": 1}
    send(mock)
    assert mock.stats["connections"] == 2
    assert send(mock, b"", {}, path="/_mock/reset")[0] == 200
    assert mock.stats == {"requests": 0, "in_flight": 0, "max_in_flight": 0, "connections": 0}


def test_the_request_log_has_time_peer_port_and_sequence(mock):
    connection = connect(mock)
    exchange(connection)
    exchange(connection, dict(GOOD, model="nope"))
    port = connection.sock.getsockname()[1]
    connection.close()
    code, _, raw = send(mock, b"", {}, path="/_mock/requests", method="GET")
    log = json.loads(raw)
    assert code == 200 and log == mock.requests
    assert [entry["peer_port"] for entry in log] == [port, port]
    assert log[0]["seq"] < log[1]["seq"] and log[0]["time"] <= log[1]["time"]
    assert json.loads(log[1]["body"])["model"] == "nope"


# ---- the command line -----------------------------------------------------------------------------------

def test_help_lists_every_option_and_script_action():
    from ant_mock.script import ACTION_KEYS

    result = subprocess.run([sys.executable, "-m", "ant_mock", "--help"], capture_output=True, text=True, timeout=9)
    assert result.returncode == 0
    for word in ("--port", "--host", "--api-key", "--allow-model", "--latency", "--rpm", "--tls",
                 "/_mock/script", "/_mock/requests", "/_mock/stats", "/_mock/reset", "x-mock-client"):
        assert word in result.stdout
    for action in ACTION_KEYS:
        assert re.search(rf"^  {action} .*\{{", result.stdout, re.MULTILINE), action  # named, with an example


@pytest.mark.parametrize("module", ["ant_mock", "ant_cli.mockserver"])
def test_the_module_serves_until_stopped(module):
    process = subprocess.Popen([sys.executable, "-m", module, "--port", "0", "--rpm", "100", "--allow-model", "x"],
                               stdout=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        assert exchange(connection, dict(GOOD, model="x"))[0] == 200
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=5)
