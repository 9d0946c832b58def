"""Date expressions in a report, resolved against its reference day.

Reports date actions absolutely ("on 6 October", "in 2014"), relatively ("on Monday", "18 months
ago", "earlier this month"), vaguely ("not long ago") or not at all. Each expression becomes an
`UncertainDate` interval with the article's own wording and, for relative wording, the day it
was resolved against and the reason, so an analyst can check the arithmetic (docs/design.md
principle 3). The reference day is a dateline's or publication header's day where the article
gives one, else its publication date; a publication date that is itself an interval (an
undated repost) resolves each bound and keeps the hull. An expression counts back from the
reference in a past clause and forward in one that looks ahead (`modality.speaks_of_future`):
"on Monday" is last Monday, "will close on Monday" next Monday, and a day ahead is the day
something takes effect. One builder per kind of expression (ISO and dotted days, day and month,
seasons, weekends, parts of months, months, weekdays, spans from the day, "N days ago", vague
spans, days told from the previous date); calendar arithmetic uses python-dateutil's
`relativedelta`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from chancery.domain.dates import UncertainDate
from chancery.domain.days import shift_days
from chancery.extraction.dateline import datelines
from chancery.extraction.modality import hypothetical, speaks_of_future
from chancery.extraction.numbers import numbers_in
from chancery.extraction.relative import (
    COMING,
    NEXT,
    SPANS,
    WEEKDAYS,
    Resolver,
    month_end,
    month_start,
    week_start,
)
from dateutil.relativedelta import relativedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_S = r"[\s\u00a0]++"
"""Blanks between the words of a date; possessive (never given back: a word always follows),
so a word followed by a long run of blanks is read once."""
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_MONTH_LIST = re.compile(
    r"\b(?:in|since|during|between)\s++(?:"
    + "|".join(m.capitalize() for m in MONTHS if len(m) > 3)
    + r")\.?(?:\s*+,\s*+[A-Z][a-z]++\.?){0,10}\s*+(?:,\s*+)?(?:and|or|,)\s++\Z"
)
"""A list of months a preposition opens, up to the word before the last ("in January and")."""
_YEAR_FIRST_MONTH = re.compile(
    rf"\b(?i:in|since|during|by|until){_S}{_YEAR}{_S}(?:year{_S})?(?P<month>"
    + "|".join(m.capitalize() for m in MONTHS if len(m) > 3)
    + r")\b"
)
"""A year before its month, as machine translation orders it ("was conducted in Beijing in 2019
December", "since 2020 year June"): a preposition first and the month capitalised, so
"in 2019 May" or a year and a verb after it is no month."""
_DAY = r"(?P<day>[0-3]?\d)(?:-?(?:st|nd|rd|th))?"
"""A day of the month, its ordinal suffix hyphenated as machine translation writes it ("24-th")."""
_FIRST = r"(?P<first>[0-3]?\d)(?:st|nd|rd|th)?"

REPORTING = re.compile(
    r"\b(?:said|says|say|stated|states|told|tells|added|adds|noted|notes|remarked|explained|"
    r"stressed|emphasi[sz]ed|argued|argues|claimed|asserted|wrote|informed|"
    r"recalled(?=\s++that\b|\s*+[,:“\"])|"
    r"issued|published|press conference|news release|briefing|interview|statement|speech|"
    r"comments?|remarks?)\b"
)
"""Words that make a date the date of a statement rather than of the action reported in it.
Lower case only: "The United States on Thursday expelled" names a state, not a statement.
"Recalled" is a statement only before what is recalled ("she recalled that ...", "he
recalled: ..."); "was recalled on Tuesday" is an envoy's recall."""
_REPORTED_VERB = re.compile(r"\b[a-z]{3,}ed\b")
"""A past tense between a reporting word and a date: the date belongs to that verb ("said
Russia expelled ten diplomats on Monday")."""
_INFINITIVE = re.compile(r"\bto\s++(?!(?:the|a|an|its|their|his|her|this|that)\b)[a-z]")
_ORDERING_WORDS = frozenset({"told", "tells"})


def _told_to(text: str, reporting: re.Match[str], date_end: int) -> bool:
    """Whether a reporting word is an order: "told the consulate on Wednesday to cease its
    work", "was told by Minsk on Monday to leave" (an infinitive in its clause, before the
    date or right after it). Its date is the order's, the action told, not a statement's."""
    if reporting.group(0) not in _ORDERING_WORDS:
        return False
    after = text[date_end : date_end + 40].lstrip(" ,")
    return bool(_INFINITIVE.search(text, reporting.end(), date_end) or _INFINITIVE.match(after))


_FRONTED_SPEAKER = re.compile(
    r"[ \t]*+,[ \t]*+(?:[A-Za-z.'’-]++[ \t]++){0,5}?(?:said|told|stated|added)\b"
)
"""A date that opens its clause, then its speaker ("On Friday, President Putin said ...")."""

_RANGE_END = re.compile(r"\b(?:to|until|till|through)[\s\u00a0]+$", re.IGNORECASE)
_FROM = re.compile(r"\b(?:from|as of|starting)\b", re.IGNORECASE)
EFFECTIVE = re.compile(
    r"\b(?:with effect from|effective(?: from| as of)?|as of|as from|starting(?: from| on)?|"
    r"from|takes? effect on|took effect on|comes? into force on)[\s\u00a0]+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    """A date expression in the article: where it is, what it says, and what role it plays."""

    start: int
    end: int
    date: UncertainDate
    relative: bool
    statement: bool
    """Preceded by a reporting verb ("said on Wednesday"): it dates the statement."""
    effective: bool
    """The date something takes effect: after "from", "with effect from", or a day after the
    reference in a clause that fixes it ("will close on 1 April", "next month")."""
    future: bool
    """Speaks of what may come, with no day anything is fixed to ("in the coming weeks",
    "could reopen next year"): a sign of the future, never the date of a done action."""
    vague: bool = False
    """An undated duration ("not long ago", "for quite some time"), not a date as such."""


def edtf_of(lo: date, hi: date) -> str:
    """The plainest EDTF form of [lo, hi]: a day, a month, a year, or an interval."""
    if lo == hi:
        return lo.isoformat()
    if lo.day == 1 and hi == month_end(lo.year, lo.month) and lo.month == hi.month:
        return f"{lo.year:04d}-{lo.month:02d}"
    if (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31) and lo.year == hi.year:
        return f"{lo.year:04d}"
    if lo.day == 1 and hi == month_end(hi.year, hi.month):
        return f"{lo.year:04d}-{lo.month:02d}/{hi.year:04d}-{hi.month:02d}"
    return f"{lo.isoformat()}/{hi.isoformat()}"


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


Built = tuple[Resolver, str, bool]
"""From a match: a resolver of a reference day to [lo, hi], the reason ("{ref}" standing for
the reference day), and whether the expression is relative to the reference (False for
"6 October 2021")."""


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str], bool], Built | None]
    """From a match and whether the clause looks ahead (a future, a plan, an effective date):
    how to resolve it."""


_AHEAD_REASON = " (its clause speaks of what is to come)"


def _year_of(month: int, day: int, ref: date, forward: bool) -> int:
    """The year of a day-and-month given without one: the latest not after the reference, or,
    looking ahead, the earliest not before it."""
    candidate = _safe(ref.year, month, min(day, 28 if month == 2 else day))
    if forward:
        return ref.year if candidate is None or candidate >= ref else ref.year + 1
    return ref.year if candidate is None or candidate <= ref else ref.year - 1


def _in_year(forward: bool) -> str:
    if forward:
        return "in the earliest year not before {ref}" + _AHEAD_REASON
    return "in the latest year not after {ref}"


# ----------------------------------------------------------------- absolute days and ISO dates


def _absolute_day(m: re.Match[str], forward: bool) -> Built | None:
    """A day and month ("6 October", "October 6, 2021"); without a year, the nearest that
    fits."""
    month = MONTHS[m.group("month").lower()]
    day = int(m.group("day"))
    if m.groupdict().get("year"):
        exact = _safe(int(m.group("year")), month, day)
        return None if exact is None else ((lambda ref: (exact, exact)), "", False)

    def resolve(ref: date) -> tuple[date, date] | None:
        found = _safe(_year_of(month, day, ref, forward), month, day)
        return (found, found) if found else None

    return resolve, "the day and month in the text, " + _in_year(forward), True


def _iso(m: re.Match[str], forward: bool) -> Built | None:
    found = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None if found is None else ((lambda ref: (found, found)), "", False)


def _dotted(m: re.Match[str], forward: bool) -> Built | None:
    """A day written with dots, day first ("6.10.2021", "06.10.2021"), as Europe writes it
    and translated reports keep it."""
    found = _safe(int(m.group("year")), int(m.group("month")), int(m.group("day")))
    return None if found is None else ((lambda ref: (found, found)), "", False)


# ----------------------------------------------------------------- months, seasons, parts

_SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}
"""A season as months of the northern hemisphere (winter runs into the next year)."""
_SOUTHERN_SEASONS = {
    name: ((first + 5) % 12 + 1, (last + 5) % 12 + 1) for name, (first, last) in _SEASONS.items()
}
"""The same seasons south of the equator, six months on: "the summer of 2019" runs into 2020
there, as the northern winter of a year runs into the next."""
_NORTHERN = "read as its months in the northern hemisphere"


def _season_span(name: str, year: int, southern: bool = False) -> tuple[date, date]:
    first, last = (_SOUTHERN_SEASONS if southern else _SEASONS)[name]
    return date(year, first, 1), month_end(year + (last < first), last)


def _season(m: re.Match[str], forward: bool, southern: bool = False) -> Built | None:
    """A season ("in the summer of 2018", "last winter", "next spring"): its three months
    in the northern hemisphere, said so; without a year, the last one begun on or before the
    reference ("last"), the next one begun after it ("next"), or by the clause's direction."""
    name = m.group("season").lower()
    bare = not (m.group("year") or m.group("which"))
    if bare and (name == "fall" or not m.group(0).lower().startswith(("in", "during", "over"))):
        return None  # "the fall of Kabul", "the spring talks": no date
    reason = f"'{name}' " + (_SOUTHERN_READING if southern else _NORTHERN)
    if m.group("year"):
        span = _season_span(name, int(m.group("year")), southern)
        return (lambda ref: span), reason, False
    which = (m.group("which") or "").lower()
    ahead = which == "next" or (forward and which != "last")

    def resolve(ref: date) -> tuple[date, date]:
        year = ref.year - 1 if _season_span(name, ref.year, southern)[0] > ref else ref.year
        if ahead:
            year += 1 if _season_span(name, year, southern)[0] <= ref else 0
        elif which == "last" and _season_span(name, year, southern)[1] >= ref:
            year -= 1
        return _season_span(name, year, southern)

    return (
        resolve,
        reason + (", the next after {ref}" if ahead else ", the last before {ref}"),
        True,
    )


_SOUTHERN_READING = "read as its months in the southern hemisphere, where the action took place"


def in_southern_hemisphere(day: UncertainDate) -> UncertainDate | None:
    """A season the text gives (`day`, read as the northern one) read as the southern season
    of the same name: "in the spring of 2019" said of an action in Argentina is September to
    November 2019. None where `day` is no season so read. The reference day is the one the
    northern reading was resolved against."""
    if _NORTHERN not in (day.resolution or "") or not day.wording:
        return None
    match = _SEASON_PATTERN.fullmatch(day.wording)
    if match is None:
        return None
    built = _season(match, "the next after" in (day.resolution or ""), southern=True)
    if built is None:
        return None
    reference = day.resolved_against or day.earliest  # a year given: no reference needed
    resolver, reason, _ = built
    return resolve_with(
        resolver, reason, day.wording, UncertainDate.from_edtf(reference.isoformat())
    )


# ----------------------------------------------------------------- months and parts of them

_PART = {
    "beginning": (1, 3, 1, 10),
    "start": (1, 3, 1, 10),
    "early": (1, 3, 1, 10),
    "middle": (5, 8, 11, 20),
    "mid": (5, 8, 11, 20),
    "end": (10, 12, 21, 31),
    "late": (10, 12, 21, 31),
}
"""Part of a period → (first month, last month) of a year, (first day, last day) of a month:
"the beginning of 2020" is its first quarter, "the end of October" its last ten days."""


def _part_of(m: re.Match[str], forward: bool) -> Built | None:
    """Part of a year or of a month ("at the beginning of 2020", "in mid-October")."""
    part = _PART[m.group("part").lower()]
    if not m.group("month"):
        year = int(m.group("only_year"))
        lo, hi = date(year, part[0], 1), month_end(year, part[1])
        reason = f"'{m.group('part')}' of a year read as months {part[0]}–{part[1]}"
        return (lambda ref: (lo, hi)), reason, False
    month = MONTHS[m.group("month").lower()]
    given = int(m.group("year")) if m.group("year") else None

    def resolve(ref: date) -> tuple[date, date]:
        year = given or _year_of(month, 1, ref.replace(day=1), forward)
        last = month_end(year, month)
        return date(year, month, part[2]), date(year, month, min(part[3], last.day))

    reason = f"'{m.group('part')}' of a month read as days {part[2]}–{part[3]}"
    return resolve, reason + ("" if given else ", " + _in_year(forward)), not given


_WEEK_PART = {
    "beginning": (0, 2),
    "start": (0, 2),
    "early": (0, 2),
    "middle": (2, 4),
    "mid": (2, 4),
    "end": (4, 6),
    "late": (4, 6),
}
"""Part of a calendar week → its first and last day counted from Monday: "the beginning of
the week" is Monday to Wednesday, "late last week" its Friday to Sunday."""


def _part_of_relative(m: re.Match[str], forward: bool) -> Built | None:
    """Part of a week, month or year named from the reference day ("late last month", "early
    next year", "at the end of last month", "in the beginning of the week": the reference's
    own week): the part of the span `SPANS` gives for it."""
    part = _PART[m.group("part").lower()]
    unit = m.group("unit").lower()
    span, reason = SPANS[f"{(m.group('which') or 'this').lower()} {unit}"]

    def resolve(ref: date) -> tuple[date, date] | None:
        whole = span(ref)
        if whole is None:
            return None
        first = whole[0]
        if unit == "week":
            days = _WEEK_PART[m.group("part").lower()]
            return first + timedelta(days[0]), first + timedelta(days[1])
        if unit == "year":
            return date(first.year, part[0], 1), month_end(first.year, part[1])
        last = month_end(first.year, first.month)
        return first.replace(day=part[2]), first.replace(day=min(part[3], last.day))

    if unit == "week":
        reason = (
            "the calendar week (Monday–Sunday) " + _WEEK_OF[(m.group("which") or "this").lower()]
        )
    return resolve, f"'{m.group('part')}' of " + reason, True


_WEEK_OF = {"last": "before that of {ref}", "this": "of {ref}", "next": "after that of {ref}"}


def _day_range(m: re.Match[str], forward: bool) -> Built | None:
    """Days of one month given as a range ("between 3 and 5 May", "3-5 May", "May 3-5"):
    the span from the first to the last, not the last day alone."""
    month = MONTHS[m.group("month").lower()]
    first, last = int(m.group("first")), int(m.group("day"))
    given = int(m.group("year")) if m.group("year") else None

    def resolve(ref: date) -> tuple[date, date] | None:
        year = given or _year_of(month, last, ref, forward)
        lo, hi = _safe(year, month, first), _safe(year, month, last)
        return (lo, hi) if lo and hi and lo < hi else None

    reason = "the days of the month in the text"
    return resolve, reason + ("" if given else ", " + _in_year(forward)), not given


_NTH = {"first": 0, "second": 1, "third": 2, "fourth": 3}


def _nth_part(m: re.Match[str], forward: bool) -> Built | None:
    """A numbered week or half of a month ("in the second week of May", "the last week of
    April", "the first half of June") or a half of a year ("the second half of 2021")."""
    nth, unit = m.group("nth").lower(), m.group("unit").lower()
    if m.group("only_year"):
        year = int(m.group("only_year"))
        if unit != "half" or nth not in ("first", "second"):
            return None
        months = (1, 6) if nth == "first" else (7, 12)
        span = date(year, months[0], 1), month_end(year, months[1])
        return (lambda ref: span), f"the {nth} half of {year}", False
    month = MONTHS[m.group("month").lower()]
    given = int(m.group("year")) if m.group("year") else None

    def resolve(ref: date) -> tuple[date, date] | None:
        year = given or _year_of(month, 1, ref.replace(day=1), forward)
        last = month_end(year, month).day
        if unit == "half":
            lo, hi = (1, 15) if nth == "first" else (16, last)
        elif nth in ("last", "final"):
            lo, hi = last - 6, last
        else:
            lo = 1 + 7 * _NTH.get(nth, 0)
            hi = min(lo + 6, last)
        return date(year, month, lo), date(year, month, hi)

    reason = f"the {nth} {unit} of a month"
    return resolve, reason + ("" if given else ", " + _in_year(forward)), not given


def _ordinal_day(m: re.Match[str], forward: bool) -> Built | None:
    """A day of the month by its ordinal alone ("on the 14th"): the reference day's month, or
    the one before when that day is still to come (the one after in a clause looking ahead)."""
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return None

    def resolve(ref: date) -> tuple[date, date] | None:
        month = ref.replace(day=1)
        if forward and day < ref.day:
            month += relativedelta(months=1)
        elif not forward and day > ref.day:
            month -= relativedelta(months=1)
        found = _safe(month.year, month.month, day)
        return (found, found) if found else None

    if forward:
        return resolve, "the day of the month in the text, the next not before {ref}", True
    return resolve, "the day of the month in the text, the last not after {ref}", True


def _month_named_from(month: int, back: bool) -> Built:
    """ "Last October", "this past March" (`back`): the latest such month before the
    reference's own; "next June", "this coming May": the first after it."""

    def resolve(ref: date) -> tuple[date, date]:
        if back:
            year = ref.year if month < ref.month else ref.year - 1
        else:
            year = ref.year if month > ref.month else ref.year + 1
        return date(year, month, 1), month_end(year, month)

    which = "the latest before that of {ref}" if back else "the first after that of {ref}"
    return resolve, f"the month in the text, {which}", True


def _listed_month(m: re.Match[str]) -> bool:
    """Whether a bare month word ends a list of months a preposition opened ("in January and
    July", "in March, May or June"): it is a date like the first."""
    before = m.string[max(0, m.start() - 60) : m.start()]
    return _MONTH_LIST.search(before) is not None


def _month_year(m: re.Match[str], forward: bool) -> Built | None:
    """A month, with its year, or its year named from the reference ("March of last year",
    "in June this year"), or after a preposition ("in June", "since March"): a bare
    capitalised month word is as often a name ("Prime Minister Theresa May") as a date."""
    if not m.group("year") and m.start("month") == m.start() and not _listed_month(m):
        return None
    month = MONTHS[m.group("month").lower()]
    if m.group("year"):
        year = int(m.group("year"))
        return (lambda ref: (date(year, month, 1), month_end(year, month))), "", False
    if m.group("which"):
        shift = {"last": -1, "this": 0, "next": 1}[m.group("which").lower()]

        def of_year(ref: date) -> tuple[date, date]:
            year = ref.year + shift
            return date(year, month, 1), month_end(year, month)

        return of_year, f"the month in the text, of the year {m.group('which')} from {{ref}}", True
    if m.group("lead"):
        return _month_named_from(
            month,
            m.group("lead").lower().startswith("last")
            or (m.group("lead").lower().endswith("past")),
        )

    def resolve(ref: date) -> tuple[date, date]:
        year = _year_of(month, 1, ref.replace(day=1), forward)
        return date(year, month, 1), month_end(year, month)

    return resolve, "the month in the text, " + _in_year(forward), True


# ----------------------------------------------------------------- weekdays


def _weekday(m: re.Match[str], forward: bool) -> Built | None:
    """A weekday ("on Monday"): the nearest such day on or before the reference; "last
    Monday" the one before it; "next Monday", or a Monday in a clause that looks ahead, the
    first after it."""
    wanted = WEEKDAYS.index(m.group("weekday").lower())
    last, coming = bool(m.group("last")), bool(m.group("next"))
    name = m.group("weekday").title()
    if coming or (forward and not last):

        def ahead(ref: date) -> tuple[date, date]:
            day = ref + timedelta(days=(wanted - ref.weekday()) % 7 or 7)
            return day, day

        return ahead, f"the first {name} after {{ref}}" + ("" if coming else _AHEAD_REASON), True

    def resolve(ref: date) -> tuple[date, date]:
        back = (ref.weekday() - wanted) % 7
        day = ref - timedelta(days=back or (7 if last else 0))
        return day, day

    return resolve, f"the {name} on or before {{ref}}", True


def _weekend(m: re.Match[str], forward: bool) -> Built | None:
    """ "The weekend": the Saturday and Sunday on or before the reference (up to it), or,
    "next weekend" or in a clause that looks ahead, the next one."""
    which = m.group(0).lower().split()[0]
    if which == "next" or (forward and which != "last"):

        def ahead(ref: date) -> tuple[date, date]:
            saturday = ref + timedelta(days=(5 - ref.weekday()) % 7)
            return saturday, saturday + timedelta(1)

        return ahead, "the Saturday and Sunday next after {ref}" + _AHEAD_REASON, True

    def resolve(ref: date) -> tuple[date, date]:
        saturday = ref - timedelta(days=(ref.weekday() - 5) % 7)
        if which == "last" and saturday + timedelta(1) >= ref:
            saturday -= timedelta(7)
        return saturday, min(saturday + timedelta(1), ref)

    return resolve, "the Saturday and Sunday on or before {ref}", True


# ----------------------------------------------------------------- spans relative to the day

_THIS_AHEAD: dict[str, tuple[Resolver, str]] = {
    "this week": (
        lambda r: (r, max(r, week_start(r) + timedelta(6))),
        "from {ref} to the Sunday of its week" + _AHEAD_REASON,
    ),
    "this month": (
        lambda r: (r, month_end(r.year, r.month)),
        "from {ref} to the end of its month" + _AHEAD_REASON,
    ),
    "this year": (
        lambda r: (r, date(r.year, 12, 31)),
        "from {ref} to the end of its year" + _AHEAD_REASON,
    ),
}
""""This month" in a clause that looks ahead: the rest of it, not the part gone by."""


def _relative_span(m: re.Match[str], forward: bool) -> Built | None:
    """A span named from the reference day ("yesterday", "next month"; see `SPANS`)."""
    key = " ".join(m.group(0).lower().split()).removeprefix("on ").removeprefix("in ")
    key = key.replace(" in the ", " this ")
    if forward and key in _THIS_AHEAD:
        resolve, reason = _THIS_AHEAD[key]
        return resolve, reason, True
    if key not in SPANS:
        return None
    resolve, reason = SPANS[key]
    return resolve, reason, True


# ----------------------------------------------------------------- "N days ago"


def _amount(raw: str) -> int | None:
    if raw.lower() in ("a", "an", "one"):
        return 1
    found = numbers_in(raw)
    return found[0].value if len(found) == 1 else None


def _ago(m: re.Match[str], forward: bool) -> Built | None:
    """A count back ("three days ago") is a day; weeks, months and years ago are round
    figures, so their day is widened: by three days, by a month either side, by half a
    year."""
    amount = _amount(m.group("n"))
    unit = m.group("unit").lower().rstrip("s")
    if amount is None or amount <= 0 or amount > 100:
        return None
    if unit == "day":
        return (
            lambda ref: (ref - timedelta(days=amount), ref - timedelta(days=amount)),
            f"{{ref}} minus {amount} day(s)",
            True,
        )
    if unit == "week":
        return (
            lambda ref: (
                ref - timedelta(weeks=amount, days=3),
                ref - timedelta(weeks=amount) + timedelta(3),
            ),
            f"{{ref}} minus {amount} week(s), give or take three days",
            True,
        )
    if unit == "month":

        def months_ago(ref: date) -> tuple[date, date]:
            first = month_start(ref - relativedelta(months=amount))
            return first - relativedelta(months=1), first + relativedelta(months=2) - timedelta(1)

        reason = (
            f"{{ref}} minus {amount} month(s); a round figure, so approximate: the month it "
            "falls in, widened by a month either side"
        )
        return months_ago, reason, True

    def years_ago(ref: date) -> tuple[date, date]:
        year = ref.year - amount
        return date(year - 1, 7, 1), date(year + 1, 6, 30) if amount > 1 else date(year, 12, 31)

    return years_ago, f"{{ref}} minus {amount} year(s); approximate", True


# ----------------------------------------------------------------- vague and "the same day"


def _vague(m: re.Match[str], forward: bool) -> Built | None:
    """An undated time ("not long ago", "recently"): the three months before; "a long
    time", three years."""
    text = " ".join(m.group(0).lower().split())
    recent = text.startswith("not") or "recent" in text or "late" in text or "few" in text
    if not recent and any(w in text for w in ("long time", "some time", "long ago")):
        return (
            lambda r: (r - relativedelta(years=3), r),
            f"'{text}': undated, read as within the three years up to {{ref}}",
            True,
        )
    return (
        lambda r: (r - timedelta(90), r - timedelta(1)),
        f"'{text}': undated, read as within the three months before {{ref}}",
        True,
    )


def _same_day(m: re.Match[str], forward: bool) -> Built | None:
    return None  # resolved against the previous date in the article (see `_beside_previous`)


_SHIFTS = {
    "same day": 0,
    "next day": 1,
    "following day": 1,
    "day before": -1,
    "previous day": -1,
    "that day": 0,
    "that night": 0,
    "that evening": 0,
    "that morning": 0,
    "that afternoon": 0,
}
_LATER = re.compile(
    r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?P<unit>days?|weeks?|months?|years?|decades?)\s+(?P<way>later|earlier)",
    re.IGNORECASE,
)
_UNIT_SHIFT = {
    "day": relativedelta(days=1),
    "week": relativedelta(weeks=1),
    "month": relativedelta(months=1),
    "year": relativedelta(years=1),
    "decade": relativedelta(years=10),
}
_CHAINED = re.compile(
    r"(?P<which>the same|that|the following|the next|the previous|the preceding)\s+"
    r"(?P<name>week|month|year|spring|summer|autumn|fall|winter|"
    + "|".join(name for name in MONTHS if len(name) > 3)
    + r")$"
)


def _chained_span(which: str, name: str, previous: UncertainDate) -> tuple[date, date] | None:
    """The span "the same week", "that year", "that March", "the following spring", "the
    next month" names, told from the date the article gave last: the same one holds it,
    the following one is the first to begin after it, the previous one the last to end
    before it. None where that date does not fix it ("that March" of a span of years)."""
    lo, hi = previous.earliest, previous.latest
    if name in ("week", "month", "year"):
        start = {
            "week": week_start,
            "month": month_start,
            "year": lambda d: d.replace(month=1, day=1),
        }[name]
        step = _UNIT_SHIFT[name]
        if which in ("the same", "that"):
            return start(lo), start(hi) + step - timedelta(1)
        if which in ("the following", "the next"):
            return start(hi) + step, start(hi) + step + step - timedelta(1)
        return start(lo) - step, start(lo) - timedelta(1)

    def span(year: int) -> tuple[date, date]:
        if name in _SEASONS:
            return _season_span(name, year)
        month = MONTHS[name]
        return date(year, month, 1), month_end(year, month)

    if which == "that":
        return span(lo.year) if lo.year == hi.year else None
    if which in ("the following", "the next"):
        return span(hi.year) if span(hi.year)[0] > hi else span(hi.year + 1)
    return span(lo.year) if span(lo.year)[1] < lo else span(lo.year - 1)


_BARE_MONTH = re.compile(r"(?i:in|during)\s++(?P<name>[A-Z][a-z]++)")


def month_in_story(found: FoundDate, earlier: UncertainDate) -> FoundDate:
    """A month named without its year ("the envoy returned only in December") after a date
    with its year in the same paragraph or the one before ("In the spring of 2024, ...
    recalled"): the story goes on from that date, so it is the first such month after it,
    not the last before the article (December 2024, not December 2025 in a feature written in
    January 2026). Any other date is returned as it is."""
    bare = _BARE_MONTH.fullmatch(found.date.wording or "")
    name = bare.group("name").lower() if bare else ""
    if not found.relative or name not in MONTHS or found.future or found.effective:
        return found
    span = _chained_span("the following", name, earlier)
    if span is None or span[1] >= found.date.earliest:
        return found
    lo, hi = span
    told = UncertainDate(
        edtf=edtf_of(lo, hi),
        earliest=lo,
        latest=hi,
        wording=found.date.wording,
        resolution=f"the month in the text, the first after the date the paragraph gave "
        f"before it ({earlier.edtf})",
    )
    return replace(found, date=told)


_SINCE = re.compile(r"\bsince\s++$", re.IGNORECASE)


def is_since(text: str, found: FoundDate) -> bool:
    """Whether the date opens a span lasting to the time of writing ("the first envoy
    since the winter of 2016", "since April 2021"): no point of the narrative, so no date
    "the same day" or "that night" is told from."""
    wording = (found.date.wording or "").lower()
    return wording.startswith("since") or bool(
        _SINCE.search(text, max(0, found.start - 8), found.start)
    )


def _beside_previous(wording: str, previous: UncertainDate) -> UncertainDate | None:
    """A date told from the date the article gave last ("the same day", "the next day",
    "the day before", "that night", "two days later", "a week earlier", "a month later",
    "twelve years later", "a decade earlier"; "the same week", "that year", "that March",
    "the following spring": `_chained_span`)."""
    plain = " ".join(wording.lower().split()).removeprefix("on ").removeprefix("in ")
    chained = _CHAINED.match(plain)
    later = _LATER.search(plain)
    if chained is not None:
        span = _chained_span(chained.group("which"), chained.group("name"), previous)
        if span is None:
            return None
        lo, hi = span
        key, shift = plain, ""
    elif later is not None:
        amount = _amount(later.group("n")) or 0
        unit = later.group("unit").lower().rstrip("s")
        sign = -1 if later.group("way") == "earlier" else 1
        step = _UNIT_SHIFT[unit] * (amount * sign)
        lo, hi = previous.earliest + step, previous.latest + step
        key, shift = later.group(0), f": {sign * amount:+d} {unit}(s)"
    else:
        key = next(k for k in _SHIFTS if k in plain)
        days = _SHIFTS[key]
        lo, hi = shift_days(previous.earliest, days), shift_days(previous.latest, days)
        shift = f": {days:+d} day(s)" if days else ""
    same = (lo, hi) == (previous.earliest, previous.latest)
    return UncertainDate(
        edtf=previous.edtf if same else edtf_of(lo, hi),
        earliest=lo,
        latest=hi,
        wording=wording,
        resolution=f"'{key}' counted from the date the article gave before it "
        f"({previous.edtf}){shift}",
    )


_SEASON_PATTERN = re.compile(
    rf"\b(?:(?:in|during|over){_S})?(?:the{_S})?(?:(?P<which>last|this|next){_S})?"
    rf"(?P<season>spring|summer|autumn|fall|winter)(?:(?:{_S}of)?{_S}{_YEAR})?\b",
    re.IGNORECASE,
)

_RULES: list[_Rule] = [
    _Rule(
        re.compile(
            r"\b(?:(?:in|on|during|by)\s++)?(?:the\s++(?:same|following|next|previous|preceding)"
            r"|that)\s++(?:week|month|year|spring|summer|autumn|fall|winter|"
            rf"(?P<month>{'|'.join(name for name in MONTHS if len(name) > 3)}))\b",
            re.IGNORECASE,
        ),
        _same_day,
    ),
    _Rule(re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), _iso),
    _Rule(
        re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d{2})\b"),
        _dotted,
    ),
    _Rule(_SEASON_PATTERN, _season),
    _Rule(
        re.compile(
            r"\b(?:(?:over|at|during)\s+the|this(?:\s+past)?|last|next)\s+weekend\b", re.IGNORECASE
        ),
        _weekend,
    ),
    _Rule(
        re.compile(
            rf"\b(?:at{_S}the{_S}|in{_S}the{_S}|by{_S}the{_S}|in{_S})?"
            rf"(?P<part>beginning|start|early|middle|mid|end|late)(?:{_S}of)?(?:{_S}|-)"
            rf"(?:{_MONTH}(?:{_S}{_YEAR})?|(?P<only_year>(?:19|20)\d{{2}}))\b",
            re.IGNORECASE,
        ),
        _part_of,
    ),
    _Rule(
        re.compile(
            rf"\b(?:at{_S}the{_S}|in{_S}the{_S}|by{_S}the{_S}|in{_S})?"
            rf"(?P<part>beginning|start|early|middle|mid|end|late)(?:{_S}of)?(?:{_S}|-)"
            rf"(?:(?P<which>last|this|next)|the(?={_S}week)){_S}(?P<unit>week|month|year)\b",
            re.IGNORECASE,
        ),
        _part_of_relative,
    ),
    _Rule(
        re.compile(
            rf"\b(?:(?:in|during|over){_S})?the{_S}(?P<nth>first|second|third|fourth|last|final)"
            rf"{_S}(?P<unit>week|half){_S}of{_S}"
            rf"(?:{_MONTH}(?:,?{_S}{_YEAR})?|(?P<only_year>(?:19|20)\d{{2}}))\b",
            re.IGNORECASE,
        ),
        _nth_part,
    ),
    _Rule(
        re.compile(
            rf"\b(?:(?:between|from){_S})?{_FIRST}(?:{_S}(?:and|to|until){_S}|[ \t]*+[-–][ \t]*+)"
            rf"{_DAY}{_S}(?:of{_S})?{_MONTH}(?:,?{_S}{_YEAR})?\b",
            re.IGNORECASE,
        ),
        _day_range,
    ),
    _Rule(
        re.compile(rf"\b{_MONTH}{_S}{_FIRST}[ \t]*+[-–][ \t]*+{_DAY}(?:,?{_S}{_YEAR})?\b", re.I),
        _day_range,
    ),
    _Rule(
        re.compile(rf"\b{_DAY}{_S}(?:of{_S})?{_MONTH}(?:,?{_S}{_YEAR})?\b", re.IGNORECASE),
        _absolute_day,
    ),
    _Rule(
        re.compile(
            r"\bon\s++the\s++(?P<day>[0-3]?\d)(?:st|nd|rd|th)\b"
            r"(?=\s*+(?:[,.;:)]|$)|\s++(?:and|for|in|at|to|as|with|but|by|when|after|before|"
            r"amid|over|while|that|following|local)\b)",
            re.IGNORECASE,
        ),
        _ordinal_day,
    ),
    _Rule(
        re.compile(rf"\b{_MONTH}{_S}{_DAY}(?:,?{_S}{_YEAR})?\b(?!:)", re.IGNORECASE),
        _absolute_day,
    ),
    _Rule(
        re.compile(rf"\bon{_S}{_MONTH},{_S}{_DAY}(?:,?{_S}{_YEAR})?\b(?![:.,]?\d)", re.I),
        _absolute_day,
    ),
    _Rule(_YEAR_FIRST_MONTH, _month_year),
    _Rule(
        re.compile(
            rf"\b(?:in{_S}|since{_S}|during{_S}|by{_S}|until{_S}"
            rf"|(?P<lead>last|next|this{_S}past|this{_S}coming){_S})?{_MONTH}"
            rf"(?:{_S}{_YEAR}|(?:,?{_S}of)?{_S}(?P<which>last|this|next){_S}year)?\b",
            re.IGNORECASE,
        ),
        _month_year,
    ),
    _Rule(
        re.compile(
            r"\b(?:on\s+|(?P<last>last\s+|this\s+past\s+)|(?P<next>(?:" + NEXT + r")\s++))?"
            r"(?P<weekday>" + "|".join(WEEKDAYS) + r")\b",
            re.IGNORECASE,
        ),
        _weekday,
    ),
    _Rule(
        re.compile(
            r"\b(?:(?:earlier|later)\s+(?:this|in\s+the)\s+(?:week|month|year)|"
            r"the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|"
            r"(?:last|this|next)\s+(?:week|month|year)|"
            r"today|yesterday|tomorrow|tonight|this\s+morning|last\s+night)\b",
            re.IGNORECASE,
        ),
        _relative_span,
    ),
    _Rule(
        re.compile(
            r"\b(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
            r"twelve|fifteen|eighteen|twenty|thirty|twenty[\s-]four|thirty[\s-]six)\s+"
            r"(?P<unit>days?|weeks?|months?|years?)\s+ago\b",
            re.IGNORECASE,
        ),
        _ago,
    ),
    _Rule(
        re.compile(
            r"\b(?:not\s+(?:so\s+)?long\s+ago|not\s+so\s+many\s+days\s+ago|recently|lately|"
            r"in\s+recent\s+(?:days|weeks|months)|"
            r"the\s+other\s+day|a\s+few\s+days\s+ago|(?:for\s+)?quite\s+some\s+time|"
            r"(?:for\s+)?a\s+long\s+time(?:\s+\[?ago\]?)?|long\s+ago|for\s+some\s+time)\b",
            re.IGNORECASE,
        ),
        _vague,
    ),
    _Rule(
        re.compile(
            r"\b(?:on\s+)?the\s+(?:same|next|following|previous)\s+day\b|\bthe\s+day\s+before\b|"
            r"\bon\s+same\s+day\b|\bthat\s+(?:day|night|evening|morning|afternoon)\b|"
            r"\b(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
            r"(?:days?|weeks?|months?|years?|decades?)\s+(?:later|earlier)\b",
            re.IGNORECASE,
        ),
        _same_day,
    ),
]

