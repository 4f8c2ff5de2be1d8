"""Every option, declared once: click's help, the man pages, the completion scripts and `Settings` come from here.

Global options are declared on both `ant` and each subcommand, so they may stand before or after the
subcommand (the reference example puts --api-key after it); a value given after wins. Their names,
types and defaults are `Settings`' fields; this table adds the flags, help and environment variable.
"""

from __future__ import annotations

import os
from enum import Enum
from typing import Any, NamedTuple

import click
from click.core import ParameterSource

from ant_cli.cli.base import GlobalOption, LineDefault
from ant_cli.core.catalog import COMPLETE_MODELS, KNOWN_BETAS, KNOWN_MODELS
from ant_cli.core.plan import FORMAT_NAMES
from ant_cli.core.types import API_NAMES, CompletionArgs, Settings
from ant_cli.request.values import parse_int

MODELS_NOTE = (f"{' and '.join(COMPLETE_MODELS)} are the ids /v1/complete answers; Claude 3 and later ids are "
               "refused there (use the Messages API), and any other id is sent as given.")
MODELS_HELP = "Known models:\n  " + MODELS_NOTE


class GlobalSpec(NamedTuple):
    """What click needs besides a Settings field's name and default."""

    flags: tuple[str, ...]
    help: str
    envvar: str | None = None
    metavar: str | None = None
    type: object = None


FORMAT_CHOICE = click.Choice(FORMAT_NAMES, case_sensitive=False)

GLOBAL_OPTIONS = {
    "api_key": GlobalSpec(("--api-key",), "API key, sent as x-api-key. Prefer the variable: a key on the command "
                          "line is visible in ps and shell history.", "ANTHROPIC_API_KEY", "KEY"),
    "auth_token": GlobalSpec(("--auth-token",), "Bearer token, sent as Authorization (used when no API key is set).",
                             "ANTHROPIC_AUTH_TOKEN", "TOKEN"),
    "base_url": GlobalSpec(("--base-url",), "API base URL (http or https). [default: https://api.anthropic.com]",
                           "ANTHROPIC_BASE_URL", "URL"),
    "output_format": GlobalSpec(("--format",), "Output format; auto is pretty on a terminal, json in a pipe.",
                                type=FORMAT_CHOICE),
    "error_format": GlobalSpec(("--format-error",), "How API errors are shown on stderr; auto is one line.",
                               type=FORMAT_CHOICE),
    "transform": GlobalSpec(("--transform",), "Print only this GJSON path of the response, e.g. completion, "
                            "stop_reason, {completion,stop_reason}.", metavar="PATH"),
    "error_transform": GlobalSpec(("--transform-error",), "Like --transform, for API error bodies.", metavar="PATH"),
    "raw_output": GlobalSpec(("-r", "--raw-output"), "Print a selected string without JSON quotes (like jq -r)."),
    "max_retries": GlobalSpec(("--max-retries",), "Retries for 408/409/429/5xx and network failures; 0 disables.",
                              metavar="N", type=int),
    "timeout": GlobalSpec(("--timeout",), "How long to wait for the response (per read for streams).",
                          metavar="SECONDS", type=float),
    "connect_timeout": GlobalSpec(("--connect-timeout",), "How long to wait for the connection.",
                                  metavar="SECONDS", type=float),
    "quiet": GlobalSpec(("-q", "--quiet"), "No retry notices, warnings, progress or summary on stderr; "
                        "errors are still shown."),
    "debug": GlobalSpec(("--debug",), "Log each HTTP attempt on stderr (credentials redacted)."),
    "via": GlobalSpec(("--via",), "The API that serves the request: complete (POST /v1/complete), messages "
                      "(POST /v1/messages, today's models; the answer is printed in the completion shape), or, "
                      "for batch only, message-batches (the Message Batches API: half the price, not immediate).",
                      "ANT_VIA", "API", click.Choice(API_NAMES, case_sensitive=False)),
}


def global_option(name: str, with_env: bool, hidden: bool = False):
    """The click decorator for one Settings field; only the group's copy reads the environment. A hidden one
    is still parsed (so that a command can refuse it with a message) but neither listed nor completed."""
    spec, default = GLOBAL_OPTIONS[name], Settings._field_defaults[name]
    kwargs: dict = dict(help=spec.help, cls=GlobalOption, hidden=hidden)
    if isinstance(default, bool):
        kwargs.update(is_flag=True, default=default)
    elif default is not None:
        shown = default.value if isinstance(default, Enum) else default
        kwargs.update(default=shown, show_default=True)
    if spec.type is not None:
        kwargs["type"] = spec.type
    if spec.metavar:
        kwargs["metavar"] = spec.metavar
    if with_env and spec.envvar:
        kwargs.update(envvar=spec.envvar, show_envvar=True)
    return click.option(*spec.flags, name, **kwargs)


