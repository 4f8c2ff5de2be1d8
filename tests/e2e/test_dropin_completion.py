"""PowerShell completion (`ant completion pwsh`, its protocol, the checked-in script) and the official CLI's
hidden packaging commands `ant @completion SHELL` and `ant @manpages`, run as the installed `ant`."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ant_cli.cli.completion import SHELLS, completion_script
from ant_cli.cli.manpage import generate
from ant_cli.cli.root import cli
from ant_cli.core.catalog import KNOWN_MODELS
from tests.helpers import ANT, ROOT, run_installed


def pwsh_answer(line: str, cwd=None) -> list[list[str]]:
    """What `ant` answers a PowerShell completer for the command line typed up to the cursor."""
    env = dict(os.environ, _ANT_COMPLETE="pwsh_complete", COMP_WORDS=line)
    result = subprocess.run([str(ANT)], env=env, capture_output=True, text=True, timeout=30, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return [answer.split("\t") for answer in result.stdout.splitlines() if answer]  # nothing: one empty line


def test_pwsh_is_a_completion_shell():
    assert "pwsh" in SHELLS
    result = run_installed(["completion", "pwsh"])
    assert result.returncode == 0 and result.stdout == completion_script(cli, "pwsh")
    assert "Register-ArgumentCompleter -Native -CommandName ant" in result.stdout


def test_the_checked_in_pwsh_script_is_current():
    assert (ROOT / "completions" / "ant.pwsh").read_text() == completion_script(cli, "pwsh"), \
        "stale: run `make completions`"


def test_pwsh_protocol_completes_flags_with_their_help():
    answers = pwsh_answer("ant completions create --form")
    assert [answer[:2] for answer in answers] == [["plain", "--format"], ["plain", "--format-error"]]
    assert answers[0][2].startswith("Output format")


def test_pwsh_protocol_completes_values_after_a_space_and_commands():
    assert [answer[1] for answer in pwsh_answer("ant completions create --format ")][:3] == ["auto", "json", "jsonl"]
    offered = [answer[1] for answer in pwsh_answer("ant completions create --model claude-opus-4-")]
    assert offered and offered == [model for model in KNOWN_MODELS if model.startswith("claude-opus-4-")]
    assert [answer[1] for answer in pwsh_answer("ant ")] == ["completion", "completions"]


def test_pwsh_protocol_completes_files_after_at(tmp_path):
    (tmp_path / "prompt.txt").write_text("x")
    assert [answer[1] for answer in pwsh_answer("ant completions create --prompt @pro", cwd=tmp_path)] == \
        ["@prompt.txt"]


def test_pwsh_loads_the_script_and_completes_through_it(tmp_path):
    if not shutil.which("pwsh"):
        pytest.skip("pwsh is not installed here; its protocol is tested above")
    script = (f". '{ROOT}/completions/ant.pwsh'; "
              "(TabExpansion2 'ant completions create --form' 29).CompletionMatches.CompletionText")
    env = dict(os.environ, PATH=f"{ANT.parent}{os.pathsep}{os.environ['PATH']}", HOME=str(tmp_path))
    result = subprocess.run(["pwsh", "-NoProfile", "-Command", script], capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert "--format" in result.stdout.split()


@pytest.mark.parametrize("shell", SHELLS)
def test_at_completion_is_the_official_spelling_of_completion(shell):
    result = run_installed(["@completion", shell])
    assert result.returncode == 0 and result.stdout == completion_script(cli, shell)


def test_packaging_commands_are_hidden_from_help_and_completion():
    assert "@" not in run_installed(["--help"]).stdout
    assert [answer[1] for answer in pwsh_answer("ant @")] == []


def test_at_manpages_writes_gzipped_pages_and_says_where(tmp_path):
    result = run_installed(["@manpages", "-o", "pages"], cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "Wrote manpages to pages\n")
    written = sorted(path.name for path in (tmp_path / "pages" / "man1").iterdir())
    assert written == sorted(f"{name}.gz" for name in generate())
    for name, text in generate().items():
        assert gzip.decompress((tmp_path / "pages" / "man1" / f"{name}.gz").read_bytes()).decode() == text


def test_at_manpages_text_and_no_gzip(tmp_path):
    assert run_installed(["@manpages", "--text"], cwd=tmp_path).returncode == 0
    assert (tmp_path / "man" / "man1" / "ant.1").read_text() == generate()["ant.1"]
    assert (tmp_path / "man" / "man1" / "ant.1.gz").exists()
    assert run_installed(["@manpages", "-o", str(tmp_path / "plain"), "--gzip=false"]).returncode == 0
    assert sorted(path.suffix for path in Path(tmp_path / "plain" / "man1").iterdir()) == [".1"] * len(generate())
