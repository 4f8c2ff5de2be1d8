"""Unit tests of the batch's pieces: input lines, pacing, the reorder window, results and the journal."""

from __future__ import annotations

import io
import json
import threading
import time
from types import SimpleNamespace

import pytest

from ant_cli.client.pacer import Pacer, Ticket
from ant_cli.client.transport import Budget
from ant_cli.commands.batch import results
from ant_cli.commands.batch.journal import Journal, check_target
from ant_cli.commands.batch.runner import Job, Runner
from ant_cli.core.errors import (
    ApiError,
    Cancelled,
    ConnectTimeout,
    MalformedResponse,
    NetworkError,
    NetworkTimeout,
    OutputError,
    UsageError,
)
from ant_cli.core.redact import Redactor
from ant_cli.core.types import CompletionArgs, Settings
from ant_cli.output.progress import BarProgress, QuietProgress, Tally, progress_for
from ant_cli.request.batch_input import LineReader, index_input, open_input, option_defaults
from tests.helpers import MODEL

PROMPT_LINE = {"prompt": "\n\nHuman: hi\n\nAssistant:"}


def reader(input_format="jsonl", **defaults) -> LineReader:
    body = {"model": MODEL, "max_tokens_to_sample": 8, **defaults}
    return LineReader(body, [], Settings(api_key="k"), input_format, prompt_check=True)


def lines_of(text: str, **kwargs):
    return list(reader(**kwargs).lines(io.BytesIO(text.encode())))


def test_both_input_shapes_and_line_numbers_as_ids_counting_blank_lines():
    text = json.dumps({"custom_id": "a", "params": PROMPT_LINE}) + "\n\n" + json.dumps(PROMPT_LINE) + "\n"
    first, second = lines_of(text)
    assert (first.custom_id, second.custom_id) == ("a", "3")
    assert second.request.body["prompt"] == PROMPT_LINE["prompt"] and second.problem is None


def test_a_line_s_own_values_win_over_the_options():
    line, = lines_of(json.dumps(dict(PROMPT_LINE, max_tokens_to_sample=99)) + "\n", temperature=0.5)
    assert line.request.body["max_tokens_to_sample"] == 99 and line.request.body["temperature"] == 0.5


@pytest.mark.parametrize("text, problem", [
    ("not json", "line 1 is not valid JSON"),
    ("[1, 2]", "line 1 must be a JSON object"),
    (json.dumps(dict(PROMPT_LINE, temperature=3)), "line 1: temperature must be a number from 0 to 1, got 3"),
    (json.dumps(dict(PROMPT_LINE, stream=True)), 'line 1: "stream": true is not allowed in a batch'),
    (json.dumps({"custom_id": 7, "params": PROMPT_LINE}), "line 1: custom_id must be a non-empty string"),
    (json.dumps({"custom_id": "x", "params": PROMPT_LINE, "extra": 1}), "unexpected keys beside custom_id"),
    (json.dumps({"prompt": "no turns"}), "line 1: prompt must start with"),
    (json.dumps({"model": None, "prompt": "x"}), 'line 1: missing model: give --model or "model" in the line'),
])
def test_a_line_that_cannot_be_sent_says_why_and_names_its_line(text, problem):
    line, = lines_of(text + "\n")
    assert line.request is None and problem in line.problem


def test_text_input_wraps_each_line_as_a_human_turn():
    first, second = lines_of("What is 2+2?\r\nAnd 3+3?\n", input_format="text")
    assert first.request.body["prompt"] == "\n\nHuman: What is 2+2?\n\nAssistant:"
    assert second.custom_id == "2"


def test_duplicate_ids_are_found_before_anything_is_built():
    text = json.dumps({"custom_id": "2", "params": PROMPT_LINE}) + "\n" + json.dumps(PROMPT_LINE) + "\n"
    with pytest.raises(UsageError, match="'2' is used on line 1 and again on line 2"):
        index_input(reader(), io.BytesIO(text.encode()))
    assert index_input(reader(), io.BytesIO(b"a\n\nb\n")) == ["1", "3"]


