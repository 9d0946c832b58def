"""UncertainDate and parse_query_date: every date in the ledger is an interval (principle 3).

A wrong bound here silently moves an event across an `as of` date, so the bounds, the checks
that refuse impossible intervals, and the certainty of a date on a given day are pinned down.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from chancery.domain.dates import UncertainDate, parse_edtf_bounds
from chancery.domain.days import parse_query_date
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError


def make(data: Any) -> UncertainDate:
    return UncertainDate.model_validate(data)


# --------------------------------------------------------------------------- bare EDTF strings


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2014", date(2014, 1, 1), date(2014, 12, 31)),
        ("2021-10-06", date(2021, 10, 6), date(2021, 10, 6)),
        ("2020-01/2020-03", date(2020, 1, 1), date(2020, 3, 31)),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),
        ("2020-05~", date(2020, 5, 1), date(2020, 5, 31)),
    ],
)
def test_bare_edtf_string_gets_strict_bounds(text: str, earliest: date, latest: date) -> None:
    """A bare string is the short form: its bounds are EDTF's strict bounds."""
    parsed = make(text)
    assert parsed.edtf == text
    assert (parsed.earliest, parsed.latest) == (earliest, latest)
    assert parsed.wording is None
    assert str(parsed) == text


def test_a_date_object_is_read_as_its_iso_form() -> None:
    """YAML turns an unquoted 2021-10-06 into a date; it must mean the same day."""
    parsed = make(date(2021, 10, 6))
    assert parsed.edtf == "2021-10-06"
    assert parsed.earliest == parsed.latest == date(2021, 10, 6)
    assert parsed.is_exact


def test_short_and_long_forms_are_equal() -> None:
    """'2021-10-06' and {edtf: '2021-10-06'} are the same value (import idempotence rests on it)."""
    assert make("2021-10-06") == make({"edtf": "2021-10-06"})


def test_long_form_defaults_missing_bounds_from_edtf() -> None:
    """Only the bound that is given overrides EDTF; the other is defaulted."""
    parsed = make({"edtf": "2014", "earliest": "2014-06-01"})
    assert parsed.earliest == date(2014, 6, 1)
    assert parsed.latest == date(2014, 12, 31)
    assert not parsed.is_exact


def test_approximate_date_may_be_widened_within_its_fuzzy_bounds() -> None:
    """'18 months ago' (2020-05~) is widened by a month either side, as the seeds do."""
    parsed = make(
        {
            "edtf": "2020-05~",
            "earliest": "2020-04-01",
            "latest": "2020-06-30",
            "wording": "18 months ago",
            "resolved_against": "2021-11-29",
            "resolution": "2021-11-29 minus 18 months, widened by a month either side",
        }
    )
    assert (parsed.earliest, parsed.latest) == (date(2020, 4, 1), date(2020, 6, 30))
    assert parsed.resolved_against == date(2021, 11, 29)
    assert parsed.wording == "18 months ago"


def test_uncertain_date_is_frozen() -> None:
    """Recorded dates are never edited in place (principle 1)."""
    parsed = make("2014")
    with pytest.raises(ValidationError):
        parsed.earliest = date(2014, 2, 1)  # type: ignore[misc]


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("text", ["2021-02-30", "2021-13-01", "2021-02-29"])
def test_impossible_calendar_dates_are_refused(text: str) -> None:
    """A day that never existed cannot be the date of an action (the edtf parser rejects
    some, Chancery's bounding rejects the rest, such as 29 February of a common year)."""
    with pytest.raises(
        ValidationError, match=f"'{text}' is (not a valid EDTF date|an EDTF form Chancery cannot)"
    ):
        make(text)


@pytest.mark.parametrize("text", ["yesterday", "2021/10/06", "06-10-2021", ""])
def test_text_that_is_not_edtf_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="is not a valid EDTF date"):
        make(text)


def test_an_unquoted_year_is_read_as_that_year() -> None:
    """`date: 2014` unquoted in YAML arrives as an int; it means the year 2014."""
    for value in (2014, {"edtf": 2014}):
        parsed = make(value)
        assert (parsed.edtf, parsed.earliest, parsed.latest) == (
            "2014",
            date(2014, 1, 1),
            date(2014, 12, 31),
        )


def test_other_non_string_edtf_is_refused_with_a_hint() -> None:
    with pytest.raises(ValidationError, match="edtf must be a string"):
        make({"edtf": 2014.5})


def test_earliest_after_latest_is_refused() -> None:
    with pytest.raises(ValidationError, match="earliest 2014-09-01 is after latest 2014-03-01"):
        make({"edtf": "2014", "earliest": "2014-09-01", "latest": "2014-03-01"})


@pytest.mark.parametrize(
    ("data", "allowed"),
    [
        # an exact day has no fuzz at all
        ({"edtf": "2021-10-06", "latest": "2021-10-07"}, "[2021-10-06, 2021-10-06]"),
        ({"edtf": "2014", "earliest": "2013-12-31"}, "[2014-01-01, 2014-12-31]"),
        # 2020-05~ allows a year-and-a-month of fuzz, not more
        ({"edtf": "2020-05~", "earliest": "2019-03-31"}, "[2019-04-01, 2021-06-30]"),
        ({"edtf": "2020-05~", "latest": "2021-07-01"}, "[2019-04-01, 2021-06-30]"),
    ],
)
def test_bounds_outside_the_edtf_fuzzy_range_are_refused(
    data: dict[str, str], allowed: str
) -> None:
    """Bounds may be narrowed or widened, but never beyond what the EDTF form allows."""
    with pytest.raises(ValidationError) as caught:
        make(data)
    message = str(caught.value)
    assert "lies outside what EDTF" in message
    assert allowed in message


