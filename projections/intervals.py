"""A channel's state over time, as the intervals between the dates it can change.

The state projection answers one date at a time. Charts and the HTML report need every date:
the read model already holds each channel's state as valid-time rows (one per interval in
which nothing it depends on changes), so a channel's segments are its rows known at a date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from chancery.projections.models import ChannelState
from chancery.projections.ports import Readings
from pydantic import BaseModel, Field


class Segment(BaseModel):
    """A channel's state over [start, end): `start` None means from the beginning of time,
    `end` None means open-ended."""

    channel: str
    start: date | None
    end: date | None = Field(description="Exclusive; None when the state still holds")
    state: ChannelState


def channel_segments(read: Readings, slug: str, known_at: date | None = None) -> Iterator[Segment]:
    """The channel's state as consecutive segments, from its read-model rows known at
    `known_at`; adjacent equal states are merged. Given as they are read, so that a caller
    holding a few fields of each (a chart's bands, a report's rows) never holds every state."""
    current: Segment | None = None
    for start, end, state in read.segments(slug, known_at):
        if current is not None and current.state == state:
            current = current.model_copy(update={"end": end})
            continue
        if current is not None:
            yield current
        current = Segment(channel=slug, start=start, end=end, state=state)
    if current is not None:
        yield current


def state_on(segments: list[Segment], day: date) -> ChannelState | None:
    """The state a list of one channel's segments gives for `day` (for checks and reports)."""
    for segment in segments:
        if (segment.start is None or segment.start <= day) and (
            segment.end is None or day < segment.end
        ):
            return segment.state
    return None
