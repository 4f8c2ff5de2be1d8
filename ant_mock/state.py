"""Everything the handler threads share: settings, scripts, the request log and the counters."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections.abc import Iterator
from typing import Any

from ant_mock.batches import BatchLimits, BatchStore
from ant_mock.load import Latency, Limits
from ant_mock.script import Scripts


class Stats:
    """Counters for tests of concurrency and connection reuse; callers hold the state's lock."""

    def __init__(self) -> None:
        self.requests = self.in_flight = self.max_in_flight = self.connections = 0

    def as_dict(self) -> dict[str, int]:
        return {"requests": self.requests, "in_flight": self.in_flight, "max_in_flight": self.max_in_flight,
                "connections": self.connections}

    def reset(self) -> None:
        # Requests still running stay counted, or in_flight would go negative when they finish.
        self.requests = self.connections = 0
        self.max_in_flight = self.in_flight


class MockState:
    """The settings of one mock and what its handler threads share, behind one lock."""

    def __init__(self, api_key: str | None = None, allowed_models: tuple[str, ...] = (),
                 latency: Latency = (0.0, 0.0), limits: Limits | None = None,
                 batch_limits: BatchLimits | None = None):
        self.api_key, self.allowed_models, self.latency = api_key, allowed_models, latency
        self.batches = BatchStore(batch_limits or BatchLimits(), allowed_models)
        self.budget = limits or Limits()
        self.lock = threading.Lock()
        self.scripts = Scripts()
        self.script = self.scripts.shared  # the shared queue, under the name older tests use
        self.log: list[dict[str, Any]] = []
        self.stats = Stats()
        self.sequence = itertools.count(1)

    def next_action(self, client: str | None = None) -> dict[str, Any]:
        with self.lock:
            return self.scripts.next_for(client)

    def record(self, entry: dict[str, Any]) -> None:
        """Log one request, with its arrival time and a sequence number that never goes back."""
        with self.lock:
            entry.update(time=time.time(), seq=next(self.sequence))
            self.log.append(entry)

    def connection_opened(self) -> None:
        with self.lock:
            self.stats.connections += 1

    @contextlib.contextmanager
    def in_flight(self) -> Iterator[None]:
        """Count one API request (/v1/complete, /v1/messages, /v1/messages/batches) while it is being answered."""
        with self.lock:
            self.stats.requests += 1
            self.stats.in_flight += 1
            self.stats.max_in_flight = max(self.stats.max_in_flight, self.stats.in_flight)
        try:
            yield
        finally:
            with self.lock:
                self.stats.in_flight -= 1

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return self.stats.as_dict()

    def reset(self) -> None:
        """Forget scripts, log, counters, sequence numbers and batches, and refill the rate-limit buckets."""
        self.batches.clear()
        with self.lock:
            self.scripts.clear()
            self.log.clear()
            self.stats.reset()
            self.sequence = itertools.count(1)
        self.budget.refill()
