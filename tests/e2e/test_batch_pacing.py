"""A batch at the key's rate limits, end to end against the mock's buckets: it learns the limits from the
answers, waits for the refill its next request needs (never the reset), paces by the limit that binds,
keeps as many requests in flight as rate x latency needs, slows down on a shared key, and says why it waits.
Small limits and short latencies keep each test to seconds; the arithmetic is the same as at full size."""

from __future__ import annotations

import time

from ant_cli.mockserver import MockServer
from tests.e2e.test_batch import DEFAULTS, arrivals, ids, prompts
from tests.helpers import KEY, run_installed


def batch(mock, lines: str, *args, max_tokens: int = 8, timeout: float = 50):
    argv = ["completions", "batch", *DEFAULTS[:2], "--max-tokens-to-sample", str(max_tokens), *args]
    started = time.monotonic()
    result = run_installed(argv, input=lines, timeout=timeout, env={"ANTHROPIC_BASE_URL": mock.url})
    return result, time.monotonic() - started


def summary(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if line.startswith("ant: batch: "))


def test_a_drained_bucket_refills_at_its_rate_not_at_the_reset():
    # 120 a minute, a whole minute deep: drained, its reset is a minute away; one request comes back every 0.5 s
    with MockServer(api_key=KEY, rpm=120, depth=60) as mock:
        mock.drain()
        result, elapsed = batch(mock, prompts(8))
        times = arrivals(mock)
    assert result.returncode == 0, result.stderr
    assert ids(result.stdout) == [f"q-{n}" for n in range(1, 9)]
    assert len(times) <= 8 + 3  # refusals only for the first three, sent before the limit was known
    assert 2.5 <= times[-1] - times[0] <= 5.5 and elapsed < 10  # ~0.5 s a request, not a minute


def test_an_output_token_limit_paces_by_max_tokens():
    # 6,000 output tokens a minute: 100 a second, 500 at once; lines of max 100 tokens: 5 at once, then 1 a second
    with MockServer(api_key=KEY, output_tpm=6000) as mock:
        result, _ = batch(mock, prompts(10), max_tokens=100)
        times = arrivals(mock)
    assert result.returncode == 0, result.stderr
    assert "10 HTTP requests sent;" in summary(result.stderr)  # no 429, no retry
    assert 4.0 <= times[-1] - times[0] <= 7.0, times
    later = times[5:]
    assert all(0.6 <= after - before for before, after in zip(later, later[1:], strict=False)), times


def test_concurrency_grows_past_64_when_rate_times_latency_needs_it():
    # 12,000 a minute (200 a second) with 1 s answers needs about 200 in flight
    with MockServer(api_key=KEY, rpm=12_000, latency=1.0) as mock:
        result, elapsed = batch(mock, prompts(600))
        stats = mock.stats
    assert result.returncode == 0, result.stderr
    assert "600 HTTP requests sent;" in summary(result.stderr)
    assert stats["max_in_flight"] > 64, stats
    assert elapsed < 9  # 64 at a time would take 10 s of answers alone


def test_a_shared_key_and_its_429_slow_the_batch_without_stopping_it():
    # 1,200 a minute, 1 s deep (20 at once), half of every refill taken by another client: 10 a second are ours
    with MockServer(api_key=KEY, rpm=1200, depth=1, other=0.5) as mock:
        mock.script({"status": 429, "headers": {"retry-after": "1"}})  # the other client's burst, once
        result, elapsed = batch(mock, prompts(80))
        count = len(mock.requests)
    assert result.returncode == 0, result.stderr
    assert ids(result.stdout) == [f"q-{n}" for n in range(1, 81)]
    assert "429 rate_limit_error; retrying in " in result.stderr
    assert count <= 80 + 3  # the scripted refusal, and almost no other
    assert 4.0 <= elapsed <= 15  # 20 at once, then 60 at 10 a second: paced, not stopped


def test_a_wait_for_the_limit_is_announced_and_debug_shows_the_pace():
    # 30 a minute: one request every 2 s, two at once
    with MockServer(api_key=KEY, rpm=30) as mock:
        result, _ = batch(mock, prompts(4), "--debug")
    assert result.returncode == 0, result.stderr
    assert "ant: sending paused " in result.stderr
    assert "waiting for the requests per minute limit to refill (pace 30/min (requests limit binds))" in result.stderr
    assert "ant: debug: pace 30/min (requests limit binds); " in result.stderr
