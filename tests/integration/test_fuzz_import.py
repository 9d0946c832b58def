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
from hypothesis import example, given
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
                # Every example records a withdrawal on the same day: each is another one.
                "distinct": True,
                "distinct_reason": "a fuzzing example of its own",
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


# ----------------------------------------------------------- amendments mixed with events

MIXED_DATES = ["2021", "2021-10", "2021-10-06", "2021-10-07", "2021-10-18", "2020-06/2021-12"]
MIXED_SOURCES = {"wire": "2022-01-31", "early": "2021-01-01", "mid": "2021-10-07"}


def _mixed_entry(tag: str, index: int, op: tuple[Any, ...], targets: list[str]) -> dict[str, Any]:
    """One entry of a mixed import on the example's own mission channel `m-TAG`: an event,
    or an amendment of one of the events written so far (`targets`; chosen by `op[1]`, and
    perhaps refused, retracted or amended already), each citing one of three sources
    published at different dates."""
    kind, target, date, number, source, distinct = op
    channel = f"m-{tag}"
    event_id = targets[target % len(targets)] if targets else f"missing-{tag}"
    cite = [{"source": f"{source}-{tag}", "quote": f"quote {index}"}]
    if kind in ("accreditation_withdrawn", "staff_cap_changed", "mission_suspended"):
        entry: dict[str, Any] = {
            "id": f"e{index}-{tag}",
            "type": kind,
            "channel": channel,
            "actor": "nato",
            "target": "russia",
            "date": date,
            "citations": cite,
        }
        if kind == "accreditation_withdrawn" and number is not None:
            entry["count"] = number
        if kind == "staff_cap_changed" and number is not None:
            entry["to_cap"] = number
        if distinct:
            entry.update(distinct=True, distinct_reason="another one")
        targets.append(entry["id"])
        return entry
    base = {"id": f"a{index}-{tag}", "type": kind, "channel": channel}
    if kind == "corroboration":
        return {**base, "corroborates": event_id, "citations": cite}
    if kind == "refinement":
        refined = {"date": date} if number is None else {"count": number}
        return {**base, "refines": event_id, "citations": cite, **refined}
    if kind == "retraction":
        return {**base, "retracts": event_id, "reason": "never happened"}
    if kind == "dispute":
        claims = [
            {"says": s, "date": d, "citations": cite} for s, d in (("one", date), ("two", "2021"))
        ]
        return {**base, "disputes": event_id, "about": "date", "claims": claims}
    replacement = _mixed_entry(
        tag, 0, ("accreditation_withdrawn", 0, date, number, source, False), []
    )
    replacement["id"] = event_id
    del base["channel"]  # a correction's channel is its replacement's
    return {**base, "corrects": event_id, "reason": "misread", "replacement": replacement}


mixed_ops = st.tuples(
    st.sampled_from(
        [
            "accreditation_withdrawn",
            "accreditation_withdrawn",
            "staff_cap_changed",
            "mission_suspended",
            "corroboration",
            "refinement",
            "correction",
            "retraction",
            "dispute",
        ]
    ),
    st.integers(0, 5),
    st.sampled_from(MIXED_DATES),
    st.sampled_from([None, None, 5, 10]),
    st.sampled_from(["wire", "wire", "wire", "early", "mid"]),
    st.booleans(),
)


WITHDRAWAL = ("accreditation_withdrawn", 0, "2021-10-06", None, "wire", False)


