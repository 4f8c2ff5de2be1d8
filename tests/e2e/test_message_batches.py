"""`ant completions batch --via message-batches` end to end: the installed `ant` against the mock's Message Batches."""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import subprocess

import pytest

from ant_mock import MockServer
from ant_mock.batches import BatchLimits
from tests.e2e.test_batch import read_terminal
from tests.helpers import ANT, KEY, assert_no_traceback, installed_env, run_installed, wait_until

MODEL = "claude-haiku-4-5"
DEFAULTS = ["--model", MODEL, "--max-tokens-to-sample", "16"]
ACCEPTED = re.compile(r"[a-zA-Z0-9_-]{1,64}")
LONG_ID = "x" * 65


@pytest.fixture
def batches_mock():
    """Batches that end after 0.3 s, polled every 0.05 s by the client (see `env`)."""
    with MockServer(api_key=KEY, batches=BatchLimits(seconds=0.3)) as server:
        yield server


def env(mock) -> dict:
    return {"ANTHROPIC_BASE_URL": mock.url, "ANT_BATCH_POLL_SECONDS": "0.05"}


def line(custom_id: str, text: str, **params) -> str:
    return json.dumps({"custom_id": custom_id,
                       "params": {"prompt": f"\n\nHuman: {text}\n\nAssistant:", **params}}) + "\n"


def prompts(count: int) -> str:
    return "".join(line(f"q-{n}", f"number {n}") for n in range(1, count + 1))


def batch(mock, *args, input=None, timeout=60):
    return run_installed(["--via", "message-batches", "completions", "batch", *DEFAULTS, *args], input=input,
                         timeout=timeout, env=env(mock))


def results(text: str) -> list[dict]:
    return [json.loads(item) for item in text.splitlines()]


def creates(mock) -> list[dict]:
    return [json.loads(entry["body"]) for entry in mock.requests
            if entry["method"] == "POST" and entry["path"] == "/v1/messages/batches"]


def sent_ids(mock) -> list[str]:
    return [request["custom_id"] for body in creates(mock) for request in body["requests"]]


def test_lines_are_translated_sent_as_one_batch_and_answered_in_input_order(batches_mock):
    text = prompts(6) + line("q 7 with spaces", "seven") + line(LONG_ID, "eight")
    result = batch(batches_mock, input=text)
    assert result.returncode == 0, result.stderr
    assert [item["custom_id"] for item in results(result.stdout)] == [f"q-{n}" for n in range(1, 7)] + [
        "q 7 with spaces", LONG_ID]
    assert all(item["result"]["type"] == "succeeded" for item in results(result.stdout))
    assert results(result.stdout)[6]["result"]["completion"]["completion"] == "Hello! You said: seven"
    (body,) = creates(batches_mock)
    assert all(ACCEPTED.fullmatch(request["custom_id"]) for request in body["requests"])
    assert body["requests"][0]["params"] == {"model": MODEL, "messages": [{"role": "user", "content": "number 1"}],
                                             "max_tokens": 16}
    assert "8 lines through 1 Message Batch;" in result.stderr
    assert re.search(r"tokens: \d+ in, \d+ out", result.stderr), result.stderr


def test_the_four_result_types_and_a_local_error_set_exit_status_7(batches_mock, tmp_path):
    text = prompts(2) + line("bad-model", "x", model="claude-2.1") + json.dumps({"custom_id": "local",
                                                                                    "params": {"prompt": "no"}}) + "\n"
    result = batch(batches_mock, input=text)
    assert result.returncode == 7, result.stderr
    kinds = {item["custom_id"]: item["result"] for item in results(result.stdout)}
    assert kinds["bad-model"]["error"]["error"] == {"type": "not_found_error", "message": "model: claude-2.1"}
    assert kinds["local"]["error"]["error"]["type"] == "invalid_request_error"
    assert sent_ids(batches_mock) == ["q-1", "q-2", "bad-model"]  # the local error was never sent
    batches_mock.script({"expire": True})
    expired = batch(batches_mock, input=prompts(3))
    assert expired.returncode == 7
    assert {item["result"]["type"] for item in results(expired.stdout)} == {"expired"}
    assert "3 expired" in expired.stderr


