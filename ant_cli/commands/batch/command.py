"""One run of `ant completions batch`: check everything once, then send, write, report.

Before anything is sent: the settings, where results go (an existing FILE is never replaced
silently, nor resumed over when it holds results the input does not have), the option defaults, and
the whole input, read once for its ids (a custom_id used twice, or a value every line lacks, is a
usage error).
"""

from __future__ import annotations

import os
import threading
from typing import BinaryIO, Iterator

from ant_cli.client.apis import adapter_for
from ant_cli.client.ca_bundle import check_ca_bundle
from ant_cli.client.debuglog import DebugLog
from ant_cli.client.pacer import Pacer, Ticket
from ant_cli.client.transport import Budget, Transport
from ant_cli.commands.batch import results
from ant_cli.commands.batch.journal import DROP_OPTION, Journal, check_target
from ant_cli.commands.batch.message_batches import check_batches_options, run_message_batches
from ant_cli.commands.batch.results import Outcome
from ant_cli.commands.batch.runner import Job, Runner
from ant_cli.core.environment import Environment
from ant_cli.core.errors import AntError, Cancelled, UsageError
from ant_cli.core.exit_codes import ExitCode
from ant_cli.core.plan import Format
from ant_cli.core.types import Api, BatchInvocation, BatchOptions, Settings
from ant_cli.output import request_view
from ant_cli.output.encoding import compact_json, utf8_json
from ant_cli.output.formats import FORMATS
from ant_cli.output.progress import Tally, progress_for
from ant_cli.request.batch_input import Line, LineReader, index_input, open_input, option_defaults
from ant_cli.request.prepare import check_settings


class BatchStopped(AntError):
    """An error that would fail every line stopped the batch; the exit status is that error's."""

    def __init__(self, message: str, exit_code: int, hint: str | None = None):
        super().__init__(message)
        self.exit_code = ExitCode(exit_code)
        self.hint = hint


def check_options(settings: Settings, options: BatchOptions) -> None:
    """Batch writes JSONL results; options that make no sense for it are usage errors, not silently ignored."""
    if not FORMATS[settings.output_format].batch:
        raise UsageError(f"--format {settings.output_format.value}: a batch writes one JSON result per line "
                         "(jsonl); pipe it to jq for another view")
    unused = [flag for flag, given in (("--transform", settings.transform), ("--raw-output", settings.raw_output),
                                       ("--transform-error", settings.error_transform),
                                       ("--format-error", settings.error_format is not Format.AUTO)) if given]
    if unused:
        raise UsageError(f"{', '.join(unused)} does not apply to a batch: each result line keeps its custom_id "
                         "and its error body; use jq, e.g. jq -r .result.completion.completion")
    if (options.resume or options.overwrite) and not options.output:
        raise UsageError("--resume and --overwrite need --output FILE")
    if options.drop_foreign and not options.resume:
        raise UsageError(f"{DROP_OPTION} goes with --resume: it drops the results in FILE that the input does not have")
    if options.output and options.dry_run:
        raise UsageError("--dry-run prints the requests on stdout; it writes no --output FILE")
    check_batches_options(options, settings.via is Api.MESSAGE_BATCHES)
    if options.output:
        check_distinct(options.path, options.output)  # first: the advice of check_target would not help here
        check_target(options.output, options.resume, options.overwrite)


def check_distinct(path: str, output: str) -> None:
    """Results written over the input would empty it (--overwrite) or feed it back to itself (--resume)."""
    try:
        same = path != "-" and os.path.exists(output) and os.path.samefile(path, output)
    except OSError:
        same = False
    if same:
        raise UsageError(f"--output '{output}' is the batch input; write the results to another file")


def run_batch(invocation: BatchInvocation, env: Environment) -> int:
    """Check the input once, then print the requests (--dry-run) or send them all."""
    args, settings, options = invocation
    check_options(settings, options)
    check_settings(settings, need_credentials=not options.dry_run)
    if not options.dry_run:
        check_ca_bundle(env.variables)
    defaults, betas = option_defaults(args, stdin_is_input=options.path == "-")
    reader = LineReader(defaults, betas, settings, options.input_format, args.prompt_check)
    with open_input(options.path, env.stdin, env.stdin_isatty) as handle:
        ids = index_input(reader, handle)
        if settings.via is Api.MESSAGE_BATCHES:
            return run_message_batches(reader, handle, ids, invocation, env)
        if options.dry_run:
            return print_requests(reader, handle, env)
        return BatchCommand(reader, handle, ids, invocation, env).run()


def print_requests(reader: LineReader, handle: BinaryIO, env: Environment) -> int:
    """--dry-run: each line's request (credentials redacted) or its errored result, as JSONL."""
    bad = 0
    for position, line in enumerate(reader.lines(handle)):
        if line.request is None:
            bad += 1
            env.write_out(results.invalid(position, line.custom_id, str(line.problem)).line)
        else:
            document = {"custom_id": line.custom_id, "request": request_view.request_document(line.request)}
            env.write_out(utf8_json(compact_json(document) + "\n"))
    return ExitCode.SOME_FAILED if bad else ExitCode.SUCCESS


