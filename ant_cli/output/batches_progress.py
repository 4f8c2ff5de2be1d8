"""What a `--via message-batches` run shows on stderr: a live line on a terminal, and its summary.

The bar says what the server says: each batch's processing status and its request counts (all
`processing` until a batch ends), the lines with results, and the elapsed time. Rich is imported only
when a bar is drawn; without a terminal, or with --quiet or --debug, nothing but messages is shown.
"""

from __future__ import annotations

import math
import time
from typing import Callable

from ant_cli.output.progress import LiveBar, QuietProgress, Tally, live_column, live_console

COUNTS = ("processing", "succeeded", "errored", "canceled", "expired")


def batches_phrase(count: int) -> str:
    return f"{count} Message Batch{'' if count == 1 else 'es'}"


class BatchesTally(Tally):
    """The lines' outcomes (the four result types), the batches, and the tokens the API counted."""

    def __init__(self, total: int):
        super().__init__(total)
        self.canceled = self.expired = 0
        self.sent_lines = 0  # lines that went through Message Batches (this run or one it picked up)
        self.batches: dict[str, dict] = {}  # batch id -> its latest MessageBatch object
        self.tokens = {"input_tokens": 0, "output_tokens": 0}
        self.next_look: float | None = None  # when (time.monotonic) the batches are polled again, while waiting

    def count_type(self, kind: str, error_type: str | None = None, usage: dict | None = None) -> None:
        if kind == "canceled":
            self.canceled += 1
        elif kind == "expired":
            self.expired += 1
        else:
            self.count(kind == "succeeded", error_type)
        for name in self.tokens:
            value = (usage or {}).get(name)
            self.tokens[name] += value if isinstance(value, int) else 0

    @property
    def done(self) -> int:
        return super().done + self.canceled + self.expired

    @property
    def failed(self) -> int:
        return self.errored + self.canceled + self.expired

    def status(self) -> str:
        """`2 in_progress, 1 ended · 300 processing, 100 succeeded` over every batch of the run, and while the
        run waits between polls (up to a minute apart), how long until the next."""
        statuses: dict[str, int] = {}
        counts = dict.fromkeys(COUNTS, 0)
        for batch in self.batches.values():
            name = str(batch.get("processing_status"))
            statuses[name] = statuses.get(name, 0) + 1
            for key, value in (batch.get("request_counts") or {}).items():
                if key in counts and isinstance(value, int):
                    counts[key] += value
        shown = ", ".join(f"{count} {name}" for name, count in statuses.items()) or "submitting"
        numbers = ", ".join(f"{value} {key}" for key, value in counts.items() if value)
        return f"message batches: {shown}" + (f" · requests: {numbers}" if numbers else "") + self.next_look_in()

    def next_look_in(self) -> str:
        left = None if self.next_look is None else self.next_look - time.monotonic()
        return "" if left is None or left <= 0 else f" · next look in {math.ceil(left)}s"

    def summary(self) -> str:
        errored = f"{self.errored} errored"
        if self.error_types:
            errored += " (" + ", ".join(f"{count} {kind}" for kind, count in sorted(self.error_types.items())) + ")"
        already = f", {self.already_done} already done" if self.already_done else ""
        return (f"ant: batch: {self.done} of {self.total} lines have results: {self.succeeded} succeeded, {errored}, "
                f"{self.canceled} canceled, {self.expired} expired{already}; {self.sent_lines} "
                f"{'line' if self.sent_lines == 1 else 'lines'} through "
                f"{batches_phrase(len(self.batches))}; tokens: {self.tokens['input_tokens']} in, "
                f"{self.tokens['output_tokens']} out; {self.sent()}; {self.elapsed():.1f}s")


class BatchesBar(LiveBar):
    """rich's live line: the batches' status and counts, a bar of lines with results, the elapsed time."""

    def __init__(self, tally: BatchesTally, say: Callable[[str], None], stderr, redact: Callable[[str], str] = str):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        super().__init__(tally, say)
        self.start_bar(Progress(live_column(tally.status), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                console=live_console(stderr), transient=True), redact)
        self.task = self.bar.add_task("batches", total=tally.total, completed=tally.done)

    def update(self) -> None:
        self.bar.update(self.task, completed=self.tally.done)


def batches_progress(tally: BatchesTally, say: Callable[[str], None], stderr, stderr_isatty: bool, quiet: bool,
                     debug: bool, redact: Callable[[str], str] = str):
    if stderr_isatty and not (quiet or debug):
        return BatchesBar(tally, say, stderr, redact)  # its lines bypass `say`: masked here
    return QuietProgress(tally, say)
