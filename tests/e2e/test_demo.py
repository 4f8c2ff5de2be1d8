"""`make demo`'s script: json, pretty, a live stream, a pipeline, a piped body, `--via messages` on current
models, a batch interrupted and resumed, and an error with its exit status, each shown under the exact command
that ran."""

import os
import re
import subprocess

from tests.helpers import ANT, ROOT


def test_the_demo_runs_and_captions_each_step_with_its_command():
    env = dict({k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")},
               PATH=f"{ANT.parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(["bash", str(ROOT / "scripts" / "demo.sh")], env=env, capture_output=True, text=True,
                            timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    captions = re.findall(r"^\$ (.*)$", result.stdout, re.MULTILINE)
    script = (ROOT / "scripts" / "demo.sh").read_text()
    steps = script.split("<<'STEPS'\n", 1)[1].split("\nSTEPS", 1)[0].splitlines()
    assert captions == [step for step in steps if "| jq" not in step or step in captions]
    assert any("--format json" in caption for caption in captions) and any("--stream" in c for c in captions)
    assert any("--format pretty" in caption for caption in captions)
    assert '"completion": " Hello! You said: Tell me about the mock server"' in result.stdout
    assert "╭─ completion" in result.stdout and " tick tick tick" in result.stdout
    assert result.stdout.rstrip().endswith("exit status: 4")
    assert "ant: error: 404 not_found_error: model: no-such-model" in result.stderr
    assert "$ ant completions create --via messages --model claude-haiku-4-5" in result.stdout
    assert "\nHello! You said: Tell me about the mock server\n" in result.stdout  # the Messages answer, as text
    assert "exit status: 130" in result.stdout  # the batch interrupted with Ctrl-C (SIGINT)
    assert "already done" in result.stderr  # ... and resumed (the summary is talk, on stderr)
    if "| jq" in "".join(captions):
        assert "300: Hello! You said: What is 300 squared?" in result.stdout
