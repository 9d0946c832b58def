"""The read model answers exactly what a plain fold of the events answers, however it was built.

Two properties: the bitemporal rows of any event history equal the reference fold on every
date that matters, in valid and known time; and a read model maintained incrementally, over any
split of an import sequence, equals one rebuilt from the events.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.domain.errors import ChanceryError
from chancery.importing.dataset import Dataset, load_file
from chancery.importing.plan import import_files
from chancery.projections.bitemporal import INF, StateRow, state_rows
from chancery.projections.knowledge import known_actions, versions
from chancery.projections.models import ChannelState
from chancery.projections.state import channel_state, with_inference
from chancery.seeds import bundled_paths
from chancery.storage.ledger import Ledger
from chancery.storage.readmodel import CITATIONS, POSITION, STATES, VERSIONS, ReadModel
from chancery.storage.store import LOCK_TIMEOUT_SECONDS, open_ledger
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import BASE_DECLARATIONS, Locations, event
from tests.store_helpers import cli

SOURCES = [
    {"id": f"s{month}-{day}", "outlet": "Wire", "published": f"2021-{month:02d}-{day:02d}"}
    for month in (1, 2, 3)
    for day in (1, 10, 20)
]
DAYS = [f"2020-{month:02d}" for month in range(1, 13)] + [
    f"2020-{month:02d}-{day:02d}" for month in (3, 6, 9) for day in (1, 15)
]


@st.composite
def mission_events(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A random history of a mission: cap changes (some of unknown size or disputed origin),
    withdrawals, a suspension, reported by sources published on different days."""
    count = draw(st.integers(min_value=1, max_value=7))
    events: list[dict[str, Any]] = []
    for index in range(count):
        kind = draw(st.sampled_from(["cut", "cut", "withdrawn", "suspended"]))
        record: dict[str, Any] = {
            "id": f"e{index}",
            "channel": "mission",
            "actor": "nato",
            "date": draw(st.sampled_from(DAYS)),
            "citations": [
                {"source": draw(st.sampled_from(SOURCES))["id"], "quote": f"quote {index}"}
            ],
        }
        if kind == "cut":
            record["type"] = "staff_cap_changed"
            record["from_cap"] = draw(st.one_of(st.none(), st.integers(0, 40)))
            record["to_cap"] = draw(st.one_of(st.none(), st.integers(0, 40)))
            record["from_disputed"] = True
        elif kind == "withdrawn":
            record["type"] = "accreditation_withdrawn"
            record["count"] = draw(st.one_of(st.none(), st.integers(1, 9)))
        else:
            record["type"] = "mission_suspended"
        events.append(record)
    return events


def _dataset(events: list[dict[str, Any]]) -> Dataset:
    return Dataset.model_validate({**BASE_DECLARATIONS, "sources": SOURCES, "events": events})


def _lookup(rows: list[StateRow], day: date, known: date | None) -> ChannelState:
    """The query the read model runs, done over a list of rows."""
    d, k = day.toordinal(), known.toordinal() if known else INF - 1
    (row,) = [r for r in rows if r.valid_from <= d < r.valid_to and r.known_from <= k < r.known_to]
    later = sorted(
        (r for r in rows if r.valid_from > d and r.known_from <= k < r.known_to and r.cap_event),
        key=lambda r: r.valid_from,
    )
    upcoming = (later[0].cap_event, later[0].cap_from) if later else None
    return with_inference(json.loads(row.state), row.inferable, upcoming)


def _probes(dataset: Dataset) -> tuple[list[date], list[date | None]]:
    days: set[date] = {date(2019, 1, 1), date(2022, 1, 1)}
    for entry in dataset.events:
        for bound in (entry.date.earliest, entry.date.latest):
            days.update({bound - timedelta(days=1), bound, bound + timedelta(days=1)})
    known: set[date | None] = {None, date(2020, 12, 31)}
    for source in dataset.sources:
        day = source.published.latest
        known.update({day - timedelta(days=1), day})
    return sorted(days), sorted(known, key=lambda k: k or date.max)


@settings(max_examples=150, deadline=None)
@given(mission_events())
def test_bitemporal_rows_answer_what_the_fold_answers(events: list[dict[str, Any]]) -> None:
    dataset = _dataset(events)
    channel = next(c for c in dataset.channels if c.slug == "mission")
    readings = versions(dataset.events, {s.id: s for s in dataset.sources})
    rows = state_rows(channel, readings)
    days, known_dates = _probes(dataset)
    for known in known_dates:
        actions = known_actions(readings, known)
        for day in days:
            assert _lookup(rows, day, known) == channel_state(channel, actions, day), (day, known)


