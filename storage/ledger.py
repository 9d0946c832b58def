"""The ledger: an eventsourcing Application, the store of every event an import records.

Events enter it only through an import (`importing/plan.py`), which writes in one database
transaction of bounded batches: all of an import or none of it. This module keeps what that
transaction relies on: the content digest that identifies a record, the retry loop for writers
that lose a race, and the reading of channel timelines and declarations.
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from chancery.domain.errors import ChanceryError, classify_database_error
from chancery.domain.identity import content_digest
from chancery.storage.codec import EntryMapper, corrupted_row
from chancery.storage.recorders import IndexRows, LedgerWriter
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    OperationalError,
    PersistenceError,
    ProgrammingError,
)
from eventsourcing.utils import get_topic
from pydantic import BaseModel

if TYPE_CHECKING:  # the models and aggregates load when an import or a catch-up needs them
    from chancery.domain.aggregates import ChannelTimeline, TimelineEntry
    from chancery.domain.parties import Channel, Party
    from chancery.domain.sources import Source

T = TypeVar("T")

MAX_ATTEMPTS = 20
"""Imports that lose an optimistic-concurrency race are re-validated and retried this often,
after a random pause that grows with each attempt so that racing writers fall out of step."""


def digest(record: BaseModel) -> str:
    """Content identity of a record: its normalised JSON, so short and long forms compare equal."""
    return content_digest(record.model_dump(mode="json"))


@dataclass
class ImportReport:
    added: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    attempts: int = 1

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


class Ledger(Application[UUID]):
    """Chancery's application: the only way events enter the ledger."""

    name = "chancery"

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=EntryMapper)

    def close(self) -> None:
        if getattr(self, "_closed", False):
            return  # eventsourcing closes again when the application is collected
        self._closed = True
        checkpoint = getattr(self.recorder, "checkpoint", None)
        if checkpoint is not None:
            with suppress(PersistenceError):  # a read-only ledger file has nothing to move
                checkpoint()
        super().close()

    @property
    def index(self) -> LedgerWriter:
        """The recorder, seen as the index it also keeps (and writes, with the events)."""
        assert isinstance(self.recorder, LedgerWriter)
        return self.recorder

    def is_empty(self) -> bool:
        return not self.recorder.max_notification_id()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._written: dict[str, ChannelTimeline] = {}
        """The timelines the last import wrote, until the catch-up takes them (`timeline`)."""
        super().__init__(*args, **kwargs)

    def load_timeline(self, slug: str) -> ChannelTimeline:
        """A channel's timeline aggregate, a new one for a channel with no entries yet."""
        from chancery.domain.aggregates import ChannelTimeline

        try:
            timeline = self.repository.get(
                ChannelTimeline.create_id(slug), projector_func=project_events
            )
        except AggregateNotFoundError:
            return ChannelTimeline(slug=slug)
        assert isinstance(timeline, ChannelTimeline)
        return timeline

    def hand_over(self, written: Iterable[ChannelTimeline]) -> None:
        """The timelines a write just committed, for the read model's catch-up to take
        (`timeline`) instead of reading and decoding them again."""
        self._written = {timeline.slug: timeline for timeline in written}

    def timeline(self, slug: str) -> list[TimelineEntry]:
        """A channel's entries in recording order (empty for a channel with none yet).

        A timeline this process's last import just wrote is handed over once, not read and
        decoded again (the read model's catch-up asks for each one right after the import);
        events another writer added since are read and applied on top, so the answer is always
        the store's.
        """
        timeline = self._written.pop(slug, None)
        if timeline is None:
            return self.load_timeline(slug).entries
        newer = self.recorder.select_events(timeline.id, gt=timeline.version)
        if newer:
            timeline = project_events(timeline, map(self.mapper.to_domain_event, newer))
        return timeline.entries

    def parties(self) -> dict[str, Party]:
        from chancery.domain.parties import Party

        return {r["slug"]: Party.model_validate(r) for r in self.index.declarations("parties")}

    def channels(self) -> dict[str, Channel]:
        from chancery.domain.parties import Channel

        return {r["slug"]: Channel.model_validate(r) for r in self.index.declarations("channels")}

    def sources(self) -> dict[str, Source]:
        from chancery.domain.sources import Source

        return {r["id"]: Source.model_validate(r) for r in self.index.declarations("sources")}

    def upgrade_index(self) -> None:
        """Build the index of a ledger written by release 0.1.0 (which kept it in a catalog
        aggregate), once, from the events themselves."""
        from chancery.domain.aggregates import LEGACY_DECLARATIONS, Catalog

        if self.is_empty():
            return
        try:
            if self.index.has_entries() or self.index.keys("parties"):
                return
        except (ProgrammingError, OperationalError):  # the index tables are not there yet
            self.index.create_table()
        rows = IndexRows()
        last = 0
        while notifications := self.recorder.select_notifications(
            start=last, limit=1000, inclusive_of_start=False
        ):
            for notification in notifications:
                event = self.mapper.to_domain_event(notification)
                kind = LEGACY_DECLARATIONS.get(type(event))
                if kind is not None:
                    section, attribute, key_field = kind
                    record = getattr(event, attribute)
                    key = record[key_field]
                    content = _record_digest(section, record)
                    rows.declarations.append((section, key, content, json.dumps(record)))
                elif isinstance(event, Catalog.EntriesIndexed):
                    rows.entries.extend(
                        (i, channel, event.digests[i]) for i, channel in event.channels.items()
                    )
                last = notification.id
        with suppress(IntegrityError):  # another process upgraded it at the same moment
            self.index.insert_batches([([], rows)])


def with_retries(attempt: Callable[[int], T]) -> T:
    """The one retry loop of every import and dry run: run `attempt` (numbered from
    1) until it is not beaten by another writer. Only a real conflict (another writer recorded
    the same id, key or timeline version first) is retried, after a short random pause, from
    the ledger as it is now: nothing of the beaten attempt was written. A full disk or a lock
    held past its timeout is reported at once (errors.classify_database_error)."""
    for number in range(1, MAX_ATTEMPTS + 1):
        try:
            return attempt(number)
        except (IntegrityError, OperationalError) as exc:
            if (problem := classify_database_error(exc)) is not None:
                raise problem from None
            time.sleep(random.uniform(0, 0.02 * number))
    raise ChanceryError(
        f"gave up after {MAX_ATTEMPTS} attempts: other writers kept changing the ledger; "
        "nothing from this import was written, run it again"
    )


def project_events(aggregate: Any, events: Iterable[Any]) -> Any:
    """eventsourcing's `project_aggregate` without its runtime protocol assertion, which cost
    140 µs an event (typing's isinstance on a Protocol): the events here are all our own."""
    for domain_event in events:
        try:
            aggregate = domain_event.mutate(aggregate)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise corrupted_row(domain_event, exc, get_topic(type(domain_event))) from None
    return aggregate


def _record_digest(section: str, record: dict[str, Any]) -> str:
    from chancery.domain.parties import Channel, Party
    from chancery.domain.sources import Source

    models: dict[str, type[BaseModel]] = {"parties": Party, "channels": Channel, "sources": Source}
    return digest(models[section].model_validate(record))
