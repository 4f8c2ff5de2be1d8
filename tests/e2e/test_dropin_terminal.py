"""On a real (pseudo-)terminal: json, jsonl and yaml come syntax-coloured, NO_COLOR turns it off, and a
pipe never gets colour; a streamed pretty view on a narrow terminal ends with whole facts."""

import re

import pytest

from tests.e2e.test_shell import run_in_terminal
from tests.helpers import BASIC, run_installed

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml"])
def test_a_terminal_gets_coloured_data_and_a_pipe_plain(mock_api, fmt):
    code, out, err = run_in_terminal(["--base-url", mock_api.url, "--format", fmt] + BASIC)
    assert code == 0, err
    assert "\x1b[1;34m" in out and "\x1b[32m" in out  # keys and strings
    piped = run_installed(["--base-url", mock_api.url, "--format", fmt] + BASIC)
    assert "\x1b[" not in piped.stdout
    assert without_ids(ANSI.sub("", out).replace("\r\n", "\n")) == without_ids(piped.stdout)


def without_ids(text: str) -> str:
    """Each run gets its own completion id from the mock."""
    return re.sub(r"compl_\w+", "compl_ID", text)


def test_no_color_keeps_a_terminal_plain(mock_api):
    code, out, _ = run_in_terminal(["--base-url", mock_api.url, "--format", "json"] + BASIC, env={"NO_COLOR": "1"})
    assert code == 0 and "\x1b[" not in out


def test_a_streamed_pretty_view_on_a_narrow_terminal_ends_with_whole_facts(mock_api):
    code, out, err = run_in_terminal(["--base-url", mock_api.url] + BASIC + ["--stream"],
                                     env={"NO_COLOR": "1", "COLUMNS": "30"})
    assert code == 0, err
    lines = out.replace("\r\n", "\n").rstrip("\n").split("\n")
    assert lines[0] == " Hello! You said: Hello there"
    assert lines[1:] == ["stop: stop_sequence", "model claude-2.1", "id", lines[4], "request-id", lines[6]]
    assert lines[4].startswith("compl_") and lines[6].startswith("req_")
