"""`--format json`: the document indented by two spaces, keys in the order received."""

from ant_cli.output.encoding import indented_json, utf8_json


def render(value, item, view) -> bytes:
    return utf8_json(indented_json(value) + "\n")
