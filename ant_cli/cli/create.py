"""`ant completions create`: its options, parsed into an Invocation."""

from __future__ import annotations

import click

from ant_cli.cli.base import CONTEXT, AntCommand
from ant_cli.cli.options import INTEGER, MODELS_HELP, body_options, completion_args, global_options, merged_settings
from ant_cli.core.exit_codes import exit_status_help
from ant_cli.core.types import Invocation

VALUES = (  # one item a line; --help wraps each with a hanging indent
    "Any string value may be @path to read a file (@file://path, @data://path for base64), or @- to read "
    "stdin; write \\@ for a literal leading @.",
    "A JSON or YAML object piped on stdin is merged under the flags (flags win).",
    "Integers may be 0x10, 0o20, 0b10000, 1_000 (020 is octal).",
    "Boolean flags take --flag=true/false (also 1/0, t/f).",
    "--metadata null and --metadata.user-id null send JSON null.",
    "A piped anthropic-beta key (a name or a list) becomes the anthropic-beta header, as --beta.",
)
ITEMS = "\n".join(f"  - {item}" for item in VALUES)

EPILOG = f"""Values:
{ITEMS}

{MODELS_HELP}

{exit_status_help()}
"""


@click.command("create", cls=AntCommand, context_settings=CONTEXT, epilog=EPILOG)
@body_options
@click.option("--stream/--no-stream", default=None, help="Stream the completion as it is generated.")
@click.option("--max-items", type=INTEGER, metavar="N", help="With --stream: stop after N completion events.")
@click.option("--dry-run", "action", flag_value="dry-run",
              help="Print the request (credentials redacted) instead of sending it.")
@click.option("--curl", "action", flag_value="curl",
              help="Print an equivalent curl command (key read from $ANTHROPIC_API_KEY) instead of sending.")
@global_options(with_env=False)
@click.pass_context
def create(ctx, action, **params):
    """[Legacy] Create a Text Completion."""
    return Invocation(completion_args(params), merged_settings(ctx), action or "send")
