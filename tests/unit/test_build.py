"""Unit tests of request building: every flag, merge rules, @file references, stdin rules, headers."""

import io
import json

import pytest

from ant_cli.core.environment import Environment
from ant_cli.core.errors import UsageError
from ant_cli.core.types import CompletionArgs, Settings
from ant_cli.request.build import assemble_body, build_headers, build_request, endpoint_url
from ant_cli.request.stdin_body import parse_body, should_read_body, stdin_kind
from tests.helpers import MODEL, PROMPT


def env_with(stdin: bytes = b"", isatty: bool = False) -> Environment:
    return Environment(stdin=io.BytesIO(stdin), stdout=io.BytesIO(), stderr=io.BytesIO(), stdin_isatty=isatty)


def args(**overrides) -> CompletionArgs:
    base = dict(max_tokens_to_sample=10, model=MODEL, prompt=PROMPT)
    base.update(overrides)
    return CompletionArgs(**base)


def test_every_body_flag_lands_under_its_snake_case_key():
    body, betas = assemble_body(args(temperature=0.5, top_k=3, top_p=0.9, stream=False,
                                     stop_sequences=("a", "b"), metadata="{user_id: u1}",
                                     betas=("x-1", "x-2")), env_with())
    assert body == {"max_tokens_to_sample": 10, "model": MODEL, "prompt": PROMPT, "temperature": 0.5,
                    "top_k": 3, "top_p": 0.9, "stream": False, "stop_sequences": ["a", "b"],
                    "metadata": {"user_id": "u1"}}
    assert betas == ["x-1", "x-2"]


def test_flags_not_given_are_omitted_not_null():
    body, _ = assemble_body(args(), env_with())
    assert body == {"max_tokens_to_sample": 10, "model": MODEL, "prompt": PROMPT}
    assert b"null" not in json.dumps(body).encode()


def test_metadata_user_id_flag_sets_one_key_and_wins_over_metadata_object():
    body, _ = assemble_body(args(metadata='{"user_id": "a", "x": 1}', metadata_user_id="b"), env_with())
    assert body["metadata"] == {"user_id": "b", "x": 1}


def test_metadata_user_id_alone_builds_the_object():
    body, _ = assemble_body(args(metadata_user_id="only"), env_with())
    assert body["metadata"] == {"user_id": "only"}


def test_metadata_that_is_not_an_object_is_a_usage_error():
    with pytest.raises(UsageError, match="--metadata must be an object"):
        assemble_body(args(metadata="[1, 2]"), env_with())


def test_broken_metadata_names_the_flag():
    with pytest.raises(UsageError, match="--metadata is neither valid JSON nor valid YAML"):
        assemble_body(args(metadata="{user_id: [unclosed"), env_with())


def test_piped_body_is_merged_under_flags_and_unknown_keys_pass_through():
    piped = b'{"model": "from-pipe", "temperature": 0.1, "custom": {"k": 1}}'
    body, _ = assemble_body(args(), env_with(piped))
    assert body["model"] == MODEL
    assert body["temperature"] == 0.1
    assert body["custom"] == {"k": 1}


def test_piped_yaml_fills_required_fields():
    piped = b"model: m\nmax_tokens_to_sample: 5\nprompt: |-\n  \n  \n  Human: hi\n  \n  Assistant:\n"
    body, _ = assemble_body(CompletionArgs(), env_with(piped))
    assert body["model"] == "m" and body["max_tokens_to_sample"] == 5
    assert body["prompt"].startswith("\n\nHuman: hi")


def test_flag_metadata_user_id_updates_piped_metadata():
    body, _ = assemble_body(args(metadata_user_id="flag"), env_with(b'{"metadata": {"user_id": "p", "o": 2}}'))
    assert body["metadata"] == {"user_id": "flag", "o": 2}


def test_flag_metadata_replaces_piped_metadata_whole():
    body, _ = assemble_body(args(metadata="{a: 1}"), env_with(b'{"metadata": {"user_id": "p"}}'))
    assert body["metadata"] == {"a": 1}


@pytest.mark.parametrize("piped, message", [
    (b"[1, 2]", "must be a JSON or YAML object, got a list"),
    (b"just text", "must be a JSON or YAML object, got a string"),
    (b"{broken: [", "neither valid JSON nor valid YAML"),
    (b"\xff\xfe\x00", "not UTF-8"),
])
def test_bad_piped_bodies_are_usage_errors(piped, message):
    with pytest.raises(UsageError, match=message):
        assemble_body(args(), env_with(piped))


