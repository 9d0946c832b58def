"""A channel's timeline: its entries resolved (corrections applied) and folded in valid time.

Invariants are checked by folding the whole timeline again on every write, in valid-time order,
whatever order the events were recorded in (principles 7 and 8).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from chancery.domain.actions import Action, Amendment, Correction, Refinement, too_early
from chancery.domain.errors import InvariantViolation
from chancery.domain.facts import ChannelFacts
from chancery.domain.parties import Channel
from chancery.domain.sources import Source

Entry = Action | Amendment


@dataclass(frozen=True)
class Amended:
    """One step of the amendment fold: the event `event_id` read `before` and reads `after`
    (None: retracted). `amendment` is None for the event as first recorded (`before` None)."""

    event_id: str
    amendment: Amendment | None
    before: Action | None
    after: Action | None


def amended(entries: Iterable[Action | Amendment], *, strict: bool = True) -> Iterator[Amended]:
    """The one fold of amendments that every reading of a timeline uses (the write side's
    `resolve` and the known-time `versions`), so a correction, retraction, corroboration,
    refinement or dispute means the same everywhere: first each event as recorded, then each
    amendment applied in the order it was recorded (a later correction of the same event wins,
    whatever its id).

    `strict` raises InvariantViolation for an amendment naming an event that is not there (the
    write side refuses it); otherwise such an amendment is skipped (a view shows what is there,
    and a view limited in known time may lack the event). An amendment that its type does not
    allow (a refinement that disagrees, say) raises either way.
    """
    actions: dict[str, Action] = {}
    amendments: list[Amendment] = []
    for entry in entries:
        if isinstance(entry, Amendment):
            amendments.append(entry)
        else:
            actions[entry.id] = entry
    for action in actions.values():
        yield Amended(action.id, None, None, action)
    for amendment in amendments:
        target = amendment.target
        before = actions.get(target)
        if before is None:
            if strict:
                raise InvariantViolation(
                    "amends-existing-event",
                    amendment.id,
                    f"there is no event '{target}' on channel '{amendment.channel}' to amend",
                )
            continue
        after = amendment.amend(before)
        if after is None:
            del actions[target]
        else:
            actions[target] = after
        yield Amended(target, amendment, before, after)


def resolve(entries: Iterable[Action | Amendment]) -> list[Action]:
    """The actions as they now read: the end of the amendment fold (`amended`).

    Raises InvariantViolation when an amendment names an event that is not there, or amends it
    in a way its type does not allow.
    """
    actions: dict[str, Action] = {}
    for step in amended(entries):
        if step.after is None:
            del actions[step.event_id]
        else:
            actions[step.event_id] = step.after
    return list(actions.values())


class SecondReport(InvariantViolation):
    """A new entry that reads as an action already recorded (or already in the same import)
    reported again; `other` is that action's id."""

    def __init__(self, event_id: str, other: str, detail: str) -> None:
        self.other = other
        super().__init__(REPORTED_ONCE, event_id, detail)


REPORTED_ONCE = "reported-once"


def check_reported_once(actions: Iterable[Action], new: Mapping[str, int]) -> None:
    """Refuse a new action that resembles another on its channel (`Action.resembles`): one
    action reported twice would count twice. `new` gives the new actions' ids in
    the order the import holds them; the others are recorded. A pair is let through when its
    newer entry says `distinct` (in one import, either of the two).

    Same-type actions are swept in order of their earliest day, each compared only with those
    whose interval is still open: linear in the actions for dated reports, quadratic only in
    a pile of one type's undated reports that all overlap.
    """
    ordered = sorted(actions, key=_by_type_and_earliest)
    open_: list[tuple[date, int, Action]] = []  # (latest day, position, action)
    for position, action in enumerate(ordered):
        if open_ and open_[0][2].type != action.type:
            open_.clear()
        while open_ and open_[0][0] < action.date.earliest:
            heapq.heappop(open_)
        for _, _, other in open_:
            if action.id in new or other.id in new:
                _refuse_second_report(action, other, new)
        heapq.heappush(open_, (action.date.latest, position, action))


def _by_type_and_earliest(action: Action) -> tuple[str, date, date, str]:
    return (action.type, action.date.earliest, action.date.latest, action.id)


def _refuse_second_report(one: Action, two: Action, new: Mapping[str, int]) -> None:
    """Raise SecondReport if the pair reads as one action and its newer entry (the later in
    the import, when both are new) does not say `distinct`."""
    if one.id in new and (two.id not in new or new[two.id] < new[one.id]):
        later, earlier = one, two
    else:
        later, earlier = two, one
    exempt = later.distinct or (earlier.id in new and earlier.distinct)
    if exempt or not later.resembles(earlier):
        return
    added = later.adds_to(earlier)
    recorded = "in this import" if earlier.id in new else "already recorded"
    if added:
        fits = (
            f"record it as a 'refinement' of '{earlier.id}' (refines: {earlier.id}): it adds "
            f"{', '.join(added)}"
        )
    else:
        fits = (
            f"record it as a 'corroboration' of '{earlier.id}' (corroborates: {earlier.id}): "
            "it adds only its citations"
        )
    raise SecondReport(
        later.id,
        earlier.id,
        f"it reads as '{earlier.id}' ({recorded}) reported again: both report {later.type} on "
        f"'{later.channel}', dated {later.date} and {earlier.date}, with no number that "
        f"differs. If it is the same action, {fits}. If it is another action, say so with "
        "'distinct: true' and a 'distinct_reason'",
    )


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


def check_timeline(
    channel: Channel,
    entries: list[Entry],
    new: list[Entry],
    source: Callable[[str], Source | None],
) -> None:
    """The rules a channel's timeline obeys whole once an import's `new` entries (the last of
    `entries`, in the import's order) are added, whichever import reads them, and whichever
    draft `extract` checks before writing it: no action reported twice
    (`check_reported_once`), no source cited for an event before it happened
    (`check_amended_sources`), then every rule of the fold in valid time (principle 7).
    Raises InvariantViolation naming the entry at fault."""
    actions = resolve(entries)
    check_reported_once(actions, {e.id: n for n, e in enumerate(new) if isinstance(e, Action)})
    check_amended_sources(actions, new, source)
    fold_all(channel, actions)


def check_amended_sources(
    actions: list[Action], new: list[Entry], source: Callable[[str], Source | None]
) -> None:
    """A corroboration or refinement adds citations, and a correction or refinement can move
    the date, to an event checked when it was recorded: check the event as it now reads, as
    `verify` does, so that an import cannot leave a ledger that `verify` refuses for good.
    The fault is the amendment that brought the citation, else the one that moved the date.
    A source `source` cannot name (a reader given no ledger's sources) is not checked."""
    amending: dict[str, list[Amendment]] = defaultdict(list)
    for entry in new:
        if isinstance(entry, Amendment):
            amending[entry.target].append(entry)
    for action in actions:
        for citation in action.citations if action.id in amending else ():
            cited = source(citation.source)
            problem = too_early(cited, action) if cited is not None else None
            if problem is None:
                continue
            brought = [a for a in amending[action.id] if citation in a.own_citations()]
            moved = [a for a in amending[action.id] if isinstance(a, Correction | Refinement)]
            if not brought and not moved:
                continue  # recorded before this rule: `verify` names it
            blamed = (brought or moved)[0]
            field = "citations" if brought else "date"
            raise InvariantViolation(
                "source-not-before-event", blamed.id, f"its {field}: {problem}"
            )
