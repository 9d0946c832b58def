"""What an import would change, before it is written (`chancery import --dry-run`).

For each channel the import adds to: its events, new or already recorded, and the channel's
state on each date those events touch, before and after, field by field.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from chancery.domain.actions import Action, cited_sources
from chancery.domain.timeline import resolve
from chancery.importing.plan import ImportPlan
from chancery.projections.fields import state_fields
from chancery.projections.knowledge import known_actions, versions
from chancery.projections.models import Change
from chancery.projections.state import channel_state
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


def preview(plan: ImportPlan) -> DryRun:
    """The plan's effect on every channel it touches, on the dates its events touch: read
    inside the dry run's transaction, which holds what the import would add."""
    previews = []
    for slug, touched in sorted(plan.touched.items()):
        existing, additions = touched.entries, touched.added
        entries = existing + additions
        sources = {key: plan.source(key) for key in cited_sources(entries)}
        before = known_actions(versions(existing, sources), None)
        after = known_actions(versions(entries, sources), None)
        new_ids = {entry.id for entry in additions}
        touched_days = {
            day
            for action in resolve(entries)
            if action.id in new_ids or _amended(action, additions)
            for day in (action.takes_effect.earliest, action.takes_effect.latest)
        }
        changes = []
        shown: dict[str, tuple[str, str]] = {}  # each field's change as last reported
        for day in sorted(touched_days):
            old = state_fields(channel_state(touched.channel, before, day).model_dump(mode="json"))
            new = state_fields(channel_state(touched.channel, after, day).model_dump(mode="json"))
            moved = [
                Change(field=name, before=old.get(name, ""), after=value)
                for name, value in new.items()
                if old.get(name) != value and shown.get(name) != (old.get(name, ""), value)
            ]
            shown.update((c.field, (c.before, c.after)) for c in moved)
            if moved:
                changes.append(DateChange(date=day, changes=moved))
        previews.append(
            ChannelPreview(channel=slug, new_events=[e.id for e in additions], changes=changes)
        )
    report = plan.report
    return DryRun(added=dict(report.added), unchanged=dict(report.unchanged), channels=previews)


def _amended(action: Action, additions: Sequence[object]) -> bool:
    return any(getattr(entry, "target", None) == action.id for entry in additions)
