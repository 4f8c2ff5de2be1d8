"""Plain request objects: what the command line asked for, and the HTTP request built from it.

The click layer fills `CompletionArgs` and `Settings`; nothing below it knows about click.
NamedTuples rather than dataclasses: they are as clear and several times cheaper to define at start-up.
"""

from __future__ import annotations

import json
from typing import NamedTuple


class CompletionArgs(NamedTuple):
    """The body flags of `ant completions create`, as given (None or empty when not given)."""

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
    """Global options: where and how to send, and how to show the result."""

    api_key: str | None = None
    auth_token: str | None = None
    base_url: str | None = None
    output_format: str = "auto"
    error_format: str = "auto"
    transform: str | None = None
    error_transform: str | None = None
    raw_output: bool = False
    debug: bool = False
    quiet: bool = False
    max_retries: int = 2
    timeout: float = 600.0
    connect_timeout: float = 10.0


class HttpRequest(NamedTuple):
    """A fully built request; the same object is sent, printed by --dry-run, or rendered as curl."""

    method: str
    url: str
    headers: dict
    body: dict

    @property
    def streaming(self) -> bool:
        return self.body.get("stream") is True

    def body_bytes(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")
