"""Time and peak memory of `timeline` and `report` on one kept synthetic ledger (issue 13).

Builds the ledger at `--db` once (when it holds no events yet; `bench_queries.build`), then
runs each command `--runs` times as its own process, end to end as a user would, and prints
the median wall time and the largest peak resident memory (the child's `ru_maxrss`, from
`os.wait4`) against the per-command target of 300 MiB.

Run: python benchmarks/bench_reports.py --db /tmp/ledger-20k.sqlite --events 20000

Measured on the project's machine (2 cores, shared), 20,000 events in 1,000 channels, SQLite:

| command | before (issue 13) | after |
|---|---:|---:|
| `timeline --out t.png` | about 10 min, 1.7 GB (as reported) | see the README's benchmark table |
| `report --out r.html` | about 10 min, 1.7 GB (as reported) | see the README's benchmark table |
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
from bench_queries import build

TARGET_MIB = 300


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one command run as a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    stderr = child.stderr.read().decode() if child.stderr else ""
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {stderr}")
    return wall, usage.ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="A SQLite path or a postgresql:// URL.")
    parser.add_argument("--events", type=int, default=20_000, help="Size when building.")
    parser.add_argument("--runs", type=int, default=3, help="Runs of each command.")
    args = parser.parse_args()
    build(args.db, args.events)
    base = [sys.executable, "-m", "chancery"]
    with tempfile.TemporaryDirectory() as folder:
        commands = {
            "timeline --out t.png": [*base, "timeline", "--out", f"{folder}/t.png"],
            "timeline --out t.svg": [*base, "timeline", "--out", f"{folder}/t.svg"],
            "report --out r.html": [*base, "report", "--as-of", "2000-06-30"],
        }
        commands["report --out r.html"] += ["--out", f"{folder}/r.html"]
        print(f"| command | median s ({args.runs} runs) | peak MiB | within {TARGET_MIB} MiB |")
        print("|---|---:|---:|---|")
        for name, command in commands.items():
            results = [run([*command, "--db", args.db]) for _ in range(args.runs)]
            wall = statistics.median(w for w, _ in results)
            peak = max(m for _, m in results)
            size = Path(command[-1]).stat().st_size / 1024
            within = "yes" if peak <= TARGET_MIB else "NO"
            print(f"| `{name}` ({size:.0f} KiB) | {wall:.1f} | {peak:.0f} | {within} |")


if __name__ == "__main__":
    main()
