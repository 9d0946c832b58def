"""A pair's dialogue as reports name it without its declared name: by a kind word
("consultations", "talks", "dialogue") and the pair's parties in the sentence or the article,
its meetings told as rounds ("held the fourth round", "the previous round was conducted"), and
"for consultations" as the purpose of an envoy's recall, no dialogue. The texts are the
project's own, about a Viet Nam – Philippines pair declared by code with no aliases."""

from __future__ import annotations

from chancery.domain.dates import UncertainDate
from chancery.domain.parties import Channel, Party
from chancery.extraction.extract import Article, extract
from chancery.extraction.mentions import Lexicon

PARTIES = [Party.model_validate({"code": c}) for c in ("VN", "PH")]
CHANNELS = [
    Channel.model_validate(
        {
            "slug": "vn-ph-bilateral-commission",
            "name": "Viet Nam – Philippines Joint Commission on Bilateral Cooperation",
            "kind": "dialogue",
            "parties": ["VN", "PH"],
        }
    ),
    Channel.model_validate(
        {
            "slug": "philippines-embassy-viet-nam",
            "name": "Embassy of the Philippines in Hanoi",
            "kind": "embassy",
            "sending": "PH",
            "receiving": "VN",
            "city": "Hanoi",
        }
    ),
]
LEXICON = Lexicon.build({c.slug: c for c in CHANNELS}, {p.slug: p for p in PARTIES})
DIALOGUE = "vn-ph-bilateral-commission"


def _proposed(text: str, published: str = "2024-10-10") -> list[tuple[str, str, str]]:
    article = Article(text, "report.txt", UncertainDate(edtf=published))
    return sorted((p.type, p.channel, p.date.edtf) for p in extract(article, LEXICON))


def test_consultations_between_the_pair_are_its_dialogue() -> None:
    for text in (
        "Viet Nam and the Philippines held political consultations in Manila on Monday.",
        "Manila suspended its consultations with Viet Nam on Monday.",
        "Filipino and Vietnamese officials resumed consultations on Monday, which Hanoi "
        "had broken off last year.",
    ):
        assert any(channel == DIALOGUE for _, channel, _ in _proposed(text)), text


def test_a_round_held_or_conducted_is_a_meeting() -> None:
    for text, day in (
        (
            "Viet Nam and the Philippines held the fourth round of their dialogue on 7 October.",
            "2024-10-07",
        ),
        ("The fourth round of talks between Hanoi and Manila was held on 7 October.", "2024-10-07"),
        (
            "The third round of the Vietnamese and Filipino consultations was conducted in "
            "Hanoi in March 2019.",
            "2019-03",
        ),
        (
            "The previous round of the Viet Nam – Philippines dialogue took place in Hanoi in "
            "March 2019.",
            "2019-03",
        ),
    ):
        assert ("meeting_held", DIALOGUE, day) in _proposed(text), text


def test_a_round_planned_is_no_meeting() -> None:
    for text in (
        "Viet Nam and the Philippines agreed to hold the next round of consultations in Hanoi.",
        "The fifth round of the Vietnamese and Filipino talks will be held in Hanoi next year.",
    ):
        assert _proposed(text) == [], text


def test_consultations_an_envoy_is_recalled_for_are_no_dialogue() -> None:
    for text in (
        "Manila recalled its ambassador to Viet Nam for consultations on Monday.",
        "The Filipino ambassador in Hanoi left for consultations on Monday.",
    ):
        channels = {channel for _, channel, _ in _proposed(text)}
        assert DIALOGUE not in channels, text
        assert "philippines-embassy-viet-nam" in channels, text


def test_the_lede_takes_its_channel_from_the_headline() -> None:
    for body in (
        "Officials of the two countries met in the Philippine capital on Monday.",
        "The delegations met on Monday behind closed doors, a spokesman said.",
    ):
        text = f"Viet Nam, Philippines hold fifth round of consultations\n\n{body}\n"
        assert ("meeting_held", DIALOGUE, "2024-10-07") in _proposed(text), body
    text = (
        "Viet Nam, Philippines hold fifth round of consultations\n\n"
        "Hanoi had suspended them on 1 October 2019, a diplomat recalled.\n"
    )
    assert ("contacts_suspended", DIALOGUE, "2019-10-01") in _proposed(text)


def test_only_the_lede_takes_its_channel_from_the_headline() -> None:
    text = (
        "Fisheries top the agenda of Viet Nam – Philippines consultations\n\n"
        "The delegations will also discuss trade, officials said.\n\n"
        "Hanoi had suspended them once before, on 1 October 2019, a diplomat recalled.\n"
    )
    assert _proposed(text) == []


