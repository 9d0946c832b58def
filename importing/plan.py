"""An import, planned and written as one stream of records in one transaction: all or nothing.

Every import takes this one path, whatever the size and number of its files: a file read whole
(`dataset.LoadedFile`) and one too large for that (`streaming.StreamedFile`) both give their
records section by section. Declarations are compared with the index, references resolved and
the rules checked batch by batch, against what the transaction has written so far; once every
record is in, each touched channel's timeline is read back inside the transaction and checked
whole in valid time (docs/design.md principle 7) before the commit. Any error rolls the whole
transaction back, and so does a dry run once it has looked (`dry_run`).

Identity is the record's own id; content is compared by digest, so re-importing the same data
adds nothing and the same id with other content is refused (an amendment must say so). Memory
holds one batch of records, a few facts per touched channel, and one channel's timeline at a
time: it grows with the largest touched channel, not with the files.

Each file is read twice: first its declarations (parties, channels, sources, in any order and
any file of the import), then its events, so an event may come before the source it cites.
Loaded only by commands that import.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol, TypeVar
from uuid import UUID

from chancery.domain.actions import (
    Action,
    Amendment,
    Correction,
    DisputeRecorded,
    answered_events,
    check_action_parties,
    check_citation_dates,
    check_response,
    cited_sources,
)
from chancery.domain.aggregates import EVENT_CLASSES, ChannelTimeline, Declaration
from chancery.domain.errors import ConflictingRecordError, InvalidRecordError, InvariantViolation
from chancery.domain.parties import Channel, Party, how_to_declare
from chancery.domain.progress import Progress, no_progress
from chancery.domain.sources import Source
from chancery.domain.timeline import SecondReport, check_timeline, resolve
from chancery.importing.dataset import Record
from chancery.storage.ledger import ImportReport, Ledger, digest, project_events, with_retries
from chancery.storage.recorders import IndexRows
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import StoredEvent
from pydantic import BaseModel

BATCH_RECORDS = 500
"""Records validated and written together: with their raw values, models and stored rows, a
batch is what memory holds beyond fixed costs (2,000 records of 2 KB quotes took 20 MB more
than 100 did; 500 take 4 MB more)."""
DECLARATION_SECTIONS = ("parties", "channels", "sources")
_KEYS = {"parties": "slug", "channels": "slug", "sources": "id"}
_PLACES_SHOWN = 5

Entry = Action | Amendment
T = TypeVar("T")


class ImportFile(Protocol):
    """A file of an import, as the planner reads it: its name, and its records of the sections
    asked for, in order, each time they are asked for."""

    @property
    def name(self) -> str: ...

    def records(self, sections: Collection[str]) -> Iterator[Record]: ...


def import_files(
    ledger: Ledger, files: Sequence[ImportFile], progress: Progress = no_progress
) -> ImportReport:
    """Record every file's content in one transaction, or nothing. Raises a ChanceryError
    naming the file, record and field at fault. A concurrent writer that saved first makes the
    import start again from the ledger as it is then (`with_retries`)."""
    ledger.upgrade_index()

    def attempt(number: int) -> ImportReport:
        with ledger.index.writing() as cursor:
            report = ImportPlan(ledger, cursor, progress).run(files)
        report.attempts = number
        return report

    return with_retries(attempt)


def dry_run(ledger: Ledger, files: Sequence[ImportFile], look: Callable[[ImportPlan], T]) -> T:
    """Plan the import exactly as `import_files` would, give the plan to `look` inside the
    transaction (which sees what the import would add), then roll everything back: nothing is
    written. Raises what the import itself would raise."""

    def attempt(number: int) -> T:
        seen: list[T] = []
        try:
            with ledger.index.writing() as cursor:
                plan = ImportPlan(ledger, cursor, keep_timelines=True)
                plan.run(files)
                seen.append(look(plan))
                raise _RollBack
        except _RollBack:
            return seen[0]

    return with_retries(attempt)


class _RollBack(Exception):
    """Ends a dry run's transaction, rolling back what its plan wrote."""


