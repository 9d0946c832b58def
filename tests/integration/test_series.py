"""`chancery series`: each channel's state at every step of a range, from one pass over the
read model's rows per channel, equal to `state --as-of` at every step (both stores)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from chancery import Ledger
from chancery.cli import app
from chancery.domain.errors import ArgumentError
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.projections.series import MAX_STEPS, SeriesPoint, StateSeries
from chancery.projections.words import series_cells, series_columns, state_cells
from chancery.seeds import bundled_paths
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger
from typer.testing import CliRunner

from tests.conftest import Locations, event

runner = CliRunner()
POINT_KEYS = set(SeriesPoint.model_fields) - {"as_of"}
NEAR = timedelta(days=1)
"""A state changes on the day an event's date interval starts or the day after it ends."""


def _event_bounds(ledger: Ledger) -> set[date]:
    """Every day on which some recorded event may begin or end, or take effect."""
    bounds = set()
    for found in ledger.events():
        bounds |= {found.earliest, found.latest}
        bounds |= {d for d in (found.effective_earliest, found.effective_latest) if d}
    return bounds


def _days_near(bounds: set[date]) -> list[date]:
    """Every day within `NEAR` of an event's bound: where any state changes."""
    days: set[date] = set()
    for bound in bounds:
        days.update(bound + timedelta(days=n) for n in range(-NEAR.days, NEAR.days + 1))
    return sorted(days)


def _known_dates(ledger: Ledger) -> list[date | None]:
    """Everything recorded, the day before the first source was published (nothing known),
    and each day a source was published (what is known changes on those days only)."""
    published = sorted({s.published_earliest for s in ledger.sources()})
    return [None, published[0] - timedelta(days=1), *published]


def _windows(days: list[date]) -> Iterator[tuple[date, date]]:
    """Runs of consecutive days, as (first, last)."""
    first = previous = days[0]
    for day in days[1:]:
        if day != previous + timedelta(days=1):
            yield first, previous
            first = day
        previous = day
    yield first, previous


def _expected(ledger: Ledger, day: date, known: date | None) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in ledger.state_data(day, known)["channels"]}


def _assert_equals_state(ledger: Ledger, series: StateSeries, known: date | None) -> None:
    assert series.steps, "a series has steps"
    for channel in series.channels:
        cells = list(series_cells(channel))
        assert [p.as_of for p in channel.points] == series.steps
        for point, row in zip(channel.points, cells, strict=True):
            state = _expected(ledger, point.as_of, known)[channel.id]
            shown = point.model_dump(mode="json")
            assert {k: shown[k] for k in POINT_KEYS} == {k: state[k] for k in POINT_KEYS}, (
                channel.id,
                point.as_of,
                known,
            )
            assert row == [point.as_of.isoformat(), *state_cells(state, point.as_of)]


def test_a_series_equals_state_at_every_step_for_every_channel(bundled_location: str) -> None:
    """Daily around every date the bundled events can change a state, and yearly; as known
    now, before any source, and on each day a source was published."""
    with Ledger.open(bundled_location) as ledger:
        days = _days_near(_event_bounds(ledger))
        for known in _known_dates(ledger):
            for first, last in _windows(days):
                series = ledger.series(first, last, "day", known_at=known)
                assert len(series.channels) == len(ledger.channels())
                _assert_equals_state(ledger, series, known)
            series = ledger.series("2010", "2025", "year", known_at=known)
            _assert_equals_state(ledger, series, known)


def test_weeks_months_and_years_step_on_their_last_day(bundled_location: str) -> None:
    with Ledger.open(bundled_location) as ledger:
        weeks = ledger.series("2021-10-01", "2021-10-31", "week", "russia-mission-to-nato")
        months = ledger.series("2020-01-15", "2020-04-10", "month")
        years = ledger.series("2019-06", "2021", "year")
    assert weeks.steps == [date(2021, 10, d) for d in (3, 10, 17, 24, 31)]
    assert all(day.isoweekday() == 7 for day in weeks.steps)
    assert months.steps == [date(2020, 1, 31), date(2020, 2, 29), date(2020, 3, 31)]
    assert years.steps == [date(2019, 12, 31), date(2020, 12, 31), date(2021, 12, 31)]
    assert [c.id for c in weeks.channels] == ["russia-mission-to-nato"]


def test_the_named_channels_in_the_order_named(bundled_location: str) -> None:
    with Ledger.open(bundled_location) as ledger:
        named = ["nato-russia-council", "russia-mission-to-nato", "nato-russia-council"]
        series = ledger.series("2021", "2021", "year", named)
        assert [c.id for c in series.channels] == named[:2]
        caps = ledger.series("2021-09", "2021-10", "month", "russia-mission-to-nato")
    before, after = caps.channels[0].points
    assert (before.facts["staff_cap"].value, before.facts["staff_cap"].basis) == (20, "inferred")
    assert (after.facts["staff_cap"].value, after.facts["staff_cap"].basis) == (10, "reported")


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (("2022", "2021"), "--from 2022-01-01 is after --to 2021-12-31"),
        (("2021-02-30", "2022"), "--from: '2021-02-30' is not a real date"),
        (("2021", "2022-13"), "--to"),
        (("2021", "2022", "fortnight"), "--every: 'fortnight' is not one of"),
        (("2021-01-02", "2021-01-20", "month"), "no month ends between"),
        (("0001", "9999", "day"), f"more than {MAX_STEPS:,} steps"),
        (("2021", "2022", "month", "no-such-channel"), "unknown channel 'no-such-channel'"),
    ],
)
def test_what_cannot_be_a_series_is_a_usage_problem_saying_why(
    bundled_location: str, arguments: tuple[str, ...], complaint: str
) -> None:
    with Ledger.open(bundled_location) as ledger, pytest.raises(ArgumentError) as raised:
        ledger.series(*arguments)
    assert complaint in str(raised.value)


