"""Known time: which reading of each event was known on which dates (DESIGN.md principle 2).

An event is known from the day some source had certainly reported it. An amendment (a
correction, retraction, refinement or dispute) is known from its own sources' publication, so
`--known-at` before that day still answers with the event as it first read; one that cites
nothing fixes the ledger rather than the world and applies from the start. Amendments apply in
recording order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from chancery.domain.actions import Action, Amendment, Correction, Corroboration
from chancery.domain.sources import Citation, Source


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


def versions(entries: Iterable[Action | Amendment], sources: Mapping[str, Source]) -> list[Version]:
    """Every reading of the channel's events, from its entries in recording order.

    A corroboration adds its citations to the reading it corroborates and, when its source was
    published first, makes the event known earlier. Any other amendment starts a new reading,
    known from its own sources' publication (from the start when it cites nothing).
    """
    current: dict[str, Version] = {}
    done: list[Version] = []
    amendments: list[Amendment] = []
    for entry in entries:
        if isinstance(entry, Amendment):
            amendments.append(entry)
        else:
            current[entry.id] = Version(entry, first_reported(entry.all_citations(), sources), None)
    for amendment in amendments:
        old = current.pop(amendment.target, None)
        if old is None:
            continue  # the write side refuses this; a view shows what is there
        amended = amendment.amend(old.action)
        cited = amendment.own_citations()
        if isinstance(amendment, Corroboration):
            assert amended is not None
            since = min(old.known_from, first_reported(cited, sources))
            current[amendment.target] = Version(amended, since, None)
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
        if amended is not None:
            current[amendment.target] = Version(amended, since, None)
    return done + list(current.values())


def known_actions(all_versions: Iterable[Version], known_at: date | None) -> list[Action]:
    return [v.action for v in all_versions if v.known_at(known_at)]
