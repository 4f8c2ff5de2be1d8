"""Unit tests of the Transport: which answers are retried, how long it waits, what it tells the user.

HTTP is faked with `responses` (the real requests stack, no socket); a fake session stands in only
where a body must arrive slowly. Waiting is recorded, never done.
"""

from __future__ import annotations

import json
import time

import pytest
import requests
import responses

from ant_cli.client import transport as transport_module
from ant_cli.client.transport import Budget, Transport, error_for
from ant_cli.core.errors import ApiError, NetworkError, NetworkTimeout
from ant_cli.core.types import HttpRequest, Settings

URL = "https://api.example.test/v1/complete"
BODY = {"model": "claude-2.1", "prompt": "\n\nHuman: hi\n\nAssistant:", "max_tokens_to_sample": 5}
COMPLETION = {"type": "completion", "completion": " Hi", "stop_reason": "stop_sequence"}


class Recorder:
    """Collects what the transport hands to a callback (notices, sleeps, debug log calls, pacer calls)."""

    def __init__(self):
        self.calls: list = []

    def __call__(self, value):
        self.calls.append(value)

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, *args))


def request(streaming: bool = False, headers: dict | None = None) -> HttpRequest:
    return HttpRequest("POST", URL, dict({"x-api-key": "sk-test-key"}, **(headers or {})),
                       dict(BODY, stream=True) if streaming else dict(BODY))


def transport(notices=None, sleeps=None, variables=None, **settings) -> Transport:
    return Transport(Settings(**settings), variables or {}, notices or Recorder(), sleep=sleeps or Recorder())


def answers(*replies) -> None:
    """Queue replies for successive POSTs: a status, a (status, headers) pair, or an exception to raise."""
    for reply in replies:
        if isinstance(reply, Exception):
            responses.post(URL, body=reply)
            continue
        status, headers = reply if isinstance(reply, tuple) else (reply, {})
        body = COMPLETION if status == 200 else {"type": "error", "error": {"type": "some_error", "message": "no"}}
        responses.post(URL, status=status, json=body, headers=dict({"request-id": f"req_{status}"}, **headers))


def retry_counts() -> list[str]:
    return [call.request.headers["x-stainless-retry-count"] for call in responses.calls]


@responses.activate
def test_a_success_is_read_whole_and_returned_without_waiting():
    answers(200)
    notices, sleeps = Recorder(), Recorder()
    response = transport(notices, sleeps).send(request(), Budget())
    assert (response.status, json.loads(response.body), response.request_id) == (200, COMPLETION, "req_200")
    assert notices.calls == sleeps.calls == [] and retry_counts() == ["0"]


@responses.activate
@pytest.mark.parametrize("status", [408, 409, 429, 500, 503, 529])
def test_transient_statuses_are_retried_with_a_notice_and_a_wait(status):
    answers((status, {"retry-after": "2"}), 200)
    notices, sleeps = Recorder(), Recorder()
    response = transport(notices, sleeps).send(request(), Budget())
    assert response.status == 200 and retry_counts() == ["0", "1"]
    assert sleeps.calls == [2.0]
    assert notices.calls == [f"ant: {status} some_error; retrying in 2.0s (attempt 2 of 3)"]


@responses.activate
def test_a_client_error_is_returned_at_once():
    answers(400)
    sleeps = Recorder()
    assert transport(sleeps=sleeps).send(request(), Budget()).status == 400
    assert sleeps.calls == [] and len(responses.calls) == 1


@responses.activate
@pytest.mark.parametrize("status, header, attempts", [(400, "true", 2), (529, "false", 1)])
def test_x_should_retry_overrides_the_status_either_way(status, header, attempts):
    answers((status, {"x-should-retry": header}), 200)
    transport().send(request(), Budget())
    assert len(responses.calls) == attempts


@responses.activate
def test_a_retry_after_ms_hint_wins_over_retry_after():
    answers((429, {"retry-after-ms": "1500", "retry-after": "30"}), 200)
    sleeps = Recorder()
    transport(sleeps=sleeps).send(request(), Budget())
    assert sleeps.calls == [1.5]


@responses.activate
def test_without_a_hint_the_wait_is_the_backoff():
    answers(503, 503, 200)
    sleeps = Recorder()
    transport(sleeps=sleeps).send(request(), Budget())
    assert 0.375 <= sleeps.calls[0] <= 0.5 and 0.75 <= sleeps.calls[1] <= 1.0


