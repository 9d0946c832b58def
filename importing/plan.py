"""What an import adds to the ledger, worked out before anything is written: declarations
compared with the index, references resolved, every touched channel's timeline checked whole
in valid time (docs/design.md principle 7). Loaded only by commands that import."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from chancery.domain.actions import (
    Action,
    Amendment,
    Correction,
    DisputeRecorded,
    Refinement,
    answered_events,
    check_action_parties,
    check_citation_dates,
    check_response,
    cited_sources,
    too_early,
)
from chancery.domain.aggregates import Declaration
from chancery.domain.errors import ConflictingRecordError, InvalidRecordError, InvariantViolation
from chancery.domain.parties import Channel, Party, how_to_declare
from chancery.domain.sources import Source
from chancery.domain.timeline import SecondReport, check_reported_once, fold_all, resolve
from chancery.importing.dataset import LoadedFile
from chancery.storage.ledger import ImportReport, Ledger, digest
from chancery.storage.recorders import IndexRows
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from pydantic import BaseModel

_SECTIONS = {"party": "parties", "channel": "channels", "source": "sources"}
_MODELS: dict[str, type[BaseModel]] = {"parties": Party, "channels": Channel, "sources": Source}

Entry = Action | Amendment


class ImportPlan:
    """Works out what an import adds, refusing anything that breaks a rule."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.report = ImportReport()
        self.known: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {s: {} for s in _MODELS}
        self.looked_up: dict[str, set[str]] = {s: set() for s in _MODELS}
        self.declared: list[Any] = []
        """The declarations' new events, in order."""
        self.index_rows = IndexRows()
        self.new_entries: dict[str, list[tuple[Entry, str]]] = defaultdict(list)
        self.places: dict[str, str] = {}
        self.new_digests: dict[str, str] = {}
        self.models: dict[tuple[str, str], BaseModel] = {}
        """Declarations validated as models, by (section, key): each is validated once."""

    def _lookup(self, section: str, keys: set[str]) -> None:
        missing = keys - self.looked_up[section]
        if missing:
            self.known[section].update(self.ledger.index.declared(section, missing))
            self.looked_up[section] |= missing

    def add(self, loaded: LoadedFile) -> None:
        data = loaded.dataset
        self._lookup("parties", {p.slug for p in data.parties} | _channel_parties(data))
        self._lookup("channels", {c.slug for c in data.channels} | {e.channel for e in data.events})
        self._lookup("sources", {s.id for s in data.sources} | cited_sources(data.events))
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
            record = with_recorded_vocabulary(record, stored[1])
        as_json = record.model_dump(mode="json")
        canonical = json.dumps(as_json, sort_keys=True, ensure_ascii=False)
        content = hashlib.sha256(canonical.encode()).hexdigest()  # = digest(record), once
        if stored is None:
            self.declared.append(Declaration.declared(section, key, as_json))
            self.index_rows.declarations.append((section, key, content, canonical))
            self.known[section][key] = (content, as_json)
            self.models[section, key] = record
            self.report.added[section] += 1
        elif stored[0] == content:
            self.report.unchanged[section] += 1
        elif only_vocabulary_added(stored[1], as_json):
            try:
                declaration: Declaration = self.ledger.repository.get(
                    Declaration.create_id(section, key)
                )
                declaration.extend_vocabulary(as_json)
            except AggregateNotFoundError:  # declared by release 0.1.0, in its catalog
                declaration = Declaration(section=section, key=key, record=as_json)
            self.declared.extend(declaration.collect_events())
            self.index_rows.extended.append((content, canonical, section, key))
            self.known[section][key] = (content, as_json)
            self.models.pop((section, key), None)
            self.report.added["alias lists"] += 1
        else:
            raise declaration_changed(where, key)

    def _require(
        self, names: str | list[str] | None, what: str, where: str, field_name: str
    ) -> None:
        known = self.known[_SECTIONS[what]]
        for name in [names] if isinstance(names, str) else names or []:
            if name not in known:
                raise InvalidRecordError(
                    f"{where}: field '{field_name}': unknown {what} '{name}' "
                    f"({how_to_declare(what, name, _SECTIONS[what])})"
                )

    def _add_entry(self, entry: Entry, recorded: tuple[str, str] | None, where: str) -> None:
        channel = entry.channel
        check_references(entry, where, self._require, self.channel, self._source)
        content = digest(entry)
        stored = recorded[1] if recorded else self.new_digests.get(entry.id)
        if stored == content:
            self.report.unchanged["events"] += 1
            return
        if stored is not None:
            raise event_changed(where, entry.id)
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
            if isinstance(entry, Amendment) and entry.target == event_id
        ]
        if amending:
            return ", ".join(amending), " (as amended by this import)"
        new_here = ", ".join(self.places[entry.id] for entry, _ in additions)
        return new_here, in_breach(event_id)

    def channel(self, slug: str) -> Channel:
        """A channel this import adds to, as declared (in the ledger or in the import)."""
        model = self.models.get(("channels", slug))
        if not isinstance(model, Channel):
            model = self.models["channels", slug] = Channel.model_validate(
                self.known["channels"][slug][1]
            )
        return model

    def _source(self, key: str) -> Source:
        """A cited source as declared, validated once however many entries cite it."""
        model = self.models.get(("sources", key))
        if not isinstance(model, Source):
            model = self.models["sources", key] = Source.model_validate(
                self.known["sources"][key][1]
            )
        return model

    def _cited_source(self, key: str) -> Source:
        """A source an amended event cites, declared by this import or already recorded."""
        self._lookup("sources", {key})
        return self._source(key)

    def _answered(self, ids: set[str]) -> dict[str, Action]:
        """The events these ids name, as they now read: in this import, or recorded."""
        found: dict[str, Action] = {}
        for additions in self.new_entries.values():
            for entry, _ in additions:
                action = entry.replacement if isinstance(entry, Correction) else entry
                if isinstance(action, Action) and action.id in ids:
                    found[action.id] = action
        recorded = self.ledger.index.recorded_entries(ids - found.keys())
        for slug in sorted({channel for channel, _ in recorded.values()}):
            entries = [item.entry for item in self.ledger.load_timeline(slug).entries]
            wanted = ids - found.keys()
            found.update(answered_events(entries, resolve(entries), wanted))
        return found

    def finish(self) -> list[Aggregate]:
        """Check every touched timeline whole, then stage the new events on the timelines (the
        declarations' are in `declared`)."""
        check_responses(
            [
                (entry, self.places[entry.id])
                for adds in self.new_entries.values()
                for entry, _ in adds
            ],
            self._answered,
        )
        staged: list[Aggregate] = []
        for slug, additions in sorted(self.new_entries.items()):
            timeline = self.ledger.load_timeline(slug)
            existing = [item.entry for item in timeline.entries]
            channel = self.channel(slug)
            new = [entry for entry, _ in additions]
            try:
                check_timeline(channel, existing + new, new, self._cited_source)
            except InvariantViolation as exc:
                where, context = self._blame(exc.event_id, additions)
                if isinstance(exc, SecondReport) and exc.other in self.places:
                    context += f" (it is at {self.places[exc.other]})"
                raise InvariantViolation(
                    exc.rule, exc.event_id, exc.detail + context, where
                ) from None
            for entry, content in additions:
                timeline.record(entry, content)
            staged.append(timeline)
        return staged


