"""Each channel's state at each step of a date range: a state series.

`state` answers one date at a time; a chart or a spreadsheet wants every month of ten years.
Asking `state` per date repeats an indexed lookup per step; the read model already holds each
channel's state as rows over valid-time intervals (one per interval in which nothing it depends
on changes), so a channel's series is one read of its rows in the range and one walk of the
sorted steps against them: the work per step is constant, whatever the size of the ledger.

Each point says what `state --as-of STEP` says of the channel (as known at `known_at`): the
tracked facts of `domain/tracked.py`, typed as `state --json` types them, with the status,
its certainty, since when it holds and how old its evidence is, from which a view says the
state in the words of the state table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from itertools import islice
from typing import TYPE_CHECKING

from chancery.domain.errors import ArgumentError, ChanceryError, one_line_reason
from chancery.domain.facts import Basis, Status
from chancery.projections.models import FactView
from chancery.projections.rows import CapChange, StateRow, inferred
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from chancery.projections.ports import Readings

STEPS = ("day", "week", "month", "year")
"""How far apart a series' steps are: each day, or the last day of each week (Sunday, as ISO
8601 counts weeks), month or year."""
MAX_STEPS = 100_000
"""The most steps one series takes (274 years of days): a longer range is refused before any
work, never left to run for hours."""
MAX_POINTS = 1_000_000
"""The most states (steps × channels) one series takes, for the same reason."""
ALTERED = "it was altered outside Chancery; run `chancery reindex` to rebuild it from the events"
"""What a read-model row that cannot answer means, and its cure."""


class SeriesPoint(BaseModel):
    """A channel's state on one step: the part of `state --json`'s channel that says its
    tracked facts, keyed and typed as there."""

    as_of: date
    status: Status
    status_basis: Basis
    certainty: str = Field(description="The status's certainty on the date, as in `state`")
    since: str | None = Field(description="EDTF date the current status began")
    last_reported: str | None = Field(description="EDTF date of the latest evidence by as_of")
    last_reported_end: date | None = Field(description="The last day `last_reported` can mean")
    facts: dict[str, FactView] = Field(description="Every fact the channel's kind tracks")


class ChannelSeries(BaseModel):
    id: str
    name: str
    kind: str
    points: list[SeriesPoint] = Field(description="One per step, in date order")


class StateSeries(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from", description="The first day of the range")
    to: date = Field(description="The last day of the range")
    every: str = Field(description="day, week, month or year")
    known_at: date | None = Field(description="The date of knowledge; null for everything")
    steps: list[date] = Field(description="The dates each channel's points are of")
    channels: list[ChannelSeries]


def series_steps(first: date, last: date, every: str, channels: int = 1) -> list[date]:
    """The steps from `first` to `last`: every day, or the last day of every week, month or
    year that ends in the range (a month step lands on the month's last day, as a partial
    `--as-of` does). A range that cannot be a series is refused, saying why."""
    if every not in STEPS:
        raise ArgumentError(f"--every: '{every}' is not one of: {', '.join(STEPS)}")
    if first > last:
        raise ArgumentError(
            f"--from {first} is after --to {last}: a series needs a range that does not end "
            "before it starts"
        )
    steps = list(islice(_steps(first, last, every), MAX_STEPS + 1))
    if not steps:
        raise ArgumentError(
            f"no {every} ends between --from {first} and --to {last}: widen the range or "
            "choose a shorter --every"
        )
    if len(steps) > MAX_STEPS:
        raise ArgumentError(
            f"more than {MAX_STEPS:,} steps from {first} to {last} every {every}: a series "
            "takes at most that many; choose a longer --every or a shorter range"
        )
    if len(steps) * channels > MAX_POINTS:
        raise ArgumentError(
            f"{len(steps):,} steps × {channels:,} channels is {len(steps) * channels:,} "
            f"states: a series takes at most {MAX_POINTS:,}; name fewer channels "
            "(--channel), or choose a longer --every or a shorter range"
        )
    return steps


def _steps(first: date, last: date, every: str) -> Iterator[date]:
    day = first if every == "day" else _period_end(first, every)
    while day is not None and day <= last:
        yield day
        if day == date.max:
            return
        day = day + _ONE if every == "day" else _period_end(day + _ONE, every)


_ONE = timedelta(days=1)


def _period_end(day: date, every: str) -> date | None:
    """The last day of the week, month or year `day` is in; None for a week that ends after
    the calendar's last day."""
    if every == "week":
        rest = timedelta(days=6 - day.weekday())
        return day + rest if date.max - day >= rest else None
    if every == "year" or day.month == 12:
        return date(day.year, 12, 31)
    return date(day.year, day.month + 1, 1) - _ONE


