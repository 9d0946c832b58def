"""The steps of a state series, and the walk of a channel's rows against them (pure)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from chancery.domain.errors import ArgumentError
from chancery.projections.rows import INF, StateRow
from chancery.projections.series import MAX_POINTS, MAX_STEPS, channel_points, series_steps


def test_each_step_is_a_day_or_the_last_day_of_its_period() -> None:
    days = series_steps(date(2024, 2, 27), date(2024, 3, 2), "day")
    assert days == [date(2024, 2, 27) + timedelta(days=n) for n in range(5)]
    weeks = series_steps(date(2024, 2, 27), date(2024, 3, 17), "week")
    assert weeks == [date(2024, 3, 3), date(2024, 3, 10), date(2024, 3, 17)]
    months = series_steps(date(2023, 11, 30), date(2024, 3, 30), "month")
    assert months == [date(2023, 11, 30), date(2023, 12, 31), date(2024, 1, 31), date(2024, 2, 29)]
    assert series_steps(date(2020, 12, 31), date(2022, 12, 30), "year") == [
        date(2020, 12, 31),
        date(2021, 12, 31),
    ]


def test_the_calendars_last_days_end_a_series_without_overflow() -> None:
    assert series_steps(date(9999, 12, 30), date.max, "day") == [date(9999, 12, 30), date.max]
    assert series_steps(date(9999, 12, 1), date.max, "month") == [date.max]
    assert series_steps(date(9999, 1, 1), date.max, "year") == [date.max]
    weeks = series_steps(date(9999, 12, 1), date.max, "week")
    assert weeks[-1] == date(9999, 12, 26) and weeks[-1].isoweekday() == 7


@pytest.mark.parametrize(
    ("first", "last", "every", "channels", "complaint"),
    [
        (date(2021, 1, 1), date(2020, 1, 1), "day", 1, "is after --to"),
        (date(2021, 1, 1), date(2021, 1, 2), "hour", 1, "--every: 'hour'"),
        (date(2021, 1, 1), date(2021, 1, 30), "month", 1, "no month ends between"),
        (date(2021, 1, 4), date(2021, 1, 9), "week", 1, "no week ends between"),
        (date(1700, 1, 1), date(2000, 1, 1), "day", 1, f"more than {MAX_STEPS:,} steps"),
        (date(1900, 1, 1), date(2000, 1, 1), "day", 30, f"at most {MAX_POINTS:,}"),
    ],
)
def test_a_range_that_cannot_be_a_series_is_refused_saying_why(
    first: date, last: date, every: str, channels: int, complaint: str
) -> None:
    with pytest.raises(ArgumentError, match=complaint):
        series_steps(first, last, every, channels)


def _state(cap: int | None, basis: str) -> str:
    fact = {"value": cap, "basis": basis, "event": None, "certainty": "certain", "text": str(cap)}
    return json.dumps(
        {
            "status": "active",
            "status_basis": "reported",
            "certainty": "certain",
            "since": None,
            "last_reported": None,
            "last_reported_end": None,
            "facts": {"staff_cap": {**fact, "announced": None}},
        }
    )


def _row(start: date | int, end: date | int, state: str, inferable: bool, cap=None) -> StateRow:
    def ordinal(day: date | int) -> int:
        return day if isinstance(day, int) else day.toordinal()

    return StateRow(ordinal(start), ordinal(end), 0, INF, state, inferable, *(cap or (None, None)))


def test_a_walk_takes_each_steps_row_and_infers_an_unknown_cap_from_the_next_change() -> None:
    cut, later = date(2020, 1, 1), date(2022, 1, 1)
    rows = [
        _row(0, cut, _state(None, "unknown"), True),
        _row(cut, later, _state(None, "unknown"), True, ("cut-a", 40)),
        _row(later, INF, _state(30, "reported"), False, ("cut-b", 35)),
    ]
    steps = [
        date(2019, 6, 30),
        date(2019, 12, 31),
        date(2020, 1, 1),
        date(2021, 6, 30),
        date(2023, 1, 1),
    ]
    read: list[list[int]] = []

    def read_states(starts: list[int]) -> list[str]:
        read.append(starts)
        return [next(r.state for r in rows if r.valid_from == start) for start in starts]

    points = list(channel_points(rows, ("cut-c", 99), steps, "mission", read_states))
    assert read == [[r.valid_from for r in rows]]  # each row's state read once
    caps = [(p.facts["staff_cap"].value, p.facts["staff_cap"].basis.value) for p in points]
    assert caps == [
        (40, "inferred"),
        (40, "inferred"),
        (35, "inferred"),
        (35, "inferred"),
        (30, "reported"),
    ]
    assert [p.as_of for p in points] == steps
    assert points[0].facts is points[1].facts  # one row's points share what they say


def test_a_walk_with_no_row_for_a_step_says_the_read_model_was_altered() -> None:
    from chancery.domain.errors import ChanceryError

    rows = [_row(date(2021, 1, 1), INF, _state(1, "reported"), False)]
    with pytest.raises(ChanceryError, match="chancery reindex"):
        list(channel_points(rows, None, [date(2020, 1, 1)], "mission", lambda starts: []))


def test_only_the_rows_a_step_falls_in_are_read_and_a_damaged_one_is_said() -> None:
    from chancery.domain.errors import ChanceryError

    weekly = [
        _row(
            date(2020, 1, 1) + timedelta(weeks=n), date(2020, 1, 8) + timedelta(weeks=n), "", False
        )
        for n in range(52)
    ]
    rows = [_row(0, date(2020, 1, 1), "", False), *weekly, _row(date(2020, 12, 30), INF, "", False)]
    asked: list[int] = []

    def read_states(starts: list[int]) -> list[str]:
        asked.extend(starts)
        return [_state(len(asked), "reported")] * len(starts)

    steps = [date(2020, 3, 31), date(2020, 6, 30), date(2020, 9, 30)]
    points = list(channel_points(rows, None, steps, "mission", read_states))
    assert len(asked) == 3 and [p.as_of for p in points] == steps
    with pytest.raises(ChanceryError, match="channel 'mission' on 2020-03-31 cannot be read"):
        list(channel_points(rows, None, steps, "mission", lambda starts: ["[1]"] * len(starts)))
