"""Importing files too large to hold in memory: streamed record by record into one transaction.

The guarantees are those of `Ledger.import_files` (all or nothing, idempotent, the same id with
other content refused, concurrent writers retried), kept without holding the files: each batch
of records is validated against what the transaction has written so far, then written; once
every record is in, each touched channel's timeline is read back inside the transaction and
checked whole in valid time (docs/design.md principle 7) before the commit. Any error rolls the
whole transaction back. Memory holds one batch of records, a few facts per touched channel, and
one channel's timeline at a time: it grows with the largest touched channel, not the files.

Each file is read twice: first its declarations (parties, channels, sources, in any order and
any place in the file), then its events, so an event may come before the source it cites.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any
from uuid import UUID

from chancery.domain.actions import (
    Action,
    Amendment,
    Correction,
    DisputeRecorded,
    answered_events,
    cited_sources,
)
from chancery.domain.aggregates import EVENT_CLASSES, ChannelTimeline, Declaration
from chancery.domain.errors import (
    InvalidRecordError,
    InvariantViolation,
)
from chancery.domain.parties import Channel, how_to_declare
from chancery.domain.sources import Source
from chancery.domain.timeline import SecondReport, resolve
from chancery.importing.plan import (
    check_references,
    check_responses,
    check_timeline,
    declaration_changed,
    event_changed,
    in_breach,
    only_vocabulary_added,
    with_recorded_vocabulary,
)
from chancery.importing.streaming import Record, read_records
from chancery.storage.ledger import (
    ImportReport,
    Ledger,
    Progress,
    digest,
    no_progress,
    project_events,
    with_retries,
)
from chancery.storage.recorders import IndexRows
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import StoredEvent

BATCH_RECORDS = 500
"""Records validated and written together: with their raw values, models and stored rows, a
batch is what memory holds beyond fixed costs (2,000 records of 2 KB quotes took 20 MB more
than 100 did; 500 take 4 MB more)."""
DECLARATION_SECTIONS = ("parties", "channels", "sources")
_KEYS = {"parties": "slug", "channels": "slug", "sources": "id"}
_PLACES_SHOWN = 5


def import_streamed(
    ledger: Ledger, paths: list[Path], progress: Progress = no_progress
) -> ImportReport:
    """Record every file's content in one transaction, or nothing, reading each file as a
    stream. Raises a ChanceryError naming the file, record and field at fault."""
    ledger.upgrade_index()

    def attempt(number: int) -> ImportReport:
        with ledger.index.writing() as cursor:
            report = _StreamedImport(ledger, cursor, progress).run(paths)
        report.attempts = number
        return report

    return with_retries(attempt)


@dataclass
class _Touched:
    """What the import keeps of a channel it adds to: not its events."""

    channel: Channel
    timeline_id: UUID
    before: int
    """The timeline's version before this import (0: no timeline yet)."""
    version: int


@dataclass
class _Batch:
    stored: list[StoredEvent] = field(default_factory=list)
    index: IndexRows = field(default_factory=IndexRows)


