"""CLI tests: the real entry point in-process, HTTP mocked with `responses`; exit status, stdout and
stderr are asserted separately."""

import json

import pytest
import responses
from click.testing import CliRunner

from ant_cli.cli.root import cli
from ant_cli.core.plan import Format
from ant_cli.core.types import Invocation
from tests.helpers import BASIC, COMPLETION, KEY, MODEL, PROMPT, assert_no_traceback, run_ant

URL = "https://api.anthropic.com/v1/complete"


def api_returns(status=200, body=None, headers=None, **kwargs):
    headers = dict({"request-id": "req_01test"}, **(headers or {}))
    if isinstance(body, (bytes, str)):
        return responses.post(URL, status=status, body=body, headers=headers, **kwargs)
    return responses.post(URL, status=status, json=COMPLETION if body is None else body, headers=headers, **kwargs)


def error_envelope(error_type, message):
    return {"type": "error", "error": {"type": error_type, "message": message}, "request_id": "req_01body"}


def sent_body(index=0):
    return json.loads(responses.calls[index].request.body)


@responses.activate
def test_success_prints_json_on_stdout_only():
    api_returns()
    result = run_ant(BASIC)
    assert result.code == 0
    assert json.loads(result.stdout) == COMPLETION
    assert result.stderr == ""


@responses.activate
def test_every_flag_reaches_the_wire():
    api_returns()
    result = run_ant(BASIC + ["--temperature", "0.2", "--top-k", "5", "--top-p", "0.7", "--stop-sequence", "END",
                              "--stop-sequence", "STOP", "--metadata", "{user_id: abc}", "--beta", "pdfs-2024-09-25",
                              "--beta", "files-api-2025-04-14", "--no-stream"])
    assert result.code == 0, result.stderr
    assert sent_body() == {"model": MODEL, "max_tokens_to_sample": 64, "prompt": PROMPT, "temperature": 0.2,
                           "top_k": 5, "top_p": 0.7, "stop_sequences": ["END", "STOP"],
                           "metadata": {"user_id": "abc"}, "stream": False}
    headers = responses.calls[0].request.headers
    assert headers["anthropic-beta"] == "pdfs-2024-09-25,files-api-2025-04-14"
    assert headers["x-api-key"] == KEY
    assert headers["anthropic-version"] == "2023-06-01"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"].startswith("ant-cli/")
    assert headers["x-stainless-retry-count"] == "0"


@responses.activate
def test_global_options_work_before_and_after_the_subcommand():
    api_returns()
    before = run_ant(["--format", "text", "--api-key", "k-before"] + BASIC, env={"ANTHROPIC_API_KEY": ""})
    after = run_ant(BASIC + ["--format", "text", "--api-key", "k-after"], env={"ANTHROPIC_API_KEY": ""})
    assert before.stdout == after.stdout == " Hi!\n"
    assert [call.request.headers["x-api-key"] for call in responses.calls] == ["k-before", "k-after"]


def test_a_value_after_the_subcommand_wins():
    runner = CliRunner()
    result = runner.invoke(cli, ["--format", "yaml"] + BASIC + ["--format", "jsonl"], standalone_mode=False)
    assert isinstance(result.return_value, Invocation)
    assert result.return_value.settings.output_format is Format.JSONL


@responses.activate
def test_auth_token_and_base_url_from_the_environment():
    responses.post("http://127.0.0.1:9/v1/complete", json=COMPLETION)
    result = run_ant(BASIC, env={"ANTHROPIC_API_KEY": "", "ANTHROPIC_AUTH_TOKEN": "tok-123456",
                                 "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"})
    assert result.code == 0, result.stderr
    assert responses.calls[0].request.headers["authorization"] == "Bearer tok-123456"


@responses.activate
@pytest.mark.parametrize("fmt, expected", [
    ("text", " Hi!\n"),
    ("jsonl", json.dumps(COMPLETION, separators=(",", ":")) + "\n"),
    ("yaml", "id: compl_01abc\ntype: completion\ncompletion: ' Hi!'\nstop_reason: stop_sequence\n"
             f"model: {MODEL}\n"),
])
def test_formats(fmt, expected):
    api_returns()
    result = run_ant(BASIC + ["--format", fmt])
    assert (result.code, result.stdout, result.stderr) == (0, expected, "")


@responses.activate
def test_raw_format_prints_the_body_byte_for_byte():
    api_returns(body='{"completion":  " spaced",  "id": "x"}')
    result = run_ant(BASIC + ["--format", "raw"])
    assert result.stdout == '{"completion":  " spaced",  "id": "x"}\n'


@responses.activate
def test_auto_in_a_pipe_is_json():
    api_returns()
    assert json.loads(run_ant(BASIC).stdout) == COMPLETION


@responses.activate
def test_transform_with_raw_output():
    api_returns()
    result = run_ant(BASIC + ["--transform", "stop_reason", "-r"])
    assert (result.code, result.stdout) == (0, "stop_sequence\n")