def _write(folder: Path, name: str, events: list[dict[str, Any]]) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        yaml.safe_dump({**BASE_DECLARATIONS, "sources": SOURCES, "events": events}),
        encoding="utf-8",
    )
    return path


def _rows(ledger: Ledger) -> dict[str, tuple[Any, ...]]:
    """Every channel's state, version and citation rows, as stored (duplicates counted)."""
    read = ReadModel(ledger)
    return {
        slug: (
            sorted(read.stored_rows(slug), key=repr),
            sorted(read.stored_version_rows(slug, counted=True), key=repr),
            sorted(read.stored_citation_rows(slug), key=repr),
        )
        for slug in ledger.channels()
    }


@st.composite
def amended_events(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A random mission history (`mission_events`) with amendments of every kind mixed in,
    each somewhere after the event it names (right after it, or after later events):
    corrections, corroborations, refinements, disputes and retractions, citing sources
    published before, on or after the event's own."""
    events = draw(mission_events())
    after: list[list[dict[str, Any]]] = [[] for _ in events]  # the amendments after each event
    for number, record in enumerate(events):
        for index in range(draw(st.integers(0, 2))):
            kind = draw(
                st.sampled_from(
                    ["correction", "corroboration", "refinement", "dispute", "retraction"]
                )
            )
            source = draw(st.sampled_from(SOURCES))["id"]
            cited = [{"source": source, "quote": f"amendment {number}.{index}"}]
            base = {"id": f"a{number}-{index}", "type": kind, "channel": "mission"}
            target = record["id"]
            if kind == "correction":
                replacement = {k: v for k, v in record.items() if k != "citations"}
                replacement["date"] = draw(st.sampled_from(DAYS))
                if record["type"] == "staff_cap_changed":
                    replacement["to_cap"] = draw(st.one_of(st.none(), st.integers(0, 40)))
                replacement["citations"] = draw(st.sampled_from([record["citations"], cited]))
                base = {k: v for k, v in base.items() if k != "channel"}
                base |= {"corrects": target, "reason": "misreported", "replacement": replacement}
            elif kind == "corroboration":
                base |= {"corroborates": target, "citations": cited}
            elif kind == "refinement":
                base |= {"refines": target, "citations": cited}
                if record["type"] == "accreditation_withdrawn":
                    base["count"] = draw(st.integers(1, 9))
                elif record["type"] == "staff_cap_changed":
                    base["to_cap"] = draw(st.integers(0, 40))
            elif kind == "dispute":
                other = draw(st.sampled_from(SOURCES))["id"]
                base |= {
                    "disputes": target,
                    "about": "what happened",
                    "claims": [
                        {"says": "one thing", "citations": cited},
                        {"says": "another", "citations": [{"source": other, "quote": "no"}]},
                    ],
                }
            else:
                base |= {"retracts": target, "reason": "never happened"}
            after[draw(st.integers(number, len(events) - 1))].append(base)
    return [
        entry
        for record, amendments in zip(events, after, strict=True)
        for entry in (record, *amendments)
    ]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mission_events(), st.data())
def test_incremental_maintenance_over_any_split_equals_a_rebuild(
    locations: Locations, events: list[dict[str, Any]], data: st.DataObject
) -> None:
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(events) - 1)), max_size=3)))
    parts = [events[a:b] for a, b in zip([0, *cuts], [*cuts, len(events)], strict=True)]
    with tempfile.TemporaryDirectory() as folder:
        ledger = open_ledger(locations.new(), create=True)
        try:
            read = ReadModel(ledger)
            for number, part in enumerate(parts):
                try:
                    import_files(ledger, [load_file(_write(Path(folder), f"p{number}", part))])
                except Exception:  # a random part may break a rule: the ledger keeps the rest
                    continue
                read.catch_up()
            incremental = _rows(ledger)
            read.rebuild()
            assert _rows(ledger) == incremental
            assert read.problems() == []
        finally:
            ledger.close()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(amended_events(), st.data())
def test_amendments_mixed_with_events_over_any_split_equal_a_rebuild(
    locations: Locations, entries: list[dict[str, Any]], data: st.DataObject
) -> None:
    """Amendments of every kind mixed with new events, imported in any split
    (each part's catch-up run, or lost as if the import were killed before it), leave state,
    version and citation rows equal to a rebuild's, on both stores."""
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(entries) - 1)), max_size=4)))
    bounds = zip([0, *cuts], [*cuts, len(entries)], strict=True)
    parts = [entries[a:b] for a, b in bounds]
    caught_up = data.draw(st.lists(st.booleans(), min_size=len(parts), max_size=len(parts)))
    with tempfile.TemporaryDirectory() as folder:
        ledger = open_ledger(locations.new(), create=True)
        try:
            read = ReadModel(ledger)
            for number, (part, catch_up) in enumerate(zip(parts, caught_up, strict=True)):
                try:
                    import_files(ledger, [load_file(_write(Path(folder), f"p{number}", part))])
                except ChanceryError:  # a random part may break a rule: nothing of it lands
                    continue
                if catch_up:
                    read.catch_up()
            read.catch_up()
            incremental = _rows(ledger)
            read.rebuild()
            assert _rows(ledger) == incremental
            assert read.problems() == []
        finally:
            ledger.close()


