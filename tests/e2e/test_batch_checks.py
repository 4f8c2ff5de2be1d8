"""What a batch checks before sending anything: a value every line lacks, an output file that is the input;
and how a problem with a line's own value is worded (the line's key, not the option)."""

from __future__ import annotations

import json

from tests.e2e.test_batch import prompts, results
from tests.helpers import MODEL, run_installed


def run(mock, *args, input=None):
    return run_installed(["completions", "batch", *args], input=input, env={"ANTHROPIC_BASE_URL": mock.url})


def test_a_model_no_option_and_no_line_gives_is_one_usage_error_before_sending(mock_api):
    result = run(mock_api, "--max-tokens-to-sample", "8", input=prompts(5))
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == ['ant: error: missing model: no option and no line gives it, so every '
                                          'line would fail (give --model, or "model" in each line; nothing was sent)']
    assert result.stdout == "" and mock_api.requests == []


def test_every_missing_value_is_named_at_once(mock_api):
    result = run(mock_api, input='{"custom_id": "a", "params": {"temperature": 0}}\n')
    assert result.returncode == 2 and "missing max_tokens_to_sample, model, prompt:" in result.stderr
    assert mock_api.requests == []


def test_a_value_some_lines_give_leaves_the_others_as_errored_results(mock_api):
    lines = json.dumps({"custom_id": "has", "params": {"model": MODEL, "prompt": "\n\nHuman: x\n\nAssistant:"}})
    lines += "\n" + json.dumps({"custom_id": "lacks", "params": {"prompt": "\n\nHuman: y\n\nAssistant:"}}) + "\n"
    result = run(mock_api, "--max-tokens-to-sample", "8", input=lines)
    assert result.returncode == 7, result.stderr
    outcome = {item["custom_id"]: item["result"] for item in results(result.stdout)}
    assert outcome["has"]["type"] == "succeeded"
    assert 'line 2: missing model: give --model or "model" in the line' in outcome["lacks"]["error"]["error"]["message"]


def test_a_problem_with_a_line_s_value_names_the_line_s_key(mock_api):
    lines = json.dumps({"prompt": "\n\nHuman: x\n\nAssistant:", "max_tokens_to_sample": 0}) + "\n"
    lines += json.dumps({"prompt": "\n\nHuman: y\n\nAssistant:", "temperature": 1.5}) + "\n"
    result = run(mock_api, "--model", MODEL, "--max-tokens-to-sample", "8", "--top-k", "3", input=lines)
    assert result.returncode == 7, result.stderr
    first, second = (item["result"]["error"]["error"]["message"] for item in results(result.stdout))
    assert first == "line 1: max_tokens_to_sample must be an integer >= 1, got 0"
    assert second.startswith("line 2: temperature must be a number from 0 to 1")


def test_an_output_that_is_the_input_says_so_first(mock_api, tmp_path):
    prompts_file = tmp_path / "prompts.jsonl"
    prompts_file.write_text(prompts(2))
    result = run(mock_api, "--model", MODEL, "--max-tokens-to-sample", "8", prompts_file, "-o", prompts_file)
    assert result.returncode == 2
    assert "is the batch input" in result.stderr and "already exists" not in result.stderr
    assert prompts_file.read_text() == prompts(2) and mock_api.requests == []


def test_a_bad_option_value_is_one_usage_error_before_sending(mock_api):
    """An option gives every line its value, so a bad one is refused once, as create refuses it."""
    for option in (["--top-k", "-1"], ["--temperature", "2"], ["--prompt", "no turns"]):
        result = run(mock_api, "--model", MODEL, "--max-tokens-to-sample", "8", *option, input=prompts(3))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"ant: error: {option[0]} ") and result.stdout == ""
    assert mock_api.requests == []