@examples(25)
@example(imports=[[WITHDRAWAL], [("corroboration", 0, "2021", None, "early", False)]])
@example(imports=[[WITHDRAWAL, ("refinement", 0, "2021", 8, "mid", False)]])
@example(imports=[[WITHDRAWAL], [("accreditation_withdrawn", 0, "2021-10", 8, "wire", False)]])
@given(imports=st.lists(st.lists(mixed_ops, min_size=1, max_size=3), min_size=1, max_size=4))
def test_amendments_mixed_with_events(
    tmp_path_factory: pytest.TempPathFactory, imports: Any
) -> None:
    """Events and every kind of amendment, in any order, split over several imports: each
    import's dry run answers as the import itself does (refused or not), a refusal is one
    paragraph and changes nothing, and whatever was accepted passes `verify` (an amendment
    citing a source older than its event must be refused at import, not found by `verify`)."""
    tag = uuid.uuid4().hex[:8]
    folder = tmp_path_factory.mktemp("mixed")
    location = str(folder / "ledger.sqlite")
    declarations = {
        "parties": [
            {"slug": "nato", "name": "NATO", "kind": "organisation"},
            {"slug": "russia", "name": "Russia", "kind": "state"},
        ],
        "channels": [
            {
                "slug": f"m-{tag}",
                "name": "A mission",
                "kind": "mission",
                "parties": ["nato", "russia"],
            }
        ],
        "sources": [
            {"id": f"{name}-{tag}", "outlet": "Wire", "published": day}
            for name, day in MIXED_SOURCES.items()
        ],
    }
    numbered = iter(range(1000))
    targets: list[str] = []
    for ops in imports:
        entries = [_mixed_entry(tag, next(numbered), op, targets) for op in ops]
        path = folder / f"import-{next(numbered)}.yaml"
        path.write_text(yaml.safe_dump({**declarations, "events": entries}), encoding="utf-8")
        shown = f"chancery import {path}\n{path.read_text(encoding='utf-8')}"
        before = events(location) if Path(location).exists() else None
        planned = runner.invoke(app, ["import", str(path), "--dry-run", "--db", location])
        check_refusal_or_success(planned, shown)
        assert (events(location) if before is not None else None) == before
        done = runner.invoke(app, ["import", str(path), "--db", location])
        check_refusal_or_success(done, shown)
        assert planned.exit_code == done.exit_code, f"{shown}\n{planned.output}\n{done.output}"
        if done.exit_code == 1:
            assert (events(location) if before is not None else None) == before, shown
        if Path(location).exists():
            verified = runner.invoke(app, ["verify", "--db", location])
            assert verified.exit_code == 0, f"{shown}\n{verified.output}"


# -------------------------------------------------------------------- the streamed import


@pytest.fixture(scope="module")
def bundled_file(ledger: tuple[str, Path]) -> Path:
    """The bundled ledger's file, copied for each example (a few hundred KB)."""
    return Path(ledger[0])


def _import_both_ways(bundled_file: Path, text: str, suffix: str) -> None:
    """Import `text` whole and streamed into two copies of the bundled ledger: both paths
    accept it, or both refuse it in one paragraph leaving the ledger as it was."""
    import shutil

    import chancery.importing.dataset

    folder = bundled_file.parent / f"both-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    path = folder / f"input{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    shown = f"{path}\n--- file (first 2000 chars) ---\n{text[:2000]}"
    outcomes = []
    for limit in (chancery.importing.dataset.MAX_FILE_BYTES, 0):  # whole, then streamed
        location = folder / f"ledger-{limit}.sqlite"
        shutil.copy(bundled_file, location)
        before = events(str(location))
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(chancery.importing.dataset, "MAX_FILE_BYTES", limit)
            started = time.monotonic()
            result = runner.invoke(app, ["import", str(path), "--db", str(location)])
            elapsed = time.monotonic() - started
        check_refusal_or_success(result, shown)
        assert elapsed < SECONDS_PER_EXAMPLE, f"{shown}\ntook {elapsed:.1f}s"
        if result.exit_code == 1:
            assert events(str(location)) == before, f"{shown}\na refusal changed the ledger"
        outcomes.append((result.exit_code, result.stderr.strip()))
    (whole, whole_error), (streamed, streamed_error) = outcomes
    assert whole == streamed, f"{shown}\nwhole: {whole_error}\nstreamed: {streamed_error}"
    shutil.rmtree(folder)


@examples(40)
@given(
    pieces=st.lists(st.sampled_from(YAML_PIECES), max_size=40),
    repeat=st.sampled_from([1, 1, 20]),
)
def test_hostile_yaml_text_streamed_as_read_whole(
    bundled_file: Path, pieces: list[str], repeat: int
) -> None:
    body = "".join(pieces)
    head, tail = body[: len(body) // 2], body[len(body) // 2 :]
    _import_both_ways(bundled_file, "chancery: 1\nevents:\n  " + head * repeat + tail, ".yaml")


@examples(30)
@given(
    path=st.sampled_from(PATHS),
    value=json_like,
    form=st.sampled_from(["yaml", "json"]),
)
def test_wrong_values_streamed_as_read_whole(
    bundled_file: Path,
    path: tuple[Any, ...],
    value: Any,
    form: str,
) -> None:
    document = report()
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    text = json.dumps(document) if form == "json" else yaml.safe_dump(document)
    _import_both_ways(bundled_file, text, ".json" if form == "json" else ".yaml")
