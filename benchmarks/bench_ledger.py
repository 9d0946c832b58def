"""Benchmark: synthetic valid ledgers of 10k, 100k and 1M events on SQLite and PostgreSQL,
against raw baselines measured in the same run on the same rows.

For each store and size it prints one table row:
- import: events/s through `Ledger.import_files` plus the read model's catch-up, and its ratio
  to a raw `executemany` insert of the same events (one row each, JSON) in the same database;
- raw read: every one of those rows read back and `json.loads`-ed;
- `state --channel` in-process (p50, p99 over random channels and dates), all channels
  in-process, `history` of one channel in-process;
- CLI `state --channel` end to end (median of 5) and its ratio to a bare
  `python -c "import typer, rich, pydantic, eventsourcing"` of the same run;
- one more event imported into the ledger end to end (CLI);
- the peak RSS of each CLI command (GNU time's %M) and of the whole in-process import, and
  up to 100k events that of `events --json` and `export --format jsonl` over the whole ledger.

Run: python benchmarks/bench_ledger.py [--sizes 10000 100000 1000000] [--postgres URL]
     [--sqlite-only]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.projections.history import channel_history
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger
from psycopg import sql
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import Shape, channel_slug, one_more_event, write_files

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
BARE_IMPORT = "import typer, rich, pydantic, eventsourcing"


LISTED_UP_TO = 100_000
"""`events --json` and `export` of the whole ledger are run up to this size: their peak memory
must not grow with the ledger (they write as they read); at 1M they would take minutes."""


def reset_peak() -> None:
    """Start this process's peak resident memory again from now (Linux: clear_refs 5)."""
    with suppress(OSError), open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def peak_kib() -> int:
    """This process's peak resident memory (VmHWM) since the last `reset_peak`, in KiB."""
    with suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def seconds(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run_cli(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one CLI command, as a fresh process."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "chancery", *args],
        stdout=subprocess.DEVNULL,  # a listing of every event is written, not kept
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"chancery {' '.join(args)} failed: {done.stderr[-500:]}")
    return wall, int(done.stderr.strip().splitlines()[-1])


def bare_import() -> float:
    return statistics.median(
        seconds(lambda: subprocess.run([sys.executable, "-c", BARE_IMPORT], check=True))
        for _ in range(5)
    )


def raw_rows(files: list[Path]) -> list[tuple[str, str, str]]:
    rows = []
    for path in files[1:]:
        for record in json.loads(path.read_text(encoding="utf-8"))["events"]:
            rows.append((record["id"], record["channel"], json.dumps(record)))
    return rows


def raw_sqlite(folder: Path, rows: list[tuple[str, str, str]]) -> tuple[float, float]:
    path = folder / "raw.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE raw (id TEXT PRIMARY KEY, channel TEXT, state BLOB)")
    insert = seconds(
        lambda: (conn.executemany("INSERT INTO raw VALUES (?, ?, ?)", rows), conn.commit())
    )
    read = seconds(lambda: [json.loads(r[0]) for r in conn.execute("SELECT state FROM raw")])
    conn.close()
    return insert, read


def raw_postgres(server: str, rows: list[tuple[str, str, str]]) -> tuple[float, float]:
    schema = f"chancery_raw_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        table = sql.SQL("{}.raw").format(sql.Identifier(schema))
        conn.execute(
            sql.SQL("CREATE TABLE {} (id text PRIMARY KEY, channel text, state bytea)").format(
                table
            )
        )

        def insert() -> None:
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(
                    sql.SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(table),
                    [(i, c, s.encode()) for i, c, s in rows],
                )

        inserted = seconds(insert)
        read = seconds(
            lambda: [
                json.loads(bytes(r[0]))
                for r in conn.execute(sql.SQL("SELECT state FROM {}").format(table))
            ]
        )
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    return inserted, read


