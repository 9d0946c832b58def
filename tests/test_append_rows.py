"""Issue 6, +1 event: one more report, known after everything before it, changes only the rows
it must (`bitemporal.appended_rows`), and the read model is then exactly what a rebuild
writes; anything else (a correction, a reading known the same day as an earlier one) folds the
channel whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from chancery.domain.dataset import load_file
from chancery.domain.store import open_ledger
from chancery.projections import bitemporal
from chancery.projections.readmodel import STATES, VERSIONS, ReadModel

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
        for table in (STATES, VERSIONS):
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
            ledger.import_files([load_file(Path(path))])
            full_folds.clear()
            read.catch_up()
            whole_folds.append("mission" in full_folds)
            assert read.problems() == []
        # The first import folds (no rows yet); same-day knowledge and the correction fold.
        assert whole_folds == [True, False, False, False, True, True, False]
        appended = _tables(read)
        read.rebuild()
        assert _tables(read) == appended
