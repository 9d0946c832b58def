"""States over a date range and the event list as pandas DataFrames (`chancery[pandas]`).

pandas is optional: a notebook user installs the extra; nothing else in Chancery loads it.
The frames hold the same values `--json` prints, flattened one row per channel and date, or
one row per event, so that they plot and filter without further unpacking.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from chancery.domain.errors import ArgumentError

if TYPE_CHECKING:
    import pandas
    from chancery.application.ledger import DateLike, Ledger
    from chancery.projections.series import ChannelSeries


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ArgumentError(
            "DataFrames need pandas: pip install 'chancery[pandas]' (or pandas itself)"
        ) from None
    return pandas


def series_rows(series: ChannelSeries, known_at: date | None) -> Iterator[dict[str, Any]]:
    """One flat row per step of a channel's series: each tracked fact's value, basis,
    certainty and words as columns `FACT`, `FACT_basis`, `FACT_certainty`, `FACT_text`."""
    for point in series.points:
        row: dict[str, Any] = {
            "as_of": point.as_of.isoformat(),
            "known_at": known_at.isoformat() if known_at else None,
            "channel": series.id,
            "kind": series.kind,
        }
        for name, fact in point.facts.items():
            row[name] = fact.value
            row[f"{name}_basis"] = fact.basis.value
            row[f"{name}_certainty"] = fact.certainty
            row[f"{name}_text"] = fact.text
        row["last_reported"] = point.last_reported
        yield row


def state_frame(
    ledger: Ledger,
    start: DateLike,
    end: DateLike,
    every: str = "month",
    channel: str | None = None,
    known_at: DateLike = None,
) -> pandas.DataFrame:
    """Each channel's tracked facts at each step from `start` to `end` (`Ledger.series`),
    channel by channel."""
    pandas = _pandas()
    head, channels = ledger.series_channels(start, end, every, channel or (), known_at)
    return pandas.DataFrame(
        [row for series in channels for row in series_rows(series, head.known_at)]
    )


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
