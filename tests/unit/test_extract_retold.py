"""Old events told in passing and agency copy in machine-translated English: the words such
reports use for a severance, an ambassador's arrival and a post's work resumed, and the
chain of dates they are told in. Sentences of the project's own, about a Qatar–Egypt pair
declared by code with no aliases."""

from __future__ import annotations

from datetime import date

import pytest
from chancery.domain.dates import UncertainDate
from chancery.domain.parties import Channel, Party
from chancery.extraction import Article, Lexicon, extract
from chancery.extraction.modality import Mood, judge

PARTIES = [Party.model_validate({"code": c}) for c in ("QA", "EG")]


def _post(kind: str, sending: str, receiving: str, city: str) -> Channel:
    return Channel.model_validate(
        {"kind": kind, "sending": sending, "receiving": receiving, "city": city}
    )


CHANNELS = [
    _post("embassy", "QA", "EG", "Cairo"),
    _post("embassy", "EG", "QA", "Doha"),
    _post("consulate-general", "QA", "EG", "Alexandria"),
    Channel.model_validate(
        {
            "slug": "qa-eg-relations",
            "name": "Qatar–Egypt relations",
            "kind": "relations",
            "parties": ["QA", "EG"],
        }
    ),
]
LEXICON = Lexicon.build({c.slug: c for c in CHANNELS}, {p.slug: p for p in PARTIES})
QATAR_EMBASSY = "qatar-embassy-egypt"
EGYPT_EMBASSY = "egypt-embassy-qatar"


def proposals(text: str, published: date = date(2021, 9, 30)) -> list[tuple[str, str, str]]:
    day = UncertainDate(edtf=published.isoformat(), earliest=published, latest=published)
    found = extract(Article(text, "x.txt", day), LEXICON)
    return [(p.type, p.channel, p.date.edtf) for p in found]


@pytest.mark.parametrize(
    "text",
    [
        "Egypt announced in June 2017 that it was severing relations with Qatar.",
        "In June 2017 Cairo cut its diplomatic relations with Doha.",
        "Egypt cut all ties with Qatar in June 2017, accusing it of backing militants.",
        "The severance of relations between Egypt and Qatar was announced in June 2017.",
    ],
)
def test_words_of_a_severance(text: str) -> None:
    assert proposals(text) == [("relations_severed", "qa-eg-relations", "2017-06")]


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("Qatar's new ambassador arrived in Cairo in July 2021.", QATAR_EMBASSY),
        ("In July 2021 the Egyptian ambassador landed in Doha.", EGYPT_EMBASSY),
        ("The Qatari envoy took up his post in Cairo in July 2021.", QATAR_EMBASSY),
    ],
)
def test_an_ambassador_arriving_after_a_rupture_is_back_in_post(text: str, channel: str) -> None:
    assert proposals(text) == [("head_of_mission_returned", channel, "2021-07")]


@pytest.mark.parametrize(
    "text",
    [
        "The Egyptian embassy in Doha resumed its operations in July 2021.",
        "In July 2021 Egypt's embassy in Doha resumed work.",
        "The resumption of activity of the Egyptian embassy in Doha was in July 2021.",
    ],
)
def test_a_post_resuming_its_work_is_reopened(text: str) -> None:
    assert proposals(text) == [("post_reopened", EGYPT_EMBASSY, "2021-07")]


def test_a_chain_of_old_events_takes_each_date_from_the_one_before() -> None:
    text = (
        "Egypt broke off relations with Qatar in June 2017. Three years later the two "
        "governments restored relations, and the Egyptian embassy in Doha resumed work the "
        "following spring."
    )
    assert proposals(text) == [
        ("relations_severed", "qa-eg-relations", "2017-06"),
        ("relations_restored", "qa-eg-relations", "2020-06"),
        ("post_reopened", EGYPT_EMBASSY, "2021-03/2021-05"),
    ]


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("The spokesman did not say when the embassy would resume operations.", "resume"),
        ("Cairo has not decided whether to reopen the consulate.", "reopen"),
        ("Doha would not specify when the envoy would return to his post.", "return"),
    ],
)
def test_an_open_question_reports_nothing_done(sentence: str, trigger: str) -> None:
    start = sentence.index(trigger)
    assert judge(sentence, start, start + len(trigger), 0) is not Mood.DONE


@pytest.mark.parametrize(
    "text",
    [
        "Egypt broke off relations with Qatar in 2017, and restored them, in January 2021.",
        "It took three years before Cairo and Doha restored relations, in January 2021.",
    ],
)
def test_a_date_added_after_the_clause_is_the_clauses_own(text: str) -> None:
    assert ("relations_restored", "qa-eg-relations", "2021-01") in proposals(text)


