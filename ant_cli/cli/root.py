"""The command tree: `ant`, `ant completions create|batch`, `ant completion SHELL` (and, hidden, the
official CLI's `ant @completion SHELL` and `ant @manpages`).

The callbacks return plain invocations and `ant_cli.main` runs them, so no work happens inside click.
"""

from __future__ import annotations

import click

from ant_cli import PROG, __version__
from ant_cli.cli.base import CONTEXT, AntGroup
from ant_cli.cli.batch import batch
from ant_cli.cli.completion import completion
from ant_cli.cli.create import create
from ant_cli.cli.options import global_options
from ant_cli.cli.packaging import at_completion, at_manpages
from ant_cli.core.exit_codes import exit_status_help

ROOT_EPILOG = f"""Examples:
  export ANTHROPIC_API_KEY=...
  {PROG} completions create --model claude-2.1 --max-tokens-to-sample 256 \\
      --prompt $'\\n\\nHuman: Hello\\n\\nAssistant:' --format text
  {PROG} completions batch prompts.jsonl --model claude-2.1 --max-tokens-to-sample 256 -o results.jsonl

{exit_status_help()}
"""


@click.group(cls=AntGroup, context_settings=CONTEXT, epilog=ROOT_EPILOG)
@click.version_option(__version__, "-v", "--version", prog_name="ant-cli", message="%(prog)s %(version)s")
@global_options(with_env=True)
def cli(**_):
    """Command-line client for the Anthropic Text Completions API (POST /v1/complete); --via messages runs the
    same commands on today's models through the Messages API."""


@cli.group(cls=AntGroup, context_settings=CONTEXT)
def completions():
    """[Legacy] Text Completions."""


completions.add_command(create)
completions.add_command(batch)
cli.add_command(completion)
cli.add_command(at_completion)
cli.add_command(at_manpages)
