"""What the API reference says about models, betas, the API version and the default host.

Only hints: any model id or beta name is still sent as given, since the API accepts new ones.
"""

from __future__ import annotations

import datetime

# Union of the model ids listed by the CLI, Python, TypeScript, Ruby and Go reference pages.
KNOWN_MODELS = (
    "claude-opus-4-8",
    "claude-opus-4-7",
    "claude-mythos-preview",
    "claude-opus-4-6",
    "claude-sonnet-4-6",
    "claude-haiku-4-5",
    "claude-haiku-4-5-20251001",
    "claude-opus-4-5",
    "claude-opus-4-5-20251101",
    "claude-sonnet-4-5",
    "claude-sonnet-4-5-20250929",
    "claude-opus-4-1",
    "claude-opus-4-1-20250805",
    "claude-opus-4-0",
    "claude-opus-4-20250514",
    "claude-4-opus-20250514",
    "claude-sonnet-4-0",
    "claude-sonnet-4-20250514",
    "claude-4-sonnet-20250514",
    "claude-3-7-sonnet-latest",
    "claude-3-7-sonnet-20250219",
    "claude-3-5-haiku-latest",
    "claude-3-5-haiku-20241022",
    "claude-3-opus-latest",
    "claude-3-opus-20240229",
    "claude-3-haiku-20240307",
)

# The ids /v1/complete answered in its last working state (docs, "Model deprecations": retired 2025-07-21);
# Claude 3 and later ids are refused there with "use the Messages API". KNOWN_MODELS stays what --model
# completion offers, as the official CLI offers it.
COMPLETE_MODELS = ("claude-2.1", "claude-2.0")

# Models the Python reference page marks "Deprecated: Will reach end-of-life on <date>".
DEPRECATED_MODELS = {
    "claude-opus-4-0": (datetime.date(2026, 6, 15), "a newer model"),
    "claude-opus-4-20250514": (datetime.date(2026, 6, 15), "a newer model"),
    "claude-sonnet-4-0": (datetime.date(2026, 6, 15), "a newer model"),
    "claude-sonnet-4-20250514": (datetime.date(2026, 6, 15), "a newer model"),
    "claude-3-haiku-20240307": (datetime.date(2026, 4, 20), "claude-haiku-4-5"),
}

# Ids the API has retired (404 on /v1/messages), with their end-of-life dates, as the Python SDK's
# DEPRECATED_MODELS table and the model-deprecations page list them.
RETIRED_MODELS = {
    **dict.fromkeys(("claude-1.3", "claude-1.3-100k", "claude-instant-1.1", "claude-instant-1.1-100k",
                     "claude-instant-1.2"), datetime.date(2024, 11, 6)),
    **dict.fromkeys(("claude-2.0", "claude-2.1", "claude-3-sonnet-20240229"), datetime.date(2025, 7, 21)),
    **dict.fromkeys(("claude-3-5-sonnet-20240620", "claude-3-5-sonnet-20241022"), datetime.date(2025, 10, 28)),
    "claude-3-opus-20240229": datetime.date(2026, 1, 5),
    **dict.fromkeys(("claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219", "claude-3-5-haiku-latest",
                     "claude-3-5-haiku-20241022"), datetime.date(2026, 2, 19)),
    "claude-3-haiku-20240307": datetime.date(2026, 4, 20),
    **dict.fromkeys(("claude-opus-4-0", "claude-opus-4-20250514", "claude-sonnet-4-0", "claude-sonnet-4-20250514"),
                    datetime.date(2026, 6, 15)),
    "claude-mythos-preview": datetime.date(2026, 6, 30),
    "claude-opus-4-1-20250805": datetime.date(2026, 8, 5),
}
# The current model closest to the completions era: it still takes a prefill and the sampling parameters.
SUGGESTED_MODEL = "claude-haiku-4-5"

KNOWN_BETAS = (
    "message-batches-2024-09-24",
    "prompt-caching-2024-07-31",
    "computer-use-2024-10-22",
    "computer-use-2025-01-24",
    "pdfs-2024-09-25",
    "token-counting-2024-11-01",
    "token-efficient-tools-2025-02-19",
    "output-128k-2025-02-19",
    "files-api-2025-04-14",
    "mcp-client-2025-04-04",
    "mcp-client-2025-11-20",
    "dev-full-thinking-2025-05-14",
    "interleaved-thinking-2025-05-14",
    "code-execution-2025-05-22",
    "extended-cache-ttl-2025-04-11",
    "context-1m-2025-08-07",
    "context-management-2025-06-27",
    "model-context-window-exceeded-2025-08-26",
    "skills-2025-10-02",
    "fast-mode-2026-02-01",
    "output-300k-2026-03-24",
    "user-profiles-2026-03-24",
    "advisor-tool-2026-03-01",
    "managed-agents-2026-04-01",
    "cache-diagnosis-2026-04-07",
    "thinking-token-count-2026-05-13",
)



DEFAULT_BASE_URL = "https://api.anthropic.com"
ANTHROPIC_VERSION = "2023-06-01"


def deprecation_warning(model: str, today: datetime.date) -> str | None:
    """A one-line warning for a model past its documented end-of-life date, else None."""
    entry = DEPRECATED_MODELS.get(model)
    if entry is None:
        return None
    end_of_life, successor = entry
    if today < end_of_life:
        return None
    return (
        f"model {model} is deprecated and reached end-of-life on {end_of_life.isoformat()}; "
        f"migrate to {successor}"
    )
