"""Principle 8: the same events recorded in any order project to the same state. Amendments
(corrections, refinements) apply in the order they were recorded, after the events they
amend, so they keep their order here."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from chancery.domain.actions import Action, InvitationExtended
from chancery.domain.timeline import resolve
from chancery.importing.dataset import Dataset, load_file
from chancery.importing.plan import import_files
from chancery.projections.knowledge import known_actions, versions
from chancery.projections.state import channel_state
from chancery.seeds import bundled_paths
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Locations

BUNDLED = load_file(bundled_paths()[0]).dataset
EVENTS = [e for e in BUNDLED.events if isinstance(e, Action)]
AMENDMENTS = [e for e in BUNDLED.events if not isinstance(e, Action)]


def _probe_dates() -> list[date]:
    """A day before, on and after both ends of every event's interval, as recorded and as
    amended (an effective date a refinement gives)."""
    days: set[date] = set()
    for action in [*EVENTS, *resolve(BUNDLED.events)]:
        for when in (action.date, action.takes_effect):
            for bound in (when.earliest, when.latest):
                days.update({bound - timedelta(days=1), bound, bound + timedelta(days=1)})
    return sorted(days)


PROBES = _probe_dates()


def _states(entries: list[Any]) -> list[dict[str, Any]]:
    """Every channel's state on every probe date, from entries recorded in this order."""
    sources = {s.id: s for s in BUNDLED.sources}
    states = []
    for channel in BUNDLED.channels:
        readings = versions([e for e in entries if e.channel == channel.slug], sources)
        actions = known_actions(readings, None)
        states += [channel_state(channel, actions, day).model_dump(mode="json") for day in PROBES]
    return states


def _read_states(ledger: Any) -> list[dict[str, Any]]:
    """The same, answered by the ledger's read model."""
    read = ReadModel(ledger)
    by_day = [read.state(day).channels for day in PROBES]
    return [
        by_day[d][c].model_dump(mode="json")
        for c in range(len(BUNDLED.channels))
        for d in range(len(PROBES))
    ]


REFERENCE = _states(list(BUNDLED.events))


@settings(max_examples=80, deadline=None)
@given(st.permutations(range(len(EVENTS))))
def test_any_recording_order_projects_the_same_state(order: list[int]) -> None:
    assert _states([*(EVENTS[i] for i in order), *AMENDMENTS]) == REFERENCE


def _write(path: Path, events: list[Any]) -> Path:
    data = Dataset(
        parties=BUNDLED.parties, channels=BUNDLED.channels, sources=BUNDLED.sources, events=events
    )
    path.write_text(yaml.safe_dump(data.model_dump(mode="json")), encoding="utf-8")
    return path


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.permutations(range(len(EVENTS))), st.integers(1, len(EVENTS) - 1))
def test_shuffled_imports_through_the_ledger_project_the_same_state(
    locations: Locations, order: list[int], split: int
) -> None:
    """Recorded through the real store, in two imports, in a random order.

    Invitations go first: a follow-up naming an invitation the ledger has not seen is refused.
    """
    events: list[Any] = [EVENTS[i] for i in order]
    events.sort(key=lambda e: not isinstance(e, InvitationExtended))
    events += AMENDMENTS
    with tempfile.TemporaryDirectory() as folder:
        ledger = open_ledger(locations.new(), create=True)  # a new ledger for every example
        first = _write(Path(folder) / "first.yaml", events[:split])
        second = _write(Path(folder) / "second.yaml", events[split:])
        try:
            import_files(ledger, [load_file(first)])
            import_files(ledger, [load_file(second)])
            assert _read_states(ledger) == REFERENCE
        finally:
            ledger.close()
