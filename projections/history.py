"""A channel's history: every change its events made, in valid-time order."""

from __future__ import annotations

from datetime import date

from chancery.domain.actions import Action
from chancery.domain.facts import Basis, ChannelFacts, Fact
from chancery.domain.timeline import fold, valid_time_order
from chancery.domain.tracked import (
    PENDING_INVITATIONS,
    TrackedFact,
    invitation_words,
    tracked_on,
)
from chancery.projections.events import event_certainty, event_view
from chancery.projections.knowledge import known_actions
from chancery.projections.models import Change, ChannelHistory, HistoryStep
from chancery.projections.ports import Readings

Upcoming = dict[str, Fact | None]
"""For each tracked fact, what the next event that moves it says held just before it."""


def _upcoming(ordered: list[Action], tracked: tuple[TrackedFact, ...]) -> list[Upcoming]:
    """For each point in the timeline (before the first event, after each), what the next
    event moving each fact reports held before it (a cut "from 20"), or None when it says
    nothing: the value `state` infers for a fact no source gave (principle 5)."""
    movable = [t for t in tracked if t.moved_by is not None]
    found: list[Upcoming] = [{}]
    for action in reversed(ordered):
        ahead = dict(found[-1])
        for t in movable:
            if t.moved_by is not None and action.type in t.moved_by:
                ahead[t.name] = action.prior_facts().get(t.name)
        found.append(ahead)
    return found[::-1]


def _shown(facts: ChannelFacts, name: str, upcoming: Upcoming) -> Fact:
    """The fact as `state` shows it: a value no source gave, inferred from the next report
    of what held before it, where that report gives one."""
    fact, implied = facts[name], upcoming.get(name)
    return implied if fact.basis is Basis.UNKNOWN and implied is not None else fact


def _snapshot(
    facts: ChannelFacts, tracked: tuple[TrackedFact, ...], upcoming: Upcoming
) -> dict[str, str]:
    shown = {t.label: t.say(_shown(facts, t.name, upcoming)) for t in tracked}
    shown[PENDING_INVITATIONS] = invitation_words(
        (i.event_id, i.response.value) for i in facts.invitations.values()
    )
    return shown


def _unknown_anew(tracked: TrackedFact, before: dict[str, Fact], facts: ChannelFacts) -> bool:
    """A value changed again to one no source gives (a second cut of unreported size) is a
    change, though it reads the same as the unknown value before it."""
    now = facts[tracked.name]
    return now.value is None and now.event is not None and before.get(tracked.name) != now


def channel_history(read: Readings, slug: str, known_at: date | None = None) -> ChannelHistory:
    """Reads one channel's timeline, not the ledger."""
    return history_head(read, slug, known_at, None)[0]


def history_head(
    read: Readings, slug: str, known_at: date | None, steps_at_most: int | None
) -> tuple[ChannelHistory, int]:
    """The channel's history with only its first `steps_at_most` steps built (all of them
    for None), and how many steps follow those: what a report shows of each channel, without
    the views of the rest (a channel of 20,000 events made some 230 MiB of them)."""
    channel = read.channel(slug)
    readings, recorded = read.channel_versions(slug)
    tracked = tracked_on(channel.kind)
    ordered = valid_time_order(known_actions(readings, known_at))
    built = ordered if steps_at_most is None else ordered[:steps_at_most]
    sources = read.sources({c.source for action in built for c in action.all_citations()})
    upcoming = _upcoming(ordered, tracked)
    before = _snapshot(ChannelFacts(), tracked, upcoming[0])
    values: dict[str, Fact] = {}
    steps = []
    for position, (action, facts) in enumerate(fold(channel, built, checked=False), 1):
        after = _snapshot(facts, tracked, upcoming[position])
        renewed = {t.label for t in tracked if _unknown_anew(t, values, facts)}
        changes = [
            Change(field=name, before=before[name], after=value)
            for name, value in after.items()
            if before[name] != value or name in renewed
        ]
        steps.append(
            HistoryStep(
                event=event_view(action, sources, recorded.get(action.id)),
                certainty=event_certainty(action),
                changes=changes,
            )
        )
        before, values = after, dict(facts.values)
    known = {action.id for action in ordered}
    unknown = {v.action.id for v in readings if v.known_to is None} - known
    history = ChannelHistory(
        channel=slug, name=channel.name, known_at=known_at, steps=steps, not_yet_known=len(unknown)
    )
    return history, len(ordered) - len(steps)
