"""`--format json`: the document indented by two spaces, keys in the order received."""

from ant_cli.output import indented_json


def render(value, item, view) -> bytes:
    return (indented_json(value) + "\n").encode("utf-8")
