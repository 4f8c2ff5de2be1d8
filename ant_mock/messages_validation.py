"""How `/v1/messages` refuses a request today, as pure functions: one error per answer, in the API's order.

After the headers (shared with `/v1/complete`, in `validation`): the JSON body; its fields in the order the API
reports them (model, tool_choice, tools, messages, system, thinking, output_config, cache_control, max_tokens,
metadata, stop_sequences, temperature, service_tier, top_k, top_p, stream, container, inference_geo), a missing
required field where it stands; the first unknown key in body order; the conversation's shape (system items,
empty turns, empty or blank text, trailing whitespace after a prefill); then, where the API's order is not
known, this mock's choice: the model (404 when unknown or retired), then its generation's rules — prefill,
sampling parameters (temperature, top_p, top_k), manual thinking, and last the `max_tokens` ceiling.
`null` stands for "absent" only for metadata, stop_sequences, cache_control, container and inference_geo.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ant_mock.catalogue import DEFAULT_ONLY, NOT_BOTH, SAMPLING_DEFAULTS, ModelRules, rules_for
from ant_mock.conversation import Turn, prefill, turns
from ant_mock.validation import (
    Rejection,
    check_fields,
    check_integer,
    check_metadata,
    check_no_extra,
    check_stop_sequences,
    check_stream,
    check_string,
    check_unit_range,
    invalid,
    is_integer,
    parse_body,
)

ROLES = ("user", "assistant")
BLOCK_TYPES = ("text", "image", "document", "search_result", "tool_use", "tool_result", "thinking",
               "redacted_thinking", "server_tool_use", "web_search_tool_result", "container_upload")
PREFILL_REFUSED = ("This model does not support assistant message prefill. "
                   "The conversation must end with a user message.")
DEPRECATED = {"temperature": "`temperature` is deprecated for this model.",
              "top_p": "`top_p` is deprecated for this model", "top_k": "`top_k` is deprecated for this model"}
NOT_BOTH_MESSAGE = "`temperature` and `top_p` cannot both be specified for this model. Please use only one."
MANUAL_THINKING = ('"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and '
                   '"output_config.effort" to control thinking behavior.')


# ---- fields ------------------------------------------------------------------------------------------------

def check_object(name: str, value: Any, nullable: bool = False) -> None:
    if not (isinstance(value, dict) or (nullable and value is None)):
        raise invalid(f"{name}: Input should be an object")


def check_optional_string(name: str, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise invalid(f"{name}: Input should be a valid string")


def check_array(name: str, value: Any) -> None:
    if not isinstance(value, list):
        raise invalid(f"{name}: Input should be a valid array")


def check_messages(value: Any) -> None:
    check_array("messages", value)
    if not value:
        raise invalid("messages: at least one message is required")
    for index, item in enumerate(value):
        check_message(f"messages.{index}", item)


def check_message(path: str, item: Any) -> None:
    check_object(path, item)
    if "role" not in item:
        raise invalid(f"{path}.role: Field required")
    role = item["role"]
    check_string(f"{path}.role", role)
    if role not in ROLES + ("system",):
        raise invalid(f'messages: Unexpected role "{role}". Allowed roles are "user" or "assistant"')
    if "content" not in item:
        raise invalid(f"{path}.content: Field required")
    check_content(f"{path}.content", item["content"])
    check_no_extra(item, ("role", "content"), f"{path}.")


def check_content(path: str, content: Any) -> None:
    if isinstance(content, str):
        return
    check_array(path, content)
    for index, block in enumerate(content):
        check_block(f"{path}.{index}", block)


def check_block(path: str, block: Any) -> None:
    check_object(path, block)
    if "type" not in block:
        raise invalid(f"{path}.type: Field required")
    if block["type"] not in BLOCK_TYPES:
        expected = ", ".join(f"'{name}'" for name in BLOCK_TYPES)
        raise invalid(f"{path}: Input tag '{block['type']}' found using 'type' does not match any of the "
                      f"expected tags: {expected}")
    if block["type"] == "text":
        if "text" not in block:
            raise invalid(f"{path}.text: Field required")
        if not isinstance(block["text"], str):
            raise invalid(f"{path}.text: Input should be a valid string")


def check_system(value: Any) -> None:
    if isinstance(value, str):
        return
    check_array("system", value)
    for index, block in enumerate(value):
        if not (isinstance(block, dict) and block.get("type") == "text" and isinstance(block.get("text"), str)):
            raise invalid(f"system.{index}: Input does not match the expected shape.")


def check_max_tokens(value: Any) -> None:
    if not is_integer(value):
        raise invalid("max_tokens: Input should be a valid integer")
    if value < 0:  # 0 is accepted: it warms a prompt cache without generating
        raise invalid("max_tokens: must be greater than or equal to 0")


def check_service_tier(value: Any) -> None:
    if value not in ("auto", "standard_only"):
        raise invalid("service_tier: Input should be 'auto' or 'standard_only'")


FIELD_CHECKS: dict[str, Callable[[Any], None]] = {  # the order the API reports them in
    "model": lambda value: check_string("model", value),
    "tool_choice": lambda value: check_object("tool_choice", value),
    "tools": lambda value: check_array("tools", value),
    "messages": check_messages,
    "system": check_system,
    "thinking": lambda value: check_object("thinking", value),
    "output_config": lambda value: check_object("output_config", value),
    "cache_control": lambda value: check_object("cache_control", value, nullable=True),
    "max_tokens": check_max_tokens,
    "metadata": lambda value: check_metadata(value, max_user_id=None),
    "stop_sequences": check_stop_sequences,
    "temperature": lambda value: check_unit_range("temperature", value),
    "service_tier": check_service_tier,
    "top_k": lambda value: check_integer("top_k", value, -(2**63)),  # negative values are accepted
    "top_p": lambda value: check_unit_range("top_p", value),
    "stream": check_stream,
    "container": lambda value: check_optional_string("container", value),
    "inference_geo": lambda value: check_optional_string("inference_geo", value),
}
REQUIRED = ("model", "messages", "max_tokens")


# ---- the conversation's shape --------------------------------------------------------------------------------

def check_shape(messages: list[dict[str, Any]]) -> None:
    check_system_items(messages)
    conversation = turns(messages)
    for turn in conversation:
        if turn.role == "user" and not turn.blocks:
            raise invalid(f"messages.{turn.first}: user messages must have non-empty content")
    users = [turn for turn in conversation if turn.role == "user"]
    if users and "" in users[-1].texts:  # an empty block elsewhere is let through
        raise invalid("messages: text content blocks must be non-empty")
    if any(text and not text.strip() for turn in conversation for text in turn.texts):
        raise invalid("messages: text content blocks must contain non-whitespace text")
    check_final_assistant(conversation[-1] if conversation else None)


def check_system_items(messages: list[dict[str, Any]]) -> None:
    """A system item first is refused; later ones need content and may not come before a user turn."""
    for index, item in enumerate(messages):
        if item["role"] != "system":
            continue
        if index == 0:
            raise invalid("messages.0: use the top-level 'system' parameter for a system prompt")
        if not item["content"]:
            raise invalid(f"messages.{index}: system content must contain at least one block")
        following = [later["role"] for later in messages[index + 1:] if later["role"] != "system"]
        if following[:1] == ["user"]:
            raise invalid(f"messages.{index}: role 'system' must precede an 'assistant' message or end the array")


def check_final_assistant(final: Turn | None) -> None:
    text = "".join(final.texts) if final and final.role == "assistant" else ""
    if text[-1:].isspace():
        raise invalid("messages: final assistant content cannot end with trailing whitespace")


# ---- the model and its generation's rules ---------------------------------------------------------------------

def check_model_rules(body: Mapping[str, Any], allowed: tuple[str, ...]) -> ModelRules:
    rules = rules_for(body["model"], allowed)
    if rules is None:
        raise Rejection(404, "not_found_error", f"model: {body['model']}")
    if not rules.prefill and prefill(body["messages"]):
        raise invalid(PREFILL_REFUSED)
    check_sampling(body, rules.sampling)
    thinking = body.get("thinking") or {}
    if rules.adaptive_thinking_only and thinking.get("type") == "enabled":
        raise invalid(MANUAL_THINKING)
    if rules.max_output is not None and body["max_tokens"] > rules.max_output:
        raise invalid(f"max_tokens: {body['max_tokens']} > {rules.max_output}, which is the maximum allowed "
                      f"number of output tokens for {rules.name}")
    return rules


def check_sampling(body: Mapping[str, Any], sampling: str) -> None:
    if sampling == DEFAULT_ONLY:
        for name, default in SAMPLING_DEFAULTS.items():
            if name in body and body[name] != default:
                raise invalid(DEPRECATED[name])
    elif sampling == NOT_BOTH and "temperature" in body and "top_p" in body:
        raise invalid(NOT_BOTH_MESSAGE)


def check_messages_body(raw: bytes, allowed_models: tuple[str, ...] = ()) -> dict[str, Any]:
    """The parsed body of an acceptable request, or the API's first objection to it."""
    body = parse_body(raw)
    check_fields(body, FIELD_CHECKS, REQUIRED)
    check_shape(body["messages"])
    check_model_rules(body, tuple(allowed_models))
    return body