@responses.activate
def test_when_retries_run_out_the_last_refusal_is_returned():
    answers(529, 529, 529)
    notices = Recorder()
    response = transport(notices).send(request(), Budget())
    assert response.status == 529 and retry_counts() == ["0", "1", "2"]
    assert [notice.rsplit("(", 1)[1] for notice in notices.calls] == ["attempt 2 of 3)", "attempt 3 of 3)"]
    assert isinstance(error_for(response), ApiError) and "529 some_error: no" in str(error_for(response))


@responses.activate
def test_a_status_without_an_error_type_is_named_by_its_phrase():
    responses.post(URL, status=503, body=b"<html>down</html>", content_type="text/html")
    answers(200)
    notices = Recorder()
    transport(notices).send(request(), Budget())
    assert notices.calls[0].startswith("ant: 503 Service Unavailable; retrying in ")


@responses.activate
def test_max_retries_zero_sends_once():
    answers(529)
    assert transport(max_retries=0).send(request(), Budget()).status == 529 and len(responses.calls) == 1


@responses.activate
def test_one_budget_is_shared_by_every_send_it_is_given_to():
    """A stream re-sent after a cut draws on what the first send left of --max-retries."""
    answers(529, 200, 529, 529)
    shared = Budget()
    client = transport(max_retries=2)
    assert client.send(request(), shared).status == 200
    assert client.send(request(), shared).status == 529
    assert retry_counts() == ["0", "1", "1", "2"] and shared.retries == 2


@responses.activate
def test_each_budget_has_its_own_allowance_and_its_own_notices():
    answers(529, 200, 529, 200)
    first, second = Recorder(), Recorder()
    client = transport(max_retries=1)
    client.send(request(), Budget(first, "line-1: "))
    client.send(request(), Budget(second, "line-2: "))
    assert retry_counts() == ["0", "1", "0", "1"]
    assert first.calls[0].startswith("ant: line-1: 529 some_error;") and second.calls[0].startswith("ant: line-2: 529")


@responses.activate
def test_quiet_retries_without_a_word():
    answers(529, 200)
    notices, sleeps = Recorder(), Recorder()
    assert transport(notices, sleeps, quiet=True).send(request(), Budget()).status == 200
    assert notices.calls == [] and len(sleeps.calls) == 1


@responses.activate
def test_network_errors_are_retried_then_raised_as_one_line():
    answers(*[requests.ConnectionError("connection reset by peer")] * 3)
    notices = Recorder()
    with pytest.raises(NetworkError, match=r"^network error talking to api\.example\.test: connection reset"):
        transport(notices).send(request(), Budget())
    assert len(responses.calls) == 3 and len(notices.calls) == 2
    assert notices.calls[0].startswith("ant: network error talking to api.example.test:")


@responses.activate
def test_a_network_error_then_an_answer_is_a_success():
    answers(requests.exceptions.ConnectTimeout("slow"), 200)
    notices = Recorder()
    assert transport(notices, connect_timeout=3).send(request(), Budget()).status == 200
    assert notices.calls[0].startswith("ant: timed out after 3s connecting to api.example.test; retrying in")


@responses.activate
def test_a_request_that_must_not_be_sent_twice_is_retried_only_when_no_connection_was_made():
    answers(requests.ConnectionError("connection reset by peer"), 200)
    with pytest.raises(NetworkError, match="connection reset"):
        transport().send(request(), Budget(resend=False))
    assert len(responses.calls) == 1
    responses.reset()
    answers(requests.exceptions.ConnectTimeout("slow"), 200)
    assert transport().send(request(), Budget(resend=False)).status == 200
    assert retry_counts() == ["0", "1"]


class SlowBody:
    """A body that arrives one small piece at a time, `pause` seconds apart, at most `pieces` pieces."""

    def __init__(self, pause: float, pieces: int):
        self.pause, self.left = pause, pieces
        self.closed = False

    def read1(self, size, decode_content=True) -> bytes:
        if self.left == 0:
            return b""
        self.left -= 1
        time.sleep(self.pause)
        return b" "


class SlowHandle:
    status_code, reason, headers, url = 200, "OK", {}, URL

    def __init__(self, raw: SlowBody):
        self.raw = raw

    def close(self) -> None:
        self.raw.closed = True


