"""The output plan: decided once from the options and the terminal."""

import pytest

from ant_cli.core.plan import Format, View
from ant_cli.core.types import Settings
from ant_cli.output.formats import decide, error_view, resolve


@pytest.mark.parametrize("tty, streaming, expected", [
    (True, False, Format.PRETTY), (True, True, Format.PRETTY),
    (False, False, Format.JSON), (False, True, Format.JSONL),
])
def test_auto_is_pretty_on_a_terminal_and_json_or_jsonl_in_a_pipe(tty, streaming, expected):
    assert resolve(Format.AUTO, tty, streaming) is expected


def test_a_chosen_format_is_kept_everywhere():
    assert {resolve(Format.YAML, tty, streaming) for tty in (True, False) for streaming in (True, False)} \
        == {Format.YAML}


@pytest.mark.parametrize("fmt", [Format.AUTO, Format.TEXT])
def test_errors_stay_one_line_unless_a_view_or_path_is_asked_for(fmt):
    assert error_view(fmt, None, False) is None
    assert error_view(fmt, "error.message", True) == View(Format.JSON, "error.message", True)


def test_an_error_format_renders_the_body_without_colour():
    assert error_view(Format.YAML, None, False) == View(Format.YAML)


def test_the_plan_carries_the_options_and_the_terminal_into_each_view():
    settings = Settings(output_format=Format.AUTO, transform="completion", raw_output=True)
    plan = decide(settings, stdout_isatty=False, color=True)
    assert plan.document == View(Format.JSON, "completion", True, True, 80)
    assert plan.stream.fmt is Format.JSONL and plan.response_view(True) is plan.stream
    assert plan.response_view(False) is plan.document and plan.error is None


@pytest.mark.parametrize("fmt, expected", [
    (Format.AUTO, Format.TEXT), (Format.PRETTY, Format.TEXT), (Format.RAW, Format.TEXT),
    (Format.JSON, Format.JSON), (Format.YAML, Format.YAML), (Format.JSONL, Format.JSONL),
])
def test_a_dry_run_is_http_like_text_unless_a_data_format_is_chosen(fmt, expected):
    assert decide(Settings(output_format=fmt), stdout_isatty=True, color=False).request is expected
