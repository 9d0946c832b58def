"""The extractor's stages one by one (segmentation, mentions, triggers and pairing, dating,
numbers, actors, merging), each on the smallest input that shows what it does. The texts are
the project's own, about a Kenya–Somalia pair declared by code with no aliases."""

from __future__ import annotations

import pytest
from chancery.domain.dates import UncertainDate
from chancery.domain.parties import Channel, Party
from chancery.extraction.actors import actor_and_target
from chancery.extraction.dates import find_dates
from chancery.extraction.dating import ArticleDates
from chancery.extraction.extract import Article, extract, is_announced, listed_dates
from chancery.extraction.mentions import Lexicon
from chancery.extraction.merging import merge
from chancery.extraction.modality import is_negated
from chancery.extraction.numbers import proposal_numbers
from chancery.extraction.pairing import MentionIndex, sentence_hits
from chancery.extraction.proposal import Proposal, Quote
from chancery.extraction.segment import sentences

PARTIES = [Party.model_validate({"code": c}) for c in ("KE", "SO")]


def _post(kind: str, sending: str, receiving: str, city: str) -> Channel:
    return Channel.model_validate(
        {"kind": kind, "sending": sending, "receiving": receiving, "city": city}
    )


CHANNELS = [
    _post("embassy", "KE", "SO", "Mogadishu"),
    _post("embassy", "SO", "KE", "Nairobi"),
    _post("consulate", "KE", "SO", "Hargeisa"),
    _post("consulate", "KE", "SO", "Kismayo"),
    _post("consulate", "KE", "SO", "Garowe"),
    _post("consulate", "KE", "SO", "Beled Hawo"),
    Channel.model_validate(
        {
            "slug": "ke-so-dialogue",
            "name": "Kenya–Somalia dialogue",
            "kind": "dialogue",
            "parties": ["KE", "SO"],
        }
    ),
    Channel.model_validate(
        {
            "slug": "ke-so-relations",
            "name": "Kenya–Somalia relations",
            "kind": "relations",
            "parties": ["KE", "SO"],
        }
    ),
]
LEXICON = Lexicon.build({c.slug: c for c in CHANNELS}, {p.slug: p for p in PARTIES})
SLUG = {(c.kind.value, c.city): c.slug for c in CHANNELS if c.city}
PUBLISHED = UncertainDate(edtf="2024-03-08")


def _hits(text: str) -> list[tuple[str, str]]:
    sents = sentences(text)
    where = MentionIndex(sents, LEXICON.channel_mentions(text, sents))
    triggers = LEXICON.triggers_in(text)
    return sorted(
        (hit.type, hit.channel)
        for index in range(len(sents))
        for hit in sentence_hits(LEXICON, text, where, index, is_negated, triggers)
    )


def _dates(text: str) -> ArticleDates:
    return ArticleDates.read(text, sentences(text), PUBLISHED)


def test_segmentation_keeps_paragraphs_apart_and_the_dateline_out_of_quotes() -> None:
    text = "NAIROBI, March 8 (Wire) — Kenya acted. Somalia replied.\nA new paragraph."
    found = [(text[s.start : s.end], s.paragraph) for s in sentences(text)]
    assert found == [("Kenya acted.", 0), ("Somalia replied.", 0), ("A new paragraph.", 1)]


def test_mentions_read_a_list_of_posts_as_one_mention_of_each() -> None:
    text = "Somalia closed Kenya's consulates in Hargeisa, Kismayo and Garowe."
    mentions = LEXICON.channel_mentions(text)
    assert {m.slug for m in mentions} == {
        SLUG["consulate", c] for c in ("Hargeisa", "Kismayo", "Garowe")
    }
    assert all(len(m.group) == 3 for m in mentions)


def test_one_trigger_proposes_every_post_of_the_list_it_is_paired_with() -> None:
    text = "Somalia closed Kenya's consulates in Hargeisa, Kismayo and Garowe."
    assert _hits(text) == [
        ("post_closed", SLUG["consulate", c]) for c in sorted(("Garowe", "Hargeisa", "Kismayo"))
    ]


