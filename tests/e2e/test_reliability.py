"""Reliability, proven by fault injection: the installed `ant` against the mock API's scripted faults."""

import json
import shutil
import subprocess

import pytest

from ant_cli.mockserver import MockServer
from tests.helpers import BASIC, KEY, assert_no_traceback, run_installed

FAST = {"retry-after-ms": "10"}  # keeps retried tests quick without touching the backoff rule


def ant(mock_api, *extra, **kwargs):
    return run_installed(["--base-url", mock_api.url, "--format", "text"] + BASIC + list(extra), **kwargs)


def gaps(mock_api):
    times = [entry["time"] for entry in mock_api.requests]
    return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]


def test_retry_after_is_honoured(mock_api):
    mock_api.script({"status": 429, "error": "rate_limit_error", "headers": {"retry-after": "1"}})
    result = ant(mock_api)
    assert result.returncode == 0 and result.stdout.startswith(" Hello!")
    assert 0.9 <= gaps(mock_api)[0] < 1.6
    assert "429 rate_limit_error; retrying in 1.0s (attempt 2 of 3)" in result.stderr


def test_retry_after_as_an_http_date_is_honoured(mock_api):
    """The retry comes at the date (whole seconds), measured on the clock the date is on, not from the start
    of `ant`, which takes longer under coverage."""
    import email.utils
    import time

    date = email.utils.formatdate(time.time() + 5, usegmt=True)
    mock_api.script({"status": 529, "headers": {"retry-after": date}})
    result = ant(mock_api)
    assert result.returncode == 0
    refused, retried = (entry["time"] for entry in mock_api.requests)
    due = email.utils.parsedate_to_datetime(date).timestamp()
    assert refused < due - 1, "ant started too late for the date to differ from the 0.5 s backoff"
    assert due - 0.2 <= retried < due + 1.0


def test_retry_after_ms_is_honoured(mock_api):
    mock_api.script({"status": 503, "headers": {"retry-after-ms": "600"}})
    assert ant(mock_api).returncode == 0
    assert 0.55 <= gaps(mock_api)[0] < 1.2


def test_a_hint_over_sixty_seconds_is_not_obeyed(mock_api):
    mock_api.script({"status": 429, "error": "rate_limit_error", "headers": {"retry-after": "120"}})
    result = ant(mock_api)
    assert result.returncode == 0
    assert gaps(mock_api)[0] < 1.0  # exponential backoff (0.375-0.5 s), not two minutes


def test_x_should_retry_true_retries_a_400(mock_api):
    retry = dict(FAST, **{"x-should-retry": "true"})
    mock_api.script({"status": 400, "error": "invalid_request_error", "headers": retry})
    result = ant(mock_api)
    assert result.returncode == 0 and len(mock_api.requests) == 2


def test_x_should_retry_false_stops_a_529(mock_api):
    mock_api.script({"error": "overloaded_error", "headers": {"x-should-retry": "false"}})
    result = ant(mock_api)
    assert result.returncode == 5 and len(mock_api.requests) == 1
    assert "retrying" not in result.stderr


def test_other_4xx_are_not_retried(mock_api):
    mock_api.script({"error": "permission_error"})
    result = ant(mock_api)
    assert result.returncode == 4 and len(mock_api.requests) == 1


@pytest.mark.parametrize("fault, status", [
    ({"error": "rate_limit_error", "headers": FAST}, 6),
    ({"error": "overloaded_error", "headers": FAST}, 5),
    ({"error": "api_error", "headers": FAST}, 5),
    ({"status": 408, "error": "timeout_error", "headers": FAST}, 4),
    ({"status": 409, "error": "conflict_error", "headers": FAST}, 4),
    ({"reset": True}, 3),
    ({"html": True, "status": 502, "headers": FAST}, 5),
])
def test_exhausted_retries_end_with_the_final_failures_status(mock_api, fault, status):
    mock_api.script(fault, fault, fault)
    result = ant(mock_api)
    assert result.returncode == status
    assert len(mock_api.requests) == 3
    assert result.stdout == ""
    assert result.stderr.count("retrying in") == 2 and result.stderr.count("ant: error:") == 1
    assert_no_traceback(result.stderr)
    counts = [entry["headers"]["x-stainless-retry-count"] for entry in mock_api.requests]
    assert counts == ["0", "1", "2"]