def test_an_exchange_of_views_between_the_pair_is_a_meeting_of_its_dialogue() -> None:
    for text in (
        "The Vietnamese and Filipino foreign ministers had a frank exchange of views in Hanoi "
        "on 7 October.",
        "Officials of Viet Nam and the Philippines exchanged views on the South China Sea in "
        "Manila on 7 October.",
        "At the consultations of Hanoi and Manila on 7 October the parties exchanged the "
        "opinions on fisheries and on the visas.",
    ):
        assert ("meeting_held", DIALOGUE, "2024-10-07") in _proposed(text), text


def test_an_exchange_of_views_planned_is_no_meeting() -> None:
    text = "Viet Nam and the Philippines will hold an exchange of views in Hanoi next month."
    assert _proposed(text) == []


def test_talks_resumed_or_revived_on_a_day_are_a_meeting_that_day() -> None:
    for text in (
        "Viet Nam and the Philippines resumed consultations on Monday after a four-year pause.",
        "Talks between Hanoi and Manila, suspended in 2021, resumed on Monday.",
        "The dialogue between Viet Nam and the Philippines, frozen since 2020, was revived in "
        "Hanoi on Monday.",
        "Manila and Hanoi revived their political consultations on Monday.",
    ):
        assert ("meeting_held", DIALOGUE, "2024-10-07") in _proposed(text), text


def test_a_resumption_wanted_or_denied_is_no_meeting() -> None:
    for text in (
        "Viet Nam and the Philippines agreed to resume talks next year.",
        "Manila said it was ready to resume consultations with Hanoi.",
        "Talks between Hanoi and Manila have not resumed.",
        "Hanoi called for the resumption of the dialogue with Manila.",
    ):
        assert _proposed(text) == [], text


def test_a_dialogue_put_on_hold_is_suspended() -> None:
    text = "Viet Nam put its dialogue with the Philippines on hold in March 2021."
    assert _proposed(text) == [("contacts_suspended", DIALOGUE, "2021-03")]


def test_a_joint_commission_of_the_pair_is_its_dialogue() -> None:
    text = (
        "Manila and Hanoi held the sixth round of their joint commission in Hanoi on Monday, "
        "the first such meeting since November 2018."
    )
    assert _proposed(text) == [
        ("meeting_held", DIALOGUE, "2018-11"),
        ("meeting_held", DIALOGUE, "2024-10-07"),
    ]


def test_a_headline_in_the_present_tells_a_meeting_held() -> None:
    for headline in (
        "Viet Nam, Philippines hold first talks in four years",
        "Viet Nam, Philippines hold consultations in Hanoi",
        "Viet Nam and Philippines resume strategic dialogue",
    ):
        found = _proposed(headline + "\n")
        assert [(t, c) for t, c, _ in found] == [("meeting_held", DIALOGUE)], headline


def test_consultations_were_held() -> None:
    text = (
        "The consultations between the foreign ministries of Viet Nam and the Philippines were "
        "held on Monday in Hanoi."
    )
    assert _proposed(text) == [("meeting_held", DIALOGUE, "2024-10-07")]


def test_a_meeting_verb_in_the_infinitive_is_no_meeting() -> None:
    for text in (
        "Manila asked Hanoi to resume talks.",
        "Manila wants Hanoi to hold consultations with it.",
        "Hanoi hopes to resume the dialogue with Manila soon.",
        "Viet Nam and the Philippines hold consultations twice a year.",
    ):
        assert _proposed(text) == [], text


def test_the_first_meeting_in_n_years_names_one_about_n_years_before() -> None:
    for text in (
        "Viet Nam and the Philippines held talks in Hanoi on Monday, the first such talks in "
        "four years.",
        "Viet Nam and the Philippines held consultations on Monday after a four-year hiatus.",
        "Viet Nam and Philippines have held on Monday the consultations, first after the pause "
        "of four years.",
    ):
        assert _proposed(text) == [
            ("meeting_held", DIALOGUE, "2019-07/2021-06"),
            ("meeting_held", DIALOGUE, "2024-10-07"),
        ], text


def test_a_count_of_days_or_a_planned_meeting_names_no_earlier_one() -> None:
    days = "Viet Nam and the Philippines held talks on Monday, the first in two days."
    assert _proposed(days) == [("meeting_held", DIALOGUE, "2024-10-07")]
    planned = "Viet Nam and the Philippines will hold talks, the first in four years, next month."
    assert _proposed(planned) == []


def test_holding_a_view_about_talks_is_no_meeting() -> None:
    for text in (
        "Viet Nam and the Philippines hold the view that talks are the only way.",
        "Manila and Hanoi hold different positions on the agenda of the consultations.",
    ):
        assert _proposed(text) == [], text
