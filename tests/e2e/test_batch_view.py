"""What a batch tells its user on stderr: the summary counts what happened, --debug says which line each
log line is about, and on a terminal the bar labels lines already done, shows a shared pause counting down,
and stays off a terminal that also receives the results."""

from __future__ import annotations

import os
import pty
import re
import subprocess

from tests.e2e.test_batch import DEFAULTS, batch, ids, prompts, read_terminal
from tests.helpers import ANT, installed_env

SUMMARY = re.compile(r"ant: batch: (\d+) of (\d+) lines have results: .*; (.*); (\d+\.\d)s(, [\d.]+ lines/s)?$")


def summary_of(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def test_the_summary_counts_lines_results_by_type_requests_retries_and_lines_per_second(mock_api):
    mock_api.script({"status": 529, "headers": {"retry-after-ms": "50"}},
                    {"status": 400, "error": "invalid_request_error", "message": "bad"})
    result = batch(mock_api, "--parallel", "1", input=prompts(3) + "not json\n")
    assert result.returncode == 7, result.stderr
    line = summary_of(result.stderr)
    assert line.startswith("ant: batch: 4 of 4 lines have results: 2 succeeded, 2 errored "
                           "(2 invalid_request_error); 4 HTTP requests sent (1 retry); "), line
    assert SUMMARY.match(line).group(5) and "requests/s" not in line


def test_a_run_that_sends_nothing_says_so_and_shows_no_rate(mock_api, tmp_path):
    output = tmp_path / "out.jsonl"
    assert batch(mock_api, "-o", output, input=prompts(2)).returncode == 0
    result = batch(mock_api, "-o", output, "--resume", input=prompts(2))
    assert result.returncode == 0, result.stderr
    line = summary_of(result.stderr)
    assert "2 already done; no requests sent;" in line and "/s" not in line, line


def test_debug_lines_name_the_line_they_are_about(mock_api):
    result = batch(mock_api, "--debug", "--parallel", "2", input=prompts(2))
    assert result.returncode == 0, result.stderr
    debug = [line for line in result.stderr.splitlines() if line.startswith("ant: debug: ")]
    exchanges = [line for line in debug if not re.match(r"ant: debug: (pace|limits|no limit)", line)]
    assert exchanges and all(re.match(r"ant: debug: q-[12]: [<>] ", line) for line in exchanges), debug
    assert sum("> POST" in line for line in debug) == 2


def on_terminal(mock, args, input_text: str, tmp_path, stdout_on_terminal: bool = False, env=None) -> tuple[int, str]:
    """Run a batch of `input_text` with stderr (and stdout, if asked) on a pseudo-terminal; (status, screen)."""
    (tmp_path / "in.jsonl").write_text(input_text)
    master, slave = pty.openpty()
    with open(tmp_path / "stdout.jsonl", "wb") as stdout:
        process = subprocess.Popen([str(ANT), "completions", "batch", *DEFAULTS, str(tmp_path / "in.jsonl"), *args],
                                   stdin=subprocess.DEVNULL, stdout=slave if stdout_on_terminal else stdout,
                                   stderr=slave, env=installed_env({"ANTHROPIC_BASE_URL": mock.url, "COLUMNS": "120",
                                                                    "TERM": "xterm-256color", **(env or {})}))
        os.close(slave)
        screen = read_terminal(master, process).decode("utf-8", "replace")
    os.close(master)
    return process.returncode, screen


def test_the_bar_labels_the_lines_already_done(slow_mock, tmp_path):
    output = tmp_path / "out.jsonl"
    assert batch(slow_mock, "-o", output, input=prompts(5)).returncode == 0
    code, screen = on_terminal(slow_mock, ["-o", str(output), "--resume"], prompts(30), tmp_path)
    assert code == 0, screen
    assert re.search(r"\d+ ok, 0 errored, 5 already done", screen) and "30/30" in screen  # the bar's counts


def test_a_shared_pause_is_shown_counting_down_and_notices_give_the_real_wait(mock_api, tmp_path):
    # one line answered at once, so that a third line goes out before any pause; then two lines in flight
    # refused one after the other: the first pauses everyone for 3 s, the second's own hint is only 1 s
    mock_api.script({}, {"status": 429, "headers": {"retry-after": "3"}, "delay": 0.5},
                    {"status": 429, "headers": {"retry-after": "1"}, "delay": 0.8})
    code, screen = on_terminal(mock_api, ["--parallel", "2"], prompts(4), tmp_path)
    assert code == 0, screen
    assert re.search(r"batch paused \(rate limit\): resumes in [23]s", screen), screen
    assert re.search(r"batch paused \(rate limit\): resumes in 1s", screen), screen  # it counts down
    waits = [float(wait) for wait in re.findall(r"retrying in ([\d.]+)s", screen)]
    assert len(waits) == 2 and min(waits) >= 2.0, waits  # the 1 s hint waits out the other line's pause
    assert ids((tmp_path / "stdout.jsonl").read_text()) == ["q-1", "q-2", "q-3", "q-4"]


def test_results_on_the_same_terminal_get_no_bar_between_them(slow_mock, tmp_path):
    code, screen = on_terminal(slow_mock, ["--parallel", "2"], prompts(20), tmp_path, stdout_on_terminal=True)
    assert code == 0, screen
    lines = screen.replace("\r\n", "\n").strip().split("\n")
    assert "\x1b[" not in screen and "━" not in screen  # no bar and no cursor movement
    assert ids("\n".join(lines[:-1])) == [f"q-{n}" for n in range(1, 21)]  # whole lines, each on its own
    assert lines[-1].startswith("ant: batch: 20 of 20 lines have results")
