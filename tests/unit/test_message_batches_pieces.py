"""The pieces of `--via message-batches`: ids sent, the create body and its split, the state file, result lines,
the results stream's lines, the tally, and the options that go with it."""

from __future__ import annotations

import json
import time

import pytest

from ant_cli.client.batches import lines_of
from ant_cli.commands.batch.batch_body import BatchBody, Limits, request_item
from ant_cli.commands.batch.batch_state import BatchState, wire_id, wire_ids
from ant_cli.commands.batch.message_batches import check_batches_options, poll_waits, translated
from ant_cli.core.errors import UsageError
from ant_cli.core.types import BatchOptions
from ant_cli.output.batches_progress import BatchesTally

PARAMS = {"model": "claude-haiku-4-5", "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]}


def test_an_accepted_custom_id_is_sent_as_it_is_and_any_other_as_a_stable_derived_id():
    assert wire_id("q-1_A") == "q-1_A" and wire_id("7") == "7"
    derived = wire_id("q 1 é")
    assert derived == wire_id("q 1 é") and derived.startswith("id-") and len(derived) <= 64
    assert wire_id("x" * 65) != wire_id("x" * 66)
    assert wire_ids(["ok", "not ok"]) == {wire_id("not ok"): "not ok"}


def test_a_derived_id_that_is_another_lines_own_id_is_a_usage_error():
    with pytest.raises(UsageError, match="rename one of them"):
        wire_ids(["a b", wire_id("a b")])


def body_of(body: BatchBody) -> dict:
    return json.loads(body.finish().read())


def test_a_body_takes_requests_within_its_limits_and_the_same_betas_only():
    body = BatchBody([], Limits(requests=2, bytes=10_000))
    item = request_item("a", PARAMS)
    assert body.takes(item, ["x"])  # an empty body takes anything
    body.add(item, "a", "a")
    assert not body.takes(request_item("b", PARAMS), ["other-beta"])
    body.add(request_item("b", PARAMS), "b", "line b")
    assert not body.takes(request_item("c", PARAMS), [])  # two requests at most
    assert body_of(body) == {"requests": [{"custom_id": "a", "params": PARAMS}, {"custom_id": "b", "params": PARAMS}]}
    small = BatchBody([], Limits(bytes=len(b'{"requests":[]}') + len(item)))
    small.add(item, "a", "a")
    assert not small.takes(item, [])


def test_a_body_splits_into_two_halves_that_hold_every_request_once():
    body = BatchBody(["beta"], Limits())
    for name in "abcde":
        body.add(request_item(name, PARAMS), name, f"line {name}")
    first, second = body.halves()
    assert [item["custom_id"] for item in body_of(first)["requests"]] == ["a", "b"]
    assert [item["custom_id"] for item in body_of(second)["requests"]] == ["c", "d", "e"]
    assert second.custom_ids == {"c": "line c", "d": "line d", "e": "line e"} and second.betas == ["beta"]


def test_the_state_file_keeps_created_batches_until_collected_and_ignores_a_torn_record(tmp_path):
    state = BatchState(str(tmp_path / "out.jsonl"))
    state.open(keep=False)
    state.created("msgbatch_1", {"a": "a", "id-x": "x y"})
    state.created("msgbatch_2", None)
    state.created("msgbatch_3", {"c": "c"})
    state.collected("msgbatch_3")
    state.close(finished=False)
    with open(tmp_path / "out.jsonl.batches", "ab") as handle:
        handle.write(b'{"created": "msgbatch_4", "custom')  # a kill in the middle of a write
    pending = BatchState(str(tmp_path / "out.jsonl")).pending()
    assert [(item.id, item.custom_ids) for item in pending] == [("msgbatch_1", {"a", "x y"}), ("msgbatch_2", None)]
    state.close(finished=True)
    assert not (tmp_path / "out.jsonl.batches").exists()
    assert BatchState(None).pending() == [] and not BatchState(None).exists()


def test_the_results_stream_is_cut_into_whole_lines_wherever_its_chunks_end():
    chunks = [b'{"a":', b'1}\n{"b"', b":2}\r\n\n", b'{"c":3}']
    assert [json.loads(line) for line in lines_of(iter(chunks))] == [{"a": 1}, {"b": 2}, {"c": 3}]


def test_each_api_result_becomes_our_result_line_under_the_lines_own_id():
    message = {"id": "msg_1", "type": "message", "model": "m", "content": [{"type": "text", "text": "Hi"}],
               "stop_reason": "end_turn", "stop_sequence": None, "usage": {"input_tokens": 3, "output_tokens": 1}}
    line, kind, _, usage = translated("my id", "succeeded", {"type": "succeeded", "message": message})
    assert json.loads(line)["result"]["completion"]["completion"] == "Hi" and usage["input_tokens"] == 3
    error = {"type": "error", "error": {"type": "invalid_request_error", "message": "no"}, "request_id": "req_1"}
    line, kind, error_type, _ = translated("e", "errored", {"type": "errored", "error": error})
    assert json.loads(line) == {"custom_id": "e", "result": {"type": "errored", "error": error}}
    assert error_type == "invalid_request_error"
    for outcome in ("canceled", "expired"):
        line, kind, _, _ = translated("c", outcome, {"type": outcome})
        assert json.loads(line) == {"custom_id": "c", "result": {"type": outcome}} and kind == outcome
    line, kind, error_type, _ = translated("u", "mystery", {"type": "mystery"})
    assert (kind, error_type) == ("errored", "api_error") and "unknown type" in line.decode()


def test_the_tally_counts_four_types_and_tokens_and_shows_the_batches_state():
    tally = BatchesTally(5)
    tally.count_type("succeeded", usage={"input_tokens": 10, "output_tokens": 4})
    tally.count_type("errored", "invalid_request_error")
    tally.count_type("canceled")
    tally.count_type("expired")
    tally.batches = {"b1": {"processing_status": "in_progress", "request_counts": {"processing": 3}},
                     "b2": {"processing_status": "ended", "request_counts": {"succeeded": 2, "errored": 1}}}
    assert (tally.done, tally.failed) == (4, 3)
    assert tally.status() == ("message batches: 1 in_progress, 1 ended · requests: 3 processing, 2 succeeded, "
                              "1 errored")
    tally.next_look = time.monotonic() + 29.5  # waiting between polls: the bar says for how long
    assert tally.status().endswith("1 errored · next look in 30s")
    tally.next_look = time.monotonic() - 1  # the poll is under way
    assert tally.status().endswith("1 errored")
    summary = tally.summary()
    assert "4 of 5 lines have results: 1 succeeded, 1 errored (1 invalid_request_error), 1 canceled, 1 expired" \
        in summary and "2 Message Batches; tokens: 10 in, 4 out" in summary


@pytest.mark.parametrize("options, via, message", [
    (BatchOptions(cancel=True), False, "go with --via message-batches"),
    (BatchOptions(max_rpm=10), True, "--max-rpm"),
    (BatchOptions(cancel=True), True, "--cancel cancels the batches this run picks up"),
    (BatchOptions(dry_run=True, attach=("msgbatch_1",)), True, "--dry-run"),
])
def test_options_that_need_or_exclude_message_batches_are_usage_errors(options, via, message):
    with pytest.raises(UsageError, match=message):
        check_batches_options(options, via)


def test_the_poll_waits_start_at_a_few_seconds_and_grow_to_a_minute_unless_set_for_tests():
    assert poll_waits({}) == (3.0, 60.0)
    assert poll_waits({"ANT_BATCH_POLL_SECONDS": "0.05"}) == (0.05, 1.0)
    with pytest.raises(UsageError):
        poll_waits({"ANT_BATCH_POLL_SECONDS": "soon"})


def test_a_succeeded_result_without_a_message_is_an_api_error_line():
    line, kind, error_type, _ = translated("s", "succeeded", {"type": "succeeded", "message": {"type": "other"}})
    assert (kind, error_type) == ("errored", "api_error") and "holds no Message" in line.decode()
