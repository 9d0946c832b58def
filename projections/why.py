"""Why a channel is in the state it is: the cited events its state rests on."""

from __future__ import annotations

from datetime import date

from chancery.domain.timeline import valid_time_order
from chancery.projections.events import event_view
from chancery.projections.knowledge import known_actions
from chancery.projections.models import Why
from chancery.projections.ports import Readings


def explain(read: Readings, slug: str, as_of: date, known_at: date | None = None) -> Why:
    """Reads the channel's state from the read model and its events from its own timeline."""
    (state,) = read.state(as_of, known_at, slug).channels
    wanted: list[str | None] = [fact.event for fact in state.facts.values()]
    for invitation in state.pending_invitations:
        wanted += [
            invitation.id,
            *invitation.reiterated_by,
            *invitation.unanswered_by,
            *invitation.declined_by,
        ]
    wanted += state.possible_changes
    ids = {event_id for event_id in wanted if event_id}
    readings, recorded = read.channel_versions(slug)
    chosen = [a for a in valid_time_order(known_actions(readings, known_at)) if a.id in ids]
    sources = read.sources({c.source for a in chosen for c in a.all_citations()})
    events = [event_view(a, sources, recorded.get(a.id)) for a in chosen]
    return Why(channel=slug, as_of=as_of, known_at=known_at, state=state, events=events)
