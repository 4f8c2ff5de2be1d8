"""The mock's refusal rules as pure functions: the order of checks, and the cases a raw-HTTP table cannot name."""

from __future__ import annotations

import pytest

from ant_mock.knowledge import error_type_for, is_messages_era
from ant_mock.validation import Rejection, beta_names, check_body, check_headers, check_model, check_prompt

KEY = "sk-unit"
GOOD_HEADERS = {"x-api-key": [KEY], "anthropic-version": ["2023-06-01"]}
GOOD = b'{"model": "claude-2.1", "max_tokens_to_sample": 5, "prompt": "\\n\\nHuman: hi\\n\\nAssistant:"}'


def rejection(check, *args) -> Rejection:
    with pytest.raises(Rejection) as caught:
        check(*args)
    return caught.value


@pytest.mark.parametrize("headers, status, message", [
    ({"x-api-key": [""], "anthropic-version": ["2023-06-01"]}, 401, "x-api-key header is required"),
    ({"authorization": ["Basic abc"], "anthropic-version": ["2023-06-01"]}, 401, "x-api-key header is required"),
    ({"x-api-key": ["other"], "authorization": [f"Bearer {KEY}"]}, 401, "invalid x-api-key"),
    ({"authorization": ["Bearer other"]}, 401, "Invalid bearer token"),
    ({"x-api-key": [KEY], "anthropic-version": ["2023-06-01", "2023-06-01"]}, 400,
     'anthropic-version: "2023-06-01, 2023-06-01" is not a valid version'),
])
def test_header_refusals(headers, status, message):
    refused = rejection(check_headers, headers, KEY)
    assert (refused.status, refused.message) == (status, message)


def test_any_key_is_accepted_when_none_is_configured():
    check_headers({"x-api-key": ["whatever"], "anthropic-version": ["2023-01-01"]}, None)
    check_headers({"authorization": ["bearer tok"], "anthropic-version": ["2023-06-01"]}, None)


@pytest.mark.parametrize("values, names", [
    (["a,b", "c"], ["a", "b", "c"]),
    ([" a , b "], ["a", "b"]),
    (["a,,b,"], ["a", "b"]),
    ([""], [""]),
    (["  "], [""]),
])
def test_beta_names_from_repeated_headers_and_comma_lists(values, names):
    assert beta_names(values) == names


def test_unknown_betas_are_listed_once_in_order_and_known_ones_pass():
    headers = dict(GOOD_HEADERS, **{"anthropic-beta": ["b,prompt-caching-2024-07-31", "a,b"]})
    assert rejection(check_headers, headers, KEY).message.startswith(
        "Unexpected value(s) `b`, `a` for the `anthropic-beta` header. Please consult our documentation")


@pytest.mark.parametrize("raw, message", [
    (b'{"prompt": 5, "model": 7}', "max_tokens_to_sample: Field required"),
    (b'{"max_tokens_to_sample": 5, "prompt": 5, "model": 7}', "model: Input should be a valid string"),
    (b'{"max_tokens_to_sample": true, "model": "m", "prompt": "p"}',
     "max_tokens_to_sample: Input should be a valid integer"),
    (b'{"max_tokens_to_sample": -3, "model": "m", "prompt": "p"}',
     "max_tokens_to_sample: Input should be greater than or equal to 1"),
    (b'{"max_tokens_to_sample": 5, "model": "m", "prompt": "p", "temperature": true}',
     "temperature: Input should be a valid number"),
    (b'{"max_tokens_to_sample": 5, "model": "m", "prompt": "p", "top_k": -1}',
     "top_k: Input should be greater than or equal to 0"),
    (b'{"max_tokens_to_sample": 5, "model": "m", "prompt": "p", "stream": null}',
     "stream: Input should be a valid boolean"),
    (b'{"max_tokens_to_sample": 5, "model": "m", "prompt": "p", "stop_sequences": ["a", null]}',
     "stop_sequences.1: Input should be a valid string"),
    (b'{"max_tokens_to_sample": 5, "model": "m", "prompt": "p", "metadata": {"user_id": 1, "x": 2}}',
     "metadata.user_id: Input should be a valid string"),
    (b'"text"', "Input should be a valid dictionary or object to extract fields from"),
    (b"\xff\xfe{", "The request body is not valid JSON: "),
])
def test_body_refusals_one_at_a_time_in_the_apis_order(raw, message):
    assert rejection(check_body, raw).message.startswith(message)


def test_field_errors_come_before_the_model_and_the_prompt():
    raw = b'{"max_tokens_to_sample": 5, "model": "claude-3-opus-20240229", "prompt": "x", "top_p": 9}'
    assert rejection(check_body, raw).message == "top_p: range: 0..1"


def test_the_model_is_judged_before_the_prompt():
    raw = b'{"max_tokens_to_sample": 5, "model": "nope", "prompt": "no turns"}'
    assert (rejection(check_body, raw).status, rejection(check_body, raw).message) == (404, "model: nope")


def test_an_acceptable_body_is_returned_parsed():
    assert check_body(GOOD)["max_tokens_to_sample"] == 5


@pytest.mark.parametrize("model, refused_as_messages_era", [
    ("claude-3-haiku-20240307", True), ("claude-3-5-sonnet-latest", True), ("claude-3-7-sonnet-20250219", True),
    ("claude-4-opus-20250514", True), ("claude-opus-4-8", True), ("claude-sonnet-4-5-20250929", True),
    ("claude-haiku-4-5", True), ("claude-mythos-preview", True), ("claude-opus", True), ("claude-10-x", True),
    ("claude-2.1", False), ("claude-2", False), ("claude-instant-1.2", False), ("claude-1.3", False),
    ("claude-30", True), ("gpt-4", False), ("claude-operas-4", False), ("claude-", False),
])
def test_models_by_era(model, refused_as_messages_era):
    assert is_messages_era(model) is refused_as_messages_era


def test_allowed_models_pass_whatever_their_era():
    check_model("claude-3-opus-20240229", ("claude-3-opus-20240229",))
    assert rejection(check_model, "claude-instant-1.2", ()).status == 404


@pytest.mark.parametrize("prompt", [
    "\n\nHuman: hi\n\nAssistant:", "Human: hi\n\nAssistant:", "System.\n\nHuman: hi\n\nAssistant:  \n",
    "\n\nHuman: hi\n\nAssistant: prefill", "\n\nHuman: a\n\nAssistant: b\n\nHuman: c\n\nAssistant:",
])
def test_prompts_the_api_accepts(prompt):
    check_prompt(prompt)


@pytest.mark.parametrize("prompt, fragment", [
    ("Hello", "must start"), ("Hi\n\nAssistant:", "must start"), ("\n\nAssistant: a\n\nHuman: b", "must start"),
    ("\n\nHuman: hi", "must end"), ("\n\nHuman: hi \nAssistant:", "must end"),
])
def test_prompts_the_api_refuses(prompt, fragment):
    assert fragment in rejection(check_prompt, prompt).message


@pytest.mark.parametrize("status, error_type", [(418, "invalid_request_error"), (502, "api_error"),
                                                (529, "overloaded_error"), (409, "conflict_error")])
def test_error_type_for_a_status(status, error_type):
    assert error_type_for(status) == error_type
