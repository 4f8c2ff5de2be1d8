"""Table-driven bad input: every malformed argument list or piped body ends with one line on stderr,
exit status 2, no traceback, nothing on stdout, and no request sent.

click's own usage errors read like ours (`ant: error: ...`, lower-case, one line, the --help hint),
and a mistyped command name gets the closest command path of the whole tree as a suggestion.
"""

import re

import pytest
import responses

from tests.helpers import BASIC, COMPLETION, MODEL, PROMPT, run_ant

CREATE = ["completions", "create"]
FLAGS = ["--model", MODEL, "--max-tokens-to-sample", "8", "--prompt", PROMPT]
OK_BODY = '"model": "claude-2.1", "max_tokens_to_sample": 8, "prompt": "\\n\\nHuman: hi\\n\\nAssistant:"'

ARGUMENTS = [
    ["--temperature", "2"], ["--temperature", "-0.1"], ["--temperature", "nan"], ["--temperature", "inf"],
    ["--temperature", "-inf"], ["--temperature", "abc"], ["--temperature", ""], ["--temperature"],
    ["--top-p", "1.5"], ["--top-p", "-1"], ["--top-p", "NaN"], ["--top-k", "-1"], ["--top-k", "1.5"],
    ["--top-k", "abc"], ["--top-k", ""], ["--max-tokens-to-sample", "0"], ["--max-tokens-to-sample", "-5"],
    ["--max-tokens-to-sample", "1e3"], ["--max-tokens-to-sample", ""],
    ["--prompt", ""], ["--prompt", "   "], ["--prompt", "no turns at all"], ["--prompt", "\n\nHuman: hi"],
    ["--prompt", "\\n\\nHuman: hi\\n\\nAssistant:"], ["--prompt", "\udcff\udcfe"], ["--model", ""],
    ["--model", "bad\udcffmodel"], ["--metadata", "[1,2]"], ["--metadata", "{broken"],
    ["--metadata", "42"], ["--metadata", '{"user_id": 5}'], ["--metadata", ""],
    ["--metadata.user-id", "u" * 257], ["--format", "xml"], ["--format-error", "bogus"],
    ["--base-url", "ftp://x"], ["--base-url", "not-a-url"], ["--base-url", ""], ["--max-retries", "-1"],
    ["--max-retries", "abc"], ["--timeout", "0"], ["--timeout", "-5"], ["--timeout", "nan"],
    ["--connect-timeout", "0"], ["--stream", "--max-items", "-5"], ["stray"], ["--modle", "x"],
    ["--stream", "false"], ["--prompt", "@/no/such/file.txt"], ["--prompt", "@"], ["--prompt", "@/"],
    ["--stop-sequence", ""], ["--beta", "@/no/such/beta"], ["--prompt", "@-", "--model", "@-"],
    ["--beta", "a\nb"], ["--beta", "бета"], ["--api-key", "sk-line\nbreak"], ["--api-key", "sk-ключ-1234"],
    ["--auth-token", "tok\x07en", "--api-key", ""],
]

PIPED = [
    "[1, 2]", "just a string", "{broken json", "key: [unclosed", "null", "42", "{}",
    '{"model": 5, "max_tokens_to_sample": 8, "prompt": "\\n\\nHuman: hi\\n\\nAssistant:"}',
    '{"max_tokens_to_sample": "ten", "model": "m", "prompt": "\\n\\nHuman: hi\\n\\nAssistant:"}',
    '{"max_tokens_to_sample": true, "model": "m", "prompt": "\\n\\nHuman: hi\\n\\nAssistant:"}',
    '{"max_tokens_to_sample": 1.5, "model": "m", "prompt": "\\n\\nHuman: hi\\n\\nAssistant:"}',
    "{" + OK_BODY + ', "temperature": "hot"}', "{" + OK_BODY + ', "temperature": NaN}',
    "{" + OK_BODY + ', "temperature": 1e400}', "{" + OK_BODY + ', "top_k": -3}',
    "{" + OK_BODY + ', "stop_sequences": "END"}', "{" + OK_BODY + ', "stop_sequences": [1, 2]}',
    "{" + OK_BODY + ', "metadata": "x"}', "{" + OK_BODY + ', "stream": "yes"}',
    '{"model": "m", "max_tokens_to_sample": 8, "prompt": null}', '{"model": "m", "prompt": "@/no/such/prompt"}',
    "model: m\nmax_tokens_to_sample: 8\nprompt: [a, b]\n",
    "{" + OK_BODY + ', "metadata": {"user_id": "' + "x" * 300 + '"}}',
]
ENCODED = [("{" + OK_BODY + "}").encode("utf-16"), b"\xff\xfe\xfa", b'{"model": "\xc3\x28"}']


