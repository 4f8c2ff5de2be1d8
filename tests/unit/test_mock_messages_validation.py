"""The mock's `/v1/messages` rules as pure functions: the catalogue, the order of checks, the canned answer."""

from __future__ import annotations

import json

import pytest

from ant_mock.catalogue import MESSAGES_MODEL_IDS, rules_for
from ant_mock.conversation import prefill, prompt_words, question, turns
from ant_mock.messages import compose_message, message_events
from ant_mock.messages_validation import check_messages_body
from ant_mock.validation import Rejection

USER = {"role": "user", "content": "Tell me about dogs"}
GOOD = {"model": "claude-haiku-4-5", "max_tokens": 64, "messages": [USER]}


def refused(body, allowed=()) -> Rejection:
    with pytest.raises(Rejection) as caught:
        check_messages_body(json.dumps(body).encode(), allowed)
    return caught.value


@pytest.mark.parametrize("model, ceiling, prefill_ok", [
    ("claude-sonnet-5", 128_000, False), ("claude-opus-4-8", 128_000, False), ("claude-opus-4-6", 128_000, False),
    ("claude-sonnet-4-6", 128_000, False), ("claude-haiku-4-5", 64_000, True),
    ("claude-haiku-4-5-20251001", 64_000, True), ("claude-opus-4-5", 64_000, True),
    ("claude-sonnet-4-5-20250929", 64_000, True),
])
def test_each_model_has_its_ceiling_and_prefill_rule(model, ceiling, prefill_ok):
    rules = rules_for(model)
    assert rules is not None and (rules.max_output, rules.prefill) == (ceiling, prefill_ok)


@pytest.mark.parametrize("model", ["claude-mythos-preview", "claude-2.1", "claude-3-7-sonnet-latest",
                                   "claude-sonnet-4-20250514", "claude-opus-4-1-20250805", "claude-haiku-4-5 "])
def test_retired_and_unknown_ids_have_no_rules(model):
    assert rules_for(model) is None and model not in MESSAGES_MODEL_IDS


def test_an_allowed_id_answers_without_restrictions():
    rules = rules_for("my-gateway-model", ("my-gateway-model",))
    assert rules is not None and rules.max_output is None and rules.prefill
    assert check_messages_body(json.dumps(dict(GOOD, model="my-gateway-model", max_tokens=10**7)).encode(),
                               ("my-gateway-model",))["max_tokens"] == 10**7


# One error per answer, in the documented order: each body has two defects and the earlier one is reported.
@pytest.mark.parametrize("body, message", [
    ({"max_tokens": "x", "messages": 5}, "model: Field required"),
    (dict(GOOD, model=7, messages=5), "model: Input should be a valid string"),
    ({"model": "claude-haiku-4-5", "max_tokens_to_sample": 5, "prompt": "hi"}, "messages: Field required"),
    (dict(GOOD, messages=[], max_tokens=-1), "messages: at least one message is required"),
    (dict(GOOD, system=7, max_tokens=None), "system: Input should be a valid array"),
    (dict(GOOD, max_tokens=None, temperature=2), "max_tokens: Input should be a valid integer"),
    (dict(GOOD, metadata={"user_id": 7}, stop_sequences="ZZ"), "metadata.user_id: Input should be a valid string"),
    (dict(GOOD, stop_sequences=[1], temperature=2), "stop_sequences.0: Input should be a valid string"),
    (dict(GOOD, temperature=2, top_k=1.5), "temperature: range: 0..1"),
    (dict(GOOD, top_k=1.5, top_p=2), "top_k: Input should be a valid integer"),
    (dict(GOOD, top_p=2, stream="yes"), "top_p: range: 0..1"),
    (dict(GOOD, stream="yes", bogus=1), "stream: Input should be a valid boolean"),
    (dict(GOOD, zeta=1, alpha=2), "zeta: Extra inputs are not permitted"),
    (dict(GOOD, bogus=1, messages=[{"role": "user", "content": []}]), "bogus: Extra inputs are not permitted"),
    (dict(GOOD, model="claude-2.1", messages=[{"role": "user", "content": []}]),
     "messages.0: user messages must have non-empty content"),
    (dict(GOOD, model="claude-sonnet-5", messages=[USER, {"role": "assistant", "content": "Hi "}]),
     "messages: final assistant content cannot end with trailing whitespace"),
    (dict(GOOD, model="claude-sonnet-5", temperature=0.5, messages=[USER, {"role": "assistant", "content": "Hi"}]),
     "This model does not support assistant message prefill. The conversation must end with a user message."),
    (dict(GOOD, model="claude-sonnet-5", temperature=0.5, max_tokens=200_000),
     "`temperature` is deprecated for this model."),
    (dict(GOOD, model="claude-sonnet-4-5", temperature=0.5, top_p=0.9, max_tokens=200_000),
     "`temperature` and `top_p` cannot both be specified for this model. Please use only one."),
])
def test_the_first_defect_in_the_apis_order_is_reported(body, message):
    assert refused(body).message == message


