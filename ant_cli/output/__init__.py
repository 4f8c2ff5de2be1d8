"""The output layer: rendering documents for stdout, one module per format, imported on use.

Owns the renderers (`json_format`, `jsonl_format`, `raw_format`, `yaml_format`, `text_format`,
`pretty`), --transform paths (`gjson`), the printers of a live stream (`stream_printers`), the
request printed by --dry-run/--curl (`request_view`) and what is drawn on stderr while waiting
(`spinner`, `progress`). Imports `ant_cli.core` only; rich and yaml are imported by the modules
that draw with them, when they do.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

from ant_cli.core.errors import OutputError
from ant_cli.core.plan import View
from ant_cli.output import gjson
from ant_cli.output.encoding import utf8_text
from ant_cli.output.formats import FORMATS, Renderer


class Item(NamedTuple):
    """A document to show, with the bytes it came from and the response's request id."""

    document: object
    raw: bytes = b""
    request_id: str | None = None


def apply_transform(document, path: str | None):
    """The part of the document that --transform selects; a path that matches nothing is an error."""
    if not path:
        return document
    value = gjson.select(document, path)
    if value is gjson.MISSING:
        raise OutputError(f"--transform path {path!r} matches nothing in the response")
    return value


def renderer_for(view: View):
    """A function from Item to bytes for this view; the format's module is looked up once."""
    spec = FORMATS[view.fmt]
    render_value: Renderer = importlib.import_module(spec.module).render
    bare_strings = view.raw_output and spec.bare_strings

    def render_item(item: Item) -> bytes:
        value = apply_transform(item.document, view.transform)
        if bare_strings and isinstance(value, str):
            return utf8_text(value + "\n")
        return render_value(value, item, view)

    return render_item


def render(item: Item, view: View) -> bytes:
    """The bytes to print for one item in the given view."""
    return renderer_for(view)(item)
