"""The official Python SDK as a client of the mock's Message Batches: create, retrieve, results and cancel parse."""

from __future__ import annotations

import anthropic
import pytest

from ant_mock import MockServer
from ant_mock.batches import BatchLimits
from tests.helpers import KEY, wait_until

MODEL = "claude-haiku-4-5"


def request(custom_id: str, text: str, model: str = MODEL) -> dict:
    return {"custom_id": custom_id,
            "params": {"model": model, "max_tokens": 32, "messages": [{"role": "user", "content": text}]}}


@pytest.fixture
def mock():
    with MockServer(api_key=KEY, batches=BatchLimits(seconds=0.3)) as server:
        yield server


@pytest.fixture
def client(mock):
    with anthropic.Anthropic(api_key=KEY, base_url=mock.url, max_retries=0, timeout=10) as sdk:
        yield sdk


def ended(client, batch_id):
    batch = client.messages.batches.retrieve(batch_id)
    return batch if batch.processing_status == "ended" else None


def test_create_retrieve_and_results_parse_in_the_sdks_types(client, mock):
    batch = client.messages.batches.create(requests=[request("a", "Tell me about dogs"), request("b", "hi"),
                                                     request("c", "x", model="claude-2.1")])
    assert isinstance(batch, anthropic.types.messages.MessageBatch) and batch.id.startswith("msgbatch_")
    assert batch.processing_status == "in_progress" and batch.request_counts.processing == 3
    assert batch.results_url is None
    done = wait_until(lambda: ended(client, batch.id), 10, 0.05, "the batch to end")
    assert (done.request_counts.succeeded, done.request_counts.errored, done.request_counts.processing) == (2, 1, 0)
    assert done.results_url == f"{mock.url}/v1/messages/batches/{batch.id}/results"
    lines = list(client.messages.batches.results(batch.id))
    assert sorted(line.custom_id for line in lines) == ["a", "b", "c"]
    assert [line.custom_id for line in lines] != ["a", "b", "c"]  # any order: match on custom_id
    by_id = {line.custom_id: line.result for line in lines}
    assert by_id["a"].type == "succeeded"
    assert by_id["a"].message.content[0].text == "Hello! You said: Tell me about dogs"
    assert by_id["c"].type == "errored" and by_id["c"].error.error.type == "not_found_error"


def test_cancel_gives_canceling_then_ended_with_canceled_results(client, mock):
    mock.state.batches.limits.seconds = 30
    batch = client.messages.batches.create(requests=[request("a", "one"), request("b", "two")])
    canceling = client.messages.batches.cancel(batch.id)
    assert canceling.processing_status == "canceling" and canceling.cancel_initiated_at is not None
    done = wait_until(lambda: ended(client, batch.id), 10, 0.05, "the canceled batch to end")
    assert done.request_counts.canceled == 2
    assert {line.result.type for line in client.messages.batches.results(batch.id)} == {"canceled"}
    listed = client.messages.batches.list(limit=10)
    assert [item.id for item in listed.data] == [batch.id]
    deleted = client.messages.batches.delete(batch.id)
    assert deleted.type == "message_batch_deleted"
    with pytest.raises(anthropic.NotFoundError):
        client.messages.batches.retrieve(batch.id)


def test_a_65_character_custom_id_is_refused_at_create(client):
    with pytest.raises(anthropic.BadRequestError, match="requests.0.custom_id: String should have at most 64"):
        client.messages.batches.create(requests=[request("x" * 65, "hi")])
