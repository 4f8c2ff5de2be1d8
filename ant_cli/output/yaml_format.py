"""`--format yaml`: the document as YAML that parses back to exactly the document, with a YAML 1.1
parser (PyYAML) and a YAML 1.2 one alike; multi-line strings as `|` blocks where that is lossless.

PyYAML writes YAML 1.1, and two of its choices read differently under YAML 1.2, so strings are styled
here first:
- a plain scalar that 1.1 reads as a string may be a number in 1.2 (`1e3`, `0o17`): anything that
  looks like a number, a boolean or null in either version is quoted;
- NEL, LS and PS (U+0085, U+2028, U+2029) are line breaks in 1.1 but text in 1.2, so a string holding
  one is double-quoted, where PyYAML writes them as the escapes both versions know.
PyYAML itself falls back from `|` to a quoted style whenever a block would lose something (trailing
spaces, tabs, control characters, lone surrogates), and then escapes what UTF-8 cannot hold.
PyYAML is imported here only.
"""

from __future__ import annotations

import functools
import re

from ant_cli.output.syntax_colour import colour_yaml

# What a plain scalar must not look like: YAML 1.1 and 1.2 numbers (any sign, leading dot or digit;
# 1.1 also has sexagesimal and `_` separators), infinities, NaN, booleans (1.1 has yes/no/on/off),
# null, and 1.1's `=` (value) and `<<` (merge) keys. Quoting more than needed is harmless.
_LOOKS_TYPED = re.compile(
    r"[-+]?\.?[0-9].*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|=|<<"
    r"|[yY]|[nN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
    re.DOTALL,
)
_BREAKS_ONLY_IN_1_1 = ("\x85", "\u2028", "\u2029")


def scalar_style(text: str) -> str | None:
    """The style to ask PyYAML for (None: its own choice, which is plain or single-quoted text)."""
    if any(mark in text for mark in _BREAKS_ONLY_IN_1_1):
        return '"'
    if "\n" in text:
        return "|"  # PyYAML keeps it only where it is lossless
    if _LOOKS_TYPED.fullmatch(text):
        return '"'
    return None


@functools.lru_cache(maxsize=1)
def _dumper():
    import yaml

    class RoundTripDumper(yaml.SafeDumper):
        """Styles every string so that YAML 1.1 and 1.2 parsers read it back unchanged."""

    def represent_str(dumper, data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=scalar_style(data))

    RoundTripDumper.add_representer(str, represent_str)
    return yaml, RoundTripDumper


def render(value, item, view) -> bytes:
    yaml, dumper = _dumper()
    text = yaml.dump(value, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=float("inf"))
    return (colour_yaml(text) if view.color else text).encode("utf-8")
