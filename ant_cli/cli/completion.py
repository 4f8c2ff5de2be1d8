"""`ant completion SHELL`: the completion script click generates from the command tree."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from ant_cli import PROG
from ant_cli.cli.base import CONTEXT, AntCommand

SHELLS = ("bash", "zsh", "fish")


@click.command("completion", cls=AntCommand, context_settings=CONTEXT)
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx, shell):
    """Print the shell completion script for SHELL (bash, zsh or fish).

    \b
    bash:  eval "$(ant completion bash)"     (or source completions/ant.bash)
    zsh:   eval "$(ant completion zsh)"      (or put completions/ant.zsh in $fpath as _ant)
    fish:  ant completion fish | source     (or copy completions/ant.fish to ~/.config/fish/completions/)
    """
    click.echo(completion_script(ctx.find_root().command, shell), nl=False)


def completion_script(root: click.Command, shell: str) -> str:
    """The script click generates for `ant`, the same text as the files in completions/."""
    script = get_completion_class(shell)(root, {}, PROG, "_ANT_COMPLETE").source()  # type: ignore[misc]
    return script if script.endswith("\n") else script + "\n"
