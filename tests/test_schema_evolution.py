"""Rows written by an older version of an event class are upcast on read, never rewritten."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chancery.domain.aggregates import Catalog, ChannelTimeline, content_digest
from chancery.domain.dataset import load_file
from chancery.domain.ledger import Ledger
from chancery.domain.verification import verify
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from tests.conftest import event


def _write_v1_row(ledger: Ledger, channel: str, entry: dict[str, Any]) -> None:
    """Insert a real version-1 EntryRecorded row: the entry alone, without its digest."""
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
    # The catalog indexes the entry as a version-1 import would have.
    catalog = ledger.repository.get(Catalog.create_id())
    catalog.index_entries(
        channels={entry["id"]: channel}, digests={entry["id"]: content_digest(entry)}
    )
    ledger.save(catalog)
    ledger.recorder.insert_events([row])


def test_a_version_1_row_is_upcast_on_read(ledger: Ledger, world: Any, tmp_path: Path) -> None:
    ledger.import_files(
        [load_file(world(event("first", "contacts_maintained", "contacts", "2021")))]
    )
    old = ledger.contents().entries["contacts"][0].entry.model_dump(mode="json")
    old.update(
        id="written-by-v1",
        date={**old["date"], "edtf": "2020", "earliest": "2020-01-01", "latest": "2020-12-31"},
    )
    _write_v1_row(ledger, "contacts", old)

    stored = ledger.recorder.select_events(ChannelTimeline.create_id("contacts"))[-1]
    raw = ledger.mapper.transcoder.decode(stored.state)
    assert "class_version" not in raw and "digest" not in raw, "the row really is version 1"

    timeline = ledger.repository.get(ChannelTimeline.create_id("contacts"))
    assert timeline.entries[-1]["digest"] == content_digest(old)
    assert [e.entry.id for e in ledger.contents().entries["contacts"]] == ["first", "written-by-v1"]
    assert verify(ledger).ok


def test_verify_reports_a_row_altered_outside_chancery(ledger: Ledger, world: Any) -> None:
    ledger.import_files(
        [load_file(world(event("first", "contacts_maintained", "contacts", "2021")))]
    )
    entry = ledger.contents().entries["contacts"][0].entry.model_dump(mode="json")
    tampered = {**entry, "id": "forged"}
    timeline_id = ChannelTimeline.create_id("contacts")
    version = ledger.recorder.select_events(timeline_id)[-1].originator_version + 1
    ledger.recorder.insert_events(
        [
            StoredEvent(
                originator_id=timeline_id,
                originator_version=version,
                topic=get_topic(ChannelTimeline.EntryRecorded),
                state=ledger.mapper.transcoder.encode(
                    {
                        "timestamp": datetime(2021, 12, 1, tzinfo=UTC),
                        "entry": tampered,
                        "digest": "0" * 64,
                        "class_version": 2,
                    }
                ),
            )
        ]
    )
    result = verify(ledger)
    assert not result.ok
    assert any("forged" in problem for problem in result.problems)
    assert result.counts["entries"] == 2
