"""--transform paths in GJSON syntax (tidwall/gjson, as the official CLI uses), evaluated here over the
parsed document, with tidwall's own test cases as the reference (the tests port them).

A plain path (dotted keys and array indices: `completion`, `metadata.user_id`, `list.0`) is the common
case and takes a short lookup. Everything else goes through the evaluator below: `#` counts and maps,
`*`/`?` wildcards, `\\` escapes, `#(...)`/`#(...)#` queries (and the older `#[...]` form), `~` truthiness
queries, `|` pipes, `@modifiers`, `{a,b}`/`[a,b]` multipaths and `!` literals. A path that matches
nothing and a malformed path are both MISSING: `--transform` then says the path matches nothing.
Not supported: the `..` JSON Lines prefix (a response is one document), custom modifiers; `@pretty` and
`@ugly` keep the value (its layout is `--format`'s), `@pretty:{"sortKeys":true}` sorts its keys.
"""

from __future__ import annotations

import json
import re
from typing import Callable, NamedTuple

MISSING = object()

# A segment that means the same to both: a key or an index without any character special to GJSON.
_PLAIN_SEGMENT = re.compile(r"[^\\*?@#(){}\[\]|,!=<>%\"~:.]+")


class Malformed(Exception):
    """The path is not GJSON (an unclosed bracket, a trailing separator, a bad literal)."""


def is_plain(path: str) -> bool:
    return all(_PLAIN_SEGMENT.fullmatch(segment) for segment in path.split("."))


def select(document, path: str):
    """The value at `path`, or MISSING when nothing matches (or the path is not GJSON)."""
    if is_plain(path):
        return _select_plain(document, path.split("."))
    return evaluate(document, path)


def evaluate(document, path: str):
    """`select` without the short cut for plain paths (which must give the same answers)."""
    try:
        return _evaluate(document, path) if path else MISSING
    except Malformed:
        return MISSING


def _select_plain(value, parts: list[str]):
    for part in parts:
        value = _child(value, part)
        if value is MISSING:
            return MISSING
    return value


def _child(value, key: str):
    if isinstance(value, dict):
        return value.get(key, MISSING)
    if isinstance(value, list) and key.isdigit():
        position = int(key)
        return value[position] if position < len(value) else MISSING
    return MISSING


# Reading a path, one component at a time -------------------------------------------------------------

class Step(NamedTuple):
    """One component of a path, the separator after it ('.', '|' or '' at the end) and what follows."""

    text: str
    sep: str
    rest: str


