"""State of every channel as of a date, as known at a date (DESIGN.md principles 2–6).

The fold itself is the domain's; this module decides which events take part (valid time on or
before as_of, first reported on or before known_at), how certain each value is on as_of, and
what a later report lets us infer about a value no source gave.
"""

from __future__ import annotations

from datetime import date

from chancery.domain.actions import Action, InvitationExtended, StaffCapChanged
from chancery.domain.facts import Basis, ChannelFacts
from chancery.domain.ledger import LedgerContents
from chancery.domain.parties import Channel, ChannelKind
from chancery.domain.timeline import fold_all, valid_time_order
from chancery.projections.events import claim_view, dispute_view, is_known
from chancery.projections.models import ChannelState, EventRef, PendingInvitation, StateReport

CAPPED_KINDS = frozenset({ChannelKind.MISSION, ChannelKind.OFFICE})


def visible_actions(contents: LedgerContents, channel: str, known_at: date | None) -> list[Action]:
    """The channel's actions as they read now, limited to what had been reported by known_at."""
    return valid_time_order(
        a for a in contents.actions(channel) if is_known(a, contents.sources, known_at)
    )


def _ref(action: Action | None) -> EventRef | None:
    if action is None:
        return None
    return EventRef(id=action.id, type=action.type, date=action.takes_effect.edtf)


def _infer_cap(
    facts: ChannelFacts, by_id: dict[str, Action], later: list[Action], as_of: date
) -> tuple[int | None, Basis, str | None]:
    """A cap no source gives for as_of, implied by the next change's 'from' (principle 5)."""
    cap, basis, event = facts.staff_cap, facts.staff_cap_basis, facts.staff_cap_event
    if basis is not Basis.UNKNOWN:
        return cap, basis, event
    if event is not None and by_id[event].takes_effect.certainty_on(as_of) != "certain":
        return cap, basis, event
    upcoming = next((a for a in later if isinstance(a, StaffCapChanged)), None)
    if upcoming is not None and upcoming.from_cap is not None:
        return upcoming.from_cap, Basis.INFERRED, upcoming.id
    return cap, basis, event


def _pending(facts: ChannelFacts, by_id: dict[str, Action], as_of: date) -> list[PendingInvitation]:
    pending = []
    for invitation in facts.invitations.values():
        extended = by_id[invitation.event_id]
        assert isinstance(extended, InvitationExtended)
        date_claims = [
            claim_view(claim)
            for dispute in extended.disputes
            if dispute.about == "date"
            for claim in dispute.claims
        ]
        reiterations = [by_id[i] for i in invitation.reiterated_by]
        pending.append(
            PendingInvitation(
                id=extended.id,
                date=extended.date.edtf,
                disputed=bool(date_claims),
                date_claims=date_claims,
                inviter=extended.actor,
                invitee=extended.target,
                certainty=extended.date.certainty_on(as_of) or "possible",
                response=invitation.response.value,
                last_reiterated=reiterations[-1].date.edtf if reiterations else None,
                reiterated_by=invitation.reiterated_by,
                unanswered_by=invitation.unanswered_by,
                declined_by=invitation.declined_by,
            )
        )
    return pending


def channel_state(
    contents: LedgerContents, channel: Channel, as_of: date, known_at: date | None
) -> ChannelState:
    actions = visible_actions(contents, channel.slug, known_at)
    happened = [a for a in actions if a.takes_effect.earliest <= as_of]
    later = [a for a in actions if a.takes_effect.earliest > as_of]
    by_id = {a.id: a for a in actions}
    facts = fold_all(channel, happened, checked=False)
    cap, cap_basis, cap_event = _infer_cap(facts, by_id, later, as_of)
    possible = [a.id for a in happened if a.takes_effect.certainty_on(as_of) == "possible"]
    resting_on = {facts.status_event, facts.staff_cap_event, *facts.invitations}
    status_action = by_id.get(facts.status_event) if facts.status_event else None
    capped = channel.kind in CAPPED_KINDS
    return ChannelState(
        id=channel.slug,
        name=channel.name,
        kind=channel.kind.value,
        parties=channel.parties,
        status=facts.status,
        status_basis=facts.status_basis,
        certainty="possible" if resting_on.intersection(possible) else "certain",
        since=status_action.takes_effect.edtf if status_action else None,
        status_event=facts.status_event,
        staff_cap=cap if capped else None,
        staff_cap_basis=cap_basis if capped else None,
        staff_cap_event=cap_event if capped else None,
        accreditations_withdrawn=facts.accreditations_withdrawn if capped else None,
        pending_invitations=_pending(facts, by_id, as_of),
        last_meeting=_ref(by_id.get(facts.last_meeting) if facts.last_meeting else None),
        latest_event=_ref(happened[-1] if happened else None),
        possible_changes=possible,
        disputes=[dispute_view(a.id, d) for a in happened for d in a.disputes],
    )


def state_as_of(
    contents: LedgerContents,
    as_of: date,
    known_at: date | None = None,
    channel: str | None = None,
) -> StateReport:
    """Every channel's state (or one channel's), in declaration order."""
    channels = [c for c in contents.channels.values() if channel is None or c.slug == channel]
    return StateReport(
        as_of=as_of,
        known_at=known_at,
        channels=[channel_state(contents, c, as_of, known_at) for c in channels],
    )
