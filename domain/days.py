"""Plain calendar dates (YYYY, YYYY-MM, YYYY-MM-DD): their bounds, and the command line's dates.

Kept apart from `dates.py` (the ledger's uncertain dates: pydantic models and the EDTF grammar)
so that a query parses its `--as-of` without loading either.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def calendar_bounds(text: str) -> tuple[date, date] | None:
    """Bounds of a plain calendar date (YYYY, YYYY-MM, YYYY-MM-DD), or None for anything else.

    These forms are almost every date in the ledger, and the `edtf` library's grammar takes
    milliseconds per parse: reading a ledger of thousands of events would take minutes.
    """
    match = PARTIAL.match(text)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day), date(year, month, day)
    except ValueError:
        return None  # an EDTF season (2020-21) or an impossible date: the library decides


def parse_query_date(text: str, *, first_day: bool = False) -> date:
    """Parse a command-line date given as YYYY, YYYY-MM or YYYY-MM-DD.

    A partial date stands for its last day: "as of 2014" means once 2014 is over, so that
    everything that happened in 2014 counts as certain. The start of a range (`--from 2014`)
    asks for its first day instead.
    """
    if not PARTIAL.match(text.strip()):
        raise ValueError(f"'{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    bounds = calendar_bounds(text.strip())
    if bounds is None:
        raise ValueError(f"'{text}' is not a real date (no such month or day)")
    return bounds[0] if first_day else bounds[1]


def shift_days(day: date, days: int) -> date:
    """`day` moved by `days`, held at the calendar's ends (0001-01-01, 9999-12-31) rather than
    raising: a margin drawn around an event of 9999-12-31, or a window reaching back from
    year 1, stops at the last day there is instead of failing the whole command."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def shift_years(day: date, years: int) -> date:
    """`day` moved by whole years (29 February to 28 February when needed), held at the
    calendar's ends like `shift_days`."""
    year = day.year + years
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))
