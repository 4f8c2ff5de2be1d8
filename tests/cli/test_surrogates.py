"""A completion holding a lone surrogate (`\\ud800` in the API's JSON) prints in every format, exit 0:
escaped where the format can say it (json, jsonl, yaml, raw), replaced by U+FFFD in text and pretty."""

import json

import pytest
import responses
import yaml

from tests.helpers import BASIC, run_ant

URL = "https://api.anthropic.com/v1/complete"
TEXT = " a\ud800b \u00e9 z"  # what the API's " a\\ud800b \\u00e9 z" decodes to
SHOWN = " a\ufffdb \u00e9 z"
BODY = ('{"type": "completion", "id": "c1", "completion": " a\\ud800b \\u00e9 z", "stop_reason": "max_tokens", '
        '"model": "m"}')
EVENTS = ('event: completion\ndata: {"type": "completion", "completion": " a\\ud800b", "stop_reason": null}\n\n'
          'event: completion\ndata: {"type": "completion", "completion": " \\u00e9 z", '
          '"stop_reason": "max_tokens"}\n\n')


def answer(fmt: str, *extra: str, stream: bool = False):
    headers = {"request-id": "req_1", "content-type": "text/event-stream" if stream else "application/json"}
    responses.post(URL, body=EVENTS if stream else BODY, headers=headers)
    return run_ant(BASIC + ["--format", fmt, *extra] + (["--stream"] if stream else []))


def parsed_documents(fmt: str, stdout: str) -> list:
    if fmt == "yaml":
        return list(yaml.safe_load_all(stdout))
    if fmt == "json":  # one indented document per event when streaming
        decoder, documents, at = json.JSONDecoder(), [], 0
        while stdout[at:].strip():
            document, at = decoder.raw_decode(stdout, len(stdout) - len(stdout[at:].lstrip()))
            documents.append(document)
        return documents
    return [json.loads(line) for line in stdout.splitlines()]


@responses.activate
@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml", "raw"])
def test_formats_that_can_escape_it_keep_it_exactly(fmt):
    result = answer(fmt)
    assert (result.code, result.stderr) == (0, "")
    assert parsed_documents(fmt, result.stdout)[0]["completion"] == TEXT


@responses.activate
@pytest.mark.parametrize("fmt", ["text", "pretty"])
def test_text_and_pretty_replace_it_and_keep_the_rest(fmt):
    result = answer(fmt)
    assert (result.code, result.stderr) == (0, "")
    assert SHOWN in result.stdout


@responses.activate
def test_raw_output_of_a_transform_replaces_it():
    result = answer("json", "--transform", "completion", "-r")
    assert (result.code, result.stdout) == (0, SHOWN + "\n")


@responses.activate
@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml", "raw"])
def test_streamed_formats_that_can_escape_it_keep_it_exactly(fmt):
    result = answer(fmt, stream=True)
    assert (result.code, result.stderr) == (0, "")
    assert "".join(document["completion"] for document in parsed_documents(fmt, result.stdout)) == TEXT


@responses.activate
@pytest.mark.parametrize("fmt", ["text", "pretty"])
def test_streamed_text_and_pretty_replace_it_and_keep_the_rest(fmt):
    result = answer(fmt, stream=True)
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.startswith(SHOWN + "\n")


@responses.activate
def test_a_transform_selecting_it_in_jsonl_escapes_it():
    result = answer("jsonl", "--transform", "completion", stream=True)
    assert result.code == 0 and [json.loads(line) for line in result.stdout.splitlines()] == [" a\ud800b", " \u00e9 z"]
