"""The import log's storage: each import logs itself in the transaction that writes it, and
the log is read back entry by entry (the model is `domain/importlog.py`).

The log is kept by the recorder's `writing` transaction, whichever planner fills it (a file
read whole, or streamed): `logging_to(ledger, origin)` hands the recorder an `ImportJournal`
for the length of one import. The journal numbers the entry when the import's first batch is
written (the log's next version, read inside the transaction), logs each batch's ids as it is
written, and writes the entry itself last, with the counts. A transaction that writes no
event (an import that adds nothing, or an index rebuilt for an older ledger) logs nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from uuid import UUID

from chancery.domain.actions import AMENDMENT_TYPES
from chancery.domain.aggregates import EVENT_CLASSES, ChannelTimeline
from chancery.domain.importlog import (
    ADDED_KINDS,
    IMPORT_LOG_ID,
    AdditionsRecorded,
    ImportLogged,
    LoggedImport,
    additions_id,
)
from chancery.storage.codec import corrupted_row
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

if TYPE_CHECKING:
    from chancery.storage.ledger import Ledger
    from chancery.storage.recorders import Batch, LedgerWriter

CHUNK_IDS = 5000
"""At most this many ids in one logged chunk of additions."""

_AMENDMENT_TOPICS = frozenset(get_topic(EVENT_CLASSES[tag]) for tag in AMENDMENT_TYPES)
_ACTION_TOPICS = frozenset(
    get_topic(cls) for tag, cls in EVENT_CLASSES.items() if tag not in AMENDMENT_TYPES
)
_TIMELINE_TOPIC = get_topic(ChannelTimeline) + "."


@dataclass(frozen=True)
class Origin:
    """What the log says of a write besides what it added: who, which files; for a
    retraction, which import and why."""

    user: str
    files: list[dict[str, Any]] = field(default_factory=list)
    retracts: int | None = None
    reason: str | None = None


class ImportJournal:
    """The recorder's `Journal` for one import (see the module's docstring)."""

    def __init__(self, ledger: Ledger, origin: Origin) -> None:
        self.ledger = ledger
        self.origin = origin
        self.begin()

    def begin(self) -> None:
        self.number: int | None = None
        self.chunks = 0
        self.added: dict[str, int] = defaultdict(int)

    def written(self, writer: LedgerWriter, cursor: Any, batch: Batch) -> Sequence[StoredEvent]:
        stored, index = batch
        if not stored:
            return []  # index rows without events: an older ledger's index, rebuilt
        if self.number is None:
            self.number = (writer.timeline_version(cursor, IMPORT_LOG_ID) or 0) + 1
        for event in stored:
            if event.topic in _ACTION_TOPICS:
                self.added["events"] += 1
            elif event.topic in _AMENDMENT_TOPICS:
                self.added["amendments"] += 1
        for section, *_ in index.declarations:
            self.added[section] += 1  # parties, channels or sources
        self.added["alias lists"] += len(index.extended)
        entries = [[event_id, channel] for event_id, channel, _ in index.entries]
        declarations = [[section, key] for section, key, *_ in index.declarations]
        declarations += [[section, key] for *_, section, key in index.extended]
        return [
            self._stored(self._chunk(entries[start : start + CHUNK_IDS], []))
            for start in range(0, len(entries), CHUNK_IDS)
        ] + [
            self._stored(self._chunk([], declarations[start : start + CHUNK_IDS]))
            for start in range(0, len(declarations), CHUNK_IDS)
        ]

    def _chunk(self, entries: list[list[str]], declarations: list[list[str]]) -> AdditionsRecorded:
        assert self.number is not None
        self.chunks += 1
        return AdditionsRecorded(
            originator_id=additions_id(self.number),
            originator_version=self.chunks,
            timestamp=AdditionsRecorded.create_timestamp(),
            entries=entries,
            declarations=declarations,
        )

    def closing(self, writer: LedgerWriter, cursor: Any) -> Sequence[StoredEvent]:
        if self.number is None:
            return []
        entry = ImportLogged(
            originator_id=IMPORT_LOG_ID,
            originator_version=self.number,
            timestamp=ImportLogged.create_timestamp(),
            user=self.origin.user,
            files=self.origin.files,
            added={kind: self.added[kind] for kind in ADDED_KINDS if self.added[kind]},
            retracts=self.origin.retracts,
            reason=self.origin.reason,
        )
        return [self._stored(entry)]

    def _stored(self, event: Any) -> StoredEvent:
        return self.ledger.mapper.to_stored_event(event)


@contextmanager
def logging_to(ledger: Ledger, origin: Origin) -> Iterator[ImportJournal]:
    """Log the write transaction of the block as one entry from `origin` (an import, or a
    retraction), in that transaction; the journal then knows the entry's number."""
    writer = ledger.index
    writer.journal = journal = ImportJournal(ledger, origin)
    try:
        yield journal
    finally:
        writer.journal = None


# -- reading the log -----------------------------------------------------------------------


def log_entries(
    ledger: Ledger, *, after: int | None = None, newest: int | None = None
) -> list[LoggedImport]:
    """Entries of the log: those after number `after` (oldest first), or the `newest` ones
    (newest first), or all of them (oldest first)."""
    if newest is not None:
        stored = ledger.recorder.select_events(IMPORT_LOG_ID, desc=True, limit=newest)
    else:
        stored = ledger.recorder.select_events(IMPORT_LOG_ID, gt=after)
    return [_entry(ledger, s) for s in stored]


def log_entry(ledger: Ledger, number: int) -> LoggedImport | None:
    stored = ledger.recorder.select_events(IMPORT_LOG_ID, gt=number - 1, lte=number)
    return _entry(ledger, stored[0]) if stored else None


