"""The pacing figures of `make bench`: `ant completions batch`, with no pacing flag, at the mock's rate limits.

Each case runs one batch against a mock that enforces a limit (a token bucket 5 s deep, as the API may
enforce a per-minute limit over shorter intervals) with latency, and sets its figure beside the ideal:
(a) 600 lines at 600 requests/min, the bucket drained first; (b) 1,000 lines at 6,000/min, 1-3 s answers;
(c) 4,000/min with 20 s answers, two minutes of lines; (d) an output-token limit that binds; (e) a second
client on the key taking 30 % of it; (f) CPU per request and peak RSS of run (c), which holds over 1,000
requests in flight. A 429 shows in the mock's log as a retry (x-stainless-retry-count above 0).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import NamedTuple

from ant_cli.mockserver import MockServer

MODEL = "claude-2.1"
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


class Case(NamedTuple):
    """One batch at a limit: its lines, the mock's settings, and the max tokens of each line."""

    name: str
    lines: int
    mock: dict
    max_tokens: int = 16
    drained: bool = False


class Run(NamedTuple):
    """What one batch did: wall seconds, exit status, CPU seconds, peak RSS KB, and the mock's view."""

    wall: float
    status: int
    cpu: float
    rss: int
    arrivals: list[float]
    refused: int
    max_in_flight: int


CASES = {
    "a": Case("600 lines at 600 requests/min, bucket drained first", 600, {"rpm": 600, "latency": "0.2-0.6"},
              drained=True),
    "b": Case("1,000 lines at 6,000 requests/min, 1-3 s answers", 1000, {"rpm": 6000, "latency": "1-3"}),
    "c": Case("4,000 requests/min, 20 s answers, 2 minutes of lines", 8000, {"rpm": 4000, "latency": 20}),
    "d": Case("output tokens bind: 60,000/min, max 500 a line", 100,
              {"rpm": 4000, "output_tpm": 60_000, "latency": "0.5-1.5"}, max_tokens=500),
    "e": Case("a second client takes 30 % of 3,000 requests/min", 1500,
              {"rpm": 3000, "other": 0.3, "latency": "0.5-1.5"}),
}


def write_lines(folder: Path, count: int) -> Path:
    path = folder / f"pacing-{count}.jsonl"
    with open(path, "w") as handle:
        for n in range(1, count + 1):
            handle.write(json.dumps({"custom_id": f"p-{n}", "params": {"prompt": f"\n\nHuman: q {n}\n\nAssistant:"}})
                         + "\n")
    return path


def run_case(ant: str, case: Case, folder: Path, env: dict) -> Run:
    """One batch against a fresh mock: its figures, with CPU and peak RSS from GNU time when there is one."""
    lines = write_lines(folder, case.lines)
    report = folder / "time.txt"
    with MockServer(api_key="bench-key", **case.mock) as server:
        if case.drained:
            server.drain()
        argv = [ant, "completions", "batch", str(lines), "--model", MODEL, "--max-tokens-to-sample",
                str(case.max_tokens), "--quiet"]
        if GNU_TIME:
            argv = [GNU_TIME, "-f", "%M %U %S", "-o", str(report), *argv]
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=dict(env, ANTHROPIC_BASE_URL=server.url))
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        log = server.requests
        max_in_flight = server.stats["max_in_flight"]
    rss, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    if GNU_TIME:
        kilobytes, user, system = report.read_text().split()[-3:]
        rss, cpu = int(kilobytes), float(user) + float(system)
    refused = sum(entry["headers"].get("x-stainless-retry-count", "0") != "0" for entry in log)
    return Run(wall, os.waitstatus_to_exitcode(status), cpu, rss, sorted(entry["time"] for entry in log), refused,
               max_in_flight)


def per_minute(times: list[float], skip: int = 0) -> float:
    """Arrivals per minute from the `skip`-th arrival to the last (the burst a full bucket allows left out)."""
    kept = times[skip:]
    return (len(kept) - 1) * 60 / (kept[-1] - kept[0]) if len(kept) > 1 and kept[-1] > kept[0] else 0.0


def rows(case_id: str, case: Case, run: Run) -> list[str]:
    """The table rows of one case: (figure, measured, ideal, goal, met)."""
    refusals = f"{run.refused} ({run.refused * 100 / (case.lines + run.refused):.2f} %)"
    burst = int(case.mock["rpm"] * 5 / 60)
    if case_id == "a":
        return [row(case_id, case.name, "seconds; 429s", f"{run.wall:.1f} s; {run.refused}", "60 s; 0",
                    "≤ 63 s; ≤ 3", run.wall <= 63 and run.refused <= 3)]
    if case_id == "b":
        return [row(case_id, case.name, "seconds", f"{run.wall:.1f} s", "10 s", "≤ 11 s", run.wall <= 11)]
    if case_id == "c":
        # sent per minute once the first answer (20 s) told the limit and its burst went: each completes 20 s on
        rate = per_minute(run.arrivals, 1 + burst)
        return [row(case_id, case.name, "completions/min (sends after the first answer and its burst)",
                    f"{rate:,.0f}", "4,000", "≥ 3,800", rate >= 3800),
                row("f", "CPU and memory of run (c), " + f"{run.max_in_flight:,} in flight at most",
                    "CPU ms per request; peak RSS MB", f"{run.cpu * 1000 / case.lines:.2f} ms; {run.rss / 1024:.0f} MB",
                    "-", "≤ 1.5 ms; < 150 MB", run.cpu * 1000 / case.lines <= 1.5 and run.rss < 150 * 1024)]
    if case_id == "d":
        tokens = per_minute(run.arrivals, 1 + 60_000 * 5 // 60 // case.max_tokens) * case.max_tokens
        return [row(case_id, case.name, "output tokens/min (after the first burst); 429s",
                    f"{tokens:,.0f} ({tokens / 600:.1f} %); {run.refused}", "60,000 (100 %)", "≥ 95 %",
                    tokens >= 57_000)]
    share = per_minute(run.arrivals, 1 + burst) / (case.mock["rpm"] * 0.7)
    return [row(case_id, case.name, "429s; requests/min of the 70 % left", f"{refusals}; {share * 100:.0f} %",
                "0; 100 %", "≤ 1 %", run.refused <= case.lines / 100)]


def row(case_id: str, name: str, figure: str, measured: str, ideal: str, goal: str, met: bool) -> str:
    return f"| ({case_id}) {name} | {figure} | {measured} | {ideal} | {goal} | {'yes' if met else '**no**'} |"


def pacing_section(ant: str, folder: Path, env: dict, only: str = "abcde") -> list[str]:
    """The markdown table of the pacing figures, each beside its ideal and the goal."""
    table = ["| case | figure | measured | ideal | goal | met |", "|---|---|---:|---:|---:|---|"]
    for case_id in only:
        case = CASES[case_id]
        run = run_case(ant, case, folder, env)
        print(f"  pacing ({case_id}) {case.name}: {run.wall:.1f}s, exit {run.status}", flush=True)
        table += rows(case_id, case, run) if run.status == 0 else [
            row(case_id, case.name, "exit status", str(run.status), "0", "0", False)]
    return table
