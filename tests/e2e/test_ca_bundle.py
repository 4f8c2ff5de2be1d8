"""The installed `ant` with a CA bundle variable naming a missing file: exit 2 at once, no retry notice."""

from tests.helpers import BASIC, run_installed


def test_missing_bundle_fails_before_connecting_and_is_not_retried(unused_port, tmp_path):
    missing = tmp_path / "no-such-ca.pem"
    result = run_installed(["--base-url", f"https://127.0.0.1:{unused_port}", "--max-retries", "5"] + BASIC,
                           env={"REQUESTS_CA_BUNDLE": str(missing), "CURL_CA_BUNDLE": None, "SSL_CERT_FILE": None})
    assert result.returncode == 2, result.stderr
    # the whole of stderr: no retry notice, so no attempt was made (five would take 15 s of backoff)
    assert result.stderr == (f"ant: error: REQUESTS_CA_BUNDLE names a CA bundle that cannot be read: {missing}: "
                             "No such file or directory\n")