def test_one_trigger_proposes_each_post_the_sentence_enumerates_after_its_object() -> None:
    text = (
        "Somalia expelled 12 Kenyan diplomats, ten of the embassy and two of the consulate "
        "in Garowe."
    )
    assert _hits(text) == [
        ("accreditation_withdrawn", SLUG["consulate", "Garowe"]),
        ("accreditation_withdrawn", SLUG["embassy", "Mogadishu"]),
    ]


def test_a_number_for_several_posts_is_no_one_posts_number() -> None:
    text = "Somalia expelled 12 Kenyan diplomats from the embassy and the consulate in Garowe."
    proposals = extract(Article(text, "r.txt", PUBLISHED), LEXICON)
    assert len(proposals) == 2 and all(p.count is None for p in proposals)


def test_each_post_of_a_list_takes_the_number_written_right_before_it() -> None:
    text = (
        "Somalia declared 12 Kenyans persona non grata, among them ten employees of the embassy"
        " in Mogadishu and two of the consulate in Garowe."
    )
    proposals = extract(Article(text, "r.txt", PUBLISHED), LEXICON)
    counts = {p.channel: p.count for p in proposals}
    assert counts == {
        SLUG[("embassy", "Mogadishu")]: 10,
        SLUG[("consulate", "Garowe")]: 2,
    }


def test_a_list_after_the_object_ends_where_a_new_clause_begins() -> None:
    text = (
        "Somalia said that the Embassy of Kenya in Mogadishu is to reduce its staff to 12"
        " and that the activity of the Consulate of Kenya in Hargeisa is terminated."
    )
    assert _hits(text) == [
        ("post_closed", SLUG[("consulate", "Hargeisa")]),
        ("staff_cap_changed", SLUG[("embassy", "Mogadishu")]),
    ]


def test_a_passive_trigger_lists_nothing_after_it() -> None:
    text = (
        "The accreditation of Kenya's diplomats was revoked, as the consulate in Garowe was shut."
    )
    assert ("accreditation_withdrawn", SLUG["consulate", "Garowe"]) not in _hits(text)


def test_an_active_trigger_prefers_its_object_to_a_cause_named_before_it() -> None:
    text = (
        "The Somali side in answer to expulsion from Kenya of 12 Somali diplomats declared "
        "persona non grata 12 employees of Kenyan diplomatic missions."
    )
    hits = _hits(text)
    assert ("accreditation_withdrawn", SLUG["embassy", "Mogadishu"]) in hits
    assert ("accreditation_withdrawn", SLUG["embassy", "Nairobi"]) in hits  # the expulsion


def test_a_city_written_with_hyphens_is_the_declared_city() -> None:
    assert _hits("Somalia closed the Kenyan consulate in Beled-Hawo.") == [
        ("post_closed", SLUG["consulate", "Beled Hawo"])
    ]


def test_a_sentence_naming_no_channel_carries_its_paragraphs_post_not_its_people() -> None:
    embassy = SLUG["embassy", "Mogadishu"]
    text = "Somalia summoned Kenya's ambassador. It also suspended the embassy. Work was halted."
    assert ("post_operations_suspended", embassy) in _hits(text)
    people = "Kenya's ambassador in Mogadishu was asked to leave. Trade stands suspended."
    assert ("post_operations_suspended", embassy) not in _hits(people)


def test_a_word_for_the_pair_with_one_party_named_is_its_one_channel_of_that_kind() -> None:
    assert ("relations_downgraded", "ke-so-relations") in _hits(
        "The cabinet decided today to downgrade diplomatic relations with Kenya."
    )


