"""When to retry and how long to wait: the official Python SDK's policy, as pure functions."""

from __future__ import annotations

import random
import time
from typing import Mapping

INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
MAX_HINT = 60.0
RETRYABLE_STATUSES = (408, 409, 429)


def should_retry_status(status: int, headers: Mapping[str, str]) -> bool:
    """x-should-retry overrides the status either way; else 408, 409, 429 and every 5xx are retried."""
    override = (headers.get("x-should-retry") or "").strip().lower()
    if override == "true":
        return True
    if override == "false":
        return False
    return status in RETRYABLE_STATUSES or status >= 500


def hinted_delay(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The server's retry-after-ms / retry-after hint in seconds, or None when absent or unparseable."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return float(millis) / 1000.0
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    import email.utils  # only for an HTTP-date hint, which is rare; the module costs start-up time

    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return email.utils.mktime_tz(parsed) - (time.time() if now is None else now)


def backoff_delay(retries_taken: int, rand: float | None = None) -> float:
    """0.5 s doubling per retry, capped at 8 s, minus up to 25 % jitter."""
    base = min(INITIAL_DELAY * (2 ** min(retries_taken, 1000)), MAX_DELAY)
    return base * (1 - 0.25 * (random.random() if rand is None else rand))


def retry_delay(headers: Mapping[str, str], retries_taken: int, now: float | None = None,
                rand: float | None = None) -> float:
    """Obey a hint between 0 and 60 s exactly; anything else (absent, negative, too long) falls back to backoff."""
    hint = hinted_delay(headers, now)
    if hint is not None and 0 < hint <= MAX_HINT:
        return hint
    return backoff_delay(retries_taken, rand)
