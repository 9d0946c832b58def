"""Why a channel is in the state it is: the cited events its state rests on."""

from __future__ import annotations

from datetime import date

from chancery.domain.ledger import LedgerContents
from chancery.projections.events import event_view
from chancery.projections.models import Why
from chancery.projections.state import channel_state, visible_actions


def explain(contents: LedgerContents, slug: str, as_of: date, known_at: date | None = None) -> Why:
    state = channel_state(contents, contents.channels[slug], as_of, known_at)
    wanted: list[str | None] = [state.status_event, state.staff_cap_event]
    for invitation in state.pending_invitations:
        wanted += [
            invitation.id,
            *invitation.reiterated_by,
            *invitation.unanswered_by,
            *invitation.declined_by,
        ]
    wanted.append(state.last_meeting.id if state.last_meeting else None)
    wanted += state.possible_changes
    ids = {event_id for event_id in wanted if event_id}
    events = [
        event_view(a, contents) for a in visible_actions(contents, slug, known_at) if a.id in ids
    ]
    return Why(channel=slug, as_of=as_of, known_at=known_at, state=state, events=events)