def test_a_trigger_denied_in_its_clause_pairs_with_nothing() -> None:
    assert _hits("Somalia has not closed the Kenyan consulate in Garowe.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Somalia ordered two Kenyan diplomats out of Mogadishu.", "accreditation_withdrawn"),
        ("Two Kenyan diplomats were told to leave Mogadishu.", "accreditation_withdrawn"),
        (
            "Somalia ordered the remaining staff of the Kenyan embassy out of the country.",
            "accreditation_withdrawn",
        ),
        ("Kenya's ambassador was called in by the Somali ministry.", "head_of_mission_summoned"),
        ("Nairobi recalled its ambassador from Mogadishu.", "head_of_mission_recalled"),
        ("Nairobi pulled its envoy out of Mogadishu.", "head_of_mission_recalled"),
        ("Kenya's envoy in Mogadishu was recalled on Monday.", "head_of_mission_recalled"),
        ("Kenya sent its ambassador back to Mogadishu.", "head_of_mission_returned"),
        ("Somalia severed relations with Kenya.", "relations_severed"),
        ("Somalia broke off relations with Kenya.", "relations_severed"),
        ("Somalia withdrew its consent to Kenya's consulate in Garowe.", "post_consent_withdrawn"),
        ("Somalia capped Kenya's embassy, bringing it down to 20.", "staff_cap_changed"),
        ("Nairobi brought the Somali embassy staff into parity with its own.", "staff_cap_changed"),
        ("Kenya withdrew an invitation to Somalia to hold talks.", "invitation_revoked"),
        ("Kenyan diplomats were given 48 hours to leave Somalia.", "accreditation_withdrawn"),
        ("Kenya's ambassador in Mogadishu has been told to pack.", "accreditation_withdrawn"),
        ("Somalia told the Kenyan envoy to pack his bags.", "accreditation_withdrawn"),
        ("Kenya's ambassador in Mogadishu was shown the door.", "accreditation_withdrawn"),
        ("Somalia gave the Kenyan ambassador his marching orders.", "accreditation_withdrawn"),
        ("Somalia declared two Kenyan diplomats unwelcome persons.", "accreditation_withdrawn"),
        ("Somalia gave three Kenyan diplomats a week to leave.", "accreditation_withdrawn"),
        ("Two Somali diplomats were declared personae non gratae.", "accreditation_withdrawn"),
        ("Kenya's ambassador was called to the foreign ministry.", "head_of_mission_summoned"),
        ("The Ambassador of Kenya in Somalia is recalled to Nairobi.", "head_of_mission_recalled"),
    ],
)
def test_trigger_words_come_by_verb_family_active_passive_and_with_an_object_between(
    text: str, expected: str
) -> None:
    assert expected in {type_ for type_, _ in _hits(text)}


def test_a_nominal_subject_far_from_its_passive_predicate_is_one_trigger() -> None:
    """The noun's complement may name the post, many words long; the predicate carries the
    tense ("will be withdrawn" is announced) and the negation."""
    consent = (
        "The consent given by the Federal Government to the opening and operation of the"
        " Consulate of Kenya in Hargeisa {} withdrawn."
    )
    hargeisa = SLUG[("consulate", "Hargeisa")]
    assert _hits(consent.format("has been")) == [("post_consent_withdrawn", hargeisa)]
    assert _hits(consent.format("has not been")) == []
    text = consent.format("will be")
    start = text.index("withdrawn")
    assert is_announced(text, start, start + len("withdrawn"), 0)


def test_an_obligation_delivered_in_a_note_is_an_order() -> None:
    text = (
        "Somalia's foreign ministry handed the Kenyan side a note, in which it is said that the"
        " Embassy of Kenya in Mogadishu must reduce its staff to 12 persons."
    )
    (cap,) = extract(Article(text, "note", PUBLISHED), LEXICON)
    assert (cap.type, cap.to_cap, cap.announced) == ("staff_cap_changed", 12, True)
    demand = "Somalia said that the Embassy of Kenya in Mogadishu must reduce its staff to 12."
    assert extract(Article(demand, "demand", PUBLISHED), LEXICON) == []


