"""Stage 5, dating: the date of one proposal, from the date expressions `dates.py` found.

In order: a date in its own sentence (the nearest to the trigger, not across a ";"); for a
statement, the date the article gives its speaker; the date of the sentence before it in the
same passage; a present-tense passive ("are declared") is of the article's day; else an
assumed window before publication, said so in `resolution`. An action announced for later
("will close", "are to leave within seven days") is dated when it was announced, with the
date it takes effect where the text gives one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

from chancery.domain.actions import ACTION_TYPES
from chancery.domain.dates import UncertainDate
from chancery.domain.days import shift_years
from chancery.extraction.dates import FoundDate, edtf_of
from chancery.extraction.segment import Sentence

UNDATED_LOOKBACK_YEARS = 1
"""An action the article does not date is taken to lie within this many years before its
publication: an assumption, written into the proposal's `resolution` and its confidence."""

_PERFORMATIVE = re.compile(r"\b(?:is|are)\s++(?:hereby\s++)?(?:[a-z]++\s++)?$", re.IGNORECASE)
"""A present-tense passive just before a trigger ("are declared persona non grata", "is
hereby terminated"): a statement that does what it says, on the day it is made."""


class Statements:
    """The dates the article gives its speakers' statements, by paragraph and in text order."""

    def __init__(self) -> None:
        self.by_paragraph: dict[int, list[UncertainDate]] = {}
        self.offsets: list[int] = []
        self.dates: list[UncertainDate] = []

    def add(self, paragraph: int, offset: int, day: UncertainDate) -> None:
        self.by_paragraph.setdefault(paragraph, []).append(day)
        self.offsets.append(offset)
        self.dates.append(day)

    def in_paragraph(self, paragraph: int) -> list[UncertainDate]:
        return self.by_paragraph.get(paragraph, [])

    def last_before(self, offset: int) -> UncertainDate | None:
        i = bisect_left(self.offsets, offset)
        return self.dates[i - 1] if i > 0 else None


@dataclass
class Timeline:
    """What the article says of time, sentence by sentence: the material of every dating."""

    text: str
    published: UncertainDate
    sents: list[Sentence]
    found: dict[int, list[FoundDate]]
    statements: Statements


@dataclass(frozen=True)
class Dated:
    """The dates one trigger proposes (one per date its sentence gives it), with how sure."""

    dates: list[UncertainDate]
    effective: UncertainDate | None
    assumed: bool
    penalty: float
    """Taken off the proposal's confidence for a date not given in its own sentence."""


def date_hit(
    timeline: Timeline, index: int, start: int, end: int, type_: str, announced: bool
) -> Dated:
    """The dates of the action triggered at text[start:end] in sentence `index`; `announced`
    when the text gives it as decided for later, so dated when said. An effective date that
    lies before the action is another action's, and dropped."""
    dated = _dates(timeline, index, start, end, type_, announced)
    effective = dated.effective
    if effective is not None and effective.latest < dated.dates[0].earliest:
        return Dated(dated.dates, None, dated.assumed, dated.penalty)
    return dated


def _dates(
    timeline: Timeline, index: int, start: int, end: int, type_: str, announced: bool
) -> Dated:
    found = timeline.found[index]
    effective = next((f.date for f in found if f.effective and not f.future), None)
    speech_act = ACTION_TYPES[type_].speech_act
    candidates = [f for f in found if not f.effective and not f.future]
    said = [f for f in candidates if f.statement]
    own = [
        f
        for f in candidates
        if not f.statement
        and timeline.text.find(";", min(f.end, start), max(f.start, end)) < 0
        and not (speech_act and f.vague)
    ]
    if announced:
        if said:
            day = said[0].date
        elif own and effective is None and own[0].start < start:
            day = own[0].date  # "On Monday the ministry ordered ... to leave within a week"
        else:
            day = _article_day(timeline.published)
        return Dated([day], effective, False, 0.0)
    if own and not (speech_act and said):
        nearest = min(own, key=lambda f: abs(f.start - start))
        dates = [f.date for f in own if f.start == nearest.start] or [nearest.date]
        return Dated(dates, effective, False, 0.0)
    if said and speech_act:
        return Dated([said[0].date], effective, False, 0.0)
    if said:
        window = _assumed_window(
            timeline.published,
            said[0].date.latest,
            f"Not dated in the text; on or before the statement that reports it "
            f"('{said[0].date.wording}', {said[0].date.edtf}), within "
            f"{UNDATED_LOOKBACK_YEARS} year(s) before publication (assumed).",
        )
        return Dated([window], effective, True, 0.0)
    return _undated(timeline, index, start, speech_act, effective)


