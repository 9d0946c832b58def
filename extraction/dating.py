"""Dating a reported action: which of the article's date expressions is its date.

`dates.py` finds and resolves every date expression; this stage chooses, for one trigger, the
date of the action it reports: a date in its own clause, else the nearest in its sentence;
else one given just before in the same paragraph; for statements, the date the article gives
its speaker; a headline's week; the present perfect's news day; a wire's lede day; else an
assumed window before publication. An announced decision is dated when announced, apart from
the day it takes effect. Every choice other than the sentence's own date is said in the date's
`resolution`, so an analyst sees why a proposal carries the date it does.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from chancery.domain.dates import UncertainDate
from chancery.domain.days import shift_days, shift_years
from chancery.extraction.dates import (
    FoundDate,
    Memo,
    edtf_of,
    find_dates,
    is_datelined,
    is_since,
    reference_day,
)
from chancery.extraction.modality import (
    Offset,
    answered_phrase,
    cause_phrase,
    clause,
    perfect,
    present_stance,
    time_clause,
)
from chancery.extraction.segment import Sentence, is_headline

UNDATED_LOOKBACK_YEARS = 1
"""An action the article does not date is taken to lie within this many years before its
publication: an assumption, written into the proposal's `resolution` and its confidence."""

NEWS_DAYS = 7
"""A headline's news, and a lede's day that dates a report's details, lie within this many
days up to the article's day."""
LEDE_SENTENCES = 3
"""The lede of a report is among its first sentences (after a headline and a dateline)."""

_PERFORMATIVE = re.compile(r"\b(?:is|are)\s++(?:hereby\s++)?(?:[a-z]++\s++)?$", re.IGNORECASE)
"""A present-tense passive just before a trigger ("are declared persona non grata", "is
hereby terminated"): a statement that does what it says, on the day it is made."""


class Span(Protocol):
    """A sentence of the article: its offsets and the paragraph it stands in."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def paragraph(self) -> int: ...


@dataclass(frozen=True)
class Dating:
    """The dates one trigger's action is proposed with (one proposal each), the date it takes
    effect if the text gives one, whether the date is the extractor's assumption, and how
    much the way it was found lowers the proposal's confidence."""

    dates: list[UncertainDate]
    effective: UncertainDate | None
    assumed: bool
    penalty: float


class _Statements:
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


_RELATIVE = re.compile(r",\s*+(?:which|who|whose|where)\b[^,;:()]*+\Z", re.IGNORECASE)
"""A relative clause still open before a date ("the office, which has worked ... since")."""
_CLAUSE_MARK = re.compile(r"[,;:()]")
RELATIVE_REACH = 200
"""Characters before a date in which the relative clause holding it is looked for."""


