"""The import log and `retract --import`, on both stores: every import logs who, when, which
files and what it added, in its own transaction; a retraction withdraws an import's events in
one transaction, or is refused with nothing written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from chancery import Ledger
from chancery.domain.errors import ChanceryError
from chancery.seeds import bundled_paths
from chancery.storage.importlog import added_entries
from chancery.storage.store import open_ledger

from tests.conftest import BASE_DECLARATIONS, Locations, event

World = Callable[..., Path]


def meeting(event_id: str, day: str, **fields: Any) -> dict[str, Any]:
    return event(event_id, "meeting_held", "council", day, **fields)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def positions(location: str) -> int:
    """The last recorded event's position: what a refused write must leave unchanged."""
    ledger = open_ledger(location, create=False)
    try:
        return ledger.recorder.max_notification_id() or 0
    finally:
        ledger.close()


def logged_ids(location: str, number: int) -> list[str]:
    ledger = open_ledger(location, create=False)
    try:
        return [event_id for event_id, _ in added_entries(ledger, number)]
    finally:
        ledger.close()


def test_each_import_that_adds_something_is_logged_with_who_when_files_and_counts(
    locations: Locations, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = locations.new()
    first = world(
        meeting("met-1", "2022-01-10"),
        meeting("met-2", "2022-01-20"),
        {
            "id": "met-2-again",
            "type": "corroboration",
            "corroborates": "met-2",
            "channel": "council",
            "citations": [{"source": "late", "quote": "They met again."}],
        },
    )
    monkeypatch.setenv("CHANCERY_USER", "analyst-one")
    before = datetime.now(UTC)
    with Ledger.open(location) as ledger:
        ledger.import_files([first])
        ledger.import_files([first])  # adds nothing: logs nothing
        (mine,) = ledger.import_log().imports
        (listed,) = ledger.import_log(ids=True).imports
    after = datetime.now(UTC)
    monkeypatch.delenv("CHANCERY_USER")
    with Ledger.open(locations.new()) as other:
        other.import_bundled()
        (bundled,) = other.import_log().imports
    assert mine.number == bundled.number == 1
    assert mine.user == "analyst-one"
    assert bundled.user not in ("", "analyst-one")
    assert [(f.name, f.sha256, f.bundled) for f in mine.files] == [
        (str(first), sha256(first), False)
    ]
    assert [(f.name, f.sha256, f.bundled) for f in bundled.files] == [
        (p.name, sha256(p), True) for p in bundled_paths()
    ]
    assert mine.added == {
        "events": 2,
        "amendments": 1,
        "parties": 2,
        "channels": len(BASE_DECLARATIONS["channels"]),
        "sources": 2,
    }
    assert bundled.added["events"] > 0 and bundled.added["amendments"] > 0
    assert before <= mine.recorded_at <= after
    assert logged_ids(location, 1) == ["met-1", "met-2", "met-2-again"]
    assert mine.ids is None and listed.ids == ["met-1", "met-2", "met-2-again"]
    assert listed.declarations == [
        *(f"parties:{p['slug']}" for p in BASE_DECLARATIONS["parties"]),
        *(f"channels:{c['slug']}" for c in BASE_DECLARATIONS["channels"]),
        *(f"sources:{s['id']}" for s in BASE_DECLARATIONS["sources"]),
    ]


def test_the_newest_entries_come_first_and_limit_keeps_the_newest(
    locations: Locations, world: World
) -> None:
    location = locations.new()
    with Ledger.open(location) as ledger:
        for number in range(1, 4):
            ledger.import_files([world(meeting(f"met-{number}", f"2022-01-{number:02}"))])
        newest = ledger.import_log(limit=2)
        with pytest.raises(ChanceryError, match="--limit"):
            ledger.import_log(limit=0)
    assert [entry.number for entry in newest.imports] == [3, 2]
    assert newest.total == 3


def test_a_refused_import_logs_nothing(locations: Locations, world: World) -> None:
    location = locations.new()
    with Ledger.open(location) as ledger:
        ledger.import_files([world(meeting("met-1", "2022-01-10"))])
        changed = world(meeting("met-1", "2022-01-11"))  # the same id with other content
        with pytest.raises(ChanceryError):
            ledger.import_files([changed])
        assert ledger.import_log().total == 1


def test_a_streamed_import_is_logged_as_one_read_whole_is(
    locations: Locations, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import chancery.importing.dataset as dataset

    monkeypatch.setattr(dataset, "MAX_FILE_BYTES", 10)  # every file now streams
    location = locations.new()
    path = world(meeting("met-1", "2022-01-10"), meeting("met-2", "2022-01-20"))
    with Ledger.open(location) as ledger:
        ledger.import_files([path])
        (entry,) = ledger.import_log().imports
    assert [(f.name, f.sha256) for f in entry.files] == [(str(path), sha256(path))]
    assert list(entry.added) == ["events", "parties", "channels", "sources"]  # said in order
    assert entry.added["events"] == 2 and entry.added["sources"] == 2
    assert sorted(logged_ids(location, 1)) == ["met-1", "met-2"]


def test_retracting_an_import_withdraws_its_events_in_one_entry_and_verify_is_clean(
    locations: Locations, world: World
) -> None:
    location = locations.new()
    kept = world(meeting("met-kept", "2022-01-05"))
    mistaken = world(
        meeting("met-1", "2022-01-10"),
        meeting("met-2", "2022-01-20"),
        {
            "id": "met-2-refined",
            "type": "corroboration",
            "corroborates": "met-2",
            "channel": "council",
            "citations": [{"source": "late", "quote": "They met again."}],
        },
    )
    with Ledger.open(location) as ledger:
        ledger.import_files([kept])
        ledger.import_files([mistaken])
        entry = ledger.retract_import(2, "the wire withdrew both reports")
        shown = [e.id for e in ledger.events(channel="council")]
        state = ledger.state(as_of="2022-02-28", channel="council")
        log = ledger.import_log()
        problems = ledger.verify().problems
    assert shown == ["met-kept"]
    assert state.channels[0].last_meeting.id == "met-kept"
    assert problems == []
    assert (entry.number, entry.retracts, entry.added) == (3, 2, {"amendments": 2})
    assert entry.reason == "the wire withdrew both reports" and entry.files == []
    assert [(e.number, e.retracted_by) for e in log.imports] == [(3, None), (2, 3), (1, None)]
    assert logged_ids(location, 3) == ["import-2-retracts-met-1", "import-2-retracts-met-2"]


def test_retracting_twice_or_retracting_a_retraction_is_refused_and_writes_nothing(
    locations: Locations, world: World
) -> None:
    location = locations.new()
    with Ledger.open(location) as ledger:
        ledger.import_files([world(meeting("met-1", "2022-01-10"))])
        ledger.retract_import(1, "a test file")
        written = positions(location)
        with pytest.raises(ChanceryError, match="already retracted, by entry 2"):
            ledger.retract_import(1, "again")
        with pytest.raises(ChanceryError, match="a retraction cannot be retracted"):
            ledger.retract_import(2, "undo")
        with pytest.raises(ChanceryError, match="holds entries 1 to 2"):
            ledger.retract_import(7, "no such import")
    assert positions(location) == written


def test_a_later_answer_or_amendment_of_its_events_refuses_the_retraction_naming_them(
    locations: Locations, world: World, write_file: Callable[..., Path]
) -> None:
    location = locations.new()
    answer = meeting("met-answer", "2022-01-25", in_response_to="met-1")
    corroborated = {
        "id": "met-1-again",
        "type": "corroboration",
        "corroborates": "met-1",
        "channel": "council",
        "citations": [{"source": "late", "quote": "They had met."}],
    }
    with Ledger.open(location) as ledger:
        ledger.import_files([world(meeting("met-1", "2022-01-10"))])
        ledger.import_files([write_file({"chancery": 1, "events": [answer]})])
        ledger.import_files([write_file({"chancery": 1, "events": [corroborated]})])
        written = positions(location)
        with pytest.raises(ChanceryError) as refused:
            ledger.retract_import(1, "mistaken")
        still = [e.id for e in ledger.events(channel="council")]
    message = str(refused.value)
    assert "'met-answer' (import 2) answers 'met-1'" in message
    assert "'met-1-again' (import 3) corroborates 'met-1'" in message
    assert "\n" not in message and "nothing was written" in message
    assert positions(location) == written
    assert "met-1" in still


def test_an_import_that_amended_events_it_did_not_add_is_not_retracted(
    locations: Locations, world: World, write_file: Callable[..., Path]
) -> None:
    location = locations.new()
    correction = {
        "id": "met-1-corrected",
        "type": "correction",
        "corrects": "met-1",
        "reason": "the wire gave the wrong day",
        "replacement": meeting("met-1", "2022-01-11"),
    }
    with Ledger.open(location) as ledger:
        ledger.import_files([world(meeting("met-1", "2022-01-10"))])
        ledger.import_files([write_file({"chancery": 1, "events": [correction]})])
        written = positions(location)
        with pytest.raises(ChanceryError, match="'met-1-corrected' \\(correction of 'met-1'\\)"):
            ledger.retract_import(2, "mistaken")
    assert positions(location) == written


def test_a_rule_that_would_break_without_the_import_refuses_the_retraction(
    locations: Locations, world: World, write_file: Callable[..., Path]
) -> None:
    """An answer to an invitation names it by its own field, not as an amendment or response:
    the channel's rules, checked as the timeline would read, still catch it."""
    location = locations.new()
    invited = event("inv-1", "invitation_extended", "council", "2022-01-05")
    declined = event(
        "inv-1-declined", "invitation_declined", "council", "2022-01-15", actor="russia"
    )
    declined["invitation"] = "inv-1"
    with Ledger.open(location) as ledger:
        ledger.import_files([world(invited)])
        ledger.import_files([write_file({"chancery": 1, "events": [declined]})])
        written = positions(location)
        with pytest.raises(ChanceryError, match=r"invitation-exists.*inv-1-declined"):
            ledger.retract_import(1, "mistaken")
    assert positions(location) == written


def test_a_reason_that_is_not_text_is_refused_before_anything_is_written(
    locations: Locations, world: World
) -> None:
    location = locations.new()
    with Ledger.open(location) as ledger:
        ledger.import_files([world(meeting("met-1", "2022-01-10"))])
        written = positions(location)
        with pytest.raises(ChanceryError, match="--reason"):
            ledger.retract_import(1, "  ")
        with pytest.raises(ChanceryError, match="--reason"):
            ledger.retract_import(1, "bidi \u202e override")
    assert positions(location) == written


def test_an_answer_recorded_while_the_retraction_is_checked_makes_it_check_again(
    locations: Locations,
    world: World,
    write_file: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another writer records an answer to the import's event after the retraction's checks
    passed and before it writes: the attempt is beaten, starts again, and is refused."""
    from chancery.application import importlog
    from chancery.importing.dataset import load_file
    from chancery.importing.plan import import_files

    location = locations.new()
    answer = write_file(
        {"chancery": 1, "events": [meeting("met-answer", "2022-01-25", in_response_to="met-1")]}
    )
    checked = importlog._Retraction._stage
    attempts = []
    other = open_ledger(location, create=True)  # a second writer, closed (checkpointed) last

    def stage_then_another_writer_records(self: Any) -> Any:
        staged = checked(self)
        if not attempts:
            import_files(other, [load_file(answer)])
        attempts.append(len(staged))
        return staged

    monkeypatch.setattr(importlog._Retraction, "_stage", stage_then_another_writer_records)
    with Ledger.open(location) as ledger:
        ledger.import_files([world(meeting("met-1", "2022-01-10"))])
        with pytest.raises(ChanceryError, match="'met-answer' answers 'met-1'"):
            ledger.retract_import(1, "mistaken")
        assert ledger.import_log().total == 1  # no retraction logged (the answer: unlogged)
    other.close()
    assert attempts == [1]  # the second attempt was refused in its checks
    reopened = open_ledger(location, create=False)
    try:
        recorded = reopened.index.recorded_entries(["met-answer", "import-1-retracts-met-1"])
    finally:
        reopened.close()
    assert set(recorded) == {"met-answer"}


def test_verify_reports_a_log_that_names_what_the_ledger_does_not_hold(
    locations: Locations, world: World
) -> None:
    """A log altered behind Chancery's back: an entry claiming an event and a source the
    ledger never recorded."""
    from chancery.domain.importlog import AdditionsRecorded, additions_id
    from chancery.storage.recorders import IndexRows

    location = locations.new()
    with Ledger.open(location) as ledger:
        ledger.import_files([world(meeting("met-1", "2022-01-10"))])
        assert ledger.verify().ok
    forged = AdditionsRecorded(
        originator_id=additions_id(1),
        originator_version=3,  # after the entry's own two chunks (events, declarations)
        timestamp=AdditionsRecorded.create_timestamp(),
        entries=[["ghost-event", "council"]],
        declarations=[["sources", "ghost-source"]],
    )
    writer = open_ledger(location, create=True)
    try:
        writer.index.insert_batches([([writer.mapper.to_stored_event(forged)], IndexRows())])
    finally:
        writer.close()
    with Ledger.open(location) as ledger:
        problems = ledger.verify().problems
    assert any("'ghost-event' on 'council'" in p for p in problems), problems
    assert any("sources 'ghost-source'" in p for p in problems), problems
