"""An import of thousands of events and many MB in one file completes on both
stores, atomically, in bounded time (PostgreSQL used to hang on one pipelined statement of
12 MB+), and its failure leaves nothing behind."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from chancery.application.verification import verify
from chancery.importing.plan import import_files
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger

from tests.conftest import BASE_DECLARATIONS, Locations, contents, event

EVENTS = 8_000
"""With 2 KB quotes: 16 MB of stored state in one import, past the 12 MB that used to hang."""


def _file(folder: Path, *, breaking: bool = False) -> Path:
    quote = "A long enough quote to make the statement large. " * 40
    records = [
        event(
            f"contact-{i}",
            "contacts_maintained",
            "contacts",
            str(date(1990, 1, 1) + timedelta(days=i)),  # one statement a day: none reported twice
            citations=[{"source": "src", "quote": quote}],
        )
        for i in range(EVENTS)
    ]
    if breaking:  # the very last record breaks a rule: nothing of the file may be written
        records.append(event("bad-cut", "staff_cap_changed", "contacts", "2021", to_cap=1))
    path = folder / ("breaking.json" if breaking else "large.json")
    path.write_text(json.dumps({**BASE_DECLARATIONS, "events": records}), encoding="utf-8")
    return path


def test_a_20k_event_import_completes_atomically(locations: Locations, tmp_path: Path) -> None:
    location = locations.new()
    import_files(open_ledger(location, create=True), [])
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "chancery",
            "import",
            "--db",
            location,
            str(_file(tmp_path, breaking=True)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert refused.returncode == 1 and "bad-cut" in refused.stderr
    ledger = open_ledger(location, create=False)
    assert contents(ledger).entries == {}
    ledger.close()
    done = subprocess.run(
        [sys.executable, "-m", "chancery", "import", "--db", location, str(_file(tmp_path))],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    ledger = open_ledger(location, create=False)
    try:
        assert len(ledger.timeline("contacts")) == EVENTS
        assert verify(ledger).ok
        assert ReadModel(ledger).problems() == []
    finally:
        ledger.close()
