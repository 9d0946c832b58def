"""`diff` between two dates (valid and known axes) and the state-over-time segments."""

from __future__ import annotations

import json
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from chancery.cli import app
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.projections.diff import known_diff, valid_diff
from chancery.projections.intervals import channel_segments, state_on
from chancery.projections.rows import INF, with_inference
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger
from typer.testing import CliRunner

from tests.conftest import event

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
    assert cap["before"] == {"value": 20, "basis": "inferred", "text": "20 (inferred)"}
    assert cap["after"] == {"value": 10, "basis": "reported", "text": "10"}
    assert [e["id"] for e in cap["events"]] == ["russia-mission-staff-cap-cut-2021-10-06"]
    assert any("from 20 to 10" in c["quote"] for c in cap["events"][0]["citations"])
    status = _change(data["changes"], "status")
    assert status["before"] == {
        "value": "active",
        "basis": "inferred",
        "text": "active (inferred), certain",
    }
    assert (status["after"]["value"], status["after"]["text"]) == (
        "suspended",
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
    assert fields[(MISSION, "status")].after.text == (
        "suspended (announced 2021-10-18; effective date not reported)"
    )
    assert fields[(MISSION, "status")].before.text == "active (inferred), certain"
    for change in result.changes:
        assert change.events, change
        assert all(
            date(2021, 10, 10) < e.first_reported <= date(2021, 10, 25) for e in change.events
        )
        cited = {c.published for e in change.events for c in e.citations}
        assert max(cited) <= "2021-10-25", cited  # nothing published after the later date
    dumped = json.loads(result.model_dump_json(by_alias=True))
    assert dumped["axis"] == "known" and dumped["from"] == "2021-10-10"


@pytest.mark.parametrize(
    "args, complaint",
    [
        (("2021-10-20", "2021-10-05"), "after SECOND"),
        (("2021-13-01", "2021-10-05"), "FIRST"),
        (("2021-10-01", "2021-10-05", "--channel", "nope"), "unknown channel 'nope'"),
        (("2021-10-01", "2021-10-05", "--as-of", "2021"), "--as-of applies with --axis known"),
        (
            ("2021-10-01", "2021-10-05", "--axis", "known", "--known-at", "2021"),
            "--known-at applies",
        ),
    ],
)
def test_bad_diff_arguments_are_one_line_errors(
    bundled_location: str, args: tuple[str, ...], complaint: str
) -> None:
    result = run("diff", *args, "--db", bundled_location)
    assert result.exit_code == 2  # usage errors
    assert complaint in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_segments_agree_with_the_state_on_every_date_around_each_breakpoint(
    bundled_contents: ReadModel,
) -> None:
    for slug in bundled_contents.ledger.index.keys("channels"):
        segments = list(channel_segments(bundled_contents, slug))
        actions = [v.action for v in bundled_contents.channel_versions(slug)[0]]
        bounds = [u for a in actions for u in (a.date, a.takes_effect)]
        days = {d for u in bounds for d in (u.earliest, u.latest)}
        probes = {d + timedelta(days=k) for d in days for k in (-1, 0, 1)} | {date(2000, 1, 1)}
        for day in sorted(probes):
            expected = bundled_contents.state(day, None, slug).channels[0]
            assert state_on(segments, day) == expected, (slug, day)


def test_mission_segments_show_20_then_10_then_suspended(bundled_contents: ReadModel) -> None:
    segments = list(channel_segments(bundled_contents, MISSION))
    assert state_on(segments, date(2021, 10, 5)).staff_cap == 20  # type: ignore[union-attr]
    assert state_on(segments, date(2021, 10, 7)).staff_cap == 10  # type: ignore[union-attr]
    suspended = state_on(segments, date(2021, 10, 20))
    assert suspended is not None and suspended.status.value == "suspended"
    assert segments[-1].end is None and segments[0].start is None
    assert all(a.end == b.start for a, b in pairwise(segments))


def test_diff_known_axis_takes_two_dates_and_the_old_switch_is_refused_with_the_new_form(
    bundled_location: str,
) -> None:
    db = ["--db", bundled_location]
    new = run("diff", "--axis", "known", "2021-10-10", "2021-10-25", "--as-of", "2021-10-20", *db)
    assert new.exit_code == 0, new.output
    assert "What was learned between 2021-10-10 and 2021-10-25" in new.stdout
    for old in (
        ("diff", "--known-at", "2021-10-10", "2021-10-25", "--as-of", "2021-10-20"),
        ("diff", "2021-10-10", "2021-10-25", "--known-at"),
    ):
        refused = run(*old, *db)
        assert refused.exit_code == 2, refused.output
        assert "diff --axis known K1 K2" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1


def test_diff_on_the_valid_axis_as_known_at_a_date_shows_only_what_was_known(
    bundled_location: str,
) -> None:
    """Known at 10 Oct only the expulsion of the 6th was reported: not the cut to ten nor the
    suspension (both reported on the 21st), and only the 7 October articles are quoted."""
    db = ["--db", bundled_location, "--json"]
    early = json.loads(
        run("diff", "2021-10-05", "2021-10-20", "--known-at", "2021-10-10", *db).stdout
    )
    assert early["known_at"] == "2021-10-10"
    mission = [c for c in early["changes"] if c["channel"] == MISSION]
    assert {c["field"]: c["after"]["text"] for c in mission} == {
        "status": "active (inferred), certain",
        "accreditations withdrawn in all": "8",
    }
    cited = {c["source"] for m in mission for e in m["events"] for c in e["citations"]}
    assert cited == {"art-000-2021-10-07", "sputnik-2021-10-07"}
    later = json.loads(
        run("diff", "2021-10-05", "2021-10-20", "--known-at", "2021-10-25", *db).stdout
    )
    assert {c["field"] for c in later["changes"] if c["channel"] == MISSION} >= {"status"}


def _segments_searching_forward(
    read: ReadModel, slug: str, known_at: date | None
) -> list[tuple[date | None, date | None, Any]]:
    """What `segments` gave before it became one pass: for each row known at `known_at`, the
    next cap change found by searching every later row (the reference it must still equal)."""
    known = known_at.toordinal() if known_at else INF - 1
    rows = sorted(
        (r for r in read.stored_rows(slug) if r.known_to > known and r.known_from <= known),
        key=lambda r: r.valid_from,
    )
    found = []
    for index, row in enumerate(rows):
        upcoming = next(((r.cap_event, r.cap_from) for r in rows[index + 1 :] if r.cap_event), None)
        state = with_inference(json.loads(row.state), row.inferable, upcoming)
        start = date.fromordinal(row.valid_from) if row.valid_from > 1 else None
        end = date.fromordinal(row.valid_to) if row.valid_to < INF else None
        found.append((start, end, state))
    return found


def _cited(source: str, what: str) -> list[dict[str, str]]:
    return [{"source": source, "quote": f"{source} reports {what}."}]


def test_segments_equal_a_forward_search_for_the_next_cap_change(
    ledger_location: str, world: Any
) -> None:
    """A mission whose cap is cut with and without numbers, at exact and uncertain dates,
    reported at several dates, and a council with no cap at all: at each knowledge date every
    segment carries the cap inferred from the next change after it, as before."""
    sources = [
        {"id": f"s{year}", "outlet": "Wire", "published": f"{year}-12-31"}
        for year in (2015, 2016, 2018, 2020, 2021)
    ]
    mission = [
        event("w1", "accreditation_withdrawn", "mission", "2015", citations=_cited("s2015", "w1")),
        event("c1", "staff_cap_changed", "mission", "2016-03", citations=_cited("s2016", "c1")),
        event(
            "w2",
            "accreditation_withdrawn",
            "mission",
            "2016-05-02",
            count=3,
            citations=_cited("s2016", "w2"),
        ),
        event(
            "c2",
            "staff_cap_changed",
            "mission",
            "2018-01-10",
            from_cap=30,
            to_cap=25,
            citations=_cited("s2018", "c2"),
        ),
        event("c3", "staff_cap_changed", "mission", "2020-06-01", citations=_cited("s2020", "c3")),
        event(
            "w3",
            "accreditation_withdrawn",
            "mission",
            "2020-06/2020-09",
            citations=_cited("s2020", "w3"),
        ),
        event(
            "c4",
            "staff_cap_changed",
            "mission",
            "2021-10-06",
            from_cap=20,
            to_cap=10,
            citations=_cited("s2021", "c4"),
        ),
    ]
    council = [
        event(
            f"m{n}",
            "meeting_held",
            "council",
            f"20{15 + n}-02-0{n + 1}",
            citations=_cited(f"s{2015 + n}", f"m{n}"),
        )
        for n in (0, 1, 3, 5, 6)
    ]
    ledger = open_ledger(ledger_location, create=True)
    import_files(ledger, [load_file(world(*mission, *council, sources=sources))])
    read = ReadModel(ledger)
    try:
        inferred_somewhere = False
        for known_at in (None, date(2016, 12, 31), date(2018, 12, 31), date(2021, 12, 31)):
            for slug in ("mission", "council"):
                found = list(read.segments(slug, known_at))
                assert found == _segments_searching_forward(read, slug, known_at)
                inferred_somewhere |= any(s.staff_cap_basis == "inferred" for _, _, s in found)
        assert inferred_somewhere, "the ledger must exercise the inferred cap"
    finally:
        ledger.close()
