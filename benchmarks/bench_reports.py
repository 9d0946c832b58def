"""Time and peak memory of `timeline` and `report` on one kept synthetic ledger.

Builds the ledger at `--db` once (when it holds no events yet; `bench_queries.build`, of
`--events` events in `--channels` channels, all of one `--kind` if given), then runs each
command `--runs` times as its own process, end to end as a user would, each run beside a
bare `python -c "import typer, rich, pydantic, eventsourcing"` so that both see the same
load, and prints the median wall time with its ratio to the bare import's, the median CPU
time (the steadier figure on a shared machine) and the largest peak resident memory (the
child's `ru_maxrss`, from `os.wait4`) against the per-command target of 300 MiB. Last, in
process, `ReadModel.segments` of every channel against a raw read of the same rows.

Run: python benchmarks/bench_reports.py --db /tmp/ledger-20k.sqlite --events 20000
     python benchmarks/bench_reports.py --db /tmp/council.sqlite --channels 1 --kind council

Figures, before and after, are in the README ("Charts and reports"). Two shapes matter: 1,000
channels of 20 events (many lanes, short histories), and one council of 20,000 events (one
long history with no cap change: the shape where looking for each row's next cap change by
searching every later row took rows² steps, and where holding a channel's states whole
passed the memory target).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_queries import BARE_IMPORT, build, seconds
from synthetic import KINDS, Shape

TARGET_MIB = 300


def run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident MiB of one command run as
    a child process: on a shared machine the CPU time is the steadier figure."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    stderr = child.stderr.read().decode() if child.stderr else ""
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux: KiB


def segments_line(location: str) -> str:
    """`ReadModel.segments` of every channel in-process (median of 3), against reading the
    same rows raw (`stored_rows`, the baseline of the same run): what the states cost beyond
    the rows, which grows with the rows when the look-up of each row's next cap change is
    one pass."""
    from chancery.storage.readmodel import ReadModel
    from chancery.storage.store import open_ledger

    ledger = open_ledger(location, create=False)
    try:
        read = ReadModel(ledger)
        read.catch_up()
        slugs = list(read.channel_slugs())
        rows = sum(1 for s in slugs for _ in read.segments(s))
        every = [
            lambda: [list(read.segments(s)) for s in slugs],
            lambda: [read.stored_rows(s) for s in slugs],
        ]
        segments, raw = (statistics.median(seconds(f) for _ in range(3)) for f in every)
    finally:
        ledger.close()
    return (
        f"in-process `segments` of {len(slugs)} channels ({rows} rows): {segments:.2f} s, "
        f"raw read of the same rows {raw:.2f} s, ratio {segments / raw:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="A SQLite path or a postgresql:// URL.")
    parser.add_argument("--events", type=int, default=20_000, help="Size when building.")
    parser.add_argument(
        "--channels", type=int, default=Shape.channels, help="Channels when building."
    )
    parser.add_argument(
        "--kind", choices=sorted(set(KINDS)), help="Every channel of this kind when building."
    )
    parser.add_argument("--runs", type=int, default=3, help="Runs of each command.")
    args = parser.parse_args()
    kinds = (args.kind,) if args.kind else KINDS
    build(args.db, Shape(args.events, args.channels, kinds=kinds))
    base = [sys.executable, "-m", "chancery"]
    bare = [sys.executable, "-c", BARE_IMPORT]
    with tempfile.TemporaryDirectory() as folder:
        commands = {
            "timeline --out t.png": [*base, "timeline", "--out", f"{folder}/t.png"],
            "timeline --out t.svg": [*base, "timeline", "--out", f"{folder}/t.svg"],
            "report --out r.html": [*base, "report", "--as-of", "2000-06-30"],
        }
        commands["report --out r.html"] += ["--out", f"{folder}/r.html"]
        print(
            f"| command | wall s, median of {args.runs} (÷ bare) | CPU s | peak MiB | "
            f"within {TARGET_MIB} MiB |"
        )
        print("|---|---:|---:|---:|---|")
        for name, command in commands.items():
            # Each run beside a bare import of the libraries, so both see the same load.
            pairs = [(run([*command, "--db", args.db]), run(bare)) for _ in range(args.runs)]
            wall = statistics.median(w for (w, _, _), _ in pairs)
            bare_wall = statistics.median(w for _, (w, _, _) in pairs)
            cpu = statistics.median(c for (_, c, _), _ in pairs)
            peak = max(m for (_, _, m), _ in pairs)
            size = Path(command[-1]).stat().st_size / 1024
            within = "yes" if peak <= TARGET_MIB else "NO"
            print(
                f"| `{name}` ({size:.0f} KiB) | {wall:.1f} ({wall / bare_wall:.0f}× "
                f"{bare_wall:.2f}) | {cpu:.1f} | {peak:.0f} | {within} |"
            )
    print(segments_line(args.db))


if __name__ == "__main__":
    main()
