"""`--format jsonl`: one compact JSON line per document, ready for `jq -c` style processing."""

from ant_cli.output import compact_json


def render(value, item, view) -> bytes:
    return (compact_json(value) + "\n").encode("utf-8")