_YEARS = re.compile(
    r"\b(?:in|during|of|by|since)\s++(?P<years>(?:19|20)\d{2}(?:(?:\s*+,\s*+|\s++and\s++|\s*+&\s*+)"
    r"(?:19|20)\d{2}){0,20})\b(?!-\d)",
    re.IGNORECASE,
)
"""A year, or a list of up to 21 years ("in 2014, 2015 and 2016"), or the year a state has
held since ("suspended since 2014"); blanks possessive."""
_COMING = re.compile(rf"\b(?:{COMING})\b", re.IGNORECASE)
"""Future words with no date the text commits to: a sign of the future, not a date."""


# ----------------------------------------------------------------- the reference day

_HEADER_DAY = re.compile(
    r"^[ \t]*+(?:(?:last|first)[ \t]++)?(?:published|posted|date|dated|updated)[ \t]*+:?[ \t]*+"
    r"(?P<when>[^\n]{6,40})",
    re.IGNORECASE | re.MULTILINE,
)
_PLACE_DAY = re.compile(
    r"^[ \t]*+[A-Z][A-Za-z .'’-]{2,40}+,[ \t]*+(?P<when>\d{1,2}[ \t]++[A-Z][a-z]{2,8}\.?[ \t]++"
    r"\d{4}|[A-Z][a-z]{2,8}\.?[ \t]++\d{1,2},?[ \t]++\d{4}"
    r"|\d{1,2}[ \t]++[A-Z][a-z]{2,8}(?=\.[ \t]++[A-Z])"
    r"|[A-Z][a-z]{2,8}[ \t]++\d{1,2}(?=\.[ \t]++[A-Z]))\b",
    re.MULTILINE,
)
_DATE_LINE = re.compile(
    r"^[ \t]*+(?:[A-Z][a-z]{2,8},?[ \t]++)?(?P<when>[^\n]{6,32}?)[ \t]*+$", re.MULTILINE
)
"""Besides a dateline's day (`dateline.py`: "MOSCOW, March 3 (Reuters) -", "ANKARA, 3
November."): a place and full date ("Brussels, 6 October 2021"), or a place and a day ending
a sentence of its own, as reposts write a dateline in title case ("Moscow, 18 October. The
ministry ..."), a header's ("Published:
2021-10-07", "Last updated: 8 Oct 2021"), or a line that is only a date ("Tuesday, 5 October
2021"), in the first lines of the article."""
HEAD = 600
"""Characters at the head of an article in which a dateline or header is looked for."""
DATELINE_REACH = 31
"""Days: a dateline or header day at most this long before publication dates the report (a
repost a few days later); one further off is not trusted to."""


