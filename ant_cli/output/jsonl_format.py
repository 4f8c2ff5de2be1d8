"""`--format jsonl`: one compact JSON line per document, ready for `jq -c` style processing."""

from ant_cli.output.encoding import compact_json, utf8_json


def render(value, item, view) -> bytes:
    return utf8_json(compact_json(value) + "\n")
