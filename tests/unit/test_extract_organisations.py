"""An organisation and a state as reports about them are written: councils that meet (and
the earlier meetings a press point names in passing), offices in the state's capital that
stop work, a contact point named for what may go through it, a member's participation
suspended and the suspension lifted, and background dated by its own year. The texts are
the project's own, about a European Union – Armenia pair declared by code with no aliases."""

from __future__ import annotations

from chancery.domain.dates import UncertainDate
from chancery.domain.parties import Channel, Party
from chancery.extraction.extract import Article, extract
from chancery.extraction.mentions import Lexicon

PARTIES = [Party.model_validate({"code": c}) for c in ("EU", "AM")]


def _channel(slug: str, name: str, kind: str, **structure: str) -> Channel:
    fields = structure or {"parties": ["EU", "AM"]}
    return Channel.model_validate({"slug": slug, "name": name, "kind": kind, **fields})


CHANNELS = [
    _channel("eu-am-partnership-council", "EU-Armenia Partnership Council", "council"),
    _channel("eu-am-cooperation", "EU-Armenia cooperation", "cooperation"),
    _channel(
        "eu-delegation-armenia",
        "EU Delegation to Armenia",
        "information-office",
        sending="EU",
        receiving="AM",
        city="Yerevan",
    ),
    _channel(
        "armenia-mission-eu",
        "Mission of Armenia to the European Union",
        "permanent-mission",
        sending="AM",
        receiving="EU",
    ),
    _channel("armenia-embassy-belgium-contact-point", "Armenian contacts", "contact-point"),
]
LEXICON = Lexicon.build({c.slug: c for c in CHANNELS}, {p.slug: p for p in PARTIES})


def _proposed(text: str, published: str = "2024-06-12") -> list[tuple[str, str, str]]:
    article = Article(text, "report.txt", UncertainDate(edtf=published))
    return sorted((p.type, p.channel, p.date.edtf) for p in extract(article, LEXICON))


def test_what_a_decision_answers_does_not_date_the_decision() -> None:
    for answer in (
        "This is the answer to the decision of the European Union, which in early May",
        "The step is a response to the measure the EU took when, on 2 May, it",
        "It came in retaliation for the decision of Brussels, which on 2 May",
    ):
        text = (
            "Armenia has suspended its cooperation with the EU, the minister said. "
            f"{answer} cut the staff of the Armenian mission."
        )
        found = [p for p in _proposed(text) if p[0] == "cooperation_suspended"]
        assert len(found) == 1, answer
        assert not found[0][2].startswith("2024-05"), answer
    told = "Armenia has suspended its cooperation with the EU. This decision was conveyed on 2 May."
    assert ("cooperation_suspended", "eu-am-cooperation", "2024-05-02") in _proposed(told)


def test_a_contact_point_is_named_by_what_may_or_will_go_through_it() -> None:
    for sentence in (
        "From now on, all contacts with the EU will go through the Armenian embassy in Brussels.",
        "If the EU has urgent business, contacts can be made through the embassy, Armenia said.",
        "Armenia said contacts with the EU may go via its embassy in Belgium.",
    ):
        assert ("contact_point_designated", "armenia-embassy-belgium-contact-point") in [
            (t, c) for t, c, _ in _proposed(sentence)
        ], sentence
    for sentence in (
        "Armenia plans to route contacts with the EU through its embassy in Belgium.",
        "Contacts with the EU will not go through the embassy in Belgium, Armenia said.",
    ):
        assert _proposed(sentence) == [], sentence


def test_a_month_of_last_this_or_next_year_is_that_years_month() -> None:
    for sentence, day in (
        ("When we last met, in March of last year, the Partnership Council was tense.", "2023-03"),
        ("The Partnership Council met in March last year.", "2023-03"),
        ("The Partnership Council met in February this year.", "2024-02"),
    ):
        assert _proposed(sentence) == [("meeting_held", "eu-am-partnership-council", day)]


def test_the_last_meeting_a_press_point_names_in_passing_is_a_meeting() -> None:
    for sentence in (
        "The Partnership Council, last held in November, met again today.",
        "The Partnership Council met today. Our last meeting was in November.",
        "The Partnership Council met today; its previous session took place in November.",
        "The Partnership Council met today, the ministers having last met in November.",
    ):
        days = [d for t, _, d in _proposed(sentence) if t == "meeting_held"]
        assert days == ["2023-11", "2024-06-12"], sentence