@dataclass
class ArticleDates:
    """Every date expression of an article, sentence by sentence, read once; and the dating
    of the actions its triggers report."""

    text: str
    published: UncertainDate
    sentences: Sequence[Span]
    reference: UncertainDate = field(init=False)
    """The day relative words count from (`dates.reference_day`): the article's day."""
    found: list[list[FoundDate]] = field(default_factory=list)
    """The date expressions of each sentence, by sentence index."""

    lede: int | None = None
    """The sentence that dates a datelined report's news (its first dated sentence)."""
    last_dated: list[int] = field(default_factory=list)
    """For each sentence, the last sentence before it that gives a date of its own (-1)."""
    datelined: bool = field(init=False)
    """Whether a dateline or a publication header gives the article's day."""

    def __post_init__(self) -> None:
        self.reference = reference_day(self.text, self.published)[0]
        self.datelined = is_datelined(self.text)

    statements: _Statements = field(default_factory=_Statements)

    @classmethod
    def read(cls, text: str, sentences: Sequence[Span], published: UncertainDate) -> ArticleDates:
        """Find the dates of every sentence; "the same day" takes the last date before it."""
        article = cls(text, published, sentences)
        previous: UncertainDate | None = None
        memo: Memo = {}
        dated = -1
        for index, sentence in enumerate(sentences):
            article.last_dated.append(dated)
            found = find_dates(text, sentence.start, sentence.end, published, previous, memo)
            article.found.append(found)
            for item in found:
                if not item.future and not is_since(text, item):
                    previous = item.date
                if item.statement:
                    article.statements.add(sentence.paragraph, item.start, item.date)
            if any(_own(f) for f in found):
                dated = index
                if article.lede is None and article.datelined and index <= LEDE_SENTENCES:
                    article.lede = index
        return article

    def future_in(self, index: int) -> bool:
        """Whether sentence `index` speaks of a future it fixes no day for ("in the coming
        weeks", "could reopen next year"): see `FoundDate.future`."""
        return any(f.future for f in self.found[index])

    def date_action(
        self,
        index: int,
        start: int,
        end: int,
        *,
        speech_act: bool,
        intent: bool,
        announced: bool = False,
    ) -> Dating | None:
        """The dating of the action whose trigger is text[start:end] in sentence `index`;
        None when it is a plan with no date it takes effect (not an action yet), or a
        speech act said as an intention. An action `announced` as decided for later is
        dated when it was announced, whether or not the text says when it takes effect.
        Of the sentence's own dates, one in the trigger's clause comes first ("summoned the
        envoy on 16 March and suspended contacts in April": April for the suspension)."""
        found = self.found[index]
        effective = next((f.date for f in found if f.effective and not f.future), None)
        if intent and (speech_act or not announced):
            return None  # a plan, a possibility, a meeting to come: its date is no action's
        candidates = [
            f
            for f in found
            if not (f.effective or f.future) and not self._since_elsewhere(f, index, start, end)
        ]
        said = [f for f in candidates if f.statement]
        if intent:
            return _fitted(
                Dating([self._announced_on(said, candidates, start)], effective, False, 0)
            )
        own = [
            f
            for f in candidates
            if not f.statement
            and self.text.find(";", min(f.end, start), max(f.start, end)) < 0
            and not (speech_act and f.vague)
        ]
        own = self._not_of_other_times(own, index, start, end)
        if own and not (speech_act and said):
            return _fitted(self._own_date(own, index, start, end, effective))
        if said and speech_act:
            return _fitted(Dating([said[0].date], effective, False, 0.0))
        if said and present_stance(self.text, start):
            why = (
                "Not dated in the text; a stance told in the present ('no longer consents'), so "
                f"the statement's own, '{said[0].date.wording}' ({said[0].date.edtf})."
            )
            return _fitted(Dating([_restate(said[0].date, why)], effective, False, 0.05))
        if said and perfect(self.text, start, self.sentences[index].start):
            why = (
                "Not dated in the text; told in the present perfect ('has decided to close'), so "
                f"news of the day its sentence dates the statement, '{said[0].date.wording}' "
                f"({said[0].date.edtf})."
            )
            return _fitted(Dating([_restate(said[0].date, why)], effective, True, 0.1))
        if said:
            return _fitted(Dating([_before_statement(self.published, said[0])], effective, True, 0))
        if effective is not None and effective.latest <= self.reference.latest and not speech_act:
            why = "Not dated in the text but by the day it took effect, gone by when reported."
            return Dating([_restate(effective, why)], effective, False, 0.05)
        return _fitted(self._from_context(index, start, speech_act, effective))

    def _since_elsewhere(self, found: FoundDate, index: int, start: int, end: int) -> bool:
        """Whether the date opens a state a relative clause tells, the trigger standing outside
        it ("the office, which has worked from the embassy since 2001, is to be closed"): it
        dates that state, nothing else."""
        if not is_since(self.text, found):
            return False
        sentence = self.sentences[index]
        floor = max(sentence.start, found.start - RELATIVE_REACH)
        opened = _RELATIVE.search(self.text[floor : found.start])
        if opened is None:
            return False
        closed = _CLAUSE_MARK.search(self.text, found.end, sentence.end)
        return not floor + opened.start() <= start < (closed.start() if closed else sentence.end)

    def _not_of_other_times(
        self, own: list[FoundDate], index: int, start: int, end: int
    ) -> list[FoundDate]:
        """The sentence's dates less those of another clause of time than the trigger's
        ("suspended interviews after the cuts Moscow ordered last month": last month is the
        cuts', not the suspension's), and those of what the trigger's step answers."""
        floor = self.sentences[index].start
        begin, stop = clause(self.text, start, end, floor)
        return [
            f
            for f in own
            if (begin <= f.start < stop or time_clause(self.text, f.start, floor) is None)
            and self._answering_same(f, start, floor)
        ]

    def _answering_same(self, found: FoundDate, start: int, floor: int) -> bool:
        """Whether a date may be the trigger's: not when it stands in a phrase naming what the
        step answers ("In response to the decisions taken on 11 June, Lithuania has decided
        to withdraw ...": 11 June is the decisions'), unless the trigger stands there too."""
        answered = answered_phrase(self.text, found.start, floor)
        return answered is None or answered[0] <= start < answered[1]

    def _own_date(
        self,
        own: list[FoundDate],
        index: int,
        start: int,
        end: int,
        effective: UncertainDate | None,
    ) -> Dating:
        """The sentence's own date nearest the trigger, one in its clause first; a trigger in
        a clause of time ("weeks after China downgraded relations") lies that far from the
        date of the clause it hangs on; one named as what the clause answers after its date
        ("summoned the envoy on Monday to protest the expulsion of") lies before it."""
        floor = self.sentences[index].start
        begin, stop = clause(self.text, start, end, floor)
        inside = [f for f in own if begin <= f.start and f.end <= stop]
        inside += self._appended(own, stop, index)
        before = [f for f in own if f.end <= start]
        if before and not inside:  # "in May 1988, ... restored relations, and in 1989 they"
            own = [f for f in own if not _NEXT_CLAUSE.search(self.text, end, max(end, f.start))]
        nearest = min(inside or own, key=lambda f: abs(f.start - start))
        offset = time_clause(self.text, start, floor) if not inside else None
        if offset is None and cause_phrase(self.text, start, floor) is not None:
            after = [f for f in inside if f.start >= end]
            if after:
                return Dating([after[0].date], effective, False, 0.0)
            offset = cause_phrase(self.text, start, floor)
        if offset is not None:
            day = _shifted(nearest.date, offset)
            if day is not None:
                return Dating([day], effective, offset.approximate, 0.1)
        dates = [f.date for f in own if f.start == nearest.start] or [nearest.date]
        return Dating(dates, effective, False, 0.0)

    def _appended(self, own: list[FoundDate], stop: int, index: int) -> list[FoundDate]:
        """A date set after the trigger's clause by a comma, ending the sentence ("before the
        two governments restored them, in March 1991."): the clause's own, added as an
        afterthought, as features retelling old events often write it."""
        tail = self.sentences[index].end
        return [
            f
            for f in own
            if f.start >= stop
            and not self.text[stop : f.start].strip(" ,\u00a0")
            and not self.text[f.end : tail].strip(' .;"”’)\n')
        ]

    def _announced_on(
        self, said: list[FoundDate], candidates: list[FoundDate], start: int
    ) -> UncertainDate:
        """The day a decision for later was announced: the statement's date; else a date
        before the trigger that is not the day it takes effect ("announced on Monday that
        the embassy will close on 1 March": Monday), or failing one, after it (as machine
        translation orders it: "From 1 November will close the office, declared on Monday
        the minister"); else the article's day."""
        if said:
            return said[0].date
        before = [f for f in candidates if f.start < start]
        if before:
            return before[-1].date
        return candidates[0].date if candidates else _article_day(self.reference)

    def _from_context(
        self, index: int, start: int, speech_act: bool, effective: UncertainDate | None
    ) -> Dating:
        """A sentence that gives no date of its own: the sentence before it, the speaker's
        date, a headline's week, the tense (present perfect: news of the day; present
        passive: done by the statement), a wire's lede, or an assumed window."""
        sentence = self.sentences[index]
        inherited = self._inherited(index)
        if inherited is not None and not speech_act:
            why = (
                f"Not dated in its own sentence; reported in the same passage as the sentence "
                f"before it, dated '{inherited.wording}' ({inherited.edtf})."
            )
            return Dating([_restate(inherited, why)], effective, False, 0.1)
        if speech_act:
            return self._speakers_day(sentence, effective)
        if self._is_headline(index):
            return Dating([self._headline_week()], effective, True, 0.2)
        if perfect(self.text, start, sentence.start):
            return self._news_of_the_day(sentence, effective)
        if _PERFORMATIVE.search(self.text, max(sentence.start, start - 40), start):
            day = _article_day(self.reference).model_copy(
                update={
                    "resolution": "Not dated in the text; said in the present tense ('is "
                    "withdrawn', 'are declared'), so done by the statement itself, of the "
                    "article's date."
                }
            )
            return Dating([day], effective, False, 0.1)
        lede = self._lede_day(index)
        if lede is not None:
            return Dating([lede], effective, True, 0.15)
        why = (
            f"Not dated in the text; assumed to lie within {UNDATED_LOOKBACK_YEARS} year(s) "
            "before publication."
        )
        return Dating([_assumed_window(self.published, None, why)], effective, True, 0.2)

    def _speakers_day(self, sentence: Span, effective: UncertainDate | None) -> Dating:
        """A statement not dated in its sentence: of the date the article gives its
        speaker's remarks in the paragraph (or last before it), else of the article's day."""
        paragraph_said = self.statements.in_paragraph(sentence.paragraph)
        source = (
            paragraph_said[0] if paragraph_said else self.statements.last_before(sentence.start)
        )
        if source is None:
            return Dating([_article_day(self.reference)], effective, False, 0.1)
        why = (
            f"A statement not dated in its own sentence; the article dates its speaker's "
            f"remarks '{source.wording}' ({source.edtf})."
        )
        return Dating([_restate(source, why)], effective, False, 0.05)

    def _is_headline(self, index: int) -> bool:
        """The article's first line, standing alone without a full stop: its headline."""
        first = self.sentences[0]
        return index == 0 and is_headline(
            self.text, Sentence(first.start, first.end, first.paragraph)
        )

    def _headline_week(self) -> UncertainDate:
        """A headline's action: recent news, within the week up to the article's day."""
        latest = self.reference.latest
        earliest = shift_days(latest, -NEWS_DAYS)
        return UncertainDate(
            edtf=edtf_of(min(earliest, self.reference.earliest), latest),
            earliest=min(earliest, self.reference.earliest),
            latest=latest,
            wording=None,
            resolution="Not dated in the text; a headline tells recent news in the present "
            "tense, so within the week up to the article's day (assumed).",
        )

    def _lede_day(self, index: int) -> UncertainDate | None:
        """For a report with a dateline or a publication header: an undated action told
        after its lede, with no other date given between, is of the lede's day (a wire
        tells the day's news first, then its detail), where that day is within a week of
        the article's."""
        lede = self.lede
        if lede is None or self.last_dated[index] != lede:
            return None
        day = next(f.date for f in self.found[lede] if _own(f))
        latest = self.reference.latest
        if not shift_days(latest, -NEWS_DAYS) <= day.earliest <= latest:
            return None
        why = (
            f"Not dated in its own sentence; told after the report's lede, dated "
            f"'{day.wording}' ({day.edtf}), with no other date between (assumed)."
        )
        return _restate(day, why)

    def _news_of_the_day(self, sentence: Span, effective: UncertainDate | None) -> Dating:
        """An action told in the present perfect ("has restored", "have paused") with no
        date: news, done by the day its speaker is dated in the paragraph, else by the
        article's day (a dateline's or header's where one is given). An assumption (the
        text gives no date), so a date the article gives the same action elsewhere wins."""
        paragraph_said = self.statements.in_paragraph(sentence.paragraph)
        source = paragraph_said[0] if paragraph_said else self.reference
        why = "Not dated in the text; told in the present perfect ('has restored'), so news of " + (
            f"the day the article dates its speaker's remarks, '{source.wording}' ({source.edtf})."
            if paragraph_said
            else f"the article's day ({source.edtf})."
        )
        return Dating([_restate(source, why)], effective, True, 0.1)

    def _inherited(self, index: int) -> UncertainDate | None:
        """The date of the sentence just before, in the same paragraph, if it gives its own."""
        sents = self.sentences
        if index == 0 or sents[index - 1].paragraph != sents[index].paragraph:
            return None
        own = [f for f in self.found[index - 1] if not (f.statement or f.effective or f.future)]
        return own[0].date if len(own) == 1 else None