def test_bounds_at_the_edge_of_the_fuzzy_range_are_accepted() -> None:
    parsed = make({"edtf": "2020-05~", "earliest": "2019-04-01", "latest": "2021-06-30"})
    assert (parsed.earliest, parsed.latest) == (date(2019, 4, 1), date(2021, 6, 30))


def test_resolved_against_without_resolution_is_refused() -> None:
    """A relative date must say how it was resolved, or nobody can check it."""
    with pytest.raises(ValidationError, match="resolved_against needs a resolution"):
        make({"edtf": "2020-05~", "resolved_against": "2021-11-29"})


def test_extra_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        make({"edtf": "2014", "precision": "year"})


# --------------------------------------------------------------------------- certainty_on


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2013, 12, 31), None),
        (date(2014, 1, 1), "possible"),
        (date(2014, 7, 1), "possible"),
        (date(2014, 12, 30), "possible"),
        (date(2014, 12, 31), "certain"),
        (date(2015, 1, 1), "certain"),
    ],
)
def test_certainty_on_a_year(day: date, expected: str | None) -> None:
    """Before the interval nothing has happened; inside it the change is only possible."""
    assert make("2014").certainty_on(day) == expected


def test_certainty_of_an_exact_day() -> None:
    exact = make("2021-10-06")
    assert exact.certainty_on(date(2021, 10, 5)) is None
    assert exact.certainty_on(date(2021, 10, 6)) == "certain"


# --------------------------------------------------------------------------- parse_query_date


@pytest.mark.parametrize(
    ("text", "first_day", "expected"),
    [
        ("2014", False, date(2014, 12, 31)),
        ("2014", True, date(2014, 1, 1)),
        ("2021-10", False, date(2021, 10, 31)),
        ("2021-10", True, date(2021, 10, 1)),
        ("2021-11", False, date(2021, 11, 30)),
        ("2021-10-06", False, date(2021, 10, 6)),
        ("2021-10-06", True, date(2021, 10, 6)),
        (" 2021-10-06 ", False, date(2021, 10, 6)),
    ],
)
def test_query_dates(text: str, first_day: bool, expected: date) -> None:
    """'as of 2014' means once 2014 is over; '--from 2014' means its first day."""
    assert parse_query_date(text, first_day=first_day) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-02", date(2020, 2, 29)),
        ("2021-02", date(2021, 2, 28)),
        ("1900-02", date(1900, 2, 28)),
        ("2000-02", date(2000, 2, 29)),
        ("2020-02-29", date(2020, 2, 29)),
    ],
)
def test_query_dates_follow_leap_years(text: str, expected: date) -> None:
    assert parse_query_date(text) == expected


@pytest.mark.parametrize("text", ["", "14", "2021-1-5", "2021/10/06", "last week", "2021-10-06x"])
def test_query_dates_in_another_shape_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_query_date(text)


@pytest.mark.parametrize("text", ["2021-02-29", "2021-13", "2021-00", "2021-04-31", "0000"])
def test_query_dates_that_never_existed_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=f"'{text}' is not a real date"):
        parse_query_date(text)


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31)),
    st.sampled_from(["year", "month", "day"]),
)
def test_the_fast_path_agrees_with_the_edtf_library(day: date, precision: str) -> None:
    """Plain calendar dates skip the slow EDTF grammar; their bounds must be the library's."""
    import edtf

    text = {"year": f"{day:%Y}", "month": f"{day:%Y-%m}", "day": day.isoformat()}[precision]
    parsed = edtf.parse_edtf(text)
    expected = tuple(
        date(t.tm_year, t.tm_mon, t.tm_mday)
        for t in (
            parsed.lower_strict(),
            parsed.upper_strict(),
            parsed.lower_fuzzy(),
            parsed.upper_fuzzy(),
        )
    )
    assert parse_edtf_bounds(text) == expected


# --------------------------------------------------------------------------- the calendar's ends


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (date(9999, 12, 1), 120, date.max),
        (date(1, 2, 1), -120, date.min),
        (date.max, 1, date.max),
        (date.min, -1, date.min),
        (date(2021, 10, 6), -5, date(2021, 10, 1)),
    ],
)
def test_shifting_by_days_stops_at_the_calendar_ends(day: date, days: int, expected: date) -> None:
    """A margin or window around a date of year 1 or 9999 is held at the ends, never raised."""
    from chancery.domain.days import shift_days

    assert shift_days(day, days) == expected


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(1, 6, 30), -1, date.min),
        (date(9999, 3, 1), 1, date.max),
        (date(2020, 2, 29), -1, date(2019, 2, 28)),
        (date(2021, 10, 6), -1, date(2020, 10, 6)),
    ],
)
def test_shifting_by_years_stops_at_the_calendar_ends(
    day: date, years: int, expected: date
) -> None:
    from chancery.domain.days import shift_years

    assert shift_years(day, years) == expected
