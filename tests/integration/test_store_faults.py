"""Concurrency and faults around the ledger's store, beside test_concurrency.py and
test_crash.py: first-import races, a full disk, a lock held by another process."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest
from chancery.storage import store
from psycopg import sql

from tests.conftest import Locations
from tests.store_helpers import (
    REPO,
    cli,
    events_json,
    extra_file,
    failing_file,
    process_env,
    schema_of,
    spawn,
)

RACERS = 4


def test_several_first_imports_into_one_new_location_some_failing(
    locations: Locations, tmp_path: Path
) -> None:
    """Half the processes import the bundled data, half a file that is refused; all start
    together on a location that does not exist yet."""
    folder = tmp_path / "ledgers"
    folder.mkdir()
    location = locations.new() if locations.store == "postgres" else str(folder / "l.sqlite")
    failing = failing_file(tmp_path, bulk=200)
    racers = [
        spawn("import", "--json", "--db", location, *(["--bundled"] if i % 2 else [str(failing)]))
        for i in range(RACERS)
    ]
    outcomes = [(p.wait(timeout=300), *p.communicate()) for p in racers]
    for i, (code, _, stderr) in enumerate(outcomes):
        assert code == (0 if i % 2 else 1), stderr
        assert "Traceback" not in stderr
    added = sum(json.loads(out)["added"].get("events", 0) for code, out, _ in outcomes if not code)
    assert added == 28  # 23 events and 5 amendments, once, by whichever importer came first
    assert len(events_json(location)["events"]) == 23
    if locations.store == "sqlite":
        left = sorted(os.listdir(folder))
        assert [n for n in left if not n.startswith("l.sqlite")] == [], left  # no temporary file


def _hold_sqlite_lock(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def _hold_postgres_lock(location: str) -> psycopg.Connection:
    holder = psycopg.connect(location.split("?")[0])
    holder.execute(
        sql.SQL("LOCK TABLE {}.chancery_events IN EXCLUSIVE MODE").format(
            sql.Identifier(schema_of(location))
        )
    )
    return holder


def test_a_lock_held_by_another_process_is_waited_for_then_reported(
    locations: Locations, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another connection holds the ledger's write lock (SQLite BEGIN EXCLUSIVE; PostgreSQL
    LOCK TABLE ... IN EXCLUSIVE MODE, which every writer takes): an import waits the lock
    timeout once, says the ledger is locked, writes nothing; queries still answer."""
    monkeypatch.setattr(store, "LOCK_TIMEOUT_SECONDS", 1)
    location = locations.new()
    assert cli("import", "--bundled", "--db", location).exit_code == 0
    before = events_json(location)
    holder = (
        _hold_sqlite_lock(Path(location))
        if locations.store == "sqlite"
        else _hold_postgres_lock(location)
    )
    try:
        started = time.monotonic()
        result = cli("import", "--db", location, str(extra_file(tmp_path)))
        waited = time.monotonic() - started
        assert result.exit_code == 1, result.output
        assert "locked by another process" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert 0.9 < waited < 10
        assert events_json(location) == before  # a query is not blocked by a writer's lock
    finally:
        holder.close()
    assert cli("import", "--db", location, str(extra_file(tmp_path))).exit_code == 0


_FULL_DISK = """
import json, os, shutil, subprocess, sys
ledger_dir, bundled, extra, out = sys.argv[1:5]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", ledger_dir], check=True)
shutil.copyfile(bundled, os.path.join(ledger_dir, "ledger.sqlite"))
free = os.statvfs(ledger_dir)
room = free.f_bavail * free.f_frsize - 96 * 1024
with open(os.path.join(ledger_dir, "filler"), "wb") as filler:
    filler.write(b"\\0" * room)
def chancery(*args):
    done = subprocess.run([sys.executable, "-m", "chancery", *args], capture_output=True,
                          text=True, timeout=120)
    return [done.returncode, done.stdout, done.stderr]
results = {
    "import": chancery("import", "--db", os.path.join(ledger_dir, "ledger.sqlite"), extra),
    "first": chancery("import", "--bundled", "--db", os.path.join(ledger_dir, "new", "l.sqlite")),
    "left": sorted(os.listdir(ledger_dir)),
    "events": chancery("events", "--json", "--db", os.path.join(ledger_dir, "ledger.sqlite")),
}
with open(out, "w") as file:
    json.dump(results, file)
"""


def _can_mount_tmpfs() -> str | None:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return "needs root and unshare(1) to mount a small tmpfs in a private mount namespace"
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode:
        return f"cannot mount a tmpfs here: {probe.stderr.strip()}"
    return None


def test_a_full_disk_is_reported_as_a_full_disk_and_changes_nothing(tmp_path: Path) -> None:
    """The ledger on a small tmpfs (private mount namespace) with 96 KiB left: an import of
    300 events fills it; a first import of a new ledger there too."""
    problem = _can_mount_tmpfs()
    if problem:
        pytest.skip(problem)
    bundled = tmp_path / "bundled.sqlite"
    assert cli("import", "--bundled", "--db", str(bundled)).exit_code == 0
    before = events_json(str(bundled))
    ledger_dir, out = tmp_path / "small-disk", tmp_path / "out.json"
    ledger_dir.mkdir()
    script = tmp_path / "full_disk.py"
    script.write_text(textwrap.dedent(_FULL_DISK), encoding="utf-8")
    done = subprocess.run(
        [
            "unshare",
            "-m",
            sys.executable,
            str(script),
            str(ledger_dir),
            str(bundled),
            str(extra_file(tmp_path, count=300)),
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=process_env(),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    for name in ("import", "first"):
        code, _, stderr = results[name]
        assert code == 1, (name, stderr)
        assert "disk holding the ledger is full" in stderr, (name, stderr)
        assert "gave up" not in stderr and "Traceback" not in stderr
    code, stdout, stderr = results["events"]
    assert code == 0, stderr
    assert json.loads(stdout) == before
    assert results["left"] == ["filler", "ledger.sqlite"]  # no new ledger, no temporary file