def _undated(
    timeline: Timeline,
    index: int,
    start: int,
    speech_act: bool,
    effective: UncertainDate | None,
) -> Dated:
    """The date of an action its own sentence does not date: from the passage around it, a
    statement's speaker, the present tense, else an assumed window (see the module)."""
    sentence = timeline.sents[index]
    inherited = _inherited(timeline, index)
    if inherited is not None and not speech_act:
        why = (
            f"Not dated in its own sentence; reported in the same passage as the sentence "
            f"before it, dated '{inherited.wording}' ({inherited.edtf})."
        )
        return Dated([_restate(inherited, why)], effective, False, 0.1)
    if speech_act:
        return _statement_date(timeline, sentence, effective)
    if _PERFORMATIVE.search(timeline.text, max(sentence.start, start - 40), start):
        day = _article_day(timeline.published).model_copy(
            update={
                "resolution": "Not dated in the text; said in the present tense ('is "
                "withdrawn', 'are declared'), so done by the statement itself, of the "
                "article's date."
            }
        )
        return Dated([day], effective, False, 0.1)
    window = _assumed_window(
        timeline.published,
        None,
        f"Not dated in the text; assumed to lie within {UNDATED_LOOKBACK_YEARS} year(s) "
        "before publication.",
    )
    return Dated([window], effective, True, 0.2)


def _statement_date(
    timeline: Timeline, sentence: Sentence, effective: UncertainDate | None
) -> Dated:
    """A statement its sentence does not date: of the date the article gives its speaker's
    remarks in the paragraph (or last before it), else of the article's day."""
    paragraph_said = timeline.statements.in_paragraph(sentence.paragraph)
    last_said = timeline.statements.last_before(sentence.start)
    source = paragraph_said[0] if paragraph_said else last_said
    if source is None:
        return Dated([_article_day(timeline.published)], effective, False, 0.1)
    why = (
        f"A statement not dated in its own sentence; the article dates its speaker's remarks "
        f"'{source.wording}' ({source.edtf})."
    )
    return Dated([_restate(source, why)], effective, False, 0.05)


def _inherited(timeline: Timeline, index: int) -> UncertainDate | None:
    """The date of the sentence just before, in the same paragraph, if it gives its own."""
    sents = timeline.sents
    if index == 0 or sents[index - 1].paragraph != sents[index].paragraph:
        return None
    own = [f for f in timeline.found[index - 1] if not (f.statement or f.effective or f.future)]
    return own[0].date if len(own) == 1 else None


def _assumed_window(published: UncertainDate, upper: date | None, why: str) -> UncertainDate:
    latest = upper or published.latest
    earliest = shift_years(published.earliest, -UNDATED_LOOKBACK_YEARS)  # year 1: from 0001
    earliest = min(earliest, latest)
    return UncertainDate(
        edtf=edtf_of(earliest, latest),
        earliest=earliest,
        latest=latest,
        wording=None,
        resolution=why,
    )


def _article_day(published: UncertainDate) -> UncertainDate:
    return UncertainDate(
        edtf=published.edtf,
        earliest=published.earliest,
        latest=published.latest,
        wording=None,
        resolution="Not dated in the text; a statement reported as news, taken to be of the "
        "article's date.",
    )


def _restate(found: UncertainDate, why: str) -> UncertainDate:
    return UncertainDate(
        edtf=found.edtf,
        earliest=found.earliest,
        latest=found.latest,
        wording=found.wording,
        resolved_against=found.resolved_against,
        resolution=why + (f" That date: {found.resolution}" if found.resolution else ""),
    )