def _scan(text: str, start: int = 0):
    """(index, character, depth) for each character outside JSON strings and `\\` escapes; an opening
    bracket and its closing one have the same depth, the depth of what surrounds them."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 1
        elif char == '"':
            i = _string_end(text, i)
        elif char in "([{":
            yield i, char, depth
            depth += 1
        elif char in ")]}":
            depth -= 1
            yield i, char, depth
        else:
            yield i, char, depth
        i += 1


def _closing(path: str, start: int) -> int:
    """The index just past the bracket that closes the one at `start`."""
    end = next((i for i, char, depth in _scan(path, start) if char in ")]}" and depth == 0), None)
    if end is None:
        raise Malformed(path)
    return end + 1


def _string_end(path: str, start: int) -> int:
    """The index of the quote that ends the JSON string starting at `start`."""
    i = start + 1
    while i < len(path) and path[i] != '"':
        i += 2 if path[i] == "\\" else 1
    if i >= len(path):
        raise Malformed(path)
    return i


def _key_end(path: str, start: int) -> int:
    i = start
    while i < len(path) and path[i] not in ".|":
        i += 2 if path[i] == "\\" else 1
    return min(i, len(path))


def _json_end(path: str, start: int) -> int:
    try:
        return json.JSONDecoder().raw_decode(path, start)[1]
    except ValueError:
        raise Malformed(path) from None


def _modifier_end(path: str) -> int:
    name_end = re.match(r"@[^.|:]*", path).end()  # type: ignore[union-attr]
    if name_end == len(path) or path[name_end] != ":":
        return name_end
    if path[name_end + 1:name_end + 2] in ("{", "[", '"'):
        return _json_end(path, name_end + 1)
    return _key_end(path, name_end + 1)


def _component_end(path: str) -> int:
    if path.startswith(("#(", "#[")):
        end = _closing(path, 1)
        return end + 1 if path[end:end + 1] == "#" else end
    if path[:1] in ("[", "{"):
        return _closing(path, 0)
    if path.startswith("!"):
        return _json_end(path, 1)
    if path.startswith("@") and _modifier_name(path) in MODIFIERS:
        return _modifier_end(path)
    return _key_end(path, 0)


def _next_step(path: str) -> Step:
    end = _component_end(path)
    sep = path[end:end + 1]
    if sep not in ("", ".", "|"):
        raise Malformed(path)
    rest = path[end + 1:]
    if sep and not rest:
        raise Malformed(path)  # a trailing separator
    return Step(path[:end], sep, rest)


def _until_pipe(path: str) -> tuple[str, str]:
    """The path up to its first `|` between components, and what follows it ('' when there is none)."""
    done = 0
    while done < len(path):
        step = _next_step(path[done:])
        done += len(step.text) + 1
        if step.sep == "|":
            return path[:done - 1], path[done:]
    return path, ""


# Evaluating a path --------------------------------------------------------------------------------

def _evaluate(value, path: str):
    step = _next_step(path)
    text = step.text
    if text == "#" and isinstance(value, list):
        return _then(value, step, mapped=True) if step.sep == "." else _continue(len(value), step)
    if text.startswith(("#(", "#[")):
        return _query(value, step)
    if text[:1] in ("[", "{"):
        return _continue(_multipath(value, text), step)
    if text.startswith("!"):
        return _continue(json.loads(text[1:]), step)
    if text.startswith("@") and _modifier_name(text) in MODIFIERS:
        return _continue(_apply_modifier(value, text), step)
    return _continue(_key(value, text), step)


def _continue(value, step: Step):
    if value is MISSING or not step.sep:
        return value
    return _evaluate(value, step.rest)


def _then(values: list, step: Step, mapped: bool):
    """After `#` or a `#(...)#` query: `.rest` applies (up to a pipe) to each element, `|rest` to the list."""
    if not (mapped and step.sep == "."):
        return _continue(values, step)
    each, piped = _until_pipe(step.rest)
    results = [result for result in (_evaluate(item, each) for item in values) if result is not MISSING]
    return _evaluate(results, piped) if piped else results


def _key(value, text: str):
    """A key (exact, or the first that matches its wildcards) or an array index."""
    pattern, wild = _key_pattern(text)
    if not wild:
        return _child(value, _unescape(text))
    if isinstance(value, dict):
        return next((item for key, item in value.items() if pattern.fullmatch(key)), MISSING)
    return MISSING


def _key_pattern(text: str) -> tuple[re.Pattern, bool]:
    """A regular expression for a key with `*` and `?` wildcards (`\\*` is a star), and whether it has any."""
    parts, wild, i = [], False, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            i += 1
            parts.append(re.escape(text[i]))
        elif char in "*?":
            wild = True
            parts.append(".*" if char == "*" else ".")
        else:
            parts.append(re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL), wild


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def _like(text: str, pattern: str) -> bool:
    """`%` in a query: `*` and `?` wildcards over the whole string."""
    return _key_pattern(pattern)[0].fullmatch(text) is not None


# Queries: #(path op value) and #(path op value)# -------------------------------------------------------

class Query(NamedTuple):
    path: str
    op: str
    value: str


_OPERATORS = ("==", "!=", "<=", ">=", "!%", "=", "<", ">", "%")


def _parse_query(text: str) -> Query:
    inner = text[2:-2] if text.endswith("#") else text[2:-1]
    at = _operator_position(inner)
    if at is None:
        return Query(inner.strip(), "", "")
    op = next(op for op in _OPERATORS if inner.startswith(op, at))
    value = inner[at + len(op):].strip()
    if value.startswith('"'):
        value = json.loads(value)
    return Query(inner[:at].strip(), "=" if op == "==" else op, value)


def _operator_position(inner: str) -> int | None:
    """Where the comparison starts: the first operator character outside brackets and quotes."""
    return next((i for i, char, depth in _scan(inner) if depth == 0 and char in "!=<>%"), None)


def _query(value, step: Step):
    if not isinstance(value, list):
        return MISSING
    query = _parse_query(step.text)
    found = [item for item in value if _matches(_evaluate(item, query.path) if query.path else item, query)]
    if step.text.endswith("#"):
        return _then(found, step, mapped=True)
    return _continue(found[0] if found else MISSING, step)


def _matches(value, query: Query) -> bool:
    wanted = query.value
    if wanted.startswith("~"):
        value, wanted = _truthiness(value, wanted[1:]), "true"
    if value is MISSING:
        return False
    if not query.op:
        return True
    if isinstance(value, bool):
        return _compare_bool(value, query.op, wanted)
    if isinstance(value, str):
        return _compare(value, query.op, wanted)
    if isinstance(value, (int, float)):
        return _compare(value, query.op, _number(wanted))
    return False


def _truthiness(value, kind: str):
    """`~true`, `~false`, `~null`, `~*`: the value as a boolean the way tidwall reads it (MISSING: no match)."""
    tests: dict[str, Callable] = {"*": lambda: value is not MISSING, "null": lambda: value is None or value is MISSING,
                                  "true": lambda: _truthy(value) is True, "false": lambda: _truthy(value) is False}
    return tests[kind]() if kind in tests else MISSING


def _truthy(value):
    """True, False, or None when the value is neither (a string that is not a boolean, an object)."""
    if value is None or value is MISSING:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return {"1": True, "t": True, "true": True, "0": False, "f": False, "false": False}.get(value.lower())
    return None


def _compare_bool(value: bool, op: str, wanted: str) -> bool:
    if value:
        return {"=": wanted == "true", "!=": wanted != "true", ">": wanted == "false", ">=": True}.get(op, False)
    return {"=": wanted == "false", "!=": wanted != "false", "<": wanted == "true", "<=": True}.get(op, False)


def _compare(value, op: str, wanted) -> bool:
    if op in ("%", "!%"):
        return isinstance(value, str) and _like(value, wanted) == (op == "%")
    comparisons = {"=": value == wanted, "!=": value != wanted, "<": value < wanted, "<=": value <= wanted,
                   ">": value > wanted, ">=": value >= wanted}
    return comparisons.get(op, False)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


# Multipaths: {a,"name":b} and [a,b] ---------------------------------------------------------------------

def _multipath(value, text: str):
    items = [_named(item) for item in _split_items(text[1:-1])]
    found = [(name, _evaluate(value, path) if path else MISSING) for name, path in items]
    if text.startswith("["):
        return [result for _, result in found if result is not MISSING]
    return {name: result for name, result in found if result is not MISSING}


def _split_items(inner: str) -> list[str]:
    """The comma-separated paths of a multipath (commas inside brackets or quotes belong to a path)."""
    commas = [i for i, char, depth in _scan(inner) if char == "," and depth == 0]
    bounds = zip([-1, *commas], [*commas, len(inner)], strict=True)
    return [item for item in (inner[start + 1:end] for start, end in bounds) if item]


def _named(item: str) -> tuple[str, str]:
    """An item's key in an object multipath and its path: `"name":path`, `name:path`, or the last key."""
    name = re.match(r'(?:"(?:[^"\\]|\\.)*"|[^.|@:\[\]{}()"!]*):', item)
    if name and name.end() > 1:
        label = name.group()[:-1]
        return (json.loads(label) if label.startswith('"') else label), item[name.end():]
    return _last_name(item), item


