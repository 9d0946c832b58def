"""The bundled dataset is honest: quotes are verbatim, unknowns stay unknown, disputes are kept."""

from __future__ import annotations

from datetime import date

import pytest
from chancery.domain.actions import (
    AccreditationWithdrawn,
    Action,
    Amendment,
    Correction,
    MissionSuspended,
    OfficeClosed,
    StaffCapChanged,
)
from chancery.domain.dates import UncertainDate
from chancery.domain.sources import Citation
from chancery.domain.timeline import resolve
from chancery.importing.dataset import load_file
from chancery.seeds import bundled_paths

from tests.conftest import ARTICLES, needs_articles

DATASET = load_file(bundled_paths()[0]).dataset
SOURCES = {s.id: s for s in DATASET.sources}


def _article(source_id: str) -> str:
    assert ARTICLES is not None
    file = SOURCES[source_id].file
    assert file, f"source {source_id} names no article file"
    return (ARTICLES / file).read_text(encoding="utf-8")


def _cited(entry: Action | Amendment) -> list[Citation]:
    """Every citation an entry carries: an event's, an amendment's own and, for a correction,
    its replacement's."""
    if isinstance(entry, Action):
        return entry.all_citations()
    cited = entry.own_citations()
    if isinstance(entry, Correction):
        cited += entry.replacement.all_citations()
    return cited


def _dates(entry: Action | Amendment) -> list[UncertainDate]:
    """Every date an entry gives: an event's date and effective date, a correction's
    replacement's, a refinement's narrower ones."""
    if isinstance(entry, Correction):
        entry = entry.replacement
    found = [getattr(entry, name, None) for name in ("date", "effective")]
    return [d for d in found if d is not None]


@needs_articles
@pytest.mark.parametrize("entry", DATASET.events, ids=lambda e: e.id)
def test_every_quote_is_verbatim_in_its_article(entry: Action | Amendment) -> None:
    assert _cited(entry)
    for citation in _cited(entry):
        assert citation.quote in _article(citation.source), (citation.source, citation.quote)


@needs_articles
@pytest.mark.parametrize("entry", DATASET.events, ids=lambda e: e.id)
def test_date_wording_is_the_articles_own(entry: Action | Amendment) -> None:
    texts = "\n".join(_article(c.source) for c in _cited(entry))
    for when in _dates(entry):
        for part in (when.wording or "").split("; "):
            assert part in texts, part


@needs_articles
def test_every_source_file_is_one_of_the_articles() -> None:
    assert ARTICLES is not None
    files = {s.file for s in DATASET.sources}
    assert files == {p.name for p in ARTICLES.glob("*.txt")}


def test_every_event_cites_a_source() -> None:
    assert DATASET.events
    assert all(entry.citations for entry in DATASET.events)


def test_the_expulsion_is_one_event_reported_by_four_articles() -> None:
    expulsions = [
        e
        for e in DATASET.events
        if isinstance(e, AccreditationWithdrawn) and e.channel == "russia-mission-to-nato"
    ]
    assert len(expulsions) == 1
    assert expulsions[0].count == 8
    assert len({c.source for c in expulsions[0].citations}) == 4


def test_the_2015_and_2018_cuts_have_no_invented_numbers() -> None:
    cuts = {
        e.date.edtf: (e.from_cap, e.to_cap)
        for e in DATASET.events
        if isinstance(e, StaffCapChanged)
    }
    assert cuts == {"2015": (None, None), "2018": (None, None), "2021-10-06": (20, 10)}


def test_the_invitation_date_dispute_keeps_both_claims() -> None:
    invitation = next(e for e in DATASET.events if e.id == "nrc-invitation-2020")
    (dispute,) = [d for d in invitation.disputes if d.about == "date"]  # type: ignore[union-attr]
    claims = {c.date.edtf: {x.source for x in c.citations} for c in dispute.claims if c.date}
    assert claims == {"2020-01/2020-03": {"dpa-interview-report"}, "2020-05~": {"rt-2021-11-29"}}
    relative = next(c.date for c in dispute.claims if c.date and c.date.edtf == "2020-05~")
    assert relative.resolved_against is not None
    assert relative.resolved_against.isoformat() == "2021-11-29"


def test_the_undated_article_has_an_interval_and_a_reason() -> None:
    undated = [s for s in DATASET.sources if not s.published.is_exact]
    assert [s.id for s in undated] == ["dpa-interview-report"]
    assert undated[0].published.resolution or undated[0].note


def test_the_measures_of_18_october_2021_read_as_announced() -> None:
    """003 reports the three measures as announced on Monday 18 October; no source says when
    the mission's suspension took effect, and 004 (29 November) reports the other two as done
    by its own date. Corrected and refined, never edited: the events stay as first recorded."""
    recorded = {e.id: e for e in DATASET.events if isinstance(e, Action)}
    suspended, closed = MissionSuspended, OfficeClosed
    measures = [e for e in recorded.values() if isinstance(e, suspended | closed)]
    assert {e.id for e in measures} == {
        "russia-mission-suspended-2021-10-18",
        "nato-mlm-moscow-suspended-2021-10-18",
        "nato-information-office-moscow-closed-2021-10-18",
    }
    assert all(e.status is None for e in measures)
    reads = {a.id: a for a in resolve(DATASET.events)}
    mission = reads["russia-mission-suspended-2021-10-18"]
    assert (mission.status, mission.effective, mission.announced_only) == ("announced", None, True)
    for slug in (
        "nato-mlm-moscow-suspended-2021-10-18",
        "nato-information-office-moscow-closed-2021-10-18",
    ):
        done = reads[slug]
        assert done.status == "announced" and done.effective is not None
        assert (done.effective.earliest, done.effective.latest) == (
            date(2021, 10, 18),
            date(2021, 11, 29),
        )
        assert not done.announced_only
