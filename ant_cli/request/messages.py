"""A completion request translated for the Messages API (`--via messages`): the body `/v1/messages` takes.

The prompt is cut at its exact `\\n\\nHuman:` / `\\n\\nAssistant:` markers: text before the first Human
turn is the `system` prompt, Human turns are `user` messages and Assistant turns `assistant` messages.
Each turn's surrounding white space is the completions format's, not the user's text, so it is
trimmed; empty turns are dropped (the conventional empty final `\\n\\nAssistant:` among them) and
turns of one role in a row are joined, as the API itself would. Text after the final Assistant marker
is a prefill, sent as the last `assistant` message. Every other parameter keeps its name, except
`max_tokens_to_sample`, which is `max_tokens`; keys that are not completion parameters pass through.
Nothing the user gave is dropped or changed: a model that refuses a parameter says so itself.
"""

from __future__ import annotations

import re

from ant_cli.core.errors import UsageError

MARKERS = re.compile(r"\n\n(Human|Assistant):")
ROLES = {"Human": "user", "Assistant": "assistant"}
CONSUMED = ("prompt", "model", "max_tokens_to_sample")


def split_prompt(prompt: str) -> tuple[str, list[dict]]:
    """(system text, messages) of a completions prompt; the system text is "" when there is none."""
    text = "\n\n" + prompt if prompt.startswith("Human:") else prompt  # the API's own sanitation
    pieces = MARKERS.split(text)
    leading, turns = pieces[0].strip(), list(zip(pieces[1::2], pieces[2::2], strict=True))
    messages: list[dict] = []
    for marker, turn in turns:
        add_turn(messages, ROLES[marker], turn.strip())
    if not any(marker == "Human" for marker, _ in turns):
        # No Human turn at all (possible only with --no-prompt-check): the leading text is the question.
        messages.insert(0, {"role": "user", "content": leading})
        leading = ""
    check_answerable(turns, messages)
    return leading, messages


def check_answerable(turns: list[tuple[str, str]], messages: list[dict]) -> None:
    """A conversation the Messages API can answer as the completion would have gone on: a user turn with
    text, and no prefill that the prompt did not write after its final Assistant marker."""
    if not any(message["role"] == "user" and message["content"] for message in messages):
        raise UsageError("the prompt has no text to answer: every Human turn is empty "
                         "(the Messages API refuses a conversation without content)")
    ends_empty = bool(turns) and turns[-1][0] == "Assistant" and not turns[-1][1].strip()
    if ends_empty and messages[-1]["role"] == "assistant":
        raise UsageError("the prompt's last Human turn is empty, so the Assistant turn before it would be sent "
                         "as a prefill to continue; give that Human turn text, or remove it")


def add_turn(messages: list[dict], role: str, text: str) -> None:
    """Append a turn: dropped when empty, joined to the previous one when it has the same role."""
    if not text:
        return
    if messages and messages[-1]["role"] == role:
        messages[-1]["content"] += "\n\n" + text
    else:
        messages.append({"role": role, "content": text})


def messages_body(body: dict) -> dict:
    """The `/v1/messages` body for a checked completion body (every required field present)."""
    system, messages = split_prompt(body["prompt"])
    translated: dict = {"model": body["model"]}
    if system:
        translated["system"] = system
    translated["messages"] = messages
    translated["max_tokens"] = body["max_tokens_to_sample"]
    for key, value in body.items():
        if key not in CONSUMED:
            translated[key] = value
    return translated