def _entry(ledger: Ledger, stored: StoredEvent) -> LoggedImport:
    event = ledger.mapper.to_domain_event(stored)
    if not isinstance(event, ImportLogged):
        raise corrupted_row(stored, TypeError(f"not an entry of the import log: {stored.topic}"))
    return LoggedImport.from_event(event)


def log_size(ledger: Ledger) -> int:
    """How many entries the log holds (its stream's last version)."""
    with ledger.index.reading() as cursor:
        return ledger.index.timeline_version(cursor, IMPORT_LOG_ID) or 0


def added_entries(ledger: Ledger, number: int) -> list[tuple[str, str]]:
    """(event id, channel) of every event and amendment entry `number` added, in order."""
    return [(event_id, channel) for event_id, channel in _chunks(ledger, number, "entries")]


def added_declarations(ledger: Ledger, number: int) -> list[tuple[str, str]]:
    """(section, key) of every declaration entry `number` added or gave more vocabulary."""
    return [(section, key) for section, key in _chunks(ledger, number, "declarations")]


def _chunks(ledger: Ledger, number: int, part: str) -> Iterator[list[str]]:
    for stored in ledger.recorder.select_events(additions_id(number)):
        chunk = ledger.mapper.to_domain_event(stored)
        if not isinstance(chunk, AdditionsRecorded):
            raise corrupted_row(stored, TypeError(f"not a chunk of additions: {stored.topic}"))
        yield from getattr(chunk, part)


def log_problems(ledger: Ledger) -> list[str]:
    """What `verify` finds wrong with the import log (a ledger altered behind Chancery's
    back): entries not numbered 1, 2, 3..., an id an entry says it added that the ledger does
    not hold, a retraction that names no earlier import. Reads the ids a chunk at a time."""
    problems: list[str] = []
    entries = log_entries(ledger)
    numbers = {entry.number: entry for entry in entries}
    for expected, entry in enumerate(entries, start=1):
        if entry.number != expected:
            problems.append(f"import log: entry {expected} is missing ({entry.number} follows)")
            break
    for entry in entries:
        for stored in ledger.recorder.select_events(additions_id(entry.number)):
            chunk = ledger.mapper.to_domain_event(stored)
            if isinstance(chunk, AdditionsRecorded):
                problems.extend(_missing(ledger, entry.number, chunk))
        retracted = numbers.get(entry.retracts or 0)
        if entry.retracts is not None and (
            retracted is None or retracted.retracts is not None or retracted.number > entry.number
        ):
            problems.append(
                f"import log entry {entry.number}: it says it retracted import {entry.retracts}, "
                "which is not an earlier import in the log"
            )
    return problems


def _missing(ledger: Ledger, number: int, chunk: AdditionsRecorded) -> Iterator[str]:
    held = ledger.index.recorded_entries([event_id for event_id, _ in chunk.entries])
    for event_id, channel in chunk.entries:
        if held.get(event_id, ("",))[0] != channel:
            yield (
                f"import log entry {number}: it added '{event_id}' on '{channel}', which the "
                "ledger does not hold there"
            )
    by_section: dict[str, set[str]] = defaultdict(set)
    for section, key in chunk.declarations:
        by_section[section].add(key)
    for section, keys in sorted(by_section.items()):
        for key in sorted(keys - ledger.index.declared(section, keys).keys()):
            yield f"import log entry {number}: it declared {section} '{key}', which is not declared"


@dataclass(frozen=True)
class Reference:
    """A recorded entry that names another: `kind` says how ("answers", "corrects", ...);
    `imported_by` is the log entry that added it, where the log knows."""

    event_id: str
    channel: str
    kind: str
    names: str
    imported_by: int | None = None


def references_after(ledger: Ledger, number: int, ids: set[str]) -> list[Reference]:
    """Every entry recorded after log entry `number` that answers (`in_response_to`) or
    amends one of `ids`: what a retraction of those ids would leave pointing at nothing.
    Reads only the later notifications, and of them only the JSON."""
    position = ledger.index.position_of(IMPORT_LOG_ID, number)
    assert position is not None, "a logged import's entry is recorded"
    streams = {additions_id(e.number): e.number for e in log_entries(ledger, after=number)}
    found: list[Reference] = []
    added_by: dict[str, int] = {}
    last = ledger.recorder.max_notification_id() or 0
    while position < last:
        page = ledger.recorder.select_notifications(
            start=position, limit=1000, stop=last, inclusive_of_start=False
        )
        if not page:
            break
        for notification in page:
            if notification.topic.startswith(_TIMELINE_TOPIC):
                found.extend(references_in(json.loads(notification.state).get("entry"), ids))
            elif (later := streams.get(UUID(str(notification.originator_id)))) is not None:
                for event_id, _ in json.loads(notification.state)["entries"]:
                    added_by[event_id] = later
        position = page[-1].id
    return [replace(r, imported_by=added_by.get(r.event_id)) for r in found]


def references_in(entry: Any, ids: set[str]) -> Iterator[Reference]:
    if not isinstance(entry, dict):
        return
    answering = entry.get("replacement", entry)
    if answering.get("in_response_to") in ids:
        yield Reference(entry["id"], answering["channel"], "answers", answering["in_response_to"])
    target_field = TARGET_FIELDS.get(entry.get("type", ""))
    if target_field is not None and entry.get(target_field) in ids:
        yield Reference(entry["id"], answering["channel"], target_field, entry[target_field])


TARGET_FIELDS = {
    "correction": "corrects",
    "retraction": "retracts",
    "corroboration": "corroborates",
    "refinement": "refines",
    "dispute": "disputes",
}
"""The field by which each amendment type names its event (its `target`), read from the
stored JSON without validating it; the field's name is also the verb that says so."""
