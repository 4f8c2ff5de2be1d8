"""Colour for json, jsonl and yaml follows the terminal rule: never in a pipe, FORCE_COLOR turns it on,
NO_COLOR wins; raw is never coloured; a streamed jsonl line is coloured like a whole one."""

import json
import re

import pytest
import responses

from tests.helpers import BASIC, COMPLETION, run_ant

URL = "https://api.anthropic.com/v1/complete"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def answer(fmt, env=None, stream=False):
    if stream:
        body = f"event: completion\ndata: {json.dumps(dict(COMPLETION, stop_reason='max_tokens'))}\n\n"
        responses.post(URL, body=body, headers={"content-type": "text/event-stream"})
    else:
        responses.post(URL, json=COMPLETION)
    return run_ant(BASIC + ["--format", fmt] + (["--stream"] if stream else []), env=env)


@responses.activate
@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml"])
def test_force_color_colours_and_the_text_is_unchanged(fmt):
    plain = answer(fmt)
    forced = answer(fmt, env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in plain.stdout and "\x1b[" in forced.stdout
    assert ANSI.sub("", forced.stdout) == plain.stdout


@responses.activate
@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml", "raw"])
def test_no_color_wins_and_raw_is_never_coloured(fmt):
    assert "\x1b[" not in answer(fmt, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[" not in answer("raw", env={"FORCE_COLOR": "1"}).stdout


@responses.activate
def test_a_streamed_jsonl_line_is_coloured_too():
    forced = answer("jsonl", env={"FORCE_COLOR": "1"}, stream=True)
    assert "\x1b[" in forced.stdout and json.loads(ANSI.sub("", forced.stdout))["completion"] == " Hi!"
