"""Date expressions by kind (`dates.py`), resolved against the article's reference day, in the
direction their clause speaks of: sentences written for these tests, about several pairs.
"""

from __future__ import annotations

from datetime import date

import pytest
from chancery.domain.dates import UncertainDate
from chancery.extraction.dates import FoundDate, find_dates, is_datelined, reference_day


def read(text: str, published: str = "2025-03-21", previous: str | None = None) -> list[FoundDate]:
    before = UncertainDate.from_edtf(previous) if previous else None
    return find_dates(text, 0, len(text), UncertainDate.from_edtf(published), before)


def one(text: str, published: str = "2025-03-21", previous: str | None = None) -> FoundDate:
    found = read(text, published, previous)
    assert len(found) == 1, found
    return found[0]


def bounds(found: FoundDate) -> tuple[str, str]:
    return found.date.earliest.isoformat(), found.date.latest.isoformat()


# 2025-03-21 is a Friday.


@pytest.mark.parametrize(
    ("text", "published", "earliest", "latest"),
    [
        # ISO and absolute days
        ("Seoul expelled him on 2024-11-02.", "2025-03-21", "2024-11-02", "2024-11-02"),
        ("Tokyo recalled its envoy on 6 October 2023.", "2025-03-21", "2023-10-06", "2023-10-06"),
        ("Tokyo recalled its envoy on October 6, 2023.", "2025-03-21", "2023-10-06", "2023-10-06"),
        ("Tokyo recalled its envoy on 6 March.", "2025-03-21", "2025-03-06", "2025-03-06"),
        # a day after publication told as past: the year before
        ("On 14 March, Ankara expelled three diplomats.", "2025-02-10", "2024-03-14", "2024-03-14"),
        # months and parts of months
        ("Lima closed the consulate in June.", "2025-03-21", "2024-06-01", "2024-06-30"),
        ("Lima closed the consulate in June 2019.", "2025-03-21", "2019-06-01", "2019-06-30"),
        ("Quito recalled its envoy in mid-October.", "2025-03-21", "2024-10-11", "2024-10-20"),
        ("Quito recalled its envoy at the end of 2019.", "2025-03-21", "2019-10-01", "2019-12-31"),
        # weekdays
        ("Oslo summoned the envoy on Monday.", "2025-03-21", "2025-03-17", "2025-03-17"),
        ("Oslo summoned the envoy on Friday.", "2025-03-21", "2025-03-21", "2025-03-21"),
        ("Oslo summoned the envoy last Friday.", "2025-03-21", "2025-03-14", "2025-03-14"),
        # spans from the day
        ("Suva expelled a diplomat yesterday.", "2025-03-21", "2025-03-20", "2025-03-20"),
        ("Suva expelled a diplomat today.", "2025-03-21", "2025-03-21", "2025-03-21"),
        ("Suva expelled a diplomat last week.", "2025-03-21", "2025-03-10", "2025-03-16"),
        ("Suva expelled a diplomat last month.", "2025-03-21", "2025-02-01", "2025-02-28"),
        ("Suva expelled a diplomat earlier this month.", "2025-03-21", "2025-03-01", "2025-03-20"),
        ("Suva expelled a diplomat last year.", "2025-03-21", "2024-01-01", "2024-12-31"),
        # counted back
        ("Riga closed the office three days ago.", "2025-03-21", "2025-03-18", "2025-03-18"),
        ("Riga closed the office two weeks ago.", "2025-03-21", "2025-03-04", "2025-03-10"),
        ("Riga closed the office 18 months ago.", "2021-11-29", "2020-04-01", "2020-06-30"),
        # vague
        ("Riga closed the office not long ago.", "2025-03-21", "2024-12-21", "2025-03-20"),
        ("Riga closed the office in recent weeks.", "2025-03-21", "2024-12-21", "2025-03-20"),
        # dotted, day first
        ("Minsk expelled him on 6.10.2021.", "2025-03-21", "2021-10-06", "2021-10-06"),
        # seasons (northern hemisphere) and weekends
        (
            "Kyiv recalled its envoy in the summer of 2018.",
            "2025-03-21",
            "2018-06-01",
            "2018-08-31",
        ),
        ("Kyiv recalled its envoy last winter.", "2025-03-21", "2024-12-01", "2025-02-28"),
        ("Kyiv recalled its envoy last winter.", "2025-01-21", "2023-12-01", "2024-02-29"),
        ("Kyiv recalled its envoy in the autumn.", "2025-03-21", "2024-09-01", "2024-11-30"),
        (
            "Ankara expelled two diplomats over the weekend.",
            "2025-03-24",
            "2025-03-22",
            "2025-03-23",
        ),
        ("Ankara expelled two diplomats last weekend.", "2025-03-23", "2025-03-15", "2025-03-16"),
        # parts of a span named from the day
        ("Accra expelled two envoys late last month.", "2025-03-21", "2025-02-21", "2025-02-28"),
        ("Accra closed it at the end of last year.", "2025-03-21", "2024-10-01", "2024-12-31"),
        ("Accra closed it in early this month.", "2025-03-21", "2025-03-01", "2025-03-10"),
        # ranges of days, and more spans from the day
        ("Kigali expelled them between 3 and 5 March.", "2025-03-21", "2025-03-03", "2025-03-05"),
        ("Kigali expelled them on 3-5 March.", "2025-03-21", "2025-03-03", "2025-03-05"),
        ("Kigali expelled them on March 3-5, 2024.", "2025-03-21", "2024-03-03", "2024-03-05"),
        ("Kigali expelled them from 3 to 5 May.", "2025-03-21", "2024-05-03", "2024-05-05"),
        ("Kigali expelled him the day before yesterday.", "2025-03-21", "2025-03-19", "2025-03-19"),
        ("Kigali expelled him earlier in the week.", "2025-03-21", "2025-03-17", "2025-03-20"),
        ("Kigali recalled him this past weekend.", "2025-03-24", "2025-03-22", "2025-03-23"),
        # numbered weeks and halves
        (
            "Kigali expelled them in the first week of May.",
            "2025-03-21",
            "2024-05-01",
            "2024-05-07",
        ),
        (
            "Kigali expelled them in the last week of February.",
            "2025-03-21",
            "2025-02-22",
            "2025-02-28",
        ),
        ("Kigali closed it in the second half of 2021.", "2025-03-21", "2021-07-01", "2021-12-31"),
        ("Kigali closed it in the first half of March.", "2025-03-21", "2025-03-01", "2025-03-15"),
        # a day of the month by its ordinal alone
        ("Lima recalled him on the 14th for talks.", "2025-03-21", "2025-03-14", "2025-03-14"),
        ("Lima recalled its envoy on the 24th.", "2025-03-21", "2025-02-24", "2025-02-24"),
    ],
)
def test_each_kind_resolves_backwards_in_a_past_clause(
    text: str, published: str, earliest: str, latest: str
) -> None:
    found = one(text, published)
    assert bounds(found) == (earliest, latest)
    assert not (found.future or found.effective)


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("The consulate will close on 1 April.", "2025-04-01", "2025-04-01"),
        ("The consulate will close on 1 March.", "2026-03-01", "2026-03-01"),
        ("The two ministers will meet in June.", "2025-06-01", "2025-06-30"),
        ("The ambassador will leave on Monday.", "2025-03-24", "2025-03-24"),
        ("On Monday, the ambassador will leave.", "2025-03-24", "2025-03-24"),
        ("The ambassador leaves next Friday.", "2025-03-28", "2025-03-28"),
        ("The embassy closes tomorrow.", "2025-03-22", "2025-03-22"),
        ("The embassy closes next week.", "2025-03-24", "2025-03-30"),
        ("The embassy closes next month.", "2025-04-01", "2025-04-30"),
        ("The embassy closes later this month.", "2025-03-22", "2025-03-31"),
        ("The embassy is to close this month.", "2025-03-21", "2025-03-31"),
        ("The downgrade takes effect from 1 March.", "2026-03-01", "2026-03-01"),
        ("The talks will resume next spring.", "2026-03-01", "2026-05-31"),
        ("The envoy will return this weekend.", "2025-03-22", "2025-03-23"),
    ],
)
def test_a_clause_that_looks_ahead_resolves_forward_as_an_effective_date(
    text: str, earliest: str, latest: str
) -> None:
    found = one(text)
    assert bounds(found) == (earliest, latest)
    assert found.effective and not found.future and not found.statement
    assert found.date.resolution


