"""`--debug`: each attempt's request and response on stderr as it happens, credentials redacted.

In a batch, where several lines are in flight at once, each line of the log starts with the label of
the input line it belongs to (its custom_id), so interleaved attempts can be told apart.
"""

from __future__ import annotations

import json
import os

from ant_cli.core.redact import redact_headers


class DebugLog:
    """Writes `ant: debug: ...` lines through `say`, which masks registered secrets as a second guard."""

    def __init__(self, say):
        self._say = say

    def line(self, text: str, label: str = "") -> None:
        self._say(f"ant: debug: {label}{text}")

    def request(self, request, headers: dict, retries: int, label: str = "") -> None:
        self.line(f"> {request.method} {request.url} (attempt {retries + 1})", label)
        for name, value in redact_headers(headers).items():
            self.line(f"> {name}: {value}", label)
        if getattr(request, "upload", None) is not None:  # a batch of up to 256 MB: its size, not its text
            self.line(f"> ({os.fstat(request.upload.fileno()).st_size} bytes of JSON from a file)", label)
        elif request.method != "GET":
            self.line("> " + json.dumps(request.body, ensure_ascii=False), label)

    def response(self, response, label: str = "") -> None:
        self.line(f"< {response.status} {response.reason}", label)
        for name, value in redact_headers(dict(response.headers)).items():
            self.line(f"< {name}: {value}", label)
        if response.body is not None:
            self.line("< " + response.body.decode("utf-8", "replace"), label)

    def event(self, name: str, data: str) -> None:
        self.line(f"< event: {name} data: {data}")
