"""A batch's input: JSONL (or plain text) lines turned into checked requests, one per non-blank line.

A line is `{"custom_id": ..., "params": {...}}` (the Message Batches request shape) or the parameters
alone; its custom_id is then its 1-based line number. The options give every line's defaults and a
line's own values win; each merged body is checked exactly as `create` checks its flags. A line that
cannot be sent is not an error of the run: it carries a `problem` and becomes an errored result.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from typing import BinaryIO, Iterator, NamedTuple

from ant_cli.core.errors import UsageError
from ant_cli.core.types import CompletionArgs, HttpRequest, Settings
from ant_cli.request.build import (
    REQUIRED_FIELDS,
    build_request,
    field_label,
    flag_fields,
    merge_metadata,
    metadata_given,
    piped_betas,
)
from ant_cli.request.validate import ASSISTANT, HUMAN, check_header_value, validate_body, validate_fields
from ant_cli.request.values import FileReferences


class Line(NamedTuple):
    """One non-blank input line: its id, and either the request to send or why it cannot be sent."""

    number: int
    custom_id: str
    request: HttpRequest | None = None
    problem: str | None = None


def open_input(path: str, stdin: BinaryIO, stdin_isatty: bool = False) -> BinaryIO:
    """The input as a file that can be read twice: stdin, or a pipe given as FILE (`<(jq ...)`), is spooled
    to a temporary file first.

    A terminal is never read: typing a batch by hand is not a use, waiting for it looks like a hang."""
    if path == "-" and stdin_isatty:
        raise UsageError("no input: give a JSONL FILE, or pipe the lines on stdin")
    if path == "-":
        return spooled(stdin)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise UsageError(f"cannot read the batch input '{path}': {exc.strerror or exc}") from None
    if handle.seekable():
        return handle
    with handle:
        return spooled(handle)


def spooled(stream: BinaryIO) -> BinaryIO:
    spool = tempfile.TemporaryFile()
    shutil.copyfileobj(stream, spool)
    spool.seek(0)
    return spool


def option_defaults(args: CompletionArgs, stdin_is_input: bool) -> tuple[dict, list[str]]:
    """The body fields and betas the options give every line (`@file` values resolved once), each checked as
    create checks it: a bad option is one usage error before anything is sent, not an errored line each."""
    def read_stdin(where: str) -> bytes:
        raise UsageError(f"{where}: '@-' cannot read stdin here: "
                         f"{'stdin is the batch input' if stdin_is_input else 'a batch reads no piped body'}")

    refs = FileReferences(read_stdin)
    body = flag_fields(args)
    metadata = merge_metadata({}, args, refs)
    if metadata_given(args):  # --metadata null sends null, as create does
        body["metadata"] = metadata
    body = {key: refs.resolve_tree(value, field_label(key)) for key, value in body.items()}
    validate_fields(body, args.prompt_check)
    betas = [refs.resolve(name, "--beta") for name in args.betas]
    for beta in betas:
        check_header_value("--beta", beta)
    return body, betas


def decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return None


def split_line(number: int, text: str | None, input_format: str) -> tuple[str, dict | None, str | None]:
    """(custom_id, the line's own parameters, problem) of one non-blank line."""
    line_id = str(number)
    if text is None:
        return line_id, None, f"line {number} is not UTF-8 text"
    if input_format == "text":
        return line_id, {"prompt": f"{HUMAN} {text}{ASSISTANT}"}, None
    try:
        value = json.loads(text)
    except ValueError as exc:
        return line_id, None, f"line {number} is not valid JSON: {exc}"
    if not isinstance(value, dict):
        return line_id, None, f"line {number} must be a JSON object, got {type(value).__name__}"
    return split_object(number, value)


def split_object(number: int, value: dict) -> tuple[str, dict | None, str | None]:
    custom_id = value.pop("custom_id", str(number))
    if not isinstance(custom_id, str) or not custom_id:
        return str(number), None, f"line {number}: custom_id must be a non-empty string, got {custom_id!r}"
    if "params" not in value:
        return custom_id, value, None
    params = value.pop("params")
    if value:
        return custom_id, None, f"line {number}: unexpected keys beside custom_id and params: {', '.join(value)}"
    if not isinstance(params, dict):
        return custom_id, None, f"line {number}: params must be a JSON object"
    return custom_id, params, None


def non_blank_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(1-based line number, bytes) of every line with anything but white space; blank lines still count."""
    handle.seek(0)
    for number, raw in enumerate(handle, start=1):
        if raw.strip():
            yield number, raw


class LineReader:
    """Turns input lines into Lines: defaults merged under each line's parameters, checked, built."""

    def __init__(self, defaults: dict, betas: list[str], settings: Settings, input_format: str,
                 prompt_check: bool):
        self.defaults, self.betas, self.settings = defaults, betas, settings
        self.input_format, self.prompt_check = input_format, prompt_check

    def heads(self, handle: BinaryIO) -> Iterator[tuple[int, str, dict | None]]:
        """(line number, custom_id, the line's own parameters) of every non-blank line, without building requests."""
        for number, raw in non_blank_lines(handle):
            custom_id, params, _ = split_line(number, decode(raw), self.input_format)
            yield number, custom_id, params

    def lines(self, handle: BinaryIO) -> Iterator[Line]:
        for number, raw in non_blank_lines(handle):
            yield self.line(number, raw)

    def line(self, number: int, raw: bytes) -> Line:
        custom_id, params, problem = split_line(number, decode(raw), self.input_format)
        if params is None:
            return Line(number, custom_id, problem=problem)
        body = dict(self.defaults, **params)
        try:
            betas = piped_betas(body) or self.betas  # a line's own `anthropic-beta` is its header, as when piped
            for beta in betas:
                check_header_value("'anthropic-beta'", beta)
            require_fields(body)
            validate_body(body, self.prompt_check)
            request = build_request(body, betas, self.settings)
        except UsageError as exc:
            return Line(number, custom_id, problem=f"line {number}: {in_line_terms(str(exc), params)}")
        if body.get("stream") is True:
            return Line(number, custom_id, problem=f"line {number}: \"stream\": true is not allowed in a batch "
                                                   "(batch results are whole completions)")
        return Line(number, custom_id, request)


def require_fields(body: dict) -> None:
    """A field no option and no line gives, named both ways (create's message speaks of a piped body)."""
    missing = [name for name in REQUIRED_FIELDS if body.get(name) is None]
    if missing:
        ways = ", ".join(f"{field_label(name)} or \"{name}\" in the line" for name in missing)
        raise UsageError(f"missing {', '.join(missing)}: give {ways}")


def in_line_terms(message: str, params: dict) -> str:
    """A problem with a value the line gave names the line's key, not the option that would have given it."""
    labels = {field_label(key): key for key in params}
    if "metadata" in params:
        labels[field_label("metadata") + ".user-id"] = "metadata.user_id"
    message = message.replace(" in the piped body", "")  # create's wording; here the value is the line's
    flag = message.split(" ", 1)[0]
    return labels[flag] + message[len(flag):] if flag in labels else message


def index_input(reader: LineReader, handle: BinaryIO) -> list[str]:
    """Every non-blank line's custom_id in input order, from one read made before anything is sent. A custom_id
    used twice, or a required value that no option and no line gives (every line would fail), is a usage error."""
    first_seen: dict[str, int] = {}
    supplied: set[str] | None = None  # required fields some readable line gives; None: no line was readable
    for number, custom_id, params in reader.heads(handle):
        earlier = first_seen.setdefault(custom_id, number)
        if earlier != number:
            raise UsageError(f"custom_id {custom_id!r} is used on line {earlier} and again on line {number}; "
                             "each line needs its own (nothing was sent)")
        if params is not None:
            supplied = (supplied or set()) | {name for name in REQUIRED_FIELDS if params.get(name) is not None}
    if supplied is not None:
        require_somewhere(reader.defaults, supplied)
    return list(first_seen)


def require_somewhere(defaults: dict, supplied: set[str]) -> None:
    """A required field that neither the options nor any line gives would fail every line the same way."""
    missing = [name for name in REQUIRED_FIELDS if defaults.get(name) is None and name not in supplied]
    if missing:
        ways = "; ".join(f"give {field_label(name)}, or \"{name}\" in each line" for name in missing)
        pronoun = "it" if len(missing) == 1 else "them"
        raise UsageError(f"missing {', '.join(missing)}: no option and no line gives {pronoun}, so every line "
                         f"would fail ({ways}; nothing was sent)")
