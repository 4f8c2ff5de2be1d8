"""The create man page states the official value syntax this client accepts; `ant @manpages` and the
command suggestions add no import to the start of every run."""

import os
import subprocess
import sys

from ant_cli.cli.manpage import generate


def test_the_create_page_states_the_official_value_syntax():
    page = generate()["ant-completions-create.1"].replace("\\-", "-")
    for spelling in ("0x10", "0o20", "0b10000", "1_000", "--flag=true", "--metadata null",
                     "--metadata.user-id null", "anthropic-beta key"):
        assert spelling in page, spelling


def test_the_packaging_commands_and_suggestions_cost_the_start_of_ant_nothing_more():
    code = "import sys, ant_cli.main; print(sorted({'pathlib', 'gzip', 'difflib'} & set(sys.modules)))"
    # Without coverage's start-up hook (make test measures subprocesses), which imports pathlib itself.
    env = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert result.stdout == "[]\n", result.stderr
