"""Start-up discipline: what each kind of run may import (requests, rich and yaml cost ~200 ms)."""

import pytest

from tests.helpers import BASIC, run_installed

HEAVY = ("requests", "urllib3", "rich", "yaml")


def imported_modules(args, **kwargs) -> set:
    """Every module the installed `ant` imported for this run, from Python's import-time report."""
    result = run_installed(args, env={"PYTHONPROFILEIMPORTTIME": "1", **kwargs.pop("env", {})}, **kwargs)
    names = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "ant_cli" in names, result.stderr[-500:]
    return names


def top_level(names: set) -> set:
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("args", [
    ["--version"],
    ["--help"],
    ["completions", "create", "--help"],
    BASIC + ["--top-k", "-1"],
    BASIC + ["--prompt", "no turns"],
    ["completions", "create", "--modle", "x"],
])
def test_help_version_and_usage_errors_import_nothing_heavy(args):
    assert not top_level(imported_modules(args)) & set(HEAVY)


def test_missing_key_is_found_before_requests_is_imported():
    assert "requests" not in top_level(imported_modules(BASIC, env={"ANTHROPIC_API_KEY": ""}))


def test_json_request_imports_neither_rich_nor_yaml(mock_api):
    names = top_level(imported_modules(["--base-url", mock_api.url, "--format", "json"] + BASIC))
    assert "requests" in names
    assert not names & {"rich", "yaml"}


def test_pretty_view_imports_rich_but_not_yaml(mock_api):
    names = top_level(imported_modules(["--base-url", mock_api.url, "--format", "pretty"] + BASIC))
    assert "rich" in names and "yaml" not in names


def test_yaml_is_imported_only_for_yaml(mock_api):
    names = top_level(imported_modules(["--base-url", mock_api.url, "--format", "yaml"] + BASIC))
    assert "yaml" in names and "rich" not in names
