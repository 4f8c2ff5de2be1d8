"""Fits the shell: completion scripts and protocol, man pages, --dry-run/--curl, terminal behaviour.

PowerShell completion (`ant completion pwsh`, its protocol, the checked-in script) and the official CLI's
hidden packaging commands `ant @completion SHELL` and `ant @manpages`, run as the installed `ant`.

On a real (pseudo-)terminal: json, jsonl and yaml come syntax-coloured, NO_COLOR turns it off, and a
pipe never gets colour; a streamed pretty view on a narrow terminal ends with whole facts.
"""

from __future__ import annotations

import gzip
import json
import os
import pty
import re
import select
import shutil
import subprocess
from pathlib import Path

import click
import pytest

from ant_cli.cli.completion import SHELLS, completion_script
from ant_cli.cli.manpage import generate
from ant_cli.cli.root import cli
from ant_cli.core.catalog import KNOWN_MODELS
from tests.helpers import ANT, BASIC, KEY, MODEL, PROMPT, ROOT, run_ant, run_installed


def complete(words: str, shell: str = "bash", cwd=None) -> list[str]:
    """What `ant` answers through click's completion protocol for the words typed so far."""
    parts = words.split(" ")
    current = parts[-1] if shell == "fish" else str(len(parts) - 1)  # fish passes the word being completed
    env = dict(os.environ, _ANT_COMPLETE=f"{shell}_complete", COMP_WORDS=words, COMP_CWORD=current)
    result = subprocess.run([str(ANT)], env=env, capture_output=True, text=True, timeout=30, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def values(lines: list[str]) -> list[str]:
    return [line.split(",", 1)[1] for line in lines]


def test_completes_subcommands():
    assert values(complete("ant comp")) == ["completion", "completions"]
    assert values(complete("ant completions ")) == ["batch", "create"]


def test_completes_flags():
    assert "--model" in values(complete("ant completions create --mo"))
    assert "--max-tokens-to-sample" in values(complete("ant completions create --max-t"))


def test_completes_models_and_formats_and_betas():
    offered = values(complete("ant completions create --model claude-opus-4-"))
    assert offered and offered == [model for model in KNOWN_MODELS if model.startswith("claude-opus-4-")]
    assert values(complete("ant completions create --format j")) == ["json", "jsonl"]
    assert "pdfs-2024-09-25" in values(complete("ant completions create --beta pdf"))


def test_completes_file_names_after_at(tmp_path):
    (tmp_path / "prompt.txt").write_text("x")
    (tmp_path / "prompts").mkdir()
    assert values(complete("ant completions create --prompt @pro", cwd=tmp_path)) == ["@prompt.txt", "@prompts/"]
    assert values(complete("ant completions create --prompt @file://pro", cwd=tmp_path))[0] == "@file://prompt.txt"


def test_zsh_and_fish_protocols_carry_descriptions():
    zsh = complete("ant completions create --form", shell="zsh")
    assert zsh[:2] == ["plain", "--format"] and "Output format" in zsh[2]
    fish = complete("ant completions create --form", shell="fish")
    assert fish[0].startswith("plain,--format\tOutput format")


@pytest.mark.parametrize("shell", SHELLS)
def test_checked_in_completion_scripts_are_current(shell):
    assert (ROOT / "completions" / f"ant.{shell}").read_text() == completion_script(cli, shell), \
        "stale: run `make completions`"


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_command_prints_the_script(shell):
    result = run_installed(["completion", shell])
    assert result.returncode == 0 and result.stdout == completion_script(cli, shell)


def test_bash_loads_the_script_and_completes_through_it():
    script = f"""
        source '{ROOT}/completions/ant.bash'
        complete -p ant
        COMP_WORDS=(ant completions create --format y); COMP_CWORD=4
        _ant_completion ant
        printf 'reply:%s\\n' "${{COMPREPLY[@]}}"
    """
    env = dict(os.environ, PATH=f"{ANT.parent}:{os.environ['PATH']}")
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "_ant_completion ant" in result.stdout and "reply:yaml" in result.stdout


@pytest.mark.parametrize("shell, check, expected", [
    ("zsh", "autoload -U compinit && compinit -u && source {} && print -r -- ${{_comps[ant]}}", "_ant_completion"),
    ("fish", "source {}; and complete -C 'ant completions create --form'", "--format\tOutput format"),
])
def test_other_shells_load_their_scripts(shell, check, expected, tmp_path):
    if not shutil.which(shell):
        pytest.skip(f"{shell} is not installed here; its protocol is tested above")
    command = check.format(ROOT / "completions" / f"ant.{shell}")
    env = dict(os.environ, PATH=f"{ANT.parent}:{os.environ['PATH']}", HOME=str(tmp_path))
    result = subprocess.run([shell, "-c", command], capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


@pytest.mark.parametrize("name", sorted(generate()))
def test_checked_in_man_pages_are_current(name):
    assert (ROOT / "man" / "man1" / name).read_text() == generate()[name], "stale: run `make man`"


@pytest.mark.parametrize("name", ["ant.1", "ant-completions-create.1"])
def test_man_pages_render_without_warnings(name):
    if not shutil.which("groff"):
        pytest.skip("groff is not installed")
    result = subprocess.run(["groff", "-ww", "-man", "-Tutf8", str(ROOT / "man" / "man1" / name)],
                            capture_output=True, text=True, timeout=30, env=dict(os.environ, LC_ALL="C.UTF-8"))
    assert result.returncode == 0 and result.stderr == ""
    text = re.sub(r".\x08", "", result.stdout).replace("\u2010", "-")
    for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES",
                    "SEE ALSO"):
        assert f"\n{heading}\n" in text
    assert "jq" in text and "ANTHROPIC_API_KEY" in text and "130" in text


def test_every_option_appears_in_its_man_page():
    from ant_cli.cli.root import cli, completions

    pages = generate()
    create = completions.get_command(click.Context(completions), "create")
    for command, page in ((cli, pages["ant.1"]), (create, pages["ant-completions-create.1"])):
        for param in command.params:
            for name in param.opts + param.secondary_opts:
                assert name.replace("-", "\\-") in page, name


def test_man_page_examples_include_a_jq_pipeline_and_a_streamed_text_run():
    page = generate()["ant-completions-create.1"]
    assert "| jq \\-r .completion" in page and "\\-\\-stream \\-\\-format text" in page


def test_dry_run_prints_the_request_and_sends_nothing():
    result = run_ant(BASIC + ["--dry-run", "--beta", "pdfs-2024-09-25", "--temperature", "0.5"])
    assert result.code == 0 and result.stderr == ""
    head, body = result.stdout.split("\n\n", 1)
    lines = head.splitlines()
    assert lines[0] == "POST https://api.anthropic.com/v1/complete"
    assert "x-api-key: <redacted>" in lines and "anthropic-beta: pdfs-2024-09-25" in lines
    assert KEY not in result.stdout
    assert json.loads(body) == {"max_tokens_to_sample": 64, "model": MODEL, "prompt": PROMPT, "temperature": 0.5}


def test_dry_run_needs_no_key_and_can_be_json():
    result = run_ant(BASIC + ["--dry-run", "--format", "json"], env={"ANTHROPIC_API_KEY": ""})
    assert result.code == 0
    document = json.loads(result.stdout)
    assert document["method"] == "POST" and document["body"]["model"] == MODEL
    assert "x-api-key" not in document["headers"]


def test_dry_run_still_validates():
    result = run_ant(BASIC + ["--dry-run", "--top-p", "3"])
    assert result.code == 2 and result.stdout == ""


def test_curl_keeps_the_key_out_and_gets_the_same_completion(mock_api):
    ant = run_installed(["--base-url", mock_api.url, "--format", "jsonl"] + BASIC)
    curl = run_installed(["--base-url", mock_api.url] + BASIC + ["--curl"])
    assert curl.returncode == 0 and KEY not in curl.stdout and '"x-api-key: $ANTHROPIC_API_KEY"' in curl.stdout
    if not shutil.which("curl"):
        pytest.skip("curl is not installed")
    ran = subprocess.run(["sh", "-c", curl.stdout], env=dict(os.environ, ANTHROPIC_API_KEY=KEY), capture_output=True,
                         text=True, timeout=30)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["completion"] == json.loads(ant.stdout)["completion"]
    first, second = mock_api.requests
    assert json.loads(first["body"]) == json.loads(second["body"])


def test_curl_for_a_stream_uses_no_buffering():
    assert "curl -sS -N -X POST" in run_ant(BASIC + ["--stream", "--curl"]).stdout


def run_in_terminal(args, env=None, timeout=20) -> tuple[int, str, str]:
    """Run the installed ant with stdout and stderr on two pseudo-terminals; return (status, out, err)."""
    out_master, out_slave = pty.openpty()
    err_master, err_slave = pty.openpty()
    environment = dict(os.environ, ANTHROPIC_API_KEY=KEY, TERM="xterm-256color", COLUMNS="70")
    for name in ("NO_COLOR", "FORCE_COLOR"):
        environment.pop(name, None)
    environment.update(env or {})
    process = subprocess.Popen([str(ANT), *args], stdin=subprocess.DEVNULL, stdout=out_slave, stderr=err_slave,
                               env=environment)
    os.close(out_slave)
    os.close(err_slave)
    chunks = {out_master: b"", err_master: b""}
    open_fds = set(chunks)
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [], timeout)
        if not ready:
            break
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if data:
                chunks[fd] += data
            else:
                open_fds.discard(fd)
    code = process.wait(timeout=timeout)
    os.close(out_master)
    os.close(err_master)
    return code, chunks[out_master].decode(), chunks[err_master].decode()


