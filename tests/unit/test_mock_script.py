"""Script queues (shared and per client) and the canned answers scripted actions make."""

from __future__ import annotations

import json

import pytest

from ant_mock.script import ScriptError, Scripts, canned_reply, is_canned, proxy_page


def test_a_client_plays_its_own_queue_before_the_shared_one():
    scripts = Scripts()
    scripts.add([{"status": 500}])
    scripts.add([{"status": 429}, {"status": 529}], client="a")
    assert [scripts.next_for("a")["status"] for _ in range(3)] == [429, 529, 500]
    assert scripts.next_for("a") == {} and scripts.next_for(None) == {}


def test_other_clients_never_see_a_clients_queue():
    scripts = Scripts()
    scripts.add([{"status": 429}], client="a")
    assert scripts.next_for("b") == {} and scripts.next_for(None) == {}
    assert scripts.pending() == {"shared": 0, "clients": {"a": 1}}


@pytest.mark.parametrize("actions", [[1], "x", [{"stauts": 429}], [{"status": 429, "colour": "red"}],
                                     [{"status": "429"}], [{"status": 99}], [{"delay": -1}], [{"delay": True}],
                                     [{"headers": ["a"]}], [{"events": 2.5}], [{"error": 5}]])
def test_a_script_the_mock_cannot_play_is_refused(actions):
    with pytest.raises(ScriptError):
        Scripts().add(actions)


@pytest.mark.parametrize("action, canned", [
    ({"status": 429}, True), ({"error": "api_error"}, True), ({"body": "x"}, True), ({"status": 200}, False),
    ({"headers": {"a": "b"}}, False), ({"delay": 1}, False), ({"events": 3}, False),
])
def test_which_actions_replace_the_answer(action, canned):
    assert is_canned(action) is canned


def test_a_scripted_status_gets_its_error_type_and_an_error_type_its_status():
    for action, status, error_type in [({"status": 529}, 529, "overloaded_error"),
                                       ({"error": "rate_limit_error"}, 429, "rate_limit_error"),
                                       ({"status": 408, "error": "timeout_error"}, 408, "timeout_error")]:
        reply = canned_reply(action, "req_1")
        assert (reply.status, json.loads(reply.body)["error"]["type"]) == (status, error_type)


def test_scripted_headers_replace_the_mocks_own_whatever_their_case():
    reply = canned_reply({"status": 429, "headers": {"Request-Id": "req_mine", "Retry-After": 3}}, "req_1")
    assert reply.headers["request-id"] == "req_mine" and reply.headers["retry-after"] == "3"


def test_a_text_body_keeps_its_content_type():
    reply = canned_reply({"status": 200, "body": "plain", "content_type": "text/csv"}, "req_1")
    assert (reply.body, reply.content_type) == (b"plain", "text/csv")


def test_a_proxy_page_is_html_without_a_request_id():
    page = proxy_page({"html": True, "status": 503})
    assert page.status == 503 and page.content_type == "text/html" and "request-id" not in page.headers
