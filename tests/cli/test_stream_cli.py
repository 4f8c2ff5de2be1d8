"""Streaming through the real entry point with `responses` serving SSE bodies: each format, errors, limits.

A read that carries several SSE events, one of them undecodable: the good ones before it still print.
"""

import json

import pytest
import responses

from tests.helpers import BASIC, run_ant

URL = "https://api.anthropic.com/v1/complete"


def sse(*events):
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def delta(text, stop=None):
    return ("completion", {"type": "completion", "id": "compl_1", "completion": text, "stop_reason": stop,
                           "model": "m"})


WHOLE = sse(delta(" Hello"), ("ping", {"type": "ping"}), delta(" world"), ("mystery", {"x": 1}),
            delta("", "max_tokens"))


def serve(body):
    responses.post(URL, body=body, headers={"request-id": "req_s", "content-type": "text/event-stream"})


def stream(*extra):
    return run_ant(BASIC + ["--stream", *extra])


@responses.activate
def test_stream_flag_sends_stream_true():
    serve(WHOLE)
    assert stream("--format", "text").code == 0
    assert json.loads(responses.calls[0].request.body)["stream"] is True
    assert responses.calls[0].request.headers["accept"] == "text/event-stream"


@responses.activate
def test_text_is_the_deltas_then_one_newline():
    serve(WHOLE)
    result = stream("--format", "text")
    assert (result.code, result.stdout, result.stderr) == (0, " Hello world\n", "")


