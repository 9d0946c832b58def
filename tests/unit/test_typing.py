"""The package is type-checked (`.ci/mypy`, in the README's test command), and what the
checker is told to skip stays visible: every `# type: ignore` in the package names its error
code and says why, on its line or in the comment just above it."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

_IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[a-z0-9-]+(?:,\s*[a-z0-9-]+)*\])?(?P<rest>.*)")
_NOT_PACKAGE = {"tests", "benchmarks", "build", "dist", "docs"}


def unexplained_ignores(source: str) -> Iterator[tuple[int, str]]:
    """(line, why) for each `# type: ignore` that lacks an error code or a reason."""
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string
    lines = source.splitlines()
    for number, comment in comments.items():
        match = _IGNORE.search(comment)
        if match is None:
            continue
        if not match["codes"]:
            yield number, "no error code"
            continue
        reason_here = match["rest"].strip().lstrip("#").strip()
        above = lines[number - 2].strip() if number >= 2 else ""
        reason_above = number - 1 in comments and above.startswith("#")
        if not reason_here and not reason_above:
            yield number, "no reason"


def _package_files() -> list[Path]:
    return sorted(
        path
        for path in REPO.rglob("*.py")
        if not any(
            part.startswith(".") or part in _NOT_PACKAGE for part in path.relative_to(REPO).parts
        )
    )


def test_every_type_ignore_in_the_package_has_a_code_and_a_reason() -> None:
    files = _package_files()
    assert REPO / "cli.py" in files and REPO / "domain" / "actions.py" in files
    found = [
        f"{path.relative_to(REPO)}:{line}: {why}"
        for path in files
        for line, why in unexplained_ignores(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = f()  # type: ignore\n", [(1, "no error code")]),
        ("x = f()  # type: ignore[attr-defined]\n", [(1, "no reason")]),
        ("x = 1\ny = f()  # type: ignore[misc]\n", [(2, "no reason")]),
        ("x = f()  # type: ignore[attr-defined]  # made at run time\n", []),
        ("# made by a decorator at run time\nx = f()  # type: ignore[attr-defined]\n", []),
        ("x = f()  # type: ignore[arg-type, union-attr]  # the stub is too narrow\n", []),
        ('s = "# type: ignore"\n', []),
    ],
)
def test_an_ignore_without_code_or_reason_is_found(
    source: str, expected: list[tuple[int, str]]
) -> None:
    assert list(unexplained_ignores(source)) == expected