def test_a_future_in_another_clause_leaves_a_done_action_done() -> None:
    text = (
        "The consent to the opening of the Consulate of Kenya in Hargeisa has been withdrawn"
        " today, and its officers have been told they must leave Somalia by the end of the month."
    )
    (withdrawn,) = extract(Article(text, "consent", PUBLISHED), LEXICON)
    assert (withdrawn.type, withdrawn.announced) == ("post_consent_withdrawn", False)
    assert withdrawn.date.edtf == PUBLISHED.edtf


def test_a_later_sentence_that_speaks_of_the_decision_dates_it() -> None:
    decision = (
        "Somalia has decided that the Embassy of Kenya in Mogadishu is to be closed.\n"
        "The foreign minister conveyed {} to the Kenyan ambassador on 4 March."
    )
    (closed,) = extract(Article(decision.format("this decision"), "later", PUBLISHED), LEXICON)
    assert closed.date.edtf == "2024-03-04"
    translated = decision.split("\n")[0] + " About it the minister has informed on 4 March."
    (closed,) = extract(Article(translated, "translated", PUBLISHED), LEXICON)
    assert closed.date.edtf == "2024-03-04"
    (other,) = extract(Article(decision.format("a protest"), "other", PUBLISHED), LEXICON)
    assert other.date.edtf == PUBLISHED.edtf
    listed = (
        "Somalia has decided the following: the closure of the Embassy of Kenya in Mogadishu;"
        " the return of its own ambassador, who was recalled in January.\n"
        "The minister announced these measures on 4 March."
    )
    proposals = extract(Article(listed, "listed", PUBLISHED), LEXICON)
    assert {p.type: p.date.edtf for p in proposals}["post_closed"] == "2024-03-04"


@pytest.mark.parametrize(
    "text",
    [
        "Calls to close the Kenyan embassy in Mogadishu are growing in parliament.",
        "Opposition demands for the expulsion of Kenyan diplomats from Mogadishu grew louder.",
    ],
)
def test_a_call_or_demand_for_an_action_is_no_action(text: str) -> None:
    assert extract(Article(text, "call", PUBLISHED), LEXICON) == []


@pytest.mark.parametrize("predicate", ["has not been discussed", "is being debated"])
def test_an_action_noun_only_talked_about_is_no_action(predicate: str) -> None:
    text = f"An expulsion of Kenyan diplomats from Mogadishu {predicate}."
    assert extract(Article(text, "talk", PUBLISHED), LEXICON) == []


def test_a_state_is_no_change_and_remembering_is_no_recall() -> None:
    assert _hits("Kenya's consulate in Garowe remains closed.") == []
    assert _hits("Kenya's ambassador recalled the talks of 2019 in Mogadishu.") == []


def test_dating_takes_the_sentence_date_else_the_announcement_day_else_nothing() -> None:
    text = "Somalia expelled Kenya's ambassador on 2 March.\nKenya will close its embassy."
    dates = _dates(text)
    at = text.index("expelled")
    done = dates.date_action(0, at, at + 8, speech_act=False, intent=False)
    assert done is not None and done.dates[0].edtf == "2024-03-02" and not done.assumed
    at = text.index("close")
    announced = dates.date_action(1, at, at + 5, speech_act=False, intent=True, announced=True)
    assert announced is not None and announced.dates[0].edtf == "2024-03-08"
    assert dates.date_action(1, at, at + 5, speech_act=False, intent=True) is None  # a plan


def test_a_list_of_dates_gives_each_occurrence_its_own_date() -> None:
    text = "The commission met on Friday, after sessions on 25 January and 5 July."
    found = find_dates(text, 0, len(text), PUBLISHED, None)
    first = next(f.date for f in found if f.date.edtf == "2024-01-25")
    assert [d.edtf for d in listed_dates(text, found, first)] == ["2024-01-25", "2023-07-05"]
    friday = next(f.date for f in found if text[f.start : f.end] == "on Friday")
    assert listed_dates(text, found, friday) == [friday]  # a comma and a clause: no list


