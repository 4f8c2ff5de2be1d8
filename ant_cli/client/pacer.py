"""Pacing shared by every sender of a batch: one pause for all, and an even --max-rpm rhythm.

A 429, 529 or 503 that carries a retry hint pauses every new send, not just the one that was
refused; a response saying `anthropic-ratelimit-requests-remaining: 0` pauses new sends until its
`anthropic-ratelimit-requests-reset` time. `--max-rpm N` starts requests at least 60/N seconds
apart, so no minute ever sees more than N starts. Every wait is capped at 60 seconds.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Callable, Mapping

from ant_cli.client.retry import MAX_HINT, hinted_delay

PAUSING_STATUSES = (429, 503, 529)


def reset_delay(value: str | None, now: float) -> float | None:
    """Seconds until an RFC 3339 time such as 2026-12-02T01:23:45Z (or with an offset); None if unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.timestamp() - now


class Pacer:
    """Thread-safe gate every attempt passes through (`wait_turn`), fed by what responses say."""

    def __init__(self, max_rpm: int | None = None, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep):
        # A hair over 60/N: the N+1st start then falls just outside the minute that began with the first.
        self.interval = 60.0 / max_rpm + 0.001 if max_rpm else 0.0
        self.clock, self.wall, self.sleep = clock, wall, sleep
        self.lock = threading.Lock()
        self.paused_until = 0.0
        self.next_start = 0.0
        self.pauses = 0  # how many times a response paused the batch (for the summary)

    def wait_turn(self, stop: threading.Event | None = None) -> None:
        """Block until no pause is in force and the rpm rhythm allows the next start; claim that start.
        A set `stop` ends the wait at once (the caller then gives up its send)."""
        while stop is None or not stop.is_set():
            with self.lock:
                now = self.clock()
                ready_at = max(self.paused_until, self.next_start)
                if ready_at <= now:
                    self.next_start = max(now, self.next_start) + self.interval
                    return
            nap = min(ready_at - now, 0.25)  # short naps, so a pause set meanwhile is seen
            if stop is None:
                self.sleep(nap)
            else:
                stop.wait(nap)

    def holdup(self) -> tuple[float, str] | None:
        """(seconds until the next send may start, why), or None when one may start now."""
        with self.lock:
            now = self.clock()
            if self.paused_until > now and self.paused_until >= self.next_start:
                return self.paused_until - now, "rate limit"
            if self.next_start > now:
                return self.next_start - now, "--max-rpm"
        return None

    def wait_left(self) -> float:
        """Seconds until the next send may start (0 when it may start now)."""
        holdup = self.holdup()
        return holdup[0] if holdup else 0.0

    def pause(self, seconds: float) -> None:
        """No new send starts for `seconds` (at most 60) from now."""
        seconds = min(seconds, MAX_HINT)
        if seconds <= 0:
            return
        with self.lock:
            until = self.clock() + seconds
            if until > self.paused_until:
                self.paused_until = until
                self.pauses += 1

    def after_refusal(self, status: int, headers: Mapping[str, str]) -> None:
        """A 429/503/529 with a retry hint pauses everyone until the hint has passed."""
        hint = hinted_delay(headers, self.wall())
        if status in PAUSING_STATUSES and hint is not None:
            self.pause(hint)

    def observe(self, headers: Mapping[str, str]) -> None:
        """`requests-remaining: 0` pauses new sends until the reset time the same response gives."""
        if (headers.get("anthropic-ratelimit-requests-remaining") or "").strip() != "0":
            return
        delay = reset_delay(headers.get("anthropic-ratelimit-requests-reset"), self.wall())
        if delay is not None:
            self.pause(delay)
