"""The official CLI's hidden packaging commands: `ant @completion SHELL` and `ant @manpages`.

`@completion` is `ant completion` under the official name. `@manpages [-o DIR] [--gzip/--no-gzip]
[--text]` writes the man pages into DIR/man1 (default DIR: man), gzipped as packagers install them
(`ant.1.gz`, ...), and also as plain roff with --text (or --no-gzip), then says where. The pages are
written by `ant_cli.main`, as its callback only says what was asked: the generator imports this tree.
"""

from __future__ import annotations

import click

from ant_cli.cli.base import CONTEXT, AntCommand
from ant_cli.cli.completion import CompletionCommand, completion
from ant_cli.core.types import ManpagesInvocation

at_completion = CompletionCommand("@completion", params=completion.params, callback=completion.callback,
                                  context_settings=CONTEXT, hidden=True, help=completion.help)


@click.command("@manpages", cls=AntCommand, context_settings=CONTEXT, hidden=True)
@click.option("-o", "--output", "directory", default="man", show_default=True, metavar="DIR",
              help="Write the pages into DIR/man1.")
@click.option("-z", "--gzip/--no-gzip", default=True, show_default=True, help="Write NAME.1.gz files.")
@click.option("--text", is_flag=True, help="Also write plain NAME.1 files.")
def at_manpages(directory, gzip, text):
    """Write the man pages (ant, ant-completions-create, ant-completions-batch) for packaging."""
    return ManpagesInvocation(directory, gzip, text)
