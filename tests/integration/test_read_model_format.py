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