@pytest.mark.parametrize(
    "text",
    [
        "If talks fail, the consulate could reopen next year.",
        "A deal could let the consulates reopen next month, if both sides agree.",
        "Minsk plans to close the consulate on 1 April.",
        "Relations may be restored in the coming weeks.",
    ],
)
def test_a_date_that_only_a_possibility_or_plan_looks_ahead_to_is_no_effective_date(
    text: str,
) -> None:
    found = one(text)
    assert found.future and not found.effective


def test_announced_and_effective_dates_are_kept_apart() -> None:
    text = "Rome announced on Monday that the embassy will close on 1 April."
    monday, april = read(text)
    assert (bounds(monday), monday.effective) == (("2025-03-17", "2025-03-17"), False)
    assert (bounds(april), april.effective) == (("2025-04-01", "2025-04-01"), True)


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        ("The minister said on Monday that talks would go on.", True),
        ("The ministry said in a statement on Monday that it regrets it.", True),
        ("On Monday, President Ruto said Kenya would not respond.", True),
        ("The United States on Thursday expelled 35 Russian diplomats.", False),
        ("Germany declared 40 diplomats persona non grata on Monday.", False),
        ("Officials said Russia expelled ten diplomats on Monday.", False),
        ("On Monday, Germany expelled 40 diplomats, the ministry said.", False),
        ("The envoy, who was recalled on Tuesday, is back.", False),
    ],
)
def test_a_date_is_a_statements_only_when_a_reporting_word_governs_it(
    text: str, statement: bool
) -> None:
    assert one(text).statement is statement


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ("on the same day", ("2025-03-12", "2025-03-12")),
        ("the next day", ("2025-03-13", "2025-03-13")),
        ("the following day", ("2025-03-13", "2025-03-13")),
        ("the day before", ("2025-03-11", "2025-03-11")),
        ("two days later", ("2025-03-14", "2025-03-14")),
        ("a week earlier", ("2025-03-05", "2025-03-05")),
    ],
)
def test_a_day_told_from_the_previous_date(wording: str, expected: tuple[str, str]) -> None:
    found = one(f"Hanoi recalled its envoy {wording}.", previous="2025-03-12")
    assert bounds(found) == expected
    assert found.date.resolution and "2025-03-12" in found.date.resolution