@responses.activate
def test_jsonl_and_raw_are_one_line_per_completion_event():
    serve(WHOLE)
    lines = stream("--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["completion"] for line in lines] == [" Hello", " world", ""]
    serve(WHOLE)
    raw = stream("--format", "raw").stdout.splitlines()
    assert raw[0] == json.dumps(delta(" Hello")[1])


@responses.activate
def test_auto_in_a_pipe_is_jsonl():
    serve(WHOLE)
    assert len(stream().stdout.splitlines()) == 3


@responses.activate
def test_json_is_one_indented_object_per_event():
    serve(WHOLE)
    decoder, text, objects = json.JSONDecoder(), stream("--format", "json").stdout, []
    while text.strip():
        value, end = decoder.raw_decode(text.lstrip())
        objects.append(value)
        text = text.lstrip()[end:]
    assert [item["completion"] for item in objects] == [" Hello", " world", ""]


@responses.activate
def test_yaml_documents_are_separated():
    import yaml

    serve(WHOLE)
    documents = list(yaml.safe_load_all(stream("--format", "yaml").stdout))
    assert [item["completion"] for item in documents] == [" Hello", " world", ""]


@responses.activate
def test_transform_and_raw_output_apply_per_event():
    serve(WHOLE)
    assert stream("--transform", "completion", "-r", "--format", "jsonl").stdout == " Hello\n world\n\n"


@responses.activate
def test_text_with_transform_adds_nothing_between_chunks():
    serve(WHOLE)
    assert stream("--format", "text", "--transform", "completion").stdout == " Hello world\n"
    serve(WHOLE)
    assert stream("--format", "text", "--transform", "stop_reason").stdout == "max_tokens\n"


@responses.activate
def test_max_items_stops_after_n_events():
    serve(WHOLE)
    result = stream("--format", "jsonl", "--max-items", "2")
    assert result.code == 0 and len(result.stdout.splitlines()) == 2
    serve(WHOLE)
    assert stream("--format", "text", "--max-items", "0").stdout == ""


@responses.activate
@pytest.mark.parametrize("shape", [{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
                                   {"error": {"type": "overloaded_error", "message": "Overloaded"}}])
def test_error_event_keeps_output_ends_the_line_and_exits_5(shape):
    serve(sse(delta(" partial"), ("error", shape)))
    result = stream("--format", "text")
    assert result.code == 5
    assert result.stdout == " partial\n"
    assert result.stderr == "ant: error: error in the stream: overloaded_error: Overloaded (request-id req_s)\n"


@responses.activate
def test_stream_without_final_event_is_cut_short_exit_3():
    serve(sse(delta(" one"), delta(" two")))
    result = stream("--format", "text")
    assert result.code == 3
    assert result.stdout == " one two\n"
    assert "cut short after 2 events" in result.stderr


@responses.activate
def test_error_before_the_stream_is_a_normal_api_error():
    responses.post(URL, status=404, json={"type": "error", "error": {"type": "not_found_error", "message": "model: m"}})
    result = stream()
    assert result.code == 4 and result.stdout == ""


def test_negative_max_items_other_than_minus_one_is_a_usage_error():
    assert run_ant(BASIC + ["--stream", "--max-items", "-2"]).code == 2


@responses.activate
def test_max_items_without_stream_warns():
    responses.post(URL, json={"completion": "x"})
    result = run_ant(BASIC + ["--max-items", "3"])
    assert result.code == 0 and result.stderr == "ant: warning: --max-items has no effect without --stream\n"


@responses.activate
def test_piped_stream_true_streams():
    serve(WHOLE)
    result = run_ant(["completions", "create", "--format", "text"],
                     input=json.dumps({"model": "m", "max_tokens_to_sample": 5, "stream": True,
                                       "prompt": "\n\nHuman: x\n\nAssistant:"}))
    assert result.stdout == " Hello world\n"


@responses.activate
def test_an_event_whose_data_spans_several_lines_is_one_json_line_in_jsonl():
    # SSE joins an event's several `data:` lines with a newline; the JSON is still one object per event.
    split = 'event: completion\ndata: {"type": "completion", "id": "compl_1",\ndata: "completion": " Hi",' \
            ' "stop_reason": null, "model": "m"}\n\n'
    serve(split + sse(delta("", "max_tokens")))
    lines = stream("--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["completion"] for line in lines] == [" Hi", ""]
    serve(split + sse(delta("", "max_tokens")))
    raw = stream("--format", "raw").stdout.splitlines()
    assert raw[:2] == ['{"type": "completion", "id": "compl_1",',
                       '"completion": " Hi", "stop_reason": null, "model": "m"}']


def event(text: str) -> str:
    data = {"type": "completion", "completion": text, "stop_reason": None, "model": "m"}
    return f"event: completion\ndata: {json.dumps(data)}\n\n"


# One body, so `responses` hands it over in a single read: three good events, a bad one, one more good one.
ONE_READ = event(" one") + event(" two") + event(" three") + "event: completion\ndata:\n\n" + event(" lost")


def stream_one_read(fmt: str):
    responses.post(URL, body=ONE_READ, headers={"request-id": "req_s", "content-type": "text/event-stream"})
    return run_ant(BASIC + ["--stream", "--format", fmt])


@responses.activate
def test_text_prints_every_event_before_an_empty_data_event_then_the_error_exit_5():
    result = stream_one_read("text")
    assert (result.code, result.stdout) == (5, " one two three\n")
    assert result.stderr == "ant: error: the stream sent a completion event that is not a JSON object: ''\n"


@responses.activate
def test_jsonl_prints_the_good_events_in_order_and_not_the_one_after_the_bad_one():
    result = stream_one_read("jsonl")
    assert result.code == 5
    assert [json.loads(line)["completion"] for line in result.stdout.splitlines()] == [" one", " two", " three"]


@responses.activate
def test_a_stream_answered_with_a_whole_json_body_is_unusable_and_not_sent_again():
    """A proxy that drops `stream`: read as events it would look like a cut stream and be paid for again."""
    responses.post(URL, json={"type": "completion", "completion": " whole", "stop_reason": "stop_sequence"})
    result = stream("--format", "text")
    assert result.code == 5 and len(responses.calls) == 1
    assert "the server sent JSON that is not an event stream" in result.stderr