@lru_cache(maxsize=16)
def reference_day(text: str, published: UncertainDate) -> tuple[UncertainDate, str]:
    """The day relative words ("yesterday", "on Monday") are counted from: the day a
    dateline or a "Published:" header at the head of the article gives, where it lies within
    `DATELINE_REACH` before publication; else the publication date. With a note naming the
    dateline, for the resolution ("" when the publication date is used). Read once per
    article: every sentence's dates ask for it."""
    head = text[:HEAD]
    for start, end, when, whole in _heads(head):
        day = _day_of(when, published, whole=whole)
        if day is not None:
            wording = " ".join(head[start:end].split())
            return UncertainDate.from_edtf(day.isoformat()), f" (the day of '{wording}')"
    return published, ""


def _heads(head: str) -> Iterator[tuple[int, int, str, bool]]:
    """The days the head gives, in the order they are trusted: a header's, a dateline's, a
    place's, a line's that is only a date (then the whole line must be the date): where the
    wording begins and ends, the day's words, and whether they must be all of them."""
    for pattern in (_HEADER_DAY, _PLACE_DAY, _DATE_LINE):
        if pattern is _PLACE_DAY:
            for line in datelines(head):
                if line.when is not None and line.when_end is not None:
                    yield line.start, line.when_end, line.when, False
        for match in pattern.finditer(head):
            yield match.start(), match.end("when"), match.group("when"), pattern is _DATE_LINE