_NEXT_CLAUSE = re.compile(r",\s*+(?:and|but|then|while)\b|;", re.IGNORECASE)
"""What opens a further clause of its own after a trigger: a date past it is that clause's,
where one before the trigger dates the trigger's."""


def _shifted(day: UncertainDate, offset: Offset) -> UncertainDate | None:
    """`day` moved by a clause of time's offset (`modality.time_clause`), said so."""
    if offset.before:
        lo, hi = shift_days(day.earliest, -offset.most), shift_days(day.latest, -offset.least)
    else:
        lo, hi = shift_days(day.earliest, offset.least), shift_days(day.latest, offset.most)
    if lo > hi:
        return None
    return UncertainDate(
        edtf=edtf_of(lo, hi),
        earliest=lo,
        latest=hi,
        wording=offset.wording,
        resolution=f"'{offset.wording}' the date its sentence gives ('{day.wording}', "
        f"{day.edtf}): {offset.least} to {offset.most} day(s) "
        + ("before" if offset.before else "after")
        + (" (assumed)" if offset.approximate else ""),
    )


def _own(found: FoundDate) -> bool:
    """A date a sentence gives an action of its own (not a statement's, an effective or a
    vague one)."""
    return not (found.statement or found.effective or found.future or found.vague)


def _fitted(dating: Dating) -> Dating:
    """An effective date before the action's own date is no effective date of it."""
    effective = dating.effective
    if effective is not None and dating.dates and effective.latest < dating.dates[0].earliest:
        return Dating(dating.dates, None, dating.assumed, dating.penalty)
    return dating