def test_at_dash_in_an_option_cannot_read_stdin_that_is_the_input():
    with pytest.raises(UsageError, match="stdin is the batch input"):
        option_defaults(CompletionArgs(prompt="@-"), stdin_is_input=True)


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


TICKET = Ticket(0.0, (1.0, 0.0, 0.0), (0.0, 0.0, 0.0), 0)


def jobs(count: int) -> list[Job]:
    return [Job(n, f"id-{n}", None) for n in range(count)]


def slow_send(delays: dict[int, float], sent: list[int], lock: threading.Lock):
    def send(job):
        with lock:
            sent.append(job.position)
        time.sleep(delays.get(job.position, 0))
        return results.succeeded(job.position, job.custom_id, {"n": job.position})
    return send


def test_results_are_written_in_input_order_and_the_window_bounds_sending_ahead():
    sent, written, lock = [], [], threading.Lock()
    seen_ahead = []

    def in_order(outcome):
        written.append(outcome.position)

    def received(outcome):
        with lock:
            seen_ahead.append(max(sent) - len(written))

    runner = Runner(slow_send({0: 0.5}, sent, lock), parallel=2, received=received, in_order=in_order, window=4)
    assert runner.run(jobs(20)) is None
    assert written == list(range(20))
    assert max(seen_ahead) <= 4 + 2  # never further ahead than the window, plus what was queued for workers


def test_the_main_thread_admits_each_line_and_a_sender_gets_its_ticket():
    turns = iter([0.01, 0.02, TICKET, TICKET, 0.01, TICKET])  # waits (seconds) until the pacer admits a line
    asked, given = [], []

    def admit(body):
        asked.append(body["n"])
        return next(turns)

    def send(job):
        given.append((job.position, job.ticket))
        return results.succeeded(job.position, job.custom_id, {})

    runner = Runner(send, parallel=4, received=lambda outcome: None, in_order=lambda outcome: None, admit=admit)
    lines = [Job(n, f"id-{n}", SimpleNamespace(body={"n": n})) for n in range(3)]
    assert runner.run(lines) is None
    assert asked == [0, 0, 0, 1, 2, 2] and sorted(given) == [(n, TICKET) for n in range(3)]


def test_the_pool_grows_to_the_number_in_flight_not_to_the_cap():
    sent, lock = [], threading.Lock()
    slow = {n: 0.3 for n in range(8)}
    many = Runner(slow_send(slow, sent, lock), parallel=500, received=lambda outcome: None,
                  in_order=lambda outcome: None)
    assert many.run(jobs(8)) is None and many.senders == 8  # eight slow answers at once: eight senders
    capped = Runner(slow_send(slow, sent, lock), parallel=3, received=lambda outcome: None,
                    in_order=lambda outcome: None)
    assert capped.run(jobs(8)) is None and capped.senders == 3


def test_a_fatal_outcome_stops_new_sends():
    sent, lock = [], threading.Lock()

    def send(job):
        with lock:
            sent.append(job.position)
        return results.failed(job.position, job.custom_id, ApiError("401 authentication_error", 401))

    runner = Runner(send, parallel=1, received=lambda outcome: None, in_order=lambda outcome: None)
    fatal = runner.run(jobs(50))
    assert isinstance(fatal, ApiError) and sent == [0]  # the worker stops before it takes the next line


def error_of(outcome) -> dict:
    return json.loads(outcome.line)["result"]["error"]


def test_the_api_s_error_body_is_kept_with_its_request_id():
    body = {"type": "error", "error": {"type": "invalid_request_error", "message": "bad"}}
    outcome = results.failed(0, "q", ApiError("x", 400, b"", body, "req_1"))
    assert error_of(outcome) == dict(body, request_id="req_1") and outcome.fatal is None


