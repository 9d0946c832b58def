"""States over a date range and the event list as pandas DataFrames (`chancery[pandas]`).

pandas is optional: a notebook user installs the extra; nothing else in Chancery loads it.
The frames hold the same values `--json` prints, flattened one row per channel and date, or
one row per event, so that they plot and filter without further unpacking.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from chancery.domain.errors import ArgumentError

if TYPE_CHECKING:
    import pandas
    from chancery.application.ledger import Ledger

STEPS = ("day", "month", "year")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ArgumentError(
            "DataFrames need pandas: pip install 'chancery[pandas]' (or pandas itself)"
        ) from None
    return pandas


def dates_between(start: date, end: date, every: str) -> Iterator[date]:
    """`start`, then every day, month end or year end up to `end` (a month or year step lands
    on the last day of each period, as a partial `--as-of` does)."""
    if every not in STEPS:
        raise ArgumentError(f"every: '{every}' is not one of: {', '.join(STEPS)}")
    if start > end:
        raise ArgumentError(f"the range starts ({start}) after it ends ({end})")
    if every == "day":
        day = start
        while day <= end:
            yield day
            day += timedelta(days=1)
        return
    day = _period_end(start, every)
    while day <= end:
        yield day
        day = _period_end(day + timedelta(days=1), every)


def _period_end(day: date, every: str) -> date:
    if every == "year":
        return date(day.year, 12, 31)
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def state_rows(state: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One flat row per channel of a state's JSON form: each tracked fact's value, basis,
    certainty and words as columns `FACT`, `FACT_basis`, `FACT_certainty`, `FACT_text`."""
    for channel in state["channels"]:
        row: dict[str, Any] = {
            "as_of": state["as_of"],
            "known_at": state["known_at"],
            "channel": channel["id"],
            "kind": channel["kind"],
        }
        for name, fact in channel["facts"].items():
            row[name] = fact["value"]
            row[f"{name}_basis"] = fact["basis"]
            row[f"{name}_certainty"] = fact["certainty"]
            row[f"{name}_text"] = fact["text"]
        row["last_reported"] = channel.get("last_reported")
        yield row


def state_frame(
    ledger: Ledger,
    start: date,
    end: date,
    every: str = "month",
    channel: str | None = None,
    known_at: date | None = None,
) -> pandas.DataFrame:
    """Each channel's tracked facts at each step from `start` to `end`."""
    pandas = _pandas()
    rows = [
        row
        for day in dates_between(start, end, every)
        for row in state_rows(ledger.state_data(day, known_at, channel))
    ]
    return pandas.DataFrame(rows)


def events_frame(ledger: Ledger, **filters: Any) -> pandas.DataFrame:
    """One row per event, as `events --json` lists them, with nested details flattened and
    its sources joined."""
    pandas = _pandas()
    rows = []
    for page in ledger.event_pages(**filters):
        for event in page:
            row = event.model_dump(mode="json", exclude={"citations", "reasons", "disputes"})
            details = row.pop("details") or {}
            row.update({f"detail_{key}": value for key, value in details.items()})
            row["sources"] = " | ".join(dict.fromkeys(c.source for c in event.citations))
            row["disputed"] = bool(event.disputes)
            rows.append(row)
    return pandas.DataFrame(rows)