class BatchCommand:
    """Sending every line: where results go, the shared transport, the runner, the summary."""

    def __init__(self, reader: LineReader, handle: BinaryIO, ids: list[str], invocation: BatchInvocation,
                 env: Environment):
        self.reader, self.handle, self.ids, self.env = reader, handle, ids, env
        self.settings, self.options = invocation.settings, invocation.batch
        self.journal = Journal(self.options.output, env.redactor) if self.options.output else None
        self.done: set[str] = set()
        self.stop = threading.Event()
        self.api = adapter_for(self.settings.via)
        pacer = Pacer(self.options.max_rpm, self.options.max_input_tpm, self.options.max_output_tpm,
                      report=(lambda text: env.say(f"ant: debug: {text}")) if self.settings.debug else None,
                      announce=None if self.settings.quiet else lambda text: self.progress.say(f"ant: {text}"))
        self.pacer = pacer
        self.transport = Transport(self.settings, env.variables, env.say,
                                   DebugLog(env.say) if self.settings.debug else None,
                                   pool_size=self.options.parallel, pacer=pacer, lean=True)
        self.tally = Tally(len(ids))
        self.progress = progress_for(self.tally, env.say, env.stderr, env.stderr_isatty, self.settings.quiet,
                                     self.settings.debug, results_on_terminal=env.stdout_isatty and not self.journal,
                                     holdup=pacer.holdup, pace=pacer.pace, redact=env.redactor.text)

    def run(self) -> int:
        self.open_output()
        self.transport.open()
        try:
            with self.progress:
                fatal = self.run_lines(Runner(self.send, self.options.parallel, self.received, self.in_order,
                                              stop=self.stop, admit=self.pacer.try_turn))
            if fatal is None and self.journal:
                self.journal.finalize(self.ids)
        except KeyboardInterrupt:
            self.report()  # what was done; the boundary says "interrupted" and exits 130
            raise
        finally:
            if self.journal:
                self.journal.close()
        self.report()
        if fatal is not None:
            raise BatchStopped(f"the batch stopped: {fatal}{self.resume_hint()}", fatal.exit_code, fatal.hint)
        if self.tally.done != self.tally.total:  # never success with a line left without its result
            raise AntError(f"only {self.tally.done} of {self.tally.total} lines have a result{self.resume_hint()}")
        return ExitCode.SOME_FAILED if self.tally.errored else ExitCode.SUCCESS

    def open_output(self) -> None:
        """Before anything is sent: what FILE already holds (--resume; it may refuse), then FILE opened."""
        if self.journal is None:
            return
        if self.options.resume:
            self.done = self.journal.recover(set(self.ids), self.options.drop_foreign)
            self.tally.already_done = len(self.done)
        self.journal.open(keep=self.options.resume)

    def run_lines(self, runner: Runner) -> AntError | None:
        """The runner over every line; however it ends (done, a fatal error, Ctrl-C), every result received
        is written, those still waiting for an earlier line included."""
        try:
            return runner.run(self.jobs())
        finally:
            self.write_leftovers(runner.abandon())

    def jobs(self) -> Iterator[Job]:
        for position, line in enumerate(self.reader.lines(self.handle)):
            yield self.job(position, line)

    def job(self, position: int, line: Line) -> Job:
        if line.custom_id in self.done:
            return Job(position, line.custom_id, known=results.already_done(position, line.custom_id))
        if line.request is None:
            return Job(position, line.custom_id, known=results.invalid(position, line.custom_id, str(line.problem)))
        return Job(position, line.custom_id, line.request)

    def send(self, job: Job) -> Outcome | None:
        """One line, sent with its own retry budget; its outcome (in a worker thread). None when the run
        stopped before the line finished: it has no result, and --resume sends it. Anything but an AntError
        is left to the runner's one catch-all."""
        try:
            completion = self.completion(job.request, job.custom_id, job.ticket)
            return results.succeeded(job.position, job.custom_id, completion)
        except Cancelled:
            return None
        except AntError as error:
            return results.failed(job.position, job.custom_id, error, self.reader.defaults.get("model"))

    def completion(self, request, custom_id: str, ticket: Ticket | None) -> dict:
        """The API's completion for one request (its first attempt admitted as `ticket`); an error status
        or an unusable answer raises."""
        response = self.transport.send(request, Budget(self.progress.say, f"{custom_id}: ", self.stop, ticket=ticket))
        self.api.check(response, request.body)
        return self.api.whole_completion(response)

    def received(self, outcome: Outcome) -> None:
        if outcome.already_done:
            return
        self.tally.count(outcome.succeeded, outcome.error_type)
        if self.journal:
            self.journal.append(outcome.line)
        self.progress.update()

    def in_order(self, outcome: Outcome) -> None:
        if self.journal is None and not outcome.already_done:
            self.env.write_out(outcome.line)

    def write_leftovers(self, outcomes: list[Outcome]) -> None:
        """Results that arrived before an earlier line finished: written anyway, each with its custom_id."""
        for outcome in outcomes:
            self.in_order(outcome)

    def resume_hint(self) -> str:
        if self.journal:
            return f"; --resume with -o {self.options.output} sends the rest"
        return ""

    def report(self) -> None:
        self.tally.requests, self.tally.retries = self.transport.sent, self.transport.retried
        if not self.settings.quiet:
            self.env.say(self.tally.summary())
