"""End-to-end: the installed `ant` as a subprocess against the mock API on 127.0.0.1."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.helpers import ANT, BASIC, KEY, MODEL, PROMPT, assert_no_traceback, run_installed, wait_until


def test_json_result_from_the_mock(mock_api):
    result = run_installed(["--base-url", mock_api.url] + BASIC)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["type"] == "completion" and document["model"] == MODEL
    assert document["completion"] == " Hello! You said: Hello there"
    assert result.stderr == ""
    sent = mock_api.requests[0]
    assert sent["headers"]["x-api-key"] == KEY and json.loads(sent["body"])["prompt"] == PROMPT


def test_api_key_after_the_subcommand_as_in_the_reference_example(mock_api):
    result = run_installed(BASIC + ["--base-url", mock_api.url, "--api-key", KEY], env={"ANTHROPIC_API_KEY": ""})
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_jq_pipeline(mock_api):
    env = dict(os.environ, ANTHROPIC_API_KEY=KEY, ANTHROPIC_BASE_URL=mock_api.url)
    script = f'"{ANT}" completions create --model {MODEL} --max-tokens-to-sample 8 ' \
             "--prompt $'\\n\\nHuman: pipe me\\n\\nAssistant:' | jq -r '.completion, .stop_reason'"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", script], env=env, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout == " Hello! You said: pipe me\nstop_sequence\n"


def test_text_format_for_shell_substitution(mock_api):
    result = run_installed(["--base-url", mock_api.url, "--format", "text"] + BASIC)
    assert result.stdout == " Hello! You said: Hello there\n"


def test_piped_yaml_body(mock_api):
    body = ("model: claude-2.1\nmax_tokens_to_sample: 3\nstop_sequences: [never]\n"
            "prompt: \"\\n\\nHuman: from yaml\\n\\nAssistant:\"\n")
    result = run_installed(["completions", "create", "--base-url", mock_api.url, "--format", "jsonl"], input=body)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["stop_reason"] == "max_tokens"
    assert json.loads(mock_api.requests[0]["body"])["stop_sequences"] == ["never"]


def test_stdin_left_open_with_complete_flags_does_not_hang(mock_api):
    process = subprocess.Popen([str(ANT), "--base-url", mock_api.url] + BASIC, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=dict(os.environ, ANTHROPIC_API_KEY=KEY))
    try:
        code = process.wait(timeout=15)  # raises TimeoutExpired if ant waits on the open pipe
        stdout, stderr = process.stdout.read(), process.stderr.read()
    finally:
        process.kill()
        process.stdin.close()
    assert code == 0, stderr
    assert json.loads(stdout)["type"] == "completion"


def test_stdin_from_devnull_is_ignored(mock_api):
    result = run_installed(["--base-url", mock_api.url] + BASIC, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr


def test_api_error_from_the_mock_keeps_stdout_clean(mock_api):
    result = run_installed(["--base-url", mock_api.url, "completions", "create", "--model", "claude-nope",
                            "--max-tokens-to-sample", "5", "--prompt", PROMPT])
    assert result.returncode == 4
    assert result.stdout == ""
    assert result.stderr.startswith("ant: error: 404 not_found_error: model: claude-nope (request-id req_")


def test_wrong_key_is_rejected_by_the_mock_and_never_printed(mock_api):
    result = run_installed(["--base-url", mock_api.url] + BASIC, env={"ANTHROPIC_API_KEY": "sk-wrong-key-999"})
    assert result.returncode == 4
    assert "401 authentication_error: invalid x-api-key" in result.stderr
    assert "sk-wrong-key-999" not in result.stderr + result.stdout


def test_refused_connection_is_exit_3(unused_port):
    result = run_installed(["--base-url", f"http://127.0.0.1:{unused_port}", "--max-retries", "0"] + BASIC)
    assert result.returncode == 3
    assert result.stderr == f"ant: error: connection refused by 127.0.0.1:{unused_port} (is the server running?)\n"
    assert_no_traceback(result.stderr)


def test_output_write_error_is_exit_1(mock_api):
    with open("/dev/full", "w") as full:
        result = run_installed(["--base-url", mock_api.url] + BASIC, stdout=full, capture_output=False,
                               stderr=subprocess.PIPE)
    assert result.returncode == 1
    assert result.stderr == "ant: error: cannot write the output: No space left on device\n"


def test_ctrl_c_while_waiting_for_a_response(mock_api):
    import signal

    mock_api.script({"delay": 10})
    process = subprocess.Popen([str(ANT), "--base-url", mock_api.url] + BASIC, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=dict(os.environ, ANTHROPIC_API_KEY=KEY))
    try:
        wait_until(lambda: mock_api.requests, what="the request to arrive")
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=5)
        stdout, stderr = process.communicate()
    finally:
        process.kill()
    assert code == 130 and stdout == b""
    assert stderr.decode() == "ant: interrupted\n"


def test_usage_error_from_the_installed_command():
    result = run_installed(BASIC + ["--top-k", "-5"])
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "ant: error: --top-k must be an integer >= 0, got -5\n"


def test_mock_server_runs_as_a_module_and_prints_its_url():
    import sys

    process = subprocess.Popen([sys.executable, "-m", "ant_cli.mockserver", "--port", "0"], stdout=subprocess.PIPE,
                               text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        result = run_installed(["--base-url", url, "--format", "text"] + BASIC)
        assert result.returncode == 0 and result.stdout.startswith(" Hello!")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_python_dash_m_ant_cli_is_the_same_command():
    result = subprocess.run([sys.executable, "-m", "ant_cli", "--version"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and result.stdout.startswith("ant-cli ")