def measure(store: str, count: int, server: str, folder: Path) -> list[str]:
    shape = Shape(count)
    files = write_files(folder / f"data-{count}", shape)
    rows = raw_rows(files)
    if store == "SQLite":
        location = str(folder / f"ledger-{count}.sqlite")
        raw_insert, raw_read = raw_sqlite(folder, rows)
    else:
        location = f"{server}?schema=chancery_bench_{uuid.uuid4().hex[:8]}"
        raw_insert, raw_read = raw_postgres(server, rows)
    del rows

    ledger = open_ledger(location, create=True)
    read = ReadModel(ledger)
    reset_peak()  # the raw baseline held every row; the import's own peak is what counts

    def import_all() -> None:
        for path in files:
            import_files(ledger, [load_file(path)])
            read.catch_up()

    imported = seconds(import_all)
    import_rss = peak_kib()

    rng = random.Random(count)
    probes = [
        (channel_slug(rng.randrange(shape.channels)), date(rng.randint(1990, 2030), 6, 30))
        for _ in range(300)
    ]
    timings = sorted(seconds(lambda c=c, d=d: read.state(d, None, c)) for c, d in probes)
    p50, p99 = timings[len(timings) // 2], timings[int(len(timings) * 0.99)]
    all_channels = statistics.median(
        seconds(lambda: read.state(date(2000, 6, 30))) for _ in range(5)
    )
    history = statistics.median(
        seconds(lambda c=c: channel_history(read, c)) for c, _ in probes[:5]
    )
    ledger.close()

    cli_runs = [
        run_cli(["state", "--channel", c, "--as-of", str(d), "--json", "--db", location])
        for c, d in probes[:5]
    ]
    cli_state = statistics.median(w for w, _ in cli_runs)
    bare = bare_import()  # beside the CLI runs, so that both see the same load
    _, all_rss = run_cli(["state", "--as-of", "2000-06-30", "--json", "--db", location])
    _, history_rss = run_cli(["history", probes[0][0], "--json", "--db", location])
    one_more, one_more_rss = run_cli(
        ["import", str(one_more_event(folder / f"data-{count}", shape)), "--db", location]
    )
    listings = "—"
    if count <= LISTED_UP_TO:
        _, events_rss = run_cli(["events", "--json", "--db", location])
        _, export_rss = run_cli(["export", "--format", "jsonl", "--db", location])
        listings = f"{events_rss / 1024:.0f} / {export_rss / 1024:.0f}"
    if store == "PostgreSQL":
        with psycopg.connect(server, autocommit=True) as conn:
            schema = location.rsplit("schema=", 1)[1]
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    peak = max(r for _, r in cli_runs)
    return [
        f"{count:,}",
        f"{count / imported:,.0f}/s",
        f"{count / raw_insert:,.0f}/s",
        f"{raw_insert / imported:.0%}",
        f"{raw_read:.2f}",
        f"{p50 * 1000:.2f} / {p99 * 1000:.2f}",
        f"{all_channels * 1000:.0f}",
        f"{cli_state:.2f} ({cli_state / bare:.1f}× {bare:.2f})",
        f"{history * 1000:.0f}",
        f"{one_more:.2f}",
        f"{import_rss / 1024:.0f} / {peak / 1024:.0f} / {all_rss / 1024:.0f} / "
        f"{history_rss / 1024:.0f} / {one_more_rss / 1024:.0f}",
        listings,
    ]


COLUMNS = (
    "events",
    "import",
    "raw insert",
    "import ÷ raw",
    "raw read s",
    "state --channel p50 / p99 ms",
    "all channels ms",
    "CLI state --channel s (÷ bare, bare s)",
    "history ms",
    "+1 event s",
    "peak MiB: import / state / all / history / +1",
    "peak MiB: events --json / export jsonl",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--postgres", default=POSTGRES, metavar="URL")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    arguments = parser.parse_args()
    stores = ["SQLite", "PostgreSQL"]
    if arguments.sqlite_only:
        stores = ["SQLite"]
    if arguments.postgres_only:
        stores = ["PostgreSQL"]
    console = Console(width=200)
    for store in stores:
        table = Table(title=f"{store}: 1,000 channels, 200 parties")
        for column in COLUMNS:
            table.add_column(column, justify="right")
        for count in arguments.sizes:
            with tempfile.TemporaryDirectory() as folder:
                table.add_row(*measure(store, count, arguments.postgres, Path(folder)))
            console.print(table)
    console.print("(each table is reprinted as rows complete; the last print is the whole table)")


if __name__ == "__main__":
    main()
