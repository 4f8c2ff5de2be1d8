"""`--format raw`: the body exactly as the API sent it (plus a final newline when it lacks one).

With --transform there is no received text for the selected part, so it is printed as compact JSON.
"""

from ant_cli.output.encoding import compact_json, utf8_json


def render(value, item, view) -> bytes:
    data = item.raw if not view.transform and item.raw else utf8_json(compact_json(value))
    return data if data.endswith(b"\n") else data + b"\n"
