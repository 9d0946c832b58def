"""A corpus of bad inputs: every one is refused in one short paragraph, and the ledger is untouched.

The cases live in tests/bad_inputs/cases.yaml, next to the files they import: malformed YAML and
JSON, wrong types, missing and extra fields, impossible dates, unknown references, broken rules,
conflicting records, bad command-line arguments and unusable ledger locations. Each case runs on
SQLite and on PostgreSQL against one ledger per store that holds the bundled dataset; the ledger
must read exactly the same (recording times included) after every refusal. A case with a `bug:`
key is a known bug, not fixed yet: it runs as a strict xfail, so the fix must remove the key.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from chancery.cli import app
from chancery.importing.dataset import MAX_FILE_BYTES
from chancery.storage.store import open_ledger
from typer.testing import CliRunner

from tests.conftest import POSTGRES_SERVER, REPO, STORES, Locations, contents

CORPUS = Path(__file__).resolve().parents[1] / "bad_inputs"
MANIFEST = CORPUS / "cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["cases"]

DEFAULT_MAX_LINES = 3
"""A refusal is one paragraph: one line for Chancery's own errors, a little more at most."""

runner = CliRunner()

VALID_REPORT = """\
# A valid report (the cases that need one good file use it): NATO cuts the Russian mission's
# staff cap from 10 to 8 on 2021-10-12, between the reported cut to 10 and the suspension.
chancery: 1
sources:
  - id: example-wire-2021-11-16
    outlet: Example Wire
    published: "2021-11-16"
    url: https://example.org/nato-russia-2021-11-16
events:
  - id: russia-mission-staff-cap-cut-2021-10-12
    type: staff_cap_changed
    channel: russia-mission-to-nato
    actor: nato
    target: russia
    date: "2021-10-12"
    from_cap: 10
    to_cap: 8
    citations:
      - source: example-wire-2021-11-16
        quote: "NATO lowered the cap on the Russian mission again, from ten to eight."
"""

LATIN1_REPORT = """\
# Saved as Latin-1, not UTF-8: the é of "Déclaration" is the single byte 0xe9.
chancery: 1
sources:
  - id: example-wire-2021-11-16
    outlet: Example Wire
    headline: "Déclaration de l'OTAN"
    published: "2021-11-16"
"""


def _generate(kind: str, path: Path) -> None:
    """Write a case file that is not committed: too big, not UTF-8, empty or absurdly nested."""
    if kind == "huge":
        line = b"# padding: a ledger import is a set of reports, not a dump\n"
        with path.open("wb") as out:
            out.write(b"chancery: 1\n")
            out.write(line * (MAX_FILE_BYTES // len(line) + 1))
            out.write(b"actions: []\n")  # streamed, and refused at its very end
        assert path.stat().st_size > MAX_FILE_BYTES
    elif kind == "not-utf8":
        path.write_bytes(LATIN1_REPORT.encode("latin-1"))
    elif kind == "utf16":
        path.write_bytes(LATIN1_REPORT.encode("utf-16"))
    elif kind in ("empty", "empty-json"):
        path.write_bytes(b"")
    elif kind == "deep-yaml":
        path.write_text("chancery: 1\nevents: " + "[" * 100_000 + "]" * 100_000 + "\n")
    elif kind == "deep-json":
        path.write_text('{"chancery": 1, "events": ' + "[" * 1_500 + "]" * 1_500 + "}\n")
    elif kind == "alias-bomb":
        path.write_text(alias_bomb(levels=9), encoding="utf-8")
    elif kind == "deep-dash":
        path.write_text("chancery: 1\nevents:\n  " + "- " * 30_000 + "x\n")
    elif kind == "deep-question":
        path.write_text("chancery: 1\nevents:\n" + "? " * 30_000 + "x\n")
    else:
        raise AssertionError(f"cases.yaml: unknown generate kind '{kind}'")


def alias_bomb(levels: int) -> str:
    """Valid records, amplified: each anchored list names the one before it ten times, so the
    last list stands for 10**levels citations in a file of a few kilobytes."""
    head = (
        "# anchored lists of citations, each naming the previous one ten times\n"
        "chancery: 1\nsources:\n  - id: wire\n    outlet: Wire\n    published: '2021-11-16'\n"
        "x0: &x0 {source: wire, quote: a quote}\n"
    )
    body = "".join(
        f"x{n}: &x{n} [" + ", ".join([f"*x{n - 1}"] * 10) + "]\n" for n in range(1, levels + 1)
    )
    return head + body


def _case_param(case: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case["bug"])] if case.get("bug") else []
    return pytest.param(case, id=case["name"], marks=marks)


@dataclass(frozen=True)
class Prepared:
    store: str
    location: str


def _bundled_ledger(made: Locations) -> str:
    location = made.new()
    result = runner.invoke(app, ["import", "--bundled", "--db", location])
    assert result.exit_code == 0, result.output
    return location


@pytest.fixture(scope="module", params=STORES)
def prepared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Prepared]:
    """One ledger per store, filled by `chancery import --bundled`, shared by every case."""
    made = Locations(request.param, tmp_path_factory.mktemp("bad-inputs-ledger"))
    yield Prepared(request.param, _bundled_ledger(made))
    made.drop()


