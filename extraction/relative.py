"""Words that name a day or a span from the day a report is told ("yesterday", "next month",
"next Tuesday", "in the coming weeks"), and how each resolves: one table for the two uses of
these words. Dating (`dates.py`) resolves them against the reference day; modality
(`modality.py`) reads those that look ahead as the sign of a clause dated after the day it is
said ("closes next month": announced, not done). Which words look ahead is computed from the
table (a span that starts after its reference day), never listed again.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

Resolver = Callable[[date], tuple[date, date] | None]
"""From a reference day to the [first, last] day an expression names (None: no such day)."""

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NEXT = r"next|this\s++coming"
"""What puts a weekday after the reference day ("next Tuesday", "this coming Friday")."""
COMING = r"(?:in|over)\s++the\s++(?:coming|next\s++few)\s++(?:days|weeks|months|years)"
"""Future words with no day the text commits to ("in the coming weeks")."""


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def week_start(r: date) -> date:
    return r - timedelta(r.weekday())


def month_start(r: date) -> date:
    return r.replace(day=1)


SPANS: dict[str, tuple[Resolver, str]] = {
    "today": (lambda r: (r, r), "the article's date, {ref}"),
    "this morning": (lambda r: (r, r), "the article's date, {ref}"),
    "tonight": (lambda r: (r, r), "the article's date, {ref}"),
    "yesterday": (lambda r: (r - timedelta(1), r - timedelta(1)), "the day before {ref}"),
    "last night": (lambda r: (r - timedelta(1), r), "the night before {ref}, or that night"),
    "tomorrow": (lambda r: (r + timedelta(1), r + timedelta(1)), "the day after {ref}"),
    "the day before yesterday": (
        lambda r: (r - timedelta(2), r - timedelta(2)),
        "two days before {ref}",
    ),
    "the day after tomorrow": (
        lambda r: (r + timedelta(2), r + timedelta(2)),
        "two days after {ref}",
    ),
    "last week": (
        lambda r: (week_start(r) - timedelta(7), week_start(r) - timedelta(1)),
        "the calendar week (Monday–Sunday) before that of {ref}",
    ),
    "this week": (lambda r: (week_start(r), r), "from the Monday of {ref}'s week to {ref}"),
    "earlier this week": (
        lambda r: (week_start(r), max(r - timedelta(1), week_start(r))),
        "from the Monday of {ref}'s week to the day before",
    ),
    "later this week": (
        lambda r: (r + timedelta(1), max(r + timedelta(1), week_start(r) + timedelta(6))),
        "from the day after {ref} to the Sunday of its week",
    ),
    "next week": (
        lambda r: (week_start(r) + timedelta(7), week_start(r) + timedelta(13)),
        "the calendar week (Monday–Sunday) after that of {ref}",
    ),
    "last month": (
        lambda r: (month_start(month_start(r) - timedelta(1)), month_start(r) - timedelta(1)),
        "the calendar month before that of {ref}",
    ),
    "this month": (lambda r: (month_start(r), r), "from the first of {ref}'s month to {ref}"),
    "earlier this month": (
        lambda r: (month_start(r), max(month_start(r), r - timedelta(1))),
        "from the first of {ref}'s month to the day before {ref}",
    ),
    "later this month": (
        lambda r: (r + timedelta(1), max(r + timedelta(1), month_end(r.year, r.month))),
        "from the day after {ref} to the end of its month",
    ),
    "next month": (
        lambda r: (
            month_start(r) + relativedelta(months=1),
            month_start(r) + relativedelta(months=2) - timedelta(1),
        ),
        "the calendar month after that of {ref}",
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
    "later this year": (
        lambda r: (r + timedelta(1), max(r + timedelta(1), date(r.year, 12, 31))),
        "from the day after {ref} to the end of its year",
    ),
    "next year": (
        lambda r: (date(r.year + 1, 1, 1), date(r.year + 1, 12, 31)),
        "the calendar year after {ref}",
    ),
}
"""Words that name a span relative to the reference day, and how each resolves."""


_PROBE = date(2021, 6, 16)
"""A Wednesday in mid-month and mid-year: a span that starts after it looks ahead."""

AHEAD_WORDS = tuple(
    words
    for words, (resolve, _) in SPANS.items()
    if (resolve(_PROBE) or (_PROBE, _PROBE))[0] > _PROBE
)
"""The table's words for a span after the day they are said ("tomorrow", "next week", "later
this month")."""
