"""The Message Batches a run has created, kept beside its -o FILE so that no line is ever paid for twice.

`FILE.batches` is a journal of JSON lines, each appended, flushed and fsynced the moment it is known:

    {"created": "msgbatch_...", "custom_ids": {"<id sent>": "<the line's custom_id>", ...}}
    {"created": "msgbatch_...", "custom_ids": null}      (attached with --attach: its lines are learnt from its results)
    {"collected": "msgbatch_..."}                          (its results are in FILE)

A batch created but not collected is pending: `--resume` polls it and collects its results rather than
sending its lines again. When every batch has been collected the file has nothing left to say and is removed.
A custom_id the API does not accept (`^[a-zA-Z0-9_-]{1,64}$`) is sent as an id derived from it (`wire_id`),
the same in every run; the mapping is in each record, and the results carry the line's own custom_id.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from typing import BinaryIO, Iterable

from ant_cli.core.errors import OutputError, UsageError
from ant_cli.output.encoding import compact_json, utf8_json

SUFFIX = ".batches"
ACCEPTED_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")


def wire_id(custom_id: str) -> str:
    """The custom_id sent for a line: its own when the API accepts it, else one derived from it."""
    if ACCEPTED_ID.fullmatch(custom_id):
        return custom_id
    return "id-" + hashlib.sha256(custom_id.encode("utf-8", "surrogatepass")).hexdigest()[:60]


def wire_ids(ids: Iterable[str]) -> dict[str, str]:
    """The id sent -> the line's custom_id, for the lines whose id is not sent as it is. Checked before anything
    is sent: an id derived for one line must not be another line's own."""
    input_ids = set(ids)
    mapped = {wire_id(custom_id): custom_id for custom_id in input_ids if not ACCEPTED_ID.fullmatch(custom_id)}
    clash = sorted(set(mapped) & input_ids)
    if clash:
        raise UsageError(f"custom_id {clash[0]!r} is also the id sent for custom_id {mapped[clash[0]]!r} "
                         "(the Message Batches API accepts only ^[a-zA-Z0-9_-]{1,64}$); rename one of them")
    return mapped


class Pending:
    """A batch not yet collected: its id and its lines' custom_ids (None: not known until its results)."""

    def __init__(self, batch_id: str, custom_ids: set[str] | None):
        self.id, self.custom_ids = batch_id, custom_ids


class BatchState:
    """The state file of one -o FILE (or none, for results on stdout: then nothing is kept)."""

    def __init__(self, output: str | None):
        self.path = output + SUFFIX if output else None
        self.handle: BinaryIO | None = None

    def exists(self) -> bool:
        return self.path is not None and os.path.exists(self.path)

    def pending(self) -> list[Pending]:
        """The batches created and not collected, in creation order."""
        if not self.exists():
            return []
        assert self.path is not None
        found: dict[str, Pending] = {}
        try:
            with open(self.path, "rb") as handle:
                for line in handle:
                    self.read_record(line, found)
        except OSError as exc:
            raise UsageError(f"cannot read '{self.path}': {exc.strerror or exc}") from None
        return list(found.values())

    @staticmethod
    def read_record(line: bytes, found: dict[str, Pending]) -> None:
        try:
            record = json.loads(line)
        except ValueError:
            return  # a record torn by a kill: its batch was not confirmed
        if isinstance(record, dict) and isinstance(record.get("created"), str):
            ids = record.get("custom_ids")
            found[record["created"]] = Pending(record["created"], set(ids.values()) if isinstance(ids, dict) else None)
        elif isinstance(record, dict) and isinstance(record.get("collected"), str):
            found.pop(record["collected"], None)

    def open(self, keep: bool) -> None:
        if self.path is None:
            return
        try:
            self.handle = open(self.path, "ab" if keep else "wb")
        except OSError as exc:
            raise UsageError(f"cannot write '{self.path}': {exc.strerror or exc}") from None

    def created(self, batch_id: str, custom_ids: dict[str, str] | None) -> None:
        self.write({"created": batch_id, "custom_ids": custom_ids})

    def collected(self, batch_id: str) -> None:
        self.write({"collected": batch_id})

    def write(self, record: dict) -> None:
        """One record, on disk before anything else happens (a kill right after it loses nothing)."""
        if self.handle is None:
            return
        try:
            self.handle.write(utf8_json(compact_json(record)) + b"\n")
            self.handle.flush()
            os.fsync(self.handle.fileno())
        except OSError as exc:
            raise OutputError(f"cannot write to '{self.path}': {exc.strerror or exc}") from None

    def close(self, finished: bool) -> None:
        """Close it; removed when every batch it names has been collected."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        if finished and self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
