"""The API's refusals as pure functions: headers, then the JSON body, then model and prompt.

Each check raises `Rejection` with the status, error type and message the real endpoint gives, one error per
answer, in the API's order: authentication, version, betas, JSON framing, fields (alphabetical, as the API's
schema reports them: `max_tokens_to_sample` before `model`), unknown keys in body order, the model's era, then
the prompt's turns. Messages start with the field path, in pydantic v2 wording, as the API's are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ant_mock.knowledge import KNOWN_BETAS, SERVED_MODELS, VALID_VERSIONS, is_messages_era

Headers = Mapping[str, list[str]]  # lower-case name -> every value received, in order


class Rejection(Exception):
    """A request the real API would refuse: (status, error type, message)."""

    def __init__(self, status: int, error_type: str, message: str):
        super().__init__(message)
        self.status, self.error_type, self.message = status, error_type, message


def invalid(message: str) -> Rejection:
    return Rejection(400, "invalid_request_error", message)


# ---- headers ---------------------------------------------------------------------------------------------

def first(headers: Headers, name: str) -> str:
    values = headers.get(name) or [""]
    return values[0].strip()


def check_headers(headers: Headers, api_key: str | None) -> None:
    """Authentication first (even when the version is missing too), then the version, then the betas."""
    check_credentials(headers, api_key)
    check_version(headers)
    check_betas(headers)


def check_credentials(headers: Headers, api_key: str | None) -> None:
    key = first(headers, "x-api-key")
    authorization = first(headers, "authorization")
    bearer = authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""
    if not key and not bearer:
        raise Rejection(401, "authentication_error", "x-api-key header is required")
    if api_key is None:
        return
    if key and key != api_key:
        raise Rejection(401, "authentication_error", "invalid x-api-key")
    if not key and bearer != api_key:
        raise Rejection(401, "authentication_error", "Invalid bearer token")


def check_version(headers: Headers) -> None:
    # Repeated headers reach the API joined by ", ", which is then not a version at all.
    version = ", ".join(value.strip() for value in headers.get("anthropic-version") or [])
    if not version:
        raise invalid("anthropic-version: header is required")
    if version not in VALID_VERSIONS:
        raise invalid(f'anthropic-version: "{version}" is not a valid version')


def beta_names(values: Iterable[str]) -> list[str]:
    """Every beta named by the headers: repeated headers and comma lists are the same thing."""
    names: list[str] = []
    for value in values:
        parts = [part.strip() for part in value.split(",")]
        names.extend([part for part in parts if part] or [""])  # a blank header is one empty, unknown value
    return names


def check_betas(headers: Headers) -> None:
    unknown = list(dict.fromkeys(name for name in beta_names(headers.get("anthropic-beta") or [])
                                 if name not in KNOWN_BETAS))
    if unknown:
        listed = ", ".join(f"`{name}`" for name in unknown)
        raise invalid(f"Unexpected value(s) {listed} for the `anthropic-beta` header. Please consult our "
                      "documentation at docs.anthropic.com or try again without the header.")


# ---- body ------------------------------------------------------------------------------------------------

def parse_body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
        raise invalid(f"The request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise invalid("Input should be a valid dictionary or object to extract fields from")
    return body


def is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_integer(name: str, value: Any, minimum: int) -> None:
    if not is_integer(value):  # strict: "16" and 1.5 are not coerced
        raise invalid(f"{name}: Input should be a valid integer")
    if value < minimum:
        raise invalid(f"{name}: Input should be greater than or equal to {minimum}")


def check_string(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise invalid(f"{name}: Input should be a valid string")
    if not value:
        raise invalid(f"{name}: String should have at least 1 character")


def check_unit_range(name: str, value: Any) -> None:
    if not is_number(value):
        raise invalid(f"{name}: Input should be a valid number")
    if not 0 <= value <= 1:
        raise invalid(f"{name}: range: 0..1")


def check_metadata(value: Any, max_user_id: int | None = 256) -> None:
    """`{"user_id": str or null}` or null; the Text Completions API caps `user_id` at 256 characters."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise invalid("metadata: Input should be an object")
    user_id = value.get("user_id")
    if user_id is not None and not isinstance(user_id, str):
        raise invalid("metadata.user_id: Input should be a valid string")
    if isinstance(user_id, str) and max_user_id is not None and len(user_id) > max_user_id:
        raise invalid(f"metadata.user_id: String should have at most {max_user_id} characters")
    check_no_extra(value, ("user_id",), "metadata.")


def check_stop_sequences(value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        raise invalid("stop_sequences: Input should be a valid array")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise invalid(f"stop_sequences.{index}: Input should be a valid string")


def check_stream(value: Any) -> None:
    if not isinstance(value, bool):
        raise invalid("stream: Input should be a valid boolean")


FIELD_CHECKS: dict[str, Callable[[Any], None]] = {  # the schema's order: alphabetical
    "max_tokens_to_sample": lambda value: check_integer("max_tokens_to_sample", value, 1),
    "metadata": check_metadata,
    "model": lambda value: check_string("model", value),
    "prompt": lambda value: check_string("prompt", value),
    "stop_sequences": check_stop_sequences,
    "stream": check_stream,
    "temperature": lambda value: check_unit_range("temperature", value),
    "top_k": lambda value: check_integer("top_k", value, 0),
    "top_p": lambda value: check_unit_range("top_p", value),
}
REQUIRED = ("max_tokens_to_sample", "model", "prompt")


def check_fields(body: Mapping[str, Any], checks: Mapping[str, Callable[[Any], None]] = FIELD_CHECKS,
                 required: Iterable[str] = REQUIRED) -> None:
    """Field errors in the order of `checks` (a missing field where it stands), then the first unknown key."""
    for name, check in checks.items():
        if name in body:
            check(body[name])
        elif name in required:
            raise invalid(f"{name}: Field required")
    check_no_extra(body, checks)


def check_no_extra(body: Mapping[str, Any], known: Iterable[str], prefix: str = "") -> None:
    allowed = set(known)
    for name in body:
        if name not in allowed:
            raise invalid(f"{prefix}{name}: Extra inputs are not permitted")


# ---- model and prompt ------------------------------------------------------------------------------------

def check_model(model: str, allowed: Iterable[str] = ()) -> None:
    if model in SERVED_MODELS or model in allowed:
        return
    if is_messages_era(model):
        raise invalid(f'"{model}" is not supported on this API. Please use the Messages API instead.')
    raise Rejection(404, "not_found_error", f"model: {model}")


def check_prompt(prompt: str) -> None:
    """The documented turn rules, after the API's light sanitizing (trailing space, a missing leading blank line)."""
    text = prompt.rstrip()
    if text.startswith("Human:"):
        text = "\n\n" + text
    human, assistant = text.find("\n\nHuman:"), text.find("\n\nAssistant:")
    if human < 0 or 0 <= assistant < human:
        raise invalid('prompt must start with "\n\nHuman:" turn after an optional system prompt')
    if text.rfind("\n\nAssistant:") < text.rfind("\n\nHuman:"):
        raise invalid('prompt must end with "\n\nAssistant:" turn')


def check_body(raw: bytes, allowed_models: Iterable[str] = ()) -> dict[str, Any]:
    """The parsed body of an acceptable request, or the API's first objection to it."""
    body = parse_body(raw)
    check_fields(body)
    check_model(body["model"], allowed_models)
    check_prompt(body["prompt"])
    return body