def test_a_batch_the_api_finds_too_large_is_split_until_each_part_fits(batches_mock):
    batches_mock.state.batches.limits.max_bytes = 1000
    result = batch(batches_mock, input=prompts(12))
    assert result.returncode == 0, result.stderr
    assert [item["custom_id"] for item in results(result.stdout)] == [f"q-{n}" for n in range(1, 13)]
    accepted = [entry for entry in creates(batches_mock) if len(json.dumps(entry)) <= 1000]
    assert sorted(request["custom_id"] for body in accepted for request in body["requests"]) == sorted(
        f"q-{n}" for n in range(1, 13))  # each line in exactly one created batch
    assert len(accepted) >= 2 and "too large (413)" in result.stderr


def test_a_request_count_over_the_apis_limit_is_split_too(batches_mock):
    batches_mock.state.batches.limits.max_requests = 4
    result = batch(batches_mock, input=prompts(10))
    assert result.returncode == 0, result.stderr
    assert len(results(result.stdout)) == 10 and "10 lines through 4 Message Batches" in result.stderr


def test_a_404_just_after_the_create_is_polled_again(batches_mock):
    batches_mock.script({"lost_polls": 2})
    result = batch(batches_mock, input=prompts(2))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("not found (404), as can happen just after a create") == 2
    polls = [entry for entry in batches_mock.requests if entry["method"] == "GET"]
    assert len(polls) >= 4  # two lost, at least one while in progress or ended, and the results


def test_polling_stops_after_a_few_404s_in_a_row(batches_mock):
    batches_mock.script({"lost_polls": 50})
    result = batch(batches_mock, input=prompts(1))
    assert result.returncode == 4
    assert "keep running on the server" in result.stderr and "--attach msgbatch_" in result.stderr


def test_dry_run_prints_the_create_request_redacted_and_sends_nothing(batches_mock):
    result = batch(batches_mock, "--dry-run", input=prompts(3) + line("q 4", "four"))
    assert result.returncode == 0, result.stderr
    (document,) = results(result.stdout)
    assert (document["method"], document["url"]) == ("POST", batches_mock.url + "/v1/messages/batches")
    assert KEY not in result.stdout and document["headers"]["x-api-key"] != KEY
    assert [request["custom_id"] for request in document["body"]["requests"]][:3] == ["q-1", "q-2", "q-3"]
    assert batches_mock.requests == []


def test_create_refuses_message_batches_and_batch_only_options_need_it(batches_mock):
    create = run_installed(["--via", "message-batches", "completions", "create", *DEFAULTS, "--prompt",
                            "\n\nHuman: hi\n\nAssistant:"], env=env(batches_mock))
    assert create.returncode == 2 and "--via message-batches is for `ant completions batch`" in create.stderr
    plain = run_installed(["completions", "batch", *DEFAULTS, "--attach", "msgbatch_x"], input=prompts(1),
                          env=env(batches_mock))
    assert plain.returncode == 2 and "--via message-batches" in plain.stderr
    assert batches_mock.requests == []


def start(mock, *args, path) -> subprocess.Popen:
    return subprocess.Popen([str(ANT), "--via", "message-batches", "completions", "batch", *DEFAULTS, str(path),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=installed_env(env(mock)))


def recorded(state) -> bool:
    return state.exists() and b"msgbatch_" in state.read_bytes()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL])
