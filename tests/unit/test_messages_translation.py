"""Unit tests of `--via messages`: a completion body as a `/v1/messages` body, a Message and its stream
events as completions, and the hints added to the errors of either API."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ant_cli.client.apis import (
    CompleteApi,
    CompletionEvents,
    MessageEvents,
    MessagesApi,
    adapter_for,
    completion_of_message,
)
from ant_cli.core.errors import ApiError, UsageError
from ant_cli.core.types import Api, Settings
from ant_cli.request.build import build_request
from ant_cli.request.messages import messages_body, split_prompt

MODEL = "claude-haiku-4-5"


def body(prompt: str, **extra) -> dict:
    return {"model": MODEL, "prompt": prompt, "max_tokens_to_sample": 64, **extra}


@pytest.mark.parametrize("prompt, system, messages", [
    # the usual prompt: one Human turn, the empty final Assistant turn dropped
    ("\n\nHuman: Hello there\n\nAssistant:", "", [{"role": "user", "content": "Hello there"}]),
    # a system prompt before the first Human turn, trimmed
    ("You are terse.\n\nHuman: Hi\n\nAssistant:", "You are terse.", [{"role": "user", "content": "Hi"}]),
    ("   \n\nHuman: Hi\n\nAssistant:", "", [{"role": "user", "content": "Hi"}]),
    # a conversation: each turn its message, in order
    ("\n\nHuman: A\n\nAssistant: B\n\nHuman: C\n\nAssistant:", "",
     [{"role": "user", "content": "A"}, {"role": "assistant", "content": "B"}, {"role": "user", "content": "C"}]),
    # a prefill: the text after the final Assistant marker, trailing white space removed
    ("\n\nHuman: Count\n\nAssistant: One, two, ", "",
     [{"role": "user", "content": "Count"}, {"role": "assistant", "content": "One, two,"}]),
    # turns of one role in a row are joined; empty turns are dropped
    ("\n\nHuman: A\n\nHuman: B\n\nAssistant:   \n\nHuman: C\n\nAssistant:", "",
     [{"role": "user", "content": "A\n\nB\n\nC"}]),
    # a leading bare "Human:" is read as the API reads it
    ("Human: Hi\n\nAssistant:", "", [{"role": "user", "content": "Hi"}]),
    # text inside a turn keeps its own line breaks
    ("\n\nHuman: line one\nline two\n\n\nAssistant:", "", [{"role": "user", "content": "line one\nline two"}]),
    # without turns (--no-prompt-check): the whole prompt is one user message
    ("Just a question", "", [{"role": "user", "content": "Just a question"}]),
    # no Human turn but an Assistant one (--no-prompt-check): the leading text is the question
    ("Question\n\nAssistant: Answer", "",
     [{"role": "user", "content": "Question"}, {"role": "assistant", "content": "Answer"}]),
])
def test_each_prompt_shape_splits_into_system_and_messages(prompt, system, messages):
    assert split_prompt(prompt) == (system, messages)


def test_parameters_keep_their_names_and_max_tokens_is_renamed():
    completion = body("\n\nHuman: Hi\n\nAssistant:", stop_sequences=["\n\nHuman:"], temperature=0.2, top_k=5,
                      top_p=0.9, metadata={"user_id": "u"}, stream=True)
    assert messages_body(completion) == {
        "model": MODEL, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 64,
        "stop_sequences": ["\n\nHuman:"], "temperature": 0.2, "top_k": 5, "top_p": 0.9,
        "metadata": {"user_id": "u"}, "stream": True}


def test_a_system_prompt_is_sent_and_keys_that_are_not_completion_parameters_pass_through():
    translated = messages_body(body("Be brief.\n\nHuman: Hi\n\nAssistant:", thinking={"type": "disabled"},
                                    metadata=None))
    assert translated["system"] == "Be brief."
    assert translated["thinking"] == {"type": "disabled"}
    assert translated["metadata"] is None  # null is omission on /v1/messages, sent as given
    assert not {"prompt", "max_tokens_to_sample"} & set(translated)


@pytest.mark.parametrize("prompt", [
    "\n\nHuman:   \n\nAssistant:",
    "Be terse.\n\nHuman: \n\nAssistant:",  # a system prompt is not the question
    "\n\nAssistant: hello",  # --no-prompt-check: an Assistant turn alone
])
def test_a_prompt_with_no_human_text_is_a_usage_error(prompt):
    with pytest.raises(UsageError, match="no text to answer"):
        messages_body(body(prompt))


def test_an_empty_last_human_turn_never_turns_an_earlier_reply_into_a_prefill():
    with pytest.raises(UsageError, match="last Human turn is empty"):
        messages_body(body("\n\nHuman: a\n\nAssistant: b\n\nHuman:\n\nAssistant:"))
    # text after the final Assistant marker is the prefill the prompt wrote
    assert split_prompt("\n\nHuman: a\n\nAssistant: b\n\nHuman:\n\nAssistant: c")[1][-1] == {
        "role": "assistant", "content": "b\n\nc"}


@given(st.lists(st.tuples(st.sampled_from(["Human", "Assistant"]), st.text(alphabet="ab \n", max_size=8)),
                max_size=6))
def test_any_prompt_gives_alternating_non_empty_turns(turns):
    prompt = "".join(f"\n\n{role}: {text}" for role, text in turns)
    try:
        _, messages = split_prompt(prompt)
    except UsageError as refusal:  # nothing to answer, or a prefill the prompt did not write: said, not sent
        assert "no text to answer" in str(refusal) or "last Human turn is empty" in str(refusal)
        return
    assert all(message["content"] == message["content"].strip() for message in messages)
    assert all(a["role"] != b["role"] for a, b in zip(messages, messages[1:], strict=False))
    assert any(message["role"] == "user" for message in messages)
    assert all(message["content"] for message in messages[1:])


def test_the_request_goes_to_the_endpoint_that_via_names():
    completion = body("\n\nHuman: Hi\n\nAssistant:")
    complete = build_request(dict(completion), [], Settings(api_key="k", base_url="http://127.0.0.1:9"))
    messages = build_request(dict(completion), ["b-1"], Settings(api_key="k", base_url="http://127.0.0.1:9",
                                                                 via=Api.MESSAGES))
    assert (complete.url, complete.body) == ("http://127.0.0.1:9/v1/complete", completion)
    assert messages.url == "http://127.0.0.1:9/v1/messages"
    assert messages.body["messages"] == [{"role": "user", "content": "Hi"}]
    assert messages.headers["anthropic-beta"] == "b-1"
    assert messages.headers["anthropic-version"] == complete.headers["anthropic-version"]


MESSAGE = {"id": "msg_1", "type": "message", "role": "assistant", "model": MODEL,
           "content": [{"type": "thinking", "thinking": "", "signature": "s"}, {"type": "text", "text": "Hello"},
                       {"type": "text", "text": " again"}],
           "stop_reason": "end_turn", "stop_sequence": None, "usage": {"input_tokens": 3, "output_tokens": 2}}


def test_a_message_is_a_completion_of_its_text_blocks():
    assert completion_of_message(MESSAGE) == {
        "type": "completion", "id": "msg_1", "completion": "Hello again", "stop_reason": "stop_sequence",
        "stop": None, "model": MODEL, "usage": {"input_tokens": 3, "output_tokens": 2}}


@pytest.mark.parametrize("reason, mapped", [
    ("end_turn", "stop_sequence"), ("stop_sequence", "stop_sequence"), ("max_tokens", "max_tokens"),
    ("model_context_window_exceeded", "max_tokens"), ("refusal", "refusal"), ("pause_turn", "pause_turn"),
])
def test_stop_reasons_are_told_in_completion_words(reason, mapped):
    assert completion_of_message(dict(MESSAGE, stop_reason=reason))["stop_reason"] == mapped


def test_the_matched_stop_sequence_is_the_stop():
    assert completion_of_message(dict(MESSAGE, stop_reason="stop_sequence", stop_sequence="ZZ"))["stop"] == "ZZ"


@pytest.mark.parametrize("document", [{"type": "completion", "completion": "x"}, {"type": "message"},
                                      {"type": "message", "content": "text"}])
def test_a_document_that_is_not_a_message_has_no_completion(document):
    assert completion_of_message(document) is None


def translate(events):
    reader = MessageEvents()
    names, documents = [name for name, _ in events], [document for _, document in events]
    return [completion for completion, _ in reader.completions(names, documents)]


STREAM = [
    ("message_start", {"type": "message_start", "message": dict(MESSAGE, content=[], stop_reason=None,
                                                                usage={"input_tokens": 3, "output_tokens": 1})}),
    ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text"}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0,
                             "delta": {"type": "thinking_delta", "thinking": "hm"}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}),
    ("content_block_stop", {"type": "content_block_stop", "index": 0}),
    ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "stop_sequence", "stop_sequence": "ZZ"},
                       "usage": {"output_tokens": 2}}),
    ("message_stop", {"type": "message_stop"}),
]


def test_stream_events_become_one_completion_event_per_text_delta_and_a_final_one():
    events = translate(STREAM)
    completions = [event for event in events if event is not None]
    assert [event["completion"] for event in completions] == ["Hi", "!", ""]
    assert [event["stop_reason"] for event in completions] == [None, None, "stop_sequence"]
    assert {event["id"] for event in completions} == {"msg_1"}
    assert {event["model"] for event in completions} == {MODEL}
    assert completions[-1]["stop"] == "ZZ"
    assert completions[-1]["usage"] == {"input_tokens": 3, "output_tokens": 2}  # cumulative counts kept


def test_a_message_delta_without_a_stop_reason_has_no_completion_event():
    assert translate([("message_delta", {"type": "message_delta", "delta": {"stop_reason": None}})]) == [None]


def test_the_complete_api_reads_completion_events_as_they_are():
    reader = CompletionEvents()
    assert reader.names == {"completion"} and reader.completion_lines(["completion"], ["{}"]) == (["{}"], None)
    assert reader.completions(["completion"], [{"completion": "x"}]) == [({"completion": "x"}, None)]
    assert isinstance(adapter_for(Api.COMPLETE), CompleteApi)
    assert isinstance(adapter_for(Api.MESSAGES), MessagesApi)


def api_error(status: int, message: str) -> ApiError:
    return ApiError(f"{status} invalid_request_error: {message}", status)


@pytest.mark.parametrize("status, message, request_body, expected", [
    (404, "model: claude-2.1", {"model": "claude-2.1"}, "claude-2.1 was retired on 2025-07-21"),
    (404, "model: claude-nonesuch", {"model": "claude-nonesuch"}, "does not know claude-nonesuch"),
    (400, "This model does not support assistant message prefill. The conversation must end with a user message.",
     {}, "refuses a prefill"),
    (400, "`temperature` is deprecated for this model.", {"temperature": 0.5, "top_k": 3},
     "remove --temperature and --top-k"),
    (400, "`temperature` and `top_p` cannot both be specified for this model. Please use only one.", {},
     "not both"),
    (400, "max_tokens: 128001 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5",
     {}, "at most 64000 tokens: lower --max-tokens-to-sample"),
])
def test_the_messages_api_hints_at_what_to_change(status, message, request_body, expected):
    assert expected in MessagesApi().hint(api_error(status, message), request_body)


def test_other_messages_errors_have_no_hint():
    assert MessagesApi().hint(api_error(400, "max_tokens: Field required"), {}) is None
    assert MessagesApi().hint(api_error(529, "Overloaded"), {}) is None


def test_the_complete_api_points_a_current_model_to_via_messages():
    refusal = api_error(400, "\"claude-sonnet-5\" is not supported on this API. Please use the Messages API instead.")
    assert "--via messages" in CompleteApi().hint(refusal, {})
    assert CompleteApi().hint(api_error(404, "model: x"), {}) is None


def started_reader(message_id: str = "msg_1", model: str = MODEL) -> MessageEvents:
    reader = MessageEvents()
    reader.completions(["message_start"], [{"type": "message_start",
                                            "message": dict(MESSAGE, id=message_id, model=model)}])
    return reader


@given(st.lists(st.text(max_size=12), min_size=1, max_size=8), st.text(alphabet='ab\\"\u00e9\n', max_size=4))
def test_each_text_delta_comes_with_its_completion_s_json_text(texts, odd):
    # any text (quotes, backslashes, control characters, non-ASCII), and an id and model that need escaping
    reader = started_reader("msg_" + odd, MODEL + odd)
    documents = [{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}}
                 for text in texts]
    found = reader.completions(["content_block_delta"] * len(texts), documents)
    assert [completion["completion"] for completion, _ in found] == texts
    assert [json.loads(line) for _, line in found] == [completion for completion, _ in found]
    assert all("\n" not in line for _, line in found)  # one line each, whatever the text


def test_other_events_have_no_json_text_at_hand():
    reader = started_reader()
    found = reader.completions(["content_block_delta", "message_delta"], [
        {"type": "content_block_delta", "delta": {"type": "thinking_delta", "thinking": "hm"}},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn"}}])
    assert found[0] == (None, None)
    assert found[1][0]["stop_reason"] == "stop_sequence" and found[1][1] is None


@given(st.lists(st.text(max_size=12), min_size=1, max_size=8), st.sampled_from([0, 1, 12]), st.booleans(),
       st.text(alphabet='ab\\"\u00e9\n', max_size=4))
def test_a_read_of_text_deltas_rewritten_at_once_equals_the_event_by_event_translation(texts, index, ascii_only,
                                                                                       odd):
    # any text (quotes, braces, backslashes, control characters, non-ASCII as itself or escaped), a block
    # index of any width, and an id and model that need escaping
    documents = [{"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": text}}
                 for text in texts]
    datas = [json.dumps(document, ensure_ascii=ascii_only) for document in documents]
    names = ["content_block_delta"] * len(texts)
    found = started_reader("msg_" + odd, MODEL + odd).completion_lines(names, datas)
    assert found is not None
    lines, completions = found
    expected = started_reader("msg_" + odd, MODEL + odd).completions(names, documents)
    assert completions == [completion for completion, _ in expected]
    assert [json.loads(line) for line in lines] == completions
    assert all("\n" not in line for line in lines)  # the text's string as the API escaped it: still one line


@pytest.mark.parametrize("names, datas", [
    (["content_block_delta", "message_delta"],
     ['{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "a"}}',
      '{"type": "message_delta", "delta": {}}']),
    (["content_block_delta"],  # another key order: read by the general rules
     ['{"type": "content_block_delta", "delta": {"type": "text_delta", "text": "a"}, "index": 0}']),
    (["content_block_delta"],  # another spelling
     ['{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}']),
    (["content_block_delta"],  # a key beside the text
     ['{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "a", "x": 1}}']),
    (["content_block_delta", "content_block_delta"],  # two blocks in one read
     ['{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "a"}}',
      '{"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "b"}}']),
    (["content_block_delta"],
     ['{"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "hm"}}']),
])
def test_any_other_read_takes_the_general_way(names, datas):
    assert started_reader().completion_lines(names, datas) is None


def test_no_read_is_rewritten_before_message_start_gives_the_id():
    data = '{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "a"}}'
    assert MessageEvents().completion_lines(["content_block_delta"], [data]) is None
