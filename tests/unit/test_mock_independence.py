"""The mock keeps its own knowledge: no module of `ant_mock` imports the CLI, and it needs nothing outside
the standard library, so a mistake in the CLI's catalogue fails a test instead of being mirrored."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import ant_mock

PACKAGE = Path(ant_mock.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def all_imports() -> dict[str, set[str]]:
    return {path.name: imported_modules(path) for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_module_imports_the_cli():
    offenders = {name: sorted(m for m in modules if m.split(".")[0] == "ant_cli")
                 for name, modules in all_imports().items()}
    assert {name: modules for name, modules in offenders.items() if modules} == {}
    assert len(offenders) >= 10  # every module was read, not an empty folder


def test_only_the_standard_library_and_itself():
    allowed = set(sys.stdlib_module_names) | {"ant_mock", "__future__"}
    outside = {name: sorted(m for m in modules if m.split(".")[0] not in allowed)
               for name, modules in all_imports().items()}
    assert {name: modules for name, modules in outside.items() if modules} == {}
