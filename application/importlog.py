"""The import log's use cases: who imported what (`chancery log`), and withdrawing a mistaken
import (`chancery retract --import N`).

The ledger is append-only, so an import is withdrawn by recording, in one transaction, a
`retraction` of each event it added that still shows, each giving the analyst's reason; the
events stay in the record (principle 1), and the retraction is itself an entry of the log.
A retraction is refused, with nothing written, where it would leave the ledger saying less
than it says now or something `verify` refuses: a later event answers or amends one of the
import's events, the import amended events it did not add (a retraction withdraws events, not
amendments), or a channel's rules would no longer hold without the import's events.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chancery.domain.errors import (
    ArgumentError,
    ChanceryError,
    InvariantViolation,
    one_line_reason,
)

if TYPE_CHECKING:
    from chancery.domain.actions import Action, Amendment, Retraction
    from chancery.domain.aggregates import ChannelTimeline
    from chancery.domain.importlog import LoggedImport
    from chancery.domain.parties import Channel
    from chancery.importing.dataset import LoadedFile
    from chancery.storage.importlog import ImportJournal, Origin, Reference
    from chancery.storage.ledger import ImportReport, Ledger

USER_VARIABLE = "CHANCERY_USER"
SHOWN = 8
"""How many events a refusal names before saying how many more."""


def current_user() -> str:
    """Who the log says ran a write: `CHANCERY_USER` when set (a shared PostgreSQL ledger
    written from one service account), else the operating-system user."""
    from chancery.domain.text import MAX_NAME_CHARS, text_problem

    named = os.environ.get(USER_VARIABLE, "").strip()
    if not named:
        try:
            return getpass.getuser()[:MAX_NAME_CHARS]
        except (OSError, KeyError):  # no login name and no passwd entry (a bare container)
            return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    problem = text_problem(named)
    if len(named) > MAX_NAME_CHARS:
        problem = f"{len(named)} characters is longer than the {MAX_NAME_CHARS} allowed"
    if problem:
        raise ChanceryError(f"{USER_VARIABLE}: {problem}; nothing was written")
    return named


def import_origin(
    paths: Sequence[Path], loaded: Sequence[LoadedFile], bundled: Sequence[Path]
) -> Origin:
    """The log's record of an import of `paths` (read whole as `loaded`, or streamed when
    `loaded` is empty): each file's name as given and the digest of its bytes."""
    from chancery.storage.importlog import Origin

    digests = {file.name: file.sha256 for file in loaded}
    files = []
    for path in paths:
        is_bundled = path in bundled
        files.append(
            {
                "name": path.name if is_bundled else str(path),
                "sha256": digests.get(str(path)) or _sha256(path),
                "bundled": is_bundled,
            }
        )
    return Origin(user=current_user(), files=files)


def _sha256(path: Path) -> str:
    """A streamed file's digest, read once more in blocks (memory stays bounded)."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# -- retracting an import --------------------------------------------------------------------


def retract_import(ledger: Ledger, number: int, reason: str) -> LoggedImport:
    """Record the retraction of everything import `number` added that still shows, in one
    transaction, or refuse (ChanceryError, nothing written). Returns the retraction's entry."""
    from chancery.storage.importlog import Origin, log_entry, logging_to
    from chancery.storage.ledger import with_retries

    origin = Origin(user=current_user(), retracts=number, reason=reason)
    with logging_to(ledger, origin) as journal:
        with_retries(lambda _: _Retraction(ledger, number, reason).record(journal))
        logged = journal.number
    entry = log_entry(ledger, logged) if logged is not None else None
    assert entry is not None, "a retraction that wrote events is logged"
    return entry


@dataclass
class _Staged:
    timeline: ChannelTimeline
    retractions: list[Retraction] = field(default_factory=list)


