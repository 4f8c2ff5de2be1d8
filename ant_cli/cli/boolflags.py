"""Boolean flags in the official CLI's spellings: `--stream=false`, `--debug=1`, `--raw-output=T`.

click takes a boolean flag bare (`--stream`, `--no-stream`) and refuses a value. The official CLI also
takes `--flag=VALUE`, VALUE being one of Go's strconv.ParseBool spellings; a value after a space is
not the flag's (`--stream false` leaves `false` as an extra argument, an error in both). So, before
click parses, each `--flag=VALUE` of a boolean flag is rewritten to the bare spelling meaning the same.
"""

from __future__ import annotations

import click

TRUE_WORDS = ("1", "t", "T", "TRUE", "true", "True")
FALSE_WORDS = ("0", "f", "F", "FALSE", "false", "False")


def bool_flags(params) -> dict[str, click.Option]:
    """Each boolean flag's positive long names (`--stream`, not `--no-stream`), to its option."""
    return {name: param for param in params if isinstance(param, click.Option) and param.is_bool_flag
            for name in param.opts if name.startswith("--")}


def value_options(params) -> set[str]:
    """The names of the options that take the next argument as their value."""
    return {name for param in params if isinstance(param, click.Option) and not param.is_flag
            and not param.count for name in param.opts + param.secondary_opts}


def bare_spelling(option: click.Option, name: str, value: str, ctx: click.Context) -> list[str]:
    """What `NAME=VALUE` means as click spells it: the flag, its `--no-` form, or nothing (the default)."""
    if value in TRUE_WORDS:
        return [name]
    if value in FALSE_WORDS:
        return option.secondary_opts[:1]
    raise click.BadOptionUsage(name, f"{name} takes true or false (or 1/0, t/f), not {value!r}", ctx)


def spell_bool_flags(params, args: list[str], ctx: click.Context, subcommand_follows: bool) -> list[str]:
    """`args` with every `--flag=VALUE` of a boolean flag rewritten; values of other options left alone.

    For a group (`subcommand_follows`), the first argument that is not an option ends its own part.
    """
    flags, takes_value = bool_flags(params), value_options(params)
    out: list[str] = []
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        name, equals, value = arg.partition("=")
        if arg == "--" or (subcommand_follows and not arg.startswith("-")):
            return out + [arg] + rest
        if equals and name in flags and not ctx.resilient_parsing:
            out += bare_spelling(flags[name], name, value, ctx)
            continue
        out.append(arg)
        if arg in takes_value and rest:
            out.append(rest.pop(0))
    return out
