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
from chancery.domain.errors import ChanceryError
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
            "Washington may expel ten diplomats from the Russian embassy.",
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


@pytest.mark.parametrize(
    "text",
    [
        "Washington will expel ten diplomats from the Russian embassy.",
        "The Vladivostok consulate is to close within seven days, Moscow said.",
        "Officials said Washington would expel ten diplomats from the Russian embassy.",
    ],
)
def test_a_decision_for_later_is_proposed_as_announced(text: str) -> None:
    (p,) = run(text)
    assert p.announced and not p.date_assumed
    assert p.date.edtf == "2021-04-15"  # when said: the article's day, not a guessed window


def test_a_summons_or_meeting_said_of_the_future_is_a_plan_not_an_announcement() -> None:
    assert run("The ministry said it would summon the Russian ambassador on Monday.") == []


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


# ------------------------------------------------------------ numbers that are not counts


@pytest.mark.parametrize(
    "sentence",
    [
        "Washington cut the Russian embassy's staff from 20 October to 10 November.",
        "Washington reduced the Russian embassy's staff between 3 May and 17 June 2021.",
        "From March 12 to April 4, Washington capped the Russian embassy.",
        "Washington capped the Russian embassy on the 14th, at 10:30, by decree.",
        "Washington capped the Russian embassy's budget at 20% from $15 million.",
        "Washington capped the Russian embassy in 2019, by 2020 and at 2021 prices.",
    ],
)
def test_numbers_of_dates_times_money_and_years_are_never_caps(sentence: str) -> None:
    """A day, a year, a time of day, an ordinal, a percentage or an amount is not a staff cap:
    "from 20 October to 10 November" is no cut from 20 to 10."""
    p = only(sentence)
    assert p.type == "staff_cap_changed"
    assert (p.from_cap, p.to_cap) == (None, None)


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        (
            "On 14 April 2021, Washington expelled ten Russian diplomats from the Russian embassy.",
            10,
        ),
        ("Washington expelled the Russian embassy's 3rd secretary and 4 diplomats on 2 May.", 4),
        ("At 09:45 on 12 March, Washington expelled 6 officials of the Russian embassy.", 6),
    ],
)
def test_a_count_is_read_beside_dates_and_times(sentence: str, count: int) -> None:
    assert only(sentence).count == count


def test_a_cap_is_still_read_beside_a_date_range() -> None:
    p = only("Between 1 and 9 March 2021, Washington cut the Russian embassy's cap from 30 to 25.")
    assert (p.from_cap, p.to_cap) == (30, 25)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("20.5 people", []),
        ("the 20th person", []),
        ("at 10:30 five people", [5]),
        ("20% of 40 staff", [40]),
        ("$20 and €30 and 12 envoys", [12]),
        ("1234567890123 people", []),
        ("ten million dollars and eight people", [8]),
    ],
)
def test_numbers_that_measure_something_else_are_not_numbers_of_things(
    text: str, values: list[int]
) -> None:
    assert [n.value for n in numbers_in(text)] == values


# ------------------------------------------------------------ the calendar's ends


@pytest.mark.parametrize("published", ["0001-01-01", "0001-06-30", "9999-12-31", "0001", "9999"])
def test_extraction_at_the_calendar_ends_never_leaves_it(published: str) -> None:
    """Relative dates that would fall before year 1 or after 9999 are not dated ("two years
    ago" of an article of year 1); assumed windows stop at the calendar's first day."""
    text = (
        "Washington expelled two Russian diplomats from the Russian embassy two years ago. "
        "Earlier this week Washington mothballed the Vladivostok consulate, with effect from "
        "1 January. Last month Washington capped the Russian embassy at 40 people. On Monday "
        "the Kremlin closed the Vladivostok consulate. 18 months ago the SSD was suspended."
    )
    proposals = run(text, published)
    assert proposals
    for p in proposals:
        assert date.min <= p.date.earliest <= p.date.latest <= date.max
        assert p.date.latest <= UncertainDate(edtf=published).latest


# ------------------------------------------------------------ bytes that are not UTF-8


