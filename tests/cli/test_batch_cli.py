"""`ant completions batch` in-process (CliRunner isolation) with the API mocked by `responses`."""

from __future__ import annotations

import json

import pytest
import responses

from tests.helpers import COMPLETION, KEY, MODEL, run_ant

URL = "https://api.anthropic.com/v1/complete"
BATCH = ["completions", "batch", "--model", MODEL, "--max-tokens-to-sample", "8"]
LINES = "".join(json.dumps({"custom_id": f"q-{n}", "params": {"prompt": f"\n\nHuman: {n}\n\nAssistant:"}}) + "\n"
                for n in range(1, 4))


@responses.activate
def test_each_line_is_sent_with_the_option_defaults_and_answered_in_order():
    responses.post(URL, json=COMPLETION)
    result = run_ant(BATCH + ["--temperature", "0", "--beta", "pdfs-2024-09-25"], input=LINES)
    assert result.code == 0, result.stderr
    assert [json.loads(line)["custom_id"] for line in result.stdout.splitlines()] == ["q-1", "q-2", "q-3"]
    assert json.loads(result.stdout.splitlines()[0])["result"] == {"type": "succeeded", "completion": COMPLETION}
    sent = [json.loads(call.request.body) for call in responses.calls]
    assert sorted(body["prompt"] for body in sent) == [f"\n\nHuman: {n}\n\nAssistant:" for n in range(1, 4)]
    assert all(body["temperature"] == 0 and body["model"] == MODEL for body in sent)
    assert {call.request.headers["anthropic-beta"] for call in responses.calls} == {"pdfs-2024-09-25"}


@responses.activate
def test_an_errored_line_makes_the_exit_status_seven():
    responses.post(URL, json={"type": "error", "error": {"type": "overloaded_error", "message": "busy"}},
                   status=529)
    result = run_ant(BATCH + ["--max-retries", "0", "--parallel", "1"], input=LINES.splitlines()[0] + "\n")
    assert result.code == 7
    error = json.loads(result.stdout)["result"]["error"]
    assert error["error"] == {"type": "overloaded_error", "message": "busy"}


@pytest.mark.parametrize("extra, message", [
    (["--format", "yaml"], "--format yaml: a batch writes one JSON result per line"),
    (["--transform", "completion"], "--transform does not apply to a batch"),
    (["--resume"], "--resume and --overwrite need --output FILE"),
    (["--prompt", "@-"], "'@-' cannot read stdin here: stdin is the batch input"),
    (["--parallel", "10001"], "10001 is not in the range 1<=x<=10000"),
    (["--max-output-tpm", "0"], "0 is not in the range x>=1"),
    (["--max-rpm", "0"], "0 is not in the range x>=1"),
    (["no-such-file.jsonl"], "cannot read the batch input 'no-such-file.jsonl'"),
])
@responses.activate
def test_usage_errors_send_nothing(extra, message):
    result = run_ant(BATCH + extra, input=LINES)
    assert result.code == 2 and message in result.stderr, result.stderr
    assert result.stdout == "" and len(responses.calls) == 0


def test_no_key_is_needed_for_a_dry_run_but_is_for_a_real_one():
    dry = run_ant(BATCH + ["--dry-run"], input=LINES, env={"ANTHROPIC_API_KEY": ""})
    assert dry.code == 0 and len(dry.stdout.splitlines()) == 3
    assert json.loads(dry.stdout.splitlines()[0])["request"]["body"]["max_tokens_to_sample"] == 8
    real = run_ant(BATCH, input=LINES, env={"ANTHROPIC_API_KEY": ""})
    assert real.code == 2 and "no API key" in real.stderr


def test_a_dry_run_shows_bad_lines_as_their_errored_results():
    result = run_ant(BATCH + ["--dry-run"], input=LINES + "{oops\n")
    assert result.code == 7 and KEY not in result.stdout
    last = json.loads(result.stdout.splitlines()[-1])
    assert last["custom_id"] == "4" and last["result"]["error"]["error"]["type"] == "invalid_request_error"


def test_help_documents_the_shapes_and_the_new_exit_status():
    result = run_ant(["completions", "batch", "--help"])
    assert result.code == 0
    for text in ('"custom_id"', '"succeeded"', "--parallel", "--resume", "--max-rpm", "7  batch: finished"):
        assert text in result.stdout, text


def test_an_unreadable_ca_bundle_stops_the_batch_before_anything_is_sent(tmp_path):
    missing = tmp_path / "no-such-bundle.pem"
    result = run_ant(BATCH, input=LINES, env={"REQUESTS_CA_BUNDLE": str(missing)})
    assert result.code == 2 and "REQUESTS_CA_BUNDLE" in result.stderr and str(missing) in result.stderr
    assert result.stdout == ""


@responses.activate
def test_every_body_option_fills_what_a_line_leaves_out():
    responses.post(URL, json=COMPLETION)
    line = json.dumps({"custom_id": "a", "params": {"temperature": 1}}) + "\n"
    result = run_ant(BATCH + ["--prompt", "no turns here", "--no-prompt-check", "--stop-sequence", "END",
                              "--top-k", "5", "--top-p", "0.5", "--metadata.user-id", "u-1", "--temperature", "0"],
                     input=line)
    assert result.code == 0, result.stderr
    body = json.loads(responses.calls[0].request.body)
    assert body == {"max_tokens_to_sample": 8, "model": MODEL, "prompt": "no turns here", "temperature": 1,
                    "top_k": 5, "top_p": 0.5, "stop_sequences": ["END"], "metadata": {"user_id": "u-1"}}


@responses.activate
def test_a_line_whose_retries_ran_out_is_errored_and_the_batch_goes_on():
    overloaded = {"type": "error", "error": {"type": "overloaded_error", "message": "busy"}}
    responses.post(URL, json=overloaded, status=529, headers={"retry-after-ms": "1"})
    responses.post(URL, json=overloaded, status=529, headers={"retry-after-ms": "1"})
    responses.post(URL, json=COMPLETION)
    result = run_ant(BATCH + ["--max-retries", "1", "--parallel", "1"], input=LINES)
    assert result.code == 7, result.stderr
    types = [json.loads(line)["result"]["type"] for line in result.stdout.splitlines()]
    assert types == ["errored", "succeeded", "succeeded"] and len(responses.calls) == 4
    assert "q-1: 529 overloaded_error; retrying" in result.stderr
