"""Checks made before anything is sent, each naming the flag and the allowed range."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from ant_cli.core.errors import UsageError
from ant_cli.core.types import Settings
from ant_cli.request.build import REQUIRED_FIELDS, field_label
from ant_cli.request.values import type_name

HUMAN = "\n\nHuman:"
ASSISTANT = "\n\nAssistant:"
PROMPT_EXAMPLE = "$'\\n\\nHuman: Hello, Claude\\n\\nAssistant:'"
MAX_USER_ID = 256


def validate_body(body: dict, prompt_check: bool) -> None:
    """Raise UsageError for the first problem found in the merged body."""
    require_fields(body)
    validate_fields(body, prompt_check)


def validate_fields(body: dict, prompt_check: bool) -> None:
    """Each field the body has, checked on its own; a missing one is not looked for (a batch's options
    are checked so, before any line fills in the rest)."""
    check_integer(body, "max_tokens_to_sample", minimum=1)
    for name in ("model", "prompt"):
        if name in body:
            check_text(body, name)
    for name in ("temperature", "top_p"):
        check_fraction(body, name)
    check_integer(body, "top_k", minimum=0)
    check_stop_sequences(body)
    check_stream(body)
    check_metadata(body)
    check_encodable(body)
    if prompt_check and "prompt" in body:
        check_prompt_turns(body["prompt"])


def require_fields(body: dict) -> None:
    missing = [field_label(name) for name in REQUIRED_FIELDS if name not in body or body[name] is None]
    if missing:
        noun = "option" if len(missing) == 1 else "options"
        raise UsageError(
            f"missing required {noun} {', '.join(missing)} "
            "(or the same keys in a JSON/YAML body piped on stdin)"
        )


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_integer(body: dict, name: str, minimum: int) -> None:
    if name not in body:
        return
    value = body[name]
    if isinstance(value, float) and value.is_integer():
        value = body[name] = int(value)
    if not is_number(value) or not isinstance(value, int):
        raise UsageError(f"{field_label(name)} must be an integer >= {minimum}, got {describe(value)}")
    if value < minimum:
        raise UsageError(f"{field_label(name)} must be an integer >= {minimum}, got {value}")


def check_fraction(body: dict, name: str) -> None:
    if name not in body:
        return
    value = body[name]
    if not is_number(value) or not math.isfinite(value) or not 0 <= value <= 1:
        raise UsageError(f"{field_label(name)} must be a number from 0 to 1, got {describe(value)}")


def check_text(body: dict, name: str) -> None:
    value = body[name]
    if not isinstance(value, str):
        raise UsageError(f"{field_label(name)} must be a string, got {describe(value)}")
    if not value.strip():
        raise UsageError(f"{field_label(name)} must not be empty")


def check_stop_sequences(body: dict) -> None:
    value = body.get("stop_sequences")
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise UsageError(f"--stop-sequence values must be non-empty strings, got {describe(value)}")


def check_stream(body: dict) -> None:
    if "stream" in body and not isinstance(body["stream"], bool):
        raise UsageError(f"'stream' in the piped body must be true or false, got {describe(body['stream'])}")


def check_metadata(body: dict) -> None:
    if "metadata" not in body:
        return
    metadata = body["metadata"]
    if metadata is None:  # `--metadata null`: JSON null, sent as the official CLI sends it
        return
    if not isinstance(metadata, dict):
        raise UsageError(f"--metadata must be an object such as '{{user_id: abc}}', got {describe(metadata)}")
    user_id = metadata.get("user_id")
    if user_id is None:
        return
    if not isinstance(user_id, str):
        raise UsageError(f"--metadata.user-id must be a string, got {describe(user_id)}")
    if len(user_id) > MAX_USER_ID:
        raise UsageError(f"--metadata.user-id must be at most {MAX_USER_ID} characters, got {len(user_id)}")


def check_encodable(value, name: str = "") -> None:
    """Text that cannot be sent as UTF-8 (bytes from argv that were not UTF-8) is a usage error, not a crash."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_encodable(item, name or key)
    elif isinstance(value, list):
        for item in value:
            check_encodable(item, name)
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(f"{field_label(name)} is not valid UTF-8 text") from None


def prompt_turn_problem(prompt: str) -> str | None:
    """What the API would reject in the prompt's turns, or None if it is well formed.

    Leading text before the first Human turn is a system prompt; text after the last Assistant
    turn is a prefill. A leading bare "Human:" is tolerated, as the API sanitizes it.
    """
    text = "\n\n" + prompt if prompt.startswith("Human:") else prompt
    first_human = text.find(HUMAN)
    first_assistant = text.find(ASSISTANT)
    if first_human < 0 or (0 <= first_assistant < first_human):
        return 'must start with a "\\n\\nHuman:" turn (after an optional system prompt)'
    if text.rfind(ASSISTANT) < text.rfind(HUMAN):
        return 'must end with a "\\n\\nAssistant:" turn'
    return None


def check_prompt_turns(prompt: str) -> None:
    problem = prompt_turn_problem(prompt)
    if problem is None:
        return
    hint = ""
    if "\\n" in prompt and "\n" not in prompt:
        hint = "; it contains a literal backslash-n: in a shell, quote it as $'...' so \\n becomes a newline"
    raise UsageError(
        f"--prompt {problem}, e.g. {PROMPT_EXAMPLE}{hint} (--no-prompt-check skips this check)"
    )


def describe(value) -> str:
    """A short, quoted rendering of a bad value for an error message."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = repr(value)
    elif is_number(value):
        text = str(value)
    else:
        text = type_name(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_max_items(max_items: int | None) -> None:
    """--max-items N counts completion events; -1 (as in the official CLI) means no limit."""
    if max_items is not None and max_items < -1:
        raise UsageError(f"--max-items must be an integer >= 0 (or -1 for no limit), got {max_items}")


def check_header_value(what: str, value: str | None, secret: bool = False) -> None:
    """Header values must be printable ASCII, without white space around them (HTTP would refuse to send
    them); a secret is described, never echoed."""
    if value is None or (value.isascii() and value.isprintable() and value == value.strip()):
        return
    shown = "" if secret else f" {value!r}"
    if value.isascii() and value.isprintable():
        raise UsageError(f"{what}{shown} starts or ends with a space, which cannot be sent in an HTTP header")
    raise UsageError(f"{what}{shown} contains a character that cannot be sent in an HTTP header "
                     "(a newline, a control character or a non-ASCII letter)")


def validate_settings(settings: Settings, need_credentials: bool = True) -> None:
    check_base_url(settings.base_url)
    check_header_value("the API key (--api-key / ANTHROPIC_API_KEY)", settings.api_key, secret=True)
    check_header_value("the token (--auth-token / ANTHROPIC_AUTH_TOKEN)", settings.auth_token, secret=True)
    if need_credentials and not (settings.api_key or settings.auth_token):
        raise UsageError(
            "no API key: set ANTHROPIC_API_KEY (or pass --api-key), or set ANTHROPIC_AUTH_TOKEN for a bearer token"
        )
    if settings.max_retries < 0:
        raise UsageError(f"--max-retries must be an integer >= 0, got {settings.max_retries}")
    for name, value in (("--timeout", settings.timeout), ("--connect-timeout", settings.connect_timeout)):
        if not math.isfinite(value) or value <= 0:
            raise UsageError(f"{name} must be a number of seconds > 0, got {value}")


def check_base_url(base_url: str | None) -> None:
    if base_url is None:
        return
    try:
        parts = urlsplit(base_url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise UsageError(f"--base-url (ANTHROPIC_BASE_URL) must be an http:// or https:// URL, got {base_url!r}")