def _types(text: str, published: str = "2024-06-12") -> list[tuple[str, str]]:
    return [(t, c) for t, c, _ in _proposed(text, published)]


def test_an_office_that_stops_functioning_is_suspended() -> None:
    for sentence in (
        "The Mission of Armenia to the European Union ceased to function on Monday.",
        "From 1 July will cease functioning the Mission of Armenia to the European Union.",
        "The Mission of Armenia to the European Union stopped functioning on Monday.",
    ):
        assert ("mission_suspended", "armenia-mission-eu") in _types(sentence), sentence


def test_staff_deprived_of_accreditation_are_withdrawn_accreditation() -> None:
    for sentence in (
        "Brussels on Monday deprived of accreditation four employees of the Armenian mission.",
        "The EU deprived four Armenian diplomats of their accreditation on Monday.",
    ):
        assert ("accreditation_withdrawn", "armenia-mission-eu") in _types(sentence), sentence


def test_a_mission_launched_or_deployed_is_established() -> None:
    for sentence in (
        "EU-Armenia cooperation was launched in Yerevan in May 2009.",
        "The EU Delegation to Armenia was deployed in July 2014.",
        "The deployment of the EU Delegation to Armenia in July 2014 was welcomed.",
    ):
        assert [t for t, _ in _types(sentence)] == ["channel_established"], sentence


def test_a_members_participation_or_membership_is_the_pairs_cooperation() -> None:
    for sentence in (
        "The EU suspended the participation of Armenia in all its programmes on Monday.",
        "Armenia said on Monday it was suspending its membership of the EU programme.",
    ):
        assert _types(sentence) == [("cooperation_suspended", "eu-am-cooperation")], sentence


def test_a_permanent_representative_is_the_head_of_a_permanent_mission() -> None:
    for sentence in (
        "Armenia on Monday called its permanent representative to the EU home.",
        "Armenia recalled its Permanent Representative to the European Union on Monday.",
    ):
        assert _types(sentence) == [("head_of_mission_recalled", "armenia-mission-eu")], sentence


def test_a_decision_for_later_is_dated_when_said_even_when_the_day_comes_after_it() -> None:
    text = (
        "From 1 July will cease to function the Mission of Armenia to the European Union, "
        "declared on Monday the minister."
    )
    assert _proposed(text) == [("mission_suspended", "armenia-mission-eu", "2024-06-10")]


def test_its_is_the_subjects_not_a_possessive_named_after_it() -> None:
    text = (
        "Armenia said on Monday it was leaving the European Union's programme and calling "
        "its permanent representative to the EU home."
    )
    assert ("head_of_mission_recalled", "armenia-mission-eu") in _types(text)
    text = (
        "Armenia's foreign minister said on Monday its permanent representative to the EU "
        "was recalled."
    )
    assert ("head_of_mission_recalled", "armenia-mission-eu") in _types(text)


def test_a_posts_first_head_accredited_or_appointed_opens_it() -> None:
    for sentence, day in (
        ("Armenia accredited its first permanent representative to the EU in 1996.", "1996"),
        ("In 1996 Armenia appointed its first ambassador to the European Union.", "1996"),
        ("Armenia accredited a permanent representative to the EU in March 1996.", "1996-03"),
    ):
        assert _proposed(sentence) == [("channel_established", "armenia-mission-eu", day)]
    text = "Armenia accredited a new permanent representative to the EU on Monday."
    assert _proposed(text) == []


def _actors(text: str) -> list[tuple[str, str, str | None]]:
    article = Article(text, "report.txt", UncertainDate(edtf="2024-06-12"))
    return [(p.type, p.actor, p.target) for p in extract(article, LEXICON)]


def test_the_agent_of_a_passive_acts_and_a_counterpart_is_acted_on() -> None:
    by_armenia = ("cooperation_suspended", "armenia", "european-union")
    for sentence in (
        "Cooperation with the EU was suspended on Monday by the Armenian government.",
        "EU-Armenia cooperation was suspended on Monday by decision of Armenia.",
        "Cooperation with the EU was suspended on Monday, the Foreign Secretary announced.",
    ):
        assert _actors(sentence) == [by_armenia], sentence
    by_eu = ("cooperation_suspended", "european-union", "armenia")
    for sentence in (
        "Cooperation with Armenia was suspended on Monday, as announced by the Commission.",
        "Armenia said on Monday that cooperation was suspended by the European Union.",
    ):
        assert _actors(sentence) == [by_eu], sentence


