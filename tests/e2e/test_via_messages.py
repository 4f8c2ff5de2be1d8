"""End-to-end: `--via messages` with the installed `ant` against the mock's `/v1/messages`, as it works today.

What the mock received shows the request translation; what `ant` printed shows the answer translated back.
"""

import json
import os
import shutil
import subprocess

import pytest

from tests.helpers import ANT, KEY, run_installed

MODEL = "claude-haiku-4-5"  # current, and it still takes a prefill and sampling parameters


def create(mock_api, prompt="\n\nHuman: Hello there\n\nAssistant:", *extra, model=MODEL, tokens="64", env=None):
    return run_installed(["completions", "create", "--base-url", mock_api.url, "--via", "messages", "--model", model,
                          "--max-tokens-to-sample", tokens, "--prompt", prompt, *extra], env=env)


def last_body(mock_api) -> dict:
    request = mock_api.requests[-1]
    assert request["path"] == "/v1/messages"
    return json.loads(request["body"])


@pytest.mark.parametrize("prompt, system, messages", [
    ("\n\nHuman: Hello there\n\nAssistant:", None, [{"role": "user", "content": "Hello there"}]),
    ("Be brief.\n\nHuman: Hi\n\nAssistant:", "Be brief.", [{"role": "user", "content": "Hi"}]),
    ("\n\nHuman: A\n\nAssistant: B\n\nHuman: C\n\nAssistant:", None,
     [{"role": "user", "content": "A"}, {"role": "assistant", "content": "B"}, {"role": "user", "content": "C"}]),
    ("\n\nHuman: Count\n\nAssistant: One, two, ", None,
     [{"role": "user", "content": "Count"}, {"role": "assistant", "content": "One, two,"}]),
    ("\n\nHuman: A\n\nHuman: B\n\nAssistant:  \n\nHuman: C\n\nAssistant:", None,
     [{"role": "user", "content": "A\n\nB\n\nC"}]),
])
def test_each_prompt_shape_reaches_the_messages_api_and_is_answered(mock_api, prompt, system, messages):
    result = create(mock_api, prompt, "--format", "json")
    assert result.returncode == 0, result.stderr
    body = last_body(mock_api)
    assert body.get("system") == system and body["messages"] == messages
    assert body["max_tokens"] == 64 and "prompt" not in body and "max_tokens_to_sample" not in body
    completion = json.loads(result.stdout)
    assert completion["type"] == "completion" and completion["id"].startswith("msg_")
    assert completion["model"] == MODEL and "Hello! You said:" in completion["completion"]


def test_a_prompt_without_turns_is_one_user_message_with_no_prompt_check(mock_api):
    result = create(mock_api, "Just a question", "--no-prompt-check", "--format", "text")
    assert result.returncode == 0, result.stderr
    assert last_body(mock_api)["messages"] == [{"role": "user", "content": "Just a question"}]
    assert result.stdout == "Hello! You said: Just a question\n"


@pytest.mark.parametrize("extra, tokens, reason, stop", [
    ([], "64", "stop_sequence", None),                               # end_turn
    (["--stop-sequence", "said"], "64", "stop_sequence", "said"),    # a stop sequence matched
    ([], "2", "max_tokens", None),                                   # cut by max_tokens
])
def test_each_stop_reason_in_completion_words(mock_api, extra, tokens, reason, stop):
    result = create(mock_api, "\n\nHuman: Hello there\n\nAssistant:", *extra, "--format", "json", tokens=tokens)
    completion = json.loads(result.stdout)
    assert (completion["stop_reason"], completion["stop"]) == (reason, stop)
    assert completion["usage"]["output_tokens"] >= 1 and completion["usage"]["input_tokens"] >= 1
    streamed = create(mock_api, "\n\nHuman: Hello there\n\nAssistant:", *extra, "--stream", "--format", "jsonl",
                      tokens=tokens)
    events = [json.loads(line) for line in streamed.stdout.splitlines()]
    assert "".join(event["completion"] for event in events) == completion["completion"]
    assert (events[-1]["stop_reason"], events[-1]["stop"]) == (reason, stop)
    assert all(event["stop_reason"] is None for event in events[:-1])


