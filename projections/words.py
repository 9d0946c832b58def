"""One vocabulary for every view (state, history, why, diff): how a value is said.

- A known status is said with its certainty ("suspended, certain"; "active (inferred),
  possible"); "unknown" is its own answer and carries no certainty.
- Inferred is always said: "active (inferred)", "20 (inferred)".
- "Since" is the date the current status began; a status only implied by later activity
  says "first evidence D" instead.
- Announced is said, never "certain": "suspended (announced 2021-10-18; effective date not
  reported)"; its "since" is the announcement.
- Counts name what they count, with the right plural, and say "possible" when an event
  counted in them may not have happened yet.
- Evidence older than a year before the as-of date says how old it is: "last reported
  2021-10-18, 5 years before".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import MAXYEAR, date
from typing import TYPE_CHECKING

from chancery.domain.tracked import (
    NO_EFFECTIVE_DATE,
    STATUS,
    STATUS_COLUMN,
    in_column,
    table_columns,
)
from chancery.projections.fields import JsonState, fact_words

if TYPE_CHECKING:
    from chancery.projections.series import ChannelSeries


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 event', '2 events', '1 dispute', '0 sources'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def status_words(state: JsonState) -> str:
    """The status with its basis and certainty, or that no source gives it."""
    return fact_words(state, STATUS, table=True)


def since_words(state: JsonState) -> str:
    """When the current status began, or that the date is only the first evidence of it."""
    if state["since"] is None or state["status"] == "unknown":
        return ""
    if state["status_basis"] == "inferred":
        return f"first evidence {when(state['since'])}"
    if state["status_basis"] == "announced":
        return f"announced {when(state['since'])}"
    return when(state["since"])


def full_years(start: date, end: date) -> int:
    """Whole years from `start` to `end` (0 when end is not a year after start)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def evidence_age_words(state: JsonState, as_of: date | str) -> str:
    """How old the channel's latest evidence is, when it is older than a year before the
    as-of date ("last reported 2021-10-18, 5 years before"); else nothing."""
    end = state.get("last_reported_end")
    if not end:
        return ""
    day = as_of if isinstance(as_of, date) else date.fromisoformat(as_of)
    years = full_years(date.fromisoformat(end), day)
    if years < 1:
        return ""
    return f"last reported {state['last_reported']}, {plural(years, 'year')} before"


def evidence_age_turns(state: JsonState, start: date | None, end: date) -> Iterator[date]:
    """The days after `start` and before `end` on which `evidence_age_words` changes for this
    state: each anniversary of the last day its latest evidence can mean (a 29 February's is
    1 March in other years). A view that holds one state over a span of days (the HTML
    report's rows) splits it there, so the age it says is right on every day."""
    last = state.get("last_reported_end")
    if not last:
        return
    base = date.fromisoformat(last)
    years = 1 if start is None else max(1, full_years(base, start) + 1)
    while base.year + years <= MAXYEAR:
        try:
            turn = date(base.year + years, base.month, base.day)
        except ValueError:  # 29 February in a common year: a year has passed on 1 March
            turn = date(base.year + years, 3, 1)
        if turn >= end:
            return
        yield turn
        years += 1


def status_cell_words(state: JsonState, as_of: date | str) -> str:
    """The status column's cell: the status, then how old its evidence is, when it is old."""
    age = evidence_age_words(state, as_of)
    return status_words(state) + (f"\n{age}" if age else "")


def column_words(state: JsonState, column: str) -> str:
    """A fact column's cell: each fact declared in it, one per line (those the table leaves
    out, and those the channel's kind does not track, take no line)."""
    return "\n".join(
        words for t in in_column(column) if (words := fact_words(state, t, table=True))
    )


SINCE = "Since"
"""The column that says when the current status began."""


def state_columns() -> list[str]:
    """The state table's columns after the channel's name, in every view that draws it (the
    terminal's table, the HTML report): the status, since when, then each column a tracked
    fact is declared in (`domain/tracked.py`), in the order they are declared."""
    facts = (column for column in table_columns() if column != STATUS_COLUMN)
    return [STATUS_COLUMN, SINCE, *facts]


def state_cells(state: JsonState, as_of: date | str) -> list[str]:
    """The cells of `state_columns` for a channel's state on `as_of`: what the terminal's
    table prints and the HTML report shows, in the same words."""
    facts = state_columns()[2:]
    return [
        status_cell_words(state, as_of),
        since_words(state),
        *(column_words(state, column) for column in facts),
    ]


SERIES_DATE = "Date"
"""The series table's first column: the step's date."""


def series_columns() -> list[str]:
    """A state series' columns: the step's date, then the state table's (`state_columns`)."""
    return [SERIES_DATE, *state_columns()]


def series_cells(series: ChannelSeries) -> Iterator[list[str]]:
    """The cells of `series_columns` for each step of a channel's series, in the words of
    the state table on that date. The points of one read-model row share their facts, so
    each row is put in its JSON form once."""
    state: JsonState = {}
    shared = None
    for point in series.points:
        if point.facts is not shared:
            state, shared = point.model_dump(mode="json"), point.facts
        yield [point.as_of.isoformat(), *state_cells(state, point.as_of)]


def date_precision_words(certainty: str) -> str:
    """A history step's date: a range is a possible date, an announcement is not the day the
    action took effect; said in words."""
    if certainty == "announced":
        return f"announced; {NO_EFFECTIVE_DATE}"
    return "" if certainty == "certain" else "date is a range: possible within it"


def step_date_lines(
    date: str, wording: str | None, effective: str | None, certainty: str
) -> list[str]:
    """A history step's date cell, a line each: the date as reported, the source's wording,
    when it took effect where that differs (an announcement, then the effect), and how
    certain the date is."""
    lines = [when(date)]
    if wording:
        lines.append(f"“{wording}”")
    if effective and effective != date:
        lines.append(f"effective {when(effective)}")
    precision = date_precision_words(certainty)
    if precision:
        lines.append(f"({precision})")
    return lines


def type_words(event_type: str) -> str:
    """An event type as words ('invitation reiterated'), so narrow columns wrap between them."""
    return event_type.replace("_", " ")


def when(edtf: str | None) -> str:
    """An EDTF date for a table cell: an interval 'A/B' is shown 'A / B', so a narrow column
    wraps between its two dates instead of inside one."""
    if not edtf:
        return ""
    return " / ".join(edtf.split("/"))
