"""`--via messages` through the real entry point, with `responses` playing `/v1/messages`: the request
sent, the answer printed in the completion shape in every format, streams, hints and the variable."""

import json

import pytest
import responses

from tests.helpers import run_ant

URL = "https://api.anthropic.com/v1/messages"
MODEL = "claude-haiku-4-5"
PROMPT = "Be brief.\n\nHuman: Hello there\n\nAssistant:"
CREATE = ["completions", "create", "--model", MODEL, "--max-tokens-to-sample", "64", "--prompt", PROMPT]
MESSAGE = {"id": "msg_01", "type": "message", "role": "assistant", "model": MODEL,
           "content": [{"type": "text", "text": "Hi!"}], "stop_reason": "end_turn", "stop_sequence": None,
           "usage": {"input_tokens": 9, "output_tokens": 3}}


def sse(*events):
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def text_delta(text):
    return ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                    "delta": {"type": "text_delta", "text": text}})


STREAM = sse(
    ("message_start", {"type": "message_start", "message": dict(MESSAGE, content=[], stop_reason=None,
                                                                usage={"input_tokens": 9, "output_tokens": 1})}),
    ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
    ("ping", {"type": "ping"}),
    text_delta("Hello"), text_delta(" world"),
    ("content_block_stop", {"type": "content_block_stop", "index": 0}),
    ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "max_tokens", "stop_sequence": None},
                       "usage": {"output_tokens": 2}}),
    ("message_stop", {"type": "message_stop"}),
)


def serve_message(message=MESSAGE):
    responses.post(URL, json=message, headers={"request-id": "req_m"})


def serve_stream(body=STREAM):
    responses.post(URL, body=body, headers={"request-id": "req_s", "content-type": "text/event-stream"})


def sent() -> dict:
    return json.loads(responses.calls[-1].request.body)


@responses.activate
def test_the_request_is_translated_and_the_answer_printed_as_a_completion():
    serve_message()
    result = run_ant(CREATE + ["--via", "messages", "--format", "json", "--stop-sequence", "END",
                               "--temperature", "0.5", "--metadata.user-id", "u1"])
    assert result.code == 0, result.stderr
    assert responses.calls[0].request.url == URL
    assert sent() == {"model": MODEL, "system": "Be brief.", "messages": [{"role": "user", "content": "Hello there"}],
                      "max_tokens": 64, "stop_sequences": ["END"], "temperature": 0.5,
                      "metadata": {"user_id": "u1"}}
    assert json.loads(result.stdout) == {"type": "completion", "id": "msg_01", "completion": "Hi!",
                                         "stop_reason": "stop_sequence", "stop": None, "model": MODEL,
                                         "usage": {"input_tokens": 9, "output_tokens": 3}}


@responses.activate
def test_the_variable_sets_the_api_and_the_flag_wins():
    serve_message()
    assert run_ant(CREATE + ["--format", "text"], env={"ANT_VIA": "messages"}).stdout == "Hi!\n"
    assert responses.calls[-1].request.url == URL
    responses.post("https://api.anthropic.com/v1/complete",
                   json={"type": "completion", "completion": " old", "stop_reason": "stop_sequence", "model": "m"})
    result = run_ant(CREATE + ["--format", "text", "--via", "complete"], env={"ANT_VIA": "messages"})
    assert result.stdout == " old\n"


@pytest.mark.parametrize("fmt, check", [
    ("text", lambda out: out == "Hi!\n"),
    ("raw", lambda out: json.loads(out) == MESSAGE),  # the body exactly as the Messages API sent it
    ("jsonl", lambda out: json.loads(out)["completion"] == "Hi!" and out.count("\n") == 1),
    ("yaml", lambda out: "completion: Hi!" in out and "stop_reason: stop_sequence" in out),
    ("pretty", lambda out: "Hi!" in out and "stop: stop_sequence" in out and "msg_01" in out),
])
def test_every_format_shows_the_completion(fmt, check):
    with responses.RequestsMock() as mock:
        mock.post(URL, json=MESSAGE, headers={"request-id": "req_m"})
        result = run_ant(CREATE + ["--via", "messages", "--format", fmt])
    assert result.code == 0 and check(result.stdout), result.stdout


@responses.activate
def test_transform_and_raw_output_read_the_completion():
    serve_message()
    assert run_ant(CREATE + ["--via", "messages", "--transform", "completion", "-r"]).stdout == "Hi!\n"
    serve_message()
    assert run_ant(CREATE + ["--via", "messages", "--transform", "usage.output_tokens"]).stdout == "3\n"