def test_rows_rendered_by_another_release_are_folded_again(tmp_path: Path) -> None:
    """A read model in an older format (a release that rendered states differently) is
    rebuilt on the next catch-up instead of answering with its stale rendering."""
    location = str(tmp_path / "ledger.sqlite")
    ledger = open_ledger(location, create=True)
    import_files(ledger, [load_file(p) for p in bundled_paths()])
    ReadModel(ledger).catch_up()
    ledger.close()
    with sqlite3.connect(location) as conn:
        conn.execute("UPDATE chancery_states SET state = replace(state, 'suspended', 'active')")
        conn.execute("UPDATE chancery_read_position SET position = 1 WHERE name = 'format'")
    ledger = open_ledger(location, create=True)
    try:
        read = ReadModel(ledger)
        state = read.state(date(2021, 10, 20), None, "russia-mission-to-nato").channels[0]
        assert state.status.value == "suspended"
        assert read.problems() == []
    finally:
        ledger.close()


DAMAGE = {
    "a reading altered": (
        "UPDATE {versions} SET entry = replace(entry, '\"to_cap\":10', '\"to_cap\":11') "
        "WHERE channel = 'russia-mission-to-nato'",
        # the cut has two readings: as reported on 21 Oct, and with RT's quote of 29 Nov
        "2 stale and 2 missing reading rows",
    ),
    "a citation row lost": (
        "DELETE FROM {citations} WHERE event = 'russia-mission-staff-cap-cut-2021-10-06'",
        "missing citation rows",
    ),
    "a citation row doubled": (
        "INSERT INTO {citations} SELECT * FROM {citations} WHERE source = 'art-003-2021-10-21'",
        "stale and 0 missing citation rows",
    ),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_verify_compares_readings_and_citations_not_only_states(
    locations: Locations, damage: str
) -> None:
    """`verify` holds the version and citation tables against a fresh fold
    too, and says which table differs."""
    location = locations.new()
    with open_ledger(location, create=True) as ledger:
        import_files(ledger, [load_file(p) for p in bundled_paths()])
        read = ReadModel(ledger)
        read.catch_up()
        assert read.problems() == []
        statement, expected = DAMAGE[damage]
        with read._cursor(commit=True) as cursor:
            cursor.execute(
                statement.format(versions=read._table(VERSIONS), citations=read._table(CITATIONS))
            )
    checked = cli("verify", "--db", location)
    assert checked.exit_code == 1 and checked.exception is None
    assert "read model of 'russia-mission-to-nato' differs" in checked.stderr
    assert expected in checked.stderr
    assert cli("reindex", "--db", location).exit_code == 0
    assert cli("verify", "--db", location).exit_code == 0


CUT = "id LIKE '%cap-cut-2021%'"


@pytest.mark.parametrize(
    ("table", "statement", "command"),
    [
        (VERSIONS, f"UPDATE {{table}} SET entry = '{{{{\"type\": 1' WHERE {CUT}", "events"),
        (VERSIONS, f"UPDATE {{table}} SET entry = '[]' WHERE {CUT}", "history"),
        (STATES, "UPDATE {table} SET state = 'not json'", "state"),
        (STATES, "UPDATE {table} SET state = '[1]'", "state"),
        (VERSIONS, f"UPDATE {{table}} SET recorded_at = 'zz' WHERE {CUT}", "export"),
    ],
)
def test_a_corrupt_read_model_row_stops_a_query_with_one_line(
    locations: Locations, table: str, statement: str, command: str
) -> None:
    """A damaged row in the read model's tables gives one line
    naming the table and the cure, exit 1, and nothing half-written on stdout (an export to
    stdout wrote its first pages before the damaged row)."""
    location = locations.new()
    with open_ledger(location, create=True) as ledger:
        import_files(ledger, [load_file(p) for p in bundled_paths()])
        read = ReadModel(ledger)
        read.catch_up()
        with read._cursor(commit=True) as cursor:
            cursor.execute(statement.format(table=read._table(table)))
    args = {
        "events": ["events", "--json"],
        "history": ["history", "russia-mission-to-nato", "--json"],
        "export": ["export", "--format", "csv"],
    }.get(command, ["state", "--as-of", "2021-10-20", "--json"])
    found = cli(*args, "--db", location)
    assert found.exit_code == 1 and found.exception is None, found.exception
    assert found.stdout == ""
    assert f"table {table} cannot be read" in found.stderr
    assert "chancery reindex" in found.stderr and "Traceback" not in found.stderr
    assert len(found.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("position", ["'x'", "'1e400'"])
def test_a_damaged_read_position_stops_every_command_with_one_line(
    tmp_path: Path, position: str
) -> None:
    """The read model's position row (a number on PostgreSQL, any value in SQLite's loose
    column) altered to text ended every query and `verify` in a traceback."""
    location = str(tmp_path / "ledger.sqlite")
    assert cli("import", "--bundled", "--db", location).exit_code == 0
    with sqlite3.connect(location) as connection:
        connection.execute(f"UPDATE {POSITION} SET position = {position}")
    for args in (["state"], ["events", "--json"], ["verify"]):
        found = cli(*args, "--db", location)
        assert found.exit_code == 1 and found.exception is None, found.exception
        assert found.stdout == "" and "Traceback" not in found.stderr
        assert f"table {POSITION} cannot be read" in found.stderr
    assert cli("reindex", "--db", location).exit_code == 0
    assert cli("verify", "--db", location).exit_code == 0


def _contacts(count: int) -> list[dict[str, Any]]:
    return [
        event(f"c{i}", "contacts_maintained", "contacts", f"2020-{i + 1:02d}-15")
        for i in range(count)
    ]


def _moved(record: dict[str, Any], day: str, number: int) -> dict[str, Any]:
    return {
        "id": f"move-{number}",
        "type": "correction",
        "corrects": record["id"],
        "reason": "misdated",
        "replacement": {**record, "date": day},
    }


def test_a_query_does_not_wait_for_an_import_catching_up(locations: Locations, world: Any) -> None:
    """An import that committed its events and is still catching
    the read model up holds its write lock; a query answers at once, those events included
    (folded in memory), instead of waiting for the lock."""
    location = locations.new()
    with open_ledger(location, create=True) as writable:
        import_files(writable, [load_file(world(*_contacts(3)))])
        ReadModel(writable).catch_up()
        import_files(writable, [load_file(world(*_contacts(5)))])  # two more, not caught up
        with ReadModel(writable)._cursor(commit=True) as cursor:  # its catch-up, under way
            cursor.execute(
                f"UPDATE {writable.index._table('chancery_read_position')} "
                "SET position = position WHERE name = 'read-model'"
            )
            started = time.monotonic()
            found = cli("events", "--json", "--db", location)
            waited = time.monotonic() - started
    assert found.exit_code == 0, found.output
    assert [e["id"] for e in json.loads(found.stdout)["events"]] == [f"c{i}" for i in range(5)]
    assert waited < LOCK_TIMEOUT_SECONDS / 2


def test_a_listing_reads_one_snapshot_while_corrections_land(
    locations: Locations, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`events` and `export` read the events a page at a time; a
    correction that moves an event across the page being read must neither list it twice nor
    skip it: every page comes from one snapshot."""
    from chancery.projections import events as listing
    from chancery.storage.store import open_reader

    monkeypatch.setattr(listing, "PAGE", 2)
    location = locations.new()
    records = _contacts(6)
    with open_ledger(location, create=True) as writable:
        import_files(writable, [load_file(world(*records))])
        ReadModel(writable).catch_up()
    tables = open_reader(location)
    try:
        tables.snapshot()
        read = ReadModel(tables=tables, opener=lambda: open_ledger(location, create=False))
        pages = listing.event_pages(read)
        first, _ = next(pages)
        assert [e.id for e in first] == ["c0", "c1"]
        with open_ledger(location, create=True) as writable:  # c0 moves to the end, c5 first
            moves = [_moved(records[0], "2020-12-20", 0), _moved(records[5], "2019-12-01", 1)]
            import_files(writable, [load_file(world(*moves))])
            ReadModel(writable).catch_up()
        listed = [e.id for e in first] + [e.id for page, _ in pages for e in page]
    finally:
        tables.close()
    assert listed == [f"c{i}" for i in range(6)]  # the snapshot's order, each once
    after = cli("events", "--json", "--db", location)
    assert [e["id"] for e in json.loads(after.stdout)["events"]] == [
        "c5",
        "c1",
        "c2",
        "c3",
        "c4",
        "c0",
    ]