@pytest.mark.parametrize(
    "since",
    ["since the winter of 2016", "since April 2017", "for the first time since 2017"],
)
def test_a_span_since_a_date_is_no_point_a_later_day_is_told_from(since: str) -> None:
    text = (
        f"Qatar's ambassador arrived in Cairo on Tuesday, the first Qatari envoy there {since}. "
        "Egypt's ambassador landed in Doha on the same day."
    )
    assert proposals(text, date(2021, 9, 30)) == [
        ("head_of_mission_returned", QATAR_EMBASSY, "2021-09-28"),
        ("head_of_mission_returned", EGYPT_EMBASSY, "2021-09-28"),
    ]


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        (
            "Qatar's embassy in Cairo reopened, and its consulate general in Alexandria "
            "resumed work in July 2021.",
            "qatar-consulate-general-egypt-alexandria",
        ),
        ("Doha moved first: its embassy in Cairo reopened in July 2021.", QATAR_EMBASSY),
    ],
)
def test_its_is_not_the_place_a_post_stands_in(text: str, channel: str) -> None:
    assert (channel, "2021-07") in {(c, d) for _, c, d in proposals(text)}


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (
            "A day after the expulsion, Qatar recalled its ambassador from Cairo, an official "
            "said on Friday.",
            "2021-05-04",
        ),
        ("Two days after the expulsion Doha called its ambassador home.", "2021-05-05"),
        ("Qatar recalled its ambassador from Cairo the day after the expulsion.", "2021-05-04"),
    ],
)
def test_a_day_told_from_an_action_named_before(second: str, expected: str) -> None:
    text = f"Egypt expelled two Qatari diplomats on 3 May. {second}"
    assert proposals(text, date(2021, 5, 7)) == [
        ("accreditation_withdrawn", QATAR_EMBASSY, "2021-05-03"),
        ("head_of_mission_recalled", QATAR_EMBASSY, expected),
    ]


def test_an_action_named_before_needs_one_dated_of_its_type() -> None:
    text = (
        "Egypt summoned the Qatari ambassador on 3 May. A day after the expulsion, Qatar "
        "recalled its ambassador from Cairo, an official said on Friday."
    )
    recalled = [p for p in proposals(text, date(2021, 5, 7)) if p[0] == "head_of_mission_recalled"]
    assert recalled and recalled[0][2] != "2021-05-04"


CONSULATE = "qatar-consulate-general-egypt-alexandria"


@pytest.mark.parametrize(
    "text",
    [
        "In July 2017 Qatar's embassy in Cairo and its consulate general in Alexandria "
        "were ordered to close.",
        "In July 2017 the embassy of Qatar in Cairo, and the Qatari consulate general in "
        "Alexandria, were closed.",
        "In July 2017 Qatar's embassy in Cairo as well as the Qatari consulate general in "
        "Alexandria were closed by order of the Egyptian government.",
    ],
)
def test_one_order_closes_every_post_of_its_subject(text: str) -> None:
    assert sorted(proposals(text)) == [
        ("post_closed", CONSULATE, "2017-07"),
        ("post_closed", QATAR_EMBASSY, "2017-07"),
    ]


def test_a_post_of_another_clause_is_no_part_of_the_subject() -> None:
    text = (
        "In July 2017 Egypt said that the Qatari embassy in Cairo must reduce its staff to 12 "
        "persons and that the Qatari consulate general in Alexandria is closed."
    )
    closed = [c for t, c, _ in proposals(text) if t == "post_closed"]
    assert closed == [CONSULATE]


@pytest.mark.parametrize(
    ("second", "carried"),
    [
        ("That September Egypt also closed its airspace to Qatari aircraft.", False),
        ("In August Cairo suspended the flights of Qatari carriers.", False),
        ("In August it closed its doors.", True),
        ("In August it suspended its operations.", True),
    ],
)
def test_a_trigger_with_an_object_of_its_own_carries_no_post(second: str, carried: bool) -> None:
    text = f"In July 2017 Qatar's embassy in Cairo was told to reduce its staff. {second}"
    later = [p for p in proposals(text) if p[2] != "2017-07"]
    assert bool(later) is carried


