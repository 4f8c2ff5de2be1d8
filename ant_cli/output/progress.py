"""What a batch shows on stderr while it runs: a live bar on a terminal, and one summary line at the end.

The bar is rich's Progress (done/total, succeeded/errored, rate, ETA), imported only when a bar is
drawn. Messages printed while it is live go through it, so they never garble it.
"""

from __future__ import annotations

import time
from typing import Callable


class Tally:
    """Counts for the bar and the summary."""

    def __init__(self, total: int, already_done: int):
        self.total, self.already_done = total, already_done
        self.succeeded = self.errored = 0
        self.started = time.monotonic()

    @property
    def done(self) -> int:
        return self.already_done + self.succeeded + self.errored

    def summary(self) -> str:
        elapsed = time.monotonic() - self.started
        sent = self.succeeded + self.errored
        rate = sent / elapsed if elapsed > 0 else 0.0
        skipped = f", {self.already_done} already done" if self.already_done else ""
        return (f"ant: batch: {self.done} of {self.total} lines have results: {self.succeeded} succeeded, "
                f"{self.errored} errored{skipped}; {elapsed:.1f}s, {rate:.1f} requests/s")


class QuietProgress:
    """No bar (a pipe, --quiet, --debug): messages go straight to stderr."""

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


class BarProgress(QuietProgress):
    """rich's live progress bar on the stderr terminal."""

    def __init__(self, tally: Tally, say: Callable[[str], None], stderr):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        super().__init__(tally, say)
        console = Console(file=TextOut(stderr), force_terminal=True, highlight=False)  # type: ignore[arg-type]
        self.bar = Progress(TextColumn("batch"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[counts]}"), TextColumn("{task.fields[rate]}"),
                            TimeRemainingColumn(), console=console, transient=True)
        self.task = self.bar.add_task("batch", total=tally.total, completed=tally.done, counts="", rate="")
        self.say = lambda line: self.bar.console.print(line, markup=False, highlight=False)

    def __enter__(self):
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()

    def update(self) -> None:
        tally = self.tally
        elapsed = time.monotonic() - tally.started
        rate = f"{(tally.succeeded + tally.errored) / elapsed:.1f}/s" if elapsed > 0 else ""
        self.bar.update(self.task, completed=tally.done, rate=rate,
                        counts=f"{tally.succeeded} ok, {tally.errored} errored")


def progress_for(tally: Tally, say: Callable[[str], None], stderr, stderr_isatty: bool, quiet: bool, debug: bool):
    """A live bar only on a terminal, and never with --quiet or --debug (whose lines would fight it)."""
    if stderr_isatty and not (quiet or debug):
        return BarProgress(tally, say, stderr)
    return QuietProgress(tally, say)