@pytest.mark.parametrize("error, error_type, fatal", [
    (ApiError("403", 403), "permission_error", True),
    (ApiError("502", 502), "api_error", False),
    (ApiError("429", 429), "rate_limit_error", False),
    (MalformedResponse("not json"), "api_error", False),
    (NetworkTimeout("timed out"), "timeout_error", False),
    (NetworkError("connection refused"), "connection_error", True),
])
def test_each_failure_has_a_documented_type_and_only_account_wide_ones_stop_the_batch(error, error_type, fatal):
    outcome = results.failed(3, "q", error)
    assert error_of(outcome)["error"]["type"] == error_type
    assert (outcome.fatal is not None) is fatal and outcome.position == 3 and not outcome.succeeded


def test_a_key_echoed_by_an_error_body_never_reaches_the_results_file(tmp_path):
    outcome = results.failed(0, "q", ApiError("x", 400, b"", {"type": "error", "error": {
        "type": "invalid_request_error", "message": "bad key sk-ant-echoed-123456"}}))
    journal = Journal(str(tmp_path / "out.jsonl"), Redactor.of("sk-ant-echoed-123456"))
    journal.open(keep=False)
    journal.append(outcome.line)
    journal.close()
    written = (tmp_path / "out.jsonl").read_bytes()
    assert b"sk-ant-echoed-123456" not in written and b"<redacted>" in written


def test_the_journal_recovers_succeeded_ids_and_cuts_a_torn_line(tmp_path):
    path = tmp_path / "out.jsonl"
    ok = results.succeeded(0, "a", {}).line
    bad = results.invalid(1, "b", "nope").line
    path.write_bytes(ok + bad + b'{"custom_id":"c","res')
    journal = Journal(str(path))
    assert journal.recover({"a", "b", "c"}, drop_foreign=False) == {"a"}
    assert path.read_bytes() == ok + bad


def test_the_final_file_is_in_input_order_with_the_latest_line_per_id(tmp_path):
    path = tmp_path / "out.jsonl"
    journal = Journal(str(path))
    journal.open(keep=False)
    for line in (results.invalid(1, "b", "first try").line, results.succeeded(0, "a", {}).line,
                 results.succeeded(1, "b", {}).line, results.succeeded(9, "stale", {}).line):
        journal.append(line)
    journal.finalize(["a", "b"])
    items = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(item["custom_id"], item["result"]["type"]) for item in items] == [("a", "succeeded"), ("b", "succeeded")]
    assert not (tmp_path / "out.jsonl.tmp").exists()


def test_an_existing_file_needs_resume_or_overwrite(tmp_path):
    path = tmp_path / "out.jsonl"
    check_target(str(path), resume=False, overwrite=False)
    path.write_text("x\n")
    with pytest.raises(UsageError, match="already exists"):
        check_target(str(path), resume=False, overwrite=False)
    check_target(str(path), resume=True, overwrite=False)
    with pytest.raises(UsageError, match="contradict"):
        check_target(str(path), resume=True, overwrite=True)
    with pytest.raises(UsageError, match="is a directory"):
        check_target(str(tmp_path), resume=False, overwrite=True)


def test_a_terminal_is_never_read_as_the_input():
    with pytest.raises(UsageError, match="no input: give a JSONL FILE"):
        open_input("-", io.BytesIO(b""), stdin_isatty=True)
    spooled = open_input("-", io.BytesIO(b"a\nb\n"))
    assert spooled.read() == b"a\nb\n" and (spooled.seek(0), spooled.read(1)) == (0, b"a")


def test_a_lone_surrogate_in_a_completion_is_kept_as_its_json_escape():
    outcome = results.succeeded(0, "q", {"completion": "a\ud800b"})
    assert json.loads(outcome.line)["result"]["completion"]["completion"] == "a\ud800b"


