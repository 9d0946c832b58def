"""The event list, sources and disputes: the ledger's content in valid-time order."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from chancery.domain import countries
from chancery.domain.actions import Action
from chancery.domain.facts import Basis
from chancery.domain.sources import Citation, Claim, Dispute, Source
from chancery.projections.knowledge import first_reported, published_by
from chancery.projections.models import (
    CitationView,
    ClaimView,
    DisputeList,
    DisputeView,
    EventList,
    EventView,
    SourceList,
    SourceView,
)
from chancery.projections.ports import EventMatch, Readings

_ENVELOPE = {
    "id",
    "in_response_to",
    "type",
    "channel",
    "actor",
    "target",
    "date",
    "effective",
    "status",
    "citations",
    "reasons",
    "disputes",
    "note",
}


def claim_view(claim: Claim) -> ClaimView:
    return ClaimView(
        says=claim.says,
        party=claim.party,
        date=claim.date.edtf if claim.date else None,
        sources=sorted({c.source for c in claim.citations}),
    )


def dispute_view(event_id: str, dispute: Dispute) -> DisputeView:
    return DisputeView(
        event=event_id, about=dispute.about, claims=[claim_view(c) for c in dispute.claims]
    )


def citation_view(citation: Citation, sources: Mapping[str, Source]) -> CitationView:
    source = sources[citation.source]
    return CitationView(
        source=citation.source,
        quote=citation.quote,
        outlet=source.outlet,
        published=source.published.edtf,
    )


def event_certainty(action: Action) -> str:
    """'possible' when the day it took effect is a range (it may or may not have happened on a
    day inside it); 'announced' when its one day is that of an announcement and no source says
    when it took effect; else 'certain': the vocabulary of `state`, in every view of it."""
    if not action.takes_effect.is_exact:
        return "possible"
    return "announced" if event_basis(action) is Basis.ANNOUNCED else "certain"


def event_basis(action: Action) -> Basis:
    """How its sources know it: as done, or only as announced (principle 4)."""
    return Basis.ANNOUNCED if action.announced_only else Basis.REPORTED


def party_code(slug: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 or organisation code of a party (a code and its slug are
    one-to-one, so the slug alone says it); None for a party declared without one."""
    entry = countries.by_slug(slug) if slug else None
    return entry.code if entry else None


def event_view(
    action: Action, sources: Mapping[str, Source], recorded_at: datetime | None
) -> EventView:
    return EventView(
        id=action.id,
        type=action.type,
        summary=action.summary,
        channel=action.channel,
        actor=action.actor,
        target=action.target,
        date=action.date.edtf,
        earliest=action.date.earliest,
        latest=action.date.latest,
        wording=action.date.wording,
        resolution=action.date.resolution,
        effective=action.effective.edtf if action.effective else None,
        effective_earliest=action.effective.earliest if action.effective else None,
        effective_latest=action.effective.latest if action.effective else None,
        status=action.status,
        certainty=event_certainty(action),
        basis=event_basis(action).value,
        actor_code=party_code(action.actor),
        target_code=party_code(action.target),
        first_reported=first_reported(action.all_citations(), sources),
        recorded_at=recorded_at,
        plover=action.codes.plover,
        plover_mode=action.codes.plover_mode,
        cameo=action.codes.cameo,
        details=action.model_dump(mode="json", exclude=_ENVELOPE),
        citations=[citation_view(c, sources) for c in action.citations],
        reasons=[claim_view(c) for c in action.reasons],
        disputes=[dispute_view(action.id, d) for d in action.disputes],
        note=action.note,
        in_response_to=action.in_response_to,
    )


PAGE = 1000


def _pages(
    read: Readings, **filters: Any
) -> Iterator[tuple[list[tuple[Action, datetime | None]], dict[str, Source]]]:
    """Known event readings in valid-time order, a page at a time, with the sources they cite.
    Filters: channel, start, end (a date range keeps events whose interval overlaps it),
    known_at and match (`EventMatch`: types, actor, party, source)."""
    read.catch_up()
    after = None
    while page := read.versions_page(after=after, limit=PAGE, **filters):
        cited = {c.source for action, *_ in page for c in action.all_citations()}
        yield [(action, recorded_at) for action, _, recorded_at, _ in page], read.sources(cited)
        after = page[-1][3]


def event_pages(
    read: Readings,
    *,
    channel: str | None = None,
    start: date | None = None,
    end: date | None = None,
    known_at: date | None = None,
    match: EventMatch | None = None,
) -> Iterator[tuple[list[EventView], dict[str, Source]]]:
    """The events a page at a time, each page with the sources it cites: what a command that
    prints or exports every event holds in memory, whatever the size of the ledger."""
    filters: dict[str, Any] = {"channel": channel, "start": start, "end": end}
    filters.update(known_at=known_at, match=match)
    for page, sources in _pages(read, **filters):
        yield [event_view(action, sources, recorded_at) for action, recorded_at in page], sources


def list_events(
    read: Readings,
    *,
    channel: str | None = None,
    start: date | None = None,
    end: date | None = None,
    known_at: date | None = None,
) -> EventList:
    """The events as one list: for the reports that show a few (one channel's, a date
    range's); a listing of the whole ledger takes `event_pages`."""
    pages = event_pages(read, channel=channel, start=start, end=end, known_at=known_at)
    return EventList(events=[event for page, _ in pages for event in page])


def _supported_at(read: Readings, known_at: date) -> dict[str, list[str]]:
    """The events each source supports in the readings known at `known_at` (the read model's
    citation rows hold the current readings only): event ids, a page of readings at a time."""
    supported: dict[str, set[str]] = {}
    for page, _ in _pages(read, channel=None, start=None, end=None, known_at=known_at):
        for action, _ in page:
            for citation in action.all_citations():
                supported.setdefault(citation.source, set()).add(action.id)
    return {source: sorted(events) for source, events in supported.items()}


def source_pages(read: Readings, known_at: date | None = None) -> Iterator[list[SourceView]]:
    """Every declared source, in the order it was declared, with the events it supports: a
    page of sources at a time, whatever the size of the ledger. Known at a date: only the
    sources published by then, with the events their readings then supported."""
    read.catch_up()
    supported = _supported_at(read, known_at) if known_at is not None else None
    after = 0
    while page := read.sources_page(after, PAGE):
        shown = [
            (s, events if supported is None else supported.get(s.id, []))
            for _, s, events in page
            if published_by(s, known_at)
        ]
        after = page[-1][0]
        if not shown:
            continue
        yield [
            SourceView(
                id=s.id,
                outlet=s.outlet,
                file=s.file,
                published=s.published.edtf,
                headline=s.headline,
                url=s.url,
                published_earliest=s.published.earliest,
                published_latest=s.published.latest,
                note=s.note,
                events=events,
            )
            for s, events in shown
        ]


def list_sources(read: Readings, known_at: date | None = None) -> SourceList:
    return SourceList(sources=[source for page in source_pages(read, known_at) for source in page])


def list_disputes(read: Readings, known_at: date | None = None) -> DisputeList:
    """Every dispute of the event readings known at `known_at` (None: now)."""
    return DisputeList(
        disputes=[
            dispute_view(action.id, dispute)
            for page, _ in _pages(read, channel=None, start=None, end=None, known_at=known_at)
            for action, _ in page
            for dispute in action.disputes
        ]
    )
