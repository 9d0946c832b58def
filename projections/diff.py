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
from chancery.projections.fields import state_fields
from chancery.projections.knowledge import first_reported, known_actions
from chancery.projections.models import ChannelState, EventView
from chancery.projections.readmodel import ReadModel
from pydantic import BaseModel, ConfigDict, Field


class FieldChange(BaseModel):
    channel: str
    field: str
    before: str
    after: str
    events: list[EventView] = Field(description="The events behind the change, with citations")


class StateDiff(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    axis: Literal["valid", "known"]
    as_of: date | None = Field(
        default=None, description="For the known axis: the valid-time date both states are of"
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
    read: ReadModel,
    before: list[ChannelState],
    after: list[ChannelState],
    in_window: Callable[[Action, date | None], bool],
    known_at: date | None,
) -> list[FieldChange]:
    """The fields that differ, each with the events behind it. Only the channels that changed
    are read further (their own timelines), so a diff never reads the whole ledger."""
    changes = []
    for old, new in zip(before, after, strict=True):
        old_fields = state_fields(old.model_dump(mode="json"))
        new_fields = state_fields(new.model_dump(mode="json"))
        changed = [name for name, value in new_fields.items() if old_fields.get(name) != value]
        if not changed:
            continue
        readings, recorded = read.channel_versions(new.id)
        sources = read.sources({c.source for v in readings for c in v.action.all_citations()})
        window = [
            a
            for a in valid_time_order(known_actions(readings, known_at))
            if in_window(a, first_reported(a.all_citations(), sources))
        ]
        for name in changed:
            actions = _behind(name, window, new)
            changes.append(
                FieldChange(
                    channel=new.id,
                    field=name,
                    before=old_fields.get(name, ""),
                    after=new_fields[name],
                    events=[event_view(a, sources, recorded.get(a.id)) for a in actions],
                )
            )
    return changes


def valid_diff(
    read: ReadModel,
    start: date,
    end: date,
    known_at: date | None = None,
    channel: str | None = None,
) -> StateDiff:
    """What changed in the world between `start` and `end` (events taking effect in between)."""

    def in_window(action: Action, _: date | None) -> bool:
        return start < action.takes_effect.latest and action.takes_effect.earliest <= end

    before = read.state(start, known_at, channel).channels
    after = read.state(end, known_at, channel).channels
    return StateDiff.model_validate(
        {
            "from": start,
            "to": end,
            "axis": "valid",
            "changes": _compare(read, before, after, in_window, known_at),
        }
    )


def known_diff(
    read: ReadModel,
    first: date,
    second: date,
    as_of: date,
    channel: str | None = None,
) -> StateDiff:
    """What was learned between two dates of knowledge about the state on `as_of`."""

    def in_window(_: Action, reported: date | None) -> bool:
        return reported is not None and first < reported <= second

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
