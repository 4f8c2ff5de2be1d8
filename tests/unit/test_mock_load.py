"""Latency parsing and the rate-limit buckets (requests, input and output tokens), on a clock the test moves."""

from __future__ import annotations

import pytest

from ant_mock.load import (
    UNLIMITED,
    Cost,
    Limits,
    admission_cost,
    limits_as_answered,
    parse_latency,
    pick_latency,
    rfc3339,
)


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


def limits(*args, **kwargs) -> Limits:
    return Limits(*args, clock=kwargs.pop("clock", Clock()), wall=lambda: 1_800_000_000.0, **kwargs)


def test_the_bucket_holds_a_few_seconds_and_refills_continuously():
    clock = Clock()
    budget = limits(600, clock=clock)  # 10 a second, 5 s deep: 50 at once
    assert [budget.take()[0] for _ in range(51)] == [True] * 50 + [False]
    allowed, headers, refused = budget.take()
    assert not allowed and refused == "requests" and headers["retry-after"] == "1"
    assert headers["anthropic-ratelimit-requests-remaining"] == "0"
    assert headers["anthropic-ratelimit-requests-reset"] == "2027-01-15T08:00:05Z"  # full again in 5 s
    clock.now += 0.1  # one request's refill, not the reset
    assert budget.take()[0] and not budget.take()[0]


def test_a_small_limit_still_admits_one_request_at_a_time():
    clock = Clock()
    budget = limits(2, clock=clock)  # one request back every 30 s
    assert [budget.take()[0] for _ in range(2)] == [True, False]
    clock.now += 10
    assert budget.take()[1]["retry-after"] == "20"


def test_output_tokens_are_counted_by_max_tokens_at_admission():
    clock = Clock()
    budget = limits(None, None, 6000, clock=clock)  # 100 output tokens a second, 500 deep
    cost = admission_cost(b'{"prompt": "\\n\\nHuman: hi\\n\\nAssistant:", "max_tokens_to_sample": 200}')
    assert cost == Cost(1, 3, 200)
    assert [budget.take(cost)[0] for _ in range(3)] == [True, True, False]
    allowed, headers, refused = budget.take(cost)
    assert refused == "output-tokens" and headers["retry-after"] == "1"  # 100 missing: 1 s
    assert headers["anthropic-ratelimit-output-tokens-remaining"] == "100"
    assert headers["anthropic-ratelimit-tokens-limit"] == "6000"  # the one token limit in force
    assert headers["anthropic-ratelimit-requests-limit"] == str(UNLIMITED)


def test_input_tokens_are_the_prompt_words_on_both_endpoints():
    assert admission_cost(b'{"messages": [{"role": "user", "content": "one two three"}], "max_tokens": 5}') \
        == Cost(1, 3, 5)
    assert admission_cost(b"not json") == Cost() and admission_cost(b"[1]") == Cost()
    budget = limits(None, 120, clock=Clock())  # 10 input tokens deep
    assert [budget.take(Cost(1, 4, 0))[0] for _ in range(3)] == [True, True, False]


def test_a_second_client_takes_its_share_of_every_refill():
    clock = Clock()
    budget = limits(600, clock=clock, other=0.5)
    while budget.take()[0]:
        pass
    clock.now += 1.0  # 10 requests' refill, half of it the other client's
    assert [budget.take()[0] for _ in range(6)] == [True] * 5 + [False]


def test_without_limits_the_headers_announce_no_limit_the_mock_would_enforce():
    budget = limits()
    results = [budget.take(Cost(1, 10_000, 10_000)) for _ in range(5000)]
    assert all(allowed for allowed, _, _ in results)
    headers = results[-1][1]
    for family in ("requests", "tokens", "input-tokens", "output-tokens"):
        assert int(headers[f"anthropic-ratelimit-{family}-limit"]) == UNLIMITED
        assert headers[f"anthropic-ratelimit-{family}-remaining"] == str(UNLIMITED)
        assert headers[f"anthropic-ratelimit-{family}-reset"] == "2027-01-15T08:00:00Z"  # nothing to wait for
    assert "retry-after" not in headers and budget.enforced_limit is None


@pytest.mark.parametrize("rpm", [None, 60])
def test_every_header_family_is_sent(rpm):
    headers = limits(rpm).take()[1]
    for family in ("requests", "tokens", "input-tokens", "output-tokens"):
        limit, remaining = (int(headers[f"anthropic-ratelimit-{family}-{part}"]) for part in ("limit", "remaining"))
        assert limit >= remaining >= 0 and headers[f"anthropic-ratelimit-{family}-reset"].endswith("Z")
    assert headers["anthropic-ratelimit-requests-limit"] == str(rpm or UNLIMITED)


def test_a_drained_bucket_refills_from_empty():
    clock = Clock()
    budget = limits(600, None, 6000, clock=clock)
    budget.drain()
    allowed, headers, refused = budget.take(Cost(1, 0, 10))
    assert not allowed and refused == "requests" and headers["anthropic-ratelimit-output-tokens-remaining"] == "0"
    clock.now += 0.1
    assert budget.take(Cost(1, 0, 10))[0]


def test_a_refill_restores_every_bucket():
    budget = limits(1, 10, 10)
    budget.take(Cost(1, 5, 5))
    budget.refill()
    assert budget.take(Cost(1, 5, 5))[0]


def test_rfc3339_rounds_up_to_the_second():
    assert rfc3339(1_800_000_000.2) == "2027-01-15T08:00:01Z"


def test_a_scripted_429_leaves_nothing_remaining_and_only_a_429_says_when_to_retry():
    headers = {"anthropic-ratelimit-requests-remaining": "7", "retry-after": "3",
               "anthropic-ratelimit-tokens-limit": "9"}
    assert limits_as_answered(headers, 429, scripted=True) == dict(
        headers, **{"anthropic-ratelimit-requests-remaining": "0"})
    assert limits_as_answered(headers, 429) == headers  # a real refusal's headers are the buckets' own
    assert limits_as_answered(headers, 200) == {"anthropic-ratelimit-requests-remaining": "7",
                                                "anthropic-ratelimit-tokens-limit": "9"}
    assert headers["anthropic-ratelimit-requests-remaining"] == "7"  # the caller's headers are left as they were