def _before_statement(published: UncertainDate, said: FoundDate) -> UncertainDate:
    """An action reported, undated, in a sentence that dates only the statement about it."""
    return _assumed_window(
        published,
        said.date.latest,
        f"Not dated in the text; on or before the statement that reports it "
        f"('{said.date.wording}', {said.date.edtf}), within "
        f"{UNDATED_LOOKBACK_YEARS} year(s) before publication (assumed).",
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


class Dated(Protocol):
    """An action proposed before: its type and date."""

    @property
    def type(self) -> str: ...
    @property
    def date(self) -> UncertainDate: ...


_NAMED_ACTION = re.compile(
    r"\b(?:(?P<n>an?|one|two|three|four|five|six|seven|\d{1,2})\s++(?P<unit>days?|weeks?)|"
    r"the\s++(?P<the>day|week))\s++after\s++(?:the|this|that|its|their|his|her)\s++"
    r"(?:[a-z-]++\s++)?(?P<noun>expulsions?|summons|summoning|recall|closure|closing|severing|"
    r"severance|rupture|break|downgrad(?:e|ing)|reopening|return)\b",
    re.IGNORECASE,
)
"""A day told from an action named before ("a day after the expulsion", "two days after the
summons", "the week after the closure")."""
NAMED_ACTIONS = {
    "expulsion": "accreditation_withdrawn",
    "expulsions": "accreditation_withdrawn",
    "summons": "head_of_mission_summoned",
    "summoning": "head_of_mission_summoned",
    "recall": "head_of_mission_recalled",
    "return": "head_of_mission_returned",
    "closure": "post_closed",
    "closing": "post_closed",
    "reopening": "post_reopened",
    "severing": "relations_severed",
    "severance": "relations_severed",
    "rupture": "relations_severed",
    "break": "relations_severed",
    "downgrade": "relations_downgraded",
    "downgrading": "relations_downgraded",
}
"""The noun a report names an earlier action by, and that action's type."""


def after_named_action(
    text: str,
    sentence: Span,
    dating: Dating,
    earlier: Sequence[Dated],
    found_in_sentence: Sequence[FoundDate],
) -> Dating:
    """An action its sentence dates only by an earlier one ("A day after the expulsion,
    Moldova recalled its ambassador, a spokesman said on Sunday"): that action's date, the
    last the article gave one of its type (`earlier`: type and date, in text order), moved
    by the days or weeks said. Kept as it was where the sentence gives no such phrase, gives
    a date of its own, or no action of the type was dated before."""
    found = _NAMED_ACTION.search(text, sentence.start, sentence.end)
    if found is None or any(_own(f) for f in found_in_sentence):
        return dating
    wanted = NAMED_ACTIONS[found.group("noun").lower()]
    anchor = next((p.date for p in reversed(earlier) if p.type == wanted and p.date.is_exact), None)
    if anchor is None:
        return dating
    raw = found.group("n")
    amount = 1 if raw is None or raw.lower() in ("a", "an", "one") else _count(raw)
    unit = (found.group("unit") or found.group("the")).lower().rstrip("s")
    days = amount * (7 if unit == "week" else 1)
    lo = shift_days(anchor.earliest, days)
    hi = shift_days(anchor.latest, days) if unit == "day" else shift_days(lo, 6)
    told = UncertainDate(
        edtf=edtf_of(lo, hi),
        earliest=lo,
        latest=hi,
        wording=found.group(0),
        resolution=f"'{' '.join(found.group(0).split())}': counted from the "
        f"{found.group('noun').lower()} the article dated before it ({anchor.edtf})",
    )
    return Dating([told], dating.effective, False, dating.penalty)


def names_earlier_action(text: str, sentence: Span, start: int) -> bool:
    """Whether the trigger at `start` is the noun of "a day after the expulsion": it names an
    action told before, as a point to count from, not a new one."""
    return any(
        found.start("noun") <= start < found.end("noun")
        for found in _NAMED_ACTION.finditer(text, sentence.start, sentence.end)
    )


_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _count(raw: str) -> int:
    return int(raw) if raw.isdigit() else _COUNTS[raw.lower()]