def test_ctrl_c_or_a_kill_then_resume_collects_the_running_batch_and_sends_no_line_twice(batches_mock, tmp_path,
                                                                                         stop):
    batches_mock.state.batches.limits.seconds = 30  # still running when interrupted
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(prompts(5) + line("q with space", "six"))
    process = start(batches_mock, "-o", output, path=source)
    # recorded: a kill -9 between the API's answer and the record would leave a batch no record names
    wait_until(lambda: recorded(tmp_path / "out.jsonl.batches"), 20, 0.05, "the batch to be created and recorded")
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=20)
    if stop == signal.SIGINT:
        assert process.returncode == 130, stderr
        assert "keep running on the server" in stderr and "--resume collects" in stderr
        assert_no_traceback(stderr)
    batches_mock.state.batches.limits.seconds = 0.1
    for batch_ in batches_mock.state.batches.batches.values():
        batch_.ends = batch_.created + 0.1  # the running batch ends now
    resumed = batch(batches_mock, str(source), "-o", str(output), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "picking up 1 Message Batch recorded in" in resumed.stderr
    assert len(creates(batches_mock)) == 1 and sorted(sent_ids(batches_mock)) == sorted(
        [f"q-{n}" for n in range(1, 6)] + [sent_ids(batches_mock)[-1]])
    assert [item["custom_id"] for item in results(output.read_text())] == [f"q-{n}" for n in range(1, 6)] + [
        "q with space"]
    assert not (tmp_path / "out.jsonl.batches").exists()  # every batch collected: nothing left to track


def test_resume_cancel_writes_canceled_results(batches_mock, tmp_path):
    batches_mock.state.batches.limits.seconds = 30
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(prompts(4))
    process = start(batches_mock, "-o", output, path=source)
    wait_until(lambda: (tmp_path / "out.jsonl.batches").exists() and creates(batches_mock), 20, 0.05,
               "the batch to be created and recorded")
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=20)
    canceled = batch(batches_mock, str(source), "-o", str(output), "--resume", "--cancel")
    assert canceled.returncode == 7, canceled.stderr
    assert [item["result"] for item in results(output.read_text())] == [{"type": "canceled"}] * 4
    assert "4 canceled" in canceled.stderr and len(creates(batches_mock)) == 1
    cancels = [entry for entry in batches_mock.requests if entry["path"].endswith("/cancel")]
    assert len(cancels) == 1


def test_without_output_ctrl_c_names_the_batches_and_attach_collects_them(batches_mock, tmp_path):
    batches_mock.state.batches.limits.seconds = 30
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(prompts(3))
    process = start(batches_mock, path=source)
    wait_until(lambda: creates(batches_mock), 20, 0.05, "the batch to be created")
    wait_until(lambda: any(entry["method"] == "GET" for entry in batches_mock.requests), 20, 0.05, "a poll")
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 130 and stdout == ""
    attach = re.search(r"--attach (msgbatch_\w+)", stderr)
    assert attach, stderr
    for batch_ in batches_mock.state.batches.batches.values():
        batch_.ends = batch_.created
    collected = batch(batches_mock, str(source), "-o", str(output), "--attach", attach.group(1))
    assert collected.returncode == 0, collected.stderr
    assert [item["custom_id"] for item in results(output.read_text())] == ["q-1", "q-2", "q-3"]
    assert len(creates(batches_mock)) == 1


def test_an_earlier_runs_batches_beside_file_are_never_silently_forgotten(batches_mock, tmp_path):
    (tmp_path / "out.jsonl.batches").write_text('{"created": "msgbatch_old", "custom_ids": {"q-1": "q-1"}}\n')
    result = batch(batches_mock, "-o", str(tmp_path / "out.jsonl"), input=prompts(1))
    assert result.returncode == 2 and "--resume" in result.stderr
    assert batches_mock.requests == []


