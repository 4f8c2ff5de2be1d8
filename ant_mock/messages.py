"""The `/v1/messages` answer: a Message with a deterministic text, and the same answer as Server-Sent Events.

The text answers the last user turn ("Hello! You said: ..."), or continues a prefill (" Hello! You said: ...");
a word is a token, so `max_tokens` cuts it by words; a stop sequence cuts the text just before it. Streaming
follows the documented order (https://platform.claude.com/docs/en/build-with-claude/streaming): message_start,
content_block_start, ping, one text_delta per word, content_block_stop, message_delta, message_stop.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ant_mock.conversation import prefill, prompt_words, question
from ant_mock.replies import Answer, Reply, api_headers, compose_answer, json_reply, make_id, scripted_deltas, sse


def compose_message(body: dict[str, Any]) -> Answer:
    first = " Hello!" if prefill(body["messages"]) else "Hello!"
    answer = compose_answer(question(body["messages"]), body["max_tokens"], body.get("stop_sequences"), first)
    answer.stop_reason = answer.stop_reason or "end_turn"
    return answer


def usage(body: dict[str, Any], output_tokens: int) -> dict[str, Any]:
    """Usage as the API sends it on a 200: cache counters, the tier that served it and where it ran."""
    return {"input_tokens": prompt_words(body), "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
            "output_tokens": output_tokens, "service_tier": "standard",
            "inference_geo": body.get("inference_geo") or "not_available"}


def message(body: dict[str, Any], answer: Answer | None, message_id: str) -> dict[str, Any]:
    """The Message; with no answer yet, the empty one message_start carries."""
    return {"id": message_id, "type": "message", "role": "assistant", "model": body["model"],
            "content": [{"type": "text", "text": "".join(answer.words)}] if answer else [],
            "stop_reason": answer.stop_reason if answer else None,
            "stop_sequence": answer.stop_sequence if answer else None,
            "usage": usage(body, len(answer.words) if answer else 1)}


def message_reply(body: dict[str, Any], request_id: str) -> Reply:
    return json_reply(200, message(body, compose_message(body), make_id("msg_")), api_headers(request_id))


def text_delta(text: str) -> bytes:
    return sse("content_block_delta", {"type": "content_block_delta", "index": 0,
                                       "delta": {"type": "text_delta", "text": text}})


def message_events(body: dict[str, Any], action: dict[str, Any]) -> Iterator[bytes]:
    """The SSE events of one streamed Message, with the scripted error, cut, stall or missing final events."""
    if "events" in action:  # N identical deltas, the limit reached
        answer = Answer([action.get("chunk", " word")] * action["events"], "max_tokens")
        same = text_delta(answer.words[0]) if answer.words else b""
        deltas: Iterator[bytes] = (same for _ in answer.words)  # built once: a fast server
    else:
        answer = compose_message(body)
        deltas = (text_delta(word) for word in answer.words)
    yield sse("message_start", {"type": "message_start", "message": message(body, None, make_id("msg_"))})
    yield sse("content_block_start", {"type": "content_block_start", "index": 0,
                                      "content_block": {"type": "text", "text": ""}})
    yield sse("ping", {"type": "ping"})
    if not (yield from scripted_deltas(deltas, action)):
        return
    yield sse("content_block_stop", {"type": "content_block_stop", "index": 0})
    if action.get("no_final"):
        return
    yield sse("message_delta", {"type": "message_delta", "usage": {"output_tokens": len(answer.words)},
                                "delta": {"stop_reason": answer.stop_reason, "stop_sequence": answer.stop_sequence}})
    yield sse("message_stop", {"type": "message_stop"})
