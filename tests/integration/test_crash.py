"""An import killed with SIGKILL half-way leaves all of it or none of it, never a part; one
killed between writing its events and updating the read model leaves a ledger whose next query
catches up correctly."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from chancery.application.verification import verify
from chancery.importing.plan import import_files
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger

from tests.conftest import BASE_DECLARATIONS, Locations, contents, event

EVENTS = 4000
KILL_POINTS = (0.5, 0.8, 0.9, 0.95, 0.98, 1.0)
"""Fractions of a full import's wall time: parsing takes most of it, the one write comes last."""
REPO = Path(__file__).resolve().parents[2]


def _large_file(folder: Path) -> Path:
    events = [
        event(
            f"contact-{i}",
            "contacts_maintained",
            "contacts",
            f"{2000 + i // 336}-{i % 12 + 1:02d}-{i // 12 % 28 + 1:02d}",  # one a day
        )
        for i in range(EVENTS)
    ]
    path = folder / "large.yaml"
    path.write_text(yaml.safe_dump({**BASE_DECLARATIONS, "events": events}), encoding="utf-8")
    return path


def _import(location: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chancery",
            "import",
            "--db",
            location,
            str(path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _recorded(location: str) -> int:
    ledger = open_ledger(location, create=False)
    try:
        return sum(len(entries) for entries in contents(ledger).entries.values())
    finally:
        ledger.close()


def test_sigkill_during_a_large_import_leaves_all_or_nothing(
    locations: Locations, tmp_path: Path
) -> None:
    ledger_location = locations.new()
    # The ledger exists beforehand, holding one earlier import that must survive untouched.
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        yaml.safe_dump(
            {
                **BASE_DECLARATIONS,
                "events": [event("earlier", "cooperation_suspended", "cooperation", "2014")],
            }
        ),
        encoding="utf-8",
    )
    import_files(open_ledger(ledger_location, create=True), [])
    assert (
        subprocess.run(
            [
                sys.executable,
                "-m",
                "chancery",
                "import",
                "--db",
                ledger_location,
                str(seed),
            ],
            cwd=REPO,
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    large = _large_file(tmp_path)

    started = time.monotonic()
    full = _import(ledger_location, large)
    full.communicate(timeout=600)
    duration = time.monotonic() - started
    assert full.returncode == 0
    assert _recorded(ledger_location) == EVENTS + 1

    # Again into a fresh ledger, killed at several points of the same run's duration.
    outcomes = []
    for fraction in KILL_POINTS:
        location = locations.new()
        import_files(open_ledger(location, create=True), [])
        victim = _import(location, large)
        time.sleep(duration * fraction)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=60)
        recorded = _recorded(location)
        assert recorded in (0, EVENTS), f"a partial import of {recorded} events survived"
        killed = open_ledger(location, create=False)  # read-only, as a query opens it
        assert verify(killed).ok
        read = ReadModel(killed, read_only=True)  # a query folds what is behind in memory
        assert read.problems() == [], "the next query must answer correctly"
        killed.close()
        outcomes.append(recorded)

        rerun = _import(location, large)
        rerun.communicate(timeout=600)
        assert rerun.returncode == 0
        assert _recorded(location) == EVENTS
    print(f"killed at {KILL_POINTS} of {duration:.1f}s: events recorded {outcomes}")


_STREAMED = """
import runpy, sys
import chancery.importing.dataset
chancery.importing.dataset.MAX_FILE_BYTES = 0  # every file takes the streamed path
sys.argv = ["chancery", *sys.argv[1:]]
runpy.run_module("chancery", run_name="__main__")
"""


def test_sigkill_during_a_streamed_import_leaves_all_or_nothing(
    locations: Locations, tmp_path: Path
) -> None:
    """A streamed import writes its batches as it reads, inside one transaction: killed at any
    point, it leaves none of them, and the ledger takes the same file whole afterwards."""
    large = _large_file(tmp_path)

    def streamed(location: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", _STREAMED, "import", "--db", location, str(large)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )

    location = locations.new()
    started = time.monotonic()
    full = streamed(location)
    _, errors = full.communicate(timeout=600)
    duration = time.monotonic() - started
    assert full.returncode == 0, errors
    assert _recorded(location) == EVENTS
    for fraction in (0.3, 0.6, 0.9):
        location = locations.new()
        import_files(open_ledger(location, create=True), [])
        victim = streamed(location)
        time.sleep(duration * fraction)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=60)
        assert _recorded(location) in (0, EVENTS), "a partial streamed import survived"
        killed = open_ledger(location, create=True)
        assert verify(killed).ok and ReadModel(killed).problems() == []
        killed.close()
    rerun = streamed(location)
    rerun.communicate(timeout=600)
    assert rerun.returncode == 0 and _recorded(location) == EVENTS
