"""A CA bundle variable naming a missing or unreadable file is a configuration error: exit 2, nothing sent."""

import pytest
import responses

from tests.helpers import BASIC, run_ant

URL = "https://api.anthropic.com/v1/complete"
VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")


@pytest.fixture(autouse=True)
def no_bundle_settings(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


@responses.activate
@pytest.mark.parametrize("variable", VARIABLES)
def test_a_missing_bundle_is_exit_2_at_once_naming_the_variable_and_path(variable, tmp_path):
    responses.post(URL, json={"completion": "never"})
    missing = tmp_path / "corp-ca.pem"
    result = run_ant(BASIC, env={variable: str(missing)})
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (f"ant: error: {variable} names a CA bundle that cannot be read: {missing}: "
                             "No such file or directory\n")
    assert len(responses.calls) == 0


@responses.activate
def test_the_bundle_that_would_be_used_is_the_one_checked(tmp_path):
    responses.post(URL, json={"type": "completion", "completion": " ok", "stop_reason": "max_tokens", "model": "m"})
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    result = run_ant(BASIC + ["--format", "text"],
                     env={"REQUESTS_CA_BUNDLE": str(bundle), "SSL_CERT_FILE": str(tmp_path / "unused.pem")})
    assert (result.code, result.stdout) == (0, " ok\n")
    assert responses.calls[0].request.req_kwargs["verify"] == str(bundle)


@responses.activate
def test_a_directory_of_certificates_is_accepted(tmp_path):
    responses.post(URL, json={"type": "completion", "completion": " ok", "stop_reason": "max_tokens", "model": "m"})
    assert run_ant(BASIC, env={"SSL_CERT_FILE": str(tmp_path)}).code == 0


def test_a_dry_run_sends_nothing_so_needs_no_bundle(tmp_path):
    result = run_ant(BASIC + ["--dry-run"], env={"REQUESTS_CA_BUNDLE": str(tmp_path / "missing.pem")})
    assert result.code == 0


@responses.activate
@pytest.mark.parametrize("content", [b"", b"not a certificate\n"])
def test_a_bundle_without_a_certificate_is_exit_2_too(content, tmp_path):
    responses.post(URL, json={"completion": "never"})
    bundle = tmp_path / "empty.pem"
    bundle.write_bytes(content)
    result = run_ant(BASIC, env={"SSL_CERT_FILE": str(bundle)})
    assert result.code == 2
    assert result.stderr == f"ant: error: SSL_CERT_FILE names a CA bundle that holds no PEM certificate: {bundle}\n"
    assert len(responses.calls) == 0
