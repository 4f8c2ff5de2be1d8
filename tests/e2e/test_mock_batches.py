"""The mock's Message Batches over raw HTTP: refusals at create, the lifecycle, results, and scripts on them."""

from __future__ import annotations

import json
import time

import pytest

from ant_mock import MockServer
from ant_mock.batches import BatchLimits
from tests.helpers import wait_until
from tests.mock_wire import KEY, assert_refusal, send

MODEL = "claude-haiku-4-5"
PATH = "/v1/messages/batches"


def request(custom_id: str, **params) -> dict:
    return {"custom_id": custom_id, "params": {"model": MODEL, "max_tokens": 16,
                                               "messages": [{"role": "user", "content": f"say {custom_id}"}],
                                               **params}}


@pytest.fixture
def mock(capsys):
    with MockServer(api_key=KEY, batches=BatchLimits(seconds=0.2)) as server:
        yield server
    assert "ant_mock:" not in capsys.readouterr().err


def create(mock, requests, headers=None):
    return send(mock, {"requests": requests}, headers, PATH)


def get(mock, path):
    return send(mock, b"", None, path, "GET")


def ended(mock, batch_id):
    status, _, raw = get(mock, f"{PATH}/{batch_id}")
    document = json.loads(raw)
    return document if status == 200 and document["processing_status"] == "ended" else None


def result_lines(mock, batch: dict) -> list[dict]:
    status, headers, raw = get(mock, batch["results_url"].split(mock.url, 1)[1])
    assert status == 200 and headers["content-type"] == "application/x-jsonl"
    return [json.loads(line) for line in raw.splitlines()]


def test_a_batch_processes_then_ends_with_each_request_validated_and_results_in_another_order(mock):
    requests = [request(f"r{n}") for n in range(5)] + [request("bad", max_tokens=0), request("gone", model="x")]
    status, _, raw = create(mock, requests)
    batch = json.loads(raw)
    assert status == 200 and batch["processing_status"] == "in_progress" and batch["results_url"] is None
    assert batch["request_counts"] == {"processing": 7, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
    assert_refusal(get(mock, f"{PATH}/{batch['id']}/results"), 400, "invalid_request_error", ("prefix", "Batch"))
    done = wait_until(lambda: ended(mock, batch["id"]), 5, 0.05, "the batch to end")
    assert done["request_counts"] == {"processing": 0, "succeeded": 5, "errored": 2, "canceled": 0, "expired": 0}
    lines = result_lines(mock, done)
    assert sorted(line["custom_id"] for line in lines) == sorted(item["custom_id"] for item in requests)
    assert [line["custom_id"] for line in lines] != [item["custom_id"] for item in requests]
    by_id = {line["custom_id"]: line["result"] for line in lines}
    assert by_id["r3"]["message"]["content"][0]["text"] == "Hello! You said: say r3"
    assert by_id["r3"]["message"]["usage"]["service_tier"] == "batch"
    assert by_id["gone"]["error"]["error"] == {"type": "not_found_error", "message": "model: x"}
    assert by_id["bad"]["error"]["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize("custom_id, message", [
    ("x" * 65, "requests.0.custom_id: String should have at most 64 characters"),
    ("a b", "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"),
])
def test_a_custom_id_the_api_does_not_accept_is_refused_at_create(mock, custom_id, message):
    assert_refusal(create(mock, [request(custom_id)]), 400, "invalid_request_error", message)


def test_limits_are_settable_and_refused_at_create(mock):
    mock.state.batches.limits.max_requests = 2
    assert_refusal(create(mock, [request("a"), request("b"), request("c")]), 400, "invalid_request_error",
                   "requests: List should have at most 2 items after validation, not 3")
    assert_refusal(create(mock, [request("a"), request("a")]), 400, "invalid_request_error",
                   ("prefix", "requests: custom_id 'a' is used more than once"))
    mock.state.batches.limits.max_bytes = 200
    assert_refusal(create(mock, [request("a"), request("b")]), 413, "request_too_large",
                   "Request exceeds the maximum size")


def test_cancel_then_canceling_then_ended_with_canceled_results_then_delete(mock):
    mock.state.batches.limits.seconds = 30
    batch = json.loads(create(mock, [request("a"), request("b")])[2])
    assert_refusal(send(mock, b"", None, f"{PATH}/{batch['id']}", "DELETE"), 400, "invalid_request_error", None)
    status, _, raw = send(mock, b"", None, f"{PATH}/{batch['id']}/cancel")
    assert status == 200 and json.loads(raw)["processing_status"] == "canceling"
    done = wait_until(lambda: ended(mock, batch["id"]), 5, 0.05, "the canceled batch to end")
    assert done["request_counts"]["canceled"] == 2 and done["cancel_initiated_at"]
    assert [line["result"] for line in result_lines(mock, done)] == [{"type": "canceled"}] * 2
    status, _, raw = send(mock, b"", None, f"{PATH}/{batch['id']}", "DELETE")
    assert (status, json.loads(raw)) == (200, {"id": batch["id"], "type": "message_batch_deleted"})
    assert_refusal(get(mock, f"{PATH}/{batch['id']}"), 404, "not_found_error", None)


def test_list_pages_newest_first(mock):
    ids = [json.loads(create(mock, [request("a")])[2])["id"] for _ in range(3)]
    status, _, raw = get(mock, f"{PATH}?limit=2")
    page = json.loads(raw)
    assert status == 200 and [item["id"] for item in page["data"]] == ids[::-1][:2] and page["has_more"]
    rest = json.loads(get(mock, f"{PATH}?limit=2&after_id={page['last_id']}")[2])
    assert [item["id"] for item in rest["data"]] == [ids[0]] and not rest["has_more"]


def test_scripts_expire_a_batch_lose_its_first_polls_and_play_for_one_client(mock):
    mock.script({"expire": True, "lost_polls": 1}, client="me")
    mock.script({"status": 529})
    assert_refusal(create(mock, [request("a")]), 529, "overloaded_error", None)  # the shared queue
    headers = {"x-api-key": KEY, "anthropic-version": "2023-06-01", "x-mock-client": "me"}
    batch = json.loads(create(mock, [request("a")], headers)[2])
    assert get(mock, f"{PATH}/{batch['id']}")[0] == 404
    done = wait_until(lambda: ended(mock, batch["id"]), 5, 0.05, "the batch to end")
    assert done["request_counts"]["expired"] == 1
    assert [line["result"] for line in result_lines(mock, done)] == [{"type": "expired"}]


def test_latency_applies_to_the_batches_endpoints():
    with MockServer(api_key=KEY, latency=0.3) as server:
        started = time.monotonic()
        assert get(server, PATH)[0] == 200
        assert time.monotonic() - started >= 0.3
