"""Ledgers written by release 0.1.0 (one generic `EntryRecorded` row per entry, a catalog
aggregate, top-level `domain.*` topics) still open, and project the same state."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from chancery.application.verification import verify
from chancery.cli import app
from chancery.domain import text as text_module
from chancery.domain.aggregates import ChannelTimeline, content_digest
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.seeds import bundled_paths
from chancery.storage.ledger import Ledger
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from psycopg import sql
from typer.testing import CliRunner

from tests.conftest import POSTGRES_SERVER, REPO, Locations, contents, event

FIXTURES = REPO / "tests" / "fixtures"
LEGACY_ROWS = json.loads((FIXTURES / "ledger-v0.1.0-rows.json").read_text(encoding="utf-8"))
LEGACY_STATE = json.loads(
    (FIXTURES / "ledger-v0.1.0-state-2021-10-20.json").read_text(encoding="utf-8")
)
for _channel in LEGACY_STATE["channels"]:
    # The one deliberate change since 0.1.0 (one vocabulary): certainty is said of a known status
    # only, so a channel whose status no source gives now says "unknown", not "certain".
    if _channel["status"] == "unknown" and _channel["certainty"] == "certain":
        _channel["certainty"] = "unknown"


def _promised_keys(report: dict[str, Any]) -> dict[str, Any]:
    """The report as 0.1.0 said it: keys added since (the generic `facts`, and the date of the
    latest evidence, which says how old an answer's evidence is) left out."""
    added = {"facts", "last_reported", "last_reported_end"}
    return {
        **report,
        "channels": [{k: v for k, v in c.items() if k not in added} for c in report["channels"]],
    }


def _legacy_ledger(locations: Locations, tmp_path: Path) -> str:
    """A ledger holding exactly the rows release 0.1.0 wrote for the bundled dataset."""
    if locations.store == "sqlite":
        path = tmp_path / "legacy.sqlite"
        shutil.copy(FIXTURES / "ledger-v0.1.0.sqlite", path)
        return str(path)
    location = locations.new()
    schema = location.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        conn.execute(
            sql.SQL(
                "CREATE TABLE {}.chancery_events (originator_id uuid NOT NULL, "
                "originator_version bigint NOT NULL, topic text, state bytea, "
                "notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
            ).format(sql.Identifier(schema))
        )
        with conn.cursor() as cursor:
            cursor.executemany(
                sql.SQL(
                    "INSERT INTO {}.chancery_events "
                    "(originator_id, originator_version, topic, state) VALUES (%s, %s, %s, %s)"
                ).format(sql.Identifier(schema)),
                [
                    (r["originator_id"], r["originator_version"], r["topic"], r["state"].encode())
                    for r in LEGACY_ROWS
                ],
            )
    return location


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_release_0_1_0_ledger_projects_the_same_state(
    store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    locations = Locations(store, tmp_path)
    request.addfinalizer(locations.drop)
    location = _legacy_ledger(locations, tmp_path)
    ledger = open_ledger(location, create=False)  # read-only, as a query opens it
    writable = open_ledger(location, create=True)  # what a query opens to catch up
    try:
        read = ReadModel(ledger, writer=lambda: writable)
        report = read.state(date(2021, 10, 20))
        assert _promised_keys(json.loads(report.model_dump_json())) == LEGACY_STATE
        assert verify(ledger).ok
        assert read.problems() == []
        # Re-importing the bundled data adds no event; its declarations gained aliases since
        # 0.1.0, which extend the recorded ones (parties and channels alike), and it gained
        # five amendments (the measures of 18 October 2021 were only announced, not dated),
        # which apply on top of the events recorded then.
        again = import_files(writable, [load_file(p) for p in bundled_paths()])
        assert dict(again.added) == {"alias lists": 10, "events": 5}
        assert "NRC" in writable.channels()["nato-russia-council"].aliases
        amended = {c.id: c for c in ReadModel(writable).state(date(2021, 10, 20)).channels}
        assert amended.pop("russia-mission-to-nato").certainty == "announced"
        for measure in ("nato-military-liaison-mission-moscow", "nato-information-office-moscow"):
            assert amended.pop(measure).certainty == "possible"
        assert amended == {c.id: c for c in report.channels if c.id in amended}
    finally:
        ledger.close()
        writable.close()


def test_each_action_type_is_stored_under_its_own_event_class(ledger: Ledger, world: Any) -> None:
    import_files(
        ledger, [load_file(world(event("first", "contacts_maintained", "contacts", "2021")))]
    )
    (stored,) = ledger.recorder.select_events(ChannelTimeline.create_id("contacts"), gt=1)
    assert stored.topic == "chancery.domain.aggregates:ChannelTimeline.ContactsMaintained"
    assert json.loads(stored.state)["entry"]["type"] == "contacts_maintained"


def _write_v1_row(ledger: Ledger, channel: str, entry: dict[str, Any]) -> None:
    """Insert a real version-1 EntryRecorded row (release 0.1.0's first shape: no digest)."""
    timeline_id = ChannelTimeline.create_id(channel)
    version = ledger.recorder.select_events(timeline_id)[-1].originator_version + 1
    state = ledger.mapper.transcoder.encode(
        {"timestamp": datetime(2021, 12, 1, tzinfo=UTC), "entry": entry}
    )
    row = StoredEvent(
        originator_id=timeline_id,
        originator_version=version,
        topic=get_topic(ChannelTimeline.EntryRecorded),
        state=state,
    )
    ledger.recorder.insert_events([row])


def test_a_version_1_row_is_upcast_on_read(ledger: Ledger, world: Any) -> None:
    import_files(
        ledger, [load_file(world(event("first", "contacts_maintained", "contacts", "2021")))]
    )
    old = contents(ledger).entries["contacts"][0].entry.model_dump(mode="json")
    old.update(
        id="written-by-v1",
        date={**old["date"], "edtf": "2020", "earliest": "2020-01-01", "latest": "2020-12-31"},
    )
    _write_v1_row(ledger, "contacts", old)
    stored = ledger.recorder.select_events(ChannelTimeline.create_id("contacts"))[-1]
    raw = ledger.mapper.transcoder.decode(stored.state)
    assert "class_version" not in raw and "digest" not in raw, "the row really is version 1"
    entries = ledger.timeline("contacts")
    assert entries[-1].digest == content_digest(old)
    assert [e.entry.id for e in entries] == ["first", "written-by-v1"]


def test_verify_reports_a_row_altered_outside_chancery(ledger: Ledger, world: Any) -> None:
    import_files(
        ledger, [load_file(world(event("first", "contacts_maintained", "contacts", "2021")))]
    )
    entry = contents(ledger).entries["contacts"][0].entry.model_dump(mode="json")
    _write_v1_row(ledger, "contacts", {**entry, "id": "forged"})
    result = verify(ledger)
    assert not result.ok
    assert any("forged" in problem for problem in result.problems)
    assert result.counts["entries"] == 2


def test_verify_judges_old_rows_by_the_rules_added_since(
    ledger: Ledger, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are read back as written (a tightened rule must not make a ledger unreadable), so
    `verify` is where rows recorded before a rule are judged by it: here the text rules of
    import files (no control characters, bounded lengths), absent when the quote and the
    outlet were recorded."""
    with monkeypatch.context() as before_the_rules:
        before_the_rules.setattr(text_module, "text_problem", lambda value: None)
        escape = {"source": "src", "quote": "Red \x1b[31malert"}
        import_files(
            ledger,
            [
                load_file(
                    world(
                        event("old", "contacts_maintained", "contacts", "2021", citations=[escape]),
                        sources=[{"id": "src", "outlet": "\u202eWire", "published": "2021"}],
                    )
                )
            ],
        )
    assert ledger.timeline("contacts")[0].entry.citations[0].quote == "Red \x1b[31malert"
    result = verify(ledger)
    assert not result.ok
    event_problem = next(p for p in result.problems if p.startswith("event 'old'"))
    assert "citations.0.quote" in event_problem and "U+001B" in event_problem
    assert "\x1b" not in event_problem.replace("\\x1b", ""), "shown escaped, never raw"
    source_problem = next(p for p in result.problems if p.startswith("source 'src'"))
    assert "outlet" in source_problem and "U+202E" in source_problem
    assert len(result.problems) == 2, result.problems


CORRUPTIONS = {
    "invalid JSON": lambda state: b"{not json",
    "a schema-invalid value": lambda state: state.replace(b'"to_cap":10', b'"to_cap":"ten"'),
    "a missing field": lambda state: state.replace(b'"digest":', b'"digestx":'),
}


@pytest.mark.parametrize("damage", sorted(CORRUPTIONS))
def test_a_corrupted_row_is_reported_naming_it(damage: str, tmp_path: Path) -> None:
    """A corrupted row: `state` fails with one line naming the row; `verify` reports it."""
    location = str(tmp_path / "ledger.sqlite")
    ledger = open_ledger(location, create=True)
    import_files(ledger, [load_file(p) for p in bundled_paths()])
    ledger.close()
    with sqlite3.connect(location) as conn:
        rowid, state = conn.execute(
            "SELECT rowid, state FROM stored_events WHERE topic LIKE '%StaffCapChanged' "
            "AND CAST(state AS TEXT) LIKE '%\"to_cap\":10%'"
        ).fetchone()
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?",
            (CORRUPTIONS[damage](bytes(state)), rowid),
        )
    result = CliRunner().invoke(app, ["state", "--as-of", "2021-10-20", "--db", location])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "a stored event cannot be read" in result.output
    assert f"notification {rowid}" in result.output or "StaffCapChanged" in result.output
    checked = CliRunner().invoke(app, ["verify", "--db", location])
    assert checked.exit_code == 1
    assert "StaffCapChanged" in checked.output
