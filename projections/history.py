"""A channel's history: every change its events made, in valid-time order."""

from __future__ import annotations

from datetime import date

from chancery.domain.facts import ChannelFacts, Fact
from chancery.domain.timeline import fold
from chancery.domain.tracked import (
    PENDING_INVITATIONS,
    TrackedFact,
    invitation_words,
    named,
    tracked_on,
)
from chancery.projections.events import event_view
from chancery.projections.knowledge import known_actions
from chancery.projections.models import Change, ChannelHistory, HistoryStep
from chancery.projections.readmodel import ReadModel


def _snapshot(facts: ChannelFacts, tracked: tuple[TrackedFact, ...]) -> dict[str, str]:
    shown = {t.label: t.say(facts[t.name]) for t in tracked}
    shown[PENDING_INVITATIONS] = invitation_words(
        (i.event_id, i.response.value) for i in facts.invitations.values()
    )
    return shown


def _unknown_anew(tracked: TrackedFact, before: dict[str, Fact], facts: ChannelFacts) -> bool:
    """A value changed again to one no source gives (a second cut of unreported size) is a
    change, though it reads the same as the unknown value before it."""
    now = facts[tracked.name]
    return now.value is None and now.event is not None and before.get(tracked.name) != now


def channel_history(read: ReadModel, slug: str, known_at: date | None = None) -> ChannelHistory:
    """Reads one channel's timeline, not the ledger."""
    channel = read.channel(slug)
    readings, recorded = read.channel_versions(slug)
    sources = read.sources({c.source for v in readings for c in v.action.all_citations()})
    tracked = tracked_on(channel.kind)
    before = _snapshot(ChannelFacts(), tracked)
    values: dict[str, Fact] = {}
    steps = []
    for action, facts in fold(channel, known_actions(readings, known_at), checked=False):
        for name, prior in action.prior_facts().items():
            # What the report says held before it stands in for a value no source gave.
            fact = named(name)
            if fact in tracked and values.get(name, Fact()).value is None:
                before[fact.label] = fact.say(prior)
        after = _snapshot(facts, tracked)
        renewed = {t.label for t in tracked if _unknown_anew(t, values, facts)}
        changes = [
            Change(field=name, before=before[name], after=value)
            for name, value in after.items()
            if before[name] != value or name in renewed
        ]
        steps.append(
            HistoryStep(
                event=event_view(action, sources, recorded.get(action.id)),
                certainty="certain" if action.takes_effect.is_exact else "possible",
                changes=changes,
            )
        )
        before, values = after, dict(facts.values)
    known = {step.event.id for step in steps}
    unknown = {v.action.id for v in readings if v.known_to is None} - known
    return ChannelHistory(
        channel=slug, name=channel.name, known_at=known_at, steps=steps, not_yet_known=len(unknown)
    )
