"""--help wraps the known-models list to the terminal's width and never splits a model id."""

import re

import pytest

from ant_cli.cli.base import fit_lines
from ant_cli.core.catalog import KNOWN_MODELS
from tests.helpers import run_installed


def models_section(columns: int) -> list[str]:
    result = run_installed(["completions", "create", "--help"], env={"COLUMNS": str(columns)})
    assert result.returncode == 0
    return result.stdout.split("Known models:\n", 1)[1].split("\n\n", 1)[0].splitlines()


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_the_models_list_fits_and_keeps_every_id_whole(columns):
    lines = models_section(columns)
    assert len(lines) > 1 and all(len(line) <= columns for line in lines)
    assert [word for line in lines for word in re.split(r",\s*", line.strip()) if word] == list(KNOWN_MODELS)


def test_a_line_narrower_than_an_id_keeps_it_whole_and_its_indent():
    fitted = fit_lines("Known:\n  " + ", ".join(KNOWN_MODELS), 20).splitlines()
    assert fitted[0] == "Known:"
    assert all(line.startswith("  ") and line.strip().rstrip(",") in KNOWN_MODELS for line in fitted[1:])


def test_lines_that_fit_are_left_as_written():
    assert fit_lines("a  b\n    c", 10) == "a  b\n    c"
