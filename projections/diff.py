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

from chancery.domain.actions import Action, StaffCapChanged
from chancery.domain.timeline import valid_time_order
from chancery.projections.events import event_view
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


def status_text(state: ChannelState) -> str:
    """The status in the common vocabulary: certainty only for a known status."""
    if state.status.value == "unknown":
        return "unknown"
    inferred = " (inferred)" if state.status_basis.value == "inferred" else ""
    return f"{state.status.value}{inferred}, {state.certainty}"


def cap_text(state: ChannelState) -> str:
    if state.staff_cap is None:
        return "unknown"
    return f"{state.staff_cap} ({state.staff_cap_basis.value if state.staff_cap_basis else ''})"


def state_fields(state: ChannelState) -> dict[str, str]:
    shown = {"status": status_text(state)}
    if state.staff_cap_basis is not None:
        shown["staff cap"] = cap_text(state)
        withdrawn = state.accreditations_withdrawn
        shown["accreditations withdrawn"] = "none counted" if withdrawn is None else str(withdrawn)
    shown["pending invitations"] = (
        ", ".join(f"{i.id} (response: {i.response})" for i in state.pending_invitations) or "none"
    )
    shown["last meeting"] = state.last_meeting.id if state.last_meeting else "none"
    return shown


_FIELD_EVENTS = {
    "staff cap": lambda a: isinstance(a, StaffCapChanged),
    "accreditations withdrawn": lambda a: a.type == "accreditation_withdrawn",
    "pending invitations": lambda a: a.type.startswith("invitation_") or a.type == "meeting_held",
    "last meeting": lambda a: a.type == "meeting_held",
}
"""Which events can move a field; status may be moved by any (an action implies activity)."""


def _behind(field: str, actions: list[Action], after: ChannelState) -> list[Action]:
    chosen = [a for a in actions if _FIELD_EVENTS.get(field, lambda _: True)(a)]
    if field == "status" and after.status_event:
        pinned = [a for a in actions if a.id == after.status_event]
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
        old_fields, new_fields = state_fields(old), state_fields(new)
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