def global_options(with_env: bool, hidden: tuple[str, ...] = ()):
    """Decorator adding every global option, in Settings' order; those named in `hidden` are not listed."""
    def decorate(func):
        for name in reversed(Settings._fields):
            func = global_option(name, with_env, name in hidden)(func)
        return func
    return decorate


def merged_settings(ctx: click.Context) -> Settings:
    """Global option values: those given after the subcommand win over those before it or from the env."""
    root = ctx.find_root()
    values: dict[str, Any] = {}
    for name in Settings._fields:
        given_here = ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE
        value = ctx.params[name] if given_here else root.params[name]
        default = Settings._field_defaults[name]
        values[name] = type(default)(value.lower()) if isinstance(default, Enum) else value
    return Settings(**values)


def complete_at_file(ctx, param, incomplete):
    """After `@`, file names (kept behind the `@`), as the value is a file reference."""
    if not incomplete.startswith("@") or incomplete.startswith("@-"):
        return []
    import glob  # only while completing a shell word, never on a run

    prefix = ""
    path = incomplete[1:]
    for scheme in ("file://", "data://"):
        if path.startswith(scheme):
            prefix, path = scheme, path[len(scheme):]
    matches = sorted(glob.glob(glob.escape(path) + "*"))
    return ["@" + prefix + match + ("/" if os.path.isdir(match) else "") for match in matches]


def complete_models(ctx, param, incomplete):
    return complete_at_file(ctx, param, incomplete) or [name for name in KNOWN_MODELS if name.startswith(incomplete)]


def complete_betas(ctx, param, incomplete):
    return complete_at_file(ctx, param, incomplete) or [name for name in KNOWN_BETAS if name.startswith(incomplete)]


class OfficialInt(click.ParamType):
    """An integer in the official CLI's syntax: 16, 0x10, 0o20, 0b10000, 1_000 (and 020, octal)."""

    name = "integer"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            return parse_int(value)
        except ValueError:
            self.fail(f"{value!r} is not a valid integer.", param, ctx)


INTEGER = OfficialInt()

REQUIRED = " Required."

BODY_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (  # (flags and name, click's keywords)
    (("--max-tokens-to-sample",), dict(type=INTEGER, metavar="INT",
                                       help="Maximum number of tokens to generate (>= 1)." + REQUIRED)),
    (("--model",), dict(metavar="MODEL", shell_complete=complete_models,
                        help="Model id, free text (e.g. claude-2.1; known ids below)." + REQUIRED)),
    (("--prompt",), dict(metavar="TEXT", shell_complete=complete_at_file,
                         help='Prompt with "\\n\\nHuman:" and "\\n\\nAssistant:" turns.' + REQUIRED)),
    (("--metadata",), dict(metavar="OBJECT", shell_complete=complete_at_file,
                           help="Metadata object, JSON or relaxed YAML: '{user_id: abc}'; null sends JSON null.")),
    (("--metadata.user-id", "metadata_user_id"), dict(
        metavar="TEXT", shell_complete=complete_at_file,
        help="metadata.user_id: an opaque id of the end user (<= 256 characters); null sends JSON null.")),
    (("--stop-sequence", "stop_sequences"), dict(multiple=True, metavar="TEXT", shell_complete=complete_at_file,
                                                 help="Extra stop sequence; repeat for several (order kept).")),
    (("--temperature",), dict(type=float, metavar="FLOAT", help="Randomness, 0 to 1.")),
    (("--top-k",), dict(type=INTEGER, metavar="INT", help="Sample from the top K options only (>= 0).")),
    (("--top-p",), dict(type=float, metavar="FLOAT", help="Nucleus sampling, 0 to 1.")),
    (("--beta", "betas"), dict(multiple=True, metavar="NAME", shell_complete=complete_betas,
                               help="Beta feature name for the anthropic-beta header; repeatable.")),
    (("--prompt-check/--no-prompt-check",), dict(default=True, show_default=True,
                                                 help="Check the Human/Assistant turns before sending.")),
)


def body_options(func):
    """The body options of `create`, in help order."""
    for flags, keywords in reversed(BODY_OPTIONS):
        func = click.option(*flags, **keywords)(func)
    return func


def line_default_options(func):
    """The same options as `batch` has them: every line's defaults, listed in their own help section. None is
    required there (a line may give the value), and an option is listed as such, not as "Required."."""
    for flags, keywords in reversed(BODY_OPTIONS):
        func = click.option(*flags, **dict(keywords, cls=LineDefault,
                                           help=keywords["help"].removesuffix(REQUIRED)))(func)
    return func


def completion_args(params: dict) -> CompletionArgs:
    """The CompletionArgs among a command's parsed parameters."""
    return CompletionArgs(**{name: value for name, value in params.items() if name in CompletionArgs._fields})
