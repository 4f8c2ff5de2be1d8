"""The mock API as the real one behaves: header and body checks, error envelope, request-id."""

import json
import urllib.error
import urllib.request

import pytest

from tests.helpers import KEY, MODEL, PROMPT

GOOD = {"model": MODEL, "max_tokens_to_sample": 10, "prompt": PROMPT}
HEADERS = {"x-api-key": KEY, "anthropic-version": "2023-06-01", "content-type": "application/json"}


def post(server, body, headers=HEADERS, path="/v1/complete"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(server.url + path, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_completion_shape_and_request_id(mock_api):
    status, headers, body = post(mock_api, GOOD)
    document = json.loads(body)
    assert status == 200 and headers["request-id"].startswith("req_01")
    assert set(document) == {"id", "type", "completion", "stop_reason", "model"}
    assert document["id"].startswith("compl_01") and document["type"] == "completion"


@pytest.mark.parametrize("headers, status, message", [
    ({"anthropic-version": "2023-06-01"}, 401, "x-api-key header is required"),
    (dict(HEADERS, **{"x-api-key": "wrong"}), 401, "invalid x-api-key"),
    ({"x-api-key": KEY}, 400, "anthropic-version: header is required"),
])
def test_header_checks(mock_api, headers, status, message):
    code, response_headers, body = post(mock_api, GOOD, headers)
    document = json.loads(body)
    assert code == status and document["type"] == "error" and document["error"]["message"] == message
    assert document["request_id"] == response_headers["request-id"]


@pytest.mark.parametrize("change, status, fragment", [
    ({"temperature": 2}, 400, "temperature"),
    ({"top_k": -1}, 400, "top_k"),
    ({"max_tokens_to_sample": 0}, 400, "max_tokens_to_sample"),
    ({"prompt": "Hello"}, 400, "must start with"),
    ({"prompt": "\n\nHuman: hi"}, 400, "must end with"),
    ({"model": "claude-unknown"}, 404, "model: claude-unknown"),
    ({"metadata": {"user_id": "x" * 257}}, 400, "user_id"),
])
def test_body_checks(mock_api, change, status, fragment):
    code, _, body = post(mock_api, dict(GOOD, **change))
    assert code == status and fragment in json.loads(body)["error"]["message"]


def test_invalid_json_body(mock_api):
    code, _, body = post(mock_api, b"{nope")
    assert code == 400 and "not valid JSON" in json.loads(body)["error"]["message"]


def test_stop_sequences_and_max_tokens_shape_the_reply(mock_api):
    _, _, body = post(mock_api, dict(GOOD, max_tokens_to_sample=2))
    assert json.loads(body) | {"id": 0} == {"id": 0, "type": "completion", "completion": " Hello! You",
                                            "stop_reason": "max_tokens", "model": MODEL}
    _, _, body = post(mock_api, dict(GOOD, stop_sequences=["said"]))
    assert json.loads(body)["completion"] == " Hello! You "


def test_scripted_faults_are_played_in_order(mock_api):
    mock_api.script({"status": 429, "headers": {"retry-after": "3"}}, {"error": "overloaded_error"})
    code, headers, body = post(mock_api, GOOD)
    assert code == 429 and headers["retry-after"] == "3"
    code, _, body = post(mock_api, GOOD)
    assert code == 529 and json.loads(body)["error"]["type"] == "overloaded_error"
    assert post(mock_api, GOOD)[0] == 200
    assert len(mock_api.requests) == 3


def test_script_over_http(mock_api):
    assert post(mock_api, [{"status": 503}], path="/_mock/script")[0] == 200
    assert post(mock_api, GOOD)[0] == 503