@pytest.mark.parametrize(
    ("wording", "previous", "expected"),
    [
        ("that night", "2025-03-12", ("2025-03-12", "2025-03-12")),
        ("on that day", "2025-03-12", ("2025-03-12", "2025-03-12")),
        ("on same day", "2025-03-12", ("2025-03-12", "2025-03-12")),
        ("a month later", "2021-07", ("2021-08-01", "2021-08-31")),
        ("twelve years later", "1976-03", ("1988-03-01", "1988-03-31")),
        ("a decade earlier", "2016", ("2006-01-01", "2006-12-31")),
        ("the same week", "2025-03-12", ("2025-03-10", "2025-03-16")),
        ("in the same month", "2025-03-12", ("2025-03-01", "2025-03-31")),
        ("that year", "2016-01-02", ("2016-01-01", "2016-12-31")),
        ("the following year", "2011-10", ("2012-01-01", "2012-12-31")),
        ("the previous month", "2025-03-12", ("2025-02-01", "2025-02-28")),
        ("that March", "2023", ("2023-03-01", "2023-03-31")),
        ("that summer", "2019-02-14", ("2019-06-01", "2019-08-31")),
        ("the following spring", "2011", ("2012-03-01", "2012-05-31")),
        ("the following spring", "2011-01-20", ("2011-03-01", "2011-05-31")),
        ("the next October", "2014-10-02", ("2015-10-01", "2015-10-31")),
    ],
)
def test_a_span_told_from_the_previous_date(
    wording: str, previous: str, expected: tuple[str, str]
) -> None:
    """Features and wires tell old events as a chain: each date counted from the last."""
    found = one(f"Rabat recalled its ambassador {wording}.", previous=previous)
    assert bounds(found) == expected
    assert found.date.resolution and previous in found.date.resolution


def test_a_month_in_a_span_of_years_is_no_date() -> None:
    assert read("Rabat recalled its ambassador that March.", previous="2011/2013") == []


def test_a_day_told_from_a_date_earlier_in_the_same_sentence() -> None:
    text = "On 14 April Algiers expelled twelve agents; the next day Paris expelled twelve."
    first, second = read(text, "2025-06-20", previous="2025-01-01")
    assert (first.date.edtf, second.date.edtf) == ("2025-04-14", "2025-04-15")


