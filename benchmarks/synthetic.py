"""Synthetic but valid ledgers of any size, written as ordinary import files.

Parties, channels of several kinds, sources published as the events happen, and per channel a
history that obeys every rule: missions see their staff cap cut (each `from` the previous
`to`) and accreditations withdrawn; councils see invitations and meetings; cooperation is
suspended and resumed in turn. Dates advance per channel, so the sources' publication dates
give the known-time axis as many distinct days as a real ledger has.

Files are written a few channels at a time (`chunk` events per file), so that a benchmark can
import a large ledger in bounded pieces.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

KINDS = ("mission", "mission", "mission", "council", "cooperation")


@dataclass(frozen=True)
class Shape:
    events: int
    channels: int = 1000
    parties: int = 200
    kinds: tuple[str, ...] = KINDS
    """The channels' kinds, in turn (one kind alone: every channel a council, say)."""

    def kind(self, index: int) -> str:
        return self.kinds[index % len(self.kinds)]

    @property
    def per_channel(self) -> int:
        return max(1, self.events // self.channels)


def channel_slug(index: int) -> str:
    return f"ch-{index:05d}"


def _channel(index: int, shape: Shape) -> dict[str, object]:
    kind = shape.kind(index)
    first, second = f"p-{index % shape.parties:03d}", f"p-{(index * 7 + 1) % shape.parties:03d}"
    if first == second:
        second = f"p-{(index + 1) % shape.parties:03d}"
    record: dict[str, object] = {
        "slug": channel_slug(index),
        "name": f"Synthetic {kind} {index}",
        "kind": kind,
        "parties": [first, second],
    }
    if kind == "mission":
        record["host"] = second
    return record


def declarations(shape: Shape) -> dict[str, object]:
    return {
        "chancery": 1,
        "parties": [
            {"slug": f"p-{i:03d}", "name": f"Party {i}", "kind": "state"}
            for i in range(shape.parties)
        ],
        "channels": [_channel(i, shape) for i in range(shape.channels)],
    }


def _events(index: int, shape: Shape) -> Iterator[tuple[dict[str, object], dict[str, object]]]:
    """(source, event) pairs of one channel's history, in valid-time order."""
    channel = _channel(index, shape)
    slug, kind = channel["slug"], channel["kind"]
    actor, target = channel["parties"]  # type: ignore[misc]
    day = date(1990, 1, 1) + timedelta(days=index % 365)
    cap = 200
    for n in range(shape.per_channel):
        day += timedelta(days=3 + (n * 13 + index) % 11)
        source = {"id": f"src-{slug}-{n}", "outlet": "Synthetic Wire", "published": str(day)}
        event: dict[str, object] = {
            "id": f"{slug}-e{n}",
            "channel": slug,
            "actor": target if kind == "mission" else actor,
            "target": actor if kind == "mission" else target,
            "date": str(day),
            "citations": [{"source": source["id"], "quote": f"Synthetic report {n} on {slug}."}],
        }
        if kind == "mission":
            if n % 2:
                event.update(type="accreditation_withdrawn", count=1 + n % 5)
            else:
                new_cap = max(0, cap - 1 - n % 3) if cap > 20 else cap + 10
                event.update(type="staff_cap_changed", from_cap=cap, to_cap=new_cap)
                cap = new_cap
        elif kind == "council":
            if n % 2:
                event.update(type="meeting_held")
            else:
                event.update(type="invitation_extended")
        else:
            event.update(type="cooperation_resumed" if n % 2 else "cooperation_suspended")
        yield source, event


def write_files(folder: Path, shape: Shape, chunk: int = 10_000) -> list[Path]:
    """The declarations file, then files of about `chunk` events, whole channels each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "declarations.json"]
    paths[0].write_text(json.dumps(declarations(shape)), encoding="utf-8")
    channels_per_file = max(1, chunk // shape.per_channel)
    for first in range(0, shape.channels, channels_per_file):
        sources, events = [], []
        for index in range(first, min(shape.channels, first + channels_per_file)):
            for source, event in _events(index, shape):
                sources.append(source)
                events.append(event)
        path = folder / f"events-{first:05d}.json"
        path.write_text(
            json.dumps({"chancery": 1, "sources": sources, "events": events}), encoding="utf-8"
        )
        paths.append(path)
    return paths


def one_more_event(folder: Path, shape: Shape, channel: int = 0) -> Path:
    """A file adding one event at the end of a channel's history (a council: a meeting)."""
    index = next(i for i in range(channel, shape.channels) if shape.kind(i) == "council")
    slug = channel_slug(index)
    day = date(2099, 1, 1)
    path = folder / "one-more.json"
    record = {
        "chancery": 1,
        "sources": [{"id": f"src-{slug}-late", "outlet": "Synthetic Wire", "published": str(day)}],
        "events": [
            {
                "id": f"{slug}-late",
                "type": "invitation_extended",
                "channel": slug,
                "actor": _channel(index, shape)["parties"][0],  # type: ignore[index]
                "date": str(day),
                "citations": [{"source": f"src-{slug}-late", "quote": "One more."}],
            }
        ],
    }
    path.write_text(json.dumps(record), encoding="utf-8")
    return path