def on_terminal(mock, args, tmp_path) -> tuple[int, str]:
    """A run with stderr on a pseudo-terminal (results in a file); (status, everything the terminal showed)."""
    (tmp_path / "in.jsonl").write_text(prompts(4))
    master, slave = pty.openpty()
    process = subprocess.Popen([str(ANT), "--via", "message-batches", "completions", "batch", *DEFAULTS,
                                str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out.jsonl"), *args],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave,
                               env=installed_env({**env(mock), "COLUMNS": "160", "TERM": "xterm-256color"}))
    os.close(slave)
    screen = read_terminal(master, process).decode("utf-8", "replace")
    os.close(master)
    return process.returncode, screen


def test_the_bar_shows_the_batches_status_and_request_counts_and_quiet_hides_it(batches_mock, tmp_path):
    batches_mock.state.batches.limits.seconds = 1.0
    code, screen = on_terminal(batches_mock, [], tmp_path)
    assert code == 0, screen
    assert "message batches: 1 in_progress · requests: 4 processing" in screen, screen
    assert "· next look in 1s" in screen  # between polls, the wait until the next
    assert "4/4" in screen and "0:00:0" in screen  # lines with results, elapsed time
    assert "ant: batch: 4 of 4 lines have results" in screen
    (tmp_path / "out.jsonl").unlink()
    code, screen = on_terminal(batches_mock, ["--quiet"], tmp_path)
    assert code == 0 and screen == ""


def test_ctrl_c_during_the_create_waits_for_its_answer_and_records_the_batch(batches_mock, tmp_path):
    batches_mock.script({"delay": 1.5})  # the create answers late
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(prompts(2))
    process = start(batches_mock, "-o", output, path=source)
    wait_until(lambda: batches_mock.stats["in_flight"], 20, 0.02, "the create to be in flight")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert "waiting for its id, so that it is recorded" in stderr
    (record,) = [json.loads(text) for text in (tmp_path / "out.jsonl.batches").read_text().splitlines()]
    assert record["created"] in stderr and record["custom_ids"] == {"q-1": "q-1", "q-2": "q-2"}


def test_dry_run_puts_lines_with_other_betas_in_a_batch_of_their_own_and_shows_bad_lines(batches_mock):
    text = prompts(2) + json.dumps({"custom_id": "beta", "params": {
        "prompt": "\n\nHuman: hi\n\nAssistant:", "anthropic-beta": "output-128k-2025-02-19"}}) + "\n" + "not json\n"
    result = batch(batches_mock, "--dry-run", input=text)
    assert result.returncode == 7, result.stderr
    first, bad, second = results(result.stdout)
    assert [item["custom_id"] for item in first["body"]["requests"]] == ["q-1", "q-2"]
    assert second["headers"]["anthropic-beta"] == "output-128k-2025-02-19" and "anthropic-beta" not in first["headers"]
    assert bad["result"]["error"]["error"]["type"] == "invalid_request_error"


def test_overwrite_forgets_an_earlier_runs_batches_out_loud(batches_mock, tmp_path):
    (tmp_path / "out.jsonl.batches").write_text('{"created": "msgbatch_old", "custom_ids": {"q-1": "q-1"}}\n')
    result = batch(batches_mock, "-o", str(tmp_path / "out.jsonl"), "--overwrite", input=prompts(1))
    assert result.returncode == 0, result.stderr
    assert "--overwrite forgets 1 Message Batch still running: msgbatch_old" in result.stderr
    assert len(creates(batches_mock)) == 1 and not (tmp_path / "out.jsonl.batches").exists()


def test_a_refused_create_stops_the_run_with_its_status_and_leaves_nothing_running(batches_mock):
    result = run_installed(["--via", "message-batches", "completions", "batch", *DEFAULTS], input=prompts(2),
                           env={**env(batches_mock), "ANTHROPIC_API_KEY": "sk-ant-wrong"})
    assert result.returncode == 4 and "authentication_error" in result.stderr
    assert "keep running" not in result.stderr


def test_a_create_without_an_answer_is_not_sent_again_and_says_the_batch_may_exist(batches_mock):
    batches_mock.script({"reset": True})
    result = batch(batches_mock, input=prompts(2))  # --max-retries 2 by default: not for this create
    assert result.returncode == 3, result.stderr
    assert "ant: hint: a batch create got no answer: it may exist on the server" in result.stderr
    assert len(batches_mock.requests) == 1


def test_cancel_with_nothing_running_says_so_and_sends_nothing(batches_mock, tmp_path):
    output = tmp_path / "out.jsonl"
    output.write_text("")
    result = batch(batches_mock, "-o", str(output), "--resume", "--cancel", input=prompts(2))
    assert result.returncode == 7, result.stderr
    assert "nothing to cancel" in result.stderr and "2 lines not sent and without a result" in result.stderr
    assert batches_mock.requests == []


def test_a_ctrl_c_while_a_batch_is_created_waits_for_its_record(batches_mock, tmp_path):
    """Whenever the first Ctrl-C lands during the create, the batch is recorded before the run stops."""
    batches_mock.state.batches.limits.seconds = 30
    batches_mock.script({"delay": 1.0})  # the create's answer takes a second: the Ctrl-C lands meanwhile
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(prompts(3))
    process = start(batches_mock, "-o", output, path=source)
    wait_until(lambda: creates(batches_mock), 20, 0.02, "the create to reach the API")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert "waiting for its id, so that it is recorded" in stderr
    assert recorded(tmp_path / "out.jsonl.batches")
