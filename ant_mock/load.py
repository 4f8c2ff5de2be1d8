"""Load simulation: latency per request, and the rate-limit buckets behind the rate-limit headers.

Three buckets can be enforced, as the API does (https://docs.anthropic.com/en/api/rate-limits): requests,
input tokens and output tokens per minute. Each refills continuously at limit/60 per second, and holds only
a few seconds of refill (`depth`), since the API may enforce a per-minute limit over shorter intervals. A
request is admitted when every bucket has room for it, and then spends its cost from each: one request, its
prompt's input tokens, and its `max_tokens` (or `max_tokens_to_sample`) as output tokens, counted at admission.
A refusal says in `retry-after` how long the missing capacity takes to come back (in whole seconds, as the API
gives it). A simulated second client (`other`: a fraction from 0 to 1) takes that part of every refill.

Every answer carries the four header families the API sends (requests, tokens, input-tokens, output-tokens:
`-limit`, `-remaining`, `-reset`), and they never announce a limit the mock does not enforce: a family without
a budget reports UNLIMITED as both limit and remaining, reset now; `tokens` shows the more nearly spent of the
two token buckets.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from ant_mock.conversation import prompt_words

UNLIMITED = 1_000_000_000  # what an unenforced family reports: more than any test can spend
FAMILIES = ("requests", "tokens", "input-tokens", "output-tokens")
BUCKETS = ("requests", "input-tokens", "output-tokens")
DEPTH = 5.0  # seconds of refill a full bucket holds
UNITS = {"requests": "requests", "input-tokens": "input tokens", "output-tokens": "output tokens"}
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


class Cost(NamedTuple):
    """What one request spends from each bucket."""

    requests: int = 1
    input_tokens: int = 0
    output_tokens: int = 0

    def of(self, family: str) -> int:
        return {"requests": self.requests, "input-tokens": self.input_tokens,
                "output-tokens": self.output_tokens}[family]


def admission_cost(raw: bytes) -> Cost:
    """A request's cost, read leniently from its body (one request, no tokens, when it is not a request)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return Cost()
    if not isinstance(body, dict):
        return Cost()
    return Cost(1, input_tokens(body), max_tokens(body))


def input_tokens(body: dict[str, Any]) -> int:
    """The prompt's words: the mock's stand-in for input tokens (as its Messages `usage` reports them)."""
    if isinstance(body.get("prompt"), str):
        return len(body["prompt"].split()) or 1
    try:
        return prompt_words(body)
    except (KeyError, TypeError, AttributeError):
        return 0


def max_tokens(body: dict[str, Any]) -> int:
    value = body.get("max_tokens_to_sample", body.get("max_tokens"))
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


class Bucket:
    """One family's token bucket: `limit` per minute, refilled continuously, `depth` seconds deep."""

    def __init__(self, limit: int | None, depth: float = DEPTH, other: float = 0.0):
        if limit is not None and limit < 1:
            raise ValueError("a rate limit must be at least 1")
        self.enforced = limit is not None
        self.limit = limit or UNLIMITED
        self.capacity = max(1.0, self.limit * depth / 60.0)
        self.other = other  # the part of every refill a simulated second client takes
        self.level = self.capacity

    @property
    def refill_rate(self) -> float:
        """What comes back to this client per second."""
        return self.limit / 60.0 * (1.0 - self.other)

    def advance(self, seconds: float) -> None:
        self.level = min(self.capacity, self.level + seconds * self.refill_rate)

    def shortfall(self, cost: int) -> float:
        """Seconds until this bucket has room for `cost` (a cost over the capacity needs a full bucket)."""
        if not self.enforced:
            return 0.0
        missing = min(cost, self.capacity) - self.level
        return max(0.0, missing / self.refill_rate) if self.refill_rate > 0 else math.inf

    def spend(self, cost: int) -> None:
        if self.enforced:
            self.level -= cost

    def headers(self, family: str, now: float) -> dict[str, str]:
        if not self.enforced:
            return family_headers(family, UNLIMITED, UNLIMITED, now)
        full_in = (self.capacity - self.level) / self.refill_rate if self.refill_rate > 0 else 60.0
        return family_headers(family, self.limit, max(0, int(self.level)), now + full_in)