def test_a_line_s_anthropic_beta_key_becomes_its_header_and_replaces_the_options():
    line, = lines_of(json.dumps(dict(PROMPT_LINE, **{"anthropic-beta": ["pdfs-2024-09-25", "x-2"]})) + "\n")
    assert line.request.headers["anthropic-beta"] == "pdfs-2024-09-25,x-2"
    assert "anthropic-beta" not in line.request.body
    bad, = lines_of(json.dumps(dict(PROMPT_LINE, **{"anthropic-beta": 7})) + "\n")
    assert "line 1: anthropic-beta must be a beta name" in bad.problem


def test_metadata_null_from_the_options_is_sent_as_null():
    body, _ = option_defaults(CompletionArgs(metadata="null"), stdin_is_input=True)
    assert body == {"metadata": None}


def test_an_output_file_that_cannot_be_written_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="cannot write --output .*No such file or directory"):
        Journal(str(tmp_path / "missing" / "out.jsonl")).open(keep=False)


def test_a_full_disk_is_one_output_error_that_keeps_what_was_written(tmp_path):
    journal = Journal("/dev/full")
    journal.open(keep=True)
    with pytest.raises(OutputError, match="No space left on device.*--resume sends the rest"):
        journal.append(b"x" * 70000 + b"\n")
    journal.close()  # what the disk refused was reported once; closing does not raise it again


