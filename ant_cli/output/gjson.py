"""A GJSON-style path selector for --transform: dotted keys, array indices, `#` counts and `#.key` maps.

Supported: `completion`, `metadata.user_id`, `list.0`, `list.#` (length), `list.#.key` (that key of
every element), `\\.` to escape a dot in a key, and `*`/`?` wildcards in a key (first match).
"""

from __future__ import annotations

import fnmatch

MISSING = object()


def split_path(path: str) -> list[str]:
    """Split on unescaped dots; a backslash escapes the next character."""
    parts, current, escaped = [], [], False
    for char in path:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ".":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def select(document, path: str):
    """The value at `path`, or MISSING when nothing matches."""
    return _select(document, split_path(path))


def _select(value, parts: list[str]):
    for index, part in enumerate(parts):
        if part == "#" and isinstance(value, list):
            rest = parts[index + 1:]
            if not rest:
                return len(value)
            found = [_select(item, rest) for item in value]
            return [item for item in found if item is not MISSING]
        value = _step(value, part)
        if value is MISSING:
            return MISSING
    return value


def _step(value, part: str):
    if isinstance(value, dict):
        if part in value:
            return value[part]
        if any(char in part for char in "*?"):
            for key in value:
                if fnmatch.fnmatchcase(key, part):
                    return value[key]
        return MISSING
    if isinstance(value, list) and part.isdigit():
        position = int(part)
        return value[position] if position < len(value) else MISSING
    return MISSING
