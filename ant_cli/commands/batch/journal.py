"""A batch's results file that survives a kill at any moment: an append-only journal, then an atomic rewrite.

While a batch runs, each result is appended as one whole line and flushed the moment it arrives,
so a kill loses at most the requests in flight. When the batch finishes, the file is rewritten in
input order with one line per custom_id: written to a temporary file beside it, fsynced, and renamed over
FILE (keeping its permissions).
Resuming reads the journal back: a torn last line is cut off, and the succeeded results are kept. A
file holding anything but results of this input (another input's results, lines that are not results)
is refused untouched, unless the user asks to drop those lines: results already paid for are never
dropped silently. The lines are read with the parser of the module that writes them (`results`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from typing import AbstractSet, BinaryIO, Iterable, Iterator

from ant_cli.commands.batch.results import parse_result_line
from ant_cli.core.errors import OutputError, UsageError
from ant_cli.core.redact import Redactor

SHOWN = 3  # foreign custom_ids named in a refusal; the count says how many more
DROP_OPTION = "--drop-foreign"


def check_target(path: str, resume: bool, overwrite: bool) -> None:
    """An existing FILE is replaced only when asked: without --resume or --overwrite it is a usage error."""
    if resume and overwrite:
        raise UsageError("--resume and --overwrite contradict each other: keep FILE's results, or replace them")
    if os.path.isdir(path):
        raise UsageError(f"--output '{path}' is a directory")
    if os.path.exists(path) and not (resume or overwrite):
        raise UsageError(f"--output '{path}' already exists; add --resume to keep its results and send the rest, "
                         "or --overwrite to replace it")


def whole_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(offset, line) of every complete line; a last line without its newline is torn and not whole."""
    offset = 0
    for line in handle:
        if not line.endswith(b"\n"):
            return
        yield offset, line
        offset += len(line)


@dataclass
class Holdings:
    """What an existing results file holds, read back for --resume."""

    succeeded: set[str] = field(default_factory=set)  # custom_ids of the input with a succeeded result
    foreign: dict[str, None] = field(default_factory=dict)  # custom_ids not in the input, in file order, once
    unreadable: list[int] = field(default_factory=list)  # 1-based numbers of whole lines that are not results
    end: int = 0  # the offset just after the last whole line (a torn line after it is cut)


def refuse_foreign(path: str, held: Holdings) -> None:
    """Resuming rewrites FILE with the input's lines only: anything else in it would be lost, so say what."""
    problems = []
    if held.foreign:
        named = ", ".join(repr(custom_id) for custom_id in list(held.foreign)[:SHOWN])
        more = ", …" if len(held.foreign) > SHOWN else ""
        problems.append(f"results for {len(held.foreign)} custom_id{plural(held.foreign)} that this input "
                        f"does not have ({named}{more})")
    if held.unreadable:
        numbers = ", ".join(str(number) for number in held.unreadable[:SHOWN])
        more = ", …" if len(held.unreadable) > SHOWN else ""
        problems.append(f"{len(held.unreadable)} line{plural(held.unreadable)} that {is_are(held.unreadable)} "
                        f"not a batch result (line {numbers}{more})")
    if problems:
        raise UsageError(f"--resume: '{path}' holds {' and '.join(problems)}; resuming would drop them. Nothing "
                         f"was sent and the file is untouched: check that this is the input of that run, or add "
                         f"{DROP_OPTION} to drop them")


def plural(items) -> str:
    return "" if len(items) == 1 else "s"


def is_are(items) -> str:
    return "is" if len(items) == 1 else "are"


class Journal:
    """The results file of one batch run."""

    def __init__(self, path: str, redactor: Redactor = Redactor()):
        self.path = path
        self.redactor = redactor  # a result never carries a credential to disk, even one an error body echoed
        self.handle: BinaryIO | None = None

    def recover(self, input_ids: AbstractSet[str], drop_foreign: bool) -> set[str]:
        """The custom_ids of the input that already succeeded; the file is cut after its last whole line.
        A file that holds lines of no input line is refused untouched, unless `drop_foreign`."""
        if not os.path.exists(self.path):
            return set()
        try:
            held = self.holdings(input_ids)
            if not drop_foreign:
                refuse_foreign(self.path, held)
            os.truncate(self.path, held.end)
        except OSError as exc:
            raise UsageError(f"cannot resume from --output '{self.path}': {exc.strerror or exc}") from None
        return held.succeeded

    def holdings(self, input_ids: AbstractSet[str]) -> Holdings:
        held = Holdings()
        with open(self.path, "rb") as handle:
            for number, (offset, line) in enumerate(whole_lines(handle), start=1):
                held.end = offset + len(line)
                parsed = parse_result_line(line)
                if parsed is None:
                    held.unreadable.append(number)
                elif parsed.custom_id not in input_ids:
                    held.foreign.setdefault(parsed.custom_id, None)
                elif parsed.type == "succeeded":
                    held.succeeded.add(parsed.custom_id)
        return held

    def open(self, keep: bool) -> None:
        """Opened before anything is sent: a FILE that cannot be written is a usage error, not lost work."""
        try:
            self.handle = open(self.path, "ab" if keep else "wb")
        except OSError as exc:
            raise UsageError(f"cannot write --output '{self.path}': {exc.strerror or exc}") from None

    def append(self, line: bytes) -> None:
        """One whole line, flushed: on disk for any reader, and safe from a kill of this process."""
        assert self.handle is not None
        try:
            self.handle.write(self.redactor.data(line))
            self.handle.flush()
        except OSError as exc:
            raise OutputError(f"cannot write to '{self.path}': {exc.strerror or exc} "
                              "(the results written so far are kept; --resume sends the rest)") from None

    def close(self) -> None:
        """Close the journal; bytes a full disk refused were already reported by `append`, not again here."""
        if self.handle is not None:
            handle, self.handle = self.handle, None
            try:
                handle.close()
            except OSError:
                pass

    def finalize(self, order: Iterable[str]) -> None:
        """Rewrite the file in input order, one line per custom_id (the latest): a temporary file beside it,
        fsynced, renamed over it. Any failure leaves the journal as it was, and says so."""
        self.close()
        target = os.path.realpath(self.path)  # through a symbolic link, to the file it names
        descriptor, temporary = tempfile.mkstemp(prefix=os.path.basename(target) + ".", suffix=".tmp",
                                                 dir=os.path.dirname(target))
        try:
            with os.fdopen(descriptor, "wb") as handle:
                self.write_in_order(order, handle)
                os.fchmod(handle.fileno(), stat.S_IMODE(os.stat(target).st_mode))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise OutputError(f"cannot rewrite '{self.path}' in input order: {exc.strerror or exc} "
                              "(its results are all there, in arrival order)") from None
        sync_directory(target)

    def write_in_order(self, order: Iterable[str], target: BinaryIO) -> None:
        latest = self.latest_offsets()
        with open(self.path, "rb") as source:
            for custom_id in order:
                if custom_id in latest:
                    source.seek(latest[custom_id])
                    target.write(source.readline())

    def latest_offsets(self) -> dict[str, int]:
        """custom_id -> offset of its last whole line in the journal."""
        latest: dict[str, int] = {}
        with open(self.path, "rb") as handle:
            for offset, line in whole_lines(handle):
                parsed = parse_result_line(line)
                if parsed is not None:
                    latest[parsed.custom_id] = offset
        return latest


def sync_directory(path: str) -> None:
    """Make the rename itself durable (where the platform allows opening a directory)."""
    try:
        descriptor = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