_ONE_DAY = (_iso, _dotted, _absolute_day)
"""The builders of expressions that name one day, as a dateline or header gives it."""


def is_datelined(text: str) -> bool:
    """Whether the article opens as a report of the day's news: a dateline, with or without
    its day, or a publication header."""
    head = text[:HEAD]
    return any(p.search(head) for p in (_HEADER_DAY, _PLACE_DAY)) or any(datelines(head))


def _day_of(when: str, published: UncertainDate, whole: bool = False) -> date | None:
    """The one day `when` names (all of it, if `whole`), resolved backwards from the
    publication date, if it lies within `DATELINE_REACH` before it (or inside an undated
    article's interval)."""
    for rule in _RULES:
        if rule.build not in _ONE_DAY:
            continue
        match = rule.pattern.fullmatch(when.strip()) if whole else rule.pattern.search(when)
        if match is None:
            continue
        built = rule.build(match, False)
        try:
            span = None if built is None else built[0](published.latest)
        except (OverflowError, ValueError):
            return None
        if span is None or span[0] != span[1]:
            return None
        if shift_days(published.earliest, -DATELINE_REACH) <= span[0] <= published.latest:
            return span[0]
        return None
    return None


# ----------------------------------------------------------------- resolving


def _describe(reason: str, ref: UncertainDate, note: str) -> tuple[date | None, str | None]:
    if not reason:
        return None, None
    if ref.is_exact:
        return ref.earliest, reason.replace("{ref}", ref.earliest.isoformat() + note)
    against = f"the publication interval {ref.edtf}"
    return None, reason.replace("{ref}", "each bound of " + against) + " (the hull is kept)"