class _StreamedImport:
    """One attempt: every read goes through the transaction's own cursor, so each batch sees
    what the earlier ones wrote."""

    def __init__(self, ledger: Ledger, cursor: Any, progress: Progress) -> None:
        self.ledger = ledger
        self.index = ledger.index
        self.cursor = cursor
        self.progress = progress
        self.report = ImportReport()
        self.parties: dict[str, bool] = {}
        self.channels: dict[str, Channel | None] = {}
        self.touched: dict[str, _Touched] = {}
        self.sources: dict[str, Source] = {}
        self.done = 0
        self.responses: list[tuple[Any, str]] = []
        """The new entries that answer another event (`in_response_to`), with where."""

    def run(self, paths: list[Path]) -> ImportReport:
        channel_parties: list[tuple[str, list[str]]] = []
        for path in paths:
            for batch in _batches(read_records(path, DECLARATION_SECTIONS)):
                self._declare_batch(str(path), batch, channel_parties)
        for where, parties in channel_parties:  # declared anywhere in the files
            self._require(parties, "party", where, "parties")
        for path in paths:
            for batch in _batches(read_records(path, ("events",))):
                self._entry_batch(str(path), batch)
        check_responses(self.responses, self._answered)
        for slug in sorted(self.touched):
            self._check_timeline(paths, self.touched[slug])
        return self.report

    # -- declarations --------------------------------------------------------------------

    def _declare_batch(
        self, name: str, records: list[Record], channel_parties: list[tuple[str, list[str]]]
    ) -> None:
        out = _Batch()
        known: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}
        for section in DECLARATION_SECTIONS:
            keys = {getattr(r.model, _KEYS[section]) for r in records if r.section == section}
            known[section] = self.index.declared(section, keys, self.cursor) if keys else {}
        for record in records:
            where = record.where(name)
            if isinstance(record.model, Channel):
                channel = record.model
                if channel.host is not None and channel.host not in channel.parties:
                    raise InvalidRecordError(
                        f"{where}: field 'host': '{channel.host}' is not one of the channel's "
                        "parties"
                    )
                channel_parties.append((where, list(channel.parties)))
            self._declare(record, where, known[record.section], out)
        self._write(out)

    def _declare(
        self,
        record: Record,
        where: str,
        known: dict[str, tuple[str, dict[str, Any]]],
        out: _Batch,
    ) -> None:
        section, key = record.section, getattr(record.model, _KEYS[record.section])
        stored = known.get(key)
        model = record.model
        if stored is not None:
            model = with_recorded_vocabulary(model, stored[1])
        as_json = model.model_dump(mode="json")
        canonical = json.dumps(as_json, sort_keys=True, ensure_ascii=False)
        content = hashlib.sha256(canonical.encode()).hexdigest()  # = digest(model), once
        events: Sequence[DomainEventProtocol[UUID]]
        if stored is None:
            events = [Declaration.declared(section, key, as_json)]
            out.index.declarations.append((section, key, content, canonical))
            self.report.added[section] += 1
        elif stored[0] == content:
            self.report.unchanged[section] += 1
            return
        elif only_vocabulary_added(stored[1], as_json):
            declaration = self._load(Declaration.create_id(section, key)) or Declaration(
                section=section, key=key, record=as_json
            )  # a declaration of release 0.1.0 lives in its catalog
            declaration.extend_vocabulary(as_json)
            events = declaration.collect_events()
            out.index.extended.append((content, canonical, section, key))
            self.report.added["alias lists"] += 1
        else:
            raise declaration_changed(where, key)
        known[key] = (content, as_json)
        out.stored.extend(self.ledger.mapper.to_stored_event(e) for e in events)
        if section == "channels":
            self.channels.pop(key, None)

    def _load(self, aggregate_id: UUID) -> Any:
        """An aggregate as this transaction sees it, or None."""
        events = self.index.timeline_events(self.cursor, aggregate_id)
        if not events:
            return None
        return project_events(None, map(self.ledger.mapper.to_domain_event, events))

    # -- events --------------------------------------------------------------------------

    def _entry_batch(self, name: str, records: list[Record]) -> None:
        entries = [r.entry for r in records]
        recorded = self.index.recorded_entries({e.id for e in entries}, self.cursor)
        self._look_up_channels({e.channel for e in entries})
        self._look_up_parties(_parties_named(entries))
        cited = cited_sources(entries)
        sources = {
            key: Source.model_validate(value)
            for key, (_, value) in self.index.declared("sources", cited, self.cursor).items()
        }
        new: dict[str, str] = {}
        out = _Batch()
        for record, entry in zip(records, entries, strict=True):
            where = record.where(name)
            content = self._check_entry(entry, where, sources)
            stored = recorded[entry.id][1] if entry.id in recorded else new.get(entry.id)
            if stored == content:
                self.report.unchanged["events"] += 1
                continue
            if stored is not None:
                raise event_changed(where, entry.id)
            new[entry.id] = content
            answering = entry.replacement if isinstance(entry, Correction) else entry
            if getattr(answering, "in_response_to", None) is not None:
                self.responses.append((entry, where))
            touched = self._touch(entry.channel, out)
            touched.version += 1
            event_class = EVENT_CLASSES[entry.type]
            event = event_class(
                originator_id=touched.timeline_id,
                originator_version=touched.version,
                timestamp=event_class.create_timestamp(),
                entry=entry,
                digest=content,
            )
            out.stored.append(self.ledger.mapper.to_stored_event(event))
            out.index.entries.append((entry.id, entry.channel, content))
            self.report.added["events"] += 1
        self._write(out)

    def _check_entry(self, entry: Any, where: str, sources: dict[str, Source]) -> str:
        """The rules `ImportPlan` applies to an entry (`check_references`), against what the
        transaction holds; returns the entry's content digest."""

        def require(names: str | list[str] | None, what: str, place: str, field: str) -> None:
            if what != "source":
                return self._require(names, what, place, field)
            for name in [names] if isinstance(names, str) else names or []:
                if name not in sources:
                    raise InvalidRecordError(
                        f"{place}: field '{field}': unknown source '{name}' "
                        "(declare it under 'sources' first)"
                    )
            return None

        check_references(entry, where, require, self._declared_channel, sources.__getitem__)
        return digest(entry)

    def _declared_channel(self, slug: str) -> Channel:
        channel = self.channels[slug]
        assert channel is not None, "check_references requires the channel first"
        return channel

    def _touch(self, slug: str, out: _Batch) -> _Touched:
        """The channel's compact state, its timeline opened if it has none yet."""
        touched = self.touched.get(slug)
        if touched is None:
            channel = self.channels[slug]
            assert channel is not None
            timeline_id = ChannelTimeline.create_id(slug)
            version = self.index.timeline_version(self.cursor, timeline_id) or 0
            if version == 0:
                opened = ChannelTimeline(slug=slug).collect_events()
                out.stored.extend(self.ledger.mapper.to_stored_event(e) for e in opened)
                version = opened[-1].originator_version
            touched = self.touched[slug] = _Touched(channel, timeline_id, version, version)
        return touched

    def _look_up_channels(self, slugs: set[str]) -> None:
        missing = slugs - self.channels.keys()
        if missing:
            found = self.index.declared("channels", missing, self.cursor)
            for slug in missing:
                self.channels[slug] = (
                    Channel.model_validate(found[slug][1]) if slug in found else None
                )

    def _look_up_parties(self, slugs: set[str]) -> None:
        missing = slugs - self.parties.keys()
        if missing:
            found = self.index.declared("parties", missing, self.cursor)
            self.parties.update((slug, slug in found) for slug in missing)

    def _require(
        self, names: str | list[str] | None, what: str, where: str, field_name: str
    ) -> None:
        names = [names] if isinstance(names, str) else list(names or [])
        if what == "party":
            self._look_up_parties(set(names))
            known = {n for n in names if self.parties.get(n)}
        else:
            self._look_up_channels(set(names))
            known = {n for n in names if self.channels.get(n) is not None}
        section = "parties" if what == "party" else "channels"
        for name in names:
            if name not in known:
                raise InvalidRecordError(
                    f"{where}: field '{field_name}': unknown {what} '{name}' "
                    f"({how_to_declare(what, name, section)})"
                )

    def _write(self, out: _Batch) -> None:
        if out.stored:
            self.index.write_batch(self.cursor, (out.stored, out.index))
            self.done += len(out.stored)
            self.progress("writing events", self.done, self.done)

    # -- the channels' rules, checked whole --------------------------------------------

    def _check_timeline(self, paths: list[Path], touched: _Touched) -> None:
        """Read the channel's timeline back as the transaction holds it and fold it whole."""
        entries, additions = [], []
        for stored in self.index.timeline_events(self.cursor, touched.timeline_id):
            event = self.ledger.mapper.to_domain_event(stored)
            if isinstance(event, ChannelTimeline.Recorded):
                entries.append(event.entry)
                if stored.originator_version > touched.before:
                    additions.append(event.entry)
        try:
            check_timeline(touched.channel, entries, additions, self._cited_source)
        except InvariantViolation as exc:
            where, context = _blame(paths, exc.event_id, additions)
            if isinstance(exc, SecondReport) and exc.other in {e.id for e in additions}:
                context += f" (it is at {_places(paths, {exc.other}).get(exc.other)})"
            raise InvariantViolation(exc.rule, exc.event_id, exc.detail + context, where) from None

    def _answered(self, ids: set[str]) -> dict[str, Any]:
        """The events these ids name, as the transaction holds them (this import's too)."""
        found: dict[str, Any] = {}
        recorded = self.index.recorded_entries(ids, self.cursor)
        for slug in sorted({channel for channel, _ in recorded.values()}):
            entries = []
            timeline_id = ChannelTimeline.create_id(slug)
            for stored in self.index.timeline_events(self.cursor, timeline_id):
                event = self.ledger.mapper.to_domain_event(stored)
                if isinstance(event, ChannelTimeline.Recorded):
                    entries.append(event.entry)
            found.update(answered_events(entries, resolve(entries), ids))
        return found

    def _cited_source(self, key: str) -> Source:
        """A source an amended event cites, as the transaction holds it."""
        if key not in self.sources:
            ((_, record),) = self.index.declared("sources", {key}, self.cursor).values()
            self.sources[key] = Source.model_validate(record)
        return self.sources[key]


