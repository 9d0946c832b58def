"""Councils, cooperation and other channels of a pair as reports name them (without the pair
that opens their declared name; "the council" as the channel its last sentence was about),
and the actions of bringing a channel into being and of meeting, in their verb and noun forms.
The texts are the project's own, about a European Union – China pair declared by code with
no aliases."""

from __future__ import annotations

from chancery.domain.dates import UncertainDate
from chancery.domain.parties import Channel, Party
from chancery.extraction.extract import Article, extract
from chancery.extraction.mentions import Lexicon

PARTIES = [Party.model_validate({"code": c}) for c in ("EU", "CN")]


def _pair(slug: str, name: str, kind: str) -> Channel:
    return Channel.model_validate(
        {"slug": slug, "name": name, "kind": kind, "parties": ["EU", "CN"]}
    )


CHANNELS = [
    _pair("eu-cn-joint-committee", "EU-China Joint Committee", "council"),
    _pair("eu-cn-strategic-council", "EU–China Strategic Council", "council"),
    _pair("eu-cn-summit", "EU-China Summit", "council"),
    _pair("eu-cn-cooperation", "EU-China practical cooperation", "cooperation"),
]
LEXICON = Lexicon.build({c.slug: c for c in CHANNELS}, {p.slug: p for p in PARTIES})


def _named(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.slug) for m in LEXICON.channel_mentions(text)]


def test_a_pair_channel_is_named_without_the_pair_that_opens_its_name() -> None:
    text = "The Joint Committee met in Beijing; the envoys spoke of practical cooperation."
    assert _named(text) == [
        ("Joint Committee", "eu-cn-joint-committee"),
        ("practical cooperation", "eu-cn-cooperation"),
    ]


def test_one_word_left_after_the_pair_is_no_name() -> None:
    assert _named("The summit season began in Brussels.") == []


def test_the_council_is_the_one_its_last_sentence_was_about() -> None:
    text = (
        "The EU-China Strategic Council was established today, replacing the Joint Committee. "
        "The council held its first meeting at once."
    )
    named = _named(text)
    assert named[-1] == ("The council", "eu-cn-strategic-council")
    assert ("Joint Committee", "eu-cn-joint-committee") in named


def test_the_council_later_in_the_same_sentence_is_the_last_named() -> None:
    text = "After the Joint Committee had met, the council adjourned."
    assert _named(text)[-1] == ("the council", "eu-cn-joint-committee")


POSTS = [
    Channel.model_validate(
        {
            "slug": "eu-delegation-china",
            "name": "EU Delegation to China",
            "kind": "information-office",
            "sending": "EU",
            "receiving": "CN",
            "city": "Beijing",
        }
    )
]
FULL = Lexicon.build({c.slug: c for c in [*CHANNELS, *POSTS]}, {p.slug: p for p in PARTIES})


def _proposed(text: str, published: str = "2024-06-12") -> list[tuple[str, str]]:
    article = Article(text, "report.txt", UncertainDate(edtf=published))
    return sorted((p.type, p.channel) for p in extract(article, FULL))


def test_bringing_a_channel_into_being_is_read_in_every_form_of_its_verb_family() -> None:
    for sentence in (
        "The EU and China signed a treaty on Monday which creates a Joint Committee.",
        "The creation of the EU-China Joint Committee on Monday ended months of talks.",
        "The EU Delegation to China was inaugurated in Beijing on Monday.",
        "The EU and China welcomed the opening of the EU Delegation to China on Monday.",
    ):
        assert [t for t, _ in _proposed(sentence)] == ["channel_established"], sentence


def test_a_meeting_is_read_as_a_noun_with_its_council_after_it() -> None:
    text = "Ministers of the EU and China sat down on Monday for a session of the Joint Committee."
    assert _proposed(text) == [("meeting_held", "eu-cn-joint-committee")]
    text = "The committee's first meeting, held on Monday in Beijing, was short."
    assert (
        _proposed("The EU-China Joint Committee was named. " + text).count(
            ("meeting_held", "eu-cn-joint-committee")
        )
        == 1
    )


def test_an_action_noun_names_only_the_channel_right_after_it() -> None:
    text = (
        "Before a meeting of EU foreign ministers on Monday, the Joint Committee was "
        "mentioned by China."
    )
    assert ("meeting_held", "eu-cn-joint-committee") not in _proposed(text)


def test_an_action_noun_talked_about_or_planned_is_no_report() -> None:
    for sentence in (
        "China renewed on Monday its proposal to hold a meeting of the Joint Committee.",
        "The EU cited the 1975 communique on the establishment of the Joint Committee.",
    ):
        assert _proposed(sentence) == [], sentence


def test_cooperation_is_the_pairs_own_even_beside_a_council_the_sentence_names() -> None:
    text = "The EU suspended cooperation with China on Monday, leaving only the Joint Committee."
    assert ("cooperation_suspended", "eu-cn-cooperation") in _proposed(text)


def _meeting_days(text: str, published: str) -> list[str]:
    article = Article(text, "report.txt", UncertainDate(edtf=published))
    return sorted(p.date.edtf for p in extract(article, FULL) if p.type == "meeting_held")


def test_an_earlier_meeting_named_by_comparison_is_a_meeting_of_its_own() -> None:
    text = "The Joint Committee met in Brussels on Monday, the first time since March 2019."
    assert _meeting_days(text, "2024-06-12") == ["2019-03", "2024-06-10"]
    text = "The Joint Committee met on Monday, its second session this year after the one in April."
    assert _meeting_days(text, "2024-06-12") == ["2024-04", "2024-06-10"]
    text = "The Joint Committee met on Monday for the second time, after a session in January."
    assert _meeting_days(text, "2024-06-12") == ["2024-01", "2024-06-10"]


