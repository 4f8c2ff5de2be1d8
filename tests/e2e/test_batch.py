"""`ant completions batch` end to end: the installed `ant` against the mock API on 127.0.0.1."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import signal
import subprocess
import time

import pytest

from tests.helpers import ANT, KEY, MODEL, assert_no_traceback, installed_env, run_installed, wait_until

DEFAULTS = ["--model", MODEL, "--max-tokens-to-sample", "8"]


def prompts(count: int, start: int = 1) -> str:
    return "".join(json.dumps({"custom_id": f"q-{n}", "params": {"prompt": f"\n\nHuman: number {n}\n\nAssistant:"}})
                   + "\n" for n in range(start, start + count))


def batch(mock, *args, input=None, timeout=60):
    return run_installed(["completions", "batch", *DEFAULTS, *args], input=input, timeout=timeout,
                         env={"ANTHROPIC_BASE_URL": mock.url})


def results(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def ids(text: str) -> list[str]:
    return [item["custom_id"] for item in results(text)]


def arrivals(mock) -> list[float]:
    return sorted(entry["time"] for entry in mock.requests)


def test_results_come_in_input_order_under_uneven_delays(mock_api):
    mock_api.script({"delay": 0.6}, {"delay": 0.3}, {}, {"delay": 0.1}, {}, {})
    result = batch(mock_api, "--parallel", "4", input=prompts(12))
    assert result.returncode == 0, result.stderr
    assert ids(result.stdout) == [f"q-{n}" for n in range(1, 13)]
    assert all(item["result"]["type"] == "succeeded" for item in results(result.stdout))
    assert "number 7" in results(result.stdout)[6]["result"]["completion"]["completion"]


def test_a_pipeline_sees_the_first_results_before_the_batch_ends(mock_api, tmp_path):
    (tmp_path / "in.jsonl").write_text(prompts(3))
    mock_api.script({}, {"delay": 3})
    process = subprocess.Popen([str(ANT), "completions", "batch", *DEFAULTS, "--parallel", "1",
                                str(tmp_path / "in.jsonl")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=installed_env({"ANTHROPIC_BASE_URL": mock_api.url}))
    try:
        started = time.monotonic()
        first = process.stdout.readline()
        assert json.loads(first)["custom_id"] == "q-1"
        assert time.monotonic() - started < 2.0  # long before the second line's 3 s answer
        assert process.poll() is None
    finally:
        process.kill()
        process.communicate(timeout=10)


def test_concurrency_never_exceeds_parallel_and_connections_are_kept_alive(slow_mock):
    result = batch(slow_mock, "--parallel", "3", input=prompts(30))
    assert result.returncode == 0, result.stderr
    stats = slow_mock.stats
    assert stats["requests"] == 30
    assert stats["max_in_flight"] == 3
    assert stats["connections"] <= 3


@pytest.mark.parametrize("status", [429, 529, 503])
def test_a_rate_limit_with_a_hint_pauses_every_sender(mock_api, status):
    mock_api.script({"status": status, "headers": {"retry-after": "1"}}, {"delay": 0.2}, {"delay": 0.2},
                    {"delay": 0.2})
    result = batch(mock_api, "--parallel", "4", input=prompts(8))
    assert result.returncode == 0, result.stderr
    times = arrivals(mock_api)
    assert len(times) == 9  # eight lines and the one retry
    assert all(later - times[0] >= 0.9 for later in times[4:]), [t - times[0] for t in times]
    assert f"{status} " in result.stderr and "retrying in 1.0s" in result.stderr


def test_max_rpm_spreads_the_starts_evenly(mock_api):
    result = batch(mock_api, "--parallel", "4", "--max-rpm", "120", input=prompts(4))
    assert result.returncode == 0, result.stderr
    times = arrivals(mock_api)
    # 120 a minute: starts 0.5 s apart (the slack is for a loaded machine delaying one arrival, not a start)
    assert all(times[j] - times[i] >= 0.5 * (j - i) - 0.2 for i in range(4) for j in range(i + 1, 4)), times
    assert times[3] - times[0] >= 1.4


def test_a_wrong_key_stops_the_batch_early(mock_api):
    result = run_installed(["completions", "batch", *DEFAULTS, "--parallel", "2"], input=prompts(50),
                           env={"ANTHROPIC_BASE_URL": mock_api.url, "ANTHROPIC_API_KEY": "sk-wrong-key-000"})
    assert result.returncode == 4
    assert len(mock_api.requests) <= 4
    assert result.stderr.splitlines()[-1].startswith("ant: error: the batch stopped: 401 authentication_error")
    errors = [item["result"]["error"]["error"]["type"] for item in results(result.stdout)]
    assert errors and set(errors) == {"authentication_error"}
    assert "sk-wrong-key-000" not in result.stdout + result.stderr
    assert_no_traceback(result.stderr)


def test_per_line_errors_do_not_stop_the_batch(mock_api):
    mock_api.script({"status": 400, "error": "invalid_request_error", "message": "prompt: too long"},
                    {"status": 413})
    lines = prompts(2) + "not json\n" + prompts(2, start=3)
    result = batch(mock_api, "--parallel", "1", "--max-retries", "0", input=lines)
    assert result.returncode == 7
    outcome = {item["custom_id"]: item["result"] for item in results(result.stdout)}
    assert outcome["q-1"]["error"]["error"] == {"type": "invalid_request_error", "message": "prompt: too long"}
    assert outcome["q-1"]["error"]["request_id"].startswith("req_")
    assert outcome["q-2"]["error"]["error"]["type"] == "request_too_large"
    assert outcome["3"]["error"]["error"]["type"] == "invalid_request_error"
    assert outcome["q-3"]["type"] == outcome["q-4"]["type"] == "succeeded"
    assert "2 succeeded, 3 errored" in result.stderr


def run_until_killed(mock, output, lines: int, sig: int, after: int) -> subprocess.Popen:
    """Start a batch into `output`, and send `sig` once `after` results are in the file."""
    process = subprocess.Popen([str(ANT), "completions", "batch", *DEFAULTS, "--parallel", "4", "-o", str(output)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=installed_env({"ANTHROPIC_BASE_URL": mock.url}))
    process.stdin.write(prompts(lines).encode())
    process.stdin.close()
    wait_until(lambda: output.exists() and output.read_bytes().count(b"\n") >= after, what=f"{after} results")
    process.send_signal(sig)
    process.wait(timeout=10)
    return process


def assert_complete(output, lines: int) -> None:
    items = results(output.read_text())
    assert [item["custom_id"] for item in items] == [f"q-{n}" for n in range(1, lines + 1)]
    assert all(item["result"]["type"] == "succeeded" for item in items)


@pytest.mark.parametrize("sig, status", [(signal.SIGKILL, -9), (signal.SIGINT, 130)])
def test_a_killed_or_interrupted_batch_resumes_with_each_line_exactly_once(slow_mock, tmp_path, sig, status):
    output = tmp_path / "results.jsonl"
    process = run_until_killed(slow_mock, output, 60, sig, after=12)
    assert process.returncode == status
    resumed = batch(slow_mock, "-o", output, "--resume", input=prompts(60))
    assert resumed.returncode == 0, resumed.stderr
    assert_complete(output, 60)
    assert len(slow_mock.requests) <= 60 + 4  # only the requests in flight at the kill were sent twice


def test_resume_drops_a_torn_last_line_and_retries_errored_lines(mock_api, tmp_path):
    output = tmp_path / "results.jsonl"
    mock_api.script({"status": 400, "error": "invalid_request_error"})
    first = batch(mock_api, "--parallel", "1", "-o", output, input=prompts(3))
    assert first.returncode == 7
    with open(output, "ab") as handle:
        handle.write(b'{"custom_id":"q-2","result":{"type":"succ')
    sent_before = len(mock_api.requests)
    resumed = batch(mock_api, "-o", output, "--resume", input=prompts(3))
    assert resumed.returncode == 0, resumed.stderr
    assert_complete(output, 3)
    assert len(mock_api.requests) - sent_before == 1  # only the errored line was sent again
    assert "2 already done" in resumed.stderr


def test_an_existing_output_file_is_refused_and_left_untouched(mock_api, tmp_path):
    output = tmp_path / "results.jsonl"
    output.write_text("precious\n")
    result = batch(mock_api, "-o", output, input=prompts(2))
    assert result.returncode == 2 and "already exists" in result.stderr
    assert output.read_text() == "precious\n" and mock_api.requests == []
    assert batch(mock_api, "-o", output, "--overwrite", input=prompts(2)).returncode == 0
    assert_complete(output, 2)


def test_duplicate_ids_are_a_usage_error_and_nothing_is_sent(mock_api):
    result = batch(mock_api, input=prompts(2) + prompts(1))
    assert result.returncode == 2 and "'q-1' is used on line 1 and again on line 3" in result.stderr
    assert mock_api.requests == [] and result.stdout == ""


def test_plain_text_prompts_and_jq(mock_api):
    jq = shutil.which("jq")
    if not jq:
        pytest.skip("jq is not installed here")
    pipeline = (f"printf 'first question\\n\\nsecond question\\n' | {ANT} completions batch --input-format text "
                f"{' '.join(DEFAULTS)} | {jq} -r '.custom_id + \" \" + .result.completion.completion'")
    result = subprocess.run(["bash", "-o", "pipefail", "-c", pipeline], capture_output=True, text=True, timeout=30,
                            env=installed_env({"ANTHROPIC_BASE_URL": mock_api.url}))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["1  Hello! You said: first question", "3  Hello! You said: second question"]


def test_dry_run_prints_every_request_redacted_and_sends_nothing(mock_api):
    result = batch(mock_api, "--dry-run", input=prompts(2))
    assert result.returncode == 0 and mock_api.requests == []
    requests = results(result.stdout)
    assert [item["custom_id"] for item in requests] == ["q-1", "q-2"]
    assert requests[0]["request"]["headers"]["x-api-key"] == "<redacted>"
    assert KEY not in result.stdout


def test_the_summary_is_on_stderr_and_quiet_silences_it(mock_api):
    loud = batch(mock_api, input=prompts(2))
    assert loud.stderr.startswith("ant: batch: 2 of 2 lines have results: 2 succeeded, 0 errored")
    assert batch(mock_api, "--quiet", input=prompts(2)).stderr == ""


def read_terminal(master: int, process: subprocess.Popen, timeout: float = 30) -> bytes:
    """Everything written to the pseudo-terminal until the process ends (bounded by `timeout`)."""
    output, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not data:
                break
            output += data
        elif process.poll() is not None:
            break
    process.wait(timeout=10)
    return output


def test_a_terminal_gets_a_live_bar_and_the_summary_while_results_go_to_stdout(slow_mock, tmp_path):
    master, slave = pty.openpty()
    with open(tmp_path / "out.jsonl", "wb") as stdout:
        process = subprocess.Popen([str(ANT), "completions", "batch", *DEFAULTS, "--parallel", "2"],
                                   stdin=subprocess.PIPE, stdout=stdout, stderr=slave,
                                   env=installed_env({"ANTHROPIC_BASE_URL": slow_mock.url}))
        os.close(slave)
        process.stdin.write(prompts(40).encode())
        process.stdin.close()
        screen = read_terminal(master, process).decode("utf-8", "replace")
    os.close(master)
    assert process.returncode == 0
    assert "40/40" in screen and "40 ok, 0 errored" in screen  # the bar, with its counts
    assert "ant: batch: 40 of 40 lines have results: 40 succeeded, 0 errored" in screen
    assert ids((tmp_path / "out.jsonl").read_text()) == [f"q-{n}" for n in range(1, 41)]


def test_a_line_that_times_out_is_its_own_errored_result(mock_api):
    mock_api.script({"delay": 3})
    result = batch(mock_api, "--parallel", "1", "--timeout", "0.5", "--max-retries", "0", input=prompts(3))
    assert result.returncode == 7, result.stderr
    outcome = {item["custom_id"]: item["result"] for item in results(result.stdout)}
    assert outcome["q-1"]["error"]["error"]["type"] == "timeout_error"
    assert outcome["q-2"]["type"] == outcome["q-3"]["type"] == "succeeded"


@pytest.mark.parametrize("status, exit_status", [(403, 4), (404, 4)])
def test_a_refusal_that_would_fail_every_line_stops_the_batch(mock_api, status, exit_status):
    mock_api.script(*[{"status": status}] * 4)
    result = batch(mock_api, "--parallel", "2", input=prompts(40))
    assert result.returncode == exit_status
    assert len(mock_api.requests) <= 4 and result.stderr.splitlines()[-1].startswith("ant: error: the batch stopped")
    assert all(item["result"]["type"] == "errored" for item in results(result.stdout))  # whole lines only


def test_a_network_failure_that_outlasts_its_retries_stops_the_batch(unused_port):
    result = run_installed(["completions", "batch", *DEFAULTS, "--max-retries", "1"], input=prompts(30),
                           env={"ANTHROPIC_BASE_URL": f"http://127.0.0.1:{unused_port}"})
    assert result.returncode == 3
    assert "ant: error: the batch stopped: connection refused by 127.0.0.1" in result.stderr
    assert len(results(result.stdout)) <= 4  # the lines in flight, not all thirty
    assert_no_traceback(result.stderr)


def test_the_input_file_is_never_the_output(mock_api, tmp_path):
    prompts_file = tmp_path / "prompts.jsonl"
    prompts_file.write_text(prompts(3))
    for extra in (["--overwrite"], ["--resume"]):
        result = batch(mock_api, prompts_file, "-o", prompts_file, *extra)
        assert result.returncode == 2 and "is the batch input" in result.stderr
    assert prompts_file.read_text() == prompts(3) and mock_api.requests == []


def test_a_pipe_as_file_works_like_stdin(mock_api):
    script = (f"{ANT} completions batch {' '.join(DEFAULTS)} <(printf '%s' \"$LINES\") -o /dev/stdout -q "
              "--overwrite | wc -l")
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30,
                            env=installed_env({"ANTHROPIC_BASE_URL": mock_api.url, "LINES": prompts(5)}))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5"


def test_ctrl_c_without_an_output_file_still_prints_what_arrived(slow_mock, tmp_path):
    (tmp_path / "in.jsonl").write_text(prompts(200))
    process = subprocess.Popen([str(ANT), "completions", "batch", *DEFAULTS, "--parallel", "2",
                                str(tmp_path / "in.jsonl")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=installed_env({"ANTHROPIC_BASE_URL": slow_mock.url}))
    first = process.stdout.readline()
    process.send_signal(signal.SIGINT)
    rest, stderr = process.communicate(timeout=10)
    assert process.returncode == 130 and stderr.decode().endswith("ant: interrupted\n")
    printed = results(first.decode() + rest.decode())  # every line whole JSON, each with its custom_id
    assert 1 <= len(printed) < 200 and printed[0]["custom_id"] == "q-1"


def test_with_an_output_file_stdout_stays_empty(mock_api, tmp_path):
    result = batch(mock_api, "-o", tmp_path / "out.jsonl", input=prompts(3))
    assert result.returncode == 0 and result.stdout == ""
    assert_complete(tmp_path / "out.jsonl", 3)
