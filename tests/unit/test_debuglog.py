"""Unit tests of the --debug log: each attempt and answer as `ant: debug:` lines, credentials never shown."""

from __future__ import annotations

import io

import responses

from ant_cli.client.debuglog import DebugLog
from ant_cli.client.transport import Budget, Transport
from ant_cli.core.environment import Environment
from ant_cli.core.redact import Redactor
from ant_cli.core.types import HttpRequest, Settings

URL = "https://api.example.test/v1/complete"
KEY = "sk-ant-debuglog-0123456789"
TOKEN = "tok-debuglog-0123456789"


class FakeResponse:
    def __init__(self, body: bytes | None):
        self.status, self.reason, self.body = 200, "OK", body
        self.headers = {"request-id": "req_7", "set-cookie": "cf=1"}


def request(body: dict | None = None) -> HttpRequest:
    headers = {"x-api-key": KEY, "authorization": f"Bearer {TOKEN}", "anthropic-version": "2023-06-01"}
    return HttpRequest("POST", URL, headers, body or {"model": "claude-2.1", "prompt": "héllo"})


def logged(write) -> list[str]:
    """The lines `write` sends to a DebugLog, in order."""
    lines: list[str] = []
    write(DebugLog(lines.append))
    return lines


def test_a_request_is_its_line_headers_and_body_with_the_credentials_masked():
    lines = logged(lambda log: log.request(request(), dict(request().headers, **{"x-stainless-retry-count": "1"}), 1))
    assert lines == [
        f"ant: debug: > POST {URL} (attempt 2)",
        "ant: debug: > x-api-key: <redacted>",
        "ant: debug: > authorization: Bearer <redacted>",
        "ant: debug: > anthropic-version: 2023-06-01",
        "ant: debug: > x-stainless-retry-count: 1",
        'ant: debug: > {"model": "claude-2.1", "prompt": "héllo"}',
    ]


def test_a_response_is_its_status_headers_and_body():
    lines = logged(lambda log: log.response(FakeResponse(b'{"completion": " Hi"}')))
    assert lines == ["ant: debug: < 200 OK", "ant: debug: < request-id: req_7", "ant: debug: < set-cookie: cf=1",
                     'ant: debug: < {"completion": " Hi"}']


def test_an_open_stream_logs_no_body_and_then_each_event():
    lines = logged(lambda log: (log.response(FakeResponse(None)), log.event("completion", '{"completion": "a"}')))
    assert lines[-1] == 'ant: debug: < event: completion data: {"completion": "a"}'
    assert not any(line.startswith("ant: debug: < {") for line in lines)


def test_a_body_that_is_not_utf8_is_still_one_readable_line():
    assert logged(lambda log: log.response(FakeResponse(b"\xff\xfe oops")))[-1] == "ant: debug: < \ufffd\ufffd oops"


@responses.activate
def test_a_whole_exchange_through_the_real_stderr_never_shows_a_credential():
    """Even a key the user pasted into the body is masked: the stderr writer is the second guard."""
    responses.post(URL, status=529, json={"type": "error", "error": {"type": "overloaded_error", "message": KEY}})
    responses.post(URL, json={"completion": f"echo {TOKEN}"}, headers={"request-id": "req_8"})
    stderr = io.BytesIO()
    env = Environment(None, None, stderr, redactor=Redactor.of(KEY, TOKEN))
    client = Transport(Settings(), {}, env.say, debug=DebugLog(env.say), sleep=lambda seconds: None)
    client.send(request({"prompt": f"my key is {KEY}"}), Budget())
    text = stderr.getvalue().decode()
    assert KEY not in text and TOKEN not in text
    assert text.count("ant: debug: > POST") == 2 and "ant: debug: < 529" in text and "request-id: req_8" in text
    assert "authorization: Bearer <redacted>" in text
