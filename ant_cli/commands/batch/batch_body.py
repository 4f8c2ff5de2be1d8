"""The body of one Message Batches create, `{"requests": [...]}`, built in a temporary file, never in memory.

A body takes requests while it stays within the documented limits (https://platform.claude.com/docs/en/
build-with-claude/batch-processing: 100,000 requests or 256 MB, whichever comes first) and while their
`anthropic-beta` header is the same (betas are a header of the whole batch). Each request's place in the
file is kept, so that a body the API refuses as too large (413) is split in two without reading it whole.
"""

from __future__ import annotations

import tempfile
from typing import BinaryIO, NamedTuple

from ant_cli.output.encoding import compact_json, utf8_json

MAX_REQUESTS = 100_000
MAX_BYTES = 256_000_000
OPEN, SEPARATOR, CLOSE = b'{"requests":[', b",", b"]}"


class Limits(NamedTuple):
    requests: int = MAX_REQUESTS
    bytes: int = MAX_BYTES


def request_item(wire_id: str, params: dict) -> bytes:
    """One request of the batch: the id it is sent under and its /v1/messages params."""
    return utf8_json(compact_json({"custom_id": wire_id, "params": params}))


class BatchBody:
    """Requests gathered for one create: the file, where each item starts and ends, whose it is."""

    def __init__(self, betas: list[str], limits: Limits):
        self.betas, self.limits = betas, limits
        self.file: BinaryIO = tempfile.TemporaryFile()
        self.file.write(OPEN)
        self.spans: list[tuple[int, int]] = []  # (offset, length) of each item
        self.custom_ids: dict[str, str] = {}  # id sent -> the line's custom_id, in order

    def __len__(self) -> int:
        return len(self.spans)

    def takes(self, item: bytes, betas: list[str]) -> bool:
        """Whether one more item fits (an empty body takes anything: an item alone too large is the API's to refuse)."""
        if not self.spans:
            return True
        return (betas == self.betas and len(self.spans) < self.limits.requests
                and self.end + len(SEPARATOR) + len(item) + len(CLOSE) <= self.limits.bytes)

    @property
    def end(self) -> int:
        return self.spans[-1][0] + self.spans[-1][1] if self.spans else len(OPEN)

    def add(self, item: bytes, wire_id: str, custom_id: str) -> None:
        if self.spans:
            self.file.write(SEPARATOR)
        self.spans.append((self.file.tell(), len(item)))
        self.file.write(item)
        self.custom_ids[wire_id] = custom_id

    def finish(self) -> BinaryIO:
        """The whole body, ready to send (from its start)."""
        self.file.seek(self.end)
        self.file.write(CLOSE)
        self.file.flush()
        self.file.seek(0)
        return self.file

    def halves(self) -> tuple[BatchBody, BatchBody]:
        """Two bodies with the first and the second half of the requests (this one is closed)."""
        middle = len(self.spans) // 2
        ids = list(self.custom_ids.items())
        parts = (BatchBody(self.betas, self.limits), BatchBody(self.betas, self.limits))
        for index, (offset, length) in enumerate(self.spans):
            self.file.seek(offset)
            parts[index >= middle].add(self.file.read(length), *ids[index])
        self.close()
        return parts

    def close(self) -> None:
        self.file.close()
