"""`diff` between two dates (valid and known axes) and the state-over-time segments."""

from __future__ import annotations

import json
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from chancery.cli import app
from chancery.projections.diff import known_diff, valid_diff
from chancery.projections.intervals import channel_segments, state_on
from chancery.projections.readmodel import ReadModel
from typer.testing import CliRunner

MISSION = "russia-mission-to-nato"
runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args), env={"COLUMNS": "120"})


def _change(changes: list[Any], field: str) -> Any:
    return next(c for c in changes if c["channel"] == MISSION and c["field"] == field)


def test_diff_shows_the_mission_cut_and_suspended_with_citations(bundled_location: str) -> None:
    result = run("diff", "2021-10-05", "2021-10-20", "--db", bundled_location, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["from"], data["to"], data["axis"]) == ("2021-10-05", "2021-10-20", "valid")
    cap = _change(data["changes"], "staff cap")
    assert (cap["before"], cap["after"]) == ("20 (inferred)", "10")
    assert [e["id"] for e in cap["events"]] == ["russia-mission-staff-cap-cut-2021-10-06"]
    assert any("from 20 to 10" in c["quote"] for c in cap["events"][0]["citations"])
    status = _change(data["changes"], "status")
    assert (status["before"], status["after"]) == (
        "active (inferred), certain",
        "suspended (announced 2021-10-18; effective date not reported)",
    )
    assert [e["id"] for e in status["events"]] == ["russia-mission-suspended-2021-10-18"]
    table = run("diff", "2021-10-05", "2021-10-20", "--db", bundled_location).stdout
    assert "20 (inferred)" in table and "staff cap" in table
    assert "“Additionally, the number of Russian staff" in table  # the citation, footnoted


def test_diff_of_a_date_with_itself_is_empty(bundled_contents: ReadModel) -> None:
    day = date(2021, 10, 20)
    assert valid_diff(bundled_contents, day, day).changes == []


def test_known_diff_says_what_the_later_reports_taught(bundled_contents: ReadModel) -> None:
    result = known_diff(
        bundled_contents, date(2021, 10, 10), date(2021, 10, 25), date(2021, 10, 20)
    )
    fields = {(c.channel, c.field): c for c in result.changes}
    assert fields[(MISSION, "status")].after == (
        "suspended (announced 2021-10-18; effective date not reported)"
    )
    assert fields[(MISSION, "status")].before == "active (inferred), certain"
    for change in result.changes:
        assert change.events, change
        assert all(
            date(2021, 10, 10) < e.first_reported <= date(2021, 10, 25) for e in change.events
        )
    dumped = json.loads(result.model_dump_json(by_alias=True))
    assert dumped["axis"] == "known" and dumped["from"] == "2021-10-10"


@pytest.mark.parametrize(
    "args, complaint",
    [
        (("2021-10-20", "2021-10-05"), "after SECOND"),
        (("2021-13-01", "2021-10-05"), "FIRST"),
        (("2021-10-01", "2021-10-05", "--channel", "nope"), "unknown channel 'nope'"),
        (("2021-10-01", "2021-10-05", "--as-of", "2021"), "--as-of applies with --known-at"),
    ],
)
def test_bad_diff_arguments_are_one_line_errors(
    bundled_location: str, args: tuple[str, ...], complaint: str
) -> None:
    result = run("diff", *args, "--db", bundled_location)
    assert result.exit_code == 1
    assert complaint in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_segments_agree_with_the_state_on_every_date_around_each_breakpoint(
    bundled_contents: ReadModel,
) -> None:
    for slug in bundled_contents.ledger.index.keys("channels"):
        segments = channel_segments(bundled_contents, slug)
        actions = [v.action for v in bundled_contents.channel_versions(slug)[0]]
        bounds = [u for a in actions for u in (a.date, a.takes_effect)]
        days = {d for u in bounds for d in (u.earliest, u.latest)}
        probes = {d + timedelta(days=k) for d in days for k in (-1, 0, 1)} | {date(2000, 1, 1)}
        for day in sorted(probes):
            expected = bundled_contents.state(day, None, slug).channels[0]
            assert state_on(segments, day) == expected, (slug, day)


def test_mission_segments_show_20_then_10_then_suspended(bundled_contents: ReadModel) -> None:
    segments = channel_segments(bundled_contents, MISSION)
    assert state_on(segments, date(2021, 10, 5)).staff_cap == 20  # type: ignore[union-attr]
    assert state_on(segments, date(2021, 10, 7)).staff_cap == 10  # type: ignore[union-attr]
    suspended = state_on(segments, date(2021, 10, 20))
    assert suspended is not None and suspended.status.value == "suspended"
    assert segments[-1].end is None and segments[0].start is None
    assert all(a.end == b.start for a, b in pairwise(segments))