def test_max_retries_zero_makes_one_attempt(mock_api):
    mock_api.script({"error": "overloaded_error"})
    result = ant(mock_api, "--max-retries", "0")
    assert result.returncode == 5 and len(mock_api.requests) == 1


def test_max_retries_five(mock_api):
    mock_api.script(*[{"error": "api_error", "headers": FAST}] * 5)
    result = ant(mock_api, "--max-retries", "5")
    assert result.returncode == 0 and len(mock_api.requests) == 6
    assert "(attempt 6 of 6)" in result.stderr


def test_quiet_silences_retry_notices_but_not_errors(mock_api):
    mock_api.script(*[{"error": "api_error", "headers": FAST}] * 3)
    result = ant(mock_api, "--quiet")
    assert result.returncode == 5
    assert result.stderr.startswith("ant: error: 500 api_error") and result.stderr.count("\n") == 1


def test_reset_then_success(mock_api):
    mock_api.script({"reset": True})
    result = ant(mock_api)
    assert result.returncode == 0 and result.stdout.startswith(" Hello!")
    assert "connection" in result.stderr and "retrying" in result.stderr


def test_truncated_body_is_a_network_failure(mock_api):
    mock_api.script({"truncate": True}, {"truncate": True})
    result = ant(mock_api, "--max-retries", "1")
    assert result.returncode == 3
    assert "dropped before the whole response arrived" in result.stderr


def test_html_page_is_described_in_one_line(mock_api):
    mock_api.script({"html": True, "status": 502})
    result = ant(mock_api, "--max-retries", "0")
    assert result.returncode == 5
    assert result.stderr.startswith("ant: error: 502 Bad Gateway: the server sent a non-JSON text/html body")
    assert "<html>" not in result.stderr


def test_timeout_exits_3_and_says_after_how_long(mock_api):
    mock_api.script({"delay": 5})
    result = ant(mock_api, "--timeout", "0.5", "--max-retries", "0")
    assert result.returncode == 3
    assert "timed out after 0.5s waiting for the response" in result.stderr


def test_timeout_is_retried(mock_api):
    mock_api.script({"delay": 3})
    result = ant(mock_api, "--timeout", "0.5")
    assert result.returncode == 0 and "timed out" in result.stderr


def test_stream_broken_before_any_event_is_sent_again(mock_api):
    mock_api.script({"events": 5, "cut_after": 0})
    result = ant(mock_api, "--stream")
    assert result.returncode == 0 and result.stdout == " Hello! You said: Hello there\n"
    assert len(mock_api.requests) == 2


def test_stream_broken_after_output_is_not_sent_again(mock_api):
    mock_api.script({"events": 5, "chunk": " w", "cut_after": 2})
    result = ant(mock_api, "--stream")
    assert result.returncode == 3 and result.stdout == " w w\n" and len(mock_api.requests) == 1


def test_stream_stalled_mid_way_times_out(mock_api):
    mock_api.script({"events": 5, "chunk": " w", "stall_after": 2})
    result = ant(mock_api, "--stream", "--timeout", "0.5")
    assert result.returncode == 3 and result.stdout == " w w\n"
    assert "timed out" in result.stderr


def test_debug_logs_each_attempt_with_the_key_redacted(mock_api):
    mock_api.script({"error": "overloaded_error", "headers": FAST})
    result = ant(mock_api, "--debug")
    assert result.returncode == 0
    assert KEY not in result.stderr + result.stdout
    assert result.stderr.count("ant: debug: > POST ") == 2
    assert "ant: debug: > x-api-key: <redacted>" in result.stderr
    assert "ant: debug: < 529 " in result.stderr and "ant: debug: < 200 OK" in result.stderr
    assert '"prompt": "\\n\\nHuman: Hello there\\n\\nAssistant:"' in result.stderr
    assert result.stdout == " Hello! You said: Hello there\n"  # stdout exactly as without --debug


def test_debug_shows_stream_events_as_they_arrive(mock_api):
    result = ant(mock_api, "--debug", "--stream")
    assert result.returncode == 0 and "ant: debug: < event: completion data: {" in result.stderr
    assert "ant: debug: < event: ping" in result.stderr