FIELD_MISSION = _channel(
    "eu-monitoring-mission-armenia",
    "EU Monitoring Mission in Armenia",
    "mission",
    sending="EU",
    receiving="AM",
    city="Yeghegnadzor",
)
WITH_FIELD_MISSION = Lexicon.build(
    {c.slug: c for c in [*CHANNELS, FIELD_MISSION]}, {p.slug: p for p in PARTIES}
)


def test_a_post_noun_with_no_side_is_the_post_of_its_kind_last_named() -> None:
    lexicon = WITH_FIELD_MISSION
    text = (
        "Armenia's mission to the EU was briefed on Monday. The EU Monitoring Mission in "
        "Armenia halted its patrols on Monday. The mission had been deployed in February 2023."
    )
    article = Article(text, "report.txt", UncertainDate(edtf="2024-06-12"))
    opened = [(p.channel, p.date.edtf) for p in extract(article, lexicon)]
    assert ("eu-monitoring-mission-armenia", "2023-02") in opened
    assert not any(slug == "armenia-mission-eu" for slug, _ in opened)


def test_a_state_held_since_a_year_is_the_change_of_that_year() -> None:
    for sentence, day in (
        ("EU-Armenia cooperation has been suspended since 2014.", "2014"),
        ("EU-Armenia cooperation has remained frozen since April 2014, the EU said.", "2014-04"),
        ("The EU said cooperation with Armenia remains suspended since 2014.", "2014"),
        ("The EU has kept its cooperation with Armenia suspended since 2014.", "2014"),
    ):
        assert _proposed(sentence) == [("cooperation_suspended", "eu-am-cooperation", day)]
    assert _proposed("The EU said cooperation with Armenia remains suspended.") == []


def test_a_post_that_ceases_to_operate_and_staff_who_lose_accreditation() -> None:
    text = "The Mission of Armenia to the European Union will cease to operate on 1 July."
    assert _types(text) == [("mission_suspended", "armenia-mission-eu")]
    text = "Four Armenian diplomats lost their accreditation in Brussels on Monday."
    assert _types(text) == [("accreditation_withdrawn", "armenia-mission-eu")]


def test_posts_listed_after_an_inverted_passive_each_take_the_words_reading_on_their_kind() -> None:
    text = (
        "Since Monday is terminated the activity of the EU Monitoring Mission in Armenia and of "
        "the EU Delegation to Armenia, reports the ministry."
    )
    article = Article(text, "report.txt", UncertainDate(edtf="2024-06-12"))
    assert sorted((p.type, p.channel) for p in extract(article, WITH_FIELD_MISSION)) == [
        ("mission_suspended", "eu-monitoring-mission-armenia"),
        ("office_closed", "eu-delegation-armenia"),
    ]


def test_a_date_a_relative_clause_holds_since_does_not_date_the_main_clause() -> None:
    text = (
        "The EU Delegation to Armenia, which has worked in Yerevan since 2001, is to be "
        "closed, the ministry said on Monday."
    )
    assert _proposed(text) == [("office_closed", "eu-delegation-armenia", "2024-06-10")]


def test_a_repost_dateline_in_title_case_is_the_day_relative_words_count_from() -> None:
    for head in ("Yerevan, 10 June.", "Yerevan, June 10."):
        text = f"Armenia quits\n\n{head} Armenia suspended cooperation with the EU yesterday."
        assert _proposed(text) == [("cooperation_suspended", "eu-am-cooperation", "2024-06-09")]
    text = "Armenia quits EU cooperation\n\nArmenia suspended cooperation with the EU yesterday."
    assert _proposed(text) == [("cooperation_suspended", "eu-am-cooperation", "2024-06-11")]


def test_a_member_suspended_from_readmitted_to_an_organisations_activities() -> None:
    for sentence, type_ in (
        ("The EU suspended Armenia from all EU activities on Monday.", "cooperation_suspended"),
        ("Armenia was readmitted to all EU activities on Monday.", "cooperation_resumed"),
        ("The EU lifted the suspension of Armenia's participation.", "cooperation_resumed"),
        ("Armenia's participation was reinstated by the EU on Monday.", "cooperation_resumed"),
    ):
        assert _types(sentence) == [(type_, "eu-am-cooperation")], sentence
    text = "The activities of the Mission of Armenia to the European Union were halted on Monday."
    assert _types(text) == [("mission_suspended", "armenia-mission-eu")]


