"""--transform with the GJSON syntax beyond plain paths, through the real entry point."""

import json

import responses

from tests.helpers import BASIC, COMPLETION, run_ant

URL = "https://api.anthropic.com/v1/complete"


@responses.activate
def test_a_multipath_selects_several_fields():
    responses.post(URL, json=COMPLETION)
    result = run_ant(BASIC + ["--format", "jsonl", "--transform", "{completion,stop_reason}"])
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout) == {"completion": COMPLETION["completion"], "stop_reason": "stop_sequence"}


@responses.activate
def test_a_modifier_and_a_pipe():
    responses.post(URL, json=COMPLETION)
    result = run_ant(BASIC + ["--format", "jsonl", "--transform", "@keys|0"])
    assert (result.code, result.stdout) == (0, '"id"\n')


@responses.activate
def test_a_query_that_matches_nothing_is_exit_1():
    responses.post(URL, json=COMPLETION)
    result = run_ant(BASIC + ["--transform", "nothing.#(x==1)"])
    assert result.code == 1 and "matches nothing" in result.stderr


@responses.activate
def test_streamed_events_take_a_multipath_each():
    events = "".join(f"event: completion\ndata: {json.dumps(dict(COMPLETION, completion=text, stop_reason=stop))}\n\n"
                     for text, stop in ((" a", None), (" b", "max_tokens")))
    responses.post(URL, body=events, headers={"content-type": "text/event-stream"})
    result = run_ant(BASIC + ["--stream", "--format", "jsonl", "--transform", "[completion,stop_reason]"])
    assert result.code == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == [[" a", None], [" b", "max_tokens"]]


@responses.activate
def test_an_empty_key_then_a_key_as_tidwalls_test_many_basic_reads_it():
    """`.a`: the key "" and then `a` (tidwall/gjson gjson_test.go, TestManyBasic)."""
    responses.post(URL, json=dict(COMPLETION, **{"": {"a": "emptya"}}))
    result = run_ant(BASIC + ["--transform", ".a", "-r"])
    assert (result.code, result.stdout) == (0, "emptya\n"), result.stderr


@responses.activate
def test_the_older_bracket_query_and_a_truthiness_query():
    responses.post(URL, json=dict(COMPLETION, stop_sequences=[{"s": "x", "on": "true"}, {"s": "y", "on": 0}]))
    path = "[stop_sequences.#[on==~true]#.s,stop_sequences.#[s=y].on]"
    result = run_ant(BASIC + ["--format", "jsonl", "--transform", path])
    assert (result.code, result.stdout) == (0, '[["x"],0]\n'), result.stderr
