"""Building the request: flags merged over a piped body, `@file` references resolved, headers set."""

from __future__ import annotations

import platform

from ant_cli import __version__
from ant_cli.core.catalog import ANTHROPIC_VERSION, DEFAULT_BASE_URL
from ant_cli.core.environment import Environment
from ant_cli.core.errors import UsageError
from ant_cli.core.types import Api, CompletionArgs, HttpRequest, Settings
from ant_cli.request.messages import messages_body
from ant_cli.request.stdin_body import parse_body, should_read_body, stdin_kind
from ant_cli.request.values import FileReferences, mentions_stdin, parse_nullable_object, type_name

SCALAR_FIELDS = ("max_tokens_to_sample", "model", "prompt", "temperature", "top_k", "top_p", "stream")
REQUIRED_FIELDS = ("max_tokens_to_sample", "model", "prompt")
USER_AGENT = f"ant-cli/{__version__} (python {platform.python_version()})"
NULL = "null"  # as in the official CLI, --metadata and the nullable --metadata.user-id send JSON null for it
BETA_KEY = "anthropic-beta"  # a piped body's header key, sent as --beta would send it


class StdinSource:
    """Stdin can be used once: as the piped body or for one `@-` value; a terminal is never read."""

    def __init__(self, env: Environment):
        self._env = env
        self._used_by: str | None = None

    def read(self, purpose: str) -> bytes:
        if self._used_by:
            raise UsageError(f"{purpose}: stdin was already used for {self._used_by}")
        if stdin_kind(self._env.stdin, self._env.stdin_isatty) == "tty":
            raise UsageError(f"{purpose}: '@-' reads stdin, but stdin is a terminal; pipe the text in")
        self._used_by = purpose
        return self._env.stdin.read()


def flag_fields(args: CompletionArgs) -> dict:
    """The body fields given as flags, before `@file` resolution."""
    fields = {name: getattr(args, name) for name in SCALAR_FIELDS if getattr(args, name) is not None}
    if args.stop_sequences:
        fields["stop_sequences"] = list(args.stop_sequences)
    return fields


def read_piped_body(args: CompletionArgs, env: Environment, stdin: StdinSource) -> dict:
    """The body piped on stdin, if there is one we may read without waiting or stealing `@-`."""
    given = flag_fields(args)
    if mentions_stdin([given, args.metadata, args.metadata_user_id, list(args.betas)]):
        return {}
    complete = all(name in given for name in REQUIRED_FIELDS)
    if not should_read_body(stdin_kind(env.stdin, env.stdin_isatty), env.stdin, complete):
        return {}
    return parse_body(stdin.read("the piped body"))


def merge_metadata(piped: dict, args: CompletionArgs, refs: FileReferences) -> dict | None:
    """`--metadata` replaces a piped object; `--metadata.user-id` sets one key of whichever is in force.

    `--metadata null` gives None, as does no metadata at all: `metadata_given` tells them apart.
    """
    metadata = piped.get("metadata")
    if args.metadata is not None:
        metadata = parse_nullable_object(refs.resolve(args.metadata, "--metadata"), "--metadata")
    if args.metadata_user_id is not None:
        metadata = dict(metadata) if isinstance(metadata, dict) else {}
        metadata["user_id"] = None if args.metadata_user_id == NULL else args.metadata_user_id
    return metadata


def metadata_given(args: CompletionArgs) -> bool:
    return args.metadata is not None or args.metadata_user_id is not None


def piped_betas(body: dict) -> list[str]:
    """The piped body's `anthropic-beta` (a name or a list of names), taken out of the body: it is a header."""
    value = body.pop(BETA_KEY, None)
    names = [] if value is None else [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise UsageError(f"'{BETA_KEY}' in the piped body must be a beta name or a list of names, "
                         f"got {type_name(value)}")
    return names


def assemble_body(args: CompletionArgs, env: Environment) -> tuple[dict, list[str]]:
    """The final JSON body and beta names: flags win over piped keys; unknown piped keys pass through."""
    stdin = StdinSource(env)
    refs = FileReferences(stdin.read)
    body = read_piped_body(args, env, stdin)
    from_body = piped_betas(body)
    body.update(flag_fields(args))
    metadata = merge_metadata(body, args, refs)
    if metadata is not None or "metadata" in body or metadata_given(args):
        body["metadata"] = metadata
    body = {key: refs.resolve_tree(value, field_label(key)) for key, value in body.items()}
    betas = [refs.resolve(name, "--beta") for name in args.betas]  # flags win over piped keys, as for the body
    return body, betas or [refs.resolve(name, f"'{BETA_KEY}'") for name in from_body]


def field_label(key: str) -> str:
    """How messages name a body field: by its flag when it has one."""
    if key == "stop_sequences":
        return "--stop-sequence"
    if key in SCALAR_FIELDS or key == "metadata":
        return "--" + key.replace("_", "-")
    return f"'{key}'"


def build_headers(settings: Settings, betas: list[str], streaming: bool) -> dict:
    """Headers for either API; the API key wins over a bearer token when both are set."""
    headers = {
        "anthropic-version": ANTHROPIC_VERSION,
        "content-type": "application/json",
        "accept": "text/event-stream" if streaming else "application/json",
        "user-agent": USER_AGENT,
    }
    if settings.api_key:
        headers["x-api-key"] = settings.api_key
    elif settings.auth_token:
        headers["authorization"] = f"Bearer {settings.auth_token}"
    if betas:
        headers["anthropic-beta"] = ",".join(betas)
    return headers


# A line sent through Message Batches is a /v1/messages request in a batch: it is built as one.
ENDPOINTS = {Api.COMPLETE: "/v1/complete", Api.MESSAGES: "/v1/messages", Api.MESSAGE_BATCHES: "/v1/messages"}


def endpoint_url(settings: Settings) -> str:
    return (settings.base_url or DEFAULT_BASE_URL).rstrip("/") + ENDPOINTS[settings.via]


def build_request(body: dict, betas: list[str], settings: Settings) -> HttpRequest:
    """The request for a checked completion body, in the shape of the API that `--via` names."""
    if settings.via is not Api.COMPLETE:
        body = messages_body(body)
    streaming = body.get("stream") is True
    return HttpRequest("POST", endpoint_url(settings), build_headers(settings, betas, streaming), body)
