"""Reading a Messages request's conversation: its turns, their text, the prefill, the prompt's size.

Pure functions over a body that has passed the field checks (every item an object with a role and a content that
is a string or a list of block objects). Consecutive items of the same role are one turn, as the API merges them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Turn:
    """A run of consecutive items with the same role: where it starts and its blocks, in order."""

    role: str
    first: int
    blocks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [block["text"] for block in self.blocks if block.get("type") == "text"]


def blocks_of(content: Any) -> list[dict[str, Any]]:
    """A string content is one text block."""
    return [{"type": "text", "text": content}] if isinstance(content, str) else list(content)


def turns(messages: list[dict[str, Any]]) -> list[Turn]:
    """The user and assistant turns (system items left out), same-role runs merged."""
    merged: list[Turn] = []
    for index, item in enumerate(messages):
        if item["role"] == "system":
            continue
        if not merged or merged[-1].role != item["role"]:
            merged.append(Turn(item["role"], index))
        merged[-1].blocks.extend(blocks_of(item["content"]))
    return merged


def last_turn(messages: list[dict[str, Any]], role: str) -> Turn | None:
    matching = [turn for turn in turns(messages) if turn.role == role]
    return matching[-1] if matching else None


def prefill(messages: list[dict[str, Any]]) -> str:
    """The text a final assistant turn puts in the model's mouth ("" when the conversation ends with the user)."""
    final = turns(messages)[-1:]
    return "".join(final[0].texts) if final and final[0].role == "assistant" else ""


def question(messages: list[dict[str, Any]]) -> str:
    """The text of the last user turn: what the canned answer repeats."""
    turn = last_turn(messages, "user")
    return " ".join(turn.texts) if turn else ""


def prompt_words(body: dict[str, Any]) -> int:
    """A simple, deterministic stand-in for input tokens: the words of the system prompt and of every turn."""
    system = body.get("system")
    texts = blocks_of(system) if system else []
    for item in body["messages"]:
        texts.extend(blocks_of(item["content"]))
    return sum(len(str(block.get("text", "")).split()) for block in texts) or 1
