"""Unit tests of the checks made before sending: each rule and its boundaries."""

import math

import pytest

from ant_cli.core.errors import UsageError
from ant_cli.core.types import Settings
from ant_cli.request.validate import prompt_turn_problem, validate_body, validate_settings
from tests.helpers import MODEL, PROMPT


def body(**overrides):
    base = {"max_tokens_to_sample": 1, "model": MODEL, "prompt": PROMPT}
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not ...}


@pytest.mark.parametrize("fields", [
    dict(temperature=0), dict(temperature=1), dict(temperature=0.5), dict(top_p=0), dict(top_p=1),
    dict(top_k=0), dict(top_k=500), dict(max_tokens_to_sample=1), dict(max_tokens_to_sample=10**6),
    dict(metadata={"user_id": "u" * 256}), dict(metadata={}), dict(metadata={"user_id": None}),
    dict(stop_sequences=["x"]), dict(stream=True), dict(unknown_key=[1]),
])
def test_values_at_and_inside_the_boundaries_pass(fields):
    validate_body(body(**fields), prompt_check=True)


@pytest.mark.parametrize("fields, message", [
    (dict(temperature=-0.01), "--temperature must be a number from 0 to 1, got -0.01"),
    (dict(temperature=1.01), "--temperature must be a number from 0 to 1"),
    (dict(temperature=math.nan), "--temperature must be a number from 0 to 1, got nan"),
    (dict(temperature=math.inf), "--temperature"),
    (dict(temperature="hot"), "got 'hot'"),
    (dict(temperature=True), "got true"),
    (dict(top_p=1.5), "--top-p must be a number from 0 to 1"),
    (dict(top_p=-1), "--top-p"),
    (dict(top_k=-1), "--top-k must be an integer >= 0, got -1"),
    (dict(top_k=1.5), "--top-k must be an integer >= 0, got 1.5"),
    (dict(max_tokens_to_sample=0), "--max-tokens-to-sample must be an integer >= 1, got 0"),
    (dict(max_tokens_to_sample="10"), "--max-tokens-to-sample must be an integer >= 1, got '10'"),
    (dict(prompt=""), "--prompt must not be empty"),
    (dict(prompt=5), "--prompt must be a string"),
    (dict(model="  "), "--model must not be empty"),
    (dict(metadata="u1"), "--metadata must be an object"),
    (dict(metadata={"user_id": "u" * 257}), "at most 256 characters, got 257"),
    (dict(metadata={"user_id": 7}), "--metadata.user-id must be a string"),
    (dict(stop_sequences="x"), "--stop-sequence values must be non-empty strings"),
    (dict(stop_sequences=[""]), "--stop-sequence"),
    (dict(stream="yes"), "'stream' in the piped body must be true or false"),
])
def test_each_rule_names_the_flag_and_the_range(fields, message):
    with pytest.raises(UsageError) as caught:
        validate_body(body(**fields), prompt_check=False)
    assert message in str(caught.value)


def test_whole_float_token_count_is_accepted_as_integer():
    fields = body(max_tokens_to_sample=5.0)
    validate_body(fields, prompt_check=True)
    assert fields["max_tokens_to_sample"] == 5 and isinstance(fields["max_tokens_to_sample"], int)


def test_missing_required_fields_are_listed_together():
    with pytest.raises(UsageError, match="missing required options --max-tokens-to-sample, --model, --prompt"):
        validate_body({}, prompt_check=True)
    with pytest.raises(UsageError, match="missing required option --model "):
        validate_body(body(model=...), prompt_check=True)


@pytest.mark.parametrize("prompt", [
    "\n\nHuman: Hello\n\nAssistant:",
    "System text first.\n\nHuman: Hello\n\nAssistant:",
    "\n\nHuman: Hi\n\nAssistant: Hey\n\nHuman: Again\n\nAssistant:",
    "\n\nHuman: Hi\n\nAssistant: Sure, here is a prefill",
    "Human: Hello\n\nAssistant:",
    "\n\nHuman: Hello\n\nAssistant: ",
])
def test_well_formed_prompts_pass(prompt):
    assert prompt_turn_problem(prompt) is None


@pytest.mark.parametrize("prompt, problem", [
    ("Hello, world", "must start"),
    ("Hello, world\n\nAssistant:", "must start"),
    ("\n\nHuman: Hello, Claude", "must end"),
    ("\n\nAssistant: Hello, world\n\nHuman: Hello, Claude\n\nAssistant:", "must start"),
    ("\n\nHuman: Hello, Claude\n\nAssistant: Hello, world\n\nHuman: How many toes do dogs have?", "must end"),
    ("\n\nHuman: Hello, Claude \nAssistant:", "must end"),
])
def test_prompts_the_api_documents_as_rejected_are_caught(prompt, problem):
    assert problem in prompt_turn_problem(prompt)


def test_prompt_message_shows_the_correct_form_and_the_escape_hatch():
    with pytest.raises(UsageError) as caught:
        validate_body(body(prompt="Hello"), prompt_check=True)
    text = str(caught.value)
    assert "\\n\\nHuman:" in text and "--no-prompt-check" in text


def test_literal_backslash_n_gets_a_quoting_hint():
    with pytest.raises(UsageError, match=r"literal backslash-n"):
        validate_body(body(prompt="\\n\\nHuman: hi\\n\\nAssistant:"), prompt_check=True)


def test_prompt_check_can_be_turned_off():
    validate_body(body(prompt="any shape at all"), prompt_check=False)


@pytest.mark.parametrize("url", ["ftp://x", "api.anthropic.com", "http://", "", "file:///etc/passwd"])
def test_base_url_must_be_http_or_https(url):
    with pytest.raises(UsageError, match="--base-url"):
        validate_settings(Settings(api_key="k", base_url=url))


def test_missing_credentials_name_the_variable():
    with pytest.raises(UsageError, match="ANTHROPIC_API_KEY"):
        validate_settings(Settings())
    validate_settings(Settings(auth_token="t"))


@pytest.mark.parametrize("settings, flag", [
    (Settings(api_key="k", max_retries=-1), "--max-retries"),
    (Settings(api_key="k", timeout=0), "--timeout"),
    (Settings(api_key="k", timeout=math.nan), "--timeout"),
    (Settings(api_key="k", connect_timeout=-2), "--connect-timeout"),
])
def test_retry_and_timeout_settings_are_checked(settings, flag):
    with pytest.raises(UsageError, match=flag):
        validate_settings(settings)
