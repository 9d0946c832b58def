"""Several OS processes import into one ledger at once: every event lands exactly once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from chancery.application.verification import verify
from chancery.importing.plan import import_files
from chancery.storage.importlog import added_entries, log_entries
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger

from tests.conftest import BASE_DECLARATIONS, contents, event
from tests.store_helpers import cli

PROCESSES = 6
OWN_EVENTS = 40
SHARED_EVENTS = 10


def _files(folder: Path) -> list[Path]:
    """Each process imports its own events plus the same shared ones as every other process."""
    shared = [
        event(f"shared-{i}", "contacts_maintained", "contacts", f"2021-01-{i + 1:02d}")
        for i in range(SHARED_EVENTS)
    ]
    paths = []
    for p in range(PROCESSES):
        own = [
            event(
                f"p{p}-{i}",
                "contacts_maintained",
                "contacts",
                f"20{10 + i // 12}-{i % 12 + 1:02d}-{p + 1:02d}",  # one action a day: no repeat
            )
            for i in range(OWN_EVENTS)
        ]
        path = folder / f"process-{p}.yaml"
        path.write_text(yaml.safe_dump({**BASE_DECLARATIONS, "events": own + shared}), "utf-8")
        paths.append(path)
    return paths


def test_concurrent_imports_record_every_event_exactly_once(
    ledger_location: str, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "chancery", "import", "--json"]
    processes = [
        subprocess.Popen(
            [*command, "--db", ledger_location, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        for path in _files(tmp_path)
    ]
    outcomes = [(p.wait(timeout=300), *p.communicate()) for p in processes]
    for code, _, stderr in outcomes:
        assert code == 0, stderr
        assert "Traceback" not in stderr
    reports = [json.loads(stdout) for _, stdout, _ in outcomes]
    added = sum(r["added"].get("events", 0) for r in reports)
    retried = sum(r["attempts"] - 1 for r in reports)
    print(f"{PROCESSES} processes, {added} events added, {retried} conflicts retried")

    expected = {f"p{p}-{i}" for p in range(PROCESSES) for i in range(OWN_EVENTS)}
    expected |= {f"shared-{i}" for i in range(SHARED_EVENTS)}
    assert added == len(expected)
    assert sum(1 for r in reports if r["added"].get("parties")) == 1
    ledger = open_ledger(ledger_location, create=False)
    recorded = [item.entry.id for item in contents(ledger).entries["contacts"]]
    assert sorted(recorded) == sorted(expected)  # each exactly once
    assert verify(ledger).ok
    # Every importer caught the read model up as it finished: it must equal a fresh fold.
    assert ReadModel(ledger).problems() == []
    # One log entry per import, numbered without a gap, each naming the file it read and
    # exactly the events that import added.
    entries = log_entries(ledger)
    assert [entry.number for entry in entries] == list(range(1, PROCESSES + 1))
    logged = [set(event_id for event_id, _ in added_entries(ledger, e.number)) for e in entries]
    assert sorted(len(ids) for ids in logged) == sorted(
        r["added"]["events"] for r in reports if r["added"].get("events")
    )
    assert set().union(*logged) == expected and sum(map(len, logged)) == len(expected)
    assert {entry.files[0].name for entry in entries} == {
        str(path) for path in tmp_path.glob("process-*.yaml")
    }


def test_verify_while_imports_run_reports_no_false_problem(
    ledger_location: str, tmp_path: Path
) -> None:
    """Verify reads the index and the timelines at different moments; an
    import landing in between must not look like damage."""
    import_files(open_ledger(ledger_location, create=True), [])
    files = []
    for number in range(12):
        records = [
            event(
                f"batch{number}-{i}",
                "contacts_maintained",
                "contacts",
                f"20{10 + i}-01-{number + 1:02d}",  # one action a day: no repeat
            )
            for i in range(5)
        ]
        source = {"id": f"wire-{number}", "outlet": "Wire", "published": "2021-10-07"}
        for record in records:
            record["citations"] = [{"source": source["id"], "quote": "still in contact"}]
        path = tmp_path / f"batch-{number}.yaml"
        declarations = {**BASE_DECLARATIONS, "sources": [*BASE_DECLARATIONS["sources"], source]}
        path.write_text(yaml.safe_dump({**declarations, "events": records}), "utf-8")
        files.append(path)
    script = (
        "import sys; from chancery.storage.store import open_ledger; "
        "from chancery.importing.dataset import load_file; from pathlib import Path; "
        "from chancery.importing.plan import import_files; "
        "ledger = open_ledger(sys.argv[1], create=True); "
        "[import_files(ledger, [load_file(Path(p))]) for p in sys.argv[2:]]"
    )
    importer = subprocess.Popen(
        [sys.executable, "-c", script, ledger_location, *map(str, files)],
        stderr=subprocess.PIPE,
        text=True,
    )
    runs = 0
    ledger = open_ledger(ledger_location, create=False)
    while importer.poll() is None or runs < 3:
        result = verify(ledger)
        assert result.ok, result.problems
        runs += 1
    assert importer.returncode == 0, importer.stderr.read() if importer.stderr else ""
    assert verify(ledger).counts["entries"] == 60


IMPORTERS = 3
FILES_EACH = 3


def test_queries_and_verify_beside_three_importers_always_answer(
    ledger_location: str, tmp_path: Path
) -> None:
    """Queries and `verify`, in a loop beside three importing
    processes, each answer from one consistent snapshot: never a malformed image, an I/O
    error, a false "differs from a fresh fold", nor an event listed twice."""
    first = tmp_path / "first.yaml"
    first.write_text(
        yaml.safe_dump(
            {**BASE_DECLARATIONS, "events": [event("c", "contacts_maintained", "contacts", "2009")]}
        ),
        "utf-8",
    )
    assert cli("import", "--db", ledger_location, str(first)).exit_code == 0
    files: list[list[str]] = []
    for p in range(IMPORTERS):
        files.append([])
        for f in range(FILES_EACH):
            records = [
                event(
                    f"p{p}f{f}e{i}",
                    "contacts_maintained",
                    "contacts",
                    f"20{10 + i}-0{p + 1}-0{f + 1}",
                )
                for i in range(4)
            ]
            path = tmp_path / f"p{p}f{f}.yaml"
            path.write_text(yaml.safe_dump({**BASE_DECLARATIONS, "events": records}), "utf-8")
            files[-1].append(str(path))
    script = (
        "import subprocess, sys\n"
        "for path in sys.argv[2:]:\n"
        "    subprocess.run([sys.executable, '-m', 'chancery', 'import', '--db', sys.argv[1],"
        " path], check=True, stdout=subprocess.DEVNULL)\n"
    )
    importers = [
        subprocess.Popen(
            [sys.executable, "-c", script, ledger_location, *paths],
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        for paths in files
    ]
    rounds = 0
    try:
        while any(p.poll() is None for p in importers) or rounds < 2:
            listed = cli("events", "--json", "--db", ledger_location)
            assert listed.exit_code == 0, listed.output
            ids = [e["id"] for e in json.loads(listed.stdout)["events"]]
            assert len(ids) == len(set(ids)), "an event listed twice"
            state = cli("state", "--as-of", "2021", "--json", "--db", ledger_location)
            assert state.exit_code == 0, state.output
            assert json.loads(state.stdout)["channels"]
            checked = cli("verify", "--db", ledger_location)
            assert checked.exit_code == 0, checked.output
            rounds += 1
    finally:
        outcomes = [(p.wait(timeout=600), p.stderr.read() if p.stderr else "") for p in importers]
    for code, stderr in outcomes:
        assert code == 0, stderr
    listed = cli("events", "--json", "--db", ledger_location)
    assert len(json.loads(listed.stdout)["events"]) == 1 + IMPORTERS * FILES_EACH * 4