def resolve_with(
    resolver: Resolver, reason: str, wording: str, published: UncertainDate, note: str = ""
) -> UncertainDate | None:
    """Apply a resolver to the reference day (each bound of an interval; hull kept); `note`
    says where the reference comes from when it is not the publication date. None when the
    expression cannot be dated, also when its arithmetic leaves the calendar ("two years
    ago" in an article of year 1, "next year" of 9999): no date is invented."""
    try:
        first = resolver(published.earliest)
        second = resolver(published.latest) if not published.is_exact else first
        if first is None or second is None:
            return None
        lo, hi = min(first[0], second[0]), max(first[1], second[1])
        edtf = edtf_of(lo, hi)
        if "month(s); a round figure" in reason and published.is_exact:
            months = int(reason.split("minus ")[1].split()[0])
            middle = published.earliest - relativedelta(months=months)
            edtf = f"{middle.year:04d}-{middle.month:02d}~"
    except (OverflowError, ValueError):  # before 0001-01-01 or after 9999-12-31
        return None
    against, resolution = _describe(reason, published, note)
    try:
        return UncertainDate(
            edtf=edtf,
            earliest=lo,
            latest=hi,
            wording=wording,
            resolved_against=against,
            resolution=resolution,
        )
    except ValueError:
        return UncertainDate(
            edtf=edtf_of(lo, hi),
            earliest=lo,
            latest=hi,
            wording=wording,
            resolved_against=against,
            resolution=resolution,
        )