@dataclass
class Touched:
    """What the import keeps of a channel it adds to: not its events."""

    channel: Channel
    timeline_id: UUID
    before: int
    """The timeline's version before this import (0: no timeline yet)."""
    version: int
    entries: list[Entry] = field(default_factory=list)
    """A dry run's: the channel's entries as recorded before the import."""
    added: list[Entry] = field(default_factory=list)
    """A dry run's: the import's new entries on the channel, in order."""


@dataclass
class _Batch:
    stored: list[StoredEvent] = field(default_factory=list)
    index: IndexRows = field(default_factory=IndexRows)


class ImportPlan:
    """One attempt at an import: every read goes through the transaction's own cursor, so
    each batch sees what the earlier ones wrote."""

    def __init__(
        self,
        ledger: Ledger,
        cursor: Any,
        progress: Progress = no_progress,
        *,
        keep_timelines: bool = False,
    ) -> None:
        self.ledger = ledger
        self.index = ledger.index
        self.cursor = cursor
        self.progress = progress
        self.keep_timelines = keep_timelines
        """Keep each touched channel's entries before and after (a dry run's preview)."""
        self.report = ImportReport()
        self.parties: dict[str, bool] = {}
        self.channels: dict[str, Channel | None] = {}
        self.touched: dict[str, Touched] = {}
        self.sources: dict[str, Source] = {}
        self.done = 0
        self.responses: list[tuple[Any, str]] = []
        """The new entries that answer another event (`in_response_to`), with where."""

    def run(self, files: Sequence[ImportFile]) -> ImportReport:
        channel_parties: list[tuple[str, list[str]]] = []
        for file in files:
            for batch in _batches(file.records(DECLARATION_SECTIONS)):
                self._declare_batch(file.name, batch, channel_parties)
        for where, parties in channel_parties:  # declared anywhere in the files
            self._require(parties, "party", where, "parties")
        for file in files:
            for batch in _batches(file.records(("events",))):
                self._entry_batch(file.name, batch)
        check_responses(self.responses, self._answered)
        for slug in sorted(self.touched):
            self._check_timeline(files, self.touched[slug])
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
            self._stage(entry, content, out)
        self._write(out)

    def _stage(self, entry: Entry, content: str, out: _Batch) -> None:
        """The entry as the next event of its channel's timeline, with its index row."""
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

    def _check_entry(self, entry: Any, where: str, sources: dict[str, Source]) -> str:
        """The rules an entry obeys against the declarations (`check_references`), as the
        transaction holds them; returns the entry's content digest."""

        def require(names: str | list[str] | None, what: str, place: str, field: str) -> None:
            if what != "source":
                return self._require(names, what, place, field)
            for name in [names] if isinstance(names, str) else names or []:
                if name not in sources:
                    raise InvalidRecordError(
                        f"{place}: field '{field}': unknown source '{name}' "
                        f"({how_to_declare('source', name, 'sources')})"
                    )
            return None

        check_references(entry, where, require, self.channel, sources.__getitem__)
        return digest(entry)

    def channel(self, slug: str) -> Channel:
        """A channel this import names, as declared (in the ledger or in the import)."""
        channel = self.channels[slug]
        assert channel is not None, "check_references requires the channel first"
        return channel

    def _touch(self, slug: str, out: _Batch) -> Touched:
        """The channel's compact state, its timeline opened if it has none yet."""
        touched = self.touched.get(slug)
        if touched is None:
            timeline_id = ChannelTimeline.create_id(slug)
            version = self.index.timeline_version(self.cursor, timeline_id) or 0
            if version == 0:
                opened = ChannelTimeline(slug=slug).collect_events()
                out.stored.extend(self.ledger.mapper.to_stored_event(e) for e in opened)
                version = opened[-1].originator_version
            touched = Touched(self.channel(slug), timeline_id, version, version)
            self.touched[slug] = touched
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

    def _check_timeline(self, files: Sequence[ImportFile], touched: Touched) -> None:
        """Read the channel's timeline back as the transaction holds it and fold it whole."""
        entries, known = self._entries(touched.timeline_id, touched.before)
        additions = entries[known:]
        try:
            check_timeline(touched.channel, entries, additions, self.source)
        except InvariantViolation as exc:
            where, context = _blame(files, exc.event_id, additions)
            if isinstance(exc, SecondReport) and exc.other in {e.id for e in additions}:
                context += f" (it is at {_places(files, {exc.other}).get(exc.other)})"
            raise InvariantViolation(exc.rule, exc.event_id, exc.detail + context, where) from None
        if self.keep_timelines:
            touched.entries, touched.added = entries[:known], additions

    def _entries(self, timeline_id: UUID, before: int = 0) -> tuple[list[Entry], int]:
        """A channel's entries as the transaction holds them, read through the aggregate (which
        reads an entry stored by release 0.1.0 into its model), and how many of them were
        recorded by the timeline's version `before`."""
        timeline, known = None, 0
        for stored in self.index.timeline_events(self.cursor, timeline_id):
            timeline = project_events(timeline, [self.ledger.mapper.to_domain_event(stored)])
            if stored.originator_version <= before:
                known = len(timeline.entries)
        return ([item.entry for item in timeline.entries] if timeline else []), known

    def _answered(self, ids: set[str]) -> dict[str, Any]:
        """The events these ids name, as the transaction holds them (this import's too)."""
        found: dict[str, Any] = {}
        recorded = self.index.recorded_entries(ids, self.cursor)
        for slug in sorted({channel for channel, _ in recorded.values()}):
            entries, _ = self._entries(ChannelTimeline.create_id(slug))
            found.update(answered_events(entries, resolve(entries), ids))
        return found

    def source(self, key: str) -> Source:
        """A declared source, as the transaction holds it (this import's declarations too)."""
        if key not in self.sources:
            ((_, record),) = self.index.declared("sources", {key}, self.cursor).values()
            self.sources[key] = Source.model_validate(record)
        return self.sources[key]


