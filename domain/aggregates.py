"""The eventsourcing aggregates that hold the ledger.

`Catalog` is the one aggregate every import touches: it holds the declarations and the index of
event ids, so its version serialises concurrent imports (optimistic concurrency, then retry).
`ChannelTimeline` holds one channel's entries, where that channel's invariants are checked.
Entries are stored as plain JSON-able dicts and validated into pydantic models on read, so the
stored shape is the import format's shape and needs no custom transcoding.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid5(NAMESPACE_URL, "https://chancery.invalid/ledger")


def content_digest(data: dict[str, Any]) -> str:
    """Content identity of a record as JSON: equal content, equal digest, whatever key order."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Catalog(Aggregate):
    @staticmethod
    def create_id() -> UUID:
        return uuid5(_NAMESPACE, "catalog")

    @event("Opened")
    def __init__(self) -> None:
        self.parties: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.sources: dict[str, dict[str, Any]] = {}
        self.entry_channels: dict[str, str] = {}
        self.entry_digests: dict[str, str] = {}

    @event("PartyDeclared")
    def declare_party(self, party: dict[str, Any]) -> None:
        self.parties[party["slug"]] = party

    @event("ChannelDeclared")
    def declare_channel(self, channel: dict[str, Any]) -> None:
        self.channels[channel["slug"]] = channel

    @event("SourceDeclared")
    def declare_source(self, source: dict[str, Any]) -> None:
        self.sources[source["id"]] = source

    @event("EntriesIndexed")
    def index_entries(self, channels: dict[str, str], digests: dict[str, str]) -> None:
        self.entry_channels.update(channels)
        self.entry_digests.update(digests)


class ChannelTimeline(Aggregate):
    @staticmethod
    def create_id(slug: str) -> UUID:
        return uuid5(_NAMESPACE, f"channel:{slug}")

    @event("Opened")
    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.entries: list[dict[str, Any]] = []

    class EntryRecorded(Aggregate.Event):
        """An entry written to the channel's timeline.

        Version 2 stores the entry's content digest beside it, so every row can be checked on
        its own; rows written as version 1 are upcast on read by computing it.
        """

        class_version = 2
        entry: dict[str, Any]
        digest: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["digest"] = content_digest(state["entry"])

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, ChannelTimeline)
            aggregate.entries.append(
                {"entry": self.entry, "digest": self.digest, "recorded_at": self.timestamp}
            )

    def record(self, entry: dict[str, Any], digest: str) -> None:
        self.trigger_event(self.EntryRecorded, entry=entry, digest=digest)