def _cli(*args: str) -> Any:
    return runner.invoke(app, ["series", *args])


def test_the_command_prints_the_use_case_as_json_csv_and_a_table(bundled_location: str) -> None:
    args = ("--from", "2021-09", "--to", "2021-12", "--db", bundled_location)
    with Ledger.open(bundled_location) as ledger:
        expected = ledger.series("2021-09", "2021-12", known_at="2021-10-10")
    printed = _cli(*args, "--known-at", "2021-10-10", "--json")
    assert printed.exit_code == 0, printed.output
    assert printed.stdout == expected.model_dump_json(indent=2, by_alias=True) + "\n"
    assert json.loads(printed.stdout)["from"] == "2021-09-01"

    table = _cli(*args, "--known-at", "2021-10-10", "--csv")
    assert table.exit_code == 0, table.output
    rows = list(csv.reader(io.StringIO(table.stdout)))
    assert rows[0] == ["Channel", *series_columns()]
    assert rows[1:] == [
        [channel.id, *cells] for channel in expected.channels for cells in series_cells(channel)
    ]

    drawn = runner.invoke(
        app, ["series", *args, "--channel", "russia-mission-to-nato"], env={"COLUMNS": "160"}
    )
    assert drawn.exit_code == 0, drawn.output
    assert "russia-mission-to-nato" in drawn.stdout and "nato-russia-council" not in drawn.stdout
    for column in series_columns():
        assert column in drawn.stdout
    assert "2021-12-31" in drawn.stdout and "8 accreditations withdrawn in all" in drawn.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "2022", "--to", "2021"),
        ("--from", "2021-02-30", "--to", "2022"),
        ("--from", "0001", "--to", "9999", "--every", "day"),
        ("--from", "2021", "--to", "2022", "--every", "fortnight"),
        ("--from", "2021", "--to", "2022", "--json", "--csv"),
        ("--from", "2021", "--to", "2022", "--channel", "no-such-channel"),
        (
            "--to",
            "2022",
        ),
    ],
)
def test_usage_errors_exit_2_with_one_line_and_print_nothing(
    bundled_location: str, args: tuple[str, ...]
) -> None:
    result = _cli(*args, "--db", bundled_location, "--json")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_read_model_behind_its_events_answers_as_if_caught_up(
    locations: Locations, world: Any
) -> None:
    """A query folds in memory the channels whose rows are behind the events (an import
    killed before its catch-up): a series reads those folds as `state` does."""
    location = locations.new()
    ledger = open_ledger(location, create=True)
    import_files(ledger, [load_file(p) for p in bundled_paths()])
    ReadModel(ledger).catch_up()
    later = world(
        event("mission-cut", "staff_cap_changed", "mission", "2022-01-10", from_cap=40, to_cap=30),
        event(
            "mission-cut-2", "staff_cap_changed", "mission", "2022-01-20", from_cap=30, to_cap=20
        ),
    )
    import_files(ledger, [load_file(later)])  # no catch-up: the read model is behind
    ledger.close()
    with Ledger.open(location) as reading:
        series = reading.series("2021-12-20", "2022-01-31", "day")
        _assert_equals_state(reading, series, None)
        (mission,) = [c for c in series.channels if c.id == "mission"]
    caps = [(p.as_of, p.facts["staff_cap"].value) for p in mission.points]
    assert caps[0] == (date(2021, 12, 20), 40)  # inferred from the first cut's `from`
    assert (date(2022, 1, 10), 30) in caps and caps[-1] == (date(2022, 1, 31), 20)


def test_a_state_frame_is_the_series_flattened(bundled_location: str) -> None:
    pytest.importorskip("pandas")
    with Ledger.open(bundled_location) as ledger:
        frame = ledger.state_frame(
            "2021-08", "2021-11", every="week", channel="russia-mission-to-nato"
        )
        series = ledger.series("2021-08", "2021-11", "week", "russia-mission-to-nato")
    (mission,) = series.channels
    assert list(frame["as_of"]) == [p.as_of.isoformat() for p in mission.points]
    assert list(frame["staff_cap_text"]) == [p.facts["staff_cap"].text for p in mission.points]


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    """Every cell goes through the exports' formula guard (a channel's name is free text)."""
    from chancery.projections.series import ChannelSeries
    from chancery.reports.series import series_csv

    point = SeriesPoint.model_validate(
        {
            "as_of": "2021-01-31",
            "status": "unknown",
            "status_basis": "unknown",
            "certainty": "unknown",
            "since": None,
            "last_reported": None,
            "last_reported_end": None,
            "facts": {},
        }
    )
    hostile = ChannelSeries(id="=HYPERLINK(1)", name="x", kind="council", points=[point])
    rows = list(csv.reader(io.StringIO("".join(series_csv([hostile])))))
    assert rows[1][0] == "'=HYPERLINK(1)"
