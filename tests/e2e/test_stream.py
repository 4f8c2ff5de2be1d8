"""Streaming end to end: the installed `ant` as a subprocess against the mock API's real SSE."""

import json
import os
import signal
import subprocess
import time

from tests.helpers import ANT, BASIC, KEY, assert_no_traceback, run_installed


def start(mock_api, *extra):
    env = dict(os.environ, ANTHROPIC_API_KEY=KEY, ANTHROPIC_BASE_URL=mock_api.url)
    return subprocess.Popen([str(ANT), *BASIC, "--stream", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env)


def test_events_reach_a_pipe_while_the_server_is_still_sending(mock_api):
    """Measured between events, not from the start of `ant` (slow under coverage): lines held back until
    the end would arrive together, live ones arrive as far apart as the server sends them (0.25 s)."""
    mock_api.script({"events": 20, "chunk": " tick", "interval": 0.25})  # about 5 s in all
    process = start(mock_api, "--format", "jsonl")
    try:
        first = process.stdout.readline()
        arrived = time.monotonic()
        third = [process.stdout.readline() for _ in range(2)][-1]
        apart = time.monotonic() - arrived
        assert json.loads(first)["completion"] == json.loads(third)["completion"] == " tick"
        assert process.poll() is None, "ant ended before the server finished: the events were not live"
        assert apart >= 0.3  # two intervals of 0.25 s
    finally:
        process.kill()
        process.communicate()


def test_text_chunks_arrive_live(mock_api):
    mock_api.script({"events": 12, "chunk": "ab", "interval": 0.25})
    process = start(mock_api, "--format", "text")
    try:
        assert process.stdout.read1(2) == b"ab"
        assert process.poll() is None
    finally:
        process.kill()
        process.communicate()


def test_whole_stream_as_text(mock_api):
    result = run_installed(["--base-url", mock_api.url] + BASIC + ["--stream", "--format", "text"])
    assert (result.returncode, result.stdout, result.stderr) == (0, " Hello! You said: Hello there\n", "")


def test_error_event_after_a_few_chunks(mock_api):
    mock_api.script({"events": 10, "chunk": " w", "error_after": 3})
    result = run_installed(["--base-url", mock_api.url] + BASIC + ["--stream", "--format", "text"])
    assert result.returncode == 5
    assert result.stdout == " w w w\n"
    assert result.stderr.startswith("ant: error: error in the stream: overloaded_error: Overloaded (request-id req_")


def test_bare_error_shape(mock_api):
    mock_api.script({"events": 5, "error_after": 1, "bare_error": True})
    result = run_installed(["--base-url", mock_api.url] + BASIC + ["--stream", "--format", "jsonl"])
    assert result.returncode == 5 and len(result.stdout.splitlines()) == 1


def test_stream_cut_short(mock_api):
    mock_api.script({"events": 10, "chunk": " w", "cut_after": 4})
    result = run_installed(["--base-url", mock_api.url] + BASIC + ["--stream", "--format", "text"])
    assert result.returncode == 3
    assert result.stdout == " w w w w\n"
    assert "the stream was cut short after 4 events" in result.stderr
    assert_no_traceback(result.stderr)


def test_max_items(mock_api):
    mock_api.script({"events": 50})
    result = run_installed(["--base-url", mock_api.url] + BASIC + ["--stream", "--format", "jsonl",
                                                                   "--max-items", "3"])
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 3


def test_sigint_mid_stream_keeps_output_and_exits_130(mock_api):
    mock_api.script({"events": 100, "chunk": " tick", "interval": 0.2})
    process = start(mock_api, "--format", "text")
    try:
        assert process.stdout.read1(5) == b" tick"
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=15)  # the whole stream would take 20 s
        rest, stderr = process.communicate()
    finally:
        process.kill()
    assert code == 130
    output = b" tick" + rest
    assert output.count(b"tick") < 100  # stopped mid-stream: not every event was read
    assert output.endswith(b"\n") and set(output.split()) == {b"tick"}  # what arrived is kept, then a newline
    assert stderr.decode() == "ant: interrupted\n"


def test_reader_going_away_is_quiet(mock_api):
    mock_api.script({"events": 20000, "chunk": " xxxxxxxxxx"})
    env = dict(os.environ, ANTHROPIC_API_KEY=KEY, ANTHROPIC_BASE_URL=mock_api.url)
    command = f"'{ANT}' " + " ".join(f"$'{arg}'" if "\n" in arg else f"'{arg}'" for arg in BASIC)
    command = command.replace("\n", "\\n") + " --stream --format text | head -c 100 > /dev/null; " \
                                              "echo \"status=${PIPESTATUS[0]}\""
    result = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout == "status=0\n"
    assert result.stderr == ""


def test_closed_stdout_mid_stream_in_jsonl(mock_api):
    mock_api.script({"events": 20000})
    process = start(mock_api, "--format", "jsonl")
    process.stdout.read(200)
    process.stdout.close()
    code = process.wait(timeout=30)
    stderr = process.stderr.read().decode()
    assert code == 0 and stderr == ""
