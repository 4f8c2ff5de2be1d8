"""The command tree: `ant`, `ant completions create|batch`, `ant completion SHELL` (and, hidden, the
official CLI's `ant @completion SHELL` and `ant @manpages`).

The callbacks return plain invocations and `ant_cli.main` runs them, so no work happens inside click.
"""

from __future__ import annotations

import click

from ant_cli import PROG, __version__
from ant_cli.cli.base import CONTEXT, LazyGroup
from ant_cli.cli.completion import completion
from ant_cli.cli.options import global_options
from ant_cli.core.exit_codes import exit_status_help

ROOT_EPILOG = f"""Examples:
  export ANTHROPIC_API_KEY=...
  {PROG} completions create --model claude-2.1 --max-tokens-to-sample 256 \\
      --prompt $'\\n\\nHuman: Hello\\n\\nAssistant:' --format text
  {PROG} completions batch prompts.jsonl --model claude-2.1 --max-tokens-to-sample 256 -o results.jsonl

{exit_status_help()}
"""


# Subcommands are imported when asked for (see LazyGroup): `--version` and `completions create` never build
# the packaging commands, `ant --help` and `completions create` never build batch's options.
@click.group(cls=LazyGroup, context_settings=CONTEXT, epilog=ROOT_EPILOG,
             lazy={"@completion": "ant_cli.cli.packaging:at_completion",
                   "@manpages": "ant_cli.cli.packaging:at_manpages"})
@click.version_option(__version__, "-v", "--version", prog_name="ant-cli", message="%(prog)s %(version)s")
@global_options(with_env=True)
def cli(**_):
    """Command-line client for the Anthropic Text Completions API (POST /v1/complete); --via messages runs the
    same commands on today's models through the Messages API."""


@cli.group(cls=LazyGroup, context_settings=CONTEXT,
           lazy={"create": "ant_cli.cli.create:create", "batch": "ant_cli.cli.batch:batch"})
def completions():
    """[Legacy] Text Completions."""


# Not lazy: importing it registers the PowerShell completion class, which a shell's completion request to
# any command needs before click answers it.
cli.add_command(completion)
