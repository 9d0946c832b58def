"""Amendments are folded in one place (`timeline.amended`): the write side's `resolve` and the
known-time `versions` read the same events the same way, whatever the amendments are."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from chancery.domain.actions import ENTRY_ADAPTER, Action, Amendment
from chancery.domain.errors import InvariantViolation
from chancery.domain.timeline import amended, resolve
from chancery.importing.dataset import load_file
from chancery.projections.knowledge import known_actions, versions
from chancery.seeds import bundled_paths

BUNDLED = load_file(bundled_paths()[0]).dataset
SOURCES = {s.id: s for s in BUNDLED.sources}


def _by_channel(entries: list[Any]) -> dict[str, list[Any]]:
    channels: dict[str, list[Any]] = defaultdict(list)
    for entry in entries:
        channels[entry.channel].append(entry)
    return channels


def _now(entries: list[Any]) -> dict[str, Action]:
    """The readings known now, by event id."""
    return {a.id: a for a in known_actions(versions(entries, SOURCES), None)}


def test_resolve_and_versions_agree_on_the_bundled_amendments() -> None:
    assert any(isinstance(e, Amendment) for e in BUNDLED.events)
    for channel, entries in _by_channel(list(BUNDLED.events)).items():
        assert _now(entries) == {a.id: a for a in resolve(entries)}, channel


def _retract_and_corroborate(target: Action) -> list[Amendment]:
    """A retraction of `target`, then a corroboration of the event it removed."""
    source = target.citations[0].source
    return [
        ENTRY_ADAPTER.validate_python(
            {
                "id": "drop-it",
                "type": "retraction",
                "retracts": target.id,
                "channel": target.channel,
                "reason": "a test's own retraction",
            }
        ),
        ENTRY_ADAPTER.validate_python(
            {
                "id": "again-it",
                "type": "corroboration",
                "corroborates": target.id,
                "channel": target.channel,
                "citations": [{"source": source, "quote": "A test's own quote."}],
            }
        ),
    ]


def test_an_amendment_of_an_event_not_there_is_refused_by_writes_and_skipped_by_views() -> None:
    entries = _by_channel(list(BUNDLED.events))
    channel, recorded = next((c, e) for c, e in entries.items() if len(e) > 1)
    target = next(e for e in recorded if isinstance(e, Action))
    more = [*recorded, *_retract_and_corroborate(target)]
    with pytest.raises(InvariantViolation) as refused:
        resolve(more)
    assert refused.value.rule == "amends-existing-event"
    assert "again-it" in str(refused.value)
    steps = list(amended(more, strict=False))
    assert [s.amendment.id for s in steps if s.amendment is not None][-1] == "drop-it"
    assert steps[-1].after is None and steps[-1].before is not None
    assert target.id not in _now(more)
    assert _now(more) == {a.id: a for a in resolve(more[:-1])}, channel


def test_a_later_correction_of_one_event_wins_in_every_reading() -> None:
    target = next(e for e in BUNDLED.events if isinstance(e, Action) and e.note is not None)
    fixes = [
        ENTRY_ADAPTER.validate_python(
            {
                "id": name,
                "type": "correction",
                "corrects": target.id,
                "reason": f"note {name}",
                "replacement": {**target.model_dump(mode="json", exclude_none=True), "note": name},
            }
        )
        for name in ("fix-b", "fix-a")
    ]
    entries = [e for e in BUNDLED.events if e.channel == target.channel] + fixes
    assert next(a for a in resolve(entries) if a.id == target.id).note == "fix-a"
    assert _now(entries)[target.id].note == "fix-a"
