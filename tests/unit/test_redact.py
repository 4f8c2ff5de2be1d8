"""Unit tests of redaction: a credential never reaches a printed line, whatever carries it."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from ant_cli.core.environment import Environment
from ant_cli.core.redact import REDACTED, redact_headers, redact_text, register_secret

# Secrets are remembered for the whole process, so each test registers values of its own.


def test_credential_headers_are_masked_whatever_their_case_and_others_are_kept():
    headers = {"X-Api-Key": "sk-ant-a", "Proxy-Authorization": "Basic dXNlcjpwdw==", "cookie": "session=1",
               "content-type": "application/json", "anthropic-beta": "pdfs-2024-09-25"}
    assert redact_headers(headers) == {"X-Api-Key": REDACTED, "Proxy-Authorization": REDACTED, "cookie": REDACTED,
                                       "content-type": "application/json", "anthropic-beta": "pdfs-2024-09-25"}
    assert headers["X-Api-Key"] == "sk-ant-a"  # a copy is masked, not the headers that are sent


def test_the_bearer_scheme_is_kept_and_only_the_token_masked():
    assert redact_headers({"authorization": "Bearer tok-123456"}) == {"authorization": f"Bearer {REDACTED}"}
    assert redact_headers({"Authorization": "tok-without-scheme"}) == {"Authorization": REDACTED}


def test_a_registered_secret_is_masked_everywhere_in_a_line():
    register_secret("sk-ant-redact-one")
    line = "sent sk-ant-redact-one, then sk-ant-redact-one again"
    assert redact_text(line) == f"sent {REDACTED}, then {REDACTED} again"


def test_text_without_a_secret_is_unchanged():
    register_secret("sk-ant-redact-two")
    assert redact_text("nothing to hide: sk-ant-redact-tw") == "nothing to hide: sk-ant-redact-tw"


def test_empty_and_very_short_values_are_not_masked():
    """A three-letter key would mask every word that contains it; such values are left alone."""
    register_secret(None)
    register_secret("")
    register_secret("k9z")
    assert redact_text("k9z stays") == "k9z stays"


def test_stderr_talk_is_redacted():
    register_secret("tok-redact-three")
    stderr = io.BytesIO()
    Environment(None, None, stderr).say("ant: warning: token tok-redact-three was refused")
    assert stderr.getvalue() == f"ant: warning: token {REDACTED} was refused\n".encode()


@given(st.text(max_size=30), st.text(), st.text())
def test_any_registered_secret_never_survives(tail, before, after):
    secret = "sk-ant-hypothesis-" + tail  # a prefix no other test prints: the secrets outlive this test
    register_secret(secret)
    assert secret not in redact_text(before + secret + after + secret)
