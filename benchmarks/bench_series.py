"""`series` against the per-date `state` calls it replaces, per step, at several ledger sizes.

A state series walks each channel's read-model rows once against the sorted steps; the
baseline asks `state` (its JSON form, the command line's fast path) once per step, as a user
would have before `series` came. Both run in the same process, on the same ledger, in the same
run; the table gives each one's time per step (per state: a step of one channel) and their
ratio. The cases:

- one channel, every day of 25 years (9,131 steps), as known now and as known at a date;
- every channel, every month of 25 years (300 steps × all channels).

The baseline is timed on an evenly spaced sample of the steps (up to `--sample`), the series
on all of them. Ledgers are the synthetic ones of `bench_ledger.py` (1,000 channels, whose
histories lengthen with the size: 10, 100, 1,000 events each at 10k, 100k, 1M), built into
`--folder` once and kept (`bench_queries.build`); the rows a channel's series walks are said.

Run: python benchmarks/bench_series.py --folder /tmp/series-bench --sizes 10000 100000 1000000
     python benchmarks/bench_series.py --folder /tmp/series-bench --sizes 10000 100000 \
         --postgres postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from chancery import Ledger
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_queries import build
from synthetic import Shape, channel_slug

FIRST, LAST = date(1990, 1, 1), date(2014, 12, 31)
KNOWN_AT = date(2000, 1, 1)
"""A date of knowledge inside every synthetic ledger's span of sources (at 1M)."""


@dataclass(frozen=True)
class Case:
    name: str
    every: str
    channels: tuple[str, ...]
    known_at: date | None


CASES = (
    Case("one channel, daily", "day", (channel_slug(0),), None),
    Case("one channel, daily, known at 2000", "day", (channel_slug(0),), KNOWN_AT),
    Case("every channel, monthly", "month", (), None),
)


def seconds(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def caught_up(location: str) -> None:
    """Bring the read model up to this code's format (a rebuild, once, when it changed), so
    that no timed query folds anything in memory."""
    ledger = open_ledger(location, create=True)  # writable: an existing ledger is kept
    try:
        ReadModel(ledger).catch_up()
    finally:
        ledger.close()


def measure(ledger: Ledger, case: Case, sample: int, runs: int) -> dict[str, Any]:
    def series() -> int:
        _, read = ledger.series_channels(FIRST, LAST, case.every, case.channels, case.known_at)
        return sum(len(channel.points) for channel in read)

    states = series()
    head, _ = ledger.series_channels(FIRST, LAST, case.every, case.channels, case.known_at)
    steps = head.steps
    walked = statistics.median(seconds(series) for _ in range(runs))
    probes = steps[:: max(1, len(steps) // sample)]
    channel = case.channels[0] if case.channels else None
    asked = seconds(
        lambda: [ledger.state_data(day, case.known_at, channel) for day in probes]
    ) / len(probes)
    per_state = walked / states
    per_step_state = asked / (states // len(steps))
    rows = sum(
        len(ledger.read.rows_between(slug, FIRST, LAST, case.known_at)[0])
        for slug in (case.channels or ledger.channels()[:1])
    )
    return {
        "case": case.name,
        "steps": len(steps),
        "states": states,
        "rows": rows,
        "series s": walked,
        "series µs/state": per_state * 1e6,
        "state µs/state": per_step_state * 1e6,
        "ratio": per_step_state / per_state,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True, help="Where the ledgers are kept.")
    parser.add_argument(
        "--postgres",
        help="A postgresql:// database to keep the ledgers in instead (a schema per size).",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--sample", type=int, default=500, help="Baseline steps per case.")
    parser.add_argument("--runs", type=int, default=3, help="Series runs per case (median).")
    arguments = parser.parse_args()
    arguments.folder.mkdir(parents=True, exist_ok=True)
    print(
        "| events | case | steps | states | rows walked (first channel) | series s | "
        "series µs per state | state µs per state | state ÷ series |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for size in arguments.sizes:
        location = (
            f"{arguments.postgres}?schema=series_bench_{size}"
            if arguments.postgres
            else str(arguments.folder / f"ledger-{size}.sqlite")
        )
        build(location, Shape(size))
        caught_up(location)
        with Ledger.open(location) as ledger:
            for case in CASES:
                found = measure(ledger, case, arguments.sample, arguments.runs)
                print(
                    f"| {size:,} | {found['case']} | {found['steps']:,} | {found['states']:,} | "
                    f"{found['rows']:,} | {found['series s']:.2f} | "
                    f"{found['series µs/state']:.1f} | {found['state µs/state']:.0f} | "
                    f"{found['ratio']:.0f}× |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
