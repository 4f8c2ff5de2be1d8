"""What every command shares: the help layout (command options and global options in separate sections),
boolean flags in the official CLI's `--flag=VALUE` spelling, and usage errors that name their command."""

from __future__ import annotations

import contextlib
import importlib
import re

import click

from ant_cli.cli.boolflags import spell_bool_flags
from ant_cli.cli.errors import NoSubcommand
from ant_cli.cli.suggest import did_you_mean

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class GlobalOption(click.Option):
    """An option accepted before or after the subcommand; listed under "Global options"."""


class LineDefault(click.Option):
    """A body option of `batch`: the value of every line that does not give its own; listed in its own section."""


SECTIONS = (("Options", click.Option), ("Line defaults (a line's own values win)", LineDefault),
            ("Global options", GlobalOption))


def section_of(param: click.Parameter) -> type | None:
    """The kind of option a parameter is listed as; None for an argument, which the usage line shows."""
    if not isinstance(param, click.Option):
        return None
    return next((kind for _, kind in SECTIONS[1:] if isinstance(param, kind)), click.Option)


class SectionedHelp:
    """Help with command options, a batch's line defaults and global options in separate sections, and an
    epilog that keeps its own line breaks."""

    epilog: str | None

    def format_options(self, ctx, formatter):
        for title, kind in SECTIONS:
            rows = [p.get_help_record(ctx) for p in self.get_params(ctx)  # type: ignore[attr-defined]
                    if section_of(p) is kind]
            rows = [row for row in rows if row]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_epilog(self, ctx, formatter):
        if self.epilog:
            formatter.write("\n" + fit_lines(self.epilog.rstrip(), formatter.width) + "\n")


HANGING = re.compile(r"\s*(?:- |\d+\s+)?")  # a line's indent, with a list item's dash or a table row's number


def fit_lines(text: str, width: int) -> str:
    """The epilog as written, but a line wider than the terminal is wrapped at its spaces, with a hanging
    indent: under its text, past a list item's "- " or an exit-status row's number. A word (a model id) is
    never split, not even at a hyphen. The lines under "Example:" are kept as written, to be copied."""
    import textwrap  # only when help is shown (click's help formatter imports it then anyway)

    fitted = []
    verbatim = False
    for line in text.split("\n"):
        if line and not line[0].isspace():
            verbatim = line.startswith("Example")
        indent = line[: len(line) - len(line.lstrip())]
        hanging = " " * len(HANGING.match(line).group())  # type: ignore[union-attr]
        fitted.append(line if verbatim or len(line) <= width else textwrap.fill(
            line.strip(), width, initial_indent=indent, subsequent_indent=hanging,
            break_long_words=False, break_on_hyphens=False))
    return "\n".join(fitted)


@contextlib.contextmanager
def naming_the_command(ctx: click.Context):
    """Some of click's parser errors carry no context; give them this one, for the `--help` hint."""
    try:
        yield
    except click.UsageError as exc:
        exc.ctx = exc.ctx or ctx
        raise


class AntGroup(SectionedHelp, click.Group):
    def parse_args(self, ctx, args):
        if not args and not ctx.resilient_parsing:  # help on stderr with the usage status, not on stdout
            raise NoSubcommand(ctx.get_help())
        with naming_the_command(ctx):
            return super().parse_args(ctx, spell_bool_flags(self.get_params(ctx), args, ctx,
                                                            subcommand_follows=True))

    def resolve_command(self, ctx, args):
        """An unknown command name: suggest the closest visible command path in the whole tree."""
        if args and self.get_command(ctx, args[0]) is None and not ctx.resilient_parsing:
            raise click.UsageError(f"no such command '{args[0]}'{did_you_mean(ctx, args)}", ctx)
        return super().resolve_command(ctx, args)


class LazyGroup(AntGroup):
    """A group whose subcommands are imported only when one is asked for (to run, for its help, to complete
    or list it), so that `ant --help`, `--version` and a run of one subcommand do not build the others.
    `lazy` maps each name to "module:attribute"."""

    def __init__(self, *args, lazy: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx, name):
        if name in self.lazy and name not in self.commands:
            module, _, attribute = self.lazy[name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)


class AntCommand(SectionedHelp, click.Command):
    def parse_args(self, ctx, args):
        with naming_the_command(ctx):
            return super().parse_args(ctx, spell_bool_flags(self.get_params(ctx), args, ctx,
                                                            subcommand_follows=False))
