"""Fuzzing the import-document surface: `chancery import FILE` on hostile files.

Three generators: a valid report whose text fields carry hostile strings; a valid report with
a hostile value (any JSON-like structure, deep, huge or of the wrong type) at any field; and
hostile YAML text built from pieces (aliases, anchors, complex keys, merge keys, deep nesting
of every collection kind, block scalars, tags, huge numbers). Properties, on every example:
exit 0 or 1, a refusal is one paragraph on stderr and no traceback, a refusal leaves
`chancery events --json` exactly as before, each example finishes in bounded time, and no
message quotes a control or bidirectional character raw. A subprocess test runs the worst
structural shapes under a memory limit, where a crash or an exhausted heap would kill the
process. Counts: tests/fuzzing.py (`CHANCERY_FUZZ=long` for many more).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.cli import app
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import REPO
from tests.fuzzing import UNSAFE, check_refusal_or_success, examples, hostile_text

runner = CliRunner()
SECONDS_PER_EXAMPLE = 20.0
"""Generous on a loaded 2-core machine; a hang or a blow-up takes far longer."""


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One SQLite ledger holding the bundled dataset, and a folder for the generated files."""
    folder = tmp_path_factory.mktemp("fuzz-import")
    location = str(folder / "ledger.sqlite")
    result = runner.invoke(app, ["import", "--bundled", "--db", location])
    assert result.exit_code == 0, result.output
    yield location, folder


def events(location: str) -> str:
    result = runner.invoke(app, ["events", "--json", "--db", location])
    assert result.exit_code == 0, result.output
    return result.stdout


def import_and_check(ledger: tuple[str, Path], text: str | bytes, suffix: str) -> Any:
    location, folder = ledger
    path = folder / f"fuzz-{uuid.uuid4().hex[:8]}{suffix}"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = events(location)
    started = time.monotonic()
    result = runner.invoke(app, ["import", str(path), "--db", location])
    elapsed = time.monotonic() - started
    shown = f"chancery import {path}\n--- file (first 2000 chars) ---\n{str(text)[:2000]}"
    check_refusal_or_success(result, shown)
    assert elapsed < SECONDS_PER_EXAMPLE, f"{shown}\ntook {elapsed:.1f}s"
    if result.exit_code == 1:
        assert events(location) == before, f"{shown}\na refused import changed the ledger"
        stderr = result.stderr.strip()
        assert not UNSAFE.search(stderr), f"{shown}\nunsafe characters in {stderr!r}"
    path.unlink()
    return result


def report(text_fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """A valid report with fresh ids: one source and one event with a reason and a dispute."""
    tag = uuid.uuid4().hex[:10]
    fields = {
        "outlet": "Example Wire",
        "headline": "NATO cuts again",
        "url": "https://example.org/a",
        "note": "a note",
        "file": "article.txt",
        "quote": "NATO lowered the cap again.",
        "says": "espionage",
        "about": "who",
        "wording": "on Tuesday",
        "event_note": "reading",
        **(text_fields or {}),
    }
    source = f"wire-{tag}"
    cite = {"source": source, "quote": fields["quote"]}
    return {
        "chancery": 1,
        "sources": [
            {
                "id": source,
                "outlet": fields["outlet"],
                "headline": fields["headline"],
                "url": fields["url"],
                "note": fields["note"],
                "file": fields["file"],
                "published": "2021-11-16",
            }
        ],
        "events": [
            {
                "id": f"withdrawal-{tag}",
                "type": "accreditation_withdrawn",
                "channel": "russia-mission-to-nato",
                "actor": "nato",
                "target": "russia",
                "date": {"edtf": "2021-10-12", "wording": fields["wording"]},
                "count": 1,
                "citations": [cite],
                "reasons": [{"says": fields["says"], "party": "nato", "citations": [cite]}],
                "disputes": [
                    {
                        "about": fields["about"],
                        "claims": [
                            {"says": "one side", "citations": [cite]},
                            {"says": "other side", "citations": [cite]},
                        ],
                    }
                ],
                "note": fields["event_note"],
            }
        ],
    }


TEXT_FIELDS = [
    *sorted(report()["sources"][0].keys() - {"id", "published"}),
    *("quote", "says", "about", "wording", "event_note"),
]


def as_text(document: Any, form: str) -> str:
    if form == "json":
        return json.dumps(document, ensure_ascii=False)
    if form == "json-ascii":
        return json.dumps(document)  # \ud800 escapes for surrogates
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def test_the_valid_report_imports(ledger: tuple[str, Path]) -> None:
    result = import_and_check(ledger, as_text(report(), "yaml"), ".yaml")
    assert result.exit_code == 0, result.output


@examples(60)
@given(
    values=st.dictionaries(st.sampled_from(sorted(TEXT_FIELDS)), hostile_text, min_size=1),
    form=st.sampled_from(["yaml", "json", "json-ascii"]),
)
def test_hostile_strings_in_a_valid_report(
    ledger: tuple[str, Path], values: dict[str, str], form: str
) -> None:
    try:
        text = as_text(report(values), form)
    except yaml.YAMLError:
        text = as_text(report(values), "json-ascii")  # PyYAML cannot write some characters
        form = "json-ascii"
    import_and_check(ledger, text, ".json" if form.startswith("json") else ".yaml")


json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=30,
)

