"""Date expressions in a report, resolved against its publication date.

Reports date actions absolutely ("on 6 October", "in 2014"), relatively ("on Monday", "18 months
ago", "earlier this month"), vaguely ("not long ago") or not at all. Each expression becomes an
`UncertainDate` interval with the article's own wording and, for relative wording, the date it
was resolved against and the reason, so an analyst can check the arithmetic (docs/design.md
principle 3). A publication date that is itself an interval (an undated repost) resolves each
bound and keeps the hull. Calendar arithmetic uses python-dateutil's `relativedelta`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from chancery.domain.dates import UncertainDate
from chancery.extraction.numbers import numbers_in
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
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_S = r"[\s\u00a0]++"
"""Blanks between the words of a date; possessive (never given back: a word always follows),
so a word followed by a long run of blanks is read once."""
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

REPORTING = re.compile(
    r"\b(?:said|says|say|stated|states|told|tells|added|adds|noted|notes|remarked|explained|"
    r"stressed|emphasi[sz]ed|argued|argues|claimed|asserted|wrote|declared|"
    r"recalled(?!\s+(?:(?:its|their|his|her|the|our)\s+)?(?:ambassador|envoy|him\b|her\b))|"
    r"issued|published|press conference|news release|briefing|interview|statement|speech|"
    r"comments?|remarks?)\b",
    re.IGNORECASE,
)
"""Words that make a date the date of a statement rather than of the action reported in it.
"Recalled" is a statement ("she recalled that ...") except when an envoy is recalled."""

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
    """Preceded by "from", "with effect from": the date something takes effect."""
    future: bool
    vague: bool = False
    """An undated duration ("not long ago", "for quite some time"), not a date as such."""


def edtf_of(lo: date, hi: date) -> str:
    """The plainest EDTF form of [lo, hi]: a day, a month, a year, or an interval."""
    if lo == hi:
        return lo.isoformat()
    if lo.day == 1 and hi == _month_end(lo.year, lo.month) and lo.month == hi.month:
        return f"{lo.year:04d}-{lo.month:02d}"
    if (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31) and lo.year == hi.year:
        return f"{lo.year:04d}"
    if lo.day == 1 and hi == _month_end(hi.year, hi.month):
        return f"{lo.year:04d}-{lo.month:02d}/{hi.year:04d}-{hi.month:02d}"
    return f"{lo.isoformat()}/{hi.isoformat()}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


Resolver = Callable[[date], tuple[date, date] | None]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str]], tuple[Resolver, str, bool] | None]
    """From a match: a resolver of a reference day to [lo, hi], the reason, and whether the
    expression is relative to the reference (False for "6 October 2021")."""


def _year_of(month: int, day: int, ref: date) -> int:
    """The year of a day-and-month given without one: the latest not after the reference."""
    candidate = _safe(ref.year, month, min(day, 28 if month == 2 else day))
    return ref.year if candidate is None or candidate <= ref else ref.year - 1


def _absolute_day(m: re.Match[str]) -> tuple[Resolver, str, bool] | None:
    month = MONTHS[m.group("month").lower()]
    day = int(m.group("day"))
    if m.groupdict().get("year"):
        year = int(m.group("year"))
        exact = _safe(year, month, day)
        if exact is None:
            return None
        return (lambda ref: (exact, exact)), "", False

    def resolve(ref: date) -> tuple[date, date] | None:
        found = _safe(_year_of(month, day, ref), month, day)
        return (found, found) if found else None

    return resolve, "the day and month in the text, in the latest year not after {ref}", True


def _iso(m: re.Match[str]) -> tuple[Resolver, str, bool] | None:
    found = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if found is None:
        return None
    return (lambda ref: (found, found)), "", False


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


def _part_of(m: re.Match[str]) -> tuple[Resolver, str, bool] | None:
    part = _PART[m.group("part").lower()]
    if m.group("month"):
        month = MONTHS[m.group("month").lower()]
        given = int(m.group("year")) if m.group("year") else None

        def resolve(ref: date) -> tuple[date, date]:
            year = given or _year_of(month, 1, ref)
            last = _month_end(year, month)
            return date(year, month, part[2]), date(year, month, min(part[3], last.day))

        reason = f"'{m.group('part')}' of a month read as days {part[2]}–{part[3]}"
        return (
            resolve,
            reason + ("" if given else ", in the latest year not after {ref}"),
            not given,
        )
    year = int(m.group("only_year"))
    lo, hi = date(year, part[0], 1), _month_end(year, part[1])
    reason = f"'{m.group('part')}' of a year read as months {part[0]}–{part[1]}"
    return (lambda ref: (lo, hi)), reason, False


def _month_year(m: re.Match[str]) -> tuple[Resolver, str, bool] | None:
    """A month, with its year or after a preposition ("in June", "since March"): a bare
    capitalised month word is as often a name ("Prime Minister Theresa May") as a date."""
    if not m.group("year") and m.start("month") == m.start():
        return None
    month = MONTHS[m.group("month").lower()]
    if m.group("year"):
        year = int(m.group("year"))
        return (lambda ref: (date(year, month, 1), _month_end(year, month))), "", False

    def resolve(ref: date) -> tuple[date, date]:
        year = _year_of(month, 1, ref)
        return date(year, month, 1), _month_end(year, month)

    return resolve, "the month in the text, in the latest year not after {ref}", True


def _weekday(m: re.Match[str]) -> tuple[Resolver, str, bool] | None:
    wanted = WEEKDAYS.index(m.group("weekday").lower())
    last = bool(m.group("last"))

    def resolve(ref: date) -> tuple[date, date]:
        back = (ref.weekday() - wanted) % 7
        if last and back == 0:
            back = 7
        day = ref - timedelta(days=back)
        return day, day

    return resolve, f"the {m.group('weekday').title()} on or before {{ref}}", True


def _relative_span(m: re.Match[str]) -> tuple[Resolver, str, bool] | None:
    text = " ".join(m.group(0).lower().split())
    table: dict[str, tuple[Resolver, str]] = {
        "today": (lambda r: (r, r), "the article's date, {ref}"),
        "this morning": (lambda r: (r, r), "the article's date, {ref}"),
        "yesterday": (lambda r: (r - timedelta(1), r - timedelta(1)), "the day before {ref}"),
        "last week": (
            lambda r: (
                r - timedelta(r.weekday() + 7),
                r - timedelta(r.weekday() + 1),
            ),
            "the calendar week (Monday–Sunday) before that of {ref}",
        ),
        "this week": (
            lambda r: (r - timedelta(r.weekday()), r),
            "from the Monday of {ref}'s week to {ref}",
        ),
        "earlier this week": (
            lambda r: (
                r - timedelta(r.weekday()),
                max(r - timedelta(1), r - timedelta(r.weekday())),
            ),
            "from the Monday of {ref}'s week to the day before",
        ),
        "last month": (
            lambda r: (
                (r.replace(day=1) - timedelta(1)).replace(day=1),
                r.replace(day=1) - timedelta(1),
            ),
            "the calendar month before that of {ref}",
        ),
        "this month": (lambda r: (r.replace(day=1), r), "from the first of {ref}'s month to {ref}"),
        "earlier this month": (
            lambda r: (r.replace(day=1), max(r.replace(day=1), r - timedelta(1))),
            "from the first of {ref}'s month to the day before {ref}",
        ),
        "last year": (
            lambda r: (date(r.year - 1, 1, 1), date(r.year - 1, 12, 31)),
            "the calendar year before {ref}",
        ),
        "this year": (lambda r: (date(r.year, 1, 1), r), "from 1 January of {ref}'s year to {ref}"),
        "earlier this year": (
            lambda r: (date(r.year, 1, 1), max(date(r.year, 1, 1), r - timedelta(1))),
            "from 1 January of {ref}'s year to the day before {ref}",
        ),
    }
    key = text.removeprefix("on ").removeprefix("in ")
    if key not in table:
        return None
    resolve, reason = table[key]
    return resolve, reason, True


_UNITS = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks"}


def _ago(m: re.Match[str]) -> tuple[Resolver, str, bool] | None:
    raw = m.group("n").lower()
    if raw in ("a", "an", "one"):
        amount = 1
    else:
        found = numbers_in(raw)
        if len(found) != 1:
            return None
        amount = found[0].value
    unit = m.group("unit").lower().rstrip("s")
    if amount <= 0 or amount > 100:
        return None
    if unit == "day":

        def resolve(ref: date) -> tuple[date, date]:
            day = ref - timedelta(days=amount)
            return day, day

        return resolve, f"{{ref}} minus {amount} day(s)", True
    if unit == "week":

        def resolve(ref: date) -> tuple[date, date]:
            day = ref - timedelta(weeks=amount)
            return day - timedelta(3), day + timedelta(3)

        return resolve, f"{{ref}} minus {amount} week(s), give or take three days", True
    if unit == "month":

        def resolve(ref: date) -> tuple[date, date]:
            day = ref - relativedelta(months=amount)
            first = (day.replace(day=1) - relativedelta(months=1)).replace(day=1)
            last = day.replace(day=1) + relativedelta(months=2) - timedelta(1)
            return first, last

        return (
            resolve,
            f"{{ref}} minus {amount} month(s); a round figure, so approximate: the month it "
            "falls in, widened by a month either side",
            True,
        )

    def resolve_years(ref: date) -> tuple[date, date]:
        year = ref.year - amount
        return date(year - 1, 7, 1), date(year + 1, 6, 30) if amount > 1 else date(year, 12, 31)

    return resolve_years, f"{{ref}} minus {amount} year(s); approximate", True


def _vague(m: re.Match[str]) -> tuple[Resolver, str, bool] | None:
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


def _same_day(m: re.Match[str]) -> tuple[Resolver, str, bool] | None:
    return None  # resolved against the previous date in the article by `find_dates`


_RULES: list[_Rule] = [
    _Rule(re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), _iso),
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
        re.compile(rf"\b{_DAY}{_S}(?:of{_S})?{_MONTH}(?:,?{_S}{_YEAR})?\b", re.IGNORECASE),
        _absolute_day,
    ),
    _Rule(
        re.compile(rf"\b{_MONTH}{_S}{_DAY}(?:,?{_S}{_YEAR})?\b(?!:)", re.IGNORECASE),
        _absolute_day,
    ),
    _Rule(
        re.compile(
            rf"\b(?:in{_S}|since{_S}|during{_S}|by{_S})?{_MONTH}(?:{_S}{_YEAR})?\b", re.IGNORECASE
        ),
        _month_year,
    ),
    _Rule(
        re.compile(
            r"\b(?:on\s+|(?P<last>last\s+|this\s+past\s+))?(?P<weekday>"
            + "|".join(WEEKDAYS)
            + r")\b",
            re.IGNORECASE,
        ),
        _weekday,
    ),
    _Rule(
        re.compile(
            r"\b(?:earlier\s+this\s+(?:week|month|year)|(?:last|this)\s+(?:week|month|year)|"
            r"today|yesterday|this\s+morning)\b",
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
            r"the\s+other\s+day|a\s+few\s+days\s+ago|(?:for\s+)?quite\s+some\s+time|"
            r"(?:for\s+)?a\s+long\s+time(?:\s+\[?ago\]?)?|long\s+ago|for\s+some\s+time)\b",
            re.IGNORECASE,
        ),
        _vague,
    ),
    _Rule(re.compile(r"\b(?:on\s+)?the\s+same\s+day\b", re.IGNORECASE), _same_day),
]

_YEARS = re.compile(
    r"\b(?:in|during|of|by)\s++(?P<years>(?:19|20)\d{2}(?:(?:\s*+,\s*+|\s++and\s++|\s*+&\s*+)"
    r"(?:19|20)\d{2}){0,20})\b(?!-\d)",
    re.IGNORECASE,
)
"""A year, or a list of up to 21 years ("in 2014, 2015 and 2016"); blanks possessive."""
_FUTURE = re.compile(r"\b(?:tomorrow|next\s+(?:week|month|year)|in\s+the\s+coming)\b", re.I)


def _describe(reason: str, ref: UncertainDate) -> tuple[date | None, str | None]:
    if not reason:
        return None, None
    if ref.is_exact:
        return ref.earliest, reason.replace("{ref}", ref.earliest.isoformat())
    against = f"the publication interval {ref.edtf}"
    return None, reason.replace("{ref}", "each bound of " + against) + " (the hull is kept)"


def resolve_with(
    resolver: Resolver, reason: str, wording: str, published: UncertainDate
) -> UncertainDate | None:
    """Apply a resolver to the publication date (each bound of an interval; hull kept).
    None when the expression cannot be dated, also when its arithmetic leaves the calendar
    ("two years ago" in an article of year 1, "next year" of 9999): no date is invented."""
    try:
        first = resolver(published.earliest)
        second = resolver(published.latest) if not published.is_exact else first
        if first is None or second is None:
            return None
        lo, hi = min(first[0], second[0]), max(first[1], second[1])
        edtf = edtf_of(lo, hi)
        if "month(s); a round figure" in reason and published.is_exact:
            middle = published.earliest - relativedelta(
                months=int(reason.split("minus ")[1].split()[0])
            )
            edtf = f"{middle.year:04d}-{middle.month:02d}~"
    except (OverflowError, ValueError):  # before 0001-01-01 or after 9999-12-31
        return None
    against, resolution = _describe(reason, published)
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


def _next_year(found: UncertainDate) -> UncertainDate | None:
    """An effective date given without a year ("from November 1") is the coming one; None in
    an article of 9999, which has no coming year."""
    try:
        lo, hi = found.earliest + relativedelta(years=1), found.latest + relativedelta(years=1)
    except (OverflowError, ValueError):
        return None
    return UncertainDate(
        edtf=edtf_of(lo, hi),
        earliest=lo,
        latest=hi,
        wording=found.wording,
        resolved_against=found.resolved_against,
        resolution=(found.resolution or "") + "; an effective date, so the coming one",
    )


def date_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where text[start:end] holds a date expression (article offsets), resolvable or not
    ("31 February" too): the numbers in these are days and years, never counts or caps."""
    chunk = text[start:end]
    spans = [(start + m.start(), start + m.end()) for m in _YEARS.finditer(chunk)]
    for rule in _RULES:
        for match in rule.pattern.finditer(chunk):
            month = match.groupdict().get("month")
            if month and not month[0].isupper():
                continue  # "may", "march": a month only when capitalised
            spans.append((start + match.start(), start + match.end()))
    return spans