def test_numbers_count_people_expelled_and_caps_and_nothing_else() -> None:
    text = "Kenya expelled 14 Somali diplomats and capped the embassy at 30 staff."
    end = len(text)
    assert proposal_numbers(text, 0, end, 6, "accreditation_withdrawn", []).count == 14
    caps = proposal_numbers(text, 0, end, text.index("capped"), "staff_cap_changed", []).caps
    assert caps.to_cap == 30
    assert proposal_numbers(text, 0, end, 6, "post_closed", []).count is None
    capped = "Kenya expelled two Somali diplomats and capped the embassy at 30 staff."
    assert proposal_numbers(capped, 0, len(capped), 6, "accreditation_withdrawn", []).count == 2


def test_the_receiving_state_is_the_actor_of_an_expulsion_whoever_the_sentence_names() -> None:
    text = "Somali diplomats were expelled from Nairobi on Friday."
    sents = sentences(text)
    where = MentionIndex(sents, LEXICON.channel_mentions(text, sents))
    channel = LEXICON.channels[SLUG["embassy", "Nairobi"]]
    start = text.index("expelled")
    actor, target = actor_and_target(
        LEXICON, text, sents[0], "accreditation_withdrawn", channel, (start, start), where, None
    )
    assert (actor, target) == (channel.receiving_party, channel.sending_party)


def test_the_state_that_orders_a_post_closed_acts_on_the_post_of_the_other() -> None:
    (p,) = extract(
        Article("Somalia ordered the Kenyan consulate in Garowe to close.", "r.txt", PUBLISHED),
        LEXICON,
    )
    assert (p.type, p.channel, p.actor, p.target) == (
        "post_closed",
        SLUG["consulate", "Garowe"],
        "somalia",
        "kenya",
    )


def test_the_state_that_orders_another_to_close_its_post_is_the_actor() -> None:
    text = "Kenya ordered Somalia to close its embassy in Nairobi."
    (p,) = extract(Article(text, "r.txt", PUBLISHED), LEXICON)
    assert (p.type, p.channel, p.actor) == ("post_closed", SLUG["embassy", "Nairobi"], "kenya")


def _proposal(start: int, day: str, assumed: bool = False, own: bool = True) -> Proposal:
    quote = Quote("x", start, start + 1)
    return Proposal(
        type="post_closed",
        channel=SLUG["consulate", "Garowe"],
        actor="kenya",
        target="somalia",
        date=UncertainDate(edtf=day),
        quote=quote,
        confidence=0.8,
        date_assumed=assumed,
        dated_in_sentence=own,
        quotes=[quote],
    )


def test_merging_folds_a_restatement_into_the_action_keeping_the_precise_date() -> None:
    (merged,) = merge([_proposal(0, "2023-03-08/2024-03-08", True), _proposal(50, "2024-03-05")])
    assert merged.date.edtf == "2024-03-05" and not merged.date_assumed
    assert [q.start for q in merged.quotes] == [0, 50]


def test_a_later_sentence_not_dated_itself_restates_the_action_and_keeps_its_date() -> None:
    """The lede dates the closure; a later paragraph, dated only by the article's day,
    restates it: one action, of the lede's date."""
    (merged,) = merge([_proposal(0, "2024-03-05"), _proposal(80, "2024-03-08", own=False)])
    assert merged.date.edtf == "2024-03-05" and len(merged.quotes) == 2
    two = merge([_proposal(0, "2024-03-05"), _proposal(80, "2024-03-08")])
    assert len(two) == 2  # each dated by its own sentence: two closures


def test_a_firm_future_is_announced_an_unreported_would_is_an_opinion() -> None:
    def announced(text: str) -> bool:
        at = text.index("close")
        return is_announced(text, at, at + 5, 0)

    assert announced("Somalia will close the consulate in Garowe.")
    assert announced("The ministry said Somalia would close the consulate in Garowe.")
    assert not announced("Some MPs would go further and close the consulate in Garowe.")
    assert not announced("Somalia would close the consulate in Garowe if provoked.")
    assert not announced("Somalia closed the consulate in Garowe.")
