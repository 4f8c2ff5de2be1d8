"""The batch figures of `make bench`: one process against the ways people send many prompts today.

1,000 prompts against the mock with 50 ms latency: `ant completions batch --parallel 8` against the
ideal time (1,000 × 50 ms / 8), a shell-style loop of `ant completions create`, `xargs -P 8`, and the
official SDK in a pool of 8 threads. A process per prompt takes minutes, so the two shell runs send the
first 250 prompts and their time is multiplied by 4 (each prompt costs the same: a process, a
connection, a request). Then peak RSS of a batch over 10,000 and 100,000 lines.
"""

from __future__ import annotations

import json
import shlex
import time
from pathlib import Path

from ant_cli.mockserver import MockServer

PROMPTS, LATENCY, PARALLEL = 1000, 0.05, 8
SHELL_PROMPTS = 250  # the shell loops' sample; their time is scaled to PROMPTS
MODEL, TOKENS = "claude-2.1", "16"


def write_prompts(folder: Path, count: int) -> Path:
    path = folder / f"prompts-{count}.jsonl"
    with open(path, "w") as handle:
        for n in range(1, count + 1):
            params = {"prompt": f"\n\nHuman: question {n}\n\nAssistant:"}
            handle.write(json.dumps({"custom_id": f"q-{n}", "params": params}) + "\n")
    return path


def batch_argv(ant: str, prompts: Path) -> list[str]:
    return [ant, "completions", "batch", str(prompts), "--model", MODEL, "--max-tokens-to-sample", TOKENS,
            "--parallel", str(PARALLEL), "--quiet"]


def messages_batch_argv(ant: str, prompts: Path) -> list[str]:
    """The same batch through the Messages API, on a current model."""
    return [ant, "completions", "batch", str(prompts), "--via", "messages", "--model", "claude-haiku-4-5",
            "--max-tokens-to-sample", TOKENS, "--parallel", str(PARALLEL), "--quiet"]


def loop_argv(ant: str, prompts: Path, parallel: bool) -> list[str]:
    """A shell running `ant completions create` per prompt: one after another, or with xargs -P 8."""
    create = (f"{shlex.quote(ant)} completions create --model {MODEL} --max-tokens-to-sample {TOKENS} "
              "--format json --prompt \"$(printf '\\n\\nHuman: question %s\\n\\nAssistant:' \"$1\")\"")
    numbers = f"seq 1 {SHELL_PROMPTS}"
    if parallel:
        script = f"{numbers} | xargs -P {PARALLEL} -n 1 sh -c {shlex.quote(create)} _"
    else:
        script = f"for n in $({numbers}); do set -- \"$n\"; {create}; done"
    return ["sh", "-c", script]


def cases(ant: str, sdk: str | None, prompts: Path, here: Path) -> dict[str, list[str]]:
    found = {f"ant completions batch --parallel {PARALLEL}": batch_argv(ant, prompts),
             f"ant completions batch --parallel {PARALLEL} --via messages": messages_batch_argv(ant, prompts),
             SCALED + "loop of ant completions create": loop_argv(ant, prompts, parallel=False),
             SCALED + f"xargs -P {PARALLEL} ant completions create": loop_argv(ant, prompts, parallel=True)}
    if sdk:
        found[f"official SDK, {PARALLEL} threads"] = [sdk, str(here / "sdk_batch.py"), MODEL, TOKENS, str(prompts)]
    return found


SCALED = f"({SHELL_PROMPTS} run, ×{PROMPTS // SHELL_PROMPTS}) "


def time_table(results: dict[str, tuple[float, int, int]]) -> list[str]:
    ideal = PROMPTS * LATENCY / PARALLEL
    ours = results[f"ant completions batch --parallel {PARALLEL}"][0]
    rows = [f"| {PROMPTS} prompts, {LATENCY * 1000:.0f} ms latency | seconds | × ideal ({ideal:.2f} s) "
            "| × ant batch | peak RSS MB | exit |", "|---|---:|---:|---:|---:|---:|"]
    for name, (wall, rss, status) in results.items():
        wall *= PROMPTS / SHELL_PROMPTS if name.startswith(SCALED) else 1
        rows.append(f"| {name} | {wall:.2f} | {wall / ideal:.2f} | {wall / ours:.2f} | {rss / 1024:.1f} | {status} |")
    return rows


def memory_rows(run_once, ant: str, folder: Path, env: dict) -> list[str]:
    rows = ["| batch over | seconds | lines/s | peak RSS MB | exit |", "|---|---:|---:|---:|---:|"]
    # An enforced budget far above the load keeps the mock's rate-limit headers from ever saying 0.
    with MockServer(api_key="bench-key", rpm=100_000_000) as server:
        for count in (10_000, 100_000):
            prompts = write_prompts(folder, count)
            wall, rss, status = run_once(batch_argv(ant, prompts), dict(env, ANTHROPIC_BASE_URL=server.url))
            rows.append(f"| {count:,} lines | {wall:.1f} | {count / wall:,.0f} | {rss / 1024:.1f} | {status} |")
    return rows


def batch_section(run_once, ant: str, sdk: str | None, folder: Path, env: dict, here: Path,
                  only_via: bool = False) -> list[str]:
    """The markdown tables of the batch figures (only the two batches, complete and messages, with `only_via`)."""
    prompts = write_prompts(folder, PROMPTS)
    results = {}
    chosen = cases(ant, sdk, prompts, here)
    if only_via:
        chosen = {name: argv for name, argv in chosen.items() if name.startswith("ant completions batch")}
    with MockServer(api_key="bench-key", latency=LATENCY, rpm=100_000_000) as server:
        run_env = dict(env, ANTHROPIC_BASE_URL=server.url)
        for name, argv in chosen.items():
            started = time.perf_counter()
            results[name] = run_once(argv, run_env)
            print(f"  {name}: {time.perf_counter() - started:.1f}s", flush=True)
    if only_via:
        return time_table(results)
    return [*time_table(results), "", *memory_rows(run_once, ant, folder, env)]
