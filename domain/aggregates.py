"""The eventsourcing aggregates that hold the ledger.

No aggregate grows with the ledger as a whole: each declaration (party, channel, source) is an
aggregate of its own, and each channel's entries are one `ChannelTimeline`, where that channel's
invariants are checked. Which ids and digests exist is kept in an index table written in the
same transaction as the events (`recorders.py`), not in an aggregate that every import loads.

Each action type is stored as its own event class carrying its pydantic model, so each type has
its own `class_version` and upcasters: to change a type's stored shape, raise its version in
`CLASS_VERSIONS` and add `upcast_vN_vN+1` to `UPCASTERS`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from chancery.domain.actions import (
    ACTION_TYPES,
    AMENDMENT_TYPES,
    ENTRY_ADAPTER,
    Action,
    Amendment,
    Correction,
    Retraction,
)
from chancery.domain.identity import content_digest
from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic, register_topic
from pydantic import BaseModel

_NAMESPACE = uuid5(NAMESPACE_URL, "https://chancery.invalid/ledger")


class Declaration(Aggregate):
    """A party, channel or source, declared once; a different declaration of the same key is
    refused by the import, so the aggregate never has a second event."""

    @staticmethod
    def create_id(section: str, key: str) -> UUID:
        return uuid5(_NAMESPACE, f"{section}:{key}")

    @classmethod
    def declared(cls, section: str, key: str, record: dict[str, Any]) -> Aggregate.Event:
        """The event that creates a declaration, without building the aggregate around it: an
        import writes thousands of them and reads none back (a third of the cost each)."""
        # `Declared` is made by eventsourcing's @event("Declared") when the class is created:
        # the checker cannot see it, and so knows nothing of what it returns.
        event_class = cls.Declared  # type: ignore[attr-defined]
        return event_class(  # type: ignore[no-any-return]  # see above
            originator_id=cls.create_id(section, key),
            originator_version=cls.INITIAL_VERSION,
            timestamp=event_class.create_timestamp(),
            originator_topic=_DECLARATION_TOPIC,
            section=section,
            key=key,
            record=record,
        )

    @event("Declared")
    def __init__(self, section: str, key: str, record: dict[str, Any]) -> None:
        self.section = section
        self.key = key
        self.record = record

    @event("VocabularyExtended")
    def extend_vocabulary(self, record: dict[str, Any]) -> None:
        """The same declaration with more aliases or trigger words (what extraction reads);
        nothing else about a declaration can change."""
        self.record = record


_DECLARATION_TOPIC = get_topic(Declaration)


@dataclass(frozen=True)
class TimelineEntry:
    """An entry as a timeline holds it: the content, its digest, and when it was written."""

    entry: Any
    digest: str
    recorded_at: datetime


class ChannelTimeline(Aggregate):
    """One channel's entries, in recording order."""

    @staticmethod
    def create_id(slug: str) -> UUID:
        return uuid5(_NAMESPACE, f"channel:{slug}")

    @event("Opened")
    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.entries: list[TimelineEntry] = []

    @dataclass(frozen=True)  # as eventsourcing's metaclass makes it: said for the checker
    class Recorded(Aggregate.Event):
        """Base of the typed entry events: `model` is the pydantic model the entry carries."""

        model: ClassVar[type[BaseModel] | None] = None
        entry: Any
        digest: str

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, ChannelTimeline)
            aggregate.entries.append(TimelineEntry(self.entry, self.digest, self.timestamp))

    class EntryRecorded(Recorded):
        """How release 0.1.0 stored every entry, whatever its type: a plain dict (v1), then a
        dict and its digest (v2). Such rows are read, never written any more."""

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["digest"] = content_digest(state["entry"])

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, ChannelTimeline)
            entry = ENTRY_ADAPTER.validate_python(self.entry)
            aggregate.entries.append(TimelineEntry(entry, self.digest, self.timestamp))

    def record(self, entry: Action | Amendment, digest: str) -> None:
        self.trigger_event(EVENT_CLASSES[entry.type], entry=entry, digest=digest)


CLASS_VERSIONS: dict[str, int] = {}
"""Stored-shape version of each entry type, 1 unless raised here (with an upcaster)."""

UPCASTERS: dict[str, dict[str, Callable[[dict[str, Any]], None]]] = {}
"""Per entry type, `upcast_vN_vN+1` functions that rewrite an older stored state in place."""


def _event_class(type_tag: str, model: type[BaseModel]) -> type[ChannelTimeline.Recorded]:
    name = model.__name__ + ("Recorded" if model in (Correction, Retraction) else "")
    if model in AMENDMENT_TYPES.values() and not name.endswith("Recorded"):
        name += "Recorded"
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__qualname__": f"ChannelTimeline.{name}",
        "__doc__": f"A `{type_tag}` entry recorded on the channel's timeline.",
        "model": model,
        "class_version": CLASS_VERSIONS.get(type_tag, 1),
        **{n: staticmethod(f) for n, f in UPCASTERS.get(type_tag, {}).items()},
    }
    cls = type(name, (ChannelTimeline.Recorded,), namespace)
    setattr(ChannelTimeline, name, cls)
    return cls


EVENT_CLASSES: dict[str, type[ChannelTimeline.Recorded]] = {
    tag: _event_class(tag, model) for tag, model in {**ACTION_TYPES, **AMENDMENT_TYPES}.items()
}
"""The stored event class of each entry type."""


class Catalog(Aggregate):
    """The single catalog of release 0.1.0 (declarations plus an index of every event id).
    Ledgers written by that release still hold its events; they are read, never written."""

    class Opened(Aggregate.Created):
        pass

    class PartyDeclared(Aggregate.Event):
        party: dict[str, Any]

    class ChannelDeclared(Aggregate.Event):
        channel: dict[str, Any]

    class SourceDeclared(Aggregate.Event):
        source: dict[str, Any]

    class EntriesIndexed(Aggregate.Event):
        channels: dict[str, str]
        digests: dict[str, str]


LEGACY_DECLARATIONS: dict[type, tuple[str, str, str]] = {
    Catalog.PartyDeclared: ("parties", "party", "slug"),
    Catalog.ChannelDeclared: ("channels", "channel", "slug"),
    Catalog.SourceDeclared: ("sources", "source", "id"),
}
"""How each legacy catalog event maps to a declaration: section, state key, key field."""

# Release 0.1.0 installed this module as top-level `domain.aggregates`: its stored topics name it.
register_topic("domain.aggregates", sys.modules[__name__])