@responses.activate
def test_unmatched_transform_exits_1_with_nothing_on_stdout():
    api_returns()
    result = run_ant(BASIC + ["--transform", "choices.0"])
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr == "ant: error: --transform path 'choices.0' matches nothing in the response\n"


@responses.activate
@pytest.mark.parametrize("status, error_type, code", [
    (400, "invalid_request_error", 4), (401, "authentication_error", 4), (403, "permission_error", 4),
    (404, "not_found_error", 4), (413, "request_too_large", 4), (429, "rate_limit_error", 6),
    (500, "api_error", 5), (529, "overloaded_error", 5),
])
def test_api_errors_are_one_line_on_stderr_with_their_exit_status(status, error_type, code):
    api_returns(status, error_envelope(error_type, "it failed"))
    result = run_ant(BASIC + ["--max-retries", "0"])
    assert result.code == code
    assert result.stdout == ""
    assert result.stderr == f"ant: error: {status} {error_type}: it failed (request-id req_01test)\n"


@responses.activate
def test_non_json_error_body_is_described_not_dumped():
    api_returns(502, "<html><body><h1>Bad Gateway</h1></body></html>", content_type="text/html")
    result = run_ant(BASIC + ["--max-retries", "0"])
    assert result.code == 5 and result.stdout == ""
    assert "502 Bad Gateway: the server sent a non-JSON text/html body: Bad Gateway" in result.stderr
    assert "<h1>" not in result.stderr


@responses.activate
def test_non_json_success_body_is_an_error():
    api_returns(200, "not json at all", content_type="text/plain")
    result = run_ant(BASIC)
    assert result.code == 5 and result.stdout == ""
    assert "non-JSON text/plain body" in result.stderr


@responses.activate
def test_format_error_json_prints_the_error_body_on_stderr():
    api_returns(404, error_envelope("not_found_error", "model: x"))
    result = run_ant(BASIC + ["--format-error", "json"])
    assert result.code == 4 and result.stdout == ""
    assert json.loads(result.stderr)["error"]["message"] == "model: x"


@responses.activate
def test_transform_error_selects_from_the_error_body():
    api_returns(400, error_envelope("invalid_request_error", "bad prompt"))
    result = run_ant(BASIC + ["--transform-error", "error.message", "-r"])
    assert (result.code, result.stdout, result.stderr) == (4, "", "bad prompt\n")


@responses.activate
def test_piped_json_body_merges_under_flags():
    api_returns()
    piped = json.dumps({"model": "overridden", "temperature": 0.3, "custom_key": True})
    result = run_ant(BASIC, input=piped)
    assert result.code == 0, result.stderr
    assert sent_body()["model"] == MODEL and sent_body()["temperature"] == 0.3 and sent_body()["custom_key"]


@responses.activate
def test_piped_yaml_body_alone_is_enough():
    api_returns()
    yaml_body = 'model: claude-2.1\nmax_tokens_to_sample: 5\nprompt: "\\n\\nHuman: hi\\n\\nAssistant:"\n'
    result = run_ant(["completions", "create", "--format", "text"], input=yaml_body)
    assert result.code == 0, result.stderr
    assert sent_body()["prompt"] == "\n\nHuman: hi\n\nAssistant:"


@responses.activate
def test_prompt_from_a_file(tmp_path):
    api_returns()
    (tmp_path / "p.txt").write_text(PROMPT)
    result = run_ant(["completions", "create", "--model", MODEL, "--max-tokens-to-sample", "3",
                      "--prompt", f"@{tmp_path / 'p.txt'}"])
    assert result.code == 0 and sent_body()["prompt"] == PROMPT


@responses.activate
def test_deprecated_model_warns_on_stderr_only():
    api_returns()
    result = run_ant(BASIC[:3] + ["claude-3-haiku-20240307"] + BASIC[4:])
    assert result.code == 0 and json.loads(result.stdout)
    assert result.stderr.startswith("ant: warning: model claude-3-haiku-20240307 is deprecated")
    assert run_ant(BASIC[:3] + ["claude-3-haiku-20240307"] + BASIC[4:] + ["-q"]).stderr == ""


@pytest.mark.parametrize("extra, message", [
    (["--temperature", "2"], "--temperature must be a number from 0 to 1, got 2.0"),
    (["--temperature", "nan"], "--temperature must be a number from 0 to 1, got nan"),
    (["--temperature", "warm"], "'warm' is not a valid float"),
    (["--top-k", "-1"], "--top-k must be an integer >= 0"),
    (["--top-p", "1.1"], "--top-p must be a number from 0 to 1"),
    (["--max-tokens-to-sample", "0"], "--max-tokens-to-sample must be an integer >= 1, got 0"),
    (["--max-tokens-to-sample", "1.5"], "'1.5' is not a valid integer"),
    (["--metadata", "[1]"], "--metadata must be an object"),
    (["--metadata.user-id", "u" * 300], "at most 256 characters"),
    (["--format", "xml"], "'xml' is not one of"),
    (["--base-url", "ftp://x"], "--base-url (ANTHROPIC_BASE_URL) must be an http:// or https:// URL"),
    (["stray"], "unexpected extra argument (stray)"),
    (["--modle", "x"], "--modle"),
    (["--prompt", "no turns"], 'must start with a "\\n\\nHuman:" turn'),
    (["--prompt", ""], "--prompt must not be empty"),
])
@responses.activate
def test_bad_input_is_a_usage_error_and_nothing_is_sent(extra, message):
    result = run_ant(BASIC + extra)
    assert result.code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.startswith("ant: error: ") and result.stderr.count("\n") == 1
    assert len(responses.calls) == 0