def test_an_unknown_model_is_reported_after_the_body_and_before_its_rules():
    error = refused(dict(GOOD, model="claude-2.1", temperature=0.5, max_tokens=10**7))
    assert (error.status, error.error_type, error.message) == (404, "not_found_error", "model: claude-2.1")


@pytest.mark.parametrize("model, sampling, accepted", [
    ("claude-opus-4-7", {"temperature": 1}, True),
    ("claude-opus-4-7", {"temperature": 0.7}, False),
    ("claude-opus-4-7", {"top_k": -1}, True),
    ("claude-opus-4-7", {"top_k": 5}, False),
    ("claude-fable-5", {"top_p": 0.9}, False),
    ("claude-opus-4-6", {"temperature": 0.2, "top_p": 0.9, "top_k": 3}, True),
    ("claude-opus-4-5", {"temperature": 0.2, "top_p": 0.9}, True),
    ("claude-sonnet-4-6", {"temperature": 0.2, "top_p": 0.9}, False),
    ("claude-sonnet-4-6", {"temperature": 0.2, "top_k": 3}, True),
    ("claude-haiku-4-5", {"top_p": 0.9}, True),
])
def test_sampling_rules_per_generation(model, sampling, accepted):
    body = json.dumps(dict(GOOD, model=model, **sampling)).encode()
    if accepted:
        assert check_messages_body(body)["model"] == model
    else:
        assert refused(dict(GOOD, model=model, **sampling)).status == 400


def test_same_role_runs_are_one_turn_and_system_items_are_left_out():
    messages = [{"role": "user", "content": []}, {"role": "user", "content": "a"},
                {"role": "assistant", "content": [{"type": "text", "text": "b"}]},
                {"role": "system", "content": "s"}, {"role": "assistant", "content": "c"}]
    assert [(turn.role, turn.first, turn.texts) for turn in turns(messages)] == [
        ("user", 0, ["a"]), ("assistant", 2, ["b", "c"])]
    assert prefill(messages) == "bc" and question(messages) == "a"
    assert prompt_words({"system": [{"type": "text", "text": "be brief"}], "messages": messages}) == 6


def test_the_answer_repeats_the_question_and_continues_a_prefill():
    assert "".join(compose_message(GOOD).words) == "Hello! You said: Tell me about dogs"
    continued = dict(GOOD, messages=[USER, {"role": "assistant", "content": "Well,"}])
    assert "".join(compose_message(continued).words) == " Hello! You said: Tell me about dogs"


@pytest.mark.parametrize("changes, text, stop_reason, stop_sequence", [
    ({}, "Hello! You said: Tell me about dogs", "end_turn", None),
    ({"max_tokens": 7}, "Hello! You said: Tell me about dogs", "end_turn", None),
    ({"max_tokens": 2}, "Hello! You", "max_tokens", None),
    ({"max_tokens": 0}, "", "max_tokens", None),
    ({"stop_sequences": ["about", "me"]}, "Hello! You said: Tell ", "stop_sequence", "me"),
    ({"stop_sequences": ["cats", ""]}, "Hello! You said: Tell me about dogs", "end_turn", None),
    ({"max_tokens": 3, "stop_sequences": ["dogs"]}, "Hello! You said:", "max_tokens", None),
])
def test_max_tokens_and_stop_sequences_end_the_answer(changes, text, stop_reason, stop_sequence):
    answer = compose_message(dict(GOOD, **changes))
    assert ("".join(answer.words), answer.stop_reason, answer.stop_sequence) == (text, stop_reason, stop_sequence)


def event_names(body, action) -> list[str]:
    return [event.split(b"\n", 1)[0].decode() for event in message_events(body, action) if event]


def test_stream_faults_keep_the_message_framing():
    whole = event_names(GOOD, {"events": 2})
    assert whole == ["event: message_start", "event: content_block_start", "event: ping"] + [
        "event: content_block_delta"] * 2 + ["event: content_block_stop", "event: message_delta", "event: message_stop"]
    assert event_names(GOOD, {"events": 2, "no_final": True}) == whole[:-2]
    assert event_names(GOOD, {"events": 2, "cut_after": 1}) == whole[:4]
    assert event_names(GOOD, {"events": 2, "error_after": 1}) == whole[:4] + ["event: error"]
