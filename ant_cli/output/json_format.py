"""`--format json`: the document indented by two spaces, keys in the order received."""

from ant_cli.output.encoding import indented_json, utf8_json
from ant_cli.output.syntax_colour import colour_json


def render(value, item, view) -> bytes:
    text = indented_json(value) + "\n"
    return utf8_json(colour_json(text) if view.color else text)
