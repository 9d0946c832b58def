"""The event list, sources and disputes: the ledger's content in valid-time order."""

from __future__ import annotations

from datetime import date

from chancery.domain.actions import Action
from chancery.domain.ledger import LedgerContents
from chancery.domain.sources import Citation, Claim, Dispute, Source
from chancery.domain.timeline import valid_time_order
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

_ENVELOPE = {
    "id",
    "type",
    "channel",
    "actor",
    "target",
    "date",
    "effective",
    "citations",
    "reasons",
    "disputes",
    "note",
}


def first_reported(action: Action, sources: dict[str, Source]) -> date:
    """The day by which some source had certainly reported the action (its known time)."""
    return min(sources[c.source].published.latest for c in action.all_citations())


def is_known(action: Action, sources: dict[str, Source], known_at: date | None) -> bool:
    return known_at is None or first_reported(action, sources) <= known_at


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


def citation_view(citation: Citation, sources: dict[str, Source]) -> CitationView:
    source = sources[citation.source]
    return CitationView(
        source=citation.source,
        quote=citation.quote,
        outlet=source.outlet,
        published=source.published.edtf,
    )


def event_view(action: Action, contents: LedgerContents) -> EventView:
    sources = contents.sources
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
        first_reported=first_reported(action, sources),
        recorded_at=contents.recorded_at.get(action.id),
        plover=action.codes.plover,
        plover_mode=action.codes.plover_mode,
        cameo=action.codes.cameo,
        details=action.model_dump(mode="json", exclude=_ENVELOPE),
        citations=[citation_view(c, sources) for c in action.citations],
        reasons=[claim_view(c) for c in action.reasons],
        disputes=[dispute_view(action.id, d) for d in action.disputes],
        note=action.note,
    )


def list_events(
    contents: LedgerContents,
    *,
    channel: str | None = None,
    start: date | None = None,
    end: date | None = None,
    known_at: date | None = None,
) -> EventList:
    """Events in valid-time order; a date range keeps events whose interval overlaps it."""
    actions = contents.actions(channel) if channel else contents.all_actions()
    chosen = [
        a
        for a in valid_time_order(actions)
        if (start is None or a.date.latest >= start)
        and (end is None or a.date.earliest <= end)
        and is_known(a, contents.sources, known_at)
    ]
    return EventList(events=[event_view(a, contents) for a in chosen])


def list_sources(contents: LedgerContents) -> SourceList:
    supported: dict[str, list[str]] = {slug: [] for slug in contents.sources}
    for action in valid_time_order(contents.all_actions()):
        for source in dict.fromkeys(c.source for c in action.all_citations()):
            supported[source].append(action.id)
    return SourceList(
        sources=[
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
                events=supported[s.id],
            )
            for s in sorted(contents.sources.values(), key=lambda s: (s.published.earliest, s.id))
        ]
    )


def list_disputes(contents: LedgerContents) -> DisputeList:
    return DisputeList(
        disputes=[
            dispute_view(action.id, dispute)
            for action in valid_time_order(contents.all_actions())
            for dispute in action.disputes
        ]
    )
