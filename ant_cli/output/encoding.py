"""Turning values and text into the bytes printed: JSON encoders built once, and UTF-8 that never fails.

Its own module so that the renderers, which `ant_cli.output` loads by name, import nothing back from it.
"""

from __future__ import annotations

import json


def utf8_text(text: str) -> bytes:
    """Text as UTF-8 for people: a lone surrogate (the API's JSON may carry `\\ud800`), which UTF-8
    cannot hold, becomes U+FFFD; a high and low surrogate that make a pair become their character."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").encode("utf-8")


def utf8_json(text: str) -> bytes:
    """JSON text as UTF-8: a lone surrogate, which can only sit inside a JSON string, is written as the
    `\\uXXXX` escape JSON has for it, so the value parses back unchanged."""
    return text.encode("utf-8", "backslashreplace")


# Built once: json.dumps with non-default options makes a new encoder on every call.
compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
indented_json = json.JSONEncoder(ensure_ascii=False, indent=2).encode
