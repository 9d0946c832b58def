"""One more event: one more report, known after everything before it, changes only the rows
it must (`bitemporal.appended_rows`), and the read model is then exactly what a rebuild
writes; anything else (a correction, a reading known the same day as an earlier one) folds the
channel whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.projections import bitemporal
from chancery.storage.readmodel import CITATIONS, STATES, VERSIONS, ReadModel
from chancery.storage.store import open_ledger

from tests.conftest import BASE_DECLARATIONS, Locations, event

SOURCES = [
    {"id": f"s{month:02d}", "outlet": "Wire", "published": f"2021-{month:02d}-28"}
    for month in range(1, 13)
]


def _cut(event_id: str, month: int, from_cap: int, to_cap: int, **fields: Any) -> dict[str, Any]:
    return event(
        event_id,
        "staff_cap_changed",
        "mission",
        fields.pop("date", f"2021-{month:02d}-10"),
        actor="nato",
        target="russia",
        from_cap=from_cap,
        to_cap=to_cap,
        citations=[{"source": f"s{month:02d}", "quote": f"{event_id} reported"}],
        **fields,
    )


def _tables(read: ReadModel) -> dict[str, list[tuple[Any, ...]]]:
    dump = {}
    with read._cursor(commit=False) as cursor:
        for table in (STATES, VERSIONS, CITATIONS):
            cursor.execute(f"SELECT * FROM {read._table(table)}")
            dump[table] = sorted(tuple(row.values()) for row in map(dict, cursor.fetchall()))
    return dump


@pytest.fixture
def full_folds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The channels the read model folded whole, in order."""
    calls: list[str] = []
    original = bitemporal.state_rows

    def counting(channel: Any, versions: Any) -> Any:
        calls.append(channel.slug)
        return original(channel, versions)

    monkeypatch.setattr(bitemporal, "state_rows", counting)
    return calls


def test_reports_in_order_append_rows_equal_to_a_rebuild(
    locations: Locations, world: Any, write_file: Any, full_folds: list[str]
) -> None:
    base = {**BASE_DECLARATIONS, "sources": SOURCES}
    steps = [
        [_cut("c1", 1, 40, 30)],
        [_cut("c2", 3, 30, 25)],  # later in both times: appended
        [_cut("c0", 5, 50, 40, date="2020-06-01")],  # earlier in valid time, known later
        [_cut("c3", 7, 25, 20, date="2021-07-01/2021-07-20")],  # an uncertain date
        [_cut("c4", 7, 20, 18)],  # known the same day as c3: folded whole
        [
            {
                "id": "fix-c2",
                "type": "correction",
                "corrects": "c2",
                "reason": "the cut took effect two days later",
                "replacement": _cut("c2", 3, 30, 25, date="2021-03-12"),
                "citations": [{"source": "s09", "quote": "fix-c2 reported"}],
            }
        ],  # a correction: folded whole
        [_cut("c5", 11, 18, 15)],  # after the correction: appended again
    ]
    location = locations.new()
    with open_ledger(location, create=True) as ledger:
        read = ReadModel(ledger)
        whole_folds = []
        for events in steps:
            path = write_file({**base, "events": events})
            import_files(ledger, [load_file(Path(path))])
            full_folds.clear()
            read.catch_up()
            whole_folds.append("mission" in full_folds)
            assert read.problems() == []
        # The first import folds (no rows yet); same-day knowledge and the correction fold.
        assert whole_folds == [True, False, False, False, True, True, False]
        appended = _tables(read)
        read.rebuild()
        assert _tables(read) == appended


SAME_DAY = {"id": "t01", "outlet": "Gazette", "published": "2021-01-28"}
"""Published the day s01 was: an amendment citing it keeps c1's known-from date."""

SAME_DAY_AMENDMENTS: dict[str, dict[str, Any]] = {
    "correction": {
        "id": "fix-c1",
        "type": "correction",
        "corrects": "c1",
        "reason": "the cut went to 29, not 30",
        "replacement": _cut("c1", 1, 40, 29),
    },
    "corroboration": {
        "id": "again-c1",
        "type": "corroboration",
        "corroborates": "c1",
        "channel": "mission",
        "citations": [{"source": "t01", "quote": "c1 reported again"}],
    },
    "dispute": {
        "id": "about-c1",
        "type": "dispute",
        "disputes": "c1",
        "channel": "mission",
        "about": "the size of the cut",
        "claims": [
            {"says": "to 30", "citations": [{"source": "s01", "quote": "to thirty"}]},
            {"says": "to 29", "citations": [{"source": "t01", "quote": "to twenty-nine"}]},
        ],
    },
}


@pytest.mark.parametrize("caught_up", ["together", "after-a-killed-catch-up"])
@pytest.mark.parametrize("kind", sorted(SAME_DAY_AMENDMENTS))
def test_an_amendment_keeping_the_known_date_beside_a_later_event_refolds_the_channel(
    locations: Locations, write_file: Any, kind: str, caught_up: str
) -> None:
    """An amendment known the day its event was, caught up with a later-known
    event on the same channel, changes the reading under the same (id, known from, known to):
    the rows before the new event, the amended version row and its citation rows must change
    too, exactly as a rebuild writes them. Reached in one import, or by an import killed
    between its commit and its catch-up followed by the import of the later event."""
    base = {**BASE_DECLARATIONS, "sources": [*SOURCES, SAME_DAY]}
    amendment = SAME_DAY_AMENDMENTS[kind]
    later = _cut("c2", 3, 29 if kind == "correction" else 30, 25)
    with open_ledger(locations.new(), create=True) as ledger:
        read = ReadModel(ledger)
        import_files(ledger, [load_file(write_file({**base, "events": [_cut("c1", 1, 40, 30)]}))])
        read.catch_up()
        if caught_up == "together":
            import_files(ledger, [load_file(write_file({**base, "events": [amendment, later]}))])
        else:  # the amendment's import died before its catch-up; the next import catches up
            import_files(ledger, [load_file(write_file({**base, "events": [amendment]}))])
            import_files(ledger, [load_file(write_file({**base, "events": [later]}))])
        read.catch_up()
        assert read.problems() == []
        caught = _tables(read)
        cap = read.state(date(2021, 2, 15), None, "mission").channels[0].staff_cap
        read.rebuild()
        assert caught == _tables(read)
        assert cap == (29 if kind == "correction" else 30)
        (reading,) = [v for v in read.channel_versions("mission")[0] if v.action.id == "c1"]
        cited = {c.source for c in reading.action.all_citations()}
        assert cited == ({"s01"} if kind == "correction" else {"s01", "t01"})