def test_a_failed_rewrite_leaves_the_journal_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "out.jsonl"
    journal = Journal(str(path))
    journal.open(keep=False)
    journal.append(results.succeeded(0, "a", {}).line)

    def no_sync(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", no_sync)
    with pytest.raises(OutputError, match="cannot rewrite .* No space left on device"):
        journal.finalize(["a"])
    assert path.read_bytes() == results.succeeded(0, "a", {}).line
    assert [item.name for item in tmp_path.iterdir()] == ["out.jsonl"]


def test_the_rewrite_keeps_the_file_s_permissions_and_follows_a_link(tmp_path):
    real, link = tmp_path / "real.jsonl", tmp_path / "link.jsonl"
    real.write_bytes(results.succeeded(0, "a", {}).line)
    real.chmod(0o640)
    link.symlink_to(real)
    Journal(str(link)).finalize(["a"])
    assert link.is_symlink() and (real.stat().st_mode & 0o777) == 0o640


def test_a_worker_never_dies_whatever_send_raises():
    def send(job):
        raise RecursionError("nested too deep")

    written = []
    runner = Runner(send, parallel=2, received=lambda outcome: None, in_order=written.append)
    assert runner.run(jobs(3)) is None
    messages = [error_of(outcome)["error"]["message"] for outcome in written]
    assert messages == ["internal error: RecursionError: nested too deep"] * 3


def test_a_line_given_up_as_the_run_stops_has_no_result():
    written = []
    runner = Runner(lambda job: None, parallel=1, received=lambda outcome: None, in_order=written.append)
    assert runner.run(jobs(3)) is None and written == []


def test_abandoning_collects_what_already_arrived():
    runner = Runner(lambda job: None, parallel=1, received=lambda outcome: None, in_order=lambda outcome: None)
    runner.results.put(results.succeeded(2, "c", {}))
    runner.results.put(None)
    runner.in_flight = 2
    assert [outcome.custom_id for outcome in runner.abandon()] == ["c"] and runner.in_flight == 0


def test_a_stopping_batch_cancels_waits_and_retries():
    stop = threading.Event()
    clock = FakeClock()
    pacer = Pacer(clock=lambda: clock.now, sleep=clock.sleep)
    pacer.pause(30)
    stop.set()
    started = time.monotonic()
    assert pacer.wait_turn(stop=stop) is None  # returns at once: the caller gives up
    assert time.monotonic() - started < 1
    with pytest.raises(Cancelled):
        Budget(stop=stop).check()


def test_no_connection_at_all_stops_the_batch_but_a_slow_answer_does_not():
    assert results.failed(0, "q", ConnectTimeout("timed out connecting")).fatal is not None
    assert results.failed(0, "q", NetworkTimeout("timed out waiting")).fatal is None


def test_a_pipe_given_as_file_is_spooled(tmp_path):
    import os

    read_end, write_end = os.pipe()
    os.write(write_end, b"x\ny\n")
    os.close(write_end)
    handle = open_input(f"/dev/fd/{read_end}", io.BytesIO(b""))
    assert handle.seekable() and handle.read() == b"x\ny\n"
    os.close(read_end)


def test_by_default_no_line_is_sent_more_than_sixteen_times_parallel_ahead():
    sent, written, lock, ahead = [], [], threading.Lock(), []

    def received(outcome):
        with lock:
            ahead.append(max(sent) - len(written))

    runner = Runner(slow_send({0: 0.5}, sent, lock), parallel=2, received=received, in_order=written.append)
    runner.run(jobs(100))
    assert [outcome.position for outcome in written] == list(range(100))
    assert 16 < max(ahead) <= 32 + 2  # while line 0 is slow the other worker goes ahead, up to 16 × 2 (+ queued)


def test_the_summary_counts_what_happened():
    tally = Tally(5, already_done=1)
    tally.count(True)
    for error_type in ("overloaded_error", None, "overloaded_error"):
        tally.count(False, error_type)
    tally.requests, tally.retries = 6, 2
    summary = tally.summary()
    assert summary.startswith("ant: batch: 5 of 5 lines have results: 1 succeeded, 3 errored (1 error, "
                              "2 overloaded_error), 1 already done; 6 HTTP requests sent (2 retries); ")
    assert summary.endswith(" lines/s") and tally.counts() == "1 ok, 3 errored, 1 already done"
    idle = Tally(2, already_done=2)
    assert "; no requests sent; " in idle.summary() and "/s" not in idle.summary()


def test_no_bar_when_results_print_on_the_same_terminal():
    tally = Tally(1)
    assert isinstance(progress_for(tally, print, io.BytesIO(), True, False, False), BarProgress)
    assert type(progress_for(tally, print, io.BytesIO(), True, False, False, results_on_terminal=True)) is QuietProgress


def test_the_bar_says_a_pause_and_counts_down():
    holdup = [(42.4, "rate limit")]
    bar = BarProgress(Tally(3), print, io.BytesIO(), holdup=lambda: holdup[0])
    assert bar.state() == "batch paused (rate limit): resumes in 42s"
    holdup[0] = (0.5, "--max-rpm")  # the ordinary rhythm of starts is not a pause
    assert bar.state() == "batch"
    holdup[0] = (12.0, "output tokens per minute")
    assert bar.state() == "batch paused (output tokens per minute): resumes in 12s"
    paced = BarProgress(Tally(3), print, io.BytesIO(), pace=lambda: "pace 600/min (requests limit binds)")
    assert paced.state() == "batch, pace 600/min (requests limit binds)"


def test_resuming_refuses_a_file_with_foreign_results_and_leaves_it_as_it_was(tmp_path):
    path = tmp_path / "out.jsonl"
    content = b"".join(results.succeeded(n, f"id-{n}", {}).line for n in range(5)) + b'{"custom_id":"x'
    path.write_bytes(content)
    with pytest.raises(UsageError, match=r"results for 4 custom_ids that this input does not have "
                                         r"\('id-1', 'id-2', 'id-3', …\).*--drop-foreign"):
        Journal(str(path)).recover({"id-0"}, drop_foreign=False)
    assert path.read_bytes() == content
    assert Journal(str(path)).recover({"id-0"}, drop_foreign=True) == {"id-0"}
    assert path.read_bytes() == content[:content.rindex(b"\n") + 1]  # only the torn line is cut now


def test_a_result_line_is_read_back_by_the_parser_of_the_module_that_writes_it():
    assert results.parse_result_line(results.invalid(0, "q", "bad").line) == ("q", "errored")
    assert results.parse_result_line(results.succeeded(0, "q", {}).line) == ("q", "succeeded")
    for junk in (b"precious\n", b'{"custom_id": 7, "result": {"type": "succeeded"}}\n', b"[]\n"):
        assert results.parse_result_line(junk) is None