def test_empty_pipe_means_no_body():
    assert parse_body(b"  \n") == {}


def test_at_file_inlines_the_file(tmp_path):
    path = tmp_path / "prompt.txt"
    path.write_text(PROMPT)
    body, _ = assemble_body(args(prompt=f"@{path}"), env_with())
    assert body["prompt"] == PROMPT


def test_at_file_scheme_and_data_scheme(tmp_path):
    path = tmp_path / "p.bin"
    path.write_bytes(b"\x00\x01")
    text = tmp_path / "t.txt"
    text.write_text("hello")
    body, _ = assemble_body(args(model=f"@file://{text}", stop_sequences=(f"@data://{path}",)), env_with())
    assert body["model"] == "hello"
    assert body["stop_sequences"] == ["AAE="]


def test_escaped_at_is_kept_literally():
    body, _ = assemble_body(args(stop_sequences=("\\@user",)), env_with())
    assert body["stop_sequences"] == ["@user"]


def test_missing_file_is_a_usage_error_naming_flag_and_file(tmp_path):
    with pytest.raises(UsageError, match=r"--prompt: cannot read file '.*nope.txt'"):
        assemble_body(args(prompt=f"@{tmp_path}/nope.txt"), env_with())


def test_binary_file_as_text_is_refused(tmp_path):
    path = tmp_path / "bin"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(UsageError, match="not UTF-8 text"):
        assemble_body(args(prompt=f"@{path}"), env_with())


def test_at_dash_reads_stdin_and_the_pipe_is_not_taken_as_a_body():
    body, _ = assemble_body(args(prompt="@-"), env_with(PROMPT.encode()))
    assert body["prompt"] == PROMPT


def test_at_dash_twice_is_refused():
    with pytest.raises(UsageError, match="stdin was already used"):
        assemble_body(args(prompt="@-", model="@-"), env_with(b"x"))


def test_at_dash_never_reads_a_terminal():
    with pytest.raises(UsageError, match="stdin is a terminal"):
        assemble_body(args(prompt="@-"), env_with(isatty=True))


def test_at_file_applies_to_piped_string_values(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(PROMPT)
    body, _ = assemble_body(CompletionArgs(), env_with(f'{{"model": "m", "max_tokens_to_sample": 1, '
                                                       f'"prompt": "@{path}"}}'.encode()))
    assert body["prompt"] == PROMPT


def test_terminal_stdin_is_never_read():
    assert stdin_kind(io.BytesIO(), isatty=True) == "tty"
    assert not should_read_body("tty", None, flags_complete=False)


def test_pipe_with_nothing_written_is_not_waited_on_when_flags_are_complete():
    import os

    read_end, write_end = os.pipe()
    try:
        with open(read_end, "rb", closefd=False) as stdin:
            assert stdin_kind(stdin, False) == "pipe"
            assert not should_read_body("pipe", stdin, flags_complete=True)
            assert should_read_body("pipe", stdin, flags_complete=False)
            os.write(write_end, b"{}")
            assert should_read_body("pipe", stdin, flags_complete=True)
    finally:
        os.close(read_end)
        os.close(write_end)


def test_regular_file_and_devnull_stdin(tmp_path):
    path = tmp_path / "b.json"
    path.write_text("{}")
    with open(path, "rb") as handle:
        assert stdin_kind(handle, False) == "file"
    with open("/dev/null", "rb") as handle:
        assert stdin_kind(handle, False) == "none"


def test_headers_for_api_key_betas_and_version():
    headers = build_headers(Settings(api_key="k"), ["b1", "b2"], streaming=False)
    assert headers["x-api-key"] == "k"
    assert headers["anthropic-version"] == "2023-06-01"
    assert headers["content-type"] == "application/json"
    assert headers["anthropic-beta"] == "b1,b2"
    assert headers["user-agent"].startswith("ant-cli/")
    assert "authorization" not in headers


def test_auth_token_is_a_bearer_header():
    headers = build_headers(Settings(auth_token="t"), [], streaming=True)
    assert headers["authorization"] == "Bearer t"
    assert headers["accept"] == "text/event-stream"
    assert "anthropic-beta" not in headers


def test_url_joins_base_and_path():
    assert endpoint_url(Settings()) == "https://api.anthropic.com/v1/complete"
    assert endpoint_url(Settings(base_url="http://127.0.0.1:9/")) == "http://127.0.0.1:9/v1/complete"


def test_build_request_marks_streaming_from_the_body():
    request = build_request({"stream": True}, [], Settings(api_key="k"))
    assert request.streaming and request.method == "POST"