def _blame(paths: list[Path], event_id: str, additions: list[Any]) -> tuple[str, str]:
    """Where in the files the breaking of a rule comes from (as `ImportPlan._blame` says),
    found by reading the files' events again: only a refused import pays for it."""
    new_ids = {entry.id for entry in additions}
    amending = {e.id for e in additions if isinstance(e, Amendment) and e.target == event_id}
    wanted = {event_id} | amending if event_id in new_ids or amending else new_ids
    places = _places(paths, wanted)
    if event_id in new_ids:
        return places.get(event_id, event_id), ""
    if amending:
        return _join(places[i] for i in sorted(amending) if i in places), (
            " (as amended by this import)"
        )
    return _join(places[e.id] for e in additions if e.id in places), in_breach(event_id)


def _places(paths: list[Path], ids: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in paths:
        for record in read_records(path, ("events",)):
            if record.entry.id in ids:
                found.setdefault(record.entry.id, record.where(str(path)))
    return found


def _join(places: Iterator[str] | Any) -> str:
    shown = list(islice(places, _PLACES_SHOWN + 1))
    more = " and more" if len(shown) > _PLACES_SHOWN else ""
    return ", ".join(shown[:_PLACES_SHOWN]) + more


def _batches(records: Iterator[Record]) -> Iterator[list[Record]]:
    while batch := list(islice(records, BATCH_RECORDS)):
        yield batch


def _parties_named(entries: list[Any]) -> set[str]:
    names: set[str] = set()
    for entry in entries:
        action = entry.replacement if isinstance(entry, Correction) else entry
        if isinstance(action, Action):
            names.update(n for n in (action.actor, action.target) if n)
        if isinstance(entry, DisputeRecorded):
            names.update(c.party for c in entry.claims if c.party)
    return names
