"""The entry point and the one error boundary: every failure becomes `ant: error: ...` and an exit status."""

from __future__ import annotations

import os
import sys

from ant_cli.exit_codes import ExitCode


def main(argv: list[str] | None = None) -> int:
    """Parse, run, and map whatever goes wrong to a documented exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    from ant_cli.environment import Environment

    env = Environment.from_process()
    try:
        return run(argv, env)
    except BrokenPipeError:
        return reader_gone()
    except KeyboardInterrupt:
        env.say("ant: interrupted")
        return ExitCode.INTERRUPTED
    except Exception as exc:  # the catch-all, after pipe and Ctrl-C
        return report(exc, env, debug="--debug" in argv)


def run(argv: list[str], env) -> int:
    import click

    from ant_cli.cli import cli

    try:
        outcome = cli.main(args=argv, prog_name="ant", standalone_mode=False)
    except click.exceptions.Abort:
        raise KeyboardInterrupt from None
    if isinstance(outcome, int) or outcome is None:
        return int(outcome or 0)  # --help, --version, or a bare group
    from ant_cli.app import run_create

    return run_create(outcome, env)


def reader_gone() -> int:
    """The reader of stdout went away (`ant ... | head`): stop quietly, and keep Python from complaining at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return ExitCode.SUCCESS


def report(exc: Exception, env, debug: bool) -> int:
    """One line on stderr (or the error body in the requested view) and the exit status for `exc`."""
    import click

    from ant_cli.cli import NoSubcommand
    from ant_cli.errors import AntError, ApiError

    if isinstance(exc, NoSubcommand):  # the help, as written, not folded into one line
        env.stderr.write(exc.format_message().encode("utf-8") + b"\n")
        return ExitCode.USAGE
    if isinstance(exc, click.UsageError):
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        env.say(f"ant: error: {one_line(exc.format_message())}{hint}")
        return ExitCode.USAGE
    if isinstance(exc, click.ClickException):
        env.say(f"ant: error: {one_line(exc.format_message())}")
        return ExitCode.USAGE
    if isinstance(exc, ApiError) and exc.error_view is not None:
        return show_error_body(exc, env)
    if isinstance(exc, AntError):
        env.say(f"ant: error: {one_line(str(exc))}")
        return exc.exit_code
    if debug:
        import traceback

        env.say("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip())
    env.say(f"ant: error: internal error: {type(exc).__name__}: {one_line(str(exc))} (rerun with --debug for details)")
    return ExitCode.FAILURE


def show_error_body(exc, env) -> int:
    """--format-error/--transform-error: the error body rendered on stderr (never stdout)."""
    from ant_cli.errors import OutputError
    from ant_cli.output import Item, render
    from ant_cli.redact import redact_text

    if exc.document is None:
        env.say(f"ant: error: {one_line(str(exc))}")
        return exc.exit_code
    try:
        data = render(Item(exc.document, exc.body, exc.request_id), exc.error_view)
    except OutputError as problem:
        env.say(f"ant: error: {one_line(str(exc))}; {problem}")
        return exc.exit_code
    env.stderr.write(redact_text(data.decode("utf-8")).encode("utf-8"))
    env.stderr.flush()
    return exc.exit_code


def one_line(text: str) -> str:
    return " ".join(text.split())
