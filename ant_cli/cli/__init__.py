"""The click layer: options parsed into the plain values of `ant_cli.core.types`, nothing more.

`options` declares every option once (the global options in one table); `base` holds the help
layout; `create`, `batch` and `completion` are one module per command; `root` assembles the
command tree; `manpage` writes the man pages from it; `errors` reports click's own errors in the
tool's style. May import every layer below it; nothing below imports click.
"""
