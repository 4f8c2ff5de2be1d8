"""What differs between the two APIs once a request is sent: how an answer becomes a completion.

`--via` is decided once per command: `adapter_for(settings.via)` gives the adapter that the command
hands to whatever reads an answer. `/v1/complete` answers in the completion shape already;
`/v1/messages` answers with a Message (or its stream events), translated here into the completion
shape that scripts read (`.completion`, `.stop_reason`, one `completion` event per text delta).
Each adapter also knows the hint worth adding to the errors its API gives for a request that was
written for the other one.
"""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring as encode_string  # the C encoder of a JSON string, where there is one
from typing import Protocol

from ant_cli.client.api_errors import malformed_body, parse_json
from ant_cli.client.transport import error_for
from ant_cli.core.catalog import RETIRED_MODELS, SUGGESTED_MODEL
from ant_cli.core.errors import ApiError
from ant_cli.core.types import Api

compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # as jsonl writes
Lines = tuple[list[str], "list[dict] | None"]  # completions' JSON texts, and the completions when at hand
# Messages stop reasons in the completion vocabulary; any other value (refusal, tool_use, ...) is kept as it is.
STOP_REASONS = {"end_turn": "stop_sequence", "stop_sequence": "stop_sequence", "max_tokens": "max_tokens",
                "model_context_window_exceeded": "max_tokens"}
MESSAGE_EVENTS = frozenset({"message_start", "content_block_start", "content_block_delta", "content_block_stop",
                            "message_delta", "message_stop"})
CEILING = re.compile(r"> (\d+), which is the maximum allowed number of output tokens")
DELTA_HEAD = '{"type": "content_block_delta", "index": '
DELTA_TEXT = ', "delta": {"type": "text_delta", "text": '
SAMPLING_FLAGS = {"temperature": "--temperature", "top_p": "--top-p", "top_k": "--top-k"}


class EventReader(Protocol):
    """Turns one stream's events into completion events (None: the event has no completion of its own)."""

    names: frozenset[str]

    def completions(self, names: list[str], documents: list[dict]) -> list[tuple[dict | None, str | None]]:
        """Each event's completion (None: it has none) and that completion's JSON text (None: not at hand)."""

    def completion_lines(self, names: list[str], datas: list[str]) -> Lines | None:
        """For a read whose every event is a completion found without a general translation: each one's
        JSON text, and the completions themselves if they are at hand already (None: decode the texts).
        None when the read needs `completions`, event by event."""


class CompletionEvents:
    """`/v1/complete`: each `completion` event is a completion event, its data line as received."""

    names = frozenset({"completion"})

    def completion_lines(self, names: list[str], datas: list[str]) -> Lines | None:
        return datas, None

    def completions(self, names: list[str], documents: list[dict]) -> list[tuple[dict | None, str | None]]:
        return [(document, None) for document in documents]


class MessageEvents:
    """`/v1/messages`: a completion event per text delta, and the final one (with its stop reason) from
    `message_delta`; `message_start` gives the id and model, the other events give nothing.

    Speed: most reads of a long stream hold nothing but text deltas, each spelled as the API spells it:
    `{"type": "content_block_delta", "index": N, "delta": {"type": "text_delta", "text": "…"}}`. The
    text's JSON string is then all that differs between them, so the strings are cut out at the seams
    between deltas by one split (in C), decoded at once as one array of strings, and the completions
    built from them; anything else in the read, or any other spelling, takes the general way, event by
    event, with the same result.
    """

    names = MESSAGE_EVENTS

    def __init__(self) -> None:
        self.id: str | None = None
        self.model: str | None = None
        self.usage: dict = {}
        self.head, self.tail = self.line_parts()

    def completions(self, names: list[str], documents: list[dict]) -> list[tuple[dict | None, str | None]]:
        """A read's events translated. Text deltas, the bulk of a long stream, in one tight loop, each with
        its completion's JSON text written from two parts made once (jsonl prints it without dumping)."""
        found: list[tuple[dict | None, str | None]] = []
        for name, document in zip(names, documents, strict=False):  # documents stop at a bad one
            delta = document.get("delta") if name == "content_block_delta" else None
            text = delta.get("text") if type(delta) is dict and delta.get("type") == "text_delta" else None
            if type(text) is str:
                found.append(({"type": "completion", "id": self.id, "completion": text, "stop_reason": None,
                               "model": self.model}, self.head + encode_string(text) + self.tail))
            else:
                found.append((self.completion(name, document), None))
        return found

    def completion_lines(self, names: list[str], datas: list[str]) -> Lines | None:
        if not datas or self.id is None or names.count("content_block_delta") != len(names):
            return None
        prefix = delta_prefix(datas[0])
        if prefix is None:
            return None
        joined = "\n".join(datas)
        # A JSON string holds no bare quote, so a seam is found only between two deltas, and a `", "` (as
        # the API spaces a key that follows another) only in the prefixes, unless a key stands beside "text".
        texts = joined[len(prefix):-2].split("}}\n" + prefix)
        if len(texts) != len(datas) or not joined.startswith(prefix) or not joined.endswith("}}") \
                or joined.count('", "') != prefix.count('", "') * len(datas):
            return None
        try:
            strings = json.loads("[" + ",".join(texts) + "]")
        except ValueError:
            return None
        if len(strings) != len(texts):
            return None
        documents = [{"type": "completion", "id": self.id, "completion": text, "stop_reason": None,
                      "model": self.model} for text in strings]
        return [self.head + text + self.tail for text in texts], documents

    def line_parts(self) -> tuple[str, str]:
        """A text delta's completion as JSON text, in the two parts around its text."""
        head, _, tail = compact_json(self.event("\0", None)).partition(encode_string("\0"))
        return head, tail

    def completion(self, name: str, document: dict) -> dict | None:
        """The completion event of one event other than a text delta (only `message_delta` has one)."""
        if name == "message_start":
            self.started(document.get("message"))
        elif name == "message_delta":
            return self.finished(document)
        return None

    def started(self, message) -> None:
        if isinstance(message, dict):
            self.id, self.model = message.get("id"), message.get("model")
            self.usage = dict(message.get("usage") or {})
            self.head, self.tail = self.line_parts()

    def finished(self, document: dict) -> dict | None:
        """The final completion event; a `message_delta` that does not yet say why the message stopped has none."""
        delta, usage = document.get("delta"), document.get("usage")
        if isinstance(usage, dict):
            self.usage.update(usage)  # the API's counts here are cumulative
        if not isinstance(delta, dict) or delta.get("stop_reason") is None:
            return None
        final = self.event("", stop_reason(delta["stop_reason"]))
        final.update(stop=delta.get("stop_sequence"), usage=self.usage)
        return final

    def event(self, text: str, reason: str | None) -> dict:
        return {"type": "completion", "id": self.id, "completion": text, "stop_reason": reason, "model": self.model}