def test_the_same_day_without_a_previous_date_is_not_a_date() -> None:
    assert read("Hanoi recalled its envoy on the same day.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ambassador was recalled on July, 18, after the remarks.", "2025-07-18"),
        ("On January, 2 the ambassador was summoned.", "2025-01-02"),
        ("Relations were broken off on the 24-th of August.", "2025-08-24"),
        ("He was summoned on the 3-rd of March.", "2025-03-03"),
        ("The note is dated 23.01.2019.", "2019-01-23"),
    ],
)
def test_machine_translated_day_styles(text: str, expected: str) -> None:
    found = read(text, "2025-09-01")
    assert [f.date.edtf for f in found if f.date.is_exact] == [expected]


def test_a_month_comma_number_without_on_is_a_month_and_a_count() -> None:
    """ "In March, 23 diplomats left": a count after the month, not the 23rd."""
    (found,) = read("In March, 23 diplomats left.", "2025-09-01")
    assert found.date.edtf == "2025-03"


def test_lower_case_and_name_months_are_no_dates() -> None:
    assert read("Prime Minister Theresa May spoke; diplomats may leave.") == []


def test_a_season_word_that_names_no_time_is_no_date() -> None:
    assert read("After the fall of Kabul, the spring talks and the Arab Spring.") == []


def test_a_list_of_years_gives_one_date_each() -> None:
    found = read("The staff was cut in 2016, 2018 and 2021.")
    assert [f.date.edtf for f in found] == ["2016", "2018", "2021"]


# ------------------------------------------------------------------ the reference day


def test_a_datelines_day_is_the_reference_for_relative_words() -> None:
    text = (
        "Ankara summons envoy\n\nANKARA, March 14 (Wire) — Turkey summoned the Dutch "
        "ambassador yesterday."
    )
    start = text.index("Turkey")  # the sentence; the dateline is the article's metadata
    (found,) = find_dates(text, start, len(text), UncertainDate.from_edtf("2025-03-17"), None)
    assert bounds(found) == ("2025-03-13", "2025-03-13")
    assert found.date.resolved_against == date(2025, 3, 14)
    assert found.date.resolution and "ANKARA, March 14" in found.date.resolution


@pytest.mark.parametrize(
    ("head", "published", "expected"),
    [
        ("Published: 2025-03-20\nStatement", "2025-03-21", "2025-03-20"),
        ("Date: 20 March 2025\nStatement", "2025-03-21", "2025-03-20"),
        ("MOSCOW, 30 March. The ministry spoke.", "2025-04-01", "2025-03-30"),
        ("NEW DELHI, Sept 19 (Wire) — India spoke.", "2023-09-20", "2023-09-19"),
        ("LONDON (AP) — Britain spoke.", "2025-03-21", "2025-03-21"),
        ("Brussels, 19 March 2025\nNATO spoke.", "2025-03-21", "2025-03-19"),
        ("Last updated: 18 Mar 2025\nNATO spoke.", "2025-03-21", "2025-03-18"),
        ("Tuesday, 18 March 2025\n\nNATO spoke.", "2025-03-21", "2025-03-18"),
        ("ALGIERS, 19.03.2025 (Agency). The ministry spoke.", "2025-03-21", "2025-03-19"),
        ("RIYADH, on March, 18 /Agency/. The ministry spoke.", "2025-03-21", "2025-03-18"),
        ("Russia expelled 3 on 3 March\nNATO spoke.", "2025-03-21", "2025-03-21"),
        ("Yesterday, March 3 was cold.", "2025-03-21", "2025-03-21"),
        # a dateline far before publication (an old report filed later) is not trusted
        ("MOSCOW, 30 March. The ministry spoke.", "2025-09-01", "2025-09-01"),
        # a header after the publication date cannot be its day
        ("Published: 2025-03-25\nStatement", "2025-03-21", "2025-03-21"),
        # an undated article: the dateline within its interval gives the day
        ("KYIV, June 3 (Wire) — Ukraine spoke.", "2025-05-01/2025-07-01", "2025-06-03"),
    ],
)
def test_the_reference_day_comes_from_a_dateline_or_header(
    head: str, published: str, expected: str
) -> None:
    day, _ = reference_day(head, UncertainDate.from_edtf(published))
    assert day.edtf == expected


def test_an_interval_publication_date_keeps_the_hull_without_a_dateline() -> None:
    found = one("He said on Tuesday.", "2020-12-01/2021-10-18")
    assert (found.date.earliest, found.date.latest) == (date(2020, 12, 1), date(2021, 10, 12))


