"""`make bench`: start-up, request cost, streaming throughput and peak memory, side by side.

Starts the mock API on 127.0.0.1, then runs every command in alternating rounds (so drift on the
machine hits all of them alike) and reports medians, ratios to the bare click + requests script,
and peak RSS per run (from wait4). Prints a markdown table; `--out FILE` also writes it there.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from ant_cli.mockserver import MockServer  # noqa: E402
from bench.batch_bench import batch_section  # noqa: E402
from bench.message_batches_bench import message_batches_section  # noqa: E402
from bench.pacing_bench import pacing_section  # noqa: E402

BIN = Path(sys.executable).parent
ANT = str(BIN / "ant")
MODEL, TOKENS, PROMPT = "claude-2.1", "64", "\n\nHuman: Benchmark me\n\nAssistant:"
REQUEST = ["--model", MODEL, "--max-tokens-to-sample", TOKENS, "--prompt", PROMPT]
# The same command through the Messages API, on a current model (the mock serves each endpoint in its era).
VIA_MESSAGES = ["--via", "messages", "--model", "claude-haiku-4-5", "--max-tokens-to-sample", TOKENS,
                "--prompt", PROMPT]
SDK_VERSION = "0.125.0"
LONG_STREAM = {"events": 200_000, "chunk": " lorem ipsum"}  # about 25 MB of SSE


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(argv: list[str], env: dict) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KB, and exit status of one run (output discarded).

    Linux counts a child's memory from before its exec, which is a copy of this Python process; so
    the peak RSS is taken from GNU time, whose own child is forked from a small process.
    """
    report = HERE / ".rss"
    if GNU_TIME:
        argv = [GNU_TIME, "-f", "%M", "-o", str(report), *argv]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    rss = int(report.read_text().split()[-1]) if GNU_TIME else usage.ru_maxrss
    return elapsed, rss, os.waitstatus_to_exitcode(status)


def sdk_python() -> str | None:
    """A virtual environment with the official SDK's last release that has completions.create."""
    venv = HERE / ".sdk-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    ok = subprocess.run([str(python), "-c", f"import anthropic; assert anthropic.__version__ == '{SDK_VERSION}'"],
                        capture_output=True).returncode == 0
    if not ok:
        ok = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                             f"anthropic=={SDK_VERSION}"], capture_output=True).returncode == 0
    return str(python) if ok else None


def curl_command(url: str, stream: bool) -> list[str]:
    body = '{"model":"%s","max_tokens_to_sample":%s,"prompt":"\\n\\nHuman: Benchmark me\\n\\nAssistant:"%s}' % (
        MODEL, TOKENS, ',"stream":true' if stream else "")
    return ["curl", "-sS", "-N", url + "/v1/complete", "-H", "x-api-key: bench-key", "-H",
            "anthropic-version: 2023-06-01", "-H", "content-type: application/json", "-d", body]


def start_up_cases(url: str, sdk: str | None) -> dict[str, list[str]]:
    cases = {
        "bare click + requests (reference)": [sys.executable, str(HERE / "bare_click_requests.py"), *REQUEST],
        "ant --format json": [ANT, "completions", "create", *REQUEST, "--format", "json"],
        "ant --format json --via messages": [ANT, "completions", "create", *VIA_MESSAGES, "--format", "json"],
        "ant --format pretty (forced)": [ANT, "completions", "create", *REQUEST, "--format", "pretty"],
        "ant --help": [ANT, "--help"],
        "ant completions create --help": [ANT, "completions", "create", "--help"],
        "ant --version": [ANT, "--version"],
        "ant usage error (--top-k -1)": [ANT, "completions", "create", *REQUEST, "--top-k", "-1"],
    }
    if shutil.which("curl"):
        cases = {"curl": curl_command(url, False), **cases}
    if sdk:
        cases[f"official SDK anthropic {SDK_VERSION}"] = [sdk, str(HERE / "sdk_complete.py"), MODEL, TOKENS, PROMPT]
    return cases


