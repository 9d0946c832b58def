"""The layers hold module by module (docs/design.md): the domain knows no storage, import
pipeline, projection or front end; projections read through their protocol, never SQL; no
module imports a cycle back into itself or another module's private names.

Every import counts, at module level or inside a function, except under `TYPE_CHECKING`
(annotations only, never run)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = (
    "application",
    "domain",
    "extraction",
    "importing",
    "projections",
    "reports",
    "storage",
    "terminal",
)

FRONT_ENDS = {"chancery.cli", "typer", "rich"}
SQL = {"sqlite3", "psycopg", "psycopg_pool", "eventsourcing"}
VIEWS = {
    f"chancery.projections.{name}"
    for name in ("diff", "events", "history", "intervals", "series", "why", "ports")
}

FORBIDDEN: dict[str, set[str]] = {
    "domain": {
        "chancery.storage",
        "chancery.importing",
        "chancery.projections",
        "chancery.application",
        "chancery.extraction",
        "chancery.reports",
        "chancery.terminal",
        "chancery.seeds",
        *FRONT_ENDS,
    },
    "projections": {
        "chancery.storage",
        "chancery.importing",
        "chancery.application",
        "chancery.terminal",
        "chancery.reports",
        *SQL,
        *FRONT_ENDS,
    },
    "storage": {"chancery.application", "chancery.reports", "chancery.terminal"}
    | VIEWS
    | FRONT_ENDS,
    "importing": {"chancery.application", "chancery.reports", "chancery.terminal"} | FRONT_ENDS,
    "application": FRONT_ENDS,
    "reports": {"chancery.storage", "chancery.cli", "chancery.terminal", "typer", "rich"},
    "terminal": {"chancery.storage", "chancery.cli", "typer", "chancery.reports", "matplotlib"},
    "extraction": {"chancery.storage", "chancery.seeds", *FRONT_ENDS},
}


PARSER_MODULES = {"chancery.terminal.options": {"typer"}}
"""The one terminal module that may know the parser: the option types and completions every
command shares (the rest of terminal/ renders and would serve another front end)."""


def _module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    return ".".join(("chancery", *rel.parts)).removesuffix(".__init__")


def _package_modules() -> dict[str, Path]:
    found = {"chancery": REPO / "__init__.py", "chancery.cli": REPO / "cli.py"}
    for package in PACKAGES:
        for path in sorted((REPO / package).glob("*.py")):
            found[_module_name(path)] = path
    return found


MODULES = _package_modules()


def _imports(path: Path) -> Iterator[tuple[str, str]]:
    """(module, name) for every import run by the module: `from a.b import c` gives
    ("a.b", "c"), `import a.b` gives ("a.b", "")."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    package = _module_name(path).rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ""
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{module}" if module else base
            for alias in node.names:
                yield module, alias.name


def _forbidden(module: str, rules: set[str]) -> bool:
    return any(module == rule or module.startswith(rule + ".") for rule in rules)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    modules = {name: path for name, path in MODULES.items() if name.split(".")[1:2] == [layer]}
    assert modules
    offending = {
        name: sorted(
            {
                m
                for m, _ in _imports(path)
                if _forbidden(m, FORBIDDEN[layer] - PARSER_MODULES.get(name, set()))
            }
        )
        for name, path in modules.items()
    }
    assert {k: v for k, v in offending.items() if v} == {}


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = set()
        for module, imported in _imports(path):
            full = f"{module}.{imported}"
            if full in MODULES:
                targets.add(full)
            elif module in MODULES:
                targets.add(module)
        graph[name] = targets - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_module_imports_itself_back() -> None:
    """No group of modules imports one another in a ring, even inside a function: each layer
    and module can be read, tested and loaded after the ones it uses."""
    assert _cycles(_graph()) == []


def test_no_private_name_is_imported_from_another_module() -> None:
    """A leading underscore says "only this module relies on it"; a module that needs it
    elsewhere makes it public where it is defined."""
    sources = {**MODULES}
    sources.update({_module_name(p): p for p in sorted((REPO / "tests").rglob("*.py"))})
    found = sorted(
        f"{name}: {module}.{imported}"
        for name, path in sources.items()
        for module, imported in _imports(path)
        if module.startswith("chancery")
        and imported.startswith("_")
        and not imported.startswith("__")
    )
    assert found == []
