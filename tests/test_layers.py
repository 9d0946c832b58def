"""The layers of DESIGN.md hold: the domain knows no projection or CLI, projections no typer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

FORBIDDEN = {
    "domain": {
        "chancery.projections",
        "chancery.cli",
        "typer",
        "rich",
        "chancery.seeds",
        "chancery.terminal",
        "chancery.reports",
        "chancery.extraction",
    },
    "projections": {"chancery.cli", "typer", "rich", "chancery.terminal", "chancery.reports"},
    "terminal": {"chancery.cli", "typer", "chancery.reports", "matplotlib"},
    "reports": {"chancery.cli", "typer", "rich"},
    "extraction": {"chancery.cli", "typer", "rich", "chancery.seeds"},
}


def _top(module: str) -> str:
    """The layer of a module: `chancery.domain.x` is `chancery.domain`, `rich.table` is `rich`."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "chancery" else parts[0]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(_top(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(_top(node.module))
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    modules = sorted((REPO / layer).glob("*.py"))
    assert modules
    offending = {
        str(path.relative_to(REPO)): sorted(_imports(path) & FORBIDDEN[layer]) for path in modules
    }
    assert {k: v for k, v in offending.items() if v} == {}