def delta_prefix(data: str) -> str | None:
    """What precedes the text's JSON string in a text delta spelled as the API spells it, else None."""
    cut = data.find(DELTA_TEXT)
    return data[: cut + len(DELTA_TEXT)] if cut > 0 and data.startswith(DELTA_HEAD) else None


def stop_reason(value):
    return STOP_REASONS.get(value, value) if isinstance(value, str) else value


def completion_of_message(message: dict) -> dict | None:
    """A Message as a completion: its text blocks joined (thinking and tool blocks left out), the stop reason
    in completion words, the matched stop sequence as `stop`, and the API's token `usage`. None when the
    document is not a Message."""
    content = message.get("content")
    if message.get("type") != "message" or not isinstance(content, list):
        return None
    text = "".join(block.get("text", "") for block in content
                   if isinstance(block, dict) and block.get("type") == "text")
    completion = {"type": "completion", "id": message.get("id"), "completion": text,
                  "stop_reason": stop_reason(message.get("stop_reason")), "stop": message.get("stop_sequence"),
                  "model": message.get("model")}
    if "usage" in message:
        completion["usage"] = message["usage"]
    return completion


class Adapter:
    """What both APIs share: an error status raises, a whole answer is read as one completion."""

    name = "a completion"  # what a whole answer is, for the message that says it is not

    def completion(self, document: dict) -> dict | None:
        return document

    def events(self) -> EventReader:
        return CompletionEvents()

    def hint(self, error: ApiError, body: dict) -> str | None:
        return None

    def check(self, response, body: dict) -> None:
        """An error status becomes its ApiError, carrying this API's hint for it."""
        if not response.ok:
            error = error_for(response)
            error.hint = self.hint(error, body)
            raise error

    def check_stream(self, response) -> None:
        """A stream request answered with a whole body (a proxy that ignores `stream`, a JSON error page) is
        an unusable answer, said at once: read as events it would look like a cut stream and be sent again."""
        content_type = response.headers.get("content-type", "")
        if content_type and "text/event-stream" not in content_type:
            body = b"".join(response.read_chunks())
            response.close()
            raise malformed_body(response.status, response.reason, response.headers, body, "an event stream")

    def whole_completion(self, response) -> dict:
        """The completion of a whole (not streamed) successful answer; an unusable one is MalformedResponse."""
        body = response.body or b""
        document = parse_json(body)
        completion = self.completion(document) if isinstance(document, dict) else None
        if completion is None:
            raise malformed_body(response.status, response.reason, response.headers, body, self.name)
        return completion


class CompleteApi(Adapter):
    """`--via complete`: answers are completions already."""

    def hint(self, error: ApiError, body: dict) -> str | None:
        """A model that only the Messages API serves: say how to reach it."""
        if error.status == 400 and "Messages API" in str(error):
            return ("this model is served by the Messages API only: run the same command with --via messages "
                    "(or set ANT_VIA=messages)")
        return None


class MessagesApi(Adapter):
    """`--via messages`: answers are Messages, translated into completions."""

    name = "a message"

    def completion(self, document: dict) -> dict | None:
        return completion_of_message(document)

    def events(self) -> EventReader:
        return MessageEvents()

    def hint(self, error: ApiError, body: dict) -> str | None:
        """What to change when a model refuses what completions-era requests carry."""
        message = str(error)
        if error.status == 404 and "model:" in message:
            return model_hint(str(body.get("model")))
        if error.status != 400:
            return None
        if "prefill" in message:
            return ("this model refuses a prefill: end the prompt with an empty \"\\n\\nAssistant:\" turn "
                    "(remove the text after it)")
        if "cannot both be specified" in message:
            return "this model takes --temperature or --top-p, not both: remove one of them"
        if "is deprecated for this model" in message:
            given = [flag for key, flag in SAMPLING_FLAGS.items() if key in body]
            return f"this model takes no sampling parameters: remove {' and '.join(given) or 'them'}"
        ceiling = CEILING.search(message)
        if ceiling:
            return f"this model writes at most {ceiling.group(1)} tokens: lower --max-tokens-to-sample to that"
        return None


def model_hint(model: str) -> str:
    retired = RETIRED_MODELS.get(model)
    if retired is not None:
        return (f"{model} was retired on {retired.isoformat()}; use a current model, "
                f"e.g. --model {SUGGESTED_MODEL}")
    return f"the Messages API does not know {model}; use a current model, e.g. --model {SUGGESTED_MODEL}"


def adapter_for(via: Api) -> Adapter:
    return CompleteApi() if via is Api.COMPLETE else MessagesApi()
