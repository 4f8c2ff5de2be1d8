"""What a batch shows on stderr while it runs: a live bar on a terminal, and one summary line at the end.

The bar is rich's Progress (done/total, succeeded/errored, lines already done, rate, elapsed, ETA),
imported only when a bar is drawn. Its live parts (the rate; the pace the binding rate limit allows and
which limit that is; a shared pause counting down to the moment sending resumes, with what it waits for)
are computed at each redraw, so the bar never looks frozen while the batch waits. Messages printed while
it is live go through it, so they never garble it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from rich.progress import Progress

Holdup = Callable[[], "tuple[float, str] | None"]  # (seconds until sending resumes, why), None: not held up
SHOWN_PAUSE = 1.0  # a wait shorter than this is the normal rhythm, not a pause worth showing


def no_holdup() -> tuple[float, str] | None:
    return None


class Tally:
    """What happened, for the bar and the summary."""

    def __init__(self, total: int, already_done: int = 0):
        self.total, self.already_done = total, already_done
        self.succeeded = self.errored = 0
        self.error_types: dict[str, int] = {}
        self.requests = self.retries = 0  # HTTP requests sent, and how many of them were retries
        self.started = time.monotonic()

    def count(self, succeeded: bool, error_type: str | None = None) -> None:
        if succeeded:
            self.succeeded += 1
            return
        self.errored += 1
        kind = error_type or "error"
        self.error_types[kind] = self.error_types.get(kind, 0) + 1

    @property
    def done(self) -> int:
        return self.already_done + self.succeeded + self.errored

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def rate(self) -> str:
        """Lines finished by this run per second ("" before the first)."""
        finished, elapsed = self.succeeded + self.errored, self.elapsed()
        return f"{finished / elapsed:.1f} lines/s" if finished and elapsed > 0 else ""

    def counts(self) -> str:
        already = f", {self.already_done} already done" if self.already_done else ""
        return f"{self.succeeded} ok, {self.errored} errored{already}"

    def summary(self) -> str:
        errored = f"{self.errored} errored"
        if self.error_types:
            errored += " (" + ", ".join(f"{count} {kind}" for kind, count in sorted(self.error_types.items())) + ")"
        already = f", {self.already_done} already done" if self.already_done else ""
        rate = f", {self.rate()}" if self.requests and self.rate() else ""  # no rate for lines that sent nothing
        return (f"ant: batch: {self.done} of {self.total} lines have results: {self.succeeded} succeeded, "
                f"{errored}{already}; {self.sent()}; {self.elapsed():.1f}s{rate}")

    def sent(self) -> str:
        if not self.requests:
            return "no requests sent"
        retries = f" ({self.retries} {'retry' if self.retries == 1 else 'retries'})" if self.retries else ""
        return f"{self.requests} HTTP request{'' if self.requests == 1 else 's'} sent{retries}"


class QuietProgress:
    """No bar (a pipe, --quiet, --debug, results on the same terminal): messages go straight to stderr."""

    def __init__(self, tally: Tally, say: Callable[[str], None]):
        self.tally, self.say = tally, say

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def update(self) -> None:
        pass


class TextOut:
    """A text stream over the environment's binary stderr, for rich."""

    def __init__(self, binary):
        self.binary = binary

    def write(self, text: str) -> int:
        self.binary.write(text.encode("utf-8", "replace"))
        return len(text)

    def flush(self) -> None:
        self.binary.flush()

    def isatty(self) -> bool:
        return True


def live_column(text: Callable[[], str]):
    """A column of rich's Progress whose text is computed at each redraw (rich is imported by the caller)."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class LiveColumn(ProgressColumn):
        def render(self, task) -> Text:
            return Text(text(), no_wrap=True)

    return LiveColumn()


class LiveBar(QuietProgress):
    """A rich Progress (`self.bar`) live on the stderr terminal while the block runs; its talk printed
    above it, masked by `redact` (it bypasses the environment's `say`)."""

    bar: "Progress"

    def start_bar(self, bar, redact: Callable[[str], str]) -> None:
        self.bar = bar
        self.say = lambda line: bar.console.print(redact(line), markup=False, highlight=False)

    def __enter__(self):
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()


def live_console(stderr):
    """A rich console writing to the stderr terminal (the only one a bar draws on)."""
    from rich.console import Console

    return Console(file=TextOut(stderr), force_terminal=True, highlight=False)  # type: ignore[arg-type]


class BarProgress(LiveBar):
    """rich's live progress bar on the stderr terminal."""

    def __init__(self, tally: Tally, say: Callable[[str], None], stderr, holdup: Holdup = no_holdup,
                 pace: Callable[[], str] = str, redact: Callable[[str], str] = str):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        super().__init__(tally, say)
        self.holdup, self.pace = holdup, pace
        # a short bar: on 120 columns the first column keeps room for what a pause waits for and its countdown
        self.start_bar(Progress(live_column(self.state), BarColumn(bar_width=20), MofNCompleteColumn(),
                                TextColumn("{task.fields[counts]}"), live_column(tally.rate),
                                TimeElapsedColumn(), TimeRemainingColumn(), console=live_console(stderr),
                                transient=True), redact)
        self.task = self.bar.add_task("batch", total=tally.total, completed=tally.done, counts=tally.counts())

    def state(self) -> str:
        """"batch" and the pace the binding limit allows, or while sending is held up, that it is paused, for
        what, and for how much longer."""
        holdup = self.holdup()
        if holdup is None or holdup[0] < SHOWN_PAUSE:
            pace = self.pace()
            return f"batch, {pace}" if pace else "batch"
        seconds, why = holdup
        return f"batch paused ({why}): resumes in {seconds:.0f}s"

    def update(self) -> None:
        self.bar.update(self.task, completed=self.tally.done, counts=self.tally.counts())


def progress_for(tally: Tally, say: Callable[[str], None], stderr, stderr_isatty: bool, quiet: bool, debug: bool,
                 results_on_terminal: bool = False, holdup: Holdup = no_holdup, pace: Callable[[], str] = str,
                 redact: Callable[[str], str] = str):
    """A live bar only on a terminal, and never with --quiet or --debug (whose lines would fight it), nor when
    results print on the terminal too (stdout, no -o): they would land on the bar's lines."""
    if stderr_isatty and not (quiet or debug or results_on_terminal):
        return BarProgress(tally, say, stderr, holdup, pace, redact)  # its lines bypass `say`: masked here
    return QuietProgress(tally, say)
