"""`--debug`: each attempt's request and response on stderr as it happens, credentials redacted."""

from __future__ import annotations

import json

from ant_cli.core.redact import redact_headers


class DebugLog:
    """Writes `ant: debug: ...` lines through `say`, which masks registered secrets as a second guard."""

    def __init__(self, say):
        self._say = say

    def line(self, text: str) -> None:
        self._say(f"ant: debug: {text}")

    def request(self, request, headers: dict, retries: int) -> None:
        self.line(f"> {request.method} {request.url} (attempt {retries + 1})")
        for name, value in redact_headers(headers).items():
            self.line(f"> {name}: {value}")
        self.line("> " + json.dumps(request.body, ensure_ascii=False))

    def response(self, response) -> None:
        self.line(f"< {response.status} {response.reason}")
        for name, value in redact_headers(dict(response.headers)).items():
            self.line(f"< {name}: {value}")
        if response.body is not None:
            self.line("< " + response.body.decode("utf-8", "replace"))

    def event(self, name: str, data: str) -> None:
        self.line(f"< event: {name} data: {data}")
