"""Query latency and CLI start-up on one kept synthetic ledger, for work on the read side.

`bench_ledger.py` builds a fresh ledger per run and measures everything, import included; a
change to a query wants the query lines alone, again and again, on the same rows. This builds
the ledger at `--db` once (when it holds no events yet) and then measures, on that ledger:

- `state --channel` in-process: p50 and p99 over 300 random channels and dates;
- all channels in-process, as known now, as the model (`state`) and as the JSON form the CLI
  prints (`state_data`), medians of 5;
- `history` of one channel in-process, median of 5 channels;
- `search` in-process: a selective query (one report's words: "report N on ch-X", one hit)
  p50 / p99 over 100 random reports, and a broad one ("synthetic report": every quote matches,
  the best 20 ranked), median of 5, each with its ratio to `state --channel`'s p50 measured in
  the same run; and `events --type` / `--party` / `--source`, the first page (up to 1,000
  events), median of 5, with its ratio to the first page of `events` unfiltered;
- the CLI end to end, interleaved with a bare `python -c "import typer, rich, pydantic,
  eventsourcing"` so that both see the same load: `state --channel X --json`, `state --json`
  and `state` (a table through a pipe), medians, each with its ratio to the bare import.

Run: python benchmarks/bench_queries.py --db /tmp/ledger-100k.sqlite --events 100000
     python benchmarks/bench_queries.py --db 'postgresql://postgres@127.0.0.1:5432/test?schema=bench_100k'
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.projections.history import channel_history
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import Shape, channel_slug, write_files

BARE_IMPORT = "import typer, rich, pydantic, eventsourcing"


def seconds(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def build(location: str, shape: Shape) -> None:
    """Import a synthetic ledger of `shape` into `location` unless it holds some."""
    ledger = open_ledger(location, create=True)
    try:
        if not ledger.is_empty():
            return
        read = ReadModel(ledger)
        with tempfile.TemporaryDirectory() as folder:
            files = write_files(Path(folder), shape)
            for done, path in enumerate(files, start=1):
                import_files(ledger, [load_file(path)])
                read.catch_up()
                print(f"imported file {done} of {len(files)}", file=sys.stderr)
    finally:
        ledger.close()


def in_process(location: str, channels: int) -> dict[str, str]:
    ledger = open_ledger(location, create=False)
    read = ReadModel(ledger)
    read.catch_up()
    rng = random.Random(channels)
    probes = [
        (channel_slug(rng.randrange(channels)), date(rng.randint(1990, 2030), 6, 30))
        for _ in range(300)
    ]
    timings = sorted(seconds(lambda c=c, d=d: read.state(d, None, c)) for c, d in probes)
    p50, p99 = timings[len(timings) // 2], timings[int(len(timings) * 0.99)]
    day = date(2000, 6, 30)
    every = [
        statistics.median(seconds(lambda q=query: q(day)) for _ in range(5))
        for query in (read.state, getattr(read, "state_data", read.state))
    ]
    history = statistics.median(
        seconds(lambda c=c: channel_history(read, c)) for c, _ in probes[:5]
    )
    found = {
        "state --channel p50 / p99 ms": f"{p50 * 1000:.2f} / {p99 * 1000:.2f}",
        "all channels ms (model / JSON form)": " / ".join(f"{s * 1000:.0f}" for s in every),
        "history ms": f"{history * 1000:.0f}",
    }
    ledger.close()
    found.update(searches(location, channels, p50, rng))
    return found


def searches(location: str, channels: int, baseline: float, rng: random.Random) -> dict[str, str]:
    """Search and the events filters through the use cases (`chancery.Ledger`), as the CLI
    calls them; ratios to `state --channel`'s p50 (`baseline`)."""
    from chancery.application.ledger import Ledger

    with Ledger.open(location) as ledger:
        per_channel = ledger.read.search(["synthetic"], None, channel_slug(0), 1000)
        reports = max(1, len(per_channel))
        probes = [
            f"report {rng.randrange(reports)} on {channel_slug(rng.randrange(channels))}"
            for _ in range(100)
        ]
        timings = sorted(seconds(lambda w=words: ledger.search(w)) for words in probes)
        p50, p99 = timings[len(timings) // 2], timings[int(len(timings) * 0.99)]
        broad = statistics.median(
            seconds(lambda: ledger.search("synthetic report")) for _ in range(5)
        )

        def first_page(**filters: str) -> float:
            return statistics.median(
                seconds(lambda: next(ledger.event_pages(**filters), None)) for _ in range(5)
            )

        unfiltered = first_page()
        filtered = {
            "--type": first_page(action_type="meeting held"),
            "--party": first_page(party="p-007"),
            "--source": first_page(source=f"src-{channel_slug(3)}-0"),
        }
    found = {
        "search selective p50 / p99 ms (×state)": (
            f"{p50 * 1000:.2f} / {p99 * 1000:.2f} ({p50 / baseline:.1f}×)"
        ),
        "search broad, best 20 ms (×state)": f"{broad * 1000:.0f} ({broad / baseline:.0f}×)",
    }
    found["events, first page ms (baseline)"] = f"{unfiltered * 1000:.1f}"
    found.update(
        {
            f"events {name}, first page ms": f"{s * 1000:.1f} ({s / unfiltered:.2f}×)"
            for name, s in filtered.items()
        }
    )
    return found


def cli(location: str, runs: int) -> dict[str, str]:
    """Medians of `runs` rounds, each running the bare import and every command once."""
    commands = {
        "bare import": [sys.executable, "-c", BARE_IMPORT],
        "state --channel --json": [
            *(sys.executable, "-m", "chancery", "state", "--json"),
            *("--channel", channel_slug(7), "--as-of", "2000-06-30", "--db", location),
        ],
        "state --json": [
            *(sys.executable, "-m", "chancery", "state", "--json"),
            *("--as-of", "2000-06-30", "--db", location),
        ],
        "state (table, piped)": [
            *(sys.executable, "-m", "chancery", "state", "--as-of", "2000-06-30"),
            *("--db", location),
        ],
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            walls[name].append(
                seconds(lambda c=command: subprocess.run(c, check=True, stdout=subprocess.DEVNULL))
            )
    bare = statistics.median(walls["bare import"])
    return {
        f"CLI {name} s": f"{statistics.median(w):.3f} ({statistics.median(w) / bare:.2f}×)"
        for name, w in walls.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="A SQLite path or a postgresql:// URL.")
    parser.add_argument("--events", type=int, default=100_000, help="Size when building.")
    parser.add_argument("--runs", type=int, default=11, help="CLI rounds.")
    parser.add_argument("--cli-only", action="store_true")
    arguments = parser.parse_args()
    build(arguments.db, Shape(arguments.events))
    results = (
        {} if arguments.cli_only else in_process(arguments.db, Shape(arguments.events).channels)
    )
    results.update(cli(arguments.db, arguments.runs))
    for name, value in results.items():
        print(f"{name:40} {value}")


if __name__ == "__main__":
    main()
