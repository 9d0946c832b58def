"""Benchmark: the peak memory of one CLI import (target: at most 300 MiB per command, any
size, any number of files), each import its own process into a new SQLite ledger.

Cases (synthetic, valid files from `synthetic.py`):
- three files of about 12 MB each (and their declarations file), imported in one command;
- one file of 100,000 events (and its declarations file), imported in one command;
- one file of 20,000 events (about 8 MB, and its declarations file): an import of the size
  most commands make, which the planner once read whole and now streams as the others.

Prints one table row per case: files, total MB, events, wall seconds, peak RSS (GNU time's %M)
and whether it is within 300 MiB.

Run: python benchmarks/bench_import_memory.py [--cases three-12mb 100k] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import Shape, write_files

TARGET_MIB = 300
FILE_MB = 12


def _bytes_per_event() -> float:
    """The size one synthetic event (with its source) takes in a file, from a sample."""
    with tempfile.TemporaryDirectory() as scratch:
        paths = write_files(Path(scratch), Shape(events=2000, channels=100), chunk=2000)
        return sum(p.stat().st_size for p in paths[1:]) / 2000


def _three_files(folder: Path) -> tuple[list[Path], int]:
    per_file = int(FILE_MB * 1_000_000 / _bytes_per_event())
    events = 3 * per_file
    shape = Shape(events=events, channels=max(30, events // 20))
    return write_files(folder, shape, chunk=per_file + shape.per_channel), events


def _one_file(folder: Path, events: int = 100_000) -> tuple[list[Path], int]:
    return write_files(folder, Shape(events=events), chunk=events), events


def _small_file(folder: Path) -> tuple[list[Path], int]:
    return _one_file(folder, 20_000)


CASES = {"three-12mb": _three_files, "100k": _one_file, "20k": _small_file}


def _import(paths: list[Path], folder: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of `chancery import` of every path, as a fresh process."""
    env = {**os.environ, "XDG_DATA_HOME": str(folder / "xdg")}
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "chancery", "import"]
        + [str(p) for p in paths]
        + ["--db", str(folder / "ledger.sqlite")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env=env,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"the import failed: {done.stderr[-800:]}")
    return wall, int(done.stderr.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES))
    arguments = parser.parse_args()
    table = Table(title=f"CLI import, peak memory (target ≤ {TARGET_MIB} MiB per command)")
    for column in ("case", "files", "MB", "events", "wall s", "peak MiB", "within"):
        table.add_column(column, justify="right" if column != "case" else "left")
    for name in arguments.cases:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            paths, events = CASES[name](folder / "files")
            size = sum(p.stat().st_size for p in paths) / 1_000_000
            wall, peak = _import(paths, folder)
            mib = peak / 1024
            table.add_row(
                name,
                str(len(paths)),
                f"{size:.1f}",
                str(events),
                f"{wall:.1f}",
                f"{mib:.0f}",
                "yes" if mib <= TARGET_MIB else "NO",
            )
    Console().print(table)


if __name__ == "__main__":
    main()