@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml", "text", "pretty", "raw"])
def test_every_format_whole_and_streamed(mock_api, fmt):
    whole = create(mock_api, "\n\nHuman: Hello there\n\nAssistant:", "--format", fmt)
    streamed = create(mock_api, "\n\nHuman: Hello there\n\nAssistant:", "--format", fmt, "--stream")
    assert whole.returncode == streamed.returncode == 0, whole.stderr + streamed.stderr
    if fmt == "raw":  # the Messages API's own body and events, as received
        assert json.loads(whole.stdout)["type"] == "message"
        types = [json.loads(line)["type"] for line in streamed.stdout.splitlines()]
        assert types[0] == "message_start" and types[-1] == "message_stop" and "ping" not in types
    elif fmt == "text":
        assert whole.stdout == streamed.stdout == "Hello! You said: Hello there\n"
    elif fmt == "pretty":
        assert "Hello! You said: Hello there" in whole.stdout and "stop: stop_sequence" in whole.stdout
        assert streamed.stdout.startswith("Hello! You said: Hello there") and "stop: stop_sequence" in streamed.stdout
    else:
        assert "Hello! You said: Hello there" in whole.stdout
        assert "stop_sequence" in streamed.stdout and "message_start" not in streamed.stdout


def test_transform_max_items_and_the_variable(mock_api):
    result = create(mock_api, "\n\nHuman: Hello there\n\nAssistant:", "--transform", "{completion,stop_reason}",
                    "--format", "jsonl")
    assert json.loads(result.stdout) == {"completion": "Hello! You said: Hello there", "stop_reason": "stop_sequence"}
    limited = create(mock_api, "\n\nHuman: Hello there\n\nAssistant:", "--stream", "--max-items", "2",
                     "--format", "jsonl")
    assert [json.loads(line)["completion"] for line in limited.stdout.splitlines()] == ["Hello!", " You"]
    by_variable = run_installed(["completions", "create", "--base-url", mock_api.url, "--model", MODEL,
                                 "--max-tokens-to-sample", "8", "--prompt", "\n\nHuman: Hi\n\nAssistant:",
                                 "--format", "text"], env={"ANT_VIA": "messages"})
    assert by_variable.returncode == 0 and mock_api.requests[-1]["path"] == "/v1/messages"


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_a_completions_script_runs_unchanged_on_a_current_model(mock_api):
    env = dict(os.environ, ANTHROPIC_API_KEY=KEY, ANTHROPIC_BASE_URL=mock_api.url, ANT_VIA="messages")
    script = f'"{ANT}" completions create --model claude-sonnet-5 --max-tokens-to-sample 16 ' \
             "--prompt $'\\n\\nHuman: pipe me\\n\\nAssistant:' | jq -r '.completion, .stop_reason'"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", script], env=env, capture_output=True, text=True,
                            timeout=30)
    assert (result.returncode, result.stdout) == (0, "Hello! You said: pipe me\nstop_sequence\n"), result.stderr


def test_dry_run_and_curl_show_the_messages_request_and_send_nothing(mock_api):
    dry = create(mock_api, "Sys\n\nHuman: Hi\n\nAssistant:", "--dry-run", "--format", "json")
    request = json.loads(dry.stdout)
    assert request["url"] == mock_api.url + "/v1/messages"
    assert request["body"]["system"] == "Sys" and request["headers"]["x-api-key"] == "<redacted>"
    curl = create(mock_api, "\n\nHuman: Hi\n\nAssistant:", "--curl")
    assert "/v1/messages" in curl.stdout and KEY not in curl.stdout
    assert mock_api.requests == []


def hint_of(result) -> str:
    lines = result.stderr.splitlines()
    assert lines[-2].startswith("ant: error: ") and lines[-1].startswith("ant: hint: "), result.stderr
    return lines[-1]


def test_a_retired_model_is_the_api_s_404_with_a_hint(mock_api):
    result = create(mock_api, model="claude-2.1")
    assert result.returncode == 4 and "404 not_found_error: model: claude-2.1" in result.stderr
    assert hint_of(result) == ("ant: hint: claude-2.1 was retired on 2025-07-21; use a current model, "
                               "e.g. --model claude-haiku-4-5")


