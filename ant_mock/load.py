"""Load simulation: latency per request and the requests-per-minute bucket behind the rate-limit headers.

The bucket refills continuously, as the API's does: `rpm` requests of capacity, `rpm / 60` back per second.
Every answer carries the four header families the API sends (requests, tokens, input-tokens, output-tokens:
`-limit`, `-remaining`, `-reset`), and they never announce a limit the mock does not enforce: a family without a
budget (tokens always, requests without `rpm`) reports UNLIMITED as both limit and remaining, reset now.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable

UNLIMITED = 1_000_000_000  # what an unenforced family reports: more than any test can spend
FAMILIES = ("requests", "tokens", "input-tokens", "output-tokens")
Latency = tuple[float, float]


def parse_latency(value: float | str | tuple[float, float] | None) -> Latency:
    """`0.05` (fixed) or `"0.02-0.08"` (uniformly random) seconds, as (low, high)."""
    if value is None:
        return (0.0, 0.0)
    if isinstance(value, tuple):
        low, high = float(value[0]), float(value[1])
    elif isinstance(value, str) and "-" in value.strip().lstrip("-"):
        low_text, high_text = value.strip().split("-", 1)
        low, high = float(low_text), float(high_text)
    else:
        low = high = float(value)
    if low < 0 or high < low:
        raise ValueError(f"latency must be SECONDS or LOW-HIGH with 0 <= LOW <= HIGH, not {value!r}")
    return (low, high)


def pick_latency(latency: Latency) -> float:
    low, high = latency
    return low if low == high else random.uniform(low, high)


def rfc3339(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(math.ceil(timestamp)))


class RequestBudget:
    """A token bucket of requests; `take` spends one and says whether the request may go on."""

    def __init__(self, rpm: int | None = None, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time):
        if rpm is not None and rpm < 1:
            raise ValueError("rpm must be at least 1")
        self.limit, self.enforced = rpm or UNLIMITED, rpm is not None
        self.clock, self.wall = clock, wall
        self.lock = threading.Lock()
        self.refill()

    @property
    def enforced_limit(self) -> int | None:
        """The requests per minute refused beyond, or None when nothing is."""
        return self.limit if self.enforced else None

    @property
    def rate(self) -> float:
        return self.limit / 60.0

    def refill(self) -> None:
        """Back to a full bucket (start, reset)."""
        self.tokens, self.stamp = float(self.limit), self.clock()

    def take(self) -> tuple[bool, dict[str, str]]:
        """(allowed, headers): the rate-limit headers, and `retry-after` in whole seconds when refused."""
        with self.lock:
            now = self.clock()
            self.tokens = min(self.limit, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            allowed = self.tokens >= 1 or not self.enforced
            if self.tokens >= 1 and self.enforced:
                self.tokens -= 1
            headers = self.headers()
            if not allowed:
                wait = round((1 - self.tokens) / self.rate, 6)  # no extra second for floating-point dust
                headers["retry-after"] = str(max(1, math.ceil(wait)))
            return allowed, headers

    def headers(self) -> dict[str, str]:
        now = self.wall()
        headers: dict[str, str] = {}
        for family in FAMILIES:
            headers.update(family_headers(family, UNLIMITED, UNLIMITED, now))
        if self.enforced:
            full_in = (self.limit - self.tokens) / self.rate
            headers.update(family_headers("requests", self.limit, int(self.tokens), now + full_in))
        return headers


def family_headers(family: str, limit: int, remaining: int, reset: float) -> dict[str, str]:
    prefix = f"anthropic-ratelimit-{family}"
    return {f"{prefix}-limit": str(limit), f"{prefix}-remaining": str(remaining), f"{prefix}-reset": rfc3339(reset)}


def limits_as_answered(limits: dict[str, str], status: int) -> dict[str, str]:
    """The bucket's headers as an answer with this status shows them: a 429, scripted or not, leaves no request
    remaining until the reset; only a 429 says when to retry."""
    if status == 429:
        return dict(limits, **{"anthropic-ratelimit-requests-remaining": "0"})
    return {name: value for name, value in limits.items() if name != "retry-after"}
