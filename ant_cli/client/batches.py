"""Message Batches over the shared Transport: create, retrieve, cancel, and a batch's results as they arrive.

The calls the official SDK makes (anthropic 0.125.0, `resources/messages/batches.py`): `POST /v1/messages/batches`
with `{"requests": [...]}` (sent here from a file: a batch may hold 256 MB), `GET /v1/messages/batches/{id}`
(idempotent, the poll), `POST /v1/messages/batches/{id}/cancel`, and `GET <results_url>` (used as given, with
`accept: application/binary`), whose JSONL body is read line by line, never whole. Each call has the retries of
any request, except that a create is not sent again after a network failure that may have come after the API
got it; an error status raises its ApiError, an answer that is not a MessageBatch is MalformedResponse.
"""

from __future__ import annotations

from typing import BinaryIO, Callable, Iterator

from ant_cli.client.api_errors import malformed_body, parse_json
from ant_cli.client.transport import Budget, Response, Transport, error_for
from ant_cli.core.catalog import DEFAULT_BASE_URL
from ant_cli.core.types import HttpRequest

BATCHES_PATH = "/v1/messages/batches"
RESULTS_ACCEPT = "application/binary"  # what the SDK asks the results endpoint for


Headers = Callable[[list[str]], dict]  # the headers of any request, given the batch's beta names


def batches_url(base_url: str | None) -> str:
    return (base_url or DEFAULT_BASE_URL).rstrip("/") + BATCHES_PATH


def batch_request(headers: dict, method: str, url: str, upload: BinaryIO | None = None,
                  streamed: bool = False) -> HttpRequest:
    """A batches call: a GET has no body, the results are asked for as the SDK asks for them."""
    headers = dict(headers)
    if method == "GET":
        headers.pop("content-type", None)
    if streamed:
        headers["accept"] = RESULTS_ACCEPT
    return HttpRequest(method, url, headers, {}, upload, streamed)


class BatchesClient:
    """The Message Batches calls of one run, through its Transport."""

    def __init__(self, transport: Transport, base_url: str | None, headers: Headers,
                 say: Callable[[str], None] | None = None):
        self.transport, self.headers, self.say = transport, headers, say  # where retry notices go
        self.base = batches_url(base_url)

    def request(self, method: str, url: str, streamed: bool = False) -> HttpRequest:
        return batch_request(self.headers([]), method, url, streamed=streamed)

    def send(self, request: HttpRequest, label: str, resend: bool = True) -> Response:
        response = self.transport.send(request, Budget(self.say, label, resend=resend))
        if not response.ok:
            raise error_for(response)
        return response

    def batch(self, request: HttpRequest, label: str, resend: bool = True) -> dict:
        """A call whose answer is a MessageBatch object."""
        response = self.send(request, label, resend)
        document = parse_json(response.body or b"")
        if not (isinstance(document, dict) and isinstance(document.get("id"), str)
                and isinstance(document.get("processing_status"), str)):
            raise malformed_body(response.status, response.reason, response.headers, response.body or b"",
                                 "message batch")
        return document

    def create(self, upload: BinaryIO, betas: list[str]) -> dict:
        """Create a batch from a file holding the whole `{"requests": [...]}` body. A network failure once the
        body may have been sent is not retried: a second create could make a second batch, paid twice."""
        return self.batch(batch_request(self.headers(betas), "POST", self.base, upload), "create: ", resend=False)

    def retrieve(self, batch_id: str) -> dict:
        return self.batch(self.request("GET", f"{self.base}/{batch_id}"), f"{batch_id}: ")

    def cancel(self, batch_id: str) -> dict:
        return self.batch(self.request("POST", f"{self.base}/{batch_id}/cancel"), f"{batch_id}: ")

    def results(self, url: str, label: str) -> Iterator[bytes]:
        """Each result line of an ended batch, as it arrives (blank lines skipped)."""
        response = self.send(self.request("GET", url, streamed=True), label)
        try:
            yield from lines_of(response.read_chunks())
        finally:
            response.close()


def lines_of(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Whole lines from chunks cut anywhere; a last line without its newline is still a line."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line.strip():
                yield line
    if pending.strip():
        yield pending