@pytest.mark.parametrize(
    ("head", "datelined"),
    [
        ("LONDON (AP) — Britain spoke.", True),
        ("MOSCOW - The ministry spoke.", True),
        ("PORT-AU-PRINCE (Reuters) - The ministry spoke.", True),
        ("MOSCOW, 30 March. The ministry spoke.", True),
        ("Published: 2025-03-20\nStatement", True),
        ("Brussels, 19 March 2025\nNATO spoke.", True),
        ("Tuesday, 18 March 2025\n\nNATO spoke.", True),
        ("Analysis: a year of cold relations\n\nRelations have rarely been worse.", False),
    ],
)
def test_a_report_of_the_days_news_is_known_by_its_dateline(head: str, datelined: bool) -> None:
    assert is_datelined(head) is datelined


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # after "from", in a clause of no clear tense: the reading nearer the day
        ("Interviews were suspended from August 23.", "2017-08-31", "2017-08-23"),
        ("Moscow mothballed the consulate with effect from 1 June.", "2021-04-15", "2021-06-01"),
        # the end of such a span reads the same way
        ("Interviews stop from August 23 until September 1.", "2017-08-31", "2017-09-01"),
    ],
)
def test_a_date_after_from_is_the_nearer_reading(text: str, published: str, expected: str) -> None:
    found = read(text, published)
    assert found[-1].date.edtf == expected and found[-1].effective


def test_an_ordinal_day_to_come_is_this_month_or_the_next() -> None:
    assert bounds(one("The embassy will reopen on the 2nd, officials said.")) == (
        "2025-04-02",
        "2025-04-02",
    )
    assert bounds(one("The embassy will reopen on the 28th.")) == ("2025-03-28", "2025-03-28")


def test_an_ordinal_before_a_noun_is_no_date() -> None:
    assert read("They met on the 20th anniversary of the treaty.") == []
    assert read("The office on the 14th floor was closed.") == []


def test_a_numbered_half_of_no_period_is_no_date() -> None:
    assert read("The first half of the meeting was closed to the press.") == []


def test_that_season_is_the_season_of_the_year_told_before() -> None:
    """'In January 2021 ... That autumn Kyiv told Moscow ...': the autumn of 2021, not the
    last autumn before the article's day."""
    for wording in ("That autumn", "In that summer", "that winter"):
        found = one(f"{wording} Kyiv told Moscow to cut its staff.", "2024-03-05", "2021-01")
        season = wording.split()[-1].lower()
        expected = {
            "autumn": ("2021-09-01", "2021-11-30"),
            "summer": ("2021-06-01", "2021-08-31"),
            "winter": ("2021-12-01", "2022-02-28"),
        }[season]
        assert bounds(found) == expected, wording
    assert read("That autumn Kyiv told Moscow to cut its staff.") == []  # nothing told before


# ------------------------------------------- one grammar for a dateline, both readings


@pytest.mark.parametrize(
    ("head", "day"),
    [
        ("BOGOTÁ, June 4 (Wire) -- Colombia recalled its envoy on Monday.\n", "2025-06-04"),
        ("QUITO, 4 Jun. 2025 — Ecuador recalled its envoy on Monday.\n", "2025-06-04"),
        ("LIMA,\u00a0June\u00a04 (Agency) — Peru recalled its envoy on Monday.\n", "2025-06-04"),
        ("ASUNCIÓN (Wire), Jun. 4 — Paraguay recalled its envoy on Monday.\n", "2025-06-04"),
    ],
)
def test_a_datelines_day_dates_the_report_and_the_line_is_no_sentence(head: str, day: str) -> None:
    """The segmenter and the dater read one grammar: each line is kept out of the sentences
    (its day never dates the action) and its day is the reference for 'on Monday'."""
    from chancery.extraction.segment import sentences

    reference, note = reference_day(head, UncertainDate.from_edtf("2025-06-06"))
    assert reference.edtf == day and note
    first = sentences(head)[0]
    assert head[first.start :].startswith(("Colombia", "Ecuador", "Peru", "Paraguay"))
    assert is_datelined(head)


@pytest.mark.parametrize(
    "head",
    ["(dpa) SANTIAGO -- Chile recalled its envoy.\n", "PHNOM PENH (Wire) — Cambodia acted.\n"],
)
def test_a_dateline_without_a_day_marks_a_days_report_and_is_no_sentence(head: str) -> None:
    from chancery.extraction.segment import sentences

    assert is_datelined(head)
    assert head[sentences(head)[0].start :].startswith(("Chile", "Cambodia"))
    assert reference_day(head, UncertainDate.from_edtf("2025-06-06"))[1] == ""


@pytest.mark.parametrize(
    ("sentence", "published", "northern", "southern"),
    [
        (
            "Argentina acted in the spring of 2019.",
            "2020-06-01",
            "2019-03/2019-05",
            "2019-09/2019-11",
        ),
        (
            "Argentina acted in the summer of 2019.",
            "2020-06-01",
            "2019-06/2019-08",
            "2019-12/2020-02",
        ),
        (
            "Argentina acted in the autumn of 2019.",
            "2020-06-01",
            "2019-09/2019-11",
            "2019-03/2019-05",
        ),
        ("Argentina acted last spring.", "2025-10-15", "2025-03/2025-05", "2024-09/2024-11"),
    ],
)
def test_a_season_read_in_the_southern_hemisphere(
    sentence: str, published: str, northern: str, southern: str
) -> None:
    from chancery.extraction.dates import in_southern_hemisphere

    [found] = find_dates(sentence, 0, len(sentence), UncertainDate.from_edtf(published), None)
    assert found.date.edtf == northern
    south = in_southern_hemisphere(found.date)
    assert south is not None and south.edtf == southern
    assert "southern hemisphere" in (south.resolution or "")


def test_a_date_that_is_no_season_has_no_southern_reading() -> None:
    from chancery.extraction.dates import in_southern_hemisphere

    assert in_southern_hemisphere(UncertainDate.from_edtf("2019-03")) is None


@pytest.mark.parametrize(
    ("sentence", "published", "edtf"),
    [
        ("Last October, Chile expelled two Peruvian diplomats.", "2026-03-02", "2025-10"),
        ("Chile expelled two Peruvian diplomats last October.", "2025-10-20", "2024-10"),
        ("Peru recalled its envoy this past March.", "2025-06-02", "2025-03"),
        ("The embassy will reopen next June, the ministry said.", "2025-06-10", "2026-06"),
        ("The talks resume this coming September.", "2025-06-10", "2025-09"),
    ],
)
def test_a_month_named_from_the_day_told(sentence: str, published: str, edtf: str) -> None:
    """'Last October' is the latest October before the month of the report, 'next June' the
    first June after it (a bare capitalised month stays no date: it is as often a name)."""
    found = find_dates(sentence, 0, len(sentence), UncertainDate.from_edtf(published), None)
    assert [f.date.edtf for f in found] == [edtf]


@pytest.mark.parametrize(
    ("sentence", "edtf"),
    [
        ("Peru expelled them in the beginning of the week.", "2025-10-13/2025-10-15"),
        ("Peru expelled them at the start of the week.", "2025-10-13/2025-10-15"),
        ("Peru expelled them early this week.", "2025-10-13/2025-10-15"),
        ("Peru expelled them late last week.", "2025-10-10/2025-10-12"),
        ("Peru expelled them in the middle of last week.", "2025-10-08/2025-10-10"),
        ("Peru expelled them at the end of the week.", "2025-10-17/2025-10-19"),
    ],
)
def test_a_part_of_a_week_named_from_the_day_told(sentence: str, edtf: str) -> None:
    found = find_dates(sentence, 0, len(sentence), UncertainDate.from_edtf("2025-10-18"), None)
    assert [f.date.edtf for f in found] == [edtf]
    assert "calendar week" in (found[0].date.resolution or "")


def test_a_deadline_an_order_sets_lies_ahead() -> None:
    """'ordered the embassy to cut its staff to three by 1 July' (said in March): the July to
    come, not the one gone by; a date of the order itself stays behind."""
    for text in (
        "Minsk ordered the embassy to cut its staff to three by 1 July.",
        "Minsk told the consulate to stop work no later than 1 July.",
        "The attaché was asked to leave the country by 1 July.",
    ):
        assert bounds(one(text)) == ("2025-07-01", "2025-07-01"), text
    assert bounds(one("Minsk ordered on 1 July that the embassy cut its staff.")) == (
        "2024-07-01",
        "2024-07-01",
    )


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("The previous round was conducted in Hanoi in 2019 December.", "2019-12"),
        ("The talks are frozen since 2021 year March by the decision of Manila.", "2021-03"),
        ("In 2018 October the two sides met in Manila.", "2018-10"),
    ],
)
def test_a_year_before_its_month_is_that_month(text: str, edtf: str) -> None:
    assert one(text).date.edtf == edtf


@pytest.mark.parametrize(
    "text", ["Elections in 2019 may have changed that.", "In 2019 Mayor Reyes opened the office."]
)
def test_a_year_before_a_word_that_is_no_month_is_the_year(text: str) -> None:
    assert one(text).date.edtf == "2019"
