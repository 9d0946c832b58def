"""A channel's state over time, as the intervals between the dates it can change.

The state projection answers one date at a time. Charts and the HTML report need every date,
so this module finds the breakpoints (each event's earliest and latest date, where a change
becomes possible and then certain) and evaluates `channel_state` once per breakpoint: between
two breakpoints nothing the state depends on can change, so one evaluation stands for the
whole interval.
"""

from __future__ import annotations

from datetime import date

from chancery.domain.ledger import LedgerContents
from chancery.projections.models import ChannelState
from chancery.projections.state import channel_state, visible_actions
from pydantic import BaseModel, Field


class Segment(BaseModel):
    """A channel's state over [start, end): `start` None means from the beginning of time,
    `end` None means open-ended."""

    channel: str
    start: date | None
    end: date | None = Field(description="Exclusive; None when the state still holds")
    state: ChannelState


def breakpoints(contents: LedgerContents, slug: str, known_at: date | None = None) -> list[date]:
    """Every date on which the channel's projected state may differ from the day before."""
    days: set[date] = set()
    for action in visible_actions(contents, slug, known_at):
        for uncertain in (action.date, action.takes_effect):
            days.update((uncertain.earliest, uncertain.latest))
    return sorted(days)


def _same(a: ChannelState, b: ChannelState) -> bool:
    return a.model_dump() == b.model_dump()


def channel_segments(
    contents: LedgerContents, slug: str, known_at: date | None = None
) -> list[Segment]:
    """The channel's state as consecutive segments; adjacent equal states are merged."""
    channel = contents.channels[slug]
    days = breakpoints(contents, slug, known_at)
    starts: list[date | None] = [None, *days]
    segments: list[Segment] = []
    for index, start in enumerate(starts):
        if start is not None:
            day = start
        else:  # before the first breakpoint: any earlier day answers for all of them
            day = date.fromordinal(days[0].toordinal() - 1) if days else date.today()
        state = channel_state(contents, channel, day, known_at)
        end = days[index] if index < len(days) else None
        if segments and _same(segments[-1].state, state):
            segments[-1] = segments[-1].model_copy(update={"end": end})
        else:
            segments.append(Segment(channel=slug, start=start, end=end, state=state))
    return segments


def all_segments(contents: LedgerContents, known_at: date | None = None) -> list[Segment]:
    """Every channel's segments, channels in declaration order."""
    return [s for slug in contents.channels for s in channel_segments(contents, slug, known_at)]


def state_on(segments: list[Segment], day: date) -> ChannelState | None:
    """The state a list of one channel's segments gives for `day` (for checks and reports)."""
    for segment in segments:
        if (segment.start is None or segment.start <= day) and (
            segment.end is None or day < segment.end
        ):
            return segment.state
    return None
