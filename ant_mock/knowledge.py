"""What the mock knows about the API, kept apart from the CLI's own catalogue on purpose.

A mistake in the CLI's model or beta list must show up as a failing test, so nothing here is imported from
the CLI. The mock emulates `/v1/complete` in its last working state (2024-03 .. 2025-07): `claude-2.0` and
`claude-2.1` answer, Claude 3 and later models are refused as "use the Messages API", anything else is unknown.
Today's `/v1/messages` models are in `catalogue`. Shared by both: versions, betas, error types and messages.
"""

from __future__ import annotations

import re

SERVED_MODELS = ("claude-2.0", "claude-2.1")

# Claude 3 and later, in both namings: `claude-3-opus-20240229`, `claude-3-5-sonnet-latest` and the newer
# family-first ids such as `claude-opus-4-8`, `claude-sonnet-4-5-20250929`, `claude-mythos-preview`.
_NUMBERED_ERA = re.compile(r"claude-(\d+)(?:[-.]|$)")
_FAMILY_FIRST = re.compile(r"claude-(opus|sonnet|haiku|mythos)(?:-|$)")

# The Messages-era catalogue the mock recognises for `--help`; the rules above decide, not this list.
MESSAGES_ERA_EXAMPLES = (
    "claude-3-haiku-20240307", "claude-3-opus-20240229", "claude-3-5-sonnet-20241022", "claude-3-7-sonnet-20250219",
    "claude-sonnet-4-5", "claude-opus-4-8", "claude-haiku-4-5", "claude-mythos-preview",
)

VALID_VERSIONS = ("2023-01-01", "2023-06-01")

KNOWN_BETAS = frozenset({
    "tools-2024-04-04", "tools-2024-05-16", "max-tokens-3-5-sonnet-2024-07-15",
    "message-batches-2024-09-24", "prompt-caching-2024-07-31", "computer-use-2024-10-22", "computer-use-2025-01-24",
    "pdfs-2024-09-25", "token-counting-2024-11-01", "token-efficient-tools-2025-02-19", "output-128k-2025-02-19",
    "files-api-2025-04-14", "mcp-client-2025-04-04", "mcp-client-2025-11-20", "dev-full-thinking-2025-05-14",
    "interleaved-thinking-2025-05-14", "code-execution-2025-05-22", "extended-cache-ttl-2025-04-11",
    "context-1m-2025-08-07", "context-management-2025-06-27", "model-context-window-exceeded-2025-08-26",
    "skills-2025-10-02", "fast-mode-2026-02-01", "output-300k-2026-03-24", "user-profiles-2026-03-24",
    "advisor-tool-2026-03-01", "managed-agents-2026-04-01", "cache-diagnosis-2026-04-07",
    "thinking-token-count-2026-05-13",
})

ERROR_STATUS = {
    "invalid_request_error": 400, "authentication_error": 401, "billing_error": 402,
    "permission_error": 403, "not_found_error": 404, "conflict_error": 409, "request_too_large": 413,
    "rate_limit_error": 429, "api_error": 500, "timeout_error": 504, "overloaded_error": 529,
}
STATUS_TYPE = {status: error_type for error_type, status in ERROR_STATUS.items()}

# A scripted error says what the API says for its type unless the script gives a message.
ERROR_MESSAGES = {
    "invalid_request_error": "Invalid request", "authentication_error": "invalid x-api-key",
    "billing_error": "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing "
                     "to upgrade or purchase credits.",
    "permission_error": "Your API key does not have permission to use the specified resource.",
    "not_found_error": "Not Found", "conflict_error": "Conflict",
    "request_too_large": "Request exceeds the maximum size",
    "api_error": "Internal server error", "timeout_error": "Request timed out", "overloaded_error": "Overloaded",
}
ORGANIZATION_ID = "mock-org"

# Cloudflare refuses bodies over 32 MB before the API sees them; MB or MiB is not known, the smaller is used.
MAX_BODY_BYTES = 32_000_000
TOO_LARGE_BODY = b'{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}'


def is_messages_era(model: str) -> bool:
    """A Claude 3 or later id: refused by the Text Completions endpoint, which points to the Messages API."""
    numbered = _NUMBERED_ERA.match(model)
    if numbered:
        return int(numbered.group(1)) >= 3
    return _FAMILY_FIRST.match(model) is not None


def rate_limit_message(limit: int | None = None, unit: str = "requests") -> str:
    """The API's 429 text; it names the limit only when the mock enforces one (--rpm, --input-tpm, --output-tpm)."""
    per_minute = f" of {limit:,} {unit} per minute" if limit else ""
    return (f"This request would exceed the rate limit for your organization ({ORGANIZATION_ID}){per_minute}. "
            "For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers "
            "for current usage. Please try again later.")


def default_message(error_type: str, limit: int | None = None) -> str:
    if error_type == "rate_limit_error":
        return rate_limit_message(limit)
    return ERROR_MESSAGES.get(error_type, "Internal server error")


def error_type_for(status: int) -> str:
    """The error type the API uses for a status; other 4xx are invalid requests, other 5xx API errors."""
    if status in STATUS_TYPE:
        return STATUS_TYPE[status]
    return "api_error" if status >= 500 else "invalid_request_error"
