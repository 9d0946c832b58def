"""The read model's format follows from the tracked-fact declarations, the code that renders
the rows and the rows' layout: a changed declaration re-folds a ledger's rows by itself, with
no number raised by hand."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from chancery.domain import tracked
from chancery.domain.facts import Fact
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.seeds import bundled_paths
from chancery.storage.readmodel import ReadModel, read_model_format
from chancery.storage.store import open_ledger

MISSION = "russia-mission-to-nato"
OCTOBER_2021 = date(2021, 10, 20)


def _stored_format(location: str) -> int:
    with sqlite3.connect(location) as conn:
        (row,) = conn.execute("SELECT position FROM chancery_read_position WHERE name = 'format'")
    return int(row[0])


def _cap_text(location: str) -> str:
    ledger = open_ledger(location, create=True)
    try:
        state = ReadModel(ledger).state_data(OCTOBER_2021, None, MISSION)["channels"][0]
        return str(state["facts"]["staff_cap"]["text"])
    finally:
        ledger.close()


def _said_in_words(fact: Fact) -> str:
    return f"capped at {fact.value}"


def test_a_changed_declaration_refolds_the_rows_by_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = str(tmp_path / "ledger.sqlite")
    ledger = open_ledger(location, create=True)
    import_files(ledger, [load_file(p) for p in bundled_paths()])
    ReadModel(ledger).catch_up()
    ledger.close()
    before = read_model_format()
    assert _stored_format(location) == before
    assert _cap_text(location) == "10"

    changed = dataclasses.replace(tracked.STAFF_CAP, say=_said_in_words)
    monkeypatch.setattr(
        tracked, "TRACKED", tuple(changed if t is tracked.STAFF_CAP else t for t in tracked.TRACKED)
    )
    monkeypatch.setattr(tracked, "STAFF_CAP", changed)
    assert read_model_format() != before
    assert _cap_text(location) == "capped at 10"  # the old rows did not answer
    assert _stored_format(location) == read_model_format()

    monkeypatch.undo()
    assert read_model_format() == before
    assert _cap_text(location) == "10"  # and back again


def test_the_format_is_the_same_for_the_same_declarations() -> None:
    """Stable within a release (no addresses or orderings of a process in it), and changed by
    any one field of a declaration."""
    now = read_model_format()
    assert now == read_model_format()
    assert 0 <= now < 2**31
    described = tracked.described(tracked.TRACKED)
    relabelled = dataclasses.replace(tracked.LAST_MEETING, label="latest meeting")
    assert tracked.described([relabelled]) != described[3:4]
    assert "def _cap(" in str(tracked.described([tracked.STAFF_CAP]))


OLDER_VERSIONS_TABLE = (
    "id TEXT NOT NULL, channel TEXT NOT NULL, known_from INTEGER NOT NULL, "
    "known_to INTEGER NOT NULL, earliest INTEGER NOT NULL, latest INTEGER NOT NULL, "
    "date_earliest INTEGER NOT NULL, date_latest INTEGER NOT NULL, "
    "recorded_at TEXT NOT NULL, entry TEXT NOT NULL"
)
"""The readings' table as the release before the full-text index laid it out."""


def test_a_read_model_laid_out_by_an_older_release_is_made_again(ledger_location: str) -> None:
    """Its tables may lack columns this release's indexes name: a query (or reindex) on such a
    ledger makes them again and folds every channel, instead of failing on a missing column."""
    from chancery import Ledger

    ledger = open_ledger(ledger_location, create=True)
    import_files(ledger, [load_file(p) for p in bundled_paths()])
    read = ReadModel(ledger)
    read.catch_up()
    with read._cursor(commit=True) as cursor:
        for table in ("chancery_search_text", "chancery_search", "chancery_versions"):
            cursor.execute(f"DROP TABLE IF EXISTS {read._table(table)}")
        cursor.execute(f"CREATE TABLE {read._table('chancery_versions')} ({OLDER_VERSIONS_TABLE})")
        cursor.execute(
            f"UPDATE {read._table('chancery_read_position')} SET position = position + 1 "
            "WHERE name = 'format'"
        )
    ledger.close()
    with Ledger.open(ledger_location) as reopened:
        state = reopened.state(OCTOBER_2021, channel=MISSION)
        assert state.channels[0].staff_cap == 10
        assert [e.id for e in reopened.events(channel=MISSION)]
        assert reopened.verify().problems == []
