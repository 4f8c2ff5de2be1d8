"""`ant completions batch --via message-batches`: the lines sent as Message Batches, at half the price.

Every line is read and checked as for any batch and translated as `--via messages` translates it; a line
that cannot be sent gets its errored result at once. The others go out in as few batches as the limits
allow (`batch_body`), each recorded beside -o FILE the moment the API has created it (`batch_state`), so a
killed run is resumed without sending a line twice. The batches are then polled, with a backoff from a few
seconds to a minute (a 404 just after a create is retried: the API may not see a new batch at once), and
each ended batch's results are streamed into the same journal as any batch's, translated into our result
lines: `succeeded` with the completion, `errored` with the API's error, `canceled`, `expired`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import tempfile
import time
from typing import BinaryIO, Callable, Iterable, Iterator, Mapping

from ant_cli.client.apis import completion_of_message
from ant_cli.client.batches import BatchesClient, batch_request, batches_url
from ant_cli.client.debuglog import DebugLog
from ant_cli.client.transport import Transport
from ant_cli.commands.batch import results
from ant_cli.commands.batch.batch_body import BatchBody, Limits, request_item
from ant_cli.commands.batch.batch_state import BatchState, Pending, wire_id, wire_ids
from ant_cli.commands.batch.journal import Journal
from ant_cli.core.environment import Environment
from ant_cli.core.errors import AntError, ApiError, NetworkError, UsageError
from ant_cli.core.exit_codes import ExitCode
from ant_cli.core.redact import redact_headers
from ant_cli.core.types import BatchInvocation, BatchOptions, Settings
from ant_cli.output.batches_progress import BatchesTally, batches_phrase, batches_progress
from ant_cli.output.encoding import compact_json, utf8_json
from ant_cli.request.batch_input import Line, LineReader
from ant_cli.request.build import build_headers

POLL_VARIABLE = "ANT_BATCH_POLL_SECONDS"  # for tests: the first wait between polls (the longest is 20 times it)
FIRST_POLL = 3.0
POLL_GROWTH = 1.5
LONGEST_POLL = 20  # times the first wait: 3 s grows to a minute
LOST_POLLS = 5  # 404s in a row on a batch before it counts as gone


def poll_waits(variables: Mapping[str, str]) -> tuple[float, float]:
    """(first wait, longest wait) between two polls of the batches."""
    try:
        first = float(variables.get(POLL_VARIABLE, FIRST_POLL))
    except ValueError:
        raise UsageError(f"{POLL_VARIABLE} must be a number of seconds") from None
    return first, first * LONGEST_POLL


def check_batches_options(options: BatchOptions, via_batches: bool) -> None:
    """The options that only mean something with Message Batches, and those that mean nothing with them."""
    if not via_batches and (options.cancel or options.attach):
        raise UsageError("--cancel and --attach go with --via message-batches")
    if not via_batches:
        return
    if options.max_rpm is not None:
        raise UsageError("--max-rpm paces lines sent one by one; with --via message-batches the server runs them")
    if options.cancel and not (options.resume or options.attach):
        raise UsageError("--cancel cancels the batches this run picks up: give --resume with -o FILE (the batches "
                         "recorded beside it), or --attach ID")
    if options.dry_run and (options.cancel or options.attach or options.resume):
        raise UsageError("--dry-run prints the batches that would be created; it takes no --cancel, --attach or "
                         "--resume")


def too_large(error: ApiError) -> bool:
    """A batch over the size limit (413), or over the request count the API takes (documented as 100,000, but
    10,000 in one snapshot of the API reference: a 400 saying so is split too)."""
    return error.status == 413 or (error.status == 400 and "requests: List should have at most" in str(error))


def line_betas(line: Line) -> list[str]:
    assert line.request is not None
    value = line.request.headers.get("anthropic-beta")
    return value.split(",") if value else []


def batch_bodies(lines: Iterable[Line], limits: Limits, skip: Callable[[str], bool],
                 invalid: Callable[[Line], None]) -> Iterable[BatchBody]:
    """The bodies of the creates for these lines, each handed over as soon as it is full (and the last one)."""
    body: BatchBody | None = None
    for line in lines:
        if skip(line.custom_id):
            continue
        if line.request is None:
            invalid(line)
            continue
        item, betas = request_item(wire_id(line.custom_id), line.request.body), line_betas(line)
        if body is not None and not body.takes(item, betas):
            yield body
            body = None
        body = body or BatchBody(betas, limits)
        body.add(item, wire_id(line.custom_id), line.custom_id)
    if body is not None:
        yield body


def print_batch_requests(reader: LineReader, handle: BinaryIO, ids: list[str], settings: Settings,
                         env: Environment) -> int:
    """--dry-run: each create request that would be sent (credentials redacted), one JSON line each, and the
    errored result of each line that cannot be sent."""
    wire_ids(ids)
    bad: list[str] = []

    def invalid(line: Line) -> None:
        bad.append(line.custom_id)
        env.write_out(results.invalid(0, line.custom_id, str(line.problem)).line)

    for body in batch_bodies(reader.lines(handle), Limits(), lambda custom_id: False, invalid):
        request = batch_request(build_headers(settings, body.betas, streaming=False), "POST",
                                batches_url(settings.base_url), body.finish())
        head = compact_json({"method": request.method, "url": request.url,
                             "headers": redact_headers(request.headers)})
        env.write_out(utf8_json(head[:-1] + ',"body":'))
        for chunk in iter(lambda: body.file.read(1 << 16), b""):  # noqa: B023 - read before the next body
            env.write_out(chunk)
        env.write_out(b"}\n")
        body.close()
    return ExitCode.SOME_FAILED if bad else ExitCode.SUCCESS


def run_message_batches(reader: LineReader, handle: BinaryIO, ids: list[str], invocation: BatchInvocation,
                        env: Environment) -> int:
    if invocation.batch.dry_run:
        return print_batch_requests(reader, handle, ids, invocation.settings, env)
    return MessageBatchesRun(reader, handle, ids, invocation, env).run()


class Output:
    """Where the results go: -o FILE's journal, or (stdout) a temporary journal printed in order at the end."""

    def __init__(self, path: str | None, env: Environment):
        self.path, self.env = path, env
        self.temporary: str | None = None
        if path is None:
            descriptor, self.temporary = tempfile.mkstemp(prefix="ant-batch-", suffix=".jsonl")
            os.close(descriptor)
        self.journal = Journal(path or str(self.temporary), env.redactor)

    def finish(self, ids: list[str]) -> None:
        if self.path:
            self.journal.finalize(ids)
            return
        self.journal.close()
        self.journal.write_in_order(ids, self)  # type: ignore[arg-type]  # only its write() is used

    def write(self, data: bytes) -> None:
        self.env.write_out(data)

    def close(self) -> None:
        self.journal.close()
        if self.temporary:
            os.unlink(self.temporary)


