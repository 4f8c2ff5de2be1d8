"""click's own errors (unknown option, bad value, missing argument) in the tool's one error style."""

from __future__ import annotations

import re

import click

from ant_cli.core.environment import Environment
from ant_cli.core.exit_codes import ExitCode


class NoSubcommand(click.ClickException):
    """`ant` or `ant completions` alone: the help goes to stderr, as a usage error (exit 2)."""

    exit_code = 2


def click_error_status(exc: BaseException, env: Environment) -> int | None:
    """Report a click exception as `ant: error: ...` and return its status; None for any other exception."""
    if isinstance(exc, NoSubcommand):  # the help, as written, not folded into one line
        env.stderr.write(exc.format_message().encode("utf-8") + b"\n")
        return ExitCode.USAGE
    if isinstance(exc, click.UsageError):
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        env.say(f"ant: error: {our_style(exc.format_message())}{hint}")
        return ExitCode.USAGE
    if isinstance(exc, click.ClickException):
        env.say(f"ant: error: {one_line(exc.format_message())}")
        return ExitCode.USAGE
    return None


def our_style(text: str) -> str:
    """click's sentences read like our messages: one line, lower-case, clauses joined by `;`, no full stop.

    "Missing argument 'SHELL'. Choose from: bash" becomes "missing argument 'SHELL'; choose from: bash".
    """
    text = re.sub(r"\.\s+([A-Z])(?=[a-z ])", lambda match: "; " + match.group(1).lower(), one_line(text))
    text = re.sub(r"^([A-Z])(?=[a-z ])", lambda match: match.group(1).lower(), text)
    return text[:-1] if text.endswith(".") else text


def one_line(text: str) -> str:
    return " ".join(text.split())