_VOCABULARY = ("aliases", "triggers")


def check_timeline(
    channel: Channel, entries: list[Entry], new: list[Entry], source: Callable[[str], Source]
) -> None:
    """The rules a channel's timeline obeys whole once an import's `new` entries (the last of
    `entries`, in the import's order) are added, whichever import reads them: no action
    reported twice (`check_reported_once`), no source cited for an event before it happened
    (`check_amended_sources`), then every rule of the fold in valid time (principle 7).
    Raises InvariantViolation naming the entry at fault."""
    actions = resolve(entries)
    check_reported_once(actions, {e.id: n for n, e in enumerate(new) if isinstance(e, Action)})
    check_amended_sources(actions, new, source)
    fold_all(channel, actions)


def check_amended_sources(
    actions: list[Action], new: list[Entry], source: Callable[[str], Source]
) -> None:
    """A corroboration or refinement adds citations, and a correction or refinement can move
    the date, to an event checked when it was recorded: check the event as it now reads, as
    `verify` does, so that an import cannot leave a ledger that `verify` refuses for good.
    The fault is the amendment that brought the citation, else the one that moved the date."""
    amending: dict[str, list[Amendment]] = defaultdict(list)
    for entry in new:
        if isinstance(entry, Amendment):
            amending[entry.target].append(entry)
    for action in actions:
        for citation in action.citations if action.id in amending else ():
            problem = too_early(source(citation.source), action)
            if problem is None:
                continue
            brought = [a for a in amending[action.id] if citation in a.own_citations()]
            moved = [a for a in amending[action.id] if isinstance(a, Correction | Refinement)]
            if not brought and not moved:
                continue  # recorded before this rule: `verify` names it
            blamed = (brought or moved)[0]
            field = "citations" if brought else "date"
            raise InvariantViolation(
                "source-not-before-event", blamed.id, f"its {field}: {problem}"
            )


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
    are parties of its channel, and none of its sources was published before it (issue 9)."""
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


def _channel_parties(data: Any) -> set[str]:
    names: set[str] = set()
    for channel in data.channels:
        names.update(channel.parties)
    for entry in data.events:
        action = entry.replacement if isinstance(entry, Correction) else entry
        if isinstance(action, Action):
            names.update(n for n in (action.actor, action.target) if n)
    return names


# -- the messages of every import, whole-file or streamed: each written once ----------------


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
