"""Unit tests of the retry policy (the official Python SDK's): what is retried and how long to wait."""

import email.utils

import pytest

from ant_cli.client.retry import backoff_delay, hinted_delay, retry_delay, should_retry_status


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 529])
def test_transient_statuses_are_retried(status):
    assert should_retry_status(status, {})


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422])
def test_other_client_errors_are_not_retried(status):
    assert not should_retry_status(status, {})


def test_x_should_retry_overrides_both_ways():
    assert should_retry_status(400, {"x-should-retry": "true"})
    assert not should_retry_status(529, {"x-should-retry": "false"})


@pytest.mark.parametrize("headers, expected", [
    ({"retry-after": "20"}, 20.0),
    ({"retry-after": "60"}, 60.0),
    ({"retry-after": "0.25"}, 0.25),
    ({"retry-after-ms": "1500"}, 1.5),
    ({"retry-after-ms": "100", "retry-after": "30"}, 0.1),
])
def test_hints_between_zero_and_sixty_seconds_are_obeyed(headers, expected):
    assert retry_delay(headers, 0, rand=0) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["61", "0", "-10", "", "soon", "1e9"])
def test_other_hints_fall_back_to_backoff(value):
    assert retry_delay({"retry-after": value}, 0, rand=0) == pytest.approx(0.5)


def test_http_date_hints():
    now = 1_000_000.0
    date = email.utils.formatdate(now + 20, usegmt=True)
    assert hinted_delay({"retry-after": date}, now=now) == pytest.approx(20, abs=1)
    assert retry_delay({"retry-after": email.utils.formatdate(now + 120, usegmt=True)}, 1, now=now,
                       rand=0) == pytest.approx(1.0)


@pytest.mark.parametrize("retries, low, high", [(0, 0.375, 0.5), (1, 0.75, 1.0), (2, 1.5, 2.0), (3, 3.0, 4.0),
                                                (4, 6.0, 8.0), (10, 6.0, 8.0), (5000, 6.0, 8.0)])
def test_backoff_doubles_with_jitter_and_a_cap(retries, low, high):
    assert backoff_delay(retries, rand=0) == pytest.approx(high)
    assert backoff_delay(retries, rand=1) == pytest.approx(low)
    assert low <= backoff_delay(retries) <= high
