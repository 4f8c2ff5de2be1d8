"""The API endpoints the mock serves, each in its last working state, and what each needs from the handler.

- `POST /v1/complete`: Text Completions as it last worked (2024-03 .. 2025-07), claude-2.0 and claude-2.1;
- `POST /v1/messages`: Messages as it works today, with today's models (see `catalogue`).
Both share the headers' checks, the scripts, the load simulation and the request log, as does
`/v1/messages/batches`, which has several methods and paths and is routed by `batches`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ant_mock.messages import message_events, message_reply
from ant_mock.messages_validation import check_messages_body
from ant_mock.replies import Reply, completion, stream_events
from ant_mock.validation import check_body


@dataclass(frozen=True)
class Endpoint:
    """One endpoint: its body's checks, its answer, its streamed answer, and a body to truncate."""

    check: Callable[[bytes, tuple[str, ...]], dict[str, Any]]
    answer: Callable[[dict[str, Any], str], Reply]
    events: Callable[[dict[str, Any], dict[str, Any]], Iterator[bytes]]
    truncated: bytes


COMPLETE = Endpoint(lambda raw, allowed: check_body(raw, allowed), completion, stream_events,
                    b'{"id": "compl_cut", "completion": "Hel')
MESSAGES = Endpoint(check_messages_body, message_reply, message_events,
                    b'{"id": "msg_cut", "type": "message", "content": [{"type": "text", "text": "Hel')
PATHS = {"/v1/complete": COMPLETE, "/v1/messages": MESSAGES}


def endpoint_for(method: str, path: str) -> Endpoint | None:
    """The endpoint a request is for; None for anything else (the API's 404)."""
    return PATHS.get(path) if method == "POST" else None