def test_a_terminal_gets_the_pretty_view_in_colour(mock_api):
    code, out, err = run_in_terminal(["--base-url", mock_api.url] + BASIC)
    assert code == 0, err
    assert "╭" in out and "Hello! You said: Hello there" in out and re.search(r"request-id\s+(\x1b\[\d*m\s*)*req_", out)
    assert "\x1b[" in out


def test_no_color_is_honoured_on_a_terminal(mock_api):
    code, out, _ = run_in_terminal(["--base-url", mock_api.url] + BASIC, env={"NO_COLOR": "1"})
    assert code == 0 and "╭" in out and "\x1b[" not in out


def test_force_color_in_a_pipe():
    from ant_cli.core.environment import Environment

    piped = Environment(None, None, None, variables={"FORCE_COLOR": "1"})
    assert piped.color_allowed
    assert not Environment(None, None, None, variables={"FORCE_COLOR": "0"}).color_allowed
    assert not Environment(None, None, None, stdout_isatty=True, variables={"NO_COLOR": ""}).color_allowed


def test_force_color_colours_the_pretty_view_in_a_pipe(mock_api):
    plain = run_installed(["--base-url", mock_api.url, "--format", "pretty"] + BASIC, env={"FORCE_COLOR": None})
    forced = run_installed(["--base-url", mock_api.url, "--format", "pretty"] + BASIC, env={"FORCE_COLOR": "1"})
    assert plain.returncode == forced.returncode == 0
    assert "\x1b[" not in plain.stdout and "\x1b[" in forced.stdout
    both = run_installed(["--base-url", mock_api.url, "--format", "pretty"] + BASIC,
                         env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in both.stdout  # NO_COLOR wins


def test_streamed_text_grows_on_a_terminal_then_shows_the_stop_reason(mock_api):
    code, out, _ = run_in_terminal(["--base-url", mock_api.url] + BASIC + ["--stream"], env={"NO_COLOR": "1"})
    assert code == 0
    assert out.startswith(" Hello! You said: Hello there") and "stop: stop_sequence" in out


def test_spinner_on_a_terminal_while_waiting(mock_api):
    mock_api.script({"delay": 1.0})
    code, out, err = run_in_terminal(["--base-url", mock_api.url] + BASIC)
    assert code == 0
    assert "waiting for the API" in err and err.endswith("\x1b[2K")  # drawn, then cleared before the result


def test_no_spinner_when_stderr_is_piped(mock_api):
    mock_api.script({"delay": 1.0})
    result = run_installed(["--base-url", mock_api.url] + BASIC)
    assert result.returncode == 0 and result.stderr == ""


def test_no_spinner_with_quiet_on_a_terminal(mock_api):
    mock_api.script({"delay": 1.0})
    code, _, err = run_in_terminal(["--base-url", mock_api.url, "--quiet"] + BASIC)
    assert code == 0 and err == ""


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
