"""The ledger: an eventsourcing Application that records import files atomically and idempotently.

An import is validated whole before anything is written, then written in one database
transaction (in batches of bounded size): all of an import or none of it. Identity is the
record's own id; content is compared by digest, so re-importing the same data adds nothing and
the same id with other content is refused (a correction must say so). An import of k events
reads only what it touches: the index rows of its own ids and keys, and the timelines of the
channels it adds to.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from uuid import UUID

from chancery.domain.actions import Action, Correction, Retraction
from chancery.domain.aggregates import (
    LEGACY_DECLARATIONS,
    Catalog,
    ChannelTimeline,
    Declaration,
    TimelineEntry,
    content_digest,
)
from chancery.domain.codec import EntryMapper, corrupted_row
from chancery.domain.dataset import LoadedFile
from chancery.domain.errors import (
    ChanceryError,
    ConflictingRecordError,
    InvalidRecordError,
    InvariantViolation,
    classify_database_error,
)
from chancery.domain.parties import Channel, Party
from chancery.domain.recorders import Batch, IndexRows, LedgerIndex
from chancery.domain.sources import Source
from chancery.domain.timeline import fold_all, resolve
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    OperationalError,
    PersistenceError,
    ProgrammingError,
)
from eventsourcing.utils import get_topic
from pydantic import BaseModel

_SECTIONS = {"party": "parties", "channel": "channels", "source": "sources"}
_MODELS: dict[str, type[BaseModel]] = {"parties": Party, "channels": Channel, "sources": Source}

MAX_ATTEMPTS = 20
"""Imports that lose an optimistic-concurrency race are re-validated and retried this often,
after a random pause that grows with each attempt so that racing writers fall out of step."""

BATCH_EVENTS = 2000
"""Stored events converted and written per batch of an import's transaction."""

Entry = Action | Correction | Retraction


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
    def index(self) -> LedgerIndex:
        assert isinstance(self.recorder, LedgerIndex)
        return self.recorder

    def is_empty(self) -> bool:
        return not self.recorder.max_notification_id()

    def load_timeline(self, slug: str) -> ChannelTimeline:
        """A channel's timeline aggregate, a new one for a channel with no entries yet."""
        try:
            timeline = self.repository.get(ChannelTimeline.create_id(slug), projector_func=_project)
        except AggregateNotFoundError:
            return ChannelTimeline(slug=slug)
        assert isinstance(timeline, ChannelTimeline)
        return timeline

    def timeline(self, slug: str) -> list[TimelineEntry]:
        """A channel's entries in recording order (empty for a channel with none yet)."""
        return self.load_timeline(slug).entries

    def parties(self) -> dict[str, Party]:
        return {r["slug"]: Party.model_validate(r) for r in self.index.declarations("parties")}

    def channels(self) -> dict[str, Channel]:
        return {r["slug"]: Channel.model_validate(r) for r in self.index.declarations("channels")}

    def sources(self) -> dict[str, Source]:
        return {r["id"]: Source.model_validate(r) for r in self.index.declarations("sources")}

    def import_files(self, files: list[LoadedFile]) -> ImportReport:
        """Record every file's content in one transaction, or nothing.

        Raises a ChanceryError naming the file and record at fault. A concurrent writer that
        saved first makes this import start again from the fresh ledger.
        """
        self.upgrade_index()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            plan = _ImportPlan(self)
            for loaded in files:
                plan.add(loaded)
            staged = plan.finish()
            plan.report.attempts = attempt
            if not staged:
                return plan.report
            try:
                self.index.insert_batches(self._batches(staged, plan.index_rows))
            except (IntegrityError, OperationalError) as exc:
                # Only a real conflict (another writer recorded the same id, key or timeline
                # version first) is retried: a full disk or a lock held past its timeout is
                # reported (errors.classify_database_error).
                if (problem := classify_database_error(exc)) is not None:
                    raise problem from None
                # Nothing of this attempt was written; start again from the ledger as it is now.
                time.sleep(random.uniform(0, 0.02 * attempt))
                continue
            return plan.report
        raise ChanceryError(
            f"gave up after {MAX_ATTEMPTS} attempts: other writers kept changing the ledger; "
            "nothing from this import was written, run it again"
        )

    def _batches(self, staged: list[Aggregate], index: IndexRows) -> Iterator[Batch]:
        """The staged aggregates' new events as stored events, BATCH_EVENTS at a time; the index
        rows travel with the first batch."""
        pending = (e for aggregate in staged for e in aggregate.collect_events())
        first = True
        while True:
            chunk = [self.mapper.to_stored_event(e) for e in islice(pending, BATCH_EVENTS)]
            if not chunk:
                return
            yield chunk, index if first else IndexRows()
            first = False

    def upgrade_index(self) -> None:
        """Build the index of a ledger written by release 0.1.0 (which kept it in a catalog
        aggregate), once, from the events themselves."""
        if self.is_empty():
            return
        try:
            if self.index.count_entries() or self.index.declarations("parties"):
                return
        except (ProgrammingError, OperationalError):  # the index tables are not there yet
            self.recorder.create_table()
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


