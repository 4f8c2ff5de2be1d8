"""Keeps credentials out of everything the tool writes: a Redactor masks the run's secrets wherever they appear.

The Redactor is a value, built once at the entry point from the run's Settings and carried by the
Environment, whose writes pass through it; the batch's results file is written through it too.
"""

from __future__ import annotations

from typing import NamedTuple

REDACTED = "<redacted>"
SECRET_HEADERS = ("x-api-key", "authorization", "proxy-authorization", "cookie")
# A shorter value (a placeholder key such as "test" behind a gateway) is too common a string to mask: it would
# rewrite ordinary words of a completion. Real keys and tokens are far longer.
SHORTEST_SECRET = 12


class Redactor(NamedTuple):
    """The credentials of one run; `text` and `data` mask them."""

    secrets: tuple[str, ...] = ()

    @classmethod
    def of(cls, *values: str | None) -> "Redactor":
        return cls(tuple(value for value in values if value and len(value) >= SHORTEST_SECRET))

    @classmethod
    def for_settings(cls, settings) -> "Redactor":
        """The run's key, token, and the `user:password` a --base-url may carry."""
        return cls.of(settings.api_key, settings.auth_token, url_userinfo(settings.base_url))

    def text(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def data(self, data: bytes) -> bytes:
        """UTF-8 (or JSON) bytes with every secret masked; credentials are ASCII, so bytes match bytes."""
        for secret in self.secrets:
            raw = secret.encode("ascii", "ignore")
            if raw in data:
                data = data.replace(raw, REDACTED.encode())
        return data


def redact_headers(headers: dict) -> dict:
    """A copy of headers with credential values masked (keeps the Bearer scheme word)."""
    clean = {}
    for name, value in headers.items():
        if name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] + " " if name.lower() == "authorization" and " " in value else ""
            value = scheme + REDACTED
        clean[name] = value
    return clean


def url_userinfo(url: str | None) -> str | None:
    """The `user:password` of a URL that has a password (printed with the URL in errors and the debug log)."""
    if not url or "@" not in url:
        return None
    netloc = url.split("//", 1)[-1].split("/", 1)[0]
    userinfo = netloc.rpartition("@")[0]
    return userinfo if ":" in userinfo else None
