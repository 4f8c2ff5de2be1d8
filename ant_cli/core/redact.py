"""Keeps credentials out of every line the tool prints: registered secrets are masked wherever they appear."""

from __future__ import annotations

REDACTED = "<redacted>"
_SECRETS: set[str] = set()
SECRET_HEADERS = ("x-api-key", "authorization", "proxy-authorization", "cookie")


def register_secret(value: str | None) -> None:
    """Remember a credential so that redact_text can mask it (short values are too common to mask)."""
    if value and len(value) >= 4:
        _SECRETS.add(value)


def redact_text(text: str) -> str:
    for secret in _SECRETS:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_headers(headers: dict) -> dict:
    """A copy of headers with credential values masked (keeps the Bearer scheme word)."""
    clean = {}
    for name, value in headers.items():
        if name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] + " " if name.lower() == "authorization" and " " in value else ""
            value = scheme + REDACTED
        clean[name] = value
    return clean
