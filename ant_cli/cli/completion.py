"""`ant completion SHELL`: the completion script click generates from the command tree (PowerShell's class
is ours, in `ant_cli.cli.pwsh`); `ant @completion SHELL` is the official CLI's hidden spelling of it."""

from __future__ import annotations

import click
from click.shell_completion import add_completion_class, get_completion_class

from ant_cli import PROG
from ant_cli.cli.base import CONTEXT, AntCommand
from ant_cli.cli.pwsh import PwshComplete

SHELLS = ("bash", "zsh", "fish", "pwsh")
add_completion_class(PwshComplete)  # before any `_ANT_COMPLETE=pwsh_complete` is answered


@click.command("completion", cls=AntCommand, context_settings=CONTEXT)
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx, shell):
    """Print the shell completion script for SHELL (bash, zsh, fish or pwsh).

    \b
    bash:  eval "$(ant completion bash)"     (or source completions/ant.bash)
    zsh:   eval "$(ant completion zsh)"      (or put completions/ant.zsh in $fpath as _ant)
    fish:  ant completion fish | source     (or copy completions/ant.fish to ~/.config/fish/completions/)
    pwsh:  ant completion pwsh | Out-String | Invoke-Expression   (or . completions/ant.pwsh in $PROFILE)
    """
    click.echo(completion_script(ctx.find_root().command, shell), nl=False)


def completion_script(root: click.Command, shell: str) -> str:
    """The script click generates for `ant`, the same text as the files in completions/."""
    script = get_completion_class(shell)(root, {}, PROG, "_ANT_COMPLETE").source()  # type: ignore[misc]
    return script if script.endswith("\n") else script + "\n"

