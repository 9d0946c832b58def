"""State of a channel as of a date, as known at a date (docs/design.md principles 2–6).

The fold itself is the domain's; this module renders the channel's facts on a date into the
`ChannelState` contract: how certain each value is on that date, and what a later report lets
us infer about a value no source gave. `render` is shared by the read model's incremental
builder (`bitemporal.py`) and by `channel_state`, the plain fold that `verify` and the tests
hold the read model to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum
from typing import Any

from chancery.domain.actions import Action, InvitationExtended, StaffCapChanged
from chancery.domain.facts import Basis, ChannelFacts, Fact, Status
from chancery.domain.parties import Channel
from chancery.domain.sources import Claim, Dispute
from chancery.domain.timeline import fold_all, valid_time_order
from chancery.domain.tracked import STAFF_CAP, TrackedFact, tracked_on
from chancery.projections.models import ChannelState
from chancery.projections.rows import CapChange, with_inference


def claim_json(claim: Claim) -> dict[str, Any]:
    return {
        "says": claim.says,
        "party": claim.party,
        "date": claim.date.edtf if claim.date else None,
        "sources": sorted({c.source for c in claim.citations}),
    }


def dispute_json(event_id: str, dispute: Dispute) -> dict[str, Any]:
    return {
        "event": event_id,
        "about": dispute.about,
        "claims": [claim_json(c) for c in dispute.claims],
    }


def _ref(action: Action | None) -> dict[str, str] | None:
    if action is None:
        return None
    return {"id": action.id, "type": action.type, "date": action.takes_effect.edtf}


def _pending(facts: ChannelFacts, by_id: Mapping[str, Action], as_of: date) -> list[dict[str, Any]]:
    pending = []
    for invitation in facts.invitations.values():
        extended = by_id[invitation.event_id]
        assert isinstance(extended, InvitationExtended)
        date_claims = [
            claim_json(claim)
            for dispute in extended.disputes
            if dispute.about == "date"
            for claim in dispute.claims
        ]
        reiterated = invitation.reiterated_by
        pending.append(
            {
                "id": extended.id,
                "date": extended.date.edtf,
                "disputed": bool(date_claims),
                "date_claims": date_claims,
                "inviter": extended.actor,
                "invitee": extended.target,
                "certainty": extended.date.certainty_on(as_of) or "possible",
                "response": invitation.response.value,
                "last_reiterated": by_id[reiterated[-1]].date.edtf if reiterated else None,
                "reiterated_by": list(reiterated),
                "unanswered_by": list(invitation.unanswered_by),
                "declined_by": list(invitation.declined_by),
            }
        )
    return pending


def _fact_view(
    tracked: TrackedFact,
    fact: Fact,
    by_id: Mapping[str, Action],
    as_of: date,
    possible: Iterable[str],
) -> dict[str, Any]:
    """A fact with its certainty on the date: 'possible' when the event it rests on, or any
    other event that moves it (a count rests on every withdrawal), may not have happened
    yet; 'announced' when the sources give only its announcement."""
    resting_on = by_id.get(fact.event) if fact.event else None
    moving = tracked.moved_by
    if fact.value is None:
        certainty = "unknown"
    elif (resting_on is not None and resting_on.takes_effect.certainty_on(as_of) != "certain") or (
        moving is not None and any(by_id[p].type in moving for p in possible)
    ):
        certainty = "possible"
    elif fact.basis is Basis.ANNOUNCED:
        certainty = "announced"
    else:
        certainty = "certain"
    value = fact.value.value if isinstance(fact.value, Enum) else fact.value
    return {
        "value": value,
        "basis": fact.basis.value,
        "event": fact.event,
        "certainty": certainty,
        "text": tracked.say(fact),
        "announced": fact.announced,
    }


def _certainty(facts: ChannelFacts, resting_on: set[str | None], possible: list[str]) -> str:
    """'possible' when the state rests on a change that may not have happened yet; else
    'unknown' when no source gives the status (certainty is said of a known value only);
    'announced' when the status rests on an announcement with no effective date; else
    'certain'."""
    if resting_on.intersection(possible):
        return "possible"
    if facts.status is Status.UNKNOWN:
        return "unknown"
    return "announced" if facts["status"].basis is Basis.ANNOUNCED else "certain"


def _last_reported(latest: Action | None) -> dict[str, Any]:
    """The date of the channel's latest evidence: the latest event on it (in valid-time
    order) that had happened by the date, as its sources date it; and the last day that date
    can mean, from which a view says how old the evidence is."""
    if latest is None:
        return {"last_reported": None, "last_reported_end": None}
    when = latest.takes_effect
    return {"last_reported": when.edtf, "last_reported_end": when.latest.isoformat()}


def _flat_keys(
    channel: Channel, facts: ChannelFacts, by_id: Mapping[str, Action]
) -> dict[str, Any]:
    """The tracked facts under the `state --json` keys promised since 0.1: kept as they were
    (a fact new since then is in `facts` only)."""
    status, cap = facts["status"], facts["staff_cap"]
    capped = STAFF_CAP.tracked_on(channel.kind)
    meeting = facts["last_meeting"].event
    status_action = by_id.get(status.event) if status.event else None
    return {
        "status": facts.status.value,
        "status_basis": status.basis.value,
        "since": status_action.takes_effect.edtf if status_action else None,
        "status_event": status.event,
        "staff_cap": cap.value if capped else None,
        "staff_cap_basis": cap.basis.value if capped else None,
        "staff_cap_event": cap.event if capped else None,
        "accreditations_withdrawn": facts["accreditations_withdrawn"].value if capped else None,
        "last_meeting": _ref(by_id.get(meeting) if meeting else None),
    }


def render(
    channel: Channel,
    facts: ChannelFacts,
    by_id: Mapping[str, Action],
    as_of: date,
    *,
    latest: Action | None,
    possible: list[str],
    disputes: list[dict[str, Any]],
) -> tuple[dict[str, Any], bool]:
    """The channel's state on `as_of` from the facts of the events that had happened by then,
    without inference; and whether a later cap change's `from` may stand in for its cap."""
    tracked = tracked_on(channel.kind)
    resting_on = {facts[t.name].event for t in tracked} | set(facts.invitations)
    cap = facts["staff_cap"]
    inferable = (
        STAFF_CAP.tracked_on(channel.kind)
        and cap.basis is Basis.UNKNOWN
        and (cap.event is None or by_id[cap.event].takes_effect.certainty_on(as_of) == "certain")
    )
    state = {
        "id": channel.slug,
        "name": channel.name,
        "kind": channel.kind.value,
        "parties": list(channel.parties),
        "facts": {t.name: _fact_view(t, facts[t.name], by_id, as_of, possible) for t in tracked},
        **_flat_keys(channel, facts, by_id),
        "certainty": _certainty(facts, resting_on, possible),
        "pending_invitations": _pending(facts, by_id, as_of),
        "latest_event": _ref(latest),
        **_last_reported(latest),
        "possible_changes": possible,
        "disputes": disputes,
    }
    return state, inferable


def cap_change(actions: Iterable[Action]) -> CapChange | None:
    """The first staff-cap change among these actions (in valid-time order)."""
    upcoming = next((a for a in actions if isinstance(a, StaffCapChanged)), None)
    return (upcoming.id, upcoming.from_cap) if upcoming is not None else None


def channel_state(channel: Channel, actions: Iterable[Action], as_of: date) -> ChannelState:
    """The state by a plain fold of the known actions: the reference the read model must equal."""
    ordered = valid_time_order(actions)
    happened = [a for a in ordered if a.takes_effect.earliest <= as_of]
    later = [a for a in ordered if a.takes_effect.earliest > as_of]
    by_id = {a.id: a for a in ordered}
    facts = fold_all(channel, happened, checked=False)
    state, inferable = render(
        channel,
        facts,
        by_id,
        as_of,
        latest=happened[-1] if happened else None,
        possible=[a.id for a in happened if a.takes_effect.certainty_on(as_of) == "possible"],
        disputes=[dispute_json(a.id, d) for a in happened for d in a.disputes],
    )
    return with_inference(state, inferable, cap_change(later))