def stream_cases(url: str) -> dict[str, tuple[list[str], dict]]:
    short = dict(LONG_STREAM, events=LONG_STREAM["events"] // 10)
    cases = {
        "ant --stream --format text": ([ANT, "completions", "create", *REQUEST, "--stream", "--format", "text"],
                                       LONG_STREAM),
        "ant --stream --format jsonl": ([ANT, "completions", "create", *REQUEST, "--stream", "--format", "jsonl"],
                                        LONG_STREAM),
        "ant --stream --format text --via messages": (
            [ANT, "completions", "create", *VIA_MESSAGES, "--stream", "--format", "text"], LONG_STREAM),
        "ant --stream --format jsonl --via messages": (
            [ANT, "completions", "create", *VIA_MESSAGES, "--stream", "--format", "jsonl"], LONG_STREAM),
        "ant --stream --format text, 10x shorter": (
            [ANT, "completions", "create", *REQUEST, "--stream", "--format", "text"], short),
    }
    if shutil.which("curl"):
        cases = {"curl -N": (curl_command(url, True), LONG_STREAM), **cases}
    return cases


def measure(cases: dict, rounds: int, env: dict, server=None) -> dict[str, list[tuple[float, int, int]]]:
    results = {name: [] for name in cases}
    for round_index in range(rounds):
        names = list(cases) if round_index % 2 == 0 else list(reversed(cases))  # alternate the order
        for name in names:
            argv, script = cases[name] if server else (cases[name], None)
            if script:
                server.script(script)
            results[name].append(run_once(argv, env))
    return results


def start_up_table(results, reference: str) -> list[str]:
    base = statistics.median(t for t, _, _ in results[reference])
    base_rss = statistics.median(r for _, r, _ in results[reference])
    rows = ["| command | median ms | × reference | peak RSS MB | × reference RSS | exit |",
            "|---|---:|---:|---:|---:|---:|"]
    for name, runs in results.items():
        wall = statistics.median(t for t, _, _ in runs)
        rss = statistics.median(r for _, r, _ in runs)
        rows.append(f"| {name} | {wall * 1000:.0f} | {wall / base:.2f} | {rss / 1024:.1f} | {rss / base_rss:.2f} "
                    f"| {runs[-1][2]} |")
    return rows


def stream_table(results) -> list[str]:
    rows = ["| stream | events | median s | events/s | peak RSS MB | exit |", "|---|---:|---:|---:|---:|---:|"]
    for name, runs in results.items():
        events = LONG_STREAM["events"] // (10 if "shorter" in name else 1)
        wall = statistics.median(t for t, _, _ in runs)
        rss = max(r for _, r, _ in runs)
        rows.append(f"| {name} | {events} | {wall:.2f} | {events / wall:,.0f} | {rss / 1024:.1f} | {runs[-1][2]} |")
    return rows


def via_table(results: dict[str, list[tuple[float, int, int]]]) -> list[str]:
    """Each case run both ways, side by side: what `--via messages` costs over `--via complete`."""
    rows = ["| the same command | --via complete, median s | --via messages, median s | × complete |",
            "|---|---:|---:|---:|"]
    for name, runs in results.items():
        twin = results.get(f"{name} --via messages")
        if twin is None:
            continue
        complete, messages = (statistics.median(t for t, _, _ in each) for each in (runs, twin))
        rows.append(f"| {name} | {complete:.3f} | {messages:.3f} | {messages / complete:.3f} |")
    return rows


def with_twins(cases: dict) -> dict:
    """The cases run both ways (--via complete and --via messages), and the reference."""
    return {name: case for name, case in cases.items()
            if "reference" in name or "--via messages" in name or f"{name} --via messages" in cases}


def start_up_and_streams(options, sdk: str | None, env: dict) -> list[str]:
    with MockServer(api_key="bench-key") as server:
        env = dict(env, ANTHROPIC_BASE_URL=server.url)
        start_cases, streamed = start_up_cases(server.url, sdk), stream_cases(server.url)
        if options.only_via:
            start_cases, streamed = with_twins(start_cases), with_twins(streamed)
        start_up = measure(start_cases, options.rounds, env)
        streams = measure(streamed, options.stream_rounds, env, server)
    return ["", *start_up_table(start_up, "bare click + requests (reference)"), "", *stream_table(streams),
            "", *via_table({**start_up, **streams})]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="alternating rounds of the start-up cases")
    parser.add_argument("--stream-rounds", type=int, default=3, help="rounds of the streaming cases")
    parser.add_argument("--no-sdk", action="store_true", help="skip the official SDK")
    parser.add_argument("--out", help="also write the table to this file")
    parser.add_argument("--only-batch", action="store_true", help="only the batch figures")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch figures (about 8 minutes)")
    parser.add_argument("--only-via", action="store_true",
                        help="only what runs both ways: --via complete against --via messages")
    parser.add_argument("--only-message-batches", action="store_true",
                        help="only the Message Batches figures (100,000 lines, about a minute)")
    parser.add_argument("--only-pacing", action="store_true",
                        help="only the pacing figures (a)-(f): batches at the mock's rate limits (about 6 minutes)")
    parser.add_argument("--no-pacing", action="store_true", help="skip the pacing figures")
    parser.add_argument("--pacing-cases", default="abcde", metavar="LETTERS",
                        help="which pacing cases to run (default: abcde; (f) is measured on run (c))")
    options = parser.parse_args()
    if options.only_message_batches:
        return only_message_batches(options)
    import compileall

    compileall.compile_dir(str(HERE.parent / "ant_cli"), quiet=1)  # as an installed package would have it
    sdk = None if options.no_sdk or options.only_pacing else sdk_python()
    lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{platform.system()} {platform.release()}; mock API on 127.0.0.1; {options.rounds} alternating rounds."]
    env = dict(os.environ, ANTHROPIC_API_KEY="bench-key")
    env.pop("NO_COLOR", None)
    if not (options.only_batch or options.only_pacing):
        lines += start_up_and_streams(options, sdk, env)
    with tempfile.TemporaryDirectory() as folder:
        if not (options.no_batch or options.only_pacing):
            lines += ["", *batch_section(run_once, ANT, sdk, Path(folder), env, HERE, options.only_via)]
            if not options.only_via:
                lines += ["", *message_batches_section(run_once, ANT, Path(folder), env)]
        if not (options.no_pacing or options.only_batch or options.only_via):
            lines += ["", *pacing_section(ANT, Path(folder), env, options.pacing_cases)]
    if not GNU_TIME:
        lines.append("\n(GNU time is missing: peak RSS includes the launcher's memory; `apt-get install time`)")
    if not sdk and not (options.no_sdk or options.only_pacing):
        lines.append(f"\n(official SDK {SDK_VERSION} could not be installed here; its row is missing)")
    return publish(lines, options.out)


def publish(lines: list[str], out: str | None) -> int:
    """Print the tables, and write them to `out` too when given."""
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text)
    return 0


def only_message_batches(options: argparse.Namespace) -> int:
    lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{platform.system()} {platform.release()}; mock API on 127.0.0.1.", ""]
    with tempfile.TemporaryDirectory() as folder:
        lines += message_batches_section(run_once, ANT, Path(folder), dict(os.environ, ANTHROPIC_API_KEY="bench-key"))
    return publish(lines, options.out)


if __name__ == "__main__":
    sys.exit(main())