def _project(aggregate: Any, events: Iterable[Any]) -> Any:
    """eventsourcing's `project_aggregate` without its runtime protocol assertion, which cost
    140 µs an event (typing's isinstance on a Protocol): the events here are all our own."""
    for domain_event in events:
        try:
            aggregate = domain_event.mutate(aggregate)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise corrupted_row(domain_event, exc, get_topic(type(domain_event))) from None
    return aggregate


def _record_digest(section: str, record: dict[str, Any]) -> str:
    return digest(_MODELS[section].model_validate(record))


class _ImportPlan:
    """Works out what an import adds, refusing anything that breaks a rule."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.report = ImportReport()
        self.known: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {s: {} for s in _MODELS}
        self.looked_up: dict[str, set[str]] = {s: set() for s in _MODELS}
        self.declared: list[Declaration] = []
        self.index_rows = IndexRows()
        self.new_entries: dict[str, list[tuple[Entry, str]]] = defaultdict(list)
        self.places: dict[str, str] = {}
        self.new_digests: dict[str, str] = {}

    def _lookup(self, section: str, keys: set[str]) -> None:
        missing = keys - self.looked_up[section]
        if missing:
            self.known[section].update(self.ledger.index.declared(section, missing))
            self.looked_up[section] |= missing

    def add(self, loaded: LoadedFile) -> None:
        data = loaded.dataset
        self._lookup("parties", {p.slug for p in data.parties} | _channel_parties(data))
        self._lookup("channels", {c.slug for c in data.channels} | {e.channel for e in data.events})
        self._lookup("sources", {s.id for s in data.sources} | _cited_sources(data))
        for index, party in enumerate(data.parties):
            self._declare("parties", party.slug, party, loaded.where("parties", index))
        for index, channel in enumerate(data.channels):
            where = loaded.where("channels", index)
            self._require(channel.parties, "party", where, "parties")
            if channel.host is not None and channel.host not in channel.parties:
                raise InvalidRecordError(
                    f"{where}: field 'host': '{channel.host}' is not one of the channel's parties"
                )
            self._declare("channels", channel.slug, channel, where)
        for index, source in enumerate(data.sources):
            self._declare("sources", source.id, source, loaded.where("sources", index))
        recorded = self.ledger.index.recorded_entries({e.id for e in data.events})
        for index, entry in enumerate(data.events):
            self._add_entry(entry, recorded.get(entry.id), loaded.where("events", index))

    def _declare(self, section: str, key: str, record: BaseModel, where: str) -> None:
        stored = self.known[section].get(key)
        if stored is not None:
            record = _with_recorded_vocabulary(record, stored[1])
        as_json = record.model_dump(mode="json")
        canonical = json.dumps(as_json, sort_keys=True, ensure_ascii=False)
        content = hashlib.sha256(canonical.encode()).hexdigest()  # = digest(record), once
        if stored is None:
            self.declared.append(Declaration(section=section, key=key, record=as_json))
            self.index_rows.declarations.append((section, key, content, canonical))
            self.known[section][key] = (content, as_json)
            self.report.added[section] += 1
        elif stored[0] == content:
            self.report.unchanged[section] += 1
        else:
            raise ConflictingRecordError(
                f"{where}: '{key}' is already in the ledger with different content; "
                "declarations cannot be changed"
            )

    def _require(
        self, names: str | list[str] | None, what: str, where: str, field_name: str
    ) -> None:
        known = self.known[_SECTIONS[what]]
        for name in [names] if isinstance(names, str) else names or []:
            if name not in known:
                raise InvalidRecordError(
                    f"{where}: field '{field_name}': unknown {what} '{name}' "
                    f"(declare it under '{_SECTIONS[what]}' first)"
                )

    def _add_entry(self, entry: Entry, recorded: tuple[str, str] | None, where: str) -> None:
        channel = entry.channel
        self._require(channel, "channel", where, "channel")
        citations = list(entry.citations)
        action = entry.replacement if isinstance(entry, Correction) else entry
        prefix = "replacement." if isinstance(entry, Correction) else ""
        if isinstance(action, Action):
            self._require(action.actor, "party", where, f"{prefix}actor")
            self._require(action.target, "party", where, f"{prefix}target")
            citations += action.all_citations()
        self._require([c.source for c in citations], "source", where, "citations.source")
        content = digest(entry)
        stored = recorded[1] if recorded else self.new_digests.get(entry.id)
        if stored == content:
            self.report.unchanged["events"] += 1
            return
        if stored is not None:
            raise ConflictingRecordError(
                f"{where}: event id '{entry.id}' is already recorded with different content; "
                "to change a recorded event, import a 'correction' that names it"
            )
        self.places[entry.id] = where
        self.new_digests[entry.id] = content
        self.new_entries[channel].append((entry, content))
        self.index_rows.entries.append((entry.id, channel, content))
        self.report.added["events"] += 1

    def _blame(self, event_id: str, additions: list[tuple[Entry, str]]) -> tuple[str, str]:
        """Where in the import files the breaking of a rule comes from.

        The event named by the rule may be a corrected one, or one already in the ledger that
        a new event (an earlier suspension, say) now puts in the wrong place.
        """
        if event_id in self.places:
            return self.places[event_id], ""
        amending = [
            self.places[entry.id]
            for entry, _ in additions
            if getattr(entry, "corrects", None) == event_id
            or getattr(entry, "retracts", None) == event_id
        ]
        if amending:
            return ", ".join(amending), " (as amended by this import)"
        new_here = ", ".join(self.places[entry.id] for entry, _ in additions)
        return (
            new_here,
            f" ('{event_id}' is already recorded: this import's events would put it in breach)",
        )

    def finish(self) -> list[Aggregate]:
        """Check every touched timeline whole, then stage the new events."""
        staged: list[Aggregate] = list(self.declared)
        for slug, additions in sorted(self.new_entries.items()):
            timeline = self.ledger.load_timeline(slug)
            existing = [item.entry for item in timeline.entries]
            channel = Channel.model_validate(self.known["channels"][slug][1])
            try:
                fold_all(channel, resolve(existing + [entry for entry, _ in additions]))
            except InvariantViolation as exc:
                where, context = self._blame(exc.event_id, additions)
                raise InvariantViolation(
                    exc.rule, exc.event_id, exc.detail + context, where
                ) from None
            for entry, content in additions:
                timeline.record(entry, content)
            staged.append(timeline)
        return staged


_VOCABULARY = ("aliases", "triggers")


def _with_recorded_vocabulary(record: BaseModel, stored: dict[str, Any]) -> BaseModel:
    """A party or channel declared again without `aliases` or `triggers` (optional lists that
    extraction reads) keeps the recorded ones: a file written before the bundled declarations
    had aliases, or one that copies only the required fields, still matches them. Other
    aliases are still a change, and refused."""
    kept = {
        name: stored[name]
        for name in _VOCABULARY
        if name in type(record).model_fields and not getattr(record, name) and stored.get(name)
    }
    if not kept:
        return record
    return type(record).model_validate({**record.model_dump(mode="json"), **kept})


def _channel_parties(data: Any) -> set[str]:
    names: set[str] = set()
    for channel in data.channels:
        names.update(channel.parties)
    for entry in data.events:
        action = entry.replacement if isinstance(entry, Correction) else entry
        if isinstance(action, Action):
            names.update(n for n in (action.actor, action.target) if n)
    return names


def _cited_sources(data: Any) -> set[str]:
    names: set[str] = set()
    for entry in data.events:
        citations = list(entry.citations)
        if isinstance(entry, Correction):
            citations += entry.replacement.all_citations()
        elif isinstance(entry, Action):
            citations += entry.all_citations()
        names.update(c.source for c in citations)
    return names