def channel_points(
    rows: list[StateRow],
    after_last: CapChange | None,
    steps: list[date],
    channel: str,
    read_states: Callable[[list[int]], list[str]],
) -> Iterator[SeriesPoint]:
    """The channel's state on each step, from its rows known at one date (in valid-time
    order, covering the steps; their states need not be read yet) and the first staff-cap
    change after the last of them. A step's row is the last that starts by it, as `state`'s
    lookup finds it; only the states of the rows some step falls in are read
    (`read_states`, given their starts), each once, and the points of one row share its
    facts. A cap no source gives is inferred from the next cap change after the step
    (principle 5), which is the same for every step of one row."""
    landed = _rows_of(rows, steps, channel)
    hit = list(dict.fromkeys(landed))
    states = dict(zip(hit, read_states([rows[i].valid_from for i in hit]), strict=True))
    upcoming = _upcoming_caps(rows, after_last)
    point: SeriesPoint | None = None
    shown = -1
    for day, index in zip(steps, landed, strict=True):
        if point is None or index != shown:
            row = rows[index]
            point, shown = (
                _point(states[index], row.inferable, upcoming[index], channel, day),
                index,
            )
        else:
            point = point.model_copy(update={"as_of": day})
        yield point


def _rows_of(rows: list[StateRow], steps: list[date], channel: str) -> list[int]:
    """The index of the row each step falls in: one walk of the sorted steps along the rows."""
    landed, index = [], -1
    for day in steps:
        ordinal = day.toordinal()
        while index + 1 < len(rows) and rows[index + 1].valid_from <= ordinal:
            index += 1
        if index < 0 or rows[index].valid_to <= ordinal:
            raise _missing_row(channel, day)
        landed.append(index)
    return landed


def _point(
    state: str, inferable: bool, upcoming: CapChange | None, channel: str, day: date
) -> SeriesPoint:
    """A row's state on `day` as a point: validated from the stored JSON as it is, unless a
    cap is inferred into it."""
    with _damaged(channel, day):
        if inferable and upcoming is not None and upcoming[1] is not None:
            return SeriesPoint.model_validate(
                {**inferred(json.loads(state), inferable, upcoming), "as_of": day}
            )
        return SeriesPoint.model_validate_json(f'{{"as_of": "{day.isoformat()}", {state[1:]}')


def _upcoming_caps(rows: list[StateRow], after_last: CapChange | None) -> list[CapChange | None]:
    """For each row, the first staff-cap change that starts after it: in a later row of the
    range, else the one after the range."""
    upcoming: list[CapChange | None] = [None] * len(rows)
    following = after_last
    for index in range(len(rows) - 1, -1, -1):
        upcoming[index] = following
        row = rows[index]
        if row.cap_event is not None:
            following = (row.cap_event, row.cap_from)
    return upcoming


@contextmanager
def _damaged(channel: str, day: date) -> Iterator[None]:
    """A stored state that is no channel state (altered outside Chancery) is said so."""
    try:
        yield
    except (ValueError, TypeError) as exc:
        raise ChanceryError(
            f"the read model's state of channel '{channel}' on {day} cannot be read "
            f"({one_line_reason(exc)}): {ALTERED}"
        ) from None


def _missing_row(channel: str, day: date) -> ChanceryError:
    return ChanceryError(
        f"the read model holds no state of channel '{channel}' on {day}: {ALTERED}"
    )


def channel_series(
    read: Readings, slug: str, steps: list[date], known_at: date | None
) -> ChannelSeries:
    """One channel's series, from one read of its rows in the range."""
    channel = read.channel(slug)
    rows, after_last = read.rows_between(slug, steps[0], steps[-1], known_at)

    def read_states(starts: list[int]) -> list[str]:
        return read.row_states(slug, starts, known_at)

    return ChannelSeries(
        id=slug,
        name=channel.name,
        kind=channel.kind.value,
        points=list(channel_points(rows, after_last, steps, slug, read_states)),
    )
