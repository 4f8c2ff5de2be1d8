"""A batch's lean HTTP session end to end: TLS verified as requests verifies it, and a proxy honoured."""

from __future__ import annotations

import json

from tests.e2e.test_batch import DEFAULTS, ids, prompts
from tests.e2e.test_reliability import ConnectProxy, certificate, tls_api  # noqa: F401 - fixtures used below
from tests.helpers import run_installed

NO_BUNDLES = {name: None for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")}


def tls_batch(server, env: dict, count: int = 3):
    return run_installed(["completions", "batch", *DEFAULTS, "--base-url", server.url, "--max-retries", "0"],
                         input=prompts(count), env=dict(NO_BUNDLES, **env))


def test_a_batch_over_https_trusts_the_chosen_bundle_and_reuses_its_connections(tls_api, certificate):  # noqa: F811
    result = tls_batch(tls_api, {"SSL_CERT_FILE": certificate[0]}, count=20)
    assert result.returncode == 0, result.stderr
    assert ids(result.stdout) == [f"q-{n}" for n in range(1, 21)]
    assert tls_api.stats["connections"] < 20  # kept alive, not one connection per line


def test_a_batch_over_https_refuses_an_untrusted_certificate(tls_api):  # noqa: F811
    result = tls_batch(tls_api, {})
    assert result.returncode == 3
    assert "TLS failure talking to 127.0.0.1:" in result.stderr and "CERTIFICATE_VERIFY_FAILED" in result.stderr
    error = json.loads(result.stdout.splitlines()[0])["result"]["error"]["error"]
    assert error["type"] == "connection_error"


def test_a_batch_goes_through_the_proxy_the_environment_names(tls_api, certificate):  # noqa: F811
    proxy = ConnectProxy()
    try:
        result = tls_batch(tls_api, {"HTTPS_PROXY": proxy.url, "NO_PROXY": "", "no_proxy": None,
                                     "REQUESTS_CA_BUNDLE": certificate[0]})
    finally:
        proxy.close()
    assert result.returncode == 0, result.stderr
    assert proxy.targets and set(proxy.targets) == {("CONNECT", tls_api.url.split("//", 1)[1])}