def test_through_a_post_is_the_pairs_one_contact_point_when_offered() -> None:
    for sentence in (
        '"If the EU has urgent matters, it can address them through our ambassador in Belgium,"'
        " the Armenian minister said on Monday.",
        "Armenia said on Monday the EU could reach it via the Armenian embassy in Brussels.",
    ):
        assert _types(sentence) == [
            ("contact_point_designated", "armenia-embassy-belgium-contact-point")
        ], sentence
    text = "Armenia delivered its note to the EU through its embassy in Brussels on Monday."
    assert _types(text) == []


def test_an_action_noun_subject_of_an_auxiliary_acts_on_nothing_after_its_verb() -> None:
    for sentence in (
        "The suspension does not affect the work of the EU Delegation to Armenia.",
        "The suspension will not change the status of the EU Delegation to Armenia.",
        "Its expulsion did little harm to the Mission of Armenia to the European Union.",
    ):
        assert _types(sentence) == [], sentence
    text = "The closure of the EU Delegation to Armenia was announced on Monday."
    assert _types(text) == [("office_closed", "eu-delegation-armenia")]


def test_each_month_of_a_list_a_preposition_opens_is_a_date() -> None:
    for sentence in (
        "The Partnership Council met on Monday. It had also met in January and March.",
        "The Partnership Council met on Monday, after meetings in January and March.",
    ):
        days = sorted(d for t, _, d in _proposed(sentence) if t == "meeting_held")
        assert days == ["2024-01", "2024-03", "2024-06-10"], sentence
    text = "The Partnership Council met on Monday; Theresa May and June Smith spoke."
    assert [d for _, _, d in _proposed(text)] == ["2024-06-10"]


def test_a_transcript_meets_in_the_council_its_title_names() -> None:
    text = (
        "Remarks after the EU-Armenia Partnership Council\n\n"
        "HIGH REPRESENTATIVE: We met today for the fifth time. Our last meeting was in November."
    )
    days = sorted(d for t, _, d in _proposed(text) if t == "meeting_held")
    assert days == ["2023-11", "2024-06-12"]
    untitled = "Remarks to the press\n\nHIGH REPRESENTATIVE: We met today for the fifth time."
    assert _proposed(untitled) == []


def test_a_suspension_told_as_lifted_is_the_lifting_only() -> None:
    for sentence in (
        "The suspension of Armenia's cooperation with the EU was lifted on Tuesday.",
        "The suspension of the EU's cooperation with Armenia has been lifted, Brussels said.",
        "The EU lifted the suspension of its cooperation with Armenia on Tuesday.",
    ):
        assert [t for t, _, _ in _proposed(sentence)] == ["cooperation_resumed"], sentence
    told = "The EU suspended its cooperation with Armenia in 2021; the suspension was lifted today."
    assert [t for t, _, _ in _proposed(told)] == ["cooperation_resumed", "cooperation_suspended"]


def test_a_party_that_may_contact_an_ambassador_designates_no_contact_point() -> None:
    for sentence in (
        "If the EU has questions, it can contact our ambassador in Belgium, the minister said.",
        "The EU may reach the Armenian ambassador in Belgium if it needs to, Armenia said.",
    ):
        assert _proposed(sentence) == [], sentence


def test_a_mission_whose_mandate_ended_or_was_not_extended_is_closed() -> None:
    for sentence in (
        "The mandate of the EU Delegation to Armenia expired on 30 May and was not extended.",
        "The mandate of the EU Delegation to Armenia was not renewed beyond 30 May.",
        "The EU Delegation to Armenia's mandate ended on 30 May.",
    ):
        assert _proposed(sentence) == [("office_closed", "eu-delegation-armenia", "2024-05-30")], (
            sentence
        )
    for sentence in (
        "The EU Delegation to Armenia, whose mandate ends in December, will keep working.",
        "The mandate of the EU Delegation to Armenia has not expired.",
        "The mandate of the EU Delegation to Armenia was extended until December.",
    ):
        assert _proposed(sentence) == [], sentence
