"""The Python API (`from chancery import Ledger`): the use cases the command line calls, giving
the same models `--json` prints, on both stores."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chancery import Ledger
from chancery.cli import app
from chancery.domain.errors import ChanceryError
from chancery.importing.dataset import load_file
from chancery.seeds import bundled_paths
from typer.testing import CliRunner

from tests.conftest import Locations, event

BUNDLED_EVENTS = len(load_file(bundled_paths()[0]).dataset.events)

runner = CliRunner()


def cli_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_new_ledger_takes_the_bundled_data_and_answers_as_the_command_line_does(
    locations: Locations,
) -> None:
    location = locations.new()
    with Ledger.open(location) as ledger:
        report = ledger.import_bundled()
        assert report.added["events"] == BUNDLED_EVENTS
        again = ledger.import_bundled()
        assert again.total_added == 0
        state = ledger.state(as_of="2021-10-20", channel="russia-mission-to-nato")
        history = ledger.history("russia-mission-to-nato")
        why = ledger.why("russia-mission-to-nato", as_of="2021-10-20", known_at="2021-10-10")
        events = ledger.events(channel="nato-russia-council", start="2021")
    assert state.channels[0].staff_cap == 10
    assert state.channels[0].status == "suspended"
    db = ("--db", location)
    assert state.model_dump(mode="json") == cli_json(
        "state", "--as-of", "2021-10-20", "--channel", "russia-mission-to-nato", *db
    )
    assert history.model_dump(mode="json") == cli_json("history", "russia-mission-to-nato", *db)
    assert why.model_dump(mode="json") == cli_json(
        "why", "russia-mission-to-nato", "--as-of", "2021-10-20", "--known-at", "2021-10-10", *db
    )
    listed = cli_json("events", "--channel", "nato-russia-council", "--from", "2021", *db)
    assert [e.model_dump(mode="json") for e in events] == listed["events"]
    assert events and all(e.latest.year >= 2021 for e in events)


def test_dates_are_taken_as_text_or_as_dates_and_bad_ones_name_the_argument(
    bundled_location: str,
) -> None:
    from datetime import date

    with Ledger.open(bundled_location) as ledger:
        as_text = ledger.state(as_of="2019")
        as_date = ledger.state(as_of=date(2019, 12, 31))
        assert as_text == as_date
        with pytest.raises(ChanceryError, match="--known-at"):
            ledger.state(as_of="2019", known_at="2021-02-30")
        with pytest.raises(ChanceryError, match="unknown channel 'no-such-channel'"):
            ledger.history("no-such-channel")


def test_an_import_is_atomic_and_its_errors_name_the_file(
    locations: Locations, world: Callable[..., Path], write_file: Callable[..., Path]
) -> None:
    location = locations.new()
    good = world(event("first-cut", "accreditation_withdrawn", "mission", "2021-10-06", count=8))
    with Ledger.open(location) as ledger:
        ledger.import_files([good])
        bad = write_file({"chancery": 1, "events": [{"id": "x", "type": "no_such_type"}]})
        with pytest.raises(ChanceryError, match=bad.name):
            ledger.import_files([bad])
        assert [e.id for e in ledger.events()] == ["first-cut"]


def test_a_dry_run_plans_and_writes_nothing(locations: Locations) -> None:
    location = locations.new()
    with Ledger.open(location) as ledger:
        plan = ledger.plan_import([], bundled=True)
        assert plan.added["events"] == BUNDLED_EVENTS
    with Ledger.open(location) as ledger, pytest.raises(ChanceryError):
        ledger.state()  # still nothing recorded there


def test_opening_with_no_location_creates_the_default_ledger_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CHANCERY_DB", raising=False)
    with Ledger.open() as ledger:
        assert ledger.is_default
        assert ledger.state(as_of="2021-10-20").channels
        assert ledger.created is not None and ledger.created.events == BUNDLED_EVENTS
    with Ledger.open() as ledger:
        ledger.state(as_of="2021-10-20")
        assert ledger.created is None
    assert (tmp_path / "data" / "chancery" / "ledger.sqlite").exists()


def test_closing_the_ledger_closes_every_store_it_opened(bundled_location: str) -> None:
    ledger = Ledger.open(bundled_location)
    ledger.state()
    ledger.history("russia-mission-to-nato")  # opens the event store too
    assert ledger._opened
    ledger.close()
    assert not ledger._opened


def test_states_over_a_range_and_the_events_as_dataframes(bundled_location: str) -> None:
    pandas = pytest.importorskip("pandas")  # the test extra installs it: CI always runs this
    with Ledger.open(bundled_location) as ledger:
        states = ledger.state_frame("2021-08", "2021-11", every="month")
        events = ledger.events_frame(channel="russia-mission-to-nato")
        expected = {
            day: ledger.state_data(as_of=day)
            for day in ("2021-08-31", "2021-09-30", "2021-10-31", "2021-11-30")
        }
        listed = ledger.events(channel="russia-mission-to-nato")
    assert sorted(set(states["as_of"])) == sorted(expected)
    mission = states[states["channel"] == "russia-mission-to-nato"].set_index("as_of")
    for day, state in expected.items():
        (channel,) = [c for c in state["channels"] if c["id"] == "russia-mission-to-nato"]
        value, cell = channel["facts"]["staff_cap"]["value"], mission.loc[day, "staff_cap"]
        assert (value is None and pandas.isna(cell)) or cell == value
        assert mission.loc[day, "status_text"] == channel["facts"]["status"]["text"]
    assert mission.loc["2021-10-31", "staff_cap"] == 10
    assert mission.loc["2021-09-30", "staff_cap_basis"] == "inferred"
    assert list(events["id"]) == [e.id for e in listed]
    assert "detail_to_cap" in events.columns and "sources" in events.columns


def test_a_bad_range_or_step_is_an_error_naming_it(bundled_location: str) -> None:
    pytest.importorskip("pandas")
    with Ledger.open(bundled_location) as ledger:
        with pytest.raises(ChanceryError, match="--every: 'fortnight'"):
            ledger.state_frame("2021", "2022", every="fortnight")
        with pytest.raises(ChanceryError, match="is after --to"):
            ledger.state_frame("2022", "2021")
