"""click's own usage errors read like ours (`ant: error: ...`, lower-case, one line, the --help hint),
and a mistyped command name gets the closest command path of the whole tree as a suggestion."""

import re

import pytest

from tests.helpers import BASIC, run_ant

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
