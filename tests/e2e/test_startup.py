"""Start-up discipline: what each kind of run may import (requests, rich and yaml cost ~200 ms), and what
the light runs (--help, --version, a usage error) leave unloaded so that they stay under half the time of
a bare click + requests script (`make bench`).

What a run loaded is read from `sys.modules` as the installed `ant` script exits (Python's import-time
report misses modules loaded through importlib, as the lazy subcommands and the renderers are), with
coverage's start-up hook left out: under `make test` it imports modules of its own into every process.
"""

import os
import subprocess
import sys

import pytest

from tests.helpers import ANT, BASIC, installed_env

HEAVY = ("requests", "urllib3", "rich", "yaml")
REPORT = "loaded modules:"
# The installed console script, run as it is, with a report of sys.modules added at exit.
WRAPPER = (f"import atexit, runpy, sys; atexit.register(lambda: print({REPORT!r}, *sorted(sys.modules), "
           f"file=sys.stderr)); sys.argv = [{str(ANT)!r}, *sys.argv[1:]]; runpy.run_path({str(ANT)!r}, "
           f"run_name='__main__')")


def imported_modules(args, env=None) -> set:
    """Every module the installed `ant` had loaded when this run ended."""
    without_coverage = {name: None for name in os.environ if name.startswith("COVERAGE_")}
    result = subprocess.run([sys.executable, "-c", WRAPPER, *map(str, args)], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=30,
                            env=installed_env({**without_coverage, **(env or {})}))
    report = [line for line in result.stderr.splitlines() if line.startswith(REPORT)]
    assert report and "ant_cli.main" in report[-1], result.stderr[-500:]
    return set(report[-1].split()[2:])


def top_level(names: set) -> set:
    return {name.split(".")[0] for name in names}


LIGHT_RUNS = [
    ["--version"],
    ["--help"],
    ["completions", "create", "--help"],
    BASIC + ["--top-k", "-1"],
    BASIC + ["--prompt", "no turns"],
    ["completions", "create", "--modle", "x"],
]


@pytest.mark.parametrize("args", LIGHT_RUNS)
def test_help_version_and_usage_errors_import_nothing_heavy(args):
    assert not top_level(imported_modules(args)) & set(HEAVY)


# What each light run needs, and what it must leave alone: the command machinery (client, output, the
# commands), the other subcommand's options, the man pages, and the standard modules only a real run uses.
SENDING = {"ant_cli.commands", "ant_cli.client", "ant_cli.output"}
NOT_NEEDED = [
    pytest.param(["--version"], {"ant_cli.cli.create", "ant_cli.cli.batch", "ant_cli.cli.packaging",
                                 "ant_cli.request.prepare", "json", "base64", "textwrap", "shutil", "glob"},
                 id="version"),
    pytest.param(["--help"], {"ant_cli.cli.create", "ant_cli.cli.batch", "ant_cli.request.prepare", "json",
                              "base64"}, id="help"),
    pytest.param(["completions", "create", "--help"], {"ant_cli.cli.batch", "ant_cli.cli.packaging",
                                                       "ant_cli.request.prepare", "json", "base64"},
                 id="create-help"),
    pytest.param(BASIC + ["--top-k", "-1"], {"ant_cli.cli.batch", "ant_cli.cli.packaging", "base64", "textwrap",
                                             "shutil"}, id="invalid-value"),
    pytest.param(["completions", "create", "--modle", "x"], {"ant_cli.cli.batch", "ant_cli.cli.packaging",
                                                             "ant_cli.request.prepare", "json"}, id="unknown-option"),
]


@pytest.mark.parametrize("args, unwanted", NOT_NEEDED)
def test_the_light_runs_leave_what_they_do_not_need_unloaded(args, unwanted):
    unwanted = unwanted | {"ant_cli.cli.manpage"}
    needless = {name for name in imported_modules(args)
                if name in unwanted or any(name == part or name.startswith(part + ".") for part in SENDING)}
    assert not needless


def test_a_usage_error_is_found_before_the_command_is_loaded():
    loaded = imported_modules(BASIC + ["--top-k", "-1"])
    assert "ant_cli.request.prepare" in loaded and "ant_cli.commands.create" not in loaded


def test_asking_for_one_subcommand_loads_that_one_only():
    loaded = imported_modules(["completions", "create", "--help"])
    assert "ant_cli.cli.create" in loaded and "ant_cli.cli.batch" not in loaded


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
