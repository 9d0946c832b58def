"""A channel's history: every change its events made, in valid-time order."""

from __future__ import annotations

from datetime import date

from chancery.domain.actions import StaffCapChanged
from chancery.domain.facts import Basis, ChannelFacts
from chancery.domain.timeline import fold
from chancery.projections.events import event_view
from chancery.projections.knowledge import known_actions
from chancery.projections.models import Change, ChannelHistory, HistoryStep
from chancery.projections.readmodel import ReadModel
from chancery.projections.state import CAPPED_KINDS


def _cap_text(cap: int | None, basis: Basis) -> str:
    if cap is None:
        return "unknown"
    return f"{cap} ({basis.value})" if basis is Basis.INFERRED else str(cap)


def _snapshot(facts: ChannelFacts, capped: bool) -> dict[str, str]:
    inferred = " (inferred)" if facts.status_basis is Basis.INFERRED else ""
    shown = {"status": facts.status.value + inferred}
    if capped:
        shown["staff cap"] = _cap_text(facts.staff_cap, facts.staff_cap_basis)
        withdrawn = facts.accreditations_withdrawn
        shown["accreditations withdrawn"] = "none reported" if withdrawn is None else str(withdrawn)
    invitations = facts.invitations.values()
    shown["pending invitations"] = (
        ", ".join(f"{i.event_id} (response: {i.response.value})" for i in invitations) or "none"
    )
    shown["last meeting"] = facts.last_meeting or "none"
    return shown


def channel_history(read: ReadModel, slug: str, known_at: date | None = None) -> ChannelHistory:
    """Reads one channel's timeline, not the ledger."""
    channel = read.channel(slug)
    readings, recorded = read.channel_versions(slug)
    sources = read.sources({c.source for v in readings for c in v.action.all_citations()})
    capped = channel.kind in CAPPED_KINDS
    before = _snapshot(ChannelFacts(), capped)
    steps = []
    for action, facts in fold(channel, known_actions(readings, known_at), checked=False):
        if (
            isinstance(action, StaffCapChanged)
            and action.from_cap is not None
            and before["staff cap"] == "unknown"
        ):
            before["staff cap"] = _cap_text(action.from_cap, Basis.INFERRED)
        after = _snapshot(facts, capped)
        changes = [
            Change(field=name, before=before[name], after=value)
            for name, value in after.items()
            if before[name] != value
        ]
        if isinstance(action, StaffCapChanged) and action.to_cap is None:
            changes.append(
                Change(
                    field="staff cap", before=before["staff cap"], after="unknown (not reported)"
                )
            )
        steps.append(
            HistoryStep(
                event=event_view(action, sources, recorded.get(action.id)),
                certainty="certain" if action.takes_effect.is_exact else "possible",
                changes=changes,
            )
        )
        before = after
    return ChannelHistory(channel=slug, name=channel.name, steps=steps)
