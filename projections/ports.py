"""What the views read: the read model's questions, as a protocol.

The views (history, events, sources, disputes, why, diff, segments, series) are folds over
rows they are given; storage's `ReadModel` answers these questions from its tables, for SQLite
and PostgreSQL alike. Typing the views against this protocol keeps `projections/` free of storage
and SQL, and lets a test hand them any object that answers the same questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from chancery.domain.actions import Action
    from chancery.domain.aggregates import TimelineEntry
    from chancery.domain.parties import Channel
    from chancery.domain.progress import Progress
    from chancery.domain.sources import Source
    from chancery.projections.knowledge import Version
    from chancery.projections.models import ChannelState, StateReport
    from chancery.projections.rows import CapChange, StateRow

PageKey = tuple[int, int, str]
"""Where a page of readings ended: the sort key the next page starts after."""


@dataclass(frozen=True)
class EventMatch:
    """Which events a listing keeps, beyond its channel and dates: any of these action
    `types`, this `actor`, this `party` (as actor or target) and a citation of this `source`
    (None: any). A read model turns each into a condition of its query."""

    types: frozenset[str] | None = None
    actor: str | None = None
    party: str | None = None
    source: str | None = None

    def keeps(self, action: Action) -> bool:
        """The same filter over a reading in memory."""
        return (
            (self.types is None or action.type in self.types)
            and (self.actor is None or action.actor == self.actor)
            and (self.party is None or self.party in (action.actor, action.target))
            and (
                self.source is None or any(c.source == self.source for c in action.all_citations())
            )
        )


class Readings(Protocol):
    """The questions the views ask of a read model (storage's `ReadModel` answers them)."""

    def catch_up(self, progress: Progress = ...) -> int:
        """Bring the read model up to the ledger's events; the number of events folded."""
        ...

    def channel(self, slug: str) -> Channel:
        """A declared channel."""
        ...

    def channel_versions(self, slug: str) -> tuple[list[Version], dict[str, datetime]]:
        """A channel's readings, each with what sources knew it, and when each was recorded."""
        ...

    def sources(self, ids: set[str] | None = None) -> dict[str, Source]:
        """Declared sources by id (all of them when `ids` is None)."""
        ...

    def sources_page(self, after: int, limit: int) -> list[tuple[int, Source, list[str]]]:
        """One page of sources with the events whose current reading cites each."""
        ...

    def state(
        self, as_of: date, known_at: date | None = None, channel: str | None = None
    ) -> StateReport:
        """Every channel's (or one channel's) state on `as_of`, as known at `known_at`."""
        ...

    def segments(
        self, slug: str, known_at: date | None = None
    ) -> Iterator[tuple[date | None, date | None, ChannelState]]:
        """A channel's state over time, as segments between the dates it can change."""
        ...

    def rows_between(
        self, slug: str, first: date, last: date, known_at: date | None = None
    ) -> tuple[list[StateRow], CapChange | None]:
        """A channel's state rows known at `known_at` that hold on some day from `first` to
        `last`, in valid-time order, their states not necessarily read (`row_states` reads
        them), and the first staff-cap change after `last`."""
        ...

    def row_states(self, slug: str, starts: list[int], known_at: date | None = None) -> list[str]:
        """The states of a channel's rows known at `known_at` that begin on these ordinals."""
        ...

    def versions_page(
        self,
        *,
        channel: str | None,
        start: date | None,
        end: date | None,
        known_at: date | None,
        after: PageKey | None,
        limit: int,
        match: EventMatch | None = None,
    ) -> list[tuple[Action, str, datetime | None, PageKey]]:
        """One page of event readings known at `known_at`, in valid-time order."""
        ...

    def channel_slugs(self) -> Iterable[str]:
        """The declared channels' slugs, in declaration order."""
        ...

    def declarations_after(
        self, section: str, after: int, limit: int
    ) -> list[tuple[int, dict[str, Any]]]:
        """One page of a section's declarations (parties, channels, sources) as recorded, each
        with its position; the next page starts after the last position."""
        ...

    def has_entries(self) -> bool:
        """Whether any event, correction or retraction is recorded."""
        ...

    def recorded_entries(self, slug: str) -> list[TimelineEntry]:
        """A channel's recorded entries, in recording order (corrections after what they
        correct)."""
        ...
