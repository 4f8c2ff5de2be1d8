"""Latency parsing and the requests-per-minute bucket, on a clock the test moves."""

from __future__ import annotations

import pytest

from ant_mock.load import UNLIMITED, RequestBudget, limits_as_answered, parse_latency, pick_latency, rfc3339


@pytest.mark.parametrize("value, latency", [
    (None, (0.0, 0.0)), (0.05, (0.05, 0.05)), ("0.05", (0.05, 0.05)), ("0.02-0.08", (0.02, 0.08)),
    ((0.1, 0.2), (0.1, 0.2)), ("1-1", (1.0, 1.0)),
])
def test_parse_latency(value, latency):
    assert parse_latency(value) == latency


@pytest.mark.parametrize("value", ["-1", "0.5-0.1", "fast", "1-"])
def test_bad_latency_is_refused(value):
    with pytest.raises(ValueError):
        parse_latency(value)


def test_random_latency_stays_in_its_range():
    assert all(0.02 <= pick_latency((0.02, 0.08)) <= 0.08 for _ in range(200))


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_budget_refuses_past_its_rpm_and_refills_continuously():
    clock = Clock()
    budget = RequestBudget(60, clock=clock, wall=lambda: 1_800_000_000.0)
    assert [budget.take()[0] for _ in range(61)] == [True] * 60 + [False]
    allowed, headers = budget.take()
    assert not allowed and headers["retry-after"] == "1"
    assert headers["anthropic-ratelimit-requests-remaining"] == "0"
    assert headers["anthropic-ratelimit-requests-reset"] == "2027-01-15T08:01:00Z"  # full again in 60 s
    clock.now += 1.0
    assert budget.take()[0] and not budget.take()[0]


def test_retry_after_counts_whole_seconds_to_the_next_request():
    clock = Clock()
    budget = RequestBudget(2, clock=clock)  # one request back every 30 s
    budget.take(), budget.take()
    clock.now += 10
    assert budget.take()[1]["retry-after"] == "20"


def test_without_rpm_the_headers_announce_no_limit_the_mock_would_enforce():
    budget = RequestBudget(None, clock=Clock(), wall=lambda: 1_800_000_000.0)
    results = [budget.take() for _ in range(5000)]
    assert all(allowed for allowed, _ in results)
    headers = results[-1][1]
    assert headers["anthropic-ratelimit-requests-limit"] == headers["anthropic-ratelimit-requests-remaining"]
    assert int(headers["anthropic-ratelimit-requests-limit"]) == UNLIMITED
    assert headers["anthropic-ratelimit-requests-reset"] == "2027-01-15T08:00:00Z"  # nothing to wait for
    assert "retry-after" not in headers and budget.enforced_limit is None


@pytest.mark.parametrize("rpm", [None, 60])
def test_every_header_family_is_sent_and_tokens_are_never_limited(rpm):
    headers = RequestBudget(rpm, clock=Clock(), wall=lambda: 1_800_000_000.0).take()[1]
    for family in ("requests", "tokens", "input-tokens", "output-tokens"):
        limit, remaining = (int(headers[f"anthropic-ratelimit-{family}-{part}"]) for part in ("limit", "remaining"))
        assert limit >= remaining >= 0 and headers[f"anthropic-ratelimit-{family}-reset"].endswith("Z")
        if family != "requests":
            assert limit == remaining == UNLIMITED
    assert headers["anthropic-ratelimit-requests-limit"] == str(rpm or UNLIMITED)


def test_a_refill_restores_the_whole_budget():
    budget = RequestBudget(1, clock=Clock())
    budget.take()
    budget.refill()
    assert budget.take()[0]


def test_rfc3339_rounds_up_to_the_second():
    assert rfc3339(1_800_000_000.2) == "2027-01-15T08:00:01Z"


def test_a_429_leaves_nothing_remaining_and_only_a_429_says_when_to_retry():
    limits = {"anthropic-ratelimit-requests-remaining": "7", "retry-after": "3",
              "anthropic-ratelimit-tokens-limit": "9"}
    assert limits_as_answered(limits, 429) == dict(limits, **{"anthropic-ratelimit-requests-remaining": "0"})
    assert limits_as_answered(limits, 200) == {"anthropic-ratelimit-requests-remaining": "7",
                                               "anthropic-ratelimit-tokens-limit": "9"}
    assert limits["anthropic-ratelimit-requests-remaining"] == "7"  # the caller's headers are left as they were
