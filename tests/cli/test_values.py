"""Values a script written for the official `ant` passes: boolean flags with `=VALUE`, `null` metadata,
integers in Go's syntax, and a piped `anthropic-beta` key. Checked on the request `--dry-run` prints."""

import json

import pytest
import responses

import ant_cli.request.prepare as prepare_module
from tests.helpers import COMPLETION, MODEL, PROMPT, run_ant

URL = "https://api.anthropic.com/v1/complete"

CREATE = ["completions", "create", "--model", MODEL, "--prompt", PROMPT]


def request(*args, stdin=None) -> dict:
    result = run_ant(CREATE + ["--max-tokens-to-sample", "8", *args, "--dry-run", "--format", "json"], input=stdin)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("spelling", ["true", "True", "TRUE", "t", "T", "1"])
def test_stream_equals_a_true_spelling_streams(spelling):
    sent = request(f"--stream={spelling}")
    assert sent["body"]["stream"] is True and sent["headers"]["accept"] == "text/event-stream"


@pytest.mark.parametrize("spelling", ["false", "False", "FALSE", "f", "F", "0"])
def test_stream_equals_a_false_spelling_is_no_stream(spelling):
    sent = request(f"--stream={spelling}")
    assert sent["body"]["stream"] is False and sent["headers"]["accept"] == "application/json"


def test_prompt_check_false_skips_the_check():
    result = run_ant(CREATE[:-1] + ["no turns", "--max-tokens-to-sample", "8", "--prompt-check=false", "--dry-run"])
    assert result.code == 0, result.stderr


@responses.activate
@pytest.mark.parametrize("before, after", [([], ["--raw-output=true"]), (["--raw-output=T"], []),
                                           (["--raw-output=1"], ["--quiet=1", "--debug=f"])])
def test_global_boolean_flags_take_a_value_before_or_after_the_subcommand(before, after):
    responses.post(URL, json=COMPLETION)
    result = run_ant(before + CREATE + ["--max-tokens-to-sample", "8", "--transform", "model", *after])
    assert (result.code, result.stdout, result.stderr) == (0, MODEL + "\n", "")


def test_a_bad_boolean_is_a_usage_error_naming_the_flag():
    result = run_ant(CREATE + ["--max-tokens-to-sample", "8", "--stream=maybe"])
    assert result.code == 2
    assert result.stderr.startswith("ant: error: --stream takes true or false (or 1/0, t/f), not 'maybe'")


def test_a_value_after_a_space_is_not_the_flags_as_in_the_official_cli():
    result = run_ant(CREATE + ["--max-tokens-to-sample", "8", "--stream", "false"])
    assert result.code == 2 and "unexpected extra argument (false)" in result.stderr


def test_an_option_value_that_looks_like_a_flag_is_left_alone():
    assert request("--stop-sequence", "--stream=false")["body"]["stop_sequences"] == ["--stream=false"]


def test_metadata_null_sends_json_null():
    assert request("--metadata", "null")["body"]["metadata"] is None


def test_metadata_user_id_null_sends_json_null():
    assert request("--metadata.user-id", "null")["body"]["metadata"] == {"user_id": None}


def test_the_text_null_as_a_user_id_is_written_as_an_object():
    assert request("--metadata", '{user_id: "null"}')["body"]["metadata"] == {"user_id": "null"}


@pytest.mark.parametrize("text, value", [("0x10", 16), ("0o17", 15), ("0b101", 5), ("1_000", 1000), ("010", 8),
                                         ("0X1f", 31), ("+7", 7)])
def test_integers_in_the_official_syntax(text, value):
    body = run_ant(CREATE + ["--max-tokens-to-sample", text, "--top-k", text, "--dry-run", "--format", "json"])
    assert body.code == 0, body.stderr
    sent = json.loads(body.stdout)["body"]
    assert (sent["max_tokens_to_sample"], sent["top_k"]) == (value, value)


@pytest.mark.parametrize("text", ["08", "1__0", "_1", "0x", " 5", "1.0", "٣"])
def test_malformed_integers_are_usage_errors(text):
    result = run_ant(CREATE + ["--max-tokens-to-sample", "8", "--top-k", text])
    assert result.code == 2 and "'--top-k'" in result.stderr and "is not a valid integer" in result.stderr


@pytest.mark.parametrize("piped, headers", [
    ('{"anthropic-beta": "beta-one"}', "beta-one"),
    ("anthropic-beta: [beta-one, beta-two]\n", "beta-one,beta-two"),
])
def test_a_piped_anthropic_beta_key_is_a_header_not_body(piped, headers):
    sent = request(stdin=piped)
    assert sent["headers"]["anthropic-beta"] == headers
    assert "anthropic-beta" not in sent["body"]


def test_a_piped_anthropic_beta_is_the_same_header_as_beta_flags():
    piped = request(stdin="anthropic-beta: [b-1, b-2]\n")["headers"]
    flagged = request("--beta", "b-1", "--beta", "b-2")["headers"]
    assert piped == flagged


def test_beta_flags_win_over_a_piped_anthropic_beta():
    assert request("--beta", "flag-beta", stdin='{"anthropic-beta": "piped"}')["headers"]["anthropic-beta"] \
        == "flag-beta"


def test_a_piped_anthropic_beta_that_is_not_names_is_a_usage_error():
    result = run_ant(CREATE + ["--max-tokens-to-sample", "8", "--dry-run"], input='{"anthropic-beta": 3}')
    assert result.code == 2 and "'anthropic-beta' in the piped body" in result.stderr


def test_debug_equals_true_shows_the_traceback_of_an_internal_error(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(prepare_module, "prepare_request", explode)
    assert "Traceback" in run_ant(CREATE + ["--max-tokens-to-sample", "8", "--debug=true"]).stderr
    assert "Traceback" not in run_ant(CREATE + ["--max-tokens-to-sample", "8", "--debug=false"]).stderr
