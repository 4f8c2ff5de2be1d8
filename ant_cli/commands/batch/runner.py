"""Keeping as many requests in flight as the rate limits allow; results in input order, in bounded memory.

The main thread reads the lines, admits each send (the pacer's `try_turn`: it waits for room by
collecting results meanwhile, so a wait costs no thread a wake-up of its own), hands it to an idle sender
and is the only writer of results, so lines never interleave. The pool grows by one sender whenever an
admitted line finds none idle, up to `parallel`: so the threads follow the number in flight, which is what
the limit allows times how long an answer takes, and a sender does nothing but send.
A result waits in a reorder window until every earlier line is done; no line more than `window` positions
ahead of the oldest unfinished one is sent, so memory stays bounded however long the input and however
slow one line. A fatal outcome stops new sends at once: the worker that receives it raises the stop before
it takes another line, so no request starts after it.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable, Iterable, Mapping, NamedTuple

from ant_cli.client.pacer import Ticket
from ant_cli.commands.batch.results import Outcome, failed
from ant_cli.core.errors import AntError
from ant_cli.core.types import HttpRequest


class Job(NamedTuple):
    """One input line for the runner: a request to send, or an outcome known without sending (a line
    that cannot be sent, or one the output file already holds)."""

    position: int
    custom_id: str
    request: HttpRequest | None = None
    known: Outcome | None = None
    ticket: Ticket | None = None  # the pacer's admission of its first attempt


POLL = 0.1  # how often a waiting main thread looks up (Ctrl-C is handled between waits)


class Runner:
    """Runs jobs on up to `parallel` threads; `received` sees each outcome as it arrives, `in_order` in input order.
    `admit` (the pacer's `try_turn`) gives a request body's ticket, or the seconds until one may be sent."""

    def __init__(self, send: Callable[[Job], Outcome | None], parallel: int, received: Callable[[Outcome], None],
                 in_order: Callable[[Outcome], None], window: int | None = None,
                 stop: threading.Event | None = None, admit: Callable[[Mapping], Ticket | float] | None = None):
        self.send, self.parallel = send, parallel
        self.received, self.in_order = received, in_order
        self.window = window or 16 * parallel
        self.admit = admit
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.results: queue.SimpleQueue = queue.SimpleQueue()
        self.stop = stop or threading.Event()  # set on a fatal outcome or Ctrl-C; senders give up when it is
        self.waiting: dict[int, Outcome] = {}
        self.next_position = 0
        self.in_flight = 0  # handed to a sender and not collected yet (only the main thread counts)
        self.fatal: AntError | None = None
        self.senders = 0

    def run(self, jobs: Iterable[Job]) -> AntError | None:
        """Send every job (outcomes known in advance are just placed); the fatal error, if one stopped it."""
        for job in jobs:
            if self.stopping():
                break
            self.wait_for_room(job.position)
            if job.known is not None:
                self.receive(job.known)
            else:
                self.dispatch(job)
            self.collect(block=False)
        self.finish()
        return self.fatal

    def dispatch(self, job: Job) -> None:
        """To an idle sender, once the pacer admits it (not at all if the run stops meanwhile)."""
        self.wait_for_sender()
        admitted = self.admitted(job)
        if admitted is not None:
            self.submit(admitted)

    def stopping(self) -> bool:
        return self.fatal is not None or self.stop.is_set()

    def wait_for_sender(self) -> None:
        """Until a sender is idle (every one busy: one more, up to `parallel`; at `parallel`, the next answer)."""
        while self.in_flight >= self.senders and not self.stopping():
            if self.senders < self.parallel:
                self.add_sender()
                return
            self.collect(block=True)

    def admitted(self, job: Job) -> Job | None:
        """The job with its ticket once the pacer admits it; results are collected while it waits. None when
        the run stops meanwhile."""
        if self.admit is None or job.request is None:
            return job
        while not self.stopping():
            turn = self.admit(job.request.body)
            if isinstance(turn, Ticket):
                return job._replace(ticket=turn)
            self.collect(block=True, timeout=min(turn, POLL))
        return None

    def add_sender(self) -> None:
        threading.Thread(target=self.work, daemon=True).start()
        self.senders += 1

    def work(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            outcome = None if self.stop.is_set() else self.outcome(job)
            if outcome is not None and outcome.fatal is not None:
                self.stop.set()  # before this worker takes another line: nothing starts after a fatal answer
            self.results.put(outcome)

    def outcome(self, job: Job) -> Outcome | None:
        """`send`'s outcome (None: given up as the run stops). The one catch-all for a line: an unforeseen
        exception is this line's errored result, and a worker never dies, whatever `send` raises."""
        try:
            return self.send(job)
        except Exception as error:  # noqa: BLE001 - a dead worker would leave its line in flight forever
            internal = AntError(f"internal error: {type(error).__name__}: {error}")
            return failed(job.position, job.custom_id, internal)

    def wait_for_room(self, position: int) -> None:
        while position - self.next_position >= self.window and self.fatal is None:
            self.collect(block=True)

    def submit(self, job: Job) -> None:
        self.jobs.put(job)
        self.in_flight += 1

    def collect(self, block: bool, timeout: float = POLL) -> None:
        """Take the results that have arrived (waiting up to `timeout` for one when `block`)."""
        while True:
            try:
                outcome = self.results.get(timeout=timeout) if block else self.results.get_nowait()
            except queue.Empty:
                return
            self.in_flight -= 1
            if outcome is not None:
                self.receive(outcome)
            block = False

    def receive(self, outcome: Outcome) -> None:
        self.received(outcome)
        if outcome.fatal is not None and self.fatal is None:
            self.fatal = outcome.fatal
            self.stop.set()
        self.waiting[outcome.position] = outcome
        while self.next_position in self.waiting:
            self.in_order(self.waiting.pop(self.next_position))
            self.next_position += 1

    def finish(self) -> None:
        """Wait for what is in flight, then let the workers go."""
        while self.in_flight > 0:
            self.collect(block=True)
        for _ in range(self.senders):
            self.jobs.put(None)

    def abandon(self) -> list[Outcome]:
        """Stop starting requests (Ctrl-C, a fatal error); every result that has arrived, in input order,
        that was not written yet: those waiting for an earlier line, and those not yet collected."""
        self.stop.set()
        while True:
            try:
                outcome = self.results.get_nowait()
            except queue.Empty:
                break
            self.in_flight -= 1
            if outcome is not None:
                self.received(outcome)
                self.waiting[outcome.position] = outcome
        return [self.waiting.pop(position) for position in sorted(self.waiting)]
