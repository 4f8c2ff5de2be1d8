"""The dependency floors in setup.cfg are the versions `make test-min` installs, and CI runs that target."""

import configparser

from packaging.requirements import Requirement
from packaging.version import Version

from tests.helpers import ROOT

CONSTRAINTS = ROOT / ".ci" / "constraints-min.txt"


def declared() -> dict[str, Version]:
    """Every requirement of the package and its test extra, by name, with its floor (`>=`, or an exact `==` pin)."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    lines = config["options"]["install_requires"].split() + config["options.extras_require"]["test"].split()
    floors = {}
    for requirement in map(Requirement, lines):
        lower = [spec.version for spec in requirement.specifier if spec.operator in (">=", "==")]
        assert len(lower) == 1, f"{requirement} needs exactly one floor (>=) or pin (==)"
        floors[requirement.name.lower()] = Version(lower[0])
    return floors


def pinned() -> dict[str, Version]:
    pins = {}
    for line in CONSTRAINTS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.strip().lower()] = Version(version.strip())
    return pins


def test_every_floor_is_pinned_in_the_minimum_constraints_and_nothing_else():
    assert pinned() == declared()


def test_urllib3_is_declared_at_the_version_whose_read1_takes_decode_content():
    assert declared()["urllib3"] >= Version("2.2")
    assert declared()["requests"] >= Version("2.30")  # older requests pins urllib3 below 2


def test_ci_runs_the_suite_on_the_floors():
    makefile = (ROOT / "Makefile").read_text()
    target = makefile[makefile.index("\ntest-min:"):].split("\n\n")[0]
    assert "-c .ci/constraints-min.txt" in target and "-m pytest" in target
    assert "make test-min" in (ROOT / ".ci" / "run").read_text()