_CLAUSE_MARKS = (",", ";", ":", "“", "”", '"', "(")
"""Marks that end the clause a date's reporting verb must stand in ("said, on Monday")."""


Memo = dict[tuple[int, str], tuple[UncertainDate, bool] | None]
"""Resolved dates by (rule, wording), for one publication date: an article that repeats a date
expression builds its interval once."""


def find_dates(
    text: str,
    start: int,
    end: int,
    published: UncertainDate,
    previous: UncertainDate | None,
    memo: Memo | None = None,
) -> list[FoundDate]:
    """Every date expression in text[start:end], in text order, resolved against `published`;
    "the same day" takes `previous` (the last date the article gave before it). `memo` (one
    per article) may be shared between calls with the same `published`."""
    memo = {} if memo is None else memo
    chunk = text[start:end]
    found: list[FoundDate] = []
    marks = bytearray(len(chunk) + 1)  # 1 where a date already found lies: one look per match

    def free(a: int, b: int) -> bool:
        return marks.find(1, a, b) < 0

    def take(a: int, b: int) -> None:
        marks[a:b] = b"\x01" * (b - a)

    def role(a: int) -> tuple[bool, bool]:
        floor = max(0, a - 70)
        clause = max(chunk.rfind(mark, floor, a) for mark in _CLAUSE_MARKS) + 1
        statement = bool(REPORTING.search(chunk, max(floor, clause), a))
        effective = bool(EFFECTIVE.search(chunk, max(0, a - 40), a))
        return statement, effective

    for match in _YEARS.finditer(chunk):
        years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", match.group("years"))]
        if len(years) < 2:
            continue
        take(match.start(), match.end())
        statement, effective = role(match.start())
        for year in years:
            found.append(
                FoundDate(
                    start + match.start("years"),
                    start + match.end("years"),
                    UncertainDate.from_edtf(str(year), wording=match.group(0)),
                    relative=False,
                    statement=statement,
                    effective=effective,
                    future=False,
                )
            )
    for number, rule in enumerate(_RULES):
        for match in rule.pattern.finditer(chunk):
            a, b = match.start(), match.end()
            if not free(a, b):
                continue
            wording = match.group(0)
            if rule.build is _same_day:
                if previous is None:
                    continue
                resolved: UncertainDate | None = UncertainDate(
                    edtf=previous.edtf,
                    earliest=previous.earliest,
                    latest=previous.latest,
                    wording=wording,
                    resolution=(
                        f"'the same day' as the date the article gave before it ({previous.edtf})"
                    ),
                )
                relative = True
            else:
                if (
                    "month" in match.groupdict()
                    and match.group("month")
                    and not (match.group("month")[0].isupper())
                ):
                    continue  # "may", "march": a month only when capitalised
                if (number, wording) not in memo:
                    built = rule.build(match)
                    day = None if built is None else resolve_with(*built[:2], wording, published)
                    memo[number, wording] = (
                        None if day is None or built is None else (day, built[2])
                    )
                entry = memo[number, wording]
                if entry is None:
                    continue
                resolved, relative = entry
            if resolved is None:
                continue
            take(a, b)
            statement, effective = role(a)
            if effective and relative and resolved.latest < published.earliest:
                resolved = _next_year(resolved)
                if resolved is None:
                    continue
            found.append(
                FoundDate(
                    start + a,
                    start + b,
                    resolved,
                    relative=relative,
                    statement=statement,
                    effective=effective,
                    future=False,
                    vague=rule.build is _vague,
                )
            )
    for match in _YEARS.finditer(chunk):
        if not free(match.start(), match.end()):
            continue
        year = int(match.group("years"))
        statement, effective = role(match.start())
        found.append(
            FoundDate(
                start + match.start("years"),
                start + match.end("years"),
                UncertainDate.from_edtf(str(year), wording=match.group(0)),
                relative=False,
                statement=statement,
                effective=effective,
                future=False,
            )
        )
    for match in _FUTURE.finditer(chunk):
        found.append(
            FoundDate(
                start + match.start(),
                start + match.end(),
                published,
                relative=True,
                statement=False,
                effective=False,
                future=True,
            )
        )
    return sorted(found, key=lambda f: f.start)
