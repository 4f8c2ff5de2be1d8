""""Did you mean": the visible command path closest to what was typed, across the whole tree, so that
`ant completion create` suggests `ant completions create` (click only compares names within one group,
and offers hidden commands too)."""

from __future__ import annotations

import click

CLOSE_ENOUGH = 0.75  # difflib's ratio per word: a dropped or added letter passes; `tcsh` is not `batch`


def command_paths(group: click.Group, ctx: click.Context, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every visible command's path below `group`, e.g. ("completions", "create") (lazy commands included)."""
    paths = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        paths.append(prefix + (name,))
        if isinstance(command, click.Group):
            paths += command_paths(command, ctx, prefix + (name,))
    return paths


def closest_path(root: click.Context, words: list[str], shortest: int = 1) -> tuple[str, ...] | None:
    """The path whose every word is close to the typed word in its place; the longest typed prefix first,
    down to `shortest` words."""
    paths = command_paths(root.command, root)  # type: ignore[arg-type]
    for length in range(len(words), shortest - 1, -1):
        typed = tuple(words[:length])
        scored = [(score, path) for path in paths if len(path) == length and path != typed
                  for score in [likeness(typed, path)] if score is not None]
        if scored:
            return max(scored)[1]
    return None


def likeness(typed: tuple[str, ...], path: tuple[str, ...]) -> float | None:
    """How alike two paths of the same length are; None when any one word is not close."""
    import difflib  # only on a usage error: not worth its import at every start

    ratios = [difflib.SequenceMatcher(None, a, b).ratio() for a, b in zip(typed, path, strict=True)]
    return sum(ratios) if min(ratios) >= CLOSE_ENOUGH else None


def typed_words(ctx: click.Context, args: list[str]) -> list[str]:
    """The command words typed from the root: the context's own path, then the leading non-option args."""
    words: list[str] = []
    while ctx.parent is not None:
        words.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    for arg in args:
        if arg.startswith("-"):
            break
        words.append(arg)
    return words


def did_you_mean(ctx: click.Context, args: list[str], all_words: bool = False) -> str:
    """"; did you mean 'ant completions create'?" for the words typed, or "" when nothing is close.

    With `all_words`, only a path as long as what was typed is suggested.
    """
    words = typed_words(ctx, args)
    path = closest_path(ctx.find_root(), words, len(words) if all_words else 1)
    return f"; did you mean '{ctx.find_root().info_name} {' '.join(path)}'?" if path else ""