def test_one_stray_windows_1252_byte_is_read_where_it_stands(tmp_path: Any) -> None:
    """Only the stray byte is read as Windows-1252: the rest stays UTF-8, not mojibake."""
    from chancery.extraction.extract import read_article_text

    path = tmp_path / "wire.txt"
    path.write_bytes(
        "Moscow’s embassy — “closed”, said Mr. Łukasz. ".encode() + b"It\x92s over. caf\xe9"
    )
    text, repaired = read_article_text(path)
    assert text == "Moscow’s embassy — “closed”, said Mr. Łukasz. It’s over. café"
    assert repaired == 2


def test_a_windows_1252_file_and_undefined_bytes(tmp_path: Any) -> None:
    from chancery.extraction.extract import read_article_text

    path = tmp_path / "old.txt"
    path.write_bytes("“Embassy” closed — 5 €".encode("cp1252") + b" \x81")
    assert read_article_text(path) == ("“Embassy” closed — 5 € \ufffd", 5)  # “ ” — € and 0x81


# ------------------------------------------------------------ adversarial articles at 512 KB

HOSTILE_SECONDS = 30.0
"""Per article of 512 KiB (the largest allowed): generous for a loaded 2-core machine (each
shape took 0.5-13 s at a load of 10 on 2 cores); before the passes were made linear, minutes."""


def _filled(unit: str, head: str = "") -> str:
    from chancery.extraction.extract import MAX_ARTICLE_BYTES

    size = MAX_ARTICLE_BYTES - 64
    return head + unit * ((size - len(head.encode())) // len(unit.encode()))


HOSTILE_SHAPES = {
    "capitalised word then blanks (dateline)": lambda: _filled(" ", "WASHINGTON"),
    "date then blanks (header)": lambda: _filled(" ", "date"),
    "letters then repeated sentence ends": lambda: "b" * 200_000 + _filled("Mr.Ab")[200_000:],
    "one alias repeated": lambda: _filled("the Russian embassy "),
    "alias and trigger repeated": lambda: _filled("Moscow's embassy expelled eight diplomats "),
    "dated reports repeated": lambda: _filled(
        "On 2 March 2021 Washington expelled 4 diplomats of the Russian embassy. "
    ),
    "day and month repeated": lambda: _filled("last Mon. 6 Oct. 2014 and "),
    "datelines": lambda: _filled("MOSCOW — the embassy said.\n"),
    "meeting trigger repeated": lambda: _filled("The council met regularly. "),
    "meeting trigger repeated in one sentence": lambda: _filled("the envoys met regularly and "),
    "undated action then a sentence": lambda: _filled(
        "Russia expelled two diplomats. The ministry said so. "
    ),
}


@pytest.mark.parametrize("shape", list(HOSTILE_SHAPES))
def test_adversarial_articles_of_512_kib_are_read_in_seconds(shape: str, tmp_path: Any) -> None:
    """The whole of `chancery extract` but the ledger (read, extract, match, render) on each
    shape the hostile review found (and a few more), at the largest size allowed."""
    import time

    from chancery.extraction.service import Report, extract_reports

    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE_SHAPES[shape](), encoding="utf-8")
    began = time.perf_counter()
    try:
        draft = extract_reports(
            [Report(path, "2021-04-15")],
            channels=CHANNELS,
            parties=PARTIES,
            recorded=lambda channels: [],
            source_named=lambda key: None,
        )
    except ChanceryError as exc:  # a refusal (too many actions for one report) is an answer
        draft = str(exc)
    took = time.perf_counter() - began
    assert draft
    assert took < HOSTILE_SECONDS, f"{shape}: {took:.1f} s"


def _draft(path: Any, declared: dict[str, Channel]) -> str:
    """The draft `extract` writes for one report read against these channels and an empty
    ledger."""
    from chancery.extraction.service import Report, extract_reports

    return extract_reports(
        [Report(path, "2021-04-15")],
        channels=declared,
        parties=PARTIES,
        recorded=lambda channels: [],
        source_named=lambda key: None,
    )


def test_a_ledger_declaring_20000_aliases_extracts_in_seconds(tmp_path: Any) -> None:
    """400 channels of 50 aliases each (the most a declaration may carry): every name was
    compiled for every article, 71 s on a 2-core machine; now only the names whose words the
    article holds are, and the draft is the one the small ledger gives."""
    import time

    channels = dict(CHANNELS)
    for n in range(400):
        aliases = [f"talks {n} round {k}" for k in range(50)]
        channels[f"talks-{n}"] = Channel(
            slug=f"talks-{n}",
            name=f"Council number {n}",
            kind="council",
            parties=["usa", "russia"],
            aliases=aliases,
        )
    path = tmp_path / "report.txt"
    path.write_text("On 2 March, Washington expelled ten diplomats of the Russian embassy.\n")

    began = time.perf_counter()
    many = _draft(path, channels)
    took = time.perf_counter() - began
    assert many == _draft(path, CHANNELS) and "accreditation_withdrawn" in many
    assert took < HOSTILE_SECONDS, f"{took:.1f} s"