@pytest.mark.parametrize(
    "middle",
    [
        "with Kuwaiti mediation, ",
        "in a deal brokered by Kuwait, ",
        "through the good offices of Kuwait, ",
    ],
)
def test_a_mediator_is_no_side_and_their_posts_are_both(middle: str) -> None:
    text = (
        "Egypt broke off relations with Qatar in June 2017. "
        f"In January 2021, {middle}the two governments restored relations and reopened "
        "their embassies, and in the following year they signed a trade agreement."
    )
    assert sorted(proposals(text)) == [
        ("post_reopened", EGYPT_EMBASSY, "2021-01"),
        ("post_reopened", QATAR_EMBASSY, "2021-01"),
        ("relations_restored", "qa-eg-relations", "2021-01"),
        ("relations_severed", "qa-eg-relations", "2017-06"),
    ]


@pytest.mark.parametrize("verb", ["promised", "pledged", "vowed"])
def test_a_promise_is_no_action(verb: str) -> None:
    sentence = f"The two governments {verb} to reopen their embassies within two months."
    start = sentence.index("reopen")
    assert judge(sentence, start, start + len("reopen"), 0) is Mood.PLANNED


@pytest.mark.parametrize(
    "text",
    [
        "In 2017, angered by Qatar's broadcasts, the government called its ambassador home "
        "from Doha.",
        "In 2017 Egypt recalled its ambassador from Doha.",
        "In 2017, after a row over Qatar's media, Cairo pulled its envoy out from Doha.",
    ],
)
def test_a_head_called_home_from_a_city_is_of_the_post_there(text: str) -> None:
    recalled = [c for t, c, _ in proposals(text) if t == "head_of_mission_recalled"]
    assert recalled == [EGYPT_EMBASSY]


@pytest.mark.parametrize(
    "text",
    [
        "On 23 January the Embassy of Qatar in Cairo stopped its activity.",
        "On 23 January the Embassy of Qatar in Cairo ceased all activity.",
        "The cessation of the activity of the Embassy of Qatar in Cairo was ordered on 23 January.",
    ],
)
def test_a_post_that_stops_its_activity_is_closed(text: str) -> None:
    assert proposals(text, date(2019, 1, 28)) == [("post_closed", QATAR_EMBASSY, "2019-01-23")]


def test_consent_withdrawn_is_not_also_a_closure() -> None:
    text = (
        "On 23 January Egypt withdrew its consent to the Qatari consulate general in "
        "Alexandria, which is to cease all activity within thirty days."
    )
    assert [t for t, _, _ in proposals(text, date(2019, 1, 28))] == ["post_consent_withdrawn"]


@pytest.mark.parametrize(
    "text",
    [
        "On the 26-th of January the chargé d'affaires of Qatar was invited to Ministry of "
        "Foreign Affairs, where to him was handed the note of protest.",
        "The ambassador of Qatar was called to ministry on January, 26.",
    ],
)
def test_a_summons_in_translated_copy(text: str) -> None:
    assert proposals(text, date(2019, 1, 28)) == [
        ("head_of_mission_summoned", QATAR_EMBASSY, "2019-01-26")
    ]


def test_an_obligation_in_the_term_of_days_is_an_order() -> None:
    text = (
        "On January, 24 Egypt said the Embassy of Qatar in Cairo must close in the term of 30 days."
    )
    day = UncertainDate(edtf="2019-01-28", earliest=date(2019, 1, 28), latest=date(2019, 1, 28))
    [found] = extract(Article(text, "x.txt", day), LEXICON)
    assert (found.type, found.announced, found.date.edtf) == ("post_closed", True, "2019-01-24")


@pytest.mark.parametrize(
    "said", ["the ministry said on Thursday", "officials told reporters on Thursday"]
)
def test_a_present_perfect_is_news_of_the_day_its_sentence_dates_the_statement(said: str) -> None:
    text = f"Egypt has decided to close the Embassy of Qatar in Cairo, {said}."
    assert proposals(text, date(2019, 1, 28)) == [("post_closed", QATAR_EMBASSY, "2019-01-24")]


@pytest.mark.parametrize(
    "text",
    [
        "On 24 January the authorities closed the embassy and the consulate general of Qatar.",
        "On 24 January the embassy and consulate general of Qatar were closed by Egypt.",
        "Egypt ordered on 24 January the closure of the embassy and the consulate general of "
        "Qatar.",
    ],
)
def test_two_posts_share_the_owner_named_after_the_second(text: str) -> None:
    assert sorted(proposals(text, date(2019, 1, 28))) == [
        ("post_closed", CONSULATE, "2019-01-24"),
        ("post_closed", QATAR_EMBASSY, "2019-01-24"),
    ]