@responses.activate
def test_a_stream_prints_one_completion_event_per_text_delta():
    serve_stream()
    result = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "jsonl"])
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert sent()["stream"] is True
    assert [event["completion"] for event in events] == ["Hello", " world", ""]
    assert [event["stop_reason"] for event in events] == [None, None, "max_tokens"]
    assert all(event["type"] == "completion" and event["id"] == "msg_01" for event in events)
    assert events[-1]["usage"] == {"input_tokens": 9, "output_tokens": 2}


@responses.activate
def test_a_stream_as_text_and_pretty():
    serve_stream()
    assert run_ant(CREATE + ["--via", "messages", "--stream", "--format", "text"]).stdout == "Hello world\n"
    serve_stream()
    pretty = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "pretty"]).stdout
    assert pretty.startswith("Hello world") and "stop: max_tokens" in pretty


@responses.activate
def test_a_raw_stream_is_the_messages_events_as_received():
    serve_stream()
    lines = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "raw"]).stdout.splitlines()
    assert [json.loads(line)["type"] for line in lines] == [
        "message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop"]


@responses.activate
def test_max_items_counts_completion_events():
    serve_stream()
    result = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "jsonl", "--max-items", "1"])
    assert [json.loads(line)["completion"] for line in result.stdout.splitlines()] == ["Hello"]
    serve_stream()
    raw = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "raw", "--max-items", "2"]).stdout
    assert [json.loads(line)["type"] for line in raw.splitlines()][-1] == "content_block_delta"


@responses.activate
def test_an_error_event_is_handled_as_on_complete():
    serve_stream(STREAM.split("event: content_block_stop")[0]
                 + sse(("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})))
    result = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "text"])
    assert result.code == 5
    assert result.stdout == "Hello world\n"
    assert "overloaded_error: Overloaded" in result.stderr


@responses.activate
def test_a_stream_without_its_final_event_is_cut_short():
    serve_stream(STREAM.split("event: message_delta")[0])
    result = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "text", "--max-retries", "0"])
    assert result.code == 3 and "cut short after 2 events" in result.stderr


@responses.activate
def test_a_200_that_is_not_a_message_is_malformed():
    responses.post(URL, json={"type": "completion", "completion": "x"})
    result = run_ant(CREATE + ["--via", "messages"])
    assert result.code == 5 and "not a message" in result.stderr


def test_dry_run_and_curl_show_the_messages_request():
    dry = run_ant(CREATE + ["--via", "messages", "--dry-run"])
    assert dry.code == 0 and dry.stdout.startswith(f"POST {URL}\n")
    assert '"max_tokens": 64' in dry.stdout and "max_tokens_to_sample" not in dry.stdout
    curl = run_ant(CREATE + ["--via", "messages", "--curl"])
    assert URL in curl.stdout and '"messages"' in curl.stdout and "sk-ant" not in curl.stdout


@responses.activate
def test_a_retired_model_gets_a_hint_naming_a_current_one():
    responses.post(URL, status=404, json={"type": "error", "error": {"type": "not_found_error",
                                                                      "message": "model: claude-2.1"}})
    result = run_ant(["completions", "create", "--via", "messages", "--model", "claude-2.1",
                      "--max-tokens-to-sample", "8", "--prompt", PROMPT])
    lines = result.stderr.splitlines()
    assert result.code == 4
    assert lines[-2] == "ant: error: 404 not_found_error: model: claude-2.1"
    assert lines[-1] == ("ant: hint: claude-2.1 was retired on 2025-07-21; use a current model, "
                         "e.g. --model claude-haiku-4-5")


@responses.activate
def test_a_hint_follows_an_error_body_shown_with_format_error():
    responses.post(URL, status=400, json={"type": "error", "error": {
        "type": "invalid_request_error", "message": "`temperature` is deprecated for this model."}})
    result = run_ant(CREATE + ["--via", "messages", "--temperature", "0.3", "--format-error", "json"])
    assert result.code == 4 and result.stdout == ""
    assert json.loads(result.stderr.split("ant: hint:")[0])["error"]["type"] == "invalid_request_error"
    assert result.stderr.splitlines()[-1] == "ant: hint: this model takes no sampling parameters: remove --temperature"


@responses.activate
def test_complete_points_a_messages_only_model_to_via_messages():
    responses.post("https://api.anthropic.com/v1/complete", status=400, json={"type": "error", "error": {
        "type": "invalid_request_error",
        "message": "\"claude-haiku-4-5\" is not supported on this API. Please use the Messages API instead."}})
    result = run_ant(CREATE)
    assert result.code == 4
    assert result.stderr.splitlines()[-1].startswith("ant: hint: this model is served by the Messages API only: "
                                                     "run the same command with --via messages")


def test_an_unknown_api_is_a_usage_error():
    result = run_ant(CREATE + ["--via", "chat"])
    assert result.code == 2 and "--via" in result.stderr


