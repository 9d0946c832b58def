"""Benchmark: what the import log costs an import, and what `retract --import` and `log` take.

For each case, the same synthetic files (`synthetic.py`) are imported into two new SQLite
ledgers in the same run: once unlogged (the storage ledger's import alone, the baseline), once
logged as `chancery import` logs it (the journal writes the entry and the ids it added in the
import's transaction). Then the logged import is retracted whole (every event it added, in one
transaction) and the log is listed. Cases: a file read whole (2,000 events) and a streamed one
(20,000 events).

Prints one table row per case: events, unlogged and logged import seconds (the best of
`--repeat` imports of each, alternated), their ratio, and the seconds of the retraction (with
the read model's catch-up, which refolds every channel it touched) and of the listing.

Run: python benchmarks/bench_import_log.py [--cases whole-2k streamed-20k] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from chancery import Ledger
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.importing.streaming import StreamedFile
from chancery.storage.importlog import Origin, logging_to
from chancery.storage.ledger import Ledger as EventLedger
from chancery.storage.store import open_ledger
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import Shape, write_files

CASES = {"whole-2k": (2_000, False), "streamed-20k": (20_000, True)}


def _importer(paths: list[Path], streamed: bool) -> Callable[[EventLedger], object]:
    if streamed:
        files = [StreamedFile(path) for path in paths]
        return lambda ledger: import_files(ledger, files)
    loaded = [load_file(path) for path in paths]
    return lambda ledger: import_files(ledger, loaded)


def _timed(location: str, run: Callable[[EventLedger], object], logged: bool) -> float:
    """Seconds to import into a new ledger at `location`, with or without the log."""
    ledger = open_ledger(location, create=True)
    try:
        started = time.perf_counter()
        if logged:
            with logging_to(ledger, Origin(user="bench")):
                run(ledger)
        else:
            run(ledger)
        return time.perf_counter() - started
    finally:
        ledger.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES))
    parser.add_argument("--repeat", type=int, default=3, help="imports of each kind per case")
    arguments = parser.parse_args()
    table = Table(title="The import log: its cost to an import, and retract --import")
    for column in ("case", "events", "unlogged s", "logged s", "ratio", "retract s", "log s"):
        table.add_column(column, justify="right" if column != "case" else "left")
    for name in arguments.cases:
        events, streamed = CASES[name]
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            paths = write_files(folder / "files", Shape(events=events), chunk=events)
            run = _importer(paths, streamed)
            unlogged, logged = float("inf"), float("inf")
            for attempt in range(arguments.repeat):  # alternated, the best of each kept
                unlogged = min(unlogged, _timed(str(folder / f"u{attempt}.sqlite"), run, False))
                logged = min(logged, _timed(str(folder / f"l{attempt}.sqlite"), run, True))
            with Ledger.open(folder / "l0.sqlite") as ledger:
                started = time.perf_counter()
                ledger.retract_import(1, "benchmark")
                retract = time.perf_counter() - started
                started = time.perf_counter()
                ledger.import_log()
                listing = time.perf_counter() - started
            table.add_row(
                name,
                f"{events:,}",
                f"{unlogged:.2f}",
                f"{logged:.2f}",
                f"{logged / unlogged:.2f}",
                f"{retract:.2f}",
                f"{listing:.3f}",
            )
    Console().print(table)


if __name__ == "__main__":
    main()