def test_a_mission_that_stops_or_ceases_its_work_is_suspended() -> None:
    """Machine-translated and ministry wording: "stopped its activity", "ceased work"."""
    for text in (
        "The Russian embassy stopped its activity on 2 March.",
        "On 2 March the Russian embassy ceased all work.",
    ):
        (p,) = run(text)
        assert (p.type, p.date.edtf) == ("mission_suspended", "2021-03-02")


def test_an_obligation_notified_or_with_a_deadline_is_an_order_a_bare_one_a_demand() -> None:
    for text in (
        "Washington informed Moscow that it must close the Vladivostok consulate.",
        "The Vladivostok consulate must close within a week, Moscow said.",
    ):
        (p,) = run(text)
        assert p.announced and p.date.edtf == "2021-04-15"
    assert run("Moscow must close the Vladivostok consulate, a senator said.") == []


def test_a_ceiling_said_as_no_more_than_is_the_cap_not_a_count() -> None:
    for sentence, cap in [
        ("ordered it to cut the staff of its embassy to no more than four diplomats", 4),
        ("the embassy may keep no more than 12 diplomats", 12),
        ("the mission was limited to a maximum of 20 staff", 20),
        ("told it to bring its embassy down to at most 15 personnel", 15),
    ]:
        assert staff_caps(sentence).to_cap == cap, sentence
        assert people_count(sentence, 0, len(sentence), 0) is None, sentence
    text = "expelled more than 20 diplomats"  # "more than" alone is a count, roughly
    assert people_count(text, 0, len(text), 0) == 20


def _panel(n: int, words: list[str]) -> Channel:
    return Channel(
        slug=f"panel-{n}",
        name=f"Joint Panel {n}",
        kind="council",
        parties=["usa", "russia"],
        triggers={"meeting_held": words},
    )


def test_a_ledger_declaring_2000_channel_triggers_extracts_in_seconds(tmp_path: Any) -> None:
    """40 channels of 50 trigger words each: every word was compiled for every article (about
    5 s on a loaded 2-core machine); now only the words the article holds are, and a channel's
    word the article holds still proposes its action on that channel."""
    import time

    def words(n: int) -> list[str]:
        return [f"sat for sitting {k} of cycle {n}" for k in range(50)]

    many = dict(CHANNELS) | {f"panel-{n}": _panel(n, words(n)) for n in range(40)}
    few = dict(CHANNELS) | {"panel-7": _panel(7, words(7))}
    path = tmp_path / "report.txt"
    path.write_text("On 2 March, the Joint Panel 7 sat for sitting 12 of cycle 7 in Geneva.\n")

    began = time.perf_counter()
    drafted = _draft(path, many)
    took = time.perf_counter() - began
    assert drafted == _draft(path, few) and "meeting_held" in drafted and "panel-7" in drafted
    assert took < HOSTILE_SECONDS, f"{took:.1f} s"


def test_an_article_is_searched_for_the_channel_triggers_it_may_hold() -> None:
    """A channel's words that cannot occur in the article are left out of its search; a word
    with a free ending, or with a letter outside ASCII, is kept wherever it may occur."""
    channels = dict(CHANNELS) | {
        "panel-1": _panel(1, ["shelved the talks"]),
        "panel-2": _panel(2, ["adjourn* sine die"]),
        "panel-3": _panel(3, ["réuni"]),
    }
    lexicon = Lexicon.build(channels, PARTIES)
    own = len(lexicon.triggers)

    def limits(text: str) -> list[str | None]:
        return [limit for _, _, limit in lexicon.triggers_in(text)[own:]]

    assert limits("Nothing was said.") == ["panel-3"]
    assert limits("They Shelved the talks and adjourned sine die.") == [
        "panel-1",
        "panel-2",
        "panel-3",
    ]
    assert limits("The consulate was mothballed.") == ["us-consulate-vladivostok", "panel-3"]
