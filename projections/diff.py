"""What changed between two dates: on the valid-time axis (the world between A and B) or on
the known-time axis (what was learned between K1 and K2 about the state on one date).

Each change names the channel, the field (the same field names as a channel's history), the
value before and after in the common vocabulary, and the events behind it with their
citations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

from chancery.domain.actions import Action
from chancery.domain.timeline import valid_time_order
from chancery.domain.tracked import INVITATION_EVENTS, PENDING_INVITATIONS, labelled
from chancery.projections.events import event_view
from chancery.projections.fields import state_values
from chancery.projections.knowledge import Version
from chancery.projections.models import ChannelState, EventView
from chancery.projections.ports import Readings
from pydantic import BaseModel, ConfigDict, Field


class FieldValue(BaseModel):
    """A field's value typed as `state --json` gives a fact: the value, its basis, the words."""

    value: int | str | list[str] | None = Field(
        description="The value (open invitations: their event ids); null when unknown"
    )
    basis: str | None = Field(description="reported, inferred or unknown; null for invitations")
    text: str = Field(description="The value in the words every view uses")


class FieldChange(BaseModel):
    channel: str
    field: str
    before: FieldValue
    after: FieldValue
    events: list[EventView] = Field(description="The events behind the change, with citations")


class StateDiff(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    axis: Literal["valid", "known"]
    as_of: date | None = Field(
        default=None, description="For the known axis: the valid-time date both states are of"
    )
    known_at: date | None = Field(
        default=None, description="For the valid axis: the date of knowledge of both states"
    )
    changes: list[FieldChange]


def _moves(field: str, action: Action) -> bool:
    """Whether this event can move the field (its declaration says which types can; the
    status may be moved by any, since an action implies activity)."""
    if field == PENDING_INVITATIONS:
        return action.type in INVITATION_EVENTS
    tracked = labelled(field)
    return tracked is None or tracked.moved_by is None or action.type in tracked.moved_by


def _behind(field: str, actions: list[Action], after: ChannelState) -> list[Action]:
    chosen = [a for a in actions if _moves(field, a)]
    tracked = labelled(field)
    fact = after.facts.get(tracked.name) if tracked else None
    if tracked and fact and fact.event and tracked.moved_by is None:
        pinned = [a for a in actions if a.id == fact.event]
        return pinned or chosen
    return chosen or actions


def _compare(
    read: Readings,
    before: list[ChannelState],
    after: list[ChannelState],
    in_window: Callable[[Version], bool],
    known_at: date | None,
) -> list[FieldChange]:
    """The fields that differ, each with the events behind it. Only the channels that changed
    are read further (their own timelines), so a diff never reads the whole ledger."""
    changes = []
    for old, new in zip(before, after, strict=True):
        old_fields = state_values(old.model_dump(mode="json"))
        new_fields = state_values(new.model_dump(mode="json"))
        changed = [name for name, value in new_fields.items() if old_fields.get(name) != value]
        if not changed:
            continue
        readings, recorded = read.channel_versions(new.id)
        sources = read.sources({c.source for v in readings for c in v.action.all_citations()})
        shown = [v for v in readings if v.known_at(known_at) and in_window(v)]
        window = valid_time_order(v.action for v in shown)
        for name in changed:
            actions = _behind(name, window, new)
            changes.append(
                FieldChange(
                    channel=new.id,
                    field=name,
                    before=FieldValue.model_validate(old_fields[name]),
                    after=FieldValue.model_validate(new_fields[name]),
                    events=[event_view(a, sources, recorded.get(a.id)) for a in actions],
                )
            )
    return changes


def valid_diff(
    read: Readings,
    start: date,
    end: date,
    known_at: date | None = None,
    channel: str | None = None,
) -> StateDiff:
    """What changed in the world between `start` and `end` (events taking effect in between)."""

    def in_window(version: Version) -> bool:
        effect = version.action.takes_effect
        return start < effect.latest and effect.earliest <= end

    before = read.state(start, known_at, channel).channels
    after = read.state(end, known_at, channel).channels
    return StateDiff.model_validate(
        {
            "from": start,
            "to": end,
            "axis": "valid",
            "known_at": known_at,
            "changes": _compare(read, before, after, in_window, known_at),
        }
    )


def known_diff(
    read: Readings,
    first: date,
    second: date,
    as_of: date,
    channel: str | None = None,
) -> StateDiff:
    """What was learned between two dates of knowledge about the state on `as_of`: the
    events whose reading known at `second` was not yet the reading known at `first` (newly
    reported, corroborated, corrected, refined or disputed in between)."""

    def in_window(version: Version) -> bool:
        return not version.known_at(first)

    before = read.state(as_of, first, channel).channels
    after = read.state(as_of, second, channel).channels
    return StateDiff.model_validate(
        {
            "from": first,
            "to": second,
            "axis": "known",
            "as_of": as_of,
            "changes": _compare(read, before, after, in_window, second),
        }
    )
