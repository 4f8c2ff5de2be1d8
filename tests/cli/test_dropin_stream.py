"""A read that carries several SSE events, one of them undecodable: the good ones before it still print."""

import json

import responses

from tests.helpers import BASIC, run_ant

URL = "https://api.anthropic.com/v1/complete"


def event(text: str) -> str:
    data = {"type": "completion", "completion": text, "stop_reason": None, "model": "m"}
    return f"event: completion\ndata: {json.dumps(data)}\n\n"


# One body, so `responses` hands it over in a single read: three good events, a bad one, one more good one.
ONE_READ = event(" one") + event(" two") + event(" three") + "event: completion\ndata:\n\n" + event(" lost")


def stream(fmt: str):
    responses.post(URL, body=ONE_READ, headers={"request-id": "req_s", "content-type": "text/event-stream"})
    return run_ant(BASIC + ["--stream", "--format", fmt])


@responses.activate
def test_text_prints_every_event_before_an_empty_data_event_then_the_error_exit_5():
    result = stream("text")
    assert (result.code, result.stdout) == (5, " one two three\n")
    assert result.stderr == "ant: error: the stream sent a completion event that is not a JSON object: ''\n"


@responses.activate
def test_jsonl_prints_the_good_events_in_order_and_not_the_one_after_the_bad_one():
    result = stream("jsonl")
    assert result.code == 5
    assert [json.loads(line)["completion"] for line in result.stdout.splitlines()] == [" one", " two", " three"]
