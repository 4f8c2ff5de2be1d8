"""Choosing and running an output renderer; each format lives in its own module, imported on use."""

from __future__ import annotations

import importlib
import json
from typing import NamedTuple

from ant_cli import gjson
from ant_cli.errors import OutputError

RENDERER_MODULES = {
    "json": "ant_cli.output.json_format",
    "jsonl": "ant_cli.output.jsonl_format",
    "raw": "ant_cli.output.raw_format",
    "yaml": "ant_cli.output.yaml_format",
    "text": "ant_cli.output.text_format",
    "pretty": "ant_cli.output.pretty",
}


class View(NamedTuple):
    """How to show one document: the format, an optional --transform path, and -r."""

    fmt: str
    transform: str | None = None
    raw_output: bool = False
    color: bool = False
    width: int = 80


class Item(NamedTuple):
    """A document to show, with the bytes it came from and the response's request id."""

    document: object
    raw: bytes = b""
    request_id: str | None = None


def effective_format(fmt: str, stdout_isatty: bool) -> str:
    """`auto` means the rich view on a terminal and JSON in a pipe."""
    if fmt == "auto":
        return "pretty" if stdout_isatty else "json"
    return fmt


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
    module = importlib.import_module(RENDERER_MODULES[view.fmt])
    bare_strings = view.raw_output and view.fmt not in ("pretty", "text")

    def render_item(item: Item) -> bytes:
        value = apply_transform(item.document, view.transform)
        if bare_strings and isinstance(value, str):
            return (value + "\n").encode("utf-8")
        return module.render(value, item, view)

    return render_item


def render(item: Item, view: View) -> bytes:
    """The bytes to print for one item in the given view."""
    return renderer_for(view)(item)


# Built once: json.dumps with non-default options makes a new encoder on every call.
compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
indented_json = json.JSONEncoder(ensure_ascii=False, indent=2).encode