def snapshot(location: str) -> dict[str, Any]:
    """Everything the ledger holds, with recording times, in a comparable form."""
    ledger = open_ledger(location, create=False)
    try:
        held = contents(ledger)
    finally:
        ledger.close()
    return {
        "parties": {k: v.model_dump(mode="json") for k, v in held.parties.items()},
        "channels": {k: v.model_dump(mode="json") for k, v in held.channels.items()},
        "sources": {k: v.model_dump(mode="json") for k, v in held.sources.items()},
        "entries": {
            slug: [(r.entry.model_dump(mode="json"), r.recorded_at) for r in recorded]
            for slug, recorded in held.entries.items()
        },
    }


def _unwritable_ledger(tmp_path: Path) -> Path:
    """A ledger path this user cannot create: in a read-only folder, or under /proc as root
    (root ignores the folder's mode bits)."""
    if os.geteuid() == 0:
        return Path("/proc/chancery-bad-inputs/ledger.sqlite")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    return folder / "ledger.sqlite"


def _postgres_schema_exists(schema: str) -> bool:
    with psycopg.connect(POSTGRES_SERVER, connect_timeout=5) as conn:
        row = conn.execute(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (schema,)
        ).fetchone()
    return row is not None


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None


def _run(args: list[str], data_home: Path, *, in_subprocess: bool) -> Outcome:
    """Run chancery in-process (CliRunner), or as `python -m cli` when it may crash the process."""
    if in_subprocess:
        env = {**os.environ, "CHANCERY_DB": "", "XDG_DATA_HOME": str(data_home)}
        done = subprocess.run(
            [sys.executable, "-m", "chancery", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=300,
            check=False,
        )
        return Outcome(done.returncode, done.stdout, done.stderr, None)
    result = runner.invoke(app, args, env={"CHANCERY_DB": None, "XDG_DATA_HOME": str(data_home)})
    return Outcome(result.exit_code, result.stdout, result.stderr, result.exception)


def test_the_manifest_lists_every_committed_input_once() -> None:
    listed = [case["file"] for case in CASES if case.get("file")]
    committed = sorted(p.name for p in CORPUS.iterdir() if p.name != MANIFEST.name)
    assert sorted(listed) == committed
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    assert len(CASES) >= 55
    for case in CASES:
        assert {"name", "category", "args", "exit_code", "expect"} <= set(case), case
        assert case["expect"], f"{case['name']}: expect at least one fragment"
        if (case.get("file") or "").endswith(".yaml"):
            first = (CORPUS / case["file"]).read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# "), f"{case['file']}: first line must say what is wrong"


def test_the_valid_report_the_cases_rely_on_imports(tmp_path: Path) -> None:
    """The good file of the multi-file cases is good: their refusals come from the bad part."""
    db, good = tmp_path / "ledger.sqlite", tmp_path / "valid-report.yaml"
    good.write_text(VALID_REPORT, encoding="utf-8")
    assert runner.invoke(app, ["import", "--bundled", "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["import", str(good), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert '"events": 1' in result.stdout


@pytest.mark.parametrize("case", [_case_param(case) for case in CASES])
def test_bad_input_is_refused_and_leaves_the_ledger_unchanged(
    case: dict[str, Any],
    prepared: Prepared,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    if case.get("needs_postgres"):
        try:
            _postgres_schema_exists("public")
        except psycopg.Error as exc:
            pytest.skip(f"no PostgreSQL server for this case ({exc})")
    inputs, scratch = tmp_path / "inputs", tmp_path / "scratch"
    inputs.mkdir()
    scratch.mkdir()
    good = inputs / "valid-report.yaml"
    good.write_text(VALID_REPORT, encoding="utf-8")
    case_file: Path | None = None
    if case.get("generate"):
        suffix = ".json" if case["generate"].endswith("json") else ".yaml"
        case_file = inputs / f"{case['name']}{suffix}"
        _generate(case["generate"], case_file)
    elif case.get("file"):
        case_file = CORPUS / case["file"]
    if case.get("make_file"):
        (scratch / case["make_file"]).write_text("not a folder, not a ledger\n", encoding="utf-8")
    unwritable = _unwritable_ledger(tmp_path) if "{readonly_ledger}" in str(case["args"]) else None
    fresh = Locations(prepared.store, tmp_path) if case.get("fresh_ledger") else None
    db = _bundled_ledger(fresh) if fresh else prepared.location
    values = {
        "file": str(case_file),
        "db": db,
        "tmp": str(scratch),
        "good": str(good),
        "pg_server": POSTGRES_SERVER,
        "readonly_ledger": str(unwritable),
        "readonly_ledger_parent": str(unwritable.parent) if unwritable else "",
    }

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        return text

    args = [fill(arg) for arg in case["args"]]
    executed: list[Any] = []
    if case.get("forbid_exec"):
        monkeypatch.setattr(os, "system", lambda *a, **k: executed.append(a) or 0)
        monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: executed.append(a))
    data_home = tmp_path / "default-data"
    ledgers = list(dict.fromkeys([prepared.location, db]))

    try:
        before = {location: snapshot(location) for location in ledgers}
        result = _run(args, data_home, in_subprocess=bool(case.get("subprocess")))
        after = {location: snapshot(location) for location in ledgers}
    finally:
        if fresh:
            fresh.drop()

    stderr = result.stderr
    shown = f"chancery {' '.join(args)}\nexit {result.exit_code}\nstderr:\n{stderr}"
    if case.get("forbid_exec"):
        assert executed == [], f"{shown}\na tag in the file ran code: {executed}"
        assert "hacked" not in capfd.readouterr().out, shown
    print(shown)  # pytest -rP shows every message, for review
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{shown}\nraised {result.exception!r}"
    )
    assert result.exit_code == case["exit_code"], shown
    assert "Traceback" not in stderr + result.stdout, shown
    assert stderr.strip(), f"{shown}\n(nothing on stderr)"
    assert "\n\n" not in stderr.strip(), f"{shown}\n(more than one paragraph)"
    assert len(stderr.strip().splitlines()) <= case.get("max_lines", DEFAULT_MAX_LINES), shown
    for fragment in case["expect"]:
        assert fill(fragment) in stderr, f"{shown}\n(missing {fill(fragment)!r})"
    for fragment in case.get("forbid", []):
        assert fill(fragment) not in stderr + result.stdout, f"{shown}\n(has {fill(fragment)!r})"
    for location in ledgers:
        assert after[location] == before[location], f"{shown}\nthe ledger {location} changed"
    assert not data_home.exists(), f"{shown}\nthe default ledger was touched"
    if unwritable is not None:
        assert not unwritable.exists()
    for path in case.get("absent", []):
        assert not Path(fill(path)).exists(), f"{shown}\n{fill(path)} was left behind"
    if case.get("absent_schema"):
        assert not _postgres_schema_exists(case["absent_schema"]), f"{shown}\nschema created"