class Limits:
    """The buckets a key has; `take` admits a request (spending its cost) or refuses it, thread-safely."""

    def __init__(self, rpm: int | None = None, input_tpm: int | None = None, output_tpm: int | None = None,
                 depth: float = DEPTH, other: float = 0.0, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time):
        if not 0.0 <= other < 1.0:
            raise ValueError("the second client's share must be at least 0 and less than 1")
        self.settings = dict(zip(BUCKETS, (rpm, input_tpm, output_tpm), strict=True))
        self.depth, self.other = depth, other
        self.clock, self.wall = clock, wall
        self.lock = threading.Lock()
        self.refill()

    @property
    def enforced_limit(self) -> int | None:
        """The requests per minute refused beyond, or None when nothing is."""
        return self.settings["requests"]

    def refill(self) -> None:
        """Back to full buckets (start, reset)."""
        self.buckets = {family: Bucket(limit, self.depth, self.other) for family, limit in self.settings.items()}
        self.stamp = self.clock()

    def drain(self) -> None:
        """Empty every enforced bucket, as another program on the key would have."""
        with self.lock:
            for bucket in self.buckets.values():
                bucket.level = 0.0 if bucket.enforced else bucket.level
            self.stamp = self.clock()

    def take(self, cost: Cost = Cost()) -> tuple[bool, dict[str, str], str | None]:
        """(allowed, headers, the family that refused or None): the rate-limit headers, and `retry-after` in
        whole seconds when refused."""
        with self.lock:
            now = self.clock()
            for bucket in self.buckets.values():
                bucket.advance(now - self.stamp)
            self.stamp = now
            waits = {family: bucket.shortfall(cost.of(family)) for family, bucket in self.buckets.items()}
            refused = max(waits, key=lambda family: waits[family])
            if waits[refused] > 0:
                return False, dict(self.headers(), **{"retry-after": str(max(1, math.ceil(
                    round(waits[refused], 6))))}), refused  # no extra second for floating-point dust
            for family, bucket in self.buckets.items():
                bucket.spend(cost.of(family))
            return True, self.headers(), None

    def headers(self) -> dict[str, str]:
        now = self.wall()
        headers: dict[str, str] = {}
        for family, bucket in self.buckets.items():
            headers.update(bucket.headers(family, now))
        headers.update(self.tokens_headers(now))
        return headers

    def tokens_headers(self, now: float) -> dict[str, str]:
        """`tokens`: the token bucket nearer to empty (the most restrictive limit in effect)."""
        enforced = [bucket for family, bucket in self.buckets.items() if family != "requests" and bucket.enforced]
        if not enforced:
            return family_headers("tokens", UNLIMITED, UNLIMITED, now)
        return min(enforced, key=lambda bucket: bucket.level / bucket.capacity).headers("tokens", now)


def family_headers(family: str, limit: int, remaining: int, reset: float) -> dict[str, str]:
    prefix = f"anthropic-ratelimit-{family}"
    return {f"{prefix}-limit": str(limit), f"{prefix}-remaining": str(remaining), f"{prefix}-reset": rfc3339(reset)}


def limits_as_answered(limits: dict[str, str], status: int, scripted: bool = False) -> dict[str, str]:
    """The buckets' headers as an answer with this status shows them: a scripted 429 leaves no request
    remaining until the reset (a real refusal's headers are the buckets' own); only a 429 says when to retry."""
    if status == 429 and scripted:
        return dict(limits, **{"anthropic-ratelimit-requests-remaining": "0"})
    if status == 429:
        return limits
    return {name: value for name, value in limits.items() if name != "retry-after"}
