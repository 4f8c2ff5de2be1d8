"""`--format json`: the document indented by two spaces, keys in the order received."""

import json


def render(value, item, view) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
