"""A channel's state as bitemporal rows: each row holds one state over a valid-time interval
[valid_from, valid_to) as known over a known-time interval [known_from, known_to).

With these rows, "state as of D, known at K" is one indexed lookup instead of a fold. Dates
are stored as proleptic ordinals (`date.toordinal()`), with 0 and INF as the open ends.

The rows of a channel are built by walking its known-time slices in order. A slice that only
adds events later in valid time than everything already known (the usual case: news arrives
in order) continues the previous fold; anything else folds again. Either way only the valid
time from the earliest changed event on is rendered again: a state on a date depends only on
the events that had happened by that date (the one exception, a cap inferred from the next
change's `from`, is applied at query time from the `cap_change` column).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from chancery.domain.actions import Action, InvitationExtended, StaffCapChanged
from chancery.domain.facts import ChannelFacts
from chancery.domain.parties import Channel
from chancery.domain.timeline import valid_time_order
from chancery.projections.knowledge import Version
from chancery.projections.rows import BEGINNING, INF, StateRow
from chancery.projections.state import dispute_json, render


def _ordinal(day: date) -> int:
    return day.toordinal()


def _day(ordinal: int) -> date:
    return date.fromordinal(ordinal)


class _Fold:
    """The fold of one known-time slice, kept so that the next slice can continue it."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.reset()

    def reset(self) -> None:
        self.facts = ChannelFacts()
        self.applied: list[Action] = []
        self.spanning: list[Action] = []
        """Applied events whose date is an interval: they alone can be 'possible'."""
        self.disputes: list[dict[str, object]] = []

    def apply(self, action: Action) -> None:
        action.apply(self.facts)
        self.applied.append(action)
        if not action.takes_effect.is_exact or not action.date.is_exact:
            self.spanning.append(action)
        self.disputes.extend(dispute_json(action.id, d) for d in action.disputes)

    def rows_from(
        self, ordered: list[Action], by_id: dict[str, Action], start: int
    ) -> list[tuple[int, str, bool]]:
        """Render the states from `start` on, at every date where one can change."""
        applied = len(self.applied)
        if ordered[:applied] != self.applied or (
            self.applied and _ordinal(self.applied[-1].takes_effect.earliest) > start
        ):
            self.reset()
        position = len(self.applied)
        while position < len(ordered) and _ordinal(ordered[position].takes_effect.earliest) < start:
            self.apply(ordered[position])
            position += 1
        points = {start}
        for action in ordered[position:]:
            points.update(_bounds(action))
        for action in self.spanning:
            points.update(_bounds(action))
        rendered = []
        for point in sorted(p for p in points if p >= start):
            day = _day(point)
            while (
                position < len(ordered)
                and _ordinal(ordered[position].takes_effect.earliest) <= point
            ):
                self.apply(ordered[position])
                position += 1
            possible = {
                a.id for a in self.spanning if a.takes_effect.certainty_on(day) == "possible"
            }
            state, inferable = render(
                self.channel,
                self.facts,
                by_id,
                day,
                latest=self.applied[-1] if self.applied else None,
                possible=[a.id for a in self.spanning if a.id in possible],
                disputes=list(self.disputes),
            )
            rendered.append((point, json.dumps(state, ensure_ascii=False), inferable))
        return rendered


def _bounds(action: Action) -> tuple[int, ...]:
    """The dates on which this action can change a rendered state."""
    effect, said = action.takes_effect, action.date
    return (
        _ordinal(effect.earliest),
        _ordinal(effect.latest),
        *(
            (_ordinal(said.earliest), _ordinal(said.latest))
            if isinstance(action, InvitationExtended)
            else ()
        ),
    )


def _cap_changes(ordered: list[Action], start: int) -> dict[int, tuple[str, int | None]]:
    """For each date from `start` on where a staff-cap change starts, the first such change."""
    first = len(ordered)
    while first > 0 and _ordinal(ordered[first - 1].takes_effect.earliest) >= start:
        first -= 1
    found: dict[int, tuple[str, int | None]] = {}
    for action in ordered[first:]:
        if isinstance(action, StaffCapChanged):
            found.setdefault(_ordinal(action.takes_effect.earliest), (action.id, action.from_cap))
    return found


def state_rows(channel: Channel, versions: Iterable[Version]) -> list[StateRow]:
    """Every bitemporal row of the channel's state, oldest knowledge first."""
    starting: dict[int, list[Version]] = defaultdict(list)
    ending: dict[int, list[Version]] = defaultdict(list)
    for version in versions:
        starting[_ordinal(version.known_from)].append(version)
        if version.known_to is not None:
            ending[_ordinal(version.known_to)].append(version)
    fold = _Fold(channel)
    empty, inferable = render(
        channel, ChannelFacts(), {}, date.min, latest=None, possible=[], disputes=[]
    )
    partition = [StateRow(BEGINNING, INF, BEGINNING, INF, json.dumps(empty), inferable, None, None)]
    closed: list[StateRow] = []
    now: dict[str, Action] = {}
    ordered: list[Action] = []
    for known in sorted(starting.keys() | ending.keys()):
        removed = [v.action for v in ending.get(known, []) if now.get(v.action.id) is v.action]
        for action in removed:
            del now[action.id]
        added = [v.action for v in starting.get(known, [])]
        replaced = [now[a.id] for a in added if a.id in now]
        now.update((a.id, a) for a in added)
        changed = removed + replaced + added
        if not changed:
            continue
        added_order = valid_time_order(added)
        if removed or replaced or (ordered and _after(ordered[-1], added_order[0])):
            ordered = valid_time_order(now.values())
        else:
            ordered.extend(added_order)
        start = max(1, min(_ordinal(a.takes_effect.earliest) for a in changed))
        rendered = fold.rows_from(ordered, now, start)
        partition, ended = _advance(partition, rendered, start, known, _cap_changes(ordered, start))
        closed.extend(ended)
    return closed + partition