class MessageBatchesRun:
    """One run: the batches picked up (--resume, --attach), those created, polled until ended, collected."""

    def __init__(self, reader: LineReader, handle: BinaryIO, ids: list[str], invocation: BatchInvocation,
                 env: Environment):
        self.reader, self.handle, self.ids, self.env = reader, handle, ids, env
        self.settings, self.options = invocation.settings, invocation.batch
        self.input_ids = set(ids)
        self.mapped = wire_ids(ids)  # id sent -> the line's custom_id, for ids the API would refuse
        self.output = Output(self.options.output, env)
        self.state = BatchState(self.options.output)
        self.tally = BatchesTally(len(ids))
        self.progress = batches_progress(self.tally, env.say, env.stderr, env.stderr_isatty, self.settings.quiet,
                                         self.settings.debug, env.redactor.text)
        self.transport = Transport(self.settings, env.variables, self.progress.say,
                                   DebugLog(env.say) if self.settings.debug else None, pool_size=2)
        self.client = BatchesClient(self.transport, self.settings.base_url,
                                    lambda betas: build_headers(self.settings, betas, streaming=False),
                                    self.progress.say)
        self.first_wait, self.longest_wait = poll_waits(env.variables)
        self.pending: list[Pending] = []
        self.done: set[str] = set()  # succeeded results FILE already holds (--resume)
        self.written: set[str] = set()  # lines with a result written by this run
        self.limits = Limits()

    def notify(self, text: str) -> None:
        self.progress.say(f"ant: {text}")

    # ---- the run -------------------------------------------------------------------------------------------

    def run(self) -> int:
        self.open_files()
        self.transport.open()
        try:
            with self.progress:
                self.work()
            self.output.finish(self.ids)
        except BaseException:
            self.report()
            self.say_pending()
            raise
        finally:
            self.output.close()
            self.state.close(finished=not self.pending)
        self.report()
        return self.exit_status()

    def work(self) -> None:
        """Cancel (--cancel) or learn (--attach) what was picked up, send the rest, collect everything."""
        if self.options.cancel:
            self.cancel_all()
        self.collect([pending for pending in self.pending if pending.custom_ids is None])
        if not self.options.cancel:
            for body in batch_bodies(self.reader.lines(self.handle), self.limits, self.skip, self.invalid):
                self.create(body)
        self.collect(self.pending)

    def open_files(self) -> None:
        """Before anything is sent: what FILE and the batches beside it hold (--resume), both opened."""
        options = self.options
        if self.state.exists() and not (options.resume or options.overwrite):
            raise UsageError(f"'{self.state.path}' names Message Batches of an earlier run: add --resume to "
                             "collect them, or --overwrite to forget them")
        if options.resume:
            self.pending = self.state.pending()
            self.say_picked_up()
            self.done = self.output.journal.recover(self.input_ids, options.drop_foreign)
            self.tally.already_done = len(self.done)
        elif self.state.exists():
            self.warn_forgotten(self.state.pending())
        self.output.journal.open(keep=options.resume)
        self.state.open(keep=options.resume)
        for batch_id in options.attach:
            if batch_id not in {pending.id for pending in self.pending}:
                self.state.created(batch_id, None)
                self.pending.append(Pending(batch_id, None))
        self.tally.sent_lines = sum(len(pending.custom_ids or ()) for pending in self.pending)

    def say_picked_up(self) -> None:
        if self.pending and not self.settings.quiet:
            self.env.say(f"ant: picking up {batches_phrase(len(self.pending))} recorded in '{self.state.path}': "
                         f"{', '.join(pending.id for pending in self.pending)}")

    def warn_forgotten(self, forgotten: list[Pending]) -> None:
        if forgotten and not self.settings.quiet:
            self.env.say(f"ant: warning: --overwrite forgets {batches_phrase(len(forgotten))} still running: "
                         f"{', '.join(pending.id for pending in forgotten)} (--attach ID collects one)")

    def skip(self, custom_id: str) -> bool:
        """A line not to send: FILE holds its success, or a batch picked up or collected has it already."""
        return (custom_id in self.done or custom_id in self.written
                or any(custom_id in (pending.custom_ids or ()) for pending in self.pending))

    def invalid(self, line: Line) -> None:
        self.write(line.custom_id, results.invalid(0, line.custom_id, str(line.problem)).line, "errored",
                   "invalid_request_error")

    # ---- creating ------------------------------------------------------------------------------------------

    def create(self, body: BatchBody) -> None:
        """Create one batch and record it at once; a body the API finds too large is sent as two halves.
        A first Ctrl-C meanwhile is held until the batch is recorded: a create interrupted before its answer
        could leave a batch that no record names (paid, never collected)."""
        with deferred_interrupt(lambda: self.notify("a batch is being created: waiting for its id, so that it "
                                                    "is recorded (Ctrl-C again to stop now)")):
            self.create_and_record(body)

    def create_and_record(self, body: BatchBody) -> None:
        try:
            batch = self.client.create(body.finish(), body.betas)
        except NetworkError as error:  # the API may have created it and its answer been lost
            body.close()
            error.hint = ("a batch create got no answer: it may exist on the server without a record here; "
                          "look for it in the Console (or GET /v1/messages/batches) and give it to --attach "
                          "before running again")
            raise
        except ApiError as error:
            if not too_large(error) or len(body) < 2:
                body.close()
                raise
            self.notify(f"the API refused a batch of {len(body)} requests as too large ({error.status}); "
                        "sending it as two")
            for half in body.halves():
                self.create_and_record(half)
            return
        body.close()
        self.state.created(batch["id"], body.custom_ids)
        self.pending.append(Pending(batch["id"], set(body.custom_ids.values())))
        self.tally.batches[batch["id"]] = batch
        self.tally.sent_lines += len(body)
        self.progress.update()

    # ---- waiting and collecting ----------------------------------------------------------------------------

    def cancel_all(self) -> None:
        if not self.pending:
            self.notify("--cancel: no Message Batch of this input is running; nothing to cancel")
        for pending in self.pending:
            batch = self.client.cancel(pending.id)
            self.tally.batches[pending.id] = batch
            self.notify(f"{pending.id}: {batch.get('processing_status')}")

    def collect(self, batches: list[Pending]) -> None:
        """Poll these batches until each has ended, collecting each one's results as soon as it has."""
        waiting, wait, lost = list(batches), self.first_wait, dict[str, int]()
        while waiting:
            for pending in list(waiting):
                batch = self.poll(pending, lost)
                if batch is not None and batch.get("processing_status") == "ended":
                    self.collect_results(pending, batch)
                    waiting.remove(pending)
            self.progress.update()
            if waiting:
                self.tally.next_look = time.monotonic() + wait  # the bar counts down to it
                time.sleep(wait)
                self.tally.next_look = None
                wait = min(wait * POLL_GROWTH, self.longest_wait)

    def poll(self, pending: Pending, lost: dict[str, int]) -> dict | None:
        """The batch as the API sees it now; None after a 404 that may just mean "created a moment ago"."""
        try:
            batch = self.client.retrieve(pending.id)
        except ApiError as error:
            self.lost(pending.id, error, lost)
            return None
        lost[pending.id] = 0
        self.tally.batches[pending.id] = batch
        return batch

    def lost(self, batch_id: str, error: ApiError, lost: dict[str, int]) -> None:
        """A 404 is tried again a few times in a row (the API may not see a fresh batch yet); then it stops."""
        lost[batch_id] = lost.get(batch_id, 0) + 1
        if error.status != 404 or lost[batch_id] > LOST_POLLS:
            raise error
        self.notify(f"{batch_id}: not found (404), as can happen just after a create; trying again")

    def collect_results(self, pending: Pending, batch: dict) -> None:
        url = batch.get("results_url")
        if not isinstance(url, str):
            raise AntError(f"Message Batch {pending.id} has ended but has no results_url (results are kept for "
                           "29 days after creation)")
        attempts, lost = 0, dict[str, int]()
        while True:
            try:
                for line in self.client.results(url, f"{pending.id}: "):
                    self.receive(line)
                break
            except ApiError as error:
                self.lost(pending.id, error, lost)
            except NetworkError as error:  # a cut stream: fetched again, the lines already written are skipped
                attempts += 1
                if attempts > self.settings.max_retries:
                    raise
                self.notify(f"{pending.id}: results cut short ({error}); fetching them again")
            time.sleep(self.first_wait)
        self.pending.remove(pending)
        self.state.collected(pending.id)

    def receive(self, raw: bytes) -> None:
        """One result line of the API: written as our result line under the line's own custom_id."""
        try:
            document = json.loads(raw)
            sent_id, result, kind = document["custom_id"], document["result"], document["result"]["type"]
        except (ValueError, KeyError, TypeError):
            self.notify("warning: the results held a line that is not a batch result; skipped")
            return
        custom_id = self.mapped.get(sent_id, sent_id)
        if custom_id not in self.input_ids:
            self.notify(f"warning: a result for custom_id {custom_id!r}, which the input does not have; skipped")
            return
        if custom_id in self.written or custom_id in self.done:
            return
        line, kind, error_type, usage = translated(custom_id, kind, result)
        self.write(custom_id, line, kind, error_type, usage)

    def write(self, custom_id: str, line: bytes, kind: str, error_type: str | None = None,
              usage: dict | None = None) -> None:
        self.output.journal.append(line)
        self.written.add(custom_id)
        self.tally.count_type(kind, error_type, usage)
        self.progress.update()

    # ---- the end -------------------------------------------------------------------------------------------

    def exit_status(self) -> int:
        missing = self.tally.total - self.tally.done
        if missing and not self.options.cancel:
            raise AntError(f"only {self.tally.done} of {self.tally.total} lines have a result")
        if missing and not self.settings.quiet:
            self.env.say(f"ant: --cancel: {missing} line{'' if missing == 1 else 's'} not sent and without a result")
        return ExitCode.SOME_FAILED if self.tally.failed or missing else ExitCode.SUCCESS

    def report(self) -> None:
        self.tally.requests, self.tally.retries = self.transport.sent, self.transport.retried
        if not self.settings.quiet:
            self.env.say(self.tally.summary())

    def say_pending(self) -> None:
        """When a run stops early: the batches left running on the server, and how to collect or cancel them."""
        if not self.pending:
            return
        names = ", ".join(pending.id for pending in self.pending)
        count = batches_phrase(len(self.pending))
        if self.options.output:
            self.env.say(f"ant: {count} keep running on the server ({names}); the same command with --resume "
                         "collects their results, with --resume --cancel cancels them")
        else:
            attach = " ".join(f"--attach {pending.id}" for pending in self.pending)
            self.env.say(f"ant: {count} keep running on the server ({names}); to collect their results, run the "
                         f"same command with -o FILE {attach} (add --cancel to cancel them)")


