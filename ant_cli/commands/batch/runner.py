"""Keeping as many requests in flight as the rate limits allow; results in input order, in bounded memory.

The main thread feeds lines to a pool of worker threads and is the only writer of results, so lines never
interleave. With `more_wanted` (the pacer's say), the pool starts small and grows, up to `parallel`,
whenever every sender is busy, lines wait and a send could start now: so the number in flight follows
what the limit allows times how long an answer takes. Without it the pool is `parallel` senders.
A result waits in a reorder window until every earlier line is done; no line more than `window` positions
ahead of the oldest unfinished one is sent, so memory stays bounded however long the input and however
slow one line. A fatal outcome stops new sends at once: the worker that receives it raises the stop before
it takes another line, so no request starts after it.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable, Iterable, NamedTuple

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


POLL = 0.1  # how often a waiting main thread looks up (Ctrl-C is handled between waits)
FIRST_SENDERS = 2  # a growing pool's start


class Runner:
    """Runs jobs on up to `parallel` threads; `received` sees each outcome as it arrives, `in_order` in input order."""

    def __init__(self, send: Callable[[Job], Outcome | None], parallel: int, received: Callable[[Outcome], None],
                 in_order: Callable[[Outcome], None], window: int | None = None,
                 stop: threading.Event | None = None, more_wanted: Callable[[], bool] | None = None):
        self.send, self.parallel = send, parallel
        self.received, self.in_order = received, in_order
        self.window = window or 16 * parallel
        self.more_wanted = more_wanted
        self.jobs: queue.Queue = queue.Queue(maxsize=parallel)
        self.results: queue.Queue = queue.Queue()
        self.stop = stop or threading.Event()  # set on a fatal outcome or Ctrl-C; senders give up when it is
        self.waiting: dict[int, Outcome] = {}
        self.next_position = 0
        self.in_flight = 0
        self.fatal: AntError | None = None
        self.threads: list[threading.Thread] = []
        self.idle = 0  # senders waiting for a line
        self.pool_lock = threading.Lock()

    def run(self, jobs: Iterable[Job]) -> AntError | None:
        """Send every job (outcomes known in advance are just placed); the fatal error, if one stopped it."""
        for _ in range(self.parallel if self.more_wanted is None else min(self.parallel, FIRST_SENDERS)):
            self.add_sender()
        for job in jobs:
            if self.fatal is not None or self.stop.is_set():
                break
            self.wait_for_room(job.position)
            if job.known is not None:
                self.receive(job.known)
            else:
                self.submit(job)
                self.grow()
            self.collect(block=False)
        self.finish()
        return self.fatal

    def add_sender(self) -> None:
        with self.pool_lock:
            thread = threading.Thread(target=self.work, daemon=True)
            self.threads.append(thread)
        thread.start()

    def grow(self) -> None:
        """One more sender when lines wait, every sender is busy, the pool is below `parallel`, and the pacer
        would let another send start now. One at a time: each new sender looks again as it starts its line,
        so the pool still doubles within a round trip, and never runs ahead of what the pacer lets out."""
        with self.pool_lock:
            full = self.idle or len(self.threads) >= self.parallel or self.jobs.empty()
        if not full and self.more_wanted is not None and self.more_wanted():
            self.add_sender()

    def work(self) -> None:
        while True:
            with self.pool_lock:
                self.idle += 1
            job = self.jobs.get()
            with self.pool_lock:
                self.idle -= 1
            if job is None:
                return
            self.grow()  # a sender that starts a line looks whether the pool should grow: growth follows sends
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
        while True:
            try:
                self.jobs.put(job, timeout=POLL)
                self.in_flight += 1
                return
            except queue.Full:
                self.collect(block=False)

    def collect(self, block: bool) -> None:
        """Take the results that have arrived (waiting up to POLL for one when `block`); grow the pool if it
        should (the main thread looks at least every POLL)."""
        self.grow()
        while True:
            try:
                outcome = self.results.get(timeout=POLL) if block else self.results.get_nowait()
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
        with self.pool_lock:
            senders = len(self.threads)
        for _ in range(senders):
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