def test_bearer_token_is_redacted_in_debug(mock_api):
    result = ant(mock_api, "--debug", env={"ANTHROPIC_API_KEY": "", "ANTHROPIC_AUTH_TOKEN": KEY})
    assert result.returncode == 0
    assert KEY not in result.stderr and "authorization: Bearer <redacted>" in result.stderr


def test_key_never_appears_in_error_output(mock_api):
    wrong = "sk-recognisable-wrong-key-4242"
    for extra in ([], ["--format-error", "json"], ["--debug"], ["--format-error", "yaml", "--debug"]):
        result = ant(mock_api, *extra, env={"ANTHROPIC_API_KEY": wrong})
        assert result.returncode == 4
        assert wrong not in result.stderr + result.stdout


def test_http_proxy_from_the_environment_is_used(mock_api):
    result = run_installed(["--base-url", "http://api.example.invalid", "--format", "text"] + BASIC,
                           env={"HTTP_PROXY": mock_api.url, "NO_PROXY": ""})
    assert result.returncode == 0, result.stderr
    assert mock_api.requests[0]["proxied"] and mock_api.requests[0]["path"].startswith("http://api.example.invalid/")


def test_no_proxy_bypasses_the_proxy(mock_api, unused_port):
    result = run_installed(["--base-url", mock_api.url, "--format", "text"] + BASIC,
                           env={"HTTP_PROXY": f"http://127.0.0.1:{unused_port}", "NO_PROXY": "127.0.0.1"})
    assert result.returncode == 0, result.stderr
    assert not mock_api.requests[0]["proxied"]


def test_unknown_host_is_a_one_line_network_error():
    result = run_installed(["--base-url", "http://no-such-host.invalid", "--max-retries", "0"] + BASIC)
    assert result.returncode == 3
    assert result.stderr == "ant: error: cannot resolve host 'no-such-host.invalid'\n"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return str(cert), str(key)


@pytest.fixture
def tls_api(certificate):
    with MockServer(api_key=KEY, tls=certificate) as server:
        yield server


def test_untrusted_certificate_is_a_tls_failure(tls_api):
    result = run_installed(["--base-url", tls_api.url, "--max-retries", "0"] + BASIC,
                           env={"REQUESTS_CA_BUNDLE": None, "CURL_CA_BUNDLE": None, "SSL_CERT_FILE": None})
    assert result.returncode == 3
    assert result.stderr.startswith("ant: error: TLS failure talking to 127.0.0.1:")
    assert "CERTIFICATE_VERIFY_FAILED" in result.stderr and result.stderr.count("\n") == 1


class ConnectProxy:
    """A minimal HTTPS proxy on 127.0.0.1: answers CONNECT and relays bytes both ways."""

    def __init__(self):
        import socket
        import threading

        self.targets = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client):
        import socket

        head = b""
        while b"\r\n\r\n" not in head:
            data = client.recv(4096)
            if not data:  # the client hung up before finishing its request
                client.close()
                return
            head += data
        method, target = head.split(b" ")[:2]
        self.targets.append((method.decode(), target.decode()))
        host, port = target.decode().rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self._relay(client, upstream)

    @staticmethod
    def _relay(one, other):
        import select

        sockets = [one, other]
        while True:
            ready, _, _ = select.select(sockets, [], [], 10)
            if not ready:
                break
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    one.close()
                    other.close()
                    return
                (other if sock is one else one).sendall(data)

    def close(self):
        self.listener.close()


def test_https_proxy_from_the_environment_is_used(tls_api, certificate):
    proxy = ConnectProxy()
    try:
        result = run_installed(["--base-url", tls_api.url, "--format", "text"] + BASIC,
                               env={"HTTPS_PROXY": proxy.url, "NO_PROXY": "", "no_proxy": None,
                                    "REQUESTS_CA_BUNDLE": certificate[0]})
    finally:
        proxy.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(" Hello!")
    assert proxy.targets == [("CONNECT", tls_api.url.split("//", 1)[1])]


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"])
def test_custom_ca_bundle_is_trusted(tls_api, certificate, variable):
    others = {name: None for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")}
    result = run_installed(["--base-url", tls_api.url, "--format", "jsonl"] + BASIC,
                           env=dict(others, **{variable: certificate[0]}))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["type"] == "completion"
