"""`pip install` (and pipx) installs the man pages too: the wheel carries them as data files under
share/man/man1, and installing it puts them in PREFIX/share/man/man1, where `man` looks."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ant_cli.cli.manpage import generate
from tests.helpers import ROOT

SOURCES = ("setup.cfg", "pyproject.toml", "README.md", "ant_cli", "ant_mock", "man")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel pip builds from a copy of the sources (so no build output lands in the work tree)."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out),
                    str(source)], check=True, capture_output=True, timeout=300)
    return next(out.glob("ant_cli-*.whl"))


def test_the_wheel_carries_every_man_page_as_a_data_file(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    pages = sorted(name.rsplit("/", 1)[1] for name in names if "/data/share/man/man1/" in name)
    assert pages == sorted(generate())


def test_installing_the_wheel_puts_the_pages_under_the_prefix(wheel, tmp_path):
    # --ignore-installed: without it pip would first uninstall the ant-cli of the environment running the tests
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
                    "--ignore-installed", "--prefix", str(tmp_path), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    for name in generate():  # the checked-in pages (their staleness is tested beside them)
        assert (tmp_path / "share" / "man" / "man1" / name).read_text() == (ROOT / "man" / "man1" / name).read_text()


def test_setup_cfg_lists_exactly_the_generated_pages():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    listed = config["options.data_files"]["share/man/man1"].split()
    assert sorted(listed) == sorted(f"man/man1/{name}" for name in generate())
