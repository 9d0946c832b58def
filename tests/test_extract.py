"""`chancery extract`, feature by feature, on short made-up reports about a made-up dyad.

The reports are written for these tests (not taken from the seed articles), so that each
feature is exercised on wording the seed articles do not contain.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from chancery.domain.actions import ENTRY_ADAPTER, Action
from chancery.domain.dates import UncertainDate
from chancery.domain.parties import Channel, Party
from chancery.extraction import Article, Lexicon, Proposal, extract, match_proposals
from chancery.extraction.dates import find_dates
from chancery.extraction.numbers import numbers_in, people_count, staff_caps

PARTIES = {
    "usa": Party(slug="usa", name="United States", kind="state", aliases=["Washington", "US"]),
    "russia": Party(slug="russia", name="Russia", kind="state", aliases=["Moscow", "Kremlin"]),
}
CHANNELS = {
    "russia-embassy-washington": Channel(
        slug="russia-embassy-washington",
        name="Russian Embassy in Washington",
        kind="mission",
        parties=["russia", "usa"],
        host="usa",
        aliases=["Russian embassy", "Moscow's embassy"],
    ),
    "us-consulate-vladivostok": Channel(
        slug="us-consulate-vladivostok",
        name="US Consulate in Vladivostok",
        kind="office",
        parties=["usa", "russia"],
        host="russia",
        aliases=["Vladivostok consulate"],
        triggers={"office_closed": ["mothballed"]},
    ),
    "strategic-stability-dialogue": Channel(
        slug="strategic-stability-dialogue",
        name="Strategic Stability Dialogue",
        kind="council",
        parties=["usa", "russia"],
        aliases=["SSD", "stability talks"],
    ),
}
LEXICON = Lexicon.build(CHANNELS, PARTIES)


def run(text: str, published: str = "2021-04-15") -> list[Proposal]:
    return extract(Article(text, "report.txt", UncertainDate(edtf=published)), LEXICON)


def only(text: str, published: str = "2021-04-15") -> Proposal:
    proposals = run(text, published)
    assert len(proposals) == 1, [(p.type, p.channel) for p in proposals]
    return proposals[0]


# ------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [("eight", 8), ("twenty-one", 21), ("three hundred and forty-two", 342), ("4,000", 4000)],
)
def test_numbers_in_words_and_digits(text: str, value: int) -> None:
    assert [n.value for n in numbers_in(f"some {text} people")] == [value]


def test_a_count_in_words_is_read() -> None:
    p = only("On 2 March, Washington expelled ten Russian diplomats from the Russian embassy.")
    assert (p.type, p.count, p.actor, p.target) == ("accreditation_withdrawn", 10, "usa", "russia")


@pytest.mark.parametrize(
    ("sentence", "caps"),
    [
        ("the staff was reduced by half from 20 to 10", (20, 10)),
        ("the cap was cut by ten to twenty", (30, 20)),
        ("the cap was set at 30", (None, 30)),
        ("the staff was halved to fifteen", (30, 15)),
    ],
)
def test_cap_numbers_from_digits_and_words(sentence: str, caps: tuple[Any, Any]) -> None:
    found = staff_caps(sentence)
    assert (found.from_cap, found.to_cap) == caps


def test_numbers_that_are_not_caps_are_not_caps() -> None:
    assert staff_caps("only ten people may enter the building").to_cap is None
    assert staff_caps("fifteen states acted nationally and reduced staff").to_cap is None
    text = "fifteen states expelled Russian diplomats"
    assert people_count(text, 0, len(text), 20) is None


def test_a_cap_on_visitors_is_not_a_staff_cap() -> None:
    p = only(
        "On 2 March, Washington limited the Russian embassy: only five people may enter the "
        "State Department at a time."
    )
    assert p.type == "staff_cap_changed"
    assert (p.from_cap, p.to_cap) == (None, None)


# ------------------------------------------------------------------------ dates


def _dates(text: str, published: str) -> list[UncertainDate]:
    return [f.date for f in find_dates(text, 0, len(text), UncertainDate(edtf=published), None)]


@pytest.mark.parametrize(
    ("wording", "published", "earliest", "latest"),
    [
        ("on Monday", "2021-10-21", "2021-10-18", "2021-10-18"),
        ("on Thursday", "2021-10-21", "2021-10-21", "2021-10-21"),
        ("last week", "2021-10-21", "2021-10-11", "2021-10-17"),
        ("earlier this month", "2021-10-21", "2021-10-01", "2021-10-20"),
        ("in early October", "2021-11-02", "2021-10-01", "2021-10-10"),
        ("18 months ago", "2021-11-29", "2020-04-01", "2020-06-30"),
        ("at the beginning of 2020", "2021-11-29", "2020-01-01", "2020-03-31"),
        ("today", "2021-11-29", "2021-11-29", "2021-11-29"),
        ("this year", "2021-11-29", "2021-01-01", "2021-11-29"),
        ("on 6 October", "2021-10-21", "2021-10-06", "2021-10-06"),
        ("in December", "2021-10-21", "2020-12-01", "2020-12-31"),
    ],
)
def test_relative_dates_resolve_against_the_published_date(
    wording: str, published: str, earliest: str, latest: str
) -> None:
    (found,) = _dates(f"It happened {wording}.", published)
    assert (found.earliest.isoformat(), found.latest.isoformat()) == (earliest, latest)
    assert wording.split()[-1].lower() in (found.wording or "").lower()


def test_a_relative_date_says_how_it_was_resolved() -> None:
    (found,) = _dates("It happened on Monday.", "2021-10-21")
    assert found.resolved_against == date(2021, 10, 21)
    assert found.resolution and "Monday" in found.resolution


def test_an_interval_publication_date_keeps_the_hull() -> None:
    (found,) = _dates("He said on Tuesday.", "2020-12-01/2021-10-18")
    assert (found.earliest, found.latest) == (date(2020, 12, 1), date(2021, 10, 12))
    assert found.resolution and "2020-12-01/2021-10-18" in found.resolution


def test_the_same_day_takes_the_previous_date() -> None:
    proposals = run(
        "On 3 March, Washington expelled ten Russian diplomats from the Russian embassy. "
        "Moscow mothballed the Vladivostok consulate the same day."
    )
    closed = next(p for p in proposals if p.type == "office_closed")
    assert closed.date.edtf == "2021-03-03"


def test_several_years_make_several_proposals() -> None:
    proposals = run("The staff of the Russian embassy was cut in 2016 and 2018.")
    assert sorted(p.date.edtf for p in proposals) == ["2016", "2018"]


def test_an_undated_action_gets_an_assumed_window_said_so() -> None:
    p = only("Washington expelled ten Russian diplomats from the Russian embassy.")
    assert p.date_assumed
    assert p.date.latest == date(2021, 4, 15) and p.date.earliest < date(2021, 1, 1)
    assert p.date.resolution and "assumed" in p.date.resolution


def test_an_effective_date_is_kept_apart_from_the_announcement() -> None:
    p = only(
        "On 12 April, Moscow announced it had mothballed the Vladivostok consulate "
        "with effect from 1 June."
    )
    assert p.type == "office_closed"
    assert p.date.edtf == "2021-04-12"
    assert p.effective is not None and p.effective.edtf == "2021-06-01"


# ------------------------------------------------------------------------ negation, intent


@pytest.mark.parametrize(
    ("text", "affirmed"),
    [
        (
            "Washington did not expel any diplomats from the Russian embassy on 2 March.",
            "Washington expelled diplomats from the Russian embassy on 2 March.",
        ),
        (
            "Moscow has never closed the Vladivostok consulate.",
            "Moscow has closed the Vladivostok consulate.",
        ),
        (
            "There was no expulsion of staff from the Russian embassy on 2 March.",
            "There was an expulsion of staff from the Russian embassy on 2 March.",
        ),
    ],
)
def test_negations_are_not_events(text: str, affirmed: str) -> None:
    assert run(text) == []
    assert len(run(affirmed)) == 1  # the same words without the negation are an event


@pytest.mark.parametrize(
    ("text", "done"),
    [
        (
            "Washington will expel ten diplomats from the Russian embassy.",
            "Washington expelled ten diplomats from the Russian embassy.",
        ),
        (
            "Moscow plans to close the Vladivostok consulate.",
            "Moscow closed the Vladivostok consulate.",
        ),
        (
            "If talks fail, Washington could expel staff of the Russian embassy.",
            "As talks failed, Washington expelled staff of the Russian embassy.",
        ),
        (
            "The invitation to the Strategic Stability Dialogue will be rejected, Moscow said.",
            "The invitation to the Strategic Stability Dialogue was rejected, Moscow said.",
        ),
    ],
)
def test_intent_and_future_are_not_past_actions(text: str, done: str) -> None:
    assert run(text) == []
    assert len(run(done)) == 1  # the same action reported as done is an event


def test_an_offer_is_proposed_as_what_it_is() -> None:
    (p,) = [
        p
        for p in run("On 12 April, Washington said it stands ready to convene the SSD.")
        if p.type != "invitation_extended"
    ]
    assert (p.type, p.channel, p.date.edtf) == (
        "invitation_reiterated",
        "strategic-stability-dialogue",
        "2021-04-12",
    )


def test_a_negation_that_is_the_event_is_kept() -> None:
    p = only("Moscow has not responded to the invitation to the stability talks, Washington said.")
    assert p.type == "invitation_unanswered"


# ------------------------------------------------------------------------ quotes, data


def test_quotes_are_verbatim_with_offsets() -> None:
    text = (
        "date 2021-04-15 WASHINGTON (Wire) - Officials spoke.\n\n"
        "On 2 March, Washington expelled ten Russian diplomats from the Russian embassy.\u00a0"
        "“It is done,” he said.\n"
    )
    (p,) = run(text)
    assert text[p.quote.start : p.quote.end] == p.quote.text
    assert p.quote.text.startswith("On 2 March") and p.quote.text.endswith("embassy.")


def test_channel_triggers_declared_as_data_extend_the_types_words() -> None:
    p = only("On 2 April, Moscow mothballed the Vladivostok consulate.")
    assert (p.type, p.channel) == ("office_closed", "us-consulate-vladivostok")


def test_a_generic_reference_names_the_last_channel_of_its_kind() -> None:
    proposals = run(
        "On 2 March, Washington expelled ten Russian diplomats from the Russian embassy. "
        "The staff of the mission was also cut from 40 to 30."
    )
    cut = next(p for p in proposals if p.type == "staff_cap_changed")
    assert (cut.channel, cut.from_cap, cut.to_cap) == ("russia-embassy-washington", 40, 30)


def test_one_article_reporting_an_action_twice_makes_one_proposal() -> None:
    proposals = run(
        "On 2 March, Washington expelled ten Russian diplomats from the Russian embassy. "
        "Later, the expulsion of diplomats of Moscow's embassy was condemned by the Kremlin."
    )
    (p,) = proposals
    assert len(p.quotes) == 2 and p.date.edtf == "2021-03-02"


# ------------------------------------------------------------------------ matching


def _recorded(**fields: Any) -> Action:
    record = {
        "id": "expelled-2021-03",
        "type": "accreditation_withdrawn",
        "channel": "russia-embassy-washington",
        "actor": "usa",
        "target": "russia",
        "date": "2021-03",
        "citations": [{"source": "wire", "quote": "q"}],
        **fields,
    }
    entry = ENTRY_ADAPTER.validate_python(record)
    assert isinstance(entry, Action)
    return entry


EXPULSION = "On 2 March, Washington expelled ten Russian diplomats from the Russian embassy."


@pytest.mark.parametrize(
    ("recorded", "kind"),
    [
        ({"count": 10, "date": "2021-03-02"}, "corroborates"),
        ({"count": None}, "refines"),  # a narrower date and a count the event lacked
        ({"count": 12}, "conflicts"),
        ({"count": 10, "date": "2021-03-05"}, "conflicts"),  # a date just outside
        ({"count": 10, "date": "2019"}, "new"),
    ],
)
def test_match_against_recorded_events(recorded: dict[str, Any], kind: str) -> None:
    (p,) = run(EXPULSION)
    (m,) = match_proposals([p], [_recorded(**recorded)], CHANNELS)
    assert m.kind == kind
    assert (m.event is None) == (kind == "new")
    if kind == "conflicts":
        assert m.rule in ("numbers-agree", "date-within-recorded-interval")


def test_a_new_proposal_that_breaks_a_rule_conflicts_with_the_rule_named() -> None:
    closed = ENTRY_ADAPTER.validate_python(
        {
            "id": "consulate-closed",
            "type": "office_closed",
            "channel": "us-consulate-vladivostok",
            "actor": "russia",
            "date": "2020-09-01",
            "citations": [{"source": "wire", "quote": "q"}],
        }
    )
    (p,) = run("On 2 April, Moscow mothballed the Vladivostok consulate.")
    (m,) = match_proposals([p], [closed], CHANNELS)
    assert (m.kind, m.rule, m.event) == (
        "conflicts",
        "no-action-on-ended-channel",
        "consulate-closed",
    )
