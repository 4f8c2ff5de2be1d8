"""--help fits the terminal: the known-models text, the Values list and the exit-status table wrap with a hanging
indent and never split a model id; a batch's help lists its line defaults apart, hides the options a batch refuses,
and keeps its example as written."""

import re

import pytest

from ant_cli.cli.base import fit_lines
from ant_cli.core.catalog import COMPLETE_MODELS, KNOWN_MODELS
from tests.helpers import run_installed


def help_text(command: str, columns: int) -> str:
    result = run_installed(["completions", command, "--help"], env={"COLUMNS": str(columns)})
    assert result.returncode == 0
    return result.stdout


def section(text: str, title: str) -> list[str]:
    return text.split(f"{title}\n", 1)[1].split("\n\n", 1)[0].splitlines()


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_the_models_section_names_the_ids_the_endpoint_answers_and_fits(columns):
    lines = section(help_text("create", columns), "Known models:")
    assert all(len(line) <= columns and line.startswith("  ") for line in lines)
    assert " ".join(line.strip() for line in lines).startswith(
        " and ".join(COMPLETE_MODELS) + " are the ids /v1/complete answers")


def test_values_and_exit_statuses_keep_a_hanging_indent_at_80_columns():
    text = help_text("create", 80)
    values = section(text, "Values:")
    assert all(len(line) <= 78 for line in values)
    assert all(line.startswith("  - ") or line.startswith("    ") and line[4] != " " for line in values), values
    assert "  - Integers may be 0x10, 0o20, 0b10000, 1_000 (020 is octal)." in values
    statuses = section(text, "Exit status:")
    assert all(re.match(r" {2,4}\d{1,3}  \S", line) or re.match(r" {7}\S", line) for line in statuses), statuses
    assert ("    1  any other failure (e.g. a --transform path that matches nothing, an\n"
            "       output write error)") in text


def test_batch_help_shows_line_defaults_hides_refused_options_and_keeps_its_example():
    text = help_text("batch", 80)
    assert "Required." not in text and "\n  [FILE]" not in text
    defaults = section(text, "Line defaults (a line's own values win):")
    assert defaults[0].startswith("  --max-tokens-to-sample INT") and any("--model MODEL" in row for row in defaults)
    rows = [line.split()[0] for line in text.splitlines() if line.startswith("  -")]
    assert "--max-rpm" in rows and "--api-key" in rows
    assert not {"--format", "--format-error", "--transform", "--transform-error", "-r,"} & set(rows), rows
    example = section(text, "Example:")
    assert example == ["  ant completions batch prompts.jsonl --model claude-2.1 \\",
                       "      --max-tokens-to-sample 256 -o results.jsonl",
                       "  jq -r 'select(.result.type == \"succeeded\")",
                       "         | .result.completion.completion' results.jsonl"]
    narrow = help_text("batch", 50)
    assert section(narrow, "Example:") == example  # copied as written, however narrow the terminal


def test_a_line_narrower_than_an_id_keeps_it_whole_and_its_indent():
    fitted = fit_lines("Known:\n  " + ", ".join(KNOWN_MODELS), 20).splitlines()
    assert fitted[0] == "Known:"
    assert all(line.startswith("  ") and line.strip().rstrip(",") in KNOWN_MODELS for line in fitted[1:])


def test_lines_that_fit_are_left_as_written():
    assert fit_lines("a  b\n    c", 10) == "a  b\n    c"
