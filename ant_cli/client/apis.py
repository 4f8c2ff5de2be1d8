"""What differs between the two APIs once a request is sent: how an answer becomes a completion.

`--via` is decided once per command: `adapter_for(settings.via)` gives the adapter that the command
hands to whatever reads an answer. `/v1/complete` answers in the completion shape already;
`/v1/messages` answers with a Message (or its stream events), translated here into the completion
shape that scripts read (`.completion`, `.stop_reason`, one `completion` event per text delta).
Each adapter also knows the hint worth adding to the errors its API gives for a request that was
written for the other one.
"""

from __future__ import annotations

from typing import Protocol

from ant_cli.client.api_errors import malformed_body, parse_json
from ant_cli.client.transport import error_for
from ant_cli.core.catalog import RETIRED_MODELS, SUGGESTED_MODEL
from ant_cli.core.errors import ApiError
from ant_cli.core.types import Api

# Messages stop reasons in the completion vocabulary; any other value (refusal, tool_use, ...) is kept as it is.
STOP_REASONS = {"end_turn": "stop_sequence", "stop_sequence": "stop_sequence", "max_tokens": "max_tokens",
                "model_context_window_exceeded": "max_tokens"}
MESSAGE_EVENTS = frozenset({"message_start", "content_block_start", "content_block_delta", "content_block_stop",
                            "message_delta", "message_stop"})
SAMPLING_FLAGS = {"temperature": "--temperature", "top_p": "--top-p", "top_k": "--top-k"}


class EventReader(Protocol):
    """Turns one stream's events into completion events (None: the event has no completion of its own)."""

    names: frozenset[str]
    translated: bool

    def completion(self, name: str, document: dict) -> dict | None: ...


class CompletionEvents:
    """`/v1/complete`: each `completion` event is a completion event, its data line as received."""

    names = frozenset({"completion"})
    translated = False

    def completion(self, name: str, document: dict) -> dict | None:
        return document


class MessageEvents:
    """`/v1/messages`: a completion event per text delta, and the final one (with its stop reason) from
    `message_delta`; `message_start` gives the id and model, the other events give nothing."""

    names = MESSAGE_EVENTS
    translated = True

    def __init__(self) -> None:
        self.id: str | None = None
        self.model: str | None = None
        self.usage: dict = {}

    def completion(self, name: str, document: dict) -> dict | None:
        if name == "content_block_delta":
            delta = document.get("delta")
            if isinstance(delta, dict) and delta.get("type") == "text_delta":
                return self.event(str(delta.get("text", "")), None)
        elif name == "message_start":
            self.started(document.get("message"))
        elif name == "message_delta":
            return self.finished(document)
        return None

    def started(self, message) -> None:
        if isinstance(message, dict):
            self.id, self.model = message.get("id"), message.get("model")
            self.usage = dict(message.get("usage") or {})

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

    name = "completion"

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

    name = "message"

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
            given = " ".join(flag for key, flag in SAMPLING_FLAGS.items() if key in body)
            return f"this model takes no sampling parameters: remove {given or 'them'}"
        if "maximum allowed number of output tokens" in message:
            return "lower --max-tokens-to-sample to the model's maximum, named above"
        return None


def model_hint(model: str) -> str:
    retired = RETIRED_MODELS.get(model)
    if retired is not None:
        return (f"{model} was retired on {retired.isoformat()}; use a current model, "
                f"e.g. --model {SUGGESTED_MODEL}")
    return f"the Messages API does not know {model}; use a current model, e.g. --model {SUGGESTED_MODEL}"


def adapter_for(via: Api) -> Adapter:
    return CompleteApi() if via is Api.COMPLETE else MessagesApi()