class _Retraction:
    """One attempt: check everything against the ledger as it is now, then write, provided no
    other writer recorded anything since the checks began (else the attempt starts again)."""

    def __init__(self, ledger: Ledger, number: int, reason: str) -> None:
        self.ledger = ledger
        self.number = number
        self.reason = reason

    def record(self, journal: ImportJournal) -> ImportReport:
        from chancery.storage.ledger import ImportReport
        from chancery.storage.recorders import IndexRows
        from eventsourcing.persistence import IntegrityError

        checked_at = self.ledger.recorder.max_notification_id() or 0
        staged = self._stage()
        stored = [
            self.ledger.mapper.to_stored_event(event)
            for item in staged
            for event in item.timeline.collect_events()
        ]
        index = IndexRows(
            entries=[(r.id, r.channel, _digest(r)) for item in staged for r in item.retractions]
        )
        writer = self.ledger.index
        with writer.writing() as cursor:
            writer.write_batch(cursor, (stored, index))
            if writer.events_after(cursor, checked_at) != len(stored) + journal.chunks:
                raise IntegrityError("another writer recorded events while this was checked")
        self.ledger.hand_over(item.timeline for item in staged)
        report = ImportReport()
        report.added["amendments"] = len(index.entries)
        return report

    def _stage(self) -> list[_Staged]:
        """The retractions, on their channels' timelines; raises the refusal if any."""
        from chancery.domain.parties import Channel
        from chancery.storage.importlog import added_entries

        self._check_entry()
        added = added_entries(self.ledger, self.number)
        ids = {event_id for event_id, _ in added}
        by_channel: dict[str, list[str]] = defaultdict(list)
        for event_id, channel in added:
            by_channel[channel].append(event_id)
        self._refuse_references(ids)
        channels = {
            slug: Channel.model_validate(record)
            for slug, (_, record) in self.ledger.index.declared("channels", set(by_channel)).items()
        }
        staged = []
        for slug in sorted(by_channel):
            item = self._stage_channel(channels[slug], ids)
            if item.retractions:
                staged.append(item)
        if not staged:
            raise ChanceryError(
                f"import {self.number} added no event that still shows "
                f"({_added_words(added)}): nothing to retract; nothing was written"
            )
        retraction_ids = [r.id for item in staged for r in item.retractions]
        if taken := self.ledger.index.recorded_entries(retraction_ids):
            raise ChanceryError(
                f"import {self.number} cannot be retracted: the id '{min(taken)}' that its "
                "retraction would take is already recorded; nothing was written"
            )
        return staged

    def _check_entry(self) -> None:
        from chancery.storage.importlog import log_entries, log_entry, log_size

        entry = log_entry(self.ledger, self.number)
        if entry is None:
            size = log_size(self.ledger)
            holds = f"entries 1 to {size}" if size else "no entries yet"
            raise ArgumentError(
                f"--import {self.number}: the import log holds {holds} (`chancery log` lists "
                "them); only imports recorded since the log began can be retracted"
            )
        if entry.retracts is not None:
            raise ChanceryError(
                f"entry {self.number} of the import log is the retraction of import "
                f"{entry.retracts}, not an import: a retraction cannot be retracted"
            )
        for later in log_entries(self.ledger, after=self.number):
            if later.retracts == self.number:
                raise ChanceryError(
                    f"import {self.number} was already retracted, by entry {later.number} "
                    f"({later.recorded_at:%Y-%m-%d %H:%M} UTC, {later.user}): its events no "
                    "longer show; nothing was written"
                )

    def _refuse_references(self, ids: set[str]) -> None:
        """Refuse when an event recorded after the import answers or amends one of its own."""
        from chancery.storage.importlog import references_after

        found = references_after(self.ledger, self.number, ids)
        if found:
            raise ChanceryError(
                f"import {self.number} cannot be retracted: later events depend on its events: "
                f"{_listed(found, _reference_words)}. Retract those first (the imports that "
                "added them, newest first, `chancery log` says which), then this one; "
                "nothing was written"
            )

    def _stage_channel(self, channel: Channel, ids: set[str]) -> _Staged:
        """The retractions of the import's events on one channel that still show, checked
        against the channel's rules as the timeline would then read."""
        from chancery.domain.actions import Amendment
        from chancery.domain.timeline import resolve

        timeline = self.ledger.load_timeline(channel.slug)
        entries = [item.entry for item in timeline.entries]
        own = {entry.id for entry in entries if entry.id in ids}
        outside = [
            entry
            for entry in entries
            if isinstance(entry, Amendment) and entry.id in own and entry.target not in own
        ]
        if outside:
            raise ChanceryError(
                f"import {self.number} cannot be retracted: it amended events it did not add "
                f"({_listed(outside, _amendment_words)}), and a retraction withdraws events, "
                "not amendments. To undo those, import a 'correction' of each event giving it "
                "as it read before; nothing was written"
            )
        item = _Staged(timeline)
        for action in resolve(entries):
            if action.id in own:
                item.retractions.append(self._retraction(action))
        if item.retractions:
            self._check_rules(channel, entries, item.retractions)
            for retraction in item.retractions:
                timeline.record(retraction, _digest(retraction))
        return item

    def _retraction(self, action: Action) -> Retraction:
        from chancery.domain.actions import IMPORT, Retraction
        from pydantic import ValidationError

        record = {
            "id": retraction_id(self.number, action.id),
            "type": "retraction",
            "retracts": action.id,
            "channel": action.channel,
            "reason": self.reason,
        }
        try:  # the reason is held to the text rules of an import file
            return Retraction.model_validate(record, context=IMPORT)
        except ValidationError as exc:
            raise ArgumentError(f"--reason: {one_line_reason(exc)}") from None

    def _check_rules(
        self, channel: Channel, entries: list[Action | Amendment], retractions: list[Retraction]
    ) -> None:
        from chancery.domain.timeline import check_timeline

        try:
            check_timeline(channel, [*entries, *retractions], [], self._source)
        except InvariantViolation as exc:
            raise ChanceryError(
                f"import {self.number} cannot be retracted: without its events, channel "
                f"'{channel.slug}' would break a rule ({exc.rule}) at '{exc.event_id}': "
                f"{exc.detail}. Retract or correct '{exc.event_id}' first; nothing was written"
            ) from None

    def _source(self, key: str) -> Any:
        from chancery.domain.sources import Source

        ((_, record),) = self.ledger.index.declared("sources", {key}).values()
        return Source.model_validate(record)


def _digest(retraction: Retraction) -> str:
    from chancery.storage.ledger import digest

    return digest(retraction)


def retraction_id(number: int, event_id: str) -> str:
    """`import-N-retracts-EVENT`, shortened with a digest where that is longer than an id
    may be."""
    whole = f"import-{number}-retracts-{event_id}"
    if len(whole) <= 120:
        return whole
    tail = hashlib.sha256(event_id.encode()).hexdigest()[:12]
    return f"{whole[:100].rstrip('-')}-{tail}"


def _listed(items: Sequence[Any], words: Callable[[Any], str]) -> str:
    shown = "; ".join(words(item) for item in items[:SHOWN])
    more = len(items) - SHOWN
    return f"{shown}; and {more} more" if more > 0 else shown


def _reference_words(reference: Reference) -> str:
    by = f" (import {reference.imported_by})" if reference.imported_by else ""
    return f"'{reference.event_id}'{by} {reference.kind} '{reference.names}'"


def _amendment_words(amendment: Amendment) -> str:
    return f"'{amendment.id}' ({amendment.type} of '{amendment.target}')"


def _added_words(added: list[tuple[str, str]]) -> str:
    if not added:
        return "it declared parties, channels or sources only, and declarations stay"
    return "it withdrew its own events itself"
