"""Syntax colour for `json`, `jsonl` and `yaml` when colour is on (a terminal, or FORCE_COLOR; never
with NO_COLOR), as jq, gh and the official CLI colour them. Escape codes are only put around tokens:
remove them and what is left is exactly the uncoloured output.
"""

from __future__ import annotations

import re

KEY, STRING, NUMBER, LITERAL, RESET = "\x1b[1;34m", "\x1b[32m", "\x1b[36m", "\x1b[33m", "\x1b[0m"

# In valid JSON, scanning left to right, a string is always consumed whole before anything inside it
# could match as a number or a literal.
_JSON_TOKEN = re.compile(r'("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(true|false|null)')


def colour_json(text: str) -> str:
    """JSON text (one document or several) with keys, strings, numbers and literals coloured."""
    return _JSON_TOKEN.sub(_paint_json, text)


def _paint_json(match: re.Match) -> str:
    string, colon, number, literal = match.groups()
    if string is not None:
        return f"{KEY if colon else STRING}{string}{RESET}{colon or ''}"
    if number is not None:
        return f"{NUMBER}{number}{RESET}"
    return f"{LITERAL}{literal}{RESET}"


def colour_yaml(text: str) -> str:
    """YAML text with keys and scalars coloured, found by PyYAML's own scanner; as it is if that fails."""
    import yaml

    try:
        spans = list(_yaml_spans(yaml, text))
    except yaml.YAMLError:
        return text
    pieces, at = [], 0
    for start, end, colour in spans:
        pieces += [text[at:start], colour, text[start:end], RESET]
        at = end
    return "".join(pieces) + text[at:]


def _yaml_spans(yaml, text: str):
    """(start, end, colour) of each scalar: a key's, or a value's by what it resolves to."""
    resolver = yaml.resolver.Resolver()
    key_next = False
    for token in yaml.scan(text):
        if isinstance(token, yaml.KeyToken):
            key_next = True
        elif isinstance(token, yaml.ScalarToken):
            colour = KEY if key_next else _scalar_colour(resolver, yaml, token)
            key_next = False
            start, end = token.start_mark.index, token.end_mark.index
            while end > start and text[end - 1] == "\n":  # a block scalar's span ends with its line breaks
                end -= 1
            yield start, end, colour


def _scalar_colour(resolver, yaml, token) -> str:
    if not token.plain:
        return STRING
    tag = resolver.resolve(yaml.ScalarNode, token.value, (True, False))
    if tag.endswith((":int", ":float")):
        return NUMBER
    return LITERAL if tag.endswith((":bool", ":null")) else STRING
