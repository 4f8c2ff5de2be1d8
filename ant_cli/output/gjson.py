"""--transform paths in GJSON syntax (tidwall/gjson, as the official CLI uses): the gjson package
(gjson-py) evaluates them; a plain path is looked up here, without importing it.

A plain path is dotted keys and array indices (`completion`, `metadata.user_id`, `list.0`): the
common case, and one where both give the same answer (a property test holds them to it). Anything
else (`#` counts and maps, wildcards, `\\` escapes, `#(...)` queries, `@modifiers`, `|` pipes,
`{a,b}` and `[a,b]` multipaths, literals) goes to gjson-py, whose import costs tens of milliseconds.
gjson-py reports a path that matches nothing and a malformed one alike (GJSONParseError), so both
are MISSING: `--transform` then says the path matches nothing.
"""

from __future__ import annotations

import re

MISSING = object()

# A segment that means the same to both: a key or an index without any character special to GJSON.
_PLAIN_SEGMENT = re.compile(r"[^\\*?@#(){}\[\]|,!=<>%\"~:.]+")


def is_plain(path: str) -> bool:
    return all(_PLAIN_SEGMENT.fullmatch(segment) for segment in path.split("."))


def select(document, path: str):
    """The value at `path`, or MISSING when nothing matches (or the path is not GJSON)."""
    if is_plain(path):
        return _select(document, path.split("."))
    return _select_with_gjson(document, path)


def _select_with_gjson(document, path: str):
    import gjson  # deferred: only paths beyond the plain ones need it

    try:
        return gjson.get(document, path)
    except gjson.GJSONError:
        return MISSING


def _select(value, parts: list[str]):
    for part in parts:
        value = _step(value, part)
        if value is MISSING:
            return MISSING
    return value


def _step(value, part: str):
    if isinstance(value, dict):
        return value.get(part, MISSING)
    if isinstance(value, list) and part.isdigit():
        position = int(part)
        return value[position] if position < len(value) else MISSING
    return MISSING
