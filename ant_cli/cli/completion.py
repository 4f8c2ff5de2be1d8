"""`ant completion SHELL`: the completion script click generates from the command tree (PowerShell's class
is ours, in `ant_cli.cli.pwsh`); `ant @completion SHELL` is the official CLI's hidden spelling of it."""

from __future__ import annotations

import click
from click.shell_completion import add_completion_class, get_completion_class

from ant_cli import PROG
from ant_cli.cli.base import CONTEXT, AntCommand
from ant_cli.cli.pwsh import PwshComplete
from ant_cli.cli.suggest import did_you_mean

SHELLS = ("bash", "zsh", "fish", "pwsh")
add_completion_class(PwshComplete)  # before any `_ANT_COMPLETE=pwsh_complete` is answered


class CompletionCommand(AntCommand):
    """A command name where the shell goes (`ant completion create --model ...`) is a mistyped
    `ant completions create`: said before the options, which belong to that command, are parsed."""

    def parse_args(self, ctx, args):
        first = args[0] if args else "-"
        if first[:1] != "-" and first not in SHELLS and not ctx.resilient_parsing:
            hint = did_you_mean(ctx, [first], all_words=True)
            if hint:
                raise click.UsageError(f"{first!r} is not a shell ({', '.join(SHELLS)}){hint}", ctx)
        return super().parse_args(ctx, args)


@click.command("completion", cls=CompletionCommand, context_settings=CONTEXT)
@click.argument("shell", type=click.Choice(SHELLS), metavar="SHELL")
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