class FakeSession:
    """A requests session whose every request answers with the same slow body."""

    def __init__(self, body: SlowBody):
        self.body = body

    def request(self, method, url, **kwargs):
        return SlowHandle(self.body)


def test_the_timeout_bounds_the_whole_body_not_each_read(monkeypatch):
    """Each read is quick, but together they take longer than --timeout: the body is abandoned."""
    body = SlowBody(pause=0.01, pieces=500)
    monkeypatch.setattr(transport_module, "new_session", lambda size: FakeSession(body))
    started = time.monotonic()
    with pytest.raises(NetworkTimeout, match="timed out after 0.1s waiting for the response") as raised:
        transport(timeout=0.1, max_retries=0).send(request(), Budget())
    assert body.closed and body.left > 0 and time.monotonic() - started < 3
    assert not isinstance(raised.value.__context__, TimeoutError)  # raised as the project's own error, not translated


def test_a_notice_is_one_line_with_one_prefix_whichever_writer_gets_it():
    """The transport adds `ant: ` (and a batch line's label) once; the writers it is given add nothing."""
    own, budgets = Recorder(), Recorder()
    client = transport(own, max_retries=2)
    assert client.wait_to_retry(Budget(), "529 overloaded_error", 0.5)
    assert client.wait_to_retry(Budget(budgets, "line-7: "), "529 overloaded_error", 0.5)
    assert own.calls == ["ant: 529 overloaded_error; retrying in 0.5s (attempt 2 of 3)"]
    assert budgets.calls == ["ant: line-7: 529 overloaded_error; retrying in 0.5s (attempt 2 of 3)"]


def test_waiting_to_retry_says_waits_and_counts_until_the_budget_is_spent():
    notices, sleeps = Recorder(), Recorder()
    client, budget = transport(notices, sleeps, max_retries=1), Budget()
    assert client.wait_to_retry(budget, "stream cut", 0.25) and budget.retries == 1
    assert not client.wait_to_retry(budget, "stream cut", 0.25) and budget.retries == 1
    assert len(notices.calls) == 1 and sleeps.calls == [0.25]


@responses.activate
def test_a_successful_stream_is_left_open_to_be_read_as_it_arrives():
    responses.post(URL, body="event: completion\ndata: {}\n\n", content_type="text/event-stream")
    response = transport().send(request(streaming=True), Budget())
    assert response.body is None
    assert b"".join(response.read_chunks()) == b"event: completion\ndata: {}\n\n"
    response.close()


@responses.activate
def test_a_refused_stream_has_its_error_body_read():
    answers(400)
    response = transport().send(request(streaming=True), Budget())
    assert response.status == 400 and json.loads(response.body)["error"]["type"] == "some_error"


@responses.activate
def test_the_debug_log_sees_every_attempt_and_its_answer():
    answers(529, 200)
    debug = Recorder()
    client = Transport(Settings(), {}, Recorder(), debug=debug, sleep=Recorder())
    client.send(request(), Budget())
    logged = [(name, args[2] if name == "request" else args[0].status) for name, *args in debug.calls]
    assert logged == [("request", 0), ("response", 529), ("request", 1), ("response", 200)]
    assert debug.calls[2][2]["x-stainless-retry-count"] == "1"  # the headers as sent, retry count included


@responses.activate
def test_a_pacer_is_asked_before_each_attempt_and_told_of_refusals():
    answers((429, {"retry-after": "1"}), 200)
    pacer = Recorder()
    pacer.wait_left = lambda: 4.5  # another line's shared pause outlasts this answer's hint
    notices = Recorder()
    client = Transport(Settings(), {}, notices, sleep=Recorder(), pacer=pacer)
    client.send(request(), Budget())
    assert [call[0] for call in pacer.calls] == ["wait_turn", "sending", "finished", "after_refusal",
                                                 "wait_turn", "sending", "finished"]
    assert pacer.calls[0][1] == BODY  # the body gives a send's cost
    assert pacer.calls[3][1] == 429 and pacer.calls[6][2] == 200
    assert "retrying in 4.5s" in notices.calls[0]  # the real wait, not the hint's 1 s
    assert (client.sent, client.retried) == (2, 1)