@pytest.mark.parametrize("model, extra, error, hint", [
    ("claude-sonnet-5", ["--prompt", "\n\nHuman: Count\n\nAssistant: One,"], "does not support assistant message "
     "prefill", 'refuses a prefill: end the prompt with an empty "\\n\\nAssistant:" turn'),
    ("claude-opus-4-7", ["--temperature", "0.5"], "`temperature` is deprecated for this model",
     "takes no sampling parameters: remove --temperature"),
    ("claude-haiku-4-5", ["--temperature", "0.5", "--top-p", "0.9"], "cannot both be specified",
     "takes --temperature or --top-p, not both"),
    ("claude-haiku-4-5", ["--max-tokens-to-sample", "64001"], "maximum allowed number of output tokens",
     "writes at most 64000 tokens"),
])
def test_a_model_s_refusal_is_shown_as_the_api_says_it_with_one_hint(mock_api, model, extra, error, hint):
    result = create(mock_api, "\n\nHuman: Count\n\nAssistant:", *extra, model=model)
    assert result.returncode == 4 and error in result.stderr
    assert hint in hint_of(result)
    assert result.stdout == ""


def test_via_complete_points_a_current_model_to_via_messages(mock_api):
    result = run_installed(["completions", "create", "--base-url", mock_api.url, "--model", "claude-sonnet-5",
                            "--max-tokens-to-sample", "8", "--prompt", "\n\nHuman: Hi\n\nAssistant:"])
    assert result.returncode == 4 and "not supported on this API" in result.stderr
    assert "--via messages" in hint_of(result)


def test_a_batch_via_messages(mock_api, tmp_path):
    lines = tmp_path / "in.jsonl"
    lines.write_text("".join(json.dumps({"custom_id": f"q-{n}", "params": {"prompt": f"\n\nHuman: q{n}\n\nAssistant:"}})
                             + "\n" for n in range(1, 6)))
    out = tmp_path / "out.jsonl"
    result = run_installed(["completions", "batch", str(lines), "--base-url", mock_api.url, "--via", "messages",
                            "--model", MODEL, "--max-tokens-to-sample", "16", "-o", str(out), "--parallel", "3"])
    assert result.returncode == 0, result.stderr
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["custom_id"] for line in results] == [f"q-{n}" for n in range(1, 6)]
    assert [line["result"]["completion"]["completion"] for line in results] == [
        f"Hello! You said: q{n}" for n in range(1, 6)]
    assert {request["path"] for request in mock_api.requests} == {"/v1/messages"}


def test_a_cut_stream_that_printed_messages_events_is_not_sent_again(mock_api):
    """raw prints message_start before any text: a retry would print a second message's events after it."""
    mock_api.script({"cut_after": 0})
    raw = create(mock_api, "\n\nHuman: Hi\n\nAssistant:", "--stream", "--format", "raw")
    assert raw.returncode == 3 and "cut short" in raw.stderr
    assert [json.loads(line)["type"] for line in raw.stdout.splitlines()].count("message_start") == 1
    assert len(mock_api.requests) == 1
    mock_api.script({"cut_after": 0})
    text = create(mock_api, "\n\nHuman: Hi\n\nAssistant:", "--stream", "--format", "text")
    assert text.returncode == 0 and text.stdout == "Hello! You said: Hi\n"  # nothing printed: sent again
    assert len(mock_api.requests) == 3


def test_a_batch_line_with_its_own_unknown_model_is_errored_and_the_batch_goes_on(mock_api, tmp_path):
    lines = [{"custom_id": "ok-1", "params": {"prompt": "\n\nHuman: a\n\nAssistant:"}},
             {"custom_id": "typo", "params": {"prompt": "\n\nHuman: b\n\nAssistant:", "model": "claude-haiku-4.5"}},
             {"custom_id": "ok-2", "params": {"prompt": "\n\nHuman: c\n\nAssistant:"}}]
    result = run_installed(["completions", "batch", "--base-url", mock_api.url, "--via", "messages", "--model", MODEL,
                            "--max-tokens-to-sample", "8", "--parallel", "1"],
                           input="".join(json.dumps(line) + "\n" for line in lines))
    assert result.returncode == 7, result.stderr
    outcome = {line["custom_id"]: line["result"] for line in map(json.loads, result.stdout.splitlines())}
    assert outcome["ok-1"]["type"] == outcome["ok-2"]["type"] == "succeeded"
    assert outcome["typo"]["error"]["error"] == {"type": "not_found_error", "message": "model: claude-haiku-4.5"}
    # the options' own model unknown: every line would fail, so the first 404 stops the batch
    stopped = run_installed(["completions", "batch", "--base-url", mock_api.url, "--via", "messages", "--model",
                             "claude-2.1", "--max-tokens-to-sample", "8", "--parallel", "1"],
                            input="".join(json.dumps(line) + "\n" for line in lines[:1] + lines[2:]))
    assert stopped.returncode == 4 and "ant: hint: claude-2.1 was retired" in stopped.stderr
