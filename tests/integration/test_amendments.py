"""A second report corroborates, refines or disputes an event already recorded,
instead of duplicating it. Append-only, cited, replayable, and known from its own date."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.domain.errors import ChanceryError, InvariantViolation
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.projections.events import list_events
from chancery.projections.history import channel_history
from chancery.seeds import bundled_paths
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger

from tests.conftest import Locations

MISSION = "russia-mission-to-nato"
CUT_2015 = "russia-mission-staff-cap-cut-2015"
CUT_2018 = "russia-mission-staff-cap-cut-2018"
CUT_2021 = "russia-mission-staff-cap-cut-2021-10-06"

SOURCES = [
    {"id": "wire-2015", "outlet": "Wire", "published": "2015-06-10"},
    {"id": "wire-2018", "outlet": "Wire", "published": "2018-03-28"},
    {"id": "paper-2021", "outlet": "Paper", "published": "2021-10-08"},
]
REPORT_2015 = {
    "id": "cap-set-at-30-2015",
    "type": "refinement",
    "refines": CUT_2015,
    "channel": MISSION,
    "to_cap": 30,
    "date": "2015-06",
    "citations": [{"source": "wire-2015", "quote": "NATO set the mission's staff at 30."}],
}
REPORT_2018 = {
    "id": "cap-cut-to-20-2018",
    "type": "refinement",
    "refines": CUT_2018,
    "channel": MISSION,
    "from_cap": 30,
    "to_cap": 20,
    "citations": [{"source": "wire-2018", "quote": "The cap was cut by ten, to twenty."}],
}
WITHDRAWN_2018 = {
    "id": "seven-withdrawn-2018",
    "type": "accreditation_withdrawn",
    "channel": MISSION,
    "actor": "nato",
    "target": "russia",
    "count": 7,
    "date": "2018-03-27",
    "citations": [{"source": "wire-2018", "quote": "Seven accreditations were withdrawn."}],
}
SECOND_SOURCE_2021 = {
    "id": "paper-reports-2021-cut",
    "type": "corroboration",
    "corroborates": CUT_2021,
    "channel": MISSION,
    "citations": [{"source": "paper-2021", "quote": "The cap was halved from 20 to 10."}],
}


def _file(folder: Path, name: str, *events: dict[str, Any]) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        yaml.safe_dump({"chancery": 1, "sources": SOURCES, "events": list(events)}), "utf-8"
    )
    return path


@pytest.fixture
def ledger(locations: Locations) -> Any:
    ledger = open_ledger(locations.new(), create=True)
    import_files(ledger, [load_file(p) for p in bundled_paths()])
    yield ledger
    ledger.close()


def _cap_steps(ledger: Any, known_at: date | None = None) -> list[str]:
    history = channel_history(ReadModel(ledger), MISSION, known_at)
    return [
        f"{change.before} → {change.after}"
        for step in history.steps
        for change in step.changes
        if change.field == "staff cap"
    ]


def test_refinements_make_one_step_per_real_change(ledger: Any, tmp_path: Path) -> None:
    before = _cap_steps(ledger)
    report = import_files(
        ledger, [load_file(_file(tmp_path, "reports", REPORT_2015, REPORT_2018, WITHDRAWN_2018))]
    )
    assert report.added["events"] == 3
    steps = _cap_steps(ledger)
    assert steps == ["unknown → 30", "30 → 20", "20 → 10"], steps
    assert len(steps) < len(before) or before != steps
    read = ReadModel(ledger)
    state = read.state(date(2019, 1, 1), None, MISSION).channels[0]
    assert (state.staff_cap, state.staff_cap_basis.value) == (20, "reported")
    # The earlier reading stays: known at a date before the refining reports, 2016 had no cap.
    old = read.state(date(2016, 1, 1), date(2015, 6, 1), MISSION).channels[0]
    new = read.state(date(2016, 1, 1), None, MISSION).channels[0]
    assert (old.staff_cap, new.staff_cap) == (None, 30)
    assert _cap_steps(ledger, date(2015, 6, 1)) == []  # nothing was known of the cuts then


def test_a_second_source_corroborates_and_is_shown_everywhere(ledger: Any, tmp_path: Path) -> None:
    import_files(ledger, [load_file(_file(tmp_path, "second", SECOND_SOURCE_2021))])
    read = ReadModel(ledger)
    (cut,) = [e for e in list_events(read, channel=MISSION).events if e.id == CUT_2021]
    assert "paper-2021" in {c.source for c in cut.citations}
    # No rule ran against it as a second cut: the state is the same as before.
    state = read.state(date(2021, 10, 20), None, MISSION).channels[0]
    assert state.staff_cap == 10
    # Re-importing adds nothing.
    again = import_files(ledger, [load_file(_file(tmp_path, "second", SECOND_SOURCE_2021))])
    assert again.added.get("events", 0) == 0


def test_a_report_that_disagrees_is_refused_as_a_refinement_and_recorded_as_a_dispute(
    ledger: Any, tmp_path: Path
) -> None:
    other_cap = {**REPORT_2018, "id": "cap-to-25", "from_cap": None, "to_cap": 25}
    import_files(ledger, [load_file(_file(tmp_path, "first", REPORT_2018))])
    with pytest.raises(InvariantViolation) as refused:
        import_files(ledger, [load_file(_file(tmp_path, "other", other_cap))])
    assert "'dispute'" in str(refused.value) and CUT_2018 in str(refused.value)
    outside = {**REPORT_2015, "id": "wrong-year", "date": "2016-02"}
    with pytest.raises(InvariantViolation, match="not inside"):
        import_files(ledger, [load_file(_file(tmp_path, "outside", outside))])
    dispute = {
        "id": "cap-after-2018-disputed",
        "type": "dispute",
        "disputes": CUT_2018,
        "channel": MISSION,
        "about": "staff cap after the cut",
        "claims": [
            {"says": "cut to 20", "citations": [{"source": "wire-2018", "quote": "to twenty"}]},
            {"says": "cut to 25", "citations": [{"source": "paper-2021", "quote": "to 25"}]},
        ],
    }
    import_files(ledger, [load_file(_file(tmp_path, "dispute", dispute))])
    read = ReadModel(ledger)
    (cut,) = [e for e in list_events(read, channel=MISSION).events if e.id == CUT_2018]
    assert [d.about for d in cut.disputes] == ["staff cap after the cut"]


def test_a_duplicate_id_with_other_content_names_the_operations_that_fit(
    ledger: Any, tmp_path: Path
) -> None:
    duplicate = {**WITHDRAWN_2018}
    import_files(ledger, [load_file(_file(tmp_path, "one", duplicate))])
    with pytest.raises(ChanceryError) as refused:
        import_files(ledger, [load_file(_file(tmp_path, "two", {**duplicate, "count": 8}))])
    message = str(refused.value)
    assert all(word in message for word in ("corroboration", "refinement", "dispute"))


def test_show_prints_a_recorded_event_as_an_importable_file(tmp_path: Path) -> None:
    from chancery.cli import app
    from typer.testing import CliRunner

    runner = CliRunner()
    db = str(tmp_path / "ledger.sqlite")
    assert runner.invoke(app, ["import", "--bundled", "--db", db]).exit_code == 0
    shown = runner.invoke(app, ["show", CUT_2021, "--yaml", "--db", db])
    assert shown.exit_code == 0, shown.output
    document = yaml.safe_load(shown.stdout)
    (event,) = document["events"]
    assert (event["id"], event["from_cap"], event["to_cap"]) == (CUT_2021, 20, 10)
    path = tmp_path / "shown.yaml"
    path.write_text(shown.stdout, encoding="utf-8")
    again = runner.invoke(app, ["import", str(path), "--db", db, "--json"])
    assert again.exit_code == 0, again.output
    assert "events" not in yaml.safe_load(again.stdout)["added"]  # the same event: nothing new
    missing = runner.invoke(app, ["show", "no-such-event", "--db", db])
    assert missing.exit_code == 2 and "no event 'no-such-event'" in missing.stderr


def test_import_dry_run_says_what_would_change_and_writes_nothing(tmp_path: Path) -> None:
    import hashlib

    from chancery.cli import app
    from typer.testing import CliRunner

    runner = CliRunner()
    db = tmp_path / "ledger.sqlite"
    assert runner.invoke(app, ["import", "--bundled", "--db", str(db)]).exit_code == 0
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    draft = _file(tmp_path, "draft", REPORT_2015)
    result = runner.invoke(app, ["import", str(draft), "--dry-run", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    preview = yaml.safe_load(result.stdout)
    assert preview["added"] == {"sources": len(SOURCES), "events": 1}
    (channel,) = preview["channels"]
    assert channel["channel"] == MISSION and channel["new_events"] == ["cap-set-at-30-2015"]
    moved = [c for moment in channel["changes"] for c in moment["changes"]]
    # The 2015 cut of unreported size was on record: the cap it left is now given.
    assert {"field": "staff cap", "before": "unknown (not reported)", "after": "30"} in moved
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest, "a dry run writes nothing"
    fresh = tmp_path / "none-yet.sqlite"
    bundled = [str(p) for p in bundled_paths()]
    first = runner.invoke(app, ["import", *bundled, "--dry-run", "--db", str(fresh)])
    assert first.exit_code == 0 and "would add 2 parties, 8 channels" in first.stdout
    assert not fresh.exists()


def test_readings_from_the_read_model_equal_those_folded_from_the_events(
    ledger: Any, tmp_path: Path
) -> None:
    """Queries take an event's readings from the read model's version rows instead of
    replaying the channel's timeline: they must be the same readings, with the same known-time
    intervals and recording times, amendments included."""
    import_files(
        ledger,
        [load_file(_file(tmp_path, "reports", REPORT_2015, REPORT_2018, SECOND_SOURCE_2021))],
    )
    read = ReadModel(ledger)
    read.catch_up()
    for slug in ledger.channels():
        stored, stored_at = read.channel_versions(slug)
        folded, folded_at, _ = read._event_versions(slug)
        key = lambda v: (v.action.id, v.known_from, v.known_to)  # noqa: E731
        assert sorted(stored, key=key) == sorted(folded, key=key), slug
        assert stored_at == {k: t for k, t in folded_at.items() if k in stored_at}, slug
    readings, _ = read.channel_versions(MISSION)
    assert [v.action.to_cap for v in readings if v.action.id == CUT_2015] == [30]  # refined


def test_a_refinement_that_no_longer_spans_a_disputed_date_is_refused_in_one_line(
    tmp_path: Path,
) -> None:
    """A narrower date must still span each side of a dispute about the date: refused naming
    the rule, in one line, never pydantic's own message."""
    from chancery import Ledger

    refinement = tmp_path / "narrowed.yaml"
    refinement.write_text(
        yaml.safe_dump(
            {
                "chancery": 1,
                "sources": [{"id": "wire-2022", "outlet": "Wire", "published": "2022-01-10"}],
                "events": [
                    {
                        "id": "nrc-invitation-narrowed",
                        "type": "refinement",
                        "refines": "nrc-invitation-2020",
                        "channel": "nato-russia-council",
                        "date": {"edtf": "2020-02-15", "wording": "on 15 February 2020"},
                        "citations": [{"source": "wire-2022", "quote": "Invited on 15 February."}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.import_bundled()
        with pytest.raises(InvariantViolation) as refused:
            ledger.import_files([refinement])
    message = str(refused.value)
    assert "refinement-fits-the-event" in message and "2020-01/2020-03" in message
    assert "pydantic" not in message and "validation error" not in message
    assert "\n" not in message
