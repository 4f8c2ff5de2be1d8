"""Plain values: what the command line asked for, and the HTTP request built from it.

The click layer fills these; nothing below it knows about click. NamedTuples rather than dataclasses:
they are as clear and several times cheaper to define at start-up.
"""

from __future__ import annotations

from enum import Enum
from typing import BinaryIO, NamedTuple

from ant_cli.core.plan import Format


class Api(Enum):
    """The values of --via: which API serves a completion request (the command's output is the same)."""

    COMPLETE = "complete"  # POST /v1/complete, as the official ant sends it
    MESSAGES = "messages"  # POST /v1/messages: the request translated, the answer translated back
    MESSAGE_BATCHES = "message-batches"  # `batch` only: the lines translated as for messages, sent as Message Batches


API_NAMES = tuple(item.value for item in Api)


class CompletionArgs(NamedTuple):
    """The body flags of `ant completions create` (and `batch`), as given (None or empty when not given)."""

    max_tokens_to_sample: int | None = None
    model: str | None = None
    prompt: str | None = None
    metadata: str | None = None
    metadata_user_id: str | None = None
    stop_sequences: tuple[str, ...] = ()
    temperature: float | None = None
    top_k: int | None = None
    top_p: float | None = None
    stream: bool | None = None
    max_items: int | None = None
    betas: tuple[str, ...] = ()
    prompt_check: bool = True


class Settings(NamedTuple):
    """Global options: where and how to send, and how to show the result.

    Field names, types and defaults are declared here once; flags, help and environment variables
    are declared beside them in the click layer's option table, keyed by these names.
    """

    api_key: str | None = None
    auth_token: str | None = None
    base_url: str | None = None
    output_format: Format = Format.AUTO
    error_format: Format = Format.AUTO
    transform: str | None = None
    error_transform: str | None = None
    raw_output: bool = False
    max_retries: int = 2
    timeout: float = 600.0
    connect_timeout: float = 10.0
    quiet: bool = False
    debug: bool = False
    via: Api = Api.COMPLETE


class Invocation(NamedTuple):
    """`ant completions create` as parsed: `action` is "send", or "dry-run"/"curl" to print the request."""

    args: CompletionArgs
    settings: Settings
    action: str = "send"


class BatchOptions(NamedTuple):
    """The options only `ant completions batch` has."""

    path: str = "-"
    input_format: str = "jsonl"
    parallel: int = 2000
    max_rpm: int | None = None
    output: str | None = None
    resume: bool = False
    overwrite: bool = False
    dry_run: bool = False
    drop_foreign: bool = False
    max_input_tpm: int | None = None
    max_output_tpm: int | None = None
    cancel: bool = False  # --via message-batches: cancel the batches picked up, collect what they hold
    attach: tuple[str, ...] = ()  # --via message-batches: batch ids already created for this input


class BatchInvocation(NamedTuple):
    """`ant completions batch` as parsed: defaults for every line, settings, and the batch's own options."""

    args: CompletionArgs
    settings: Settings
    batch: BatchOptions


class ManpagesInvocation(NamedTuple):
    """What `ant @manpages` was asked to write."""

    directory: str
    gzip: bool
    text: bool


class HttpRequest(NamedTuple):
    """A fully built request; the same object is sent, printed by --dry-run, or rendered as curl."""

    method: str
    url: str
    headers: dict
    body: dict
    upload: BinaryIO | None = None  # a body too large for memory, sent from this file instead of `body`
    streamed: bool = False  # an answer read as it arrives (not only a `"stream": true` body's)

    @property
    def streaming(self) -> bool:
        return self.streamed or self.body.get("stream") is True

    def body_bytes(self) -> bytes:
        import json  # only a request being sent needs it: --help and --version do not load json

        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")
