"""A channel's timeline: its entries resolved (corrections applied) and folded in valid time.

Invariants are checked by folding the whole timeline again on every write, in valid-time order,
whatever order the events were recorded in (principles 7 and 8).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from chancery.domain.actions import Action, Amendment
from chancery.domain.errors import InvariantViolation
from chancery.domain.facts import ChannelFacts
from chancery.domain.parties import Channel


def resolve(entries: Iterable[Action | Amendment]) -> list[Action]:
    """The actions as they now read: corrections replace, retractions remove, corroborations,
    refinements and disputes add to them, in the order they were recorded (a later correction
    of the same event wins, whatever its id).

    Raises InvariantViolation when an amendment names an event that is not there, or amends it
    in a way its type does not allow (a refinement that disagrees, say).
    """
    actions: dict[str, Action] = {}
    amendments: list[Amendment] = []
    for entry in entries:
        if isinstance(entry, Amendment):
            amendments.append(entry)
        else:
            actions[entry.id] = entry
    for amendment in amendments:
        target = amendment.target
        if target not in actions:
            raise InvariantViolation(
                "amends-existing-event",
                amendment.id,
                f"there is no event '{target}' on channel '{amendment.channel}' to amend",
            )
        amended = amendment.amend(actions[target])
        if amended is None:
            del actions[target]
        else:
            actions[target] = amended
    return list(actions.values())


def valid_time_order(actions: Iterable[Action]) -> list[Action]:
    """Order by when each action took effect; the id breaks ties so replay is deterministic."""
    return sorted(actions, key=lambda a: (a.takes_effect.earliest, a.takes_effect.latest, a.id))


def fold(
    channel: Channel, actions: Iterable[Action], *, checked: bool = True
) -> Iterator[tuple[Action, ChannelFacts]]:
    """Yield each action with the channel's facts just after it.

    Writes fold `checked`, refusing the first broken rule. Projections fold unchecked: a view
    limited to what was known at some date may lack an event that a later one refers to.
    """
    ordered = valid_time_order(actions)
    by_id = {action.id: action for action in ordered}
    facts = ChannelFacts()
    for action in ordered:
        if checked and action.channel != channel.slug:
            raise InvariantViolation(
                "belongs-to-channel", action.id, f"is on '{action.channel}', not '{channel.slug}'"
            )
        if checked and channel.kind not in action.kinds:
            allowed = ", ".join(sorted(action.kinds))
            raise InvariantViolation(
                "fits-channel-kind",
                action.id,
                f"a {action.type} cannot happen on '{channel.slug}', a {channel.kind} "
                f"channel (it needs one of: {allowed})",
            )
        if checked:
            action.check(facts, by_id)
        action.apply(facts)
        facts.applied.append(action.id)
        yield action, facts


def fold_all(channel: Channel, actions: Iterable[Action], *, checked: bool = True) -> ChannelFacts:
    """The channel's facts after all the actions; checked, it raises the first broken rule."""
    facts = ChannelFacts()
    for _, after in fold(channel, actions, checked=checked):
        facts = after
    return facts