def translated(custom_id: str, kind: str, result: dict) -> tuple[bytes, str, str | None, dict | None]:
    """(our result line, its type, its error type, the API's usage) for one result of the API."""
    if kind == "succeeded":
        message = result.get("message")
        completion = completion_of_message(message) if isinstance(message, dict) else None
        if completion is not None:
            return results.succeeded(0, custom_id, completion).line, kind, None, completion.get("usage")
        problem = "the API's succeeded result holds no Message"
    elif kind == "errored" and isinstance(result.get("error"), dict):
        outcome = results.errored(0, custom_id, result["error"])
        return outcome.line, kind, outcome.error_type, None
    elif kind in ("canceled", "expired"):
        return results.result_line(custom_id, {"type": kind}), kind, None, None
    else:
        problem = f"the API's result has an unknown type {kind!r}"
    outcome = results.errored(0, custom_id, results.envelope("api_error", problem, None))
    return outcome.line, "errored", outcome.error_type, None


@contextlib.contextmanager
def deferred_interrupt(on_first: Callable[[], None]) -> Iterator[None]:
    """A first Ctrl-C inside the block is said (`on_first`) and raised once the block is done; a second one
    stops at once. A signal handler, not a try around a wait: a Ctrl-C can land on any line, even the one
    after the answer came and before the record is written."""
    pressed: list[bool] = []

    def held(signum, frame) -> None:
        if pressed:
            raise KeyboardInterrupt
        pressed.append(True)
        on_first()

    previous = signal.signal(signal.SIGINT, held)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt
