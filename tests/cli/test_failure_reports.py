"""The suite's own failure reports: a failing test shows the stderr of each `ant` it ran, without the test
having to put `result.stderr` in its assertion (conftest's report hook and tests.helpers' transcript)."""

import subprocess
import sys

from tests.helpers import ROOT

FAILING = '''
from tests.helpers import BASIC, run_ant


def test_asserts_on_the_status_alone():
    code = run_ant(BASIC + ["--top-k", "-1"]).code
    assert code == 0


def test_passes():
    assert run_ant(["--version"]).code == 0
'''


def test_a_failing_test_shows_the_stderr_of_the_ant_it_ran(tmp_path):
    (tmp_path / "test_sample.py").write_text(FAILING)
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider",
                             "-q", str(tmp_path / "test_sample.py")], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert "1 failed, 1 passed" in result.stdout, result.stdout[-2000:]
    assert "stderr of each ant run" in result.stdout
    assert "ant: error: --top-k must be" in result.stdout and "(exit 2)" in result.stdout
    assert "ant --version" not in result.stdout  # a passing test's runs are not reported
