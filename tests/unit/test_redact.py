"""Unit tests of redaction: a credential never reaches a printed line, whatever carries it."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from ant_cli.core.environment import Environment
from ant_cli.core.redact import REDACTED, Redactor, redact_headers
from ant_cli.core.types import Settings


def test_credential_headers_are_masked_whatever_their_case_and_others_are_kept():
    headers = {"X-Api-Key": "sk-ant-a", "Proxy-Authorization": "Basic dXNlcjpwdw==", "cookie": "session=1",
               "content-type": "application/json", "anthropic-beta": "pdfs-2024-09-25"}
    assert redact_headers(headers) == {"X-Api-Key": REDACTED, "Proxy-Authorization": REDACTED, "cookie": REDACTED,
                                       "content-type": "application/json", "anthropic-beta": "pdfs-2024-09-25"}
    assert headers["X-Api-Key"] == "sk-ant-a"  # a copy is masked, not the headers that are sent


def test_the_bearer_scheme_is_kept_and_only_the_token_masked():
    assert redact_headers({"authorization": "Bearer tok-123456"}) == {"authorization": f"Bearer {REDACTED}"}
    assert redact_headers({"Authorization": "tok-without-scheme"}) == {"Authorization": REDACTED}


def test_a_secret_is_masked_everywhere_in_a_line_and_in_bytes():
    redactor = Redactor.of("sk-ant-redact-one")
    line = "sent sk-ant-redact-one, then sk-ant-redact-one again"
    assert redactor.text(line) == f"sent {REDACTED}, then {REDACTED} again"
    assert redactor.data(line.encode()) == f"sent {REDACTED}, then {REDACTED} again".encode()


def test_text_without_a_secret_is_unchanged():
    redactor = Redactor.of("sk-ant-redact-two")
    assert redactor.text("nothing to hide: sk-ant-redact-tw") == "nothing to hide: sk-ant-redact-tw"


def test_empty_and_short_values_are_not_masked():
    """A placeholder key such as "test" would mask every word that contains it; such values are left alone."""
    assert Redactor.of(None, "", "k9z", "test").text("k9z stays; run the test suite") == "k9z stays; run the test suite"
    assert Redactor.of("sk-ant-0123").secrets == () and Redactor.of("sk-ant-01234").secrets == ("sk-ant-01234",)


def test_each_run_masks_its_own_credentials_only():
    """A value, not a process-wide registry: one run's key is nothing to another run's redactor."""
    assert Redactor.of("sk-ant-run-two").text("sk-ant-run-one") == "sk-ant-run-one"
    assert Redactor().text("sk-ant-run-one") == "sk-ant-run-one"


def test_stderr_talk_and_stdout_data_are_redacted():
    stderr, stdout = io.BytesIO(), io.BytesIO()
    env = Environment(None, stdout, stderr, redactor=Redactor.of("tok-redact-three"))
    env.say("ant: warning: token tok-redact-three was refused")
    env.write_out(b'{"completion": "your token is tok-redact-three"}\n')
    assert stderr.getvalue() == f"ant: warning: token {REDACTED} was refused\n".encode()
    assert stdout.getvalue() == f'{{"completion": "your token is {REDACTED}"}}\n'.encode()


@given(st.text(max_size=30), st.text(), st.text())
def test_any_secret_never_survives(tail, before, after):
    secret = "sk-ant-hypothesis-" + tail
    redactor = Redactor.of(secret)
    assert secret not in redactor.text(before + secret + after + secret)
    if secret.isascii():
        assert secret.encode() not in redactor.data((before + secret + after).encode("utf-8", "surrogatepass"))


def test_the_password_of_a_base_url_is_masked_with_its_user():
    redactor = Redactor.for_settings(Settings(base_url="http://bob:hunter2pass@127.0.0.1:1/v1"))
    shown = redactor.text("connection refused by bob:hunter2pass@127.0.0.1:1")
    assert shown == f"connection refused by {REDACTED}@127.0.0.1:1"
    assert Redactor.for_settings(Settings(base_url="http://127.0.0.1:1")).secrets == ()
    assert Redactor.for_settings(Settings(base_url="http://only-a-user-name@host")).secrets == ()
