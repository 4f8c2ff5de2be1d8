"""Turning option text into values: relaxed JSON/YAML documents, official-syntax integers, `@file` references."""

from __future__ import annotations

import re

from ant_cli.core.errors import UsageError

# The official CLI's integers (Go's strconv.ParseInt with base 0): 0x1F, 0o17, 0b101, 1_000, and a leading
# zero meaning octal (010 is 8). Python's int(text, 0) has the same syntax but for that last one.
_LEGACY_OCTAL = re.compile(r"([-+]?)0(_?[0-7])+")


def parse_int(text: str) -> int:
    """An integer in the official CLI's syntax; ValueError for anything else (spaces, non-ASCII digits)."""
    if not text.isascii() or text != text.strip():
        raise ValueError(text)
    match = _LEGACY_OCTAL.fullmatch(text)
    if match:
        return int(match.group(1) + "0o" + text[len(match.group(1)) + 1:], 8)
    return int(text, 0)


def parse_document(text: str, what: str):
    """Parse JSON, or failing that YAML (imported only then), naming `what` in any error."""
    import json  # here, as base64 below: --help, --version and a usage error never load either

    try:
        return json.loads(text)
    except ValueError:
        pass
    import yaml  # deferred: YAML costs start-up time and is rarely needed

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise UsageError(f"{what} is neither valid JSON nor valid YAML: {detail}") from None


def parse_nullable_object(text: str, what: str) -> dict | None:
    """Parse a relaxed JSON/YAML object such as `{user_id: abc}`, or `null` (the official CLI's way to send
    JSON null), which gives None; anything else, blank included, is an error."""
    value = parse_document(text, what)
    return None if value is None and text.strip() else as_object(value, what)


def as_object(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise UsageError(f"{what} must be an object such as '{{user_id: abc}}', got {type_name(value)}")
    return value


def type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


class FileReferences:
    """Resolves `@path`, `@file://path`, `@data://path` and `@-` in string values; `\\@` keeps a literal `@`."""

    def __init__(self, read_stdin):
        self._read_stdin = read_stdin  # callable returning stdin's bytes, or raising UsageError

    def resolve(self, value: str, where: str) -> str:
        if value.startswith("\\@"):
            return value[1:]
        if not value.startswith("@"):
            return value
        target = value[1:]
        if target.startswith("data://"):
            import base64

            return base64.b64encode(self._read(target[7:], where)).decode("ascii")
        if target.startswith("file://"):
            target = target[7:]
        return self._decode(self._read(target, where), target, where)

    def resolve_tree(self, value, where: str):
        """Resolve every string leaf of a JSON-like value."""
        if isinstance(value, str):
            return self.resolve(value, where)
        if isinstance(value, list):
            return [self.resolve_tree(item, f"{where}[{i}]") for i, item in enumerate(value)]
        if isinstance(value, dict):
            return {key: self.resolve_tree(item, f"{where}.{key}") for key, item in value.items()}
        return value

    def _read(self, path: str, where: str) -> bytes:
        if not path:
            raise UsageError(f"{where}: '@' must be followed by a file name (write '\\@' for a literal '@')")
        if path == "-":
            return self._read_stdin(where)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise UsageError(
                f"{where}: cannot read file '{path}': {reason} (write '\\@' for a literal '@')"
            ) from None

    @staticmethod
    def _decode(data: bytes, path: str, where: str) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(
                f"{where}: file '{path}' is not UTF-8 text (use '@data://{path}' to send it base64-encoded)"
            ) from None


def mentions_stdin(value) -> bool:
    """True if a value (or any string leaf of it) is an `@-` reference."""
    if isinstance(value, str):
        return value == "@-"
    if isinstance(value, (list, tuple)):
        return any(mentions_stdin(item) for item in value)
    if isinstance(value, dict):
        return any(mentions_stdin(item) for item in value.values())
    return False