def test_a_date_after_since_alone_dates_no_second_meeting() -> None:
    text = "The Joint Committee met on Monday; trade has grown since March 2019."
    assert _meeting_days(text, "2024-06-12") == ["2024-06-10"]


def test_meetings_that_stopped_are_no_meeting() -> None:
    for sentence in (
        "In March 2019 the EU stopped holding formal meetings of the Joint Committee.",
        "In March 2019 the EU and China no longer held sessions of the Joint Committee.",
    ):
        assert _meeting_days(sentence, "2024-06-12") == [], sentence
    text = "In March 2019 the EU and China held regular meetings of the Joint Committee."
    assert _meeting_days(text, "2024-06-12") == ["2019-03"]


OFFICE = Channel.model_validate(
    {
        "slug": "eu-trade-office-china",
        "name": "EU Trade Promotion Office in Shanghai",
        "kind": "office",
        "sending": "EU",
        "receiving": "CN",
        "city": "Shanghai",
    }
)


def test_a_post_is_named_without_its_place_and_the_sending_party_opening_its_name() -> None:
    channels = {c.slug: c for c in [*CHANNELS, *POSTS, OFFICE]}
    lexicon = Lexicon.build(channels, {p.slug: p for p in PARTIES})
    text = "China closed the EU's trade promotion office; the EU Delegation stayed open."
    named = [(text[m.start : m.end], m.slug) for m in lexicon.channel_mentions(text)]
    assert ("trade promotion office", "eu-trade-office-china") in named
    assert ("EU Delegation", "eu-delegation-china") in named
    text = "A Chinese delegation visited Brussels; the embassy of China was quiet."
    assert [m.slug for m in lexicon.channel_mentions(text)] == []


def test_a_headline_opens_a_post_and_a_decision_strips_its_staff_of_accreditation() -> None:
    channels = {c.slug: c for c in [*CHANNELS, *POSTS, OFFICE]}
    lexicon = Lexicon.build(channels, {p.slug: p for p in PARTIES})
    article = Article(
        "EU opens trade promotion office in Shanghai", "h.txt", UncertainDate(edtf="2024-06-12")
    )
    assert [(p.type, p.channel) for p in extract(article, lexicon)] == [
        ("channel_established", "eu-trade-office-china")
    ]
    text = "China's decision on Monday to strip EU Delegation staff of their accreditation hurt."
    article = Article(text, "w.txt", UncertainDate(edtf="2024-06-12"))
    assert [(p.type, p.channel) for p in extract(article, lexicon)] == [
        ("accreditation_withdrawn", "eu-delegation-china")
    ]


def test_meetings_told_as_a_habit_are_no_dated_meeting() -> None:
    for sentence in (
        "In 2019 the Joint Committee met more than a dozen times a year.",
        "In 2019 the Joint Committee met regularly, at several levels.",
    ):
        assert _meeting_days(sentence, "2024-06-12") == [], sentence
    text = "In March 2019 the Joint Committee met, as it does twice a year."
    assert _meeting_days(text, "2024-06-12") == ["2019-03"]


def test_a_channel_is_named_by_its_initials_in_capitals() -> None:
    channels = {c.slug: c for c in [*CHANNELS, *POSTS, OFFICE]}
    lexicon = Lexicon.build(channels, {p.slug: p for p in PARTIES})
    text = "The JC met; the ECSC did not; the TPO in Shanghai closed; the jc is no name."
    named = [(text[m.start : m.end], m.slug) for m in lexicon.channel_mentions(text)]
    assert ("ECSC", "eu-cn-strategic-council") in named  # EU–China Strategic Council
    assert ("TPO", "eu-trade-office-china") in named  # (EU) Trade Promotion Office
    assert not any(word in ("JC", "jc") for word, _ in named)  # two words: no acronym
    assert ("EU", "eu-cn-summit") not in named


def test_a_brief_in_note_form_reports_with_bare_participles() -> None:
    text = (
        "- Strategic Council: inaugurated yesterday in Rome; first meeting at summit level "
        "held the same day.\n- Joint Committee: opened on 20 May.\n"
    )
    article = Article("EU-China brief\n\n" + text, "b.txt", UncertainDate(edtf="2024-06-12"))
    found = sorted((p.type, p.channel, p.date.edtf) for p in extract(article, FULL))
    assert found == [
        ("channel_established", "eu-cn-joint-committee", "2024-05-20"),
        ("channel_established", "eu-cn-strategic-council", "2024-06-11"),
        ("meeting_held", "eu-cn-strategic-council", "2024-06-11"),
    ]


def test_a_representation_to_an_organisation_is_its_permanent_mission() -> None:
    mission = Channel.model_validate(
        {
            "slug": "china-mission-eu",
            "name": "Mission of China to the European Union",
            "kind": "permanent-mission",
            "sending": "CN",
            "receiving": "EU",
        }
    )
    channels = {c.slug: c for c in [*CHANNELS, mission]}
    lexicon = Lexicon.build(channels, {p.slug: p for p in PARTIES})
    text = (
        "In answer to the expulsion from Brussels of two employees of the Chinese representation."
    )
    named = [(text[m.start : m.end], m.slug) for m in lexicon.channel_mentions(text)]
    assert named == [("representation", "china-mission-eu")]
