"""`--format jsonl`: one compact JSON line per document, ready for `jq -c` style processing."""

from ant_cli.output.encoding import compact_json, utf8_json
from ant_cli.output.syntax_colour import colour_json


def render(value, item, view) -> bytes:
    text = compact_json(value) + "\n"
    return utf8_json(colour_json(text) if view.color else text)