def test_mistyped_flag_gets_a_suggestion():
    result = run_ant(BASIC + ["--modle", "x"])
    assert result.code == 2 and "--modle" in result.stderr and "--model" in result.stderr.split("--modle", 1)[1]


@responses.activate
def test_missing_required_flags_and_key():
    result = run_ant(["completions", "create", "--model", MODEL])
    assert result.code == 2 and "missing required options --max-tokens-to-sample, --prompt" in result.stderr
    result = run_ant(BASIC, env={"ANTHROPIC_API_KEY": ""})
    assert result.code == 2 and "ANTHROPIC_API_KEY" in result.stderr
    assert len(responses.calls) == 0


@responses.activate
def test_no_prompt_check_sends_any_prompt():
    api_returns()
    result = run_ant(BASIC + ["--prompt", "free form", "--no-prompt-check"])
    assert result.code == 0 and sent_body()["prompt"] == "free form"


@responses.activate
def test_missing_at_file_names_the_file():
    result = run_ant(BASIC + ["--prompt", "@/no/such/prompt.txt"])
    assert result.code == 2
    assert "--prompt: cannot read file '/no/such/prompt.txt'" in result.stderr


@responses.activate
def test_network_failure_is_exit_3_without_traceback():
    responses.post(URL, body=ConnectionError("boom"))
    result = run_ant(BASIC + ["--max-retries", "0"])
    assert result.code == 3 and result.stdout == ""
    assert result.stderr.startswith("ant: error: ") and result.stderr.count("\n") == 1
    assert_no_traceback(result.stderr)


def test_help_and_version_go_to_stdout_and_document_exit_statuses():
    result = run_ant(["completions", "create", "--help"])
    assert result.code == 0 and result.stderr == ""
    for text in ("--max-tokens-to-sample", "--stop-sequence", "--metadata.user-id", "Global options", "--api-key",
                 "Exit status:", "130", "claude-2.1 and claude-2.0 are the ids"):
        assert text in result.stdout
    version = run_ant(["--version"])
    assert version.code == 0 and version.stdout.startswith("ant-cli ")


def test_internal_errors_are_one_line_without_debug(monkeypatch):
    import ant_cli.request.prepare

    def explode(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(ant_cli.request.prepare, "prepare_request", explode)
    result = run_ant(BASIC)
    assert result.code == 1
    assert result.stderr == "ant: error: internal error: RuntimeError: unexpected (rerun with --debug for details)\n"
    debug = run_ant(BASIC + ["--debug"])
    assert "Traceback" in debug.stderr and debug.code == 1


@pytest.mark.parametrize("args, usage, lists", [([], "Usage: ant [OPTIONS]", "completions"),
                                               (["completions"], "Usage: ant completions", "create")])
def test_no_subcommand_shows_help_on_stderr_with_usage_status(args, usage, lists):
    result = run_ant(args)
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.startswith(usage)
    assert f"\n  {lists} " in result.stderr


def test_each_lazily_loaded_subcommand_is_the_command_of_that_name():
    import click

    from ant_cli.cli.root import completions

    ctx = click.Context(completions)
    assert completions.list_commands(ctx) == ["batch", "create"]
    assert all(completions.get_command(ctx, name).name == name for name in completions.list_commands(ctx))


@responses.activate
def test_the_key_never_reaches_stdout_or_stderr_even_when_the_api_echoes_it():
    """The run's credentials are masked in everything it writes: its data too, not only its talk."""
    responses.post(URL, json=dict(COMPLETION, completion=f" your key is {KEY}"))
    result = run_ant(BASIC + ["--format", "json"])
    assert result.code == 0 and KEY not in result.stdout and "your key is <redacted>" in result.stdout
    responses.post(URL, status=400, json={"type": "error", "error": {"type": "invalid_request_error",
                                                                      "message": f"bad key {KEY}"}})
    failed = run_ant(BASIC + ["--format-error", "json"])
    assert failed.code == 4 and KEY not in failed.stderr and "<redacted>" in failed.stderr


def test_a_key_with_a_space_around_it_is_a_usage_error_that_does_not_echo_it():
    result = run_ant(BASIC, env={"ANTHROPIC_API_KEY": f" {KEY}"})
    assert result.code == 2 and "starts or ends with a space" in result.stderr and KEY not in result.stderr
