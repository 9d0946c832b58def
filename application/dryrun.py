"""What an import would change, before it is written (`chancery import --dry-run`).

For each channel the import adds to: its events, new or already recorded, and the channel's
state on each date those events touch, before and after, field by field.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from chancery.domain.actions import Action, cited_sources
from chancery.domain.sources import Source
from chancery.domain.timeline import resolve
from chancery.importing.plan import ImportPlan
from chancery.projections.fields import state_fields
from chancery.projections.knowledge import known_actions, versions
from chancery.projections.models import Change
from chancery.projections.state import channel_state
from chancery.storage.ledger import ImportReport, Ledger
from pydantic import BaseModel


class DateChange(BaseModel):
    date: date
    changes: list[Change]


class ChannelPreview(BaseModel):
    channel: str
    new_events: list[str]
    changes: list[DateChange]


class DryRun(BaseModel):
    added: dict[str, int]
    unchanged: dict[str, int]
    channels: list[ChannelPreview]


def preview(ledger: Ledger, plan: ImportPlan) -> DryRun:
    """The plan's effect on every channel it touches, on the dates its events touch."""
    report: ImportReport = plan.report
    previews = []
    for slug, additions in sorted(plan.new_entries.items()):
        channel = plan.channel(slug)
        existing = [item.entry for item in ledger.timeline(slug)]
        entries = existing + [entry for entry, _ in additions]
        cited = cited_sources(entries)
        records = {key: record for key, (_, record) in plan.known["sources"].items()}
        missing = cited - records.keys()
        records.update((k, r) for k, (_, r) in ledger.index.declared("sources", missing).items())
        sources = {key: Source.model_validate(records[key]) for key in cited}
        before = known_actions(versions(existing, sources), None)
        after = known_actions(versions(entries, sources), None)
        touched = {
            day
            for action in resolve(entries)
            if action.id in {entry.id for entry, _ in additions} or _amended(action, additions)
            for day in (action.takes_effect.earliest, action.takes_effect.latest)
        }
        changes = []
        shown: dict[str, tuple[str, str]] = {}  # each field's change as last reported
        for day in sorted(touched):
            old = state_fields(channel_state(channel, before, day).model_dump(mode="json"))
            new = state_fields(channel_state(channel, after, day).model_dump(mode="json"))
            moved = [
                Change(field=name, before=old.get(name, ""), after=value)
                for name, value in new.items()
                if old.get(name) != value and shown.get(name) != (old.get(name, ""), value)
            ]
            shown.update((c.field, (c.before, c.after)) for c in moved)
            if moved:
                changes.append(DateChange(date=day, changes=moved))
        previews.append(
            ChannelPreview(
                channel=slug, new_events=[entry.id for entry, _ in additions], changes=changes
            )
        )
    return DryRun(added=dict(report.added), unchanged=dict(report.unchanged), channels=previews)


def _amended(action: Action, additions: Sequence[tuple[object, str]]) -> bool:
    return any(getattr(entry, "target", None) == action.id for entry, _ in additions)
