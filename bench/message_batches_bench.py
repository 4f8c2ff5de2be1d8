"""The Message Batches figures of `make bench`: 100,000 lines submitted, polled and collected against the mock.

`ant --via message-batches completions batch` with its real poll schedule (3 s, growing to a minute) against
the mock whose batches take PROCESSING seconds: the wall time beyond that processing time (reading,
translating and uploading the lines, the polls' granularity, the results streamed back and written in
input order), the peak RSS, and the HTTP calls the mock saw. `bench/bench.py --only-message-batches` runs
only this.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from ant_mock import MockServer
from ant_mock.batches import BatchLimits

LINES, PROCESSING = 100_000, 10.0
MODEL, TOKENS = "claude-haiku-4-5", "16"


def write_prompts(folder: Path, count: int) -> Path:
    path = folder / f"batch-prompts-{count}.jsonl"
    with open(path, "w") as handle:
        for n in range(1, count + 1):
            params = {"prompt": f"\n\nHuman: question {n}\n\nAssistant:"}
            handle.write(json.dumps({"custom_id": f"q-{n}", "params": params}) + "\n")
    return path


def calls(server: MockServer) -> str:
    """The API calls the mock answered, by kind."""
    kinds: dict[str, int] = {}
    for entry in server.requests:
        path = entry["path"]
        kind = ("create" if entry["method"] == "POST" and path.endswith("/batches") else
                "results" if path.endswith("/results") else "retrieve" if entry["method"] == "GET" else path)
        kinds[kind] = kinds.get(kind, 0) + 1
    return ", ".join(f"{count} {kind}" for kind, count in kinds.items())


def message_batches_section(run_once, ant: str, folder: Path, env: dict) -> list[str]:
    """The markdown table of one run over LINES lines."""
    prompts, output = write_prompts(folder, LINES), folder / "batch-results.jsonl"
    argv = [ant, "--via", "message-batches", "completions", "batch", str(prompts), "--model", MODEL,
            "--max-tokens-to-sample", TOKENS, "-o", str(output), "--quiet"]
    with MockServer(api_key="bench-key", batches=BatchLimits(seconds=PROCESSING)) as server:
        started = time.perf_counter()
        wall, rss, status = run_once(argv, dict(env, ANTHROPIC_BASE_URL=server.url))
        print(f"  message batches, {LINES:,} lines: {time.perf_counter() - started:.1f}s", flush=True)
        made = calls(server)
    with open(output, "rb") as handle:
        written = sum(1 for _ in handle)
    return [f"| --via message-batches, {PROCESSING:.0f} s processing | lines | seconds | beyond processing "
            "| peak RSS MB | HTTP calls | exit |", "|---|---:|---:|---:|---:|---|---:|",
            f"| {LINES:,} lines | {written:,} | {wall:.1f} | {wall - PROCESSING:.1f} | {rss / 1024:.1f} | {made} "
            f"| {status} |"]
