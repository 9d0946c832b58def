"""The ledger: an eventsourcing Application that records import files atomically and idempotently.

An import is validated whole before anything is written, then saved in one `Application.save`
call, which the recorders write in one database transaction: all of an import or none of it.
Identity is the record's own id; content is compared by digest, so re-importing the same data
adds nothing and the same id with other content is refused (a correction must say so).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any
from uuid import UUID

from chancery.domain.actions import ENTRY_ADAPTER, Action, Correction, RecordedEntry, Retraction
from chancery.domain.aggregates import Catalog, ChannelTimeline, content_digest
from chancery.domain.dataset import LoadedFile
from chancery.domain.errors import (
    ChanceryError,
    ConflictingRecordError,
    InvalidRecordError,
    InvariantViolation,
    classify_database_error,
)
from chancery.domain.parties import Channel, Party
from chancery.domain.sources import Source
from chancery.domain.timeline import fold_all, resolve
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, OperationalError
from pydantic import BaseModel

_SECTIONS = {"party": "parties", "channel": "channels", "source": "sources"}

MAX_ATTEMPTS = 20
"""Imports that lose an optimistic-concurrency race are re-validated and retried this often,
after a random pause that grows with each attempt so that racing writers fall out of step."""


def digest(record: BaseModel) -> str:
    """Content identity of a record: its normalised JSON, so short and long forms compare equal."""
    return content_digest(record.model_dump(mode="json"))


@dataclass(frozen=True)
class LedgerContents:
    """Everything recorded, read back as validated models."""

    parties: dict[str, Party]
    channels: dict[str, Channel]
    sources: dict[str, Source]
    entries: dict[str, list[RecordedEntry]]

    def actions(self, channel: str) -> list[Action]:
        """The channel's actions as they now read (corrections applied), in recording order."""
        return resolve(recorded.entry for recorded in self.entries.get(channel, []))

    def all_actions(self) -> list[Action]:
        return [action for slug in self.channels for action in self.actions(slug)]

    @cached_property
    def recorded_at(self) -> dict[str, datetime]:
        """When each entry was written to the ledger (the ledger clock)."""
        return {
            recorded.entry.id: recorded.recorded_at
            for entries in self.entries.values()
            for recorded in entries
        }


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

    def _catalog(self) -> Catalog:
        try:
            catalog = self.repository.get(Catalog.create_id())
        except AggregateNotFoundError:
            return Catalog()
        assert isinstance(catalog, Catalog)
        return catalog

    def _timeline(self, slug: str) -> ChannelTimeline:
        try:
            timeline = self.repository.get(ChannelTimeline.create_id(slug))
        except AggregateNotFoundError:
            return ChannelTimeline(slug=slug)
        assert isinstance(timeline, ChannelTimeline)
        return timeline

    def is_empty(self) -> bool:
        return Catalog.create_id() not in self.repository

    def entry_index(self) -> dict[str, tuple[str, str]]:
        """Each recorded entry's channel and content digest, as the catalog indexed them."""
        catalog = self._catalog()
        return {
            entry_id: (channel, catalog.entry_digests[entry_id])
            for entry_id, channel in catalog.entry_channels.items()
        }

    def contents(self) -> LedgerContents:
        """Everything recorded. The catalog is read again after the timelines, so that a
        concurrent import cannot leave an entry citing a source this read does not know."""
        entries: dict[str, list[RecordedEntry]] = {}
        for slug in self._catalog().channels:
            timeline = self._timeline(slug)
            entries[slug] = [
                RecordedEntry(
                    entry=ENTRY_ADAPTER.validate_python(item["entry"]),
                    recorded_at=item["recorded_at"],
                    digest=item["digest"],
                )
                for item in timeline.entries
            ]
        catalog = self._catalog()
        return LedgerContents(
            parties={k: Party.model_validate(v) for k, v in catalog.parties.items()},
            channels={k: Channel.model_validate(v) for k, v in catalog.channels.items()},
            sources={k: Source.model_validate(v) for k, v in catalog.sources.items()},
            entries=entries,
        )

    def import_files(self, files: list[LoadedFile]) -> ImportReport:
        """Record every file's content in one transaction, or nothing.

        Raises a ChanceryError naming the file and record at fault. A concurrent writer that
        saved first makes this import start again from the fresh ledger.
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            plan = _ImportPlan(self._catalog(), self._timeline)
            for loaded in files:
                plan.add(loaded)
            report = plan.finish()
            report.attempts = attempt
            if not plan.pending:
                return report
            try:
                self.save(*plan.pending)
            except (IntegrityError, OperationalError) as exc:
                # Only a real conflict (another writer saved first) is retried: a full disk or
                # a lock held past its timeout is reported (errors.classify_database_error).
                if (problem := classify_database_error(exc)) is not None:
                    raise problem from None
                # Nothing of this attempt was written; start again from the ledger as it is now.
                time.sleep(random.uniform(0, 0.02 * attempt))
                continue
            return report
        raise ChanceryError(
            f"gave up after {MAX_ATTEMPTS} attempts: other writers kept changing the ledger; "
            "nothing from this import was written, run it again"
        )


class _ImportPlan:
    """Works out what an import adds, refusing anything that breaks a rule."""

    def __init__(self, catalog: Catalog, timeline: Any) -> None:
        self.catalog = catalog
        self.get_timeline = timeline
        self.report = ImportReport()
        self.new_entries: dict[str, list[tuple[Action | Correction | Retraction, str]]] = (
            defaultdict(list)
        )
        self.places: dict[str, str] = {}
        self.new_digests: dict[str, str] = {}
        self.pending: list[Catalog | ChannelTimeline] = []

    def add(self, loaded: LoadedFile) -> None:
        data = loaded.dataset
        for index, party in enumerate(data.parties):
            self._declare(
                "parties",
                party.slug,
                party,
                self.catalog.parties,
                self.catalog.declare_party,
                loaded.where("parties", index),
            )
        for index, channel in enumerate(data.channels):
            where = loaded.where("channels", index)
            self._require(channel.parties, self.catalog.parties, "party", where, "parties")
            if channel.host is not None and channel.host not in channel.parties:
                raise InvalidRecordError(
                    f"{where}: field 'host': '{channel.host}' is not one of the channel's parties"
                )
            self._declare(
                "channels",
                channel.slug,
                channel,
                self.catalog.channels,
                self.catalog.declare_channel,
                where,
            )
        for index, source in enumerate(data.sources):
            self._declare(
                "sources",
                source.id,
                source,
                self.catalog.sources,
                self.catalog.declare_source,
                loaded.where("sources", index),
            )
        for index, entry in enumerate(data.events):
            self._add_entry(entry, loaded.where("events", index))

    def _declare(
        self,
        kind: str,
        key: str,
        record: BaseModel,
        known: dict[str, Any],
        declare: Any,
        where: str,
    ) -> None:
        stored = known.get(key)
        if stored is None:
            declare(record.model_dump(mode="json"))
            self.report.added[kind] += 1
        elif digest(type(record).model_validate(stored)) == digest(record):
            self.report.unchanged[kind] += 1
        else:
            raise ConflictingRecordError(
                f"{where}: '{key}' is already in the ledger with different content; "
                "declarations cannot be changed"
            )

    def _require(
        self,
        names: str | list[str] | None,
        known: dict[str, Any],
        what: str,
        where: str,
        field_name: str,
    ) -> None:
        for name in [names] if isinstance(names, str) else names or []:
            if name not in known:
                raise InvalidRecordError(
                    f"{where}: field '{field_name}': unknown {what} '{name}' "
                    f"(declare it under '{_SECTIONS[what]}' first)"
                )

    def _add_entry(self, entry: Action | Correction | Retraction, where: str) -> None:
        channel = entry.channel
        self._require(channel, self.catalog.channels, "channel", where, "channel")
        citations = list(entry.citations)
        action = entry.replacement if isinstance(entry, Correction) else entry
        prefix = "replacement." if isinstance(entry, Correction) else ""
        if isinstance(action, Action):
            self._require(action.actor, self.catalog.parties, "party", where, f"{prefix}actor")
            self._require(action.target, self.catalog.parties, "party", where, f"{prefix}target")
            citations += action.all_citations()
        self._require(
            [c.source for c in citations], self.catalog.sources, "source", where, "citations.source"
        )
        content = digest(entry)
        stored = self.catalog.entry_digests.get(entry.id) or self.new_digests.get(entry.id)
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
        self.report.added["events"] += 1

    def _blame(
        self, event_id: str, additions: list[tuple[Action | Correction | Retraction, str]]
    ) -> tuple[str, str]:
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

    def finish(self) -> ImportReport:
        """Check every touched timeline whole, then stage the new events."""
        for slug, additions in sorted(self.new_entries.items()):
            timeline = self.get_timeline(slug)
            existing = [ENTRY_ADAPTER.validate_python(item["entry"]) for item in timeline.entries]
            channel = Channel.model_validate(self.catalog.channels[slug])
            try:
                fold_all(channel, resolve(existing + [entry for entry, _ in additions]))
            except InvariantViolation as exc:
                where, context = self._blame(exc.event_id, additions)
                raise InvariantViolation(
                    exc.rule, exc.event_id, exc.detail + context, where
                ) from None
            for entry, content in additions:
                timeline.record(entry.model_dump(mode="json"), content)
            self.pending.append(timeline)
        if self.new_entries:
            self.catalog.index_entries(
                channels={e.id: slug for slug, adds in self.new_entries.items() for e, _ in adds},
                digests=dict(self.new_digests),
            )
        if self.catalog.pending_events:
            self.pending.insert(0, self.catalog)
        return self.report
