"""The official Python SDK as a real client of the mock's `/v1/messages`: its request, its parser, its stream
accumulator (which refuses events out of order) and its error classes all accept what the mock sends."""

from __future__ import annotations

import anthropic
import pytest

from tests.helpers import KEY

MODEL = "claude-haiku-4-5"
USER = [{"role": "user", "content": "Tell me about dogs"}]


@pytest.fixture
def client(mock_api):
    with anthropic.Anthropic(api_key=KEY, base_url=mock_api.url, max_retries=0, timeout=10) as sdk:
        yield sdk


def test_create_returns_a_message_the_sdk_parses(client, mock_api):
    message = client.messages.create(model=MODEL, max_tokens=64, messages=USER, system="Be brief.")
    assert isinstance(message, anthropic.types.Message) and message.id.startswith("msg_")
    assert [block.text for block in message.content] == ["Hello! You said: Tell me about dogs"]
    assert (message.stop_reason, message.stop_sequence, message.model) == ("end_turn", None, MODEL)
    assert (message.usage.input_tokens, message.usage.output_tokens) == (6, 7)
    assert (message.usage.cache_read_input_tokens, message.usage.service_tier) == (0, "standard")
    assert mock_api.requests[0]["path"] == "/v1/messages"
    assert mock_api.requests[0]["headers"]["anthropic-version"] == "2023-06-01"


def test_a_stop_sequence_and_max_tokens_reach_the_sdk(client):
    stopped = client.messages.create(model=MODEL, max_tokens=64, messages=USER, stop_sequences=["dogs"])
    assert (stopped.content[0].text, stopped.stop_reason, stopped.stop_sequence) == (
        "Hello! You said: Tell me about ", "stop_sequence", "dogs")
    limited = client.messages.create(model="claude-sonnet-5", max_tokens=2, messages=USER)
    assert (limited.content[0].text, limited.stop_reason, limited.usage.output_tokens) == (
        "Hello! You", "max_tokens", 2)


def test_the_sdk_accumulates_the_stream_into_the_same_message(client):
    whole = client.messages.create(model=MODEL, max_tokens=64, messages=USER)
    with client.messages.stream(model=MODEL, max_tokens=64, messages=USER) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert len(pieces) == 7 and "".join(pieces) == whole.content[0].text == final.content[0].text
    assert (final.stop_reason, final.usage.output_tokens, final.usage.input_tokens) == ("end_turn", 7, 4)


def test_a_streamed_stop_sequence_reaches_the_final_message(client):
    with client.messages.stream(model="claude-opus-4-7", max_tokens=64, messages=USER,
                                stop_sequences=["about"]) as stream:
        final = stream.get_final_message()
    assert (final.content[0].text, final.stop_reason, final.stop_sequence) == (
        "Hello! You said: Tell me ", "stop_sequence", "about")


def test_a_scripted_stream_of_many_deltas_is_accepted(client, mock_api):
    mock_api.script({"events": 50, "chunk": " tick"})
    with client.messages.stream(model=MODEL, max_tokens=64, messages=USER) as stream:
        final = stream.get_final_message()
    assert final.content[0].text == " tick" * 50 and final.stop_reason == "max_tokens"


def test_an_error_event_mid_stream_raises_the_sdks_error(client, mock_api):
    mock_api.script({"error_after": 2})
    with pytest.raises(anthropic.APIStatusError) as raised:
        with client.messages.stream(model=MODEL, max_tokens=64, messages=USER) as stream:
            stream.get_final_message()
    assert raised.value.body["error"]["type"] == "overloaded_error"


def test_a_bad_request_is_a_bad_request_error_with_its_request_id(client):
    with pytest.raises(anthropic.BadRequestError) as raised:
        client.messages.create(model="claude-sonnet-5", max_tokens=64, temperature=0.5, messages=USER)
    assert raised.value.status_code == 400 and raised.value.request_id.startswith("req_")
    assert raised.value.body["error"]["message"] == "`temperature` is deprecated for this model."


def test_a_retired_model_is_a_not_found_error(client):
    with pytest.raises(anthropic.NotFoundError) as raised, pytest.warns(DeprecationWarning, match="end-of-life"):
        client.messages.create(model="claude-2.1", max_tokens=64, messages=USER)
    assert raised.value.request_id.startswith("req_")
    assert raised.value.body["error"] == {"type": "not_found_error", "message": "model: claude-2.1"}


def test_a_scripted_overload_is_the_sdks_overloaded_error(client, mock_api):
    mock_api.script({"status": 529})
    with pytest.raises(anthropic.OverloadedError) as raised:  # the SDK's class for 529, retried by default
        client.messages.create(model=MODEL, max_tokens=64, messages=USER)
    assert raised.value.status_code == 529
    assert raised.value.request_id.startswith("req_")
    assert raised.value.body["error"] == {"type": "overloaded_error", "message": "Overloaded"}
    assert len(mock_api.requests) == 1  # max_retries=0: no second attempt