def _blame(files: Sequence[ImportFile], event_id: str, additions: list[Any]) -> tuple[str, str]:
    """Where in the import files the breaking of a rule comes from, found by reading the
    files' events again (only a refused import pays for it).

    The event named by the rule may be a new one, one amended by this import, or one already
    in the ledger that a new event (an earlier suspension, say) now puts in the wrong place.
    """
    new_ids = {entry.id for entry in additions}
    amending = {e.id for e in additions if isinstance(e, Amendment) and e.target == event_id}
    wanted = {event_id} | amending if event_id in new_ids or amending else new_ids
    places = _places(files, wanted)
    if event_id in new_ids:
        return places.get(event_id, event_id), ""
    if amending:
        return _join(places[i] for i in sorted(amending) if i in places), (
            " (as amended by this import)"
        )
    return _join(places[e.id] for e in additions if e.id in places), in_breach(event_id)


def _places(files: Sequence[ImportFile], ids: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for file in files:
        for record in file.records(("events",)):
            if record.entry.id in ids:
                found.setdefault(record.entry.id, record.where(file.name))
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


_VOCABULARY = ("aliases", "triggers")


Require = Callable[[str | list[str] | None, str, str, str], None]
"""Refuses, naming `where` and the field, any of these names ("party", "channel" or "source")
that is not declared: (names, what, where, field name)."""


def check_references(
    entry: Entry,
    where: str,
    require: Require,
    channel: Callable[[str], Channel],
    source: Callable[[str], Source],
) -> None:
    """The rules an entry obeys against the declarations, whichever import reads it (a file
    read whole, or streamed): everything it names is declared; an action's actor and target
    are parties of its channel, and none of its sources was published before it (else
    `--known-at` would show the event known before it happened)."""
    require(entry.channel, "channel", where, "channel")
    citations = entry.own_citations() if isinstance(entry, Amendment) else list(entry.citations)
    if isinstance(entry, DisputeRecorded):
        require([c.party for c in entry.claims if c.party], "party", where, "claims.party")
    action = entry.replacement if isinstance(entry, Correction) else entry
    prefix = "replacement." if isinstance(entry, Correction) else ""
    if isinstance(action, Action):
        require(action.actor, "party", where, f"{prefix}actor")
        require(action.target, "party", where, f"{prefix}target")
        citations += action.all_citations()
    require([c.source for c in citations], "source", where, "citations.source")
    if isinstance(action, Action):
        check_action_parties(action, channel(entry.channel), where, prefix)
        cited = {c.source: source(c.source) for c in action.citations}
        check_citation_dates(action, cited, where, prefix)


def check_responses(
    entries: list[tuple[Entry, str]], answered: Callable[[set[str]], dict[str, Action]]
) -> None:
    """Each new event's `in_response_to` names an event recorded or in this import, not later
    than itself in valid time. `entries` are (entry, where); `answered(ids)` looks them up."""
    actions = []
    for entry, where in entries:
        action = entry.replacement if isinstance(entry, Correction) else entry
        prefix = "replacement." if isinstance(entry, Correction) else ""
        if isinstance(action, Action) and action.in_response_to is not None:
            actions.append((action, where, prefix))
    if not actions:
        return
    found = answered({action.in_response_to for action, _, _ in actions if action.in_response_to})
    for action, where, prefix in actions:
        check_response(action, found.get(action.in_response_to or ""), where, prefix)


def with_recorded_vocabulary(record: BaseModel, stored: dict[str, Any]) -> BaseModel:
    """A party or channel declared again without `aliases` or `triggers` (optional lists that
    extraction reads) keeps the recorded ones: a file written before the bundled declarations
    had aliases, or one that copies only the required fields, still matches them. Other
    aliases are still a change, and refused."""
    if isinstance(record, Party | Channel):
        record = record.as_recorded(stored)
    kept = {
        name: stored[name]
        for name in _VOCABULARY
        if name in type(record).model_fields and not getattr(record, name) and stored.get(name)
    }
    if not kept:
        return record
    return type(record).model_validate({**record.model_dump(mode="json"), **kept})


def only_vocabulary_added(stored: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether `new` is `stored` with aliases or trigger words added, nothing else changed:
    the bundled declarations gained aliases after release 0.1.0, and an analyst extends them."""
    plain = {k: v for k, v in stored.items() if k not in _VOCABULARY}
    if plain != {k: v for k, v in new.items() if k not in _VOCABULARY}:
        return False
    aliases_kept = set(stored.get("aliases") or []) <= set(new.get("aliases") or [])
    old_triggers, new_triggers = stored.get("triggers") or {}, new.get("triggers") or {}
    triggers_kept = all(
        set(words) <= set(new_triggers.get(kind, [])) for kind, words in old_triggers.items()
    )
    return aliases_kept and triggers_kept


# -- the messages of every import: each written once -----------------------------------------


def declaration_changed(where: str, key: str) -> ConflictingRecordError:
    return ConflictingRecordError(
        f"{where}: '{key}' is already in the ledger with different content; "
        "declarations cannot be changed"
    )


def event_changed(where: str, event_id: str) -> ConflictingRecordError:
    """An event id recorded with other content: the advice names the amendment that fits."""
    return ConflictingRecordError(
        f"{where}: event id '{event_id}' is already recorded with different content. "
        f"To add a source for it, import a 'corroboration' of '{event_id}'; to narrow "
        "its date or give a number it lacks, a 'refinement'; to record that sources "
        "disagree, a 'dispute'; to change it, a 'correction' (each with its own id)"
    )


def in_breach(event_id: str) -> str:
    """Said after the places of an import's events that put a recorded one in breach."""
    return f" ('{event_id}' is already recorded: this import's events would put it in breach)"
