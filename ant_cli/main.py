"""The entry point and the one error boundary: every failure becomes `ant: error: ...` and an exit status.

The top of the import graph: it parses with `ant_cli.cli`, decides the output plan once, runs the
command from `ant_cli.commands`, and maps whatever escapes to a documented exit status.
"""

from __future__ import annotations

import os
import sys

import click

from ant_cli.cli.boolflags import TRUE_WORDS
from ant_cli.cli.errors import click_error_status, one_line
from ant_cli.cli.root import cli
from ant_cli.core.environment import Environment
from ant_cli.core.errors import AntError, ServerError
from ant_cli.core.exit_codes import ExitCode
from ant_cli.core.plan import OutputPlan
from ant_cli.core.redact import Redactor
from ant_cli.core.types import BatchInvocation, Invocation, ManpagesInvocation


class Run:
    """One run of `ant`: the plan is kept here once decided, so the boundary can show errors by it."""

    def __init__(self, env: Environment):
        self.env = env
        self.plan: OutputPlan | None = None

    def execute(self, argv: list[str]) -> int:
        try:
            outcome = cli.main(args=argv, prog_name="ant", standalone_mode=False)
        except click.exceptions.Abort:
            raise KeyboardInterrupt from None
        if isinstance(outcome, ManpagesInvocation):
            return write_manpages(outcome, self.env)
        if not isinstance(outcome, (Invocation, BatchInvocation)):
            return int(outcome or 0)  # --help, --version, a completion script
        settings = outcome.settings
        self.env = self.env._replace(redactor=Redactor.for_settings(settings))
        return self.dispatch(outcome)

    def dispatch(self, invocation: Invocation | BatchInvocation) -> int:
        # Imported per command: a usage error or --help never pays for the HTTP stack. A create request is
        # prepared (read, merged, validated) first, so that a usage error loads neither the command nor the
        # output layer.
        if isinstance(invocation, BatchInvocation):
            from ant_cli.commands.batch import run_batch

            self.decide_plan(invocation.settings)
            return run_batch(invocation, self.env)
        from ant_cli.request.prepare import prepare_request

        request = prepare_request(invocation.args, invocation.settings, self.env,
                                  need_credentials=invocation.action == "send")
        from ant_cli.commands.create import run_create

        return run_create(invocation, request, self.decide_plan(invocation.settings), self.env)

    def decide_plan(self, settings) -> OutputPlan:
        """Decided once per run, and kept, so that the boundary shows an error body by it too."""
        from ant_cli.output.formats import decide

        self.plan = decide(settings, self.env.stdout_isatty, self.env.color_allowed)
        return self.plan


def write_manpages(request: ManpagesInvocation, env: Environment) -> int:
    """`ant @manpages`: write the pages, then say where, as the official CLI does."""
    from ant_cli.cli.manpage import install_pages  # builds every command's help: only for this

    try:
        install_pages(request.directory, request.gzip, request.text)
    except OSError as exc:
        raise AntError(f"cannot write the man pages to {request.directory}: {exc.strerror or exc}") from None
    env.write_out(f"Wrote manpages to {request.directory}\n".encode())
    return ExitCode.SUCCESS


def main(argv: list[str] | None = None) -> int:
    """Parse, run, and map whatever goes wrong to a documented exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    run = Run(Environment.from_process())
    try:
        return run.execute(argv)
    except BrokenPipeError:
        return reader_gone()
    except KeyboardInterrupt:
        run.env.say("ant: interrupted")
        return ExitCode.INTERRUPTED
    except Exception as exc:  # the catch-all, after pipe and Ctrl-C
        return report(exc, run.env, run.plan, debug=debug_requested(argv))


def debug_requested(argv: list[str]) -> bool:
    """--debug, or --debug=true in any spelling the boolean flags take, anywhere before a `--`."""
    options = argv[: argv.index("--")] if "--" in argv else argv
    return any(arg == "--debug" or (arg.startswith("--debug=") and arg[8:] in TRUE_WORDS) for arg in options)


def reader_gone() -> int:
    """The reader of stdout went away (`ant ... | head`): stop quietly, and keep Python from complaining at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return ExitCode.SUCCESS


def report(exc: Exception, env: Environment, plan: OutputPlan | None, debug: bool) -> int:
    """One line on stderr (or the error body in the planned view), then its hint if it has one, and the
    exit status for `exc`."""
    status = click_error_status(exc, env)
    if status is not None:
        return status
    if isinstance(exc, AntError):
        if isinstance(exc, ServerError) and plan is not None and plan.error is not None:
            show_error_body(exc, plan, env)
        else:
            env.say(f"ant: error: {one_line(str(exc))}")
        if exc.hint:
            env.say(f"ant: hint: {exc.hint}")
        return exc.exit_code
    if debug:
        import traceback

        env.say("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip())
    env.say(f"ant: error: internal error: {type(exc).__name__}: {one_line(str(exc))} (rerun with --debug for details)")
    return ExitCode.FAILURE


def show_error_body(exc: ServerError, plan: OutputPlan, env: Environment) -> None:
    """--format-error/--transform-error: the error body rendered on stderr (never stdout)."""
    from ant_cli.output import Item, render

    assert plan.error is not None
    if exc.document is None:
        env.say(f"ant: error: {one_line(str(exc))}")
        return
    try:
        data = render(Item(exc.document, exc.body, exc.request_id), plan.error)
    except AntError as problem:
        env.say(f"ant: error: {one_line(str(exc))}; {problem}")
        return
    env.stderr.write(env.redactor.data(data))
    env.stderr.flush()