def _after(last: Action, first_new: Action) -> bool:
    """Whether an already-known action sorts after a newly known one in valid time."""
    key = valid_time_order([last, first_new])
    return key[0] is first_new


def _advance(
    partition: list[StateRow],
    rendered: list[tuple[int, str, bool]],
    start: int,
    known: int,
    caps: dict[int, tuple[str, int | None]],
) -> tuple[list[StateRow], list[StateRow]]:
    """The valid-time partition once states from `start` on are `rendered`, known from `known`;
    and the rows this knowledge closes."""
    cut = len(partition)
    while cut > 0 and partition[cut - 1].valid_to >= start:
        cut -= 1
    cut = min(cut, len(partition) - 1)
    head, old_tail = partition[:cut], partition[cut:]
    tail: list[StateRow] = []
    first = old_tail[0]
    if first.valid_from < start:
        tail.append(_row(first.valid_from, start, first.state, first.inferable, first.cap))
    for index, (point, state, inferable) in enumerate(rendered):
        end = rendered[index + 1][0] if index + 1 < len(rendered) else INF
        tail.append(_row(point, end, state, inferable, caps.get(point, (None, None))))
    by_key = {row.key: row for row in old_tail}
    kept = []
    for row in _coalesce(tail):
        old = by_key.pop(row.key, None)
        kept.append(old if old is not None else _since(row, known))
    return head + kept, [_until(row, known) for row in by_key.values()]


def _row(
    valid_from: int, valid_to: int, state: str, inferable: bool, cap: tuple[str | None, int | None]
) -> StateRow:
    return StateRow(valid_from, valid_to, BEGINNING, INF, state, inferable, cap[0], cap[1])


def _coalesce(rows: list[StateRow]) -> list[StateRow]:
    merged: list[StateRow] = []
    for row in rows:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.valid_to == row.valid_from
            and last.state == row.state
            and last.inferable == row.inferable
            and row.cap_event is None
        ):
            merged[-1] = StateRow(
                last.valid_from,
                row.valid_to,
                min(last.known_from, row.known_from),
                INF,
                last.state,
                last.inferable,
                last.cap_event,
                last.cap_from,
            )
        else:
            merged.append(row)
    return merged


def _since(row: StateRow, known: int) -> StateRow:
    return StateRow(
        row.valid_from,
        row.valid_to,
        known,
        INF,
        row.state,
        row.inferable,
        row.cap_event,
        row.cap_from,
    )


def _until(row: StateRow, known: int) -> StateRow:
    return StateRow(
        row.valid_from,
        row.valid_to,
        row.known_from,
        known,
        row.state,
        row.inferable,
        row.cap_event,
        row.cap_from,
    )


def appended_rows(
    channel: Channel, versions: list[Version], added: list[Version], open_rows: list[StateRow]
) -> tuple[list[StateRow], list[StateRow]] | None:
    """The rows `state_rows` would change when `added` are the only new readings and all are
    known after everything before them: (rows this knowledge closes, the new open rows), from
    the channel's open rows (`known_to` INF) alone. None when that is not the case (a reading
    amended, known the same day as an earlier one, or no rows yet): fold the channel whole.

    This is the usual case of one more report (news arrives in order): the closed rows of
    earlier knowledge stay as they are, and only the valid time from the new events on is
    rendered again, as `state_rows` itself does for its last known-time slice.
    """
    if not added or not open_rows or any(v.known_to is not None for v in added):
        return None
    known = _ordinal(min(v.known_from for v in added))
    if any(_ordinal(v.known_from) != known for v in added):
        return None
    earlier = [v for v in versions if not any(v is a for a in added)]
    bounds = [_ordinal(v.known_from) for v in earlier]
    bounds += [_ordinal(v.known_to) for v in earlier if v.known_to is not None]
    if bounds and max(bounds) >= known:
        return None
    now = {v.action.id: v.action for v in versions if v.known_to is None}
    ordered = valid_time_order(now.values())
    start = max(1, min(_ordinal(v.action.takes_effect.earliest) for v in added))
    rendered = _Fold(channel).rows_from(ordered, now, start)
    partition = sorted(open_rows, key=lambda row: row.valid_from)
    partition, ended = _advance(partition, rendered, start, known, _cap_changes(ordered, start))
    return ended, partition