def date_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where text[start:end] holds a date expression (article offsets), resolvable or not
    ("31 February" too): the numbers in these are days and years, never counts or caps.
    Each sentence's spans are found once, however many triggers it holds (`_spans_of`)."""
    return list(_spans_of(text, start, end))


@lru_cache(maxsize=64)
def _spans_of(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """`date_spans`, kept for the sentences last asked about (a string's hash is computed
    once, so the key costs nothing after the first call for an article)."""
    chunk = text[start:end]
    spans = [(start + m.start(), start + m.end()) for m in _YEARS.finditer(chunk)]
    for rule in _RULES:
        for match in rule.pattern.finditer(chunk):
            if not _lower_month(match):
                spans.append((start + match.start(), start + match.end()))
    return tuple(spans)


def _lower_month(match: re.Match[str]) -> bool:
    """A month word written lower case ("may", "march"): a verb, not a month."""
    month = match.groupdict().get("month")
    return isinstance(month, str) and month[0].islower()


_CLAUSE_MARKS = (",", ";", ":", "“", "”", '"', "(")
"""Marks that end the clause a date's reporting verb must stand in ("said, on Monday")."""


Memo = dict[tuple[int, str, bool], tuple[UncertainDate, bool] | None]
"""Resolved dates by (rule, wording, looking ahead), for one publication date: an article
that repeats a date expression builds its interval once."""


@dataclass
class _Reading:
    """One call's text, the day its relative words count from, and where dates were found."""

    text: str
    start: int
    end: int
    reference: UncertainDate
    note: str
    marks: bytearray = field(init=False)
    """1 where a date already found lies: each match is looked at once."""

    def __post_init__(self) -> None:
        self.marks = bytearray(self.end - self.start + 1)

    def free(self, a: int, b: int) -> bool:
        return self.marks.find(1, a - self.start, b - self.start) < 0

    def take(self, a: int, b: int) -> None:
        self.marks[a - self.start : b - self.start] = b"\x01" * (b - a)

    def is_statement(self, a: int, b: int) -> bool:
        """Whether the date at text[a:b] dates a statement: a reporting word shortly before
        it in its clause with no other verb between ("said in a statement on Monday"), or a
        speaker right after a date that opens its clause ("On Friday, Putin said"). Not a
        verb of announcing: "announced on Monday that it expelled" dates the expulsion's
        announcement, which is the action as the report gives it."""
        text, floor = self.text, max(self.start, a - 70)
        clause = max(text.rfind(mark, floor, a) for mark in _CLAUSE_MARKS) + 1
        reporting = None
        for match in REPORTING.finditer(text, max(floor, clause), a):
            reporting = match
        if reporting is not None and not _told_to(text, reporting, b):
            gap = text[reporting.end() : a]
            if len(gap.split()) <= 6 and not _REPORTED_VERB.search(gap):
                return True
        opens = not text[max(clause, self.start, a - 4) : a].strip(" \t\u00a0")
        return opens and bool(_FRONTED_SPEAKER.match(text, b, min(self.end, b + 60)))

    def is_effective(self, a: int) -> bool:
        """Preceded by "from", "with effect from": the day something takes effect; or the
        end of such a span ("from August 23 to September 1")."""
        floor = max(self.start, a - 40)
        if EFFECTIVE.search(self.text, floor, a):
            return True
        return bool(_RANGE_END.search(self.text, floor, a)) and bool(
            _FROM.search(self.text, floor, a)
        )

    def found(
        self, a: int, b: int, day: UncertainDate, relative: bool, vague: bool, forward: bool
    ) -> FoundDate:
        """A date found at text[a:b], with its role. A date ahead of the reference is the day
        something takes effect (`effective`), unless its clause only supposes it (a
        possibility, a plan, a condition): then it is `future`, no date of anything done."""
        self.take(a, b)
        ahead = (
            day.latest > self.reference.latest if forward else day.earliest > self.reference.latest
        )
        unsure = ahead and hypothetical(self.text, a, b, self.start)
        return FoundDate(
            a,
            b,
            day,
            relative=relative,
            statement=self.is_statement(a, b) and not ahead,
            effective=(self.is_effective(a) or ahead) and not unsure,
            future=unsure,
            vague=vague,
        )


def find_dates(
    text: str,
    start: int,
    end: int,
    published: UncertainDate,
    previous: UncertainDate | None,
    memo: Memo | None = None,
) -> list[FoundDate]:
    """Every date expression in text[start:end], in text order, resolved against the
    article's reference day (`reference_day`: a dateline's or header's day, else
    `published`); "the same day" takes `previous` (the last date the article gave before
    it). `memo` (one per article) may be shared between calls with the same `published`."""
    reference, note = reference_day(text, published)
    reading = _Reading(text, start, end, reference, note)
    found = [
        *_year_lists(reading),
        *_expressions(reading, previous, {} if memo is None else memo),
        *_lone_years(reading),
        *_coming(reading),
    ]
    return sorted(found, key=lambda f: f.start)


def _year_lists(reading: _Reading) -> list[FoundDate]:
    """A list of years ("in 2014, 2015 and 2016"): one date per year, with the list's
    wording."""
    found: list[FoundDate] = []
    for match in _YEARS.finditer(reading.text, reading.start, reading.end):
        years = re.findall(r"(?:19|20)\d{2}", match.group("years"))
        if len(years) < 2:
            continue
        reading.take(match.start(), match.end())
        statement = reading.is_statement(match.start(), match.end())
        effective = reading.is_effective(match.start())
        found.extend(
            FoundDate(
                match.start("years"),
                match.end("years"),
                UncertainDate.from_edtf(year, wording=match.group(0)),
                relative=False,
                statement=statement,
                effective=effective,
                future=False,
            )
            for year in years
        )
    return found


def _expressions(reading: _Reading, previous: UncertainDate | None, memo: Memo) -> list[FoundDate]:
    """Every expression of `_RULES`, the first rule to claim a span keeping it; each read
    forward where its clause looks ahead (a future, a plan, an effective date: "will close
    on 1 April", "from 1 June")."""
    found: list[FoundDate] = []
    chained: list[re.Match[str]] = []
    for number, rule in enumerate(_RULES):
        for match in rule.pattern.finditer(reading.text, reading.start, reading.end):
            a, b = match.span()
            if not reading.free(a, b) or _lower_month(match):
                continue
            if rule.build is _same_day:
                reading.take(a, b)
                chained.append(match)
                continue
            forward = speaks_of_future(reading.text, a, b, reading.start)
            entry = _resolved(reading, number, match, forward, memo)
            if not forward and reading.is_effective(a):
                entry, forward = _nearer(
                    reading, entry, _resolved(reading, number, match, True, memo)
                )
            if entry is not None:
                day, relative = entry
                found.append(reading.found(a, b, day, relative, rule.build is _vague, forward))
    for match in sorted(chained, key=lambda m: m.start()):
        a, b = match.span()
        earlier = [
            f.date for f in found if f.end <= a and not f.future and not is_since(reading.text, f)
        ]
        before = max(earlier, key=lambda d: d.latest) if earlier else previous
        told = None if before is None else _beside_previous(match.group(0), before)
        if told is not None:
            forward = speaks_of_future(reading.text, a, b, reading.start)
            found.append(reading.found(a, b, told, True, False, forward))
    return found


def _nearer(
    reading: _Reading,
    back: tuple[UncertainDate, bool] | None,
    ahead: tuple[UncertainDate, bool] | None,
) -> tuple[tuple[UncertainDate, bool] | None, bool]:
    """Of a date after "from" or "with effect from" in a clause of no clear tense, the
    reading nearer the reference day: "suspended interviews from August 23" said on 31
    August is the 23rd gone by, "mothballed with effect from 1 June" said in April the June
    to come. With whether the one chosen is the forward reading."""
    if back is None or ahead is None:
        return (back, False) if ahead is None else (ahead, True)
    ref = reading.reference
    behind = (ref.earliest - back[0].latest).days
    beyond = (ahead[0].earliest - ref.latest).days
    return (ahead, True) if beyond < behind else (back, False)


def _resolved(
    reading: _Reading, number: int, match: re.Match[str], forward: bool, memo: Memo
) -> tuple[UncertainDate, bool] | None:
    """The date a rule's match names (once per wording and direction, by `memo`)."""
    key = (number, match.group(0), forward)
    if key not in memo:
        built = _RULES[number].build(match, forward)
        day = None
        if built is not None:
            resolver, reason, _ = built
            day = resolve_with(resolver, reason, match.group(0), reading.reference, reading.note)
        memo[key] = None if day is None or built is None else (day, built[2])
    return memo[key]


def _lone_years(reading: _Reading) -> list[FoundDate]:
    """A year ("in 2014") where nothing more precise claimed the words."""
    found: list[FoundDate] = []
    for match in _YEARS.finditer(reading.text, reading.start, reading.end):
        if not reading.free(match.start(), match.end()):
            continue
        found.append(
            FoundDate(
                match.start("years"),
                match.end("years"),
                UncertainDate.from_edtf(match.group("years"), wording=match.group(0)),
                relative=False,
                statement=reading.is_statement(match.start(), match.end()),
                effective=reading.is_effective(match.start()),
                future=False,
            )
        )
    return found


def _coming(reading: _Reading) -> list[FoundDate]:
    """The future with no date to give it ("in the coming weeks"): the reference stands."""
    return [
        FoundDate(
            match.start(),
            match.end(),
            reading.reference,
            relative=True,
            statement=False,
            effective=False,
            future=True,
        )
        for match in _COMING.finditer(reading.text, reading.start, reading.end)
    ]