def test_a_malformed_key_is_never_echoed():
    result = run_ant(CREATE + FLAGS + ["--api-key", "sk-secret\nvalue-42"])
    assert result.code == 2 and "secret" not in result.stderr and "value-42" not in result.stderr
    assert "the API key (--api-key / ANTHROPIC_API_KEY) contains a character" in result.stderr


def check(result):
    assert result.code == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("ant: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(responses.calls) == 0


@responses.activate
@pytest.mark.parametrize("extra", ARGUMENTS, ids=range(len(ARGUMENTS)))
def test_bad_arguments(extra):
    check(run_ant(CREATE + FLAGS + extra))


@responses.activate
@pytest.mark.parametrize("body", PIPED, ids=range(len(PIPED)))
def test_bad_piped_bodies(body):
    check(run_ant(CREATE, input=body))


@responses.activate
@pytest.mark.parametrize("body", ENCODED, ids=range(len(ENCODED)))
def test_oddly_encoded_piped_bodies(body):
    check(run_ant(CREATE, input=body))


@responses.activate
@pytest.mark.parametrize("args, env", [
    (CREATE + ["--model", MODEL], {}),
    (BASIC, {"ANTHROPIC_API_KEY": ""}),
    (["completions", "crate"], {}),
    (["nope"], {}),
    (BASIC + ["--api-key", ""], {"ANTHROPIC_API_KEY": ""}),
    (BASIC, {"ANTHROPIC_BASE_URL": "file:///etc"}),
])
def test_missing_pieces(args, env):
    check(run_ant(args, env=env))


@responses.activate
def test_without_its_bad_piece_each_case_would_be_sent():
    """The flags and the body the cases start from are valid, so each case fails for its own bad piece."""
    responses.post("https://api.anthropic.com/v1/complete", json=COMPLETION)
    assert run_ant(CREATE + FLAGS).code == 0
    assert run_ant(CREATE, input="{" + OK_BODY + "}").code == 0
    assert len(responses.calls) == 2


OUR_STYLE = re.compile(r"ant: error: [a-z][^\n]*[^.] \(see 'ant[a-z@ ]*--help'\)\n")


@pytest.mark.parametrize("args", [
    BASIC + ["--bogus"],  # unknown option
    BASIC + ["--modle", "x"],  # unknown option with a suggestion
    BASIC + ["--format", "xml"],  # bad choice
    ["completion"],  # missing argument
    ["completion", "tcsh"],  # bad choice of argument
    BASIC + ["--model"],  # option without its value
    BASIC + ["stray"],  # extra argument
    BASIC + ["--top-k", "1.5"],  # bad value type
    ["nonsense"],  # unknown command
])
def test_every_usage_error_reads_the_same(args):
    result = run_ant(args)
    assert result.code == 2 and result.stdout == ""
    assert OUR_STYLE.fullmatch(result.stderr), result.stderr


def test_a_value_missing_after_an_option_names_the_command_for_help():
    assert run_ant(BASIC + ["--model"]).stderr == ("ant: error: option '--model' requires an argument "
                                                   "(see 'ant completions create --help')\n")


def test_missing_argument_names_it_and_lists_the_choices():
    assert run_ant(["completion"]).stderr == ("ant: error: missing argument 'SHELL'; choose from: bash, zsh, fish, "
                                              "pwsh (see 'ant completion --help')\n")


@pytest.mark.parametrize("args, suggestion", [
    (["completion", "create"], "ant completions create"),
    (["completion", "batc"], "ant completions batch"),
    (["completons", "create"], "ant completions create"),
    (["completions", "creat"], "ant completions create"),
    (["complet"], "ant completion"),
])
def test_a_mistyped_command_suggests_the_right_one(args, suggestion):
    result = run_ant(args + ["--model", "x"])
    assert result.code == 2
    assert f"did you mean '{suggestion}'?" in result.stderr


def test_no_suggestion_when_nothing_is_close_and_never_a_hidden_command():
    assert "did you mean" not in run_ant(["completion", "tcsh"]).stderr
    assert "did you mean" not in run_ant(["xyzzy"]).stderr
    assert "@" not in run_ant(["completio"]).stderr
