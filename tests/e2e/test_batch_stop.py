"""A batch stops sending at once after the first answer that would fail every line (401, 403, 404): the mock
counts the requests. A test's mock is its own, so its shared script queue is the test's alone (a batch has no
way to tag its requests for the mock's per-client queues)."""

from __future__ import annotations

import pytest

from tests.e2e.test_batch import batch, prompts, results


def test_with_one_worker_nothing_is_sent_after_a_401(mock_api):
    mock_api.script(*[{}] * 6, {"status": 401})
    result = batch(mock_api, "--parallel", "1", input=prompts(20))
    assert result.returncode == 4, result.stderr
    assert mock_api.stats["requests"] == 7  # the six that succeeded and the refused seventh; no eighth
    assert [item["result"]["type"] for item in results(result.stdout)] == ["succeeded"] * 6 + ["errored"]


@pytest.mark.parametrize("status", [401, 403, 404])
def test_with_several_workers_only_the_requests_already_in_flight_are_answered(mock_api, status):
    mock_api.script({"status": status}, {"delay": 1}, {"delay": 1}, {"delay": 1})
    result = batch(mock_api, "--parallel", "4", input=prompts(40))
    assert result.returncode == 4, result.stderr
    assert mock_api.stats["requests"] <= 4  # the refused one and at most the three in flight beside it
    assert "ant: error: the batch stopped" in result.stderr
