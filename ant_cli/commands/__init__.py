"""The commands: each runs one parsed invocation with the lower layers, free of click.

`create` sends one completion; `batch` many, concurrently. A command receives its invocation, the
output plan and the environment; it builds with `ant_cli.request`, sends with `ant_cli.client`
and prints with `ant_cli.output`. Errors propagate to the boundary in `ant_cli.main`.
"""
