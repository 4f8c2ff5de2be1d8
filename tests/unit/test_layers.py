"""The package layout is the architecture: imports point down the layers, never up, sideways or round.

Every module of `ant_cli` is parsed (not imported), so an import hidden inside a function counts as
much as one at the top; a module named in a string (for `importlib`) must lie below too. The layers,
lowest first: `core`; then `request`, `client` and `output`, which must not import each other; then
`commands`; then `cli`; then the boundary (`main`, `__main__`). `ant_cli/__init__.py` holds only the
version and may be imported by anyone; `ant_cli.mockserver` forwards to the separate `ant_mock`
package and belongs to no layer.
"""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "ant_cli"
ROOT = "ant_cli"
FORWARDER = "ant_cli.mockserver"
RANKS = {"core": 0, "request": 1, "client": 1, "output": 1, "commands": 2, "cli": 3, "boundary": 4}
BOUNDARY = {"ant_cli.main", "ant_cli.__main__"}
# Packages whose import costs start-up time; importing a module that pulls one in at its top may be deferred.
HEAVY = {"rich", "yaml", "requests", "urllib3"}


class Import(NamedTuple):
    """One import in a module: the module imported, where, and whether it waits for a function call."""

    target: str
    line: int
    in_function: bool


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package under its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def is_package(name: str) -> bool:
    return modules()[name].name == "__init__.py"


def absolute(module: str, node: ast.ImportFrom) -> str:
    """The dotted name a `from ... import` reads from, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package(module) else module.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def targets(module: str, node: ast.AST) -> list[str]:
    """The modules one import statement loads: `from a import b` loads a.b when b is a module, else a."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        source = absolute(module, node)
        return [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules() else source
                for alias in node.names]
    return []


def walk(module: str, node: ast.AST, in_function: bool = False):
    """Every import under `node`, noting whether a function body encloses it."""
    for child in ast.iter_child_nodes(node):
        for target in targets(module, child):
            yield Import(target, child.lineno, in_function)
        nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        yield from walk(module, child, nested)


def imports_in(module: str, source: str) -> tuple[Import, ...]:
    return tuple(walk(module, ast.parse(source)))


@cache
def imports_of(module: str) -> tuple[Import, ...]:
    return imports_in(module, modules()[module].read_text())


@cache
def named_in_strings(module: str) -> tuple[Import, ...]:
    """Our modules named by a string constant, the way `importlib.import_module` is handed them (on use)."""
    tree = ast.parse(modules()[module].read_text())
    return tuple(Import(node.value, node.lineno, True) for node in ast.walk(tree)
                 if isinstance(node, ast.Constant) and node.value in modules() and node.value != ROOT)


def own(module: str) -> list[Import]:
    """The imports of other `ant_cli` modules (the version-only package root left out)."""
    return [item for item in imports_of(module) if item.target.startswith(ROOT + ".")]


def layer(module: str) -> str:
    return "boundary" if module in BOUNDARY else module.split(".")[1]


def layered_modules() -> list[str]:
    return [name for name in modules() if name not in (ROOT, FORWARDER)]


def describe(module: str, item: Import) -> str:
    return f"{modules()[module].relative_to(PACKAGE.parent)}:{item.line} imports {item.target}"


def test_imports_inside_functions_and_relative_imports_are_seen():
    source = "from .plan import Format\nimport json\n\ndef later():\n    from ant_cli.cli import root\n"
    assert imports_in("ant_cli.core.types", source) == (
        Import("ant_cli.core.plan", 1, False), Import("json", 2, False), Import("ant_cli.cli.root", 5, True))


def test_every_module_belongs_to_a_known_layer():
    assert {layer(name) for name in layered_modules()} <= set(RANKS)


def test_the_package_root_imports_nothing_so_anyone_may_import_it():
    assert not imports_of(ROOT)


@pytest.mark.parametrize("module", layered_modules())
def test_imports_point_down_the_layers(module):
    """A layer imports its own modules and those of lower layers; request, client and output not each other."""
    rank = RANKS[layer(module)]
    wrong = [describe(module, item) for item in own(module) + list(named_in_strings(module))
             if item.target != FORWARDER and layer(item.target) != layer(module) and RANKS[layer(item.target)] >= rank]
    assert not wrong


def test_no_layer_imports_the_mock_server():
    users = [describe(name, item) for name in layered_modules() for item in imports_of(name)
             if item.target == FORWARDER or item.target.split(".")[0] == "ant_mock"]
    assert not users


def test_the_mockserver_module_only_forwards_to_the_mock_package():
    packages = {item.target.split(".")[0] for item in imports_of(FORWARDER)} - set(sys.stdlib_module_names)
    assert packages == {"ant_mock"}, [describe(FORWARDER, item) for item in imports_of(FORWARDER)
                                      if item.target.split(".")[0] not in sys.stdlib_module_names]


@pytest.mark.parametrize("module", [name for name in layered_modules() if RANKS[layer(name)] < RANKS["cli"]])
def test_only_the_cli_layer_and_the_boundary_use_click(module):
    assert not [describe(module, item) for item in imports_of(module) if item.target.split(".")[0] == "click"]


def heavy_at_top(module: str) -> bool:
    """Whether importing the module imports rich, yaml or requests at once (directly or through its own imports)."""
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current in seen or current not in modules():
            continue
        seen.add(current)
        top = [item.target for item in imports_of(current) if not item.in_function]
        if any(target.split(".")[0] in HEAVY for target in top):
            return True
        todo += top
    return False


@pytest.mark.parametrize("module", [name for name in layered_modules() if RANKS[layer(name)] <= 1])
def test_lower_layers_defer_an_import_only_to_keep_start_up_fast(module):
    """A function-level import of our own module is allowed only when that module drags in rich, yaml or requests."""
    deferred = [describe(module, item) for item in own(module) if item.in_function and not heavy_at_top(item.target)]
    assert not deferred, "import these at the top: only a heavy module is worth importing late"


def cycle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path from `start` back to itself, if there is one (depth first)."""
    stack, seen = [(start, [start])], set()
    while stack:
        current, path = stack.pop()
        for following in sorted(graph.get(current, ())):
            if following == start:
                return path + [start]
            if following not in seen:
                seen.add(following)
                stack.append((following, path + [following]))
    return None


def import_graph() -> dict[str, set[str]]:
    return {name: {item.target for item in own(name) if item.target in modules()} for name in modules()}


def test_cycle_finder_finds_a_known_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycle_through("a", graph) == ["a", "b", "c", "a"]
    assert cycle_through("d", graph) is None


def test_no_import_cycles_even_through_function_level_imports():
    graph = import_graph()
    cycles = [" -> ".join(path) for name in sorted(graph) if (path := cycle_through(name, graph))]
    assert not cycles