def _last_name(path: str) -> str:
    last = re.split(r"(?<!\\)[.|]", path)[-1]
    return "_" if re.search(r"[\[\]{}()#|!\x00-\x1f]", last) else _unescape(last)


# Modifiers ----------------------------------------------------------------------------------------

def _modifier_name(text: str) -> str:
    return re.match(r"@([^.|:]*)", text).group(1)  # type: ignore[union-attr]


def _apply_modifier(value, text: str):
    name = _modifier_name(text)
    arg = text[len(name) + 2:]
    options = json.loads(arg) if arg.startswith("{") else {}
    return MODIFIERS[name](value, arg, options if isinstance(options, dict) else {})


def _reverse(value, arg: str, options: dict):
    if isinstance(value, list):
        return value[::-1]
    if isinstance(value, dict):
        return dict(reversed(value.items()))
    return value


def _pretty(value, arg: str, options: dict):
    return _sorted_keys(value) if options.get("sortKeys") else value


def _sorted_keys(value):
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def _flatten(value, arg: str, options: dict):
    if not isinstance(value, list):
        return value
    flat: list = []
    for item in value:
        if isinstance(item, list):
            flat.extend(_flatten(item, arg, options) if options.get("deep") else item)
        else:
            flat.append(item)
    return flat


def _join(value, arg: str, options: dict):
    if not isinstance(value, list):
        return value
    joined: dict = {}
    for item in (item for item in value if isinstance(item, dict)):
        for key, member in item.items():
            if options.get("preserve"):
                joined.setdefault(key, member)  # a key twice cannot be kept twice: the first one is
            else:
                joined[key] = member
    return joined


def _keys(value, arg: str, options: dict):
    if isinstance(value, dict):
        return list(value)
    return [None] * (len(value) if isinstance(value, list) else 1)


def _values(value, arg: str, options: dict):
    if isinstance(value, dict):
        return list(value.values())
    return value if isinstance(value, list) else [value]


def _from_string(value, arg: str, options: dict):
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return MISSING


def _group(value, arg: str, options: dict):
    if not isinstance(value, dict):
        return MISSING
    rows: list[dict] = []
    for key, column in ((key, column) for key, column in value.items() if isinstance(column, list)):
        rows.extend({} for _ in range(len(column) - len(rows)))
        for row, item in zip(rows, column, strict=False):  # rows may outnumber this column
            row[key] = item
    return rows


def _dig(value, arg: str, options: dict):
    """Every value the path `arg` finds at any depth, outermost first."""
    found = []
    pending = [value]
    while pending:
        current = pending.pop()
        result = evaluate(current, arg)
        if result is not MISSING:
            found.append(result)
        children = current.values() if isinstance(current, dict) else current if isinstance(current, list) else ()
        pending.extend(reversed(list(children)))
    return found


def _same(value, arg: str, options: dict):
    return value


MODIFIERS: dict[str, Callable] = {
    "this": _same, "ugly": _same, "valid": _same, "pretty": _pretty, "reverse": _reverse, "flatten": _flatten,
    "join": _join, "keys": _keys, "values": _values, "group": _group, "dig": _dig, "fromstr": _from_string,
    "tostr": lambda value, arg, options: json.dumps(value, ensure_ascii=False, separators=(",", ":")),
}