BATCH_LINES = "".join(json.dumps({"custom_id": f"q-{n}", "params": {"prompt": f"\n\nHuman: {n}\n\nAssistant:"}})
                      + "\n" for n in range(1, 4))
BATCH = ["completions", "batch", "--via", "messages", "--model", MODEL, "--max-tokens-to-sample", "8"]


@responses.activate
def test_batch_lines_are_translated_and_results_carry_the_completion():
    serve_message()
    result = run_ant(BATCH + ["--parallel", "2"], input=BATCH_LINES)
    assert result.code == 0, result.stderr
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["custom_id"] for line in results] == ["q-1", "q-2", "q-3"]
    assert results[0]["result"]["completion"]["completion"] == "Hi!"
    assert results[0]["result"]["completion"]["stop_reason"] == "stop_sequence"
    bodies = [json.loads(call.request.body) for call in responses.calls]
    assert sorted(body["messages"][0]["content"] for body in bodies) == ["1", "2", "3"]
    assert {call.request.url for call in responses.calls} == {URL}


@responses.activate
def test_a_batch_line_whose_human_turns_are_empty_is_errored_and_not_sent():
    serve_message()
    lines = BATCH_LINES + json.dumps({"custom_id": "empty", "params": {"prompt": "\n\nHuman: \n\nAssistant:"}}) + "\n"
    result = run_ant(BATCH, input=lines)
    assert result.code == 7
    last = json.loads(result.stdout.splitlines()[-1])
    assert last["custom_id"] == "empty" and "no text to answer" in last["result"]["error"]["error"]["message"]
    assert len(responses.calls) == 3


@responses.activate
def test_a_batch_stopped_by_a_retired_model_says_what_to_use():
    responses.post(URL, status=404, json={"type": "error", "error": {"type": "not_found_error",
                                                                      "message": "model: claude-2.1"}})
    result = run_ant(["completions", "batch", "--via", "messages", "--model", "claude-2.1",
                      "--max-tokens-to-sample", "8", "--parallel", "1"], input=BATCH_LINES)
    assert result.code == 4
    assert result.stderr.splitlines()[-1].startswith("ant: hint: claude-2.1 was retired on 2025-07-21")


def test_batch_dry_run_prints_the_messages_requests():
    result = run_ant(BATCH + ["--dry-run"], input=BATCH_LINES)
    requests = [json.loads(line)["request"] for line in result.stdout.splitlines()]
    assert {request["url"] for request in requests} == {URL}
    assert [request["body"]["messages"] for request in requests][0] == [{"role": "user", "content": "1"}]


@responses.activate
def test_a_piped_body_and_file_values_are_translated_and_other_keys_pass_through(tmp_path):
    serve_message()
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("\n\nHuman: from a file\n\nAssistant:")
    piped = json.dumps({"model": MODEL, "max_tokens_to_sample": 32, "thinking": {"type": "disabled"},
                        "anthropic-beta": "output-300k-2026-03-24"})
    result = run_ant(["completions", "create", "--via", "messages", "--prompt", f"@{prompt}"], input=piped)
    assert result.code == 0, result.stderr
    assert sent() == {"model": MODEL, "messages": [{"role": "user", "content": "from a file"}], "max_tokens": 32,
                      "thinking": {"type": "disabled"}}
    assert responses.calls[-1].request.headers["anthropic-beta"] == "output-300k-2026-03-24"


@responses.activate
def test_debug_logs_the_messages_request_and_its_events():
    serve_stream()
    result = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "text", "--debug"])
    assert f"> POST {URL}" in result.stderr
    assert "< event: message_start" in result.stderr and "< event: ping" in result.stderr
    assert result.stdout == "Hello world\n"


@responses.activate
def test_an_emoji_split_across_two_deltas_prints_in_every_stream_format():
    """Each delta then holds half of a surrogate pair: JSON may carry it as an escape, UTF-8 cannot hold it."""
    split = STREAM.replace('"text": "Hello"', '"text": "a\\ud83d"').replace('"text": " world"', '"text": "\\ude00b"')
    serve_stream(split)
    jsonl = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "jsonl"])
    assert jsonl.code == 0, jsonl.stderr
    assert "".join(json.loads(line)["completion"] for line in jsonl.stdout.splitlines()) == "a\ud83d\ude00b"
    serve_stream(split)
    text = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "text"])
    assert text.code == 0 and text.stdout.startswith("a")


@responses.activate
def test_an_error_event_after_max_items_is_not_read():
    serve_stream(STREAM.split("event: content_block_stop")[0]
                 + sse(("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})))
    result = run_ant(CREATE + ["--via", "messages", "--stream", "--format", "jsonl", "--max-items", "2"])
    assert result.code == 0, result.stderr
    assert [json.loads(line)["completion"] for line in result.stdout.splitlines()] == ["Hello", " world"]