@responses.activate
def test_a_first_attempt_already_admitted_does_not_wait_for_a_turn_but_its_retry_does():
    answers((429, {"retry-after": "1"}), 200)
    pacer = Recorder()
    pacer.wait_left = lambda: 0.0
    client = Transport(Settings(), {}, Recorder(), sleep=Recorder(), pacer=pacer)
    client.send(request(), Budget(ticket="admitted"))
    assert [call[0] for call in pacer.calls] == ["sending", "finished", "after_refusal",
                                                 "wait_turn", "sending", "finished"]
    assert pacer.calls[0][1] == "admitted"


@responses.activate
def test_the_pacer_hears_of_an_attempt_that_got_no_answer():
    answers(ConnectionError("refused"))
    pacer = Recorder()
    client = Transport(Settings(max_retries=0), {}, Recorder(), sleep=Recorder(), pacer=pacer)
    with pytest.raises(NetworkError):
        client.send(request(), Budget())
    assert [call[0] for call in pacer.calls] == ["wait_turn", "sending", "finished"] and len(pacer.calls[2]) == 2


@responses.activate
@pytest.mark.parametrize("variables, verify", [
    ({}, True),
    ({"SSL_CERT_FILE": "/etc/corp/ca.pem"}, "/etc/corp/ca.pem"),
    ({"SSL_CERT_FILE": "/etc/corp/ca.pem", "REQUESTS_CA_BUNDLE": "/etc/bundle.pem"}, "/etc/bundle.pem"),
    ({"CURL_CA_BUNDLE": "/etc/curl.pem", "SSL_CERT_FILE": ""}, "/etc/curl.pem"),
])
def test_a_ca_bundle_variable_is_used_to_verify_the_server(variables, verify, monkeypatch):
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):  # requests itself would read them from this process
        monkeypatch.delenv(name, raising=False)
    answers(200)
    transport(variables=variables).send(request(), Budget())
    assert responses.calls[0].request.req_kwargs["verify"] == verify


@responses.activate
def test_timeouts_and_the_body_reach_requests_unchanged():
    answers(200)
    transport(connect_timeout=4, timeout=30).send(request(headers={"anthropic-beta": "b1"}), Budget())
    sent = responses.calls[0].request
    assert sent.req_kwargs["timeout"] == (4, 30) and sent.req_kwargs["stream"] is True
    assert json.loads(sent.body) == BODY and sent.headers["anthropic-beta"] == "b1"


def refusal(status: int, body: bytes, headers: dict | None = None, reason: str = "") -> str:
    """The one line a refused request's error says, for a body that has been read."""
    return str(error_for(transport_module.Response(status, reason, headers or {}, body, None)))


@pytest.mark.parametrize("body, line", [
    (b'{"error": "quota exceeded"}', "429 Too Many Requests: quota exceeded"),
    (b'{"message": "Forbidden"}', "429 Too Many Requests: Forbidden"),
    (b'{"type": "error", "error": {"type": "rate_limit_error"}}', "429 rate_limit_error: (no message)"),
    (b"", "429 Too Many Requests: the server sent an empty body"),
    (b"[]", "429 Too Many Requests: the server sent a non-JSON unknown type body: []"),
])
def test_a_refusal_says_what_the_body_says_in_whatever_shape(body, line):
    assert refusal(429, body) == line


def test_a_request_id_only_in_the_body_is_still_named():
    body = b'{"type": "error", "error": {"type": "api_error", "message": "x"}, "request_id": "req_body"}'
    assert refusal(500, body) == "500 api_error: x (request-id req_body)"
    assert refusal(500, body, {"request-id": "req_head"}).endswith("(request-id req_head)")


def test_an_unknown_status_without_a_reason_is_just_its_number():
    assert refusal(599, b"") == "599: the server sent an empty body"


def test_a_proxy_page_is_described_in_one_short_tag_free_line():
    page = (b"<html><head><style>h1 {color: red}</style><script>track()</script></head><body><h1>Bad Gateway</h1>"
            + b"<p>" + b"upstream unreachable " * 20 + b"</p></body></html>")
    line = refusal(502, page, {"content-type": "text/html; charset=utf-8"}, "Bad Gateway")
    assert line.startswith("502 Bad Gateway: the server sent a non-JSON text/html body: Bad Gateway upstream")
    assert line.endswith("...") and "<" not in line and "color" not in line and "track" not in line