PATHS = [
    ("chancery",),
    ("sources",),
    ("sources", 0),
    ("sources", 0, "id"),
    ("sources", 0, "published"),
    ("events",),
    ("events", 0),
    ("events", 0, "id"),
    ("events", 0, "type"),
    ("events", 0, "channel"),
    ("events", 0, "actor"),
    ("events", 0, "target"),
    ("events", 0, "date"),
    ("events", 0, "date", "edtf"),
    ("events", 0, "date", "earliest"),
    ("events", 0, "count"),
    ("events", 0, "citations"),
    ("events", 0, "citations", 0),
    ("events", 0, "citations", 0, "source"),
    ("events", 0, "reasons", 0, "citations"),
    ("events", 0, "disputes", 0, "claims"),
    ("events", 0, "disputes", 0, "claims", 0, "date"),
    ("parties",),
    ("channels",),
]


def deep(kind: str, depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value] if kind == "list" else {"k": value}
    return value


@examples(60)
@given(
    path=st.sampled_from(PATHS),
    value=json_like
    | st.builds(deep, st.sampled_from(["list", "dict"]), st.integers(1, 3000))
    | st.integers(min_value=-(10**60), max_value=10**60)
    | st.just(10**5000),
    form=st.sampled_from(["yaml", "json"]),
)
def test_wrong_types_and_structures_at_every_field(
    ledger: tuple[str, Path], path: tuple[Any, ...], value: Any, form: str
) -> None:
    document = report()
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    try:
        text = json.dumps(document) if form == "json" else yaml.safe_dump(document)
    except (RecursionError, ValueError, yaml.YAMLError):
        text = _json_deep_safe(document)
        form = "json"
    import_and_check(ledger, text, ".json" if form == "json" else ".yaml")


def _json_deep_safe(document: Any) -> str:
    """json.dumps without the recursion or integer-digit limits, for the extreme values."""
    recursion, digits = sys.getrecursionlimit(), sys.get_int_max_str_digits()
    sys.setrecursionlimit(20_000)
    sys.set_int_max_str_digits(0)
    try:
        return json.dumps(document, check_circular=False)
    finally:
        sys.setrecursionlimit(recursion)
        sys.set_int_max_str_digits(digits)


YAML_PIECES = [
    "- ",
    "? ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "&b ",
    "*a",
    "*b",
    "<<: ",
    "!!str ",
    "!!python/object/apply:os.system ",
    "!custom ",
    "|\n",
    ">-\n",
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "'",
    '"',
    "\\u0000",
    '"\\ud800"',
    "\t",
    "#",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "x",
    "1",
    "9" * 30,
    "0x1F",
    "1e999",
    ".nan",
    "2021-10-12",
    "2021/..",
    "events",
    "sources",
    "citations",
    "id",
    "source",
    "quote",
    "\ufeff",
]


@examples(120)
@given(
    pieces=st.lists(st.sampled_from(YAML_PIECES), max_size=60),
    repeat=st.sampled_from([1, 1, 1, 50, 5000]),
)
def test_hostile_yaml_text(ledger: tuple[str, Path], pieces: list[str], repeat: int) -> None:
    body = "".join(pieces)
    head, tail = body[: len(body) // 2], body[len(body) // 2 :]
    text = "chancery: 1\nevents:\n  " + head * repeat + tail
    import_and_check(ledger, text, ".yaml")


@examples(30)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".yaml", ".json"]))
def test_arbitrary_bytes(ledger: tuple[str, Path], data: bytes, suffix: str) -> None:
    import_and_check(ledger, data, suffix)


WORST_SHAPES = {
    "deep-dash": "events:\n  " + "- " * 30_000 + "x\n",
    "deep-question": "events:\n" + "? " * 30_000 + "x\n",
    "deep-flow-list": "events: " + "[" * 30_000 + "]" * 30_000 + "\n",
    "deep-flow-map": "events: " + "{a: " * 30_000 + "x" + "}" * 30_000 + "\n",
    "deep-json": '{"events": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "deep-mapping": "".join(f"{' ' * i}a:\n" for i in range(3000)) + " " * 3000 + "x\n",
    "alias-bomb": "chancery: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]\n" for n in range(1, 12)),
    "alias-wide": "a: &a ["
    + ", ".join(["x"] * 1000)
    + "]\nb: ["
    + ", ".join(["*a"] * 5000)
    + "]\n",
    "long-line": "chancery: 1\nnote: " + "x" * 15_000_000 + "\n",
    "many-keys": "chancery: 1\n" + "".join(f"k{i}: {i}\n" for i in range(100_000)),
}


@pytest.mark.parametrize("shape", sorted(WORST_SHAPES))
def test_worst_shapes_in_a_subprocess_under_a_memory_limit(shape: str, tmp_path: Path) -> None:
    """Run where a crash (SIGSEGV) or an exhausted heap would kill the process: it must refuse
    in one paragraph, within 2 GB of address space and 120 s."""
    suffix = ".json" if shape == "deep-json" else ".yaml"
    path = tmp_path / f"{shape}{suffix}"
    path.write_text(WORST_SHAPES[shape], encoding="utf-8")
    db = tmp_path / "ledger.sqlite"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "chancery", "import", str(path), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "CHANCERY_DB": ""},
        timeout=120,
        preexec_fn=limit,
        check=False,
    )
    assert done.returncode == 1, f"{shape}: exit {done.returncode}\n{done.stderr[-3000:]}"
    stderr = done.stderr.strip()
    assert stderr.startswith("chancery: error: ") and "\n" not in stderr, stderr[-3000:]
    assert not db.exists()
