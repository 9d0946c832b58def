"""Known time: which reading of each event was known on which dates (docs/design.md principle 2).

An event is known from the day some source had certainly reported it. An amendment (a
correction, retraction, refinement or dispute) is known from its own sources' publication, so
`--known-at` before that day still answers with the event as it first read; one that cites
nothing fixes the ledger rather than the world and applies from the start. Amendments apply in
recording order.

A reading shows only what its sources had published by the day it is read at: a citation, a
reason, one side of a dispute (and the date that side gives) appears from its source's
publication on, so a reading is split into one version per day a further source of it appears.
"As known at K" is then the answer of a ledger that holds only what was published by K.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from chancery.domain.actions import Action, Amendment, Correction, Corroboration
from chancery.domain.dates import UncertainDate
from chancery.domain.sources import Citation, Claim, Dispute, Source
from chancery.domain.timeline import amended


@dataclass(frozen=True)
class Version:
    """One reading of an event and the known-time interval [known_from, known_to) it held."""

    action: Action
    known_from: date
    known_to: date | None

    def known_at(self, known_at: date | None) -> bool:
        if known_at is None:
            return self.known_to is None
        return self.known_from <= known_at and (self.known_to is None or known_at < self.known_to)


def first_reported(citations: Iterable[Citation], sources: Mapping[str, Source]) -> date:
    """The day by which some source had certainly reported it: the earliest end of a citing
    source's publication interval."""
    return min(sources[c.source].published.latest for c in citations)


def published_by(source: Source, known_at: date | None) -> bool:
    """Whether a source counts as published by `known_at` (None: now) in an "as known at"
    answer: an undated source by its earliest possible date, so that no reading
    ever cites a source certainly published after the day it is read at."""
    return known_at is None or source.published.earliest <= known_at


def _cited(
    citations: Iterable[Citation], sources: Mapping[str, Source], day: date
) -> list[Citation]:
    return [c for c in citations if published_by(sources[c.source], day)]


def _claims(claims: Iterable[Claim], sources: Mapping[str, Source], day: date) -> list[Claim]:
    """The claims some source of which had published by `day`, each with those citations."""
    kept = []
    for claim in claims:
        cited = _cited(claim.citations, sources, day)
        if cited:
            kept.append(
                claim
                if len(cited) == len(claim.citations)
                else claim.model_copy(update={"citations": cited})
            )
    return kept


def _hull(dates: list[UncertainDate]) -> UncertainDate:
    """The one date the known sides give, or the interval spanning the dates they give."""
    if len(dates) == 1:
        return dates[0]
    earliest = min(d.earliest for d in dates)
    latest = max(d.latest for d in dates)
    return UncertainDate(
        edtf=f"{earliest.isoformat()}/{latest.isoformat()}",
        earliest=earliest,
        latest=latest,
        wording="; ".join(d.wording for d in dates if d.wording) or None,
        resolution="The hull of the disputed dates then published.",
    )


def as_published(action: Action, sources: Mapping[str, Source], day: date) -> Action | None:
    """The action as its sources published by `day` give it: their citations, reasons and
    sides of disputes only (a dispute with one side left is no dispute yet), and the date the
    known sides give when a side that dated it otherwise was not yet published. None when no
    citation of the action itself was published yet (nothing to show it by)."""
    citations = _cited(action.citations, sources, day)
    if not citations:
        return None
    reasons = _claims(action.reasons, sources, day)
    disputes: list[Dispute] = []
    dated_all = [c for d in action.disputes for c in d.claims if c.date is not None]
    dated_known: list[UncertainDate] = []
    for dispute in action.disputes:
        claims = _claims(dispute.claims, sources, day)
        dated_known += [c.date for c in claims if c.date is not None]
        if len(claims) >= 2:
            disputes.append(
                dispute
                if len(claims) == len(dispute.claims)
                else dispute.model_copy(update={"claims": claims})
            )
    update: dict[str, object] = {}
    if len(citations) != len(action.citations):
        update["citations"] = citations
    if reasons != action.reasons:
        update["reasons"] = reasons
    if disputes != action.disputes:
        update["disputes"] = disputes
    if dated_known and len(dated_known) != len(dated_all):
        update["date"] = _hull(dated_known)
    return action.model_copy(update=update) if update else action


def _split(version: Version, sources: Mapping[str, Source]) -> list[Version]:
    """The reading cut at each day one more of its sources was published within its known
    interval, each piece showing only what was published by its start."""
    start, end = version.known_from, version.known_to
    days = sorted(
        {
            day
            for c in version.action.all_citations()
            if start < (day := sources[c.source].published.earliest) and (end is None or day < end)
        }
    )
    pieces: list[Version] = []
    for since, until in zip([start, *days], [*days, end], strict=True):
        reading = as_published(version.action, sources, since)
        if reading is None:
            continue  # nothing of the event itself published yet: not shown
        if pieces and pieces[-1].action == reading and pieces[-1].known_to == since:
            pieces[-1] = Version(reading, pieces[-1].known_from, until)
        else:
            pieces.append(Version(reading, since, until))
    return pieces


def versions(entries: Iterable[Action | Amendment], sources: Mapping[str, Source]) -> list[Version]:
    """Every reading of the channel's events, from its entries in recording order.

    A corroboration adds its citations to the reading it corroborates and, when its source was
    published first, makes the event known earlier; its quotes show from its source's
    publication on. Any other amendment starts a new reading, known from its own sources'
    publication (from the start when it cites nothing). The amendments are those of the one
    fold every reading uses (`timeline.amended`); an amendment of an event not there is skipped.
    """
    current: dict[str, Version] = {}
    done: list[Version] = []
    for step in amended(entries, strict=False):
        amendment, action = step.amendment, step.after
        if amendment is None:
            assert action is not None
            current[step.event_id] = Version(
                action, first_reported(action.all_citations(), sources), None
            )
            continue
        old = current.pop(step.event_id)
        cited = amendment.own_citations()
        if isinstance(amendment, Corroboration):
            assert action is not None
            since = min(old.known_from, first_reported(cited, sources))
            current[step.event_id] = Version(action, since, None)
            continue
        if cited:
            since = first_reported(cited, sources)
        elif isinstance(amendment, Correction):
            since = max(sources[c.source].published.latest for c in amendment.replacement.citations)
        else:
            since = old.known_from
        since = max(since, old.known_from)
        if since > old.known_from:
            done.append(Version(old.action, old.known_from, since))
        if action is not None:
            current[step.event_id] = Version(action, since, None)
    return [piece for v in done + list(current.values()) for piece in _split(v, sources)]


def known_actions(all_versions: Iterable[Version], known_at: date | None) -> list[Action]:
    return [v.action for v in all_versions if v.known_at(known_at)]
