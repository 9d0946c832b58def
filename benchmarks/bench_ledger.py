"""Benchmark: import and query a ledger of N generated events, against baselines of the same run.

Baselines, measured in the same run on the same machine so that noise affects both sides:
- `yaml+json`: just parsing the import file (libyaml where present), the floor of any import;
- `raw read`: reading every stored row through eventsourcing's recorder and mapper, the floor
  of any query.
Ratios say how much Chancery adds on top.
Run: python benchmarks/bench_ledger.py [N ...] [--postgres postgresql://USER@HOST:PORT/DB]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import yaml
from psycopg import sql
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chancery.domain.aggregates import ChannelTimeline
from chancery.domain.dataset import _SafeLoader, load_file
from chancery.domain.store import open_ledger
from chancery.projections.state import state_as_of

from tests.conftest import BASE_DECLARATIONS, event


def timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds and peak MiB of one call."""
    tracemalloc.start()
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def generate(folder: Path, count: int) -> Path:
    events = [
        event(
            f"e{i}",
            "contacts_maintained",
            "contacts",
            f"{2000 + i % 22}-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
        )
        for i in range(count)
    ]
    path = folder / f"events-{count}.yaml"
    path.write_text(yaml.safe_dump({**BASE_DECLARATIONS, "events": events}), encoding="utf-8")
    return path


def raw_read(location: str) -> int:
    ledger = open_ledger(location, create=False)
    rows = ledger.recorder.select_events(ChannelTimeline.create_id("contacts"))
    return len([ledger.mapper.to_domain_event(row) for row in rows])


def drop_schema(server: str, schema: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def main(sizes: list[int], postgres: str | None) -> None:
    store = "PostgreSQL" if postgres else "SQLite"
    table = Table(title=f"Chancery ledger benchmark ({store}; seconds, peak MiB)")
    for column in (
        "events",
        "parse (baseline)",
        "load+validate",
        "ratio",
        "import",
        "raw read (baseline)",
        "read+state",
        "ratio",
        "peak MiB read",
    ):
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory() as folder:
        for count in sizes:
            path = generate(Path(folder), count)
            text = path.read_text(encoding="utf-8")
            parse_s, _, _ = timed(lambda t=text: yaml.load(t, Loader=_SafeLoader))
            load_s, _, loaded = timed(lambda p=path: load_file(p))
            location = (
                f"{postgres}?schema=chancery_bench_{count}_{uuid.uuid4().hex[:8]}"
                if postgres
                else str(Path(folder) / f"ledger-{count}.sqlite")
            )
            ledger = open_ledger(location, create=True)
            import_s, _, _ = timed(lambda lg=ledger, lf=loaded: lg.import_files([lf]))
            raw_s, _, _ = timed(lambda loc=location: raw_read(loc))

            def query(loc: str = location) -> Any:
                contents = open_ledger(loc, create=False).contents()
                return state_as_of(contents, date(2021, 12, 31))

            read_s, peak, _ = timed(query)
            if postgres:
                drop_schema(postgres, location.rsplit("schema=", 1)[1])
            table.add_row(
                str(count),
                f"{parse_s:.3f}",
                f"{load_s:.3f}",
                f"{load_s / parse_s:.1f}×",
                f"{import_s:.3f}",
                f"{raw_s:.3f}",
                f"{read_s:.3f}",
                f"{read_s / raw_s:.1f}×",
                f"{peak:.1f}",
            )
    Console(width=130).print(table)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 5000])
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="benchmark a PostgreSQL database instead of SQLite "
        "(each size in a new schema, dropped afterwards)",
    )
    arguments = parser.parse_args()
    main(arguments.sizes, arguments.postgres)
