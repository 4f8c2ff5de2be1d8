"""Choosing and running an output renderer; each format lives in its own module, imported on use."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass

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


@dataclass(frozen=True)
class View:
    """How to show one document: the format, an optional --transform path, and -r."""

    fmt: str
    transform: str | None = None
    raw_output: bool = False
    color: bool = False
    width: int = 80


@dataclass(frozen=True)
class Item:
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


def render(item: Item, view: View) -> bytes:
    """The bytes to print for one item in the given view."""
    value = apply_transform(item.document, view.transform)
    if view.raw_output and isinstance(value, str) and view.fmt not in ("pretty", "text"):
        return (value + "\n").encode("utf-8")
    module = importlib.import_module(RENDERER_MODULES[view.fmt])
    return module.render(value, item, view)


def compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
