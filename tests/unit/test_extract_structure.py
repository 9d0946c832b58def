"""The extractor's structural stages: party words, post nouns, their sending and receiving
parties and cities, lists of posts, pair channels, and the organisation guard. Texts are the
project's own, about a France–India pair declared by code with no aliases."""

from __future__ import annotations

from datetime import date

from chancery.domain.dates import UncertainDate
from chancery.domain.parties import Channel, Party
from chancery.domain.registry import Registry
from chancery.extraction import Article, Lexicon, extract
from chancery.extraction.extract import sentences
from chancery.extraction.structure import (
    Names,
    noun_key,
    structural_mentions,
)

PARTIES = [Party.model_validate({"code": c}) for c in ("FR", "IN", "NATO", "LT", "BY")]


def _post(kind: str, sending: str, receiving: str, city: str | None = None) -> Channel:
    raw: dict[str, object] = {"kind": kind, "sending": sending, "receiving": receiving}
    if city:
        raw["city"] = city
    return Channel.model_validate(raw)


CHANNELS = [
    _post("embassy", "FR", "IN", "New Delhi"),
    _post("embassy", "IN", "FR", "Paris"),
    _post("consulate-general", "FR", "IN", "Mumbai"),
    _post("consulate-general", "FR", "IN", "Kolkata"),
    _post("consulate-general", "FR", "IN", "Bengaluru"),
    _post("consulate", "IN", "FR", "Lyon"),
    _post("permanent-mission", "FR", "NATO"),
    _post("consulate-general", "LT", "BY", "Grodno"),
    _post("consulate-general", "LT", "BY", "Vitebsk"),
    _post("consulate", "BY", "LT", "Klaipėda"),
    _post("consulate", "BY", "LT", "Siauliai"),
    Channel.model_validate(
        {
            "slug": "fr-in-dialogue",
            "name": "France–India dialogue",
            "kind": "dialogue",
            "parties": ["FR", "IN"],
        }
    ),
    Channel.model_validate(
        {
            "slug": "fr-in-relations",
            "name": "France–India relations",
            "kind": "relations",
            "parties": ["FR", "IN"],
        }
    ),
]
REGISTRY = Registry.build(PARTIES, CHANNELS)
NAMES = Names.build(REGISTRY)
SLUG = {(c.kind.value, c.sending_party, c.city): c.slug for c in CHANNELS if c.sending}


def mentioned(text: str) -> list[tuple[str, tuple[str, ...]]]:
    spans = [(s.start, s.end, s.paragraph) for s in sentences(text)]
    found = structural_mentions(text, spans, NAMES.find(text), REGISTRY)
    return [(text[m.start : m.end], m.slugs) for m in found]


def test_a_demonym_before_people_names_the_sending_state_and_the_other_party_receives() -> None:
    """ "France sent home nine Indian diplomats": India's embassy in France, with no alias."""
    found = mentioned("France sent home nine Indian diplomats after the affair.")
    assert found == [("diplomats", (SLUG["embassy", "india", "Paris"],))]


def test_possessive_and_city_select_a_post_by_kind_sending_and_city() -> None:
    found = mentioned("Delhi withdrew consent for France's consulate-general in Kolkata.")
    assert found == [("consulate-general", (SLUG["consulate-general", "france", "Kolkata"],))]


def test_one_noun_lists_every_post_it_names() -> None:
    text = "France paused visa services at its consulates in Mumbai, Kolkata and Bengaluru."
    [(word, slugs)] = mentioned(text)
    assert word == "consulates"
    assert set(slugs) == {
        SLUG["consulate-general", "france", city] for city in ("Mumbai", "Kolkata", "Bengaluru")
    }


def test_a_list_may_repeat_its_preposition_and_of_a_city_is_the_city() -> None:
    mumbai, kolkata = (SLUG["consulate-general", "france", c] for c in ("Mumbai", "Kolkata"))
    [(_, slugs)] = mentioned("France reopened its consulates in Mumbai and in Kolkata.")
    assert set(slugs) == {mumbai, kolkata}
    assert mentioned("The French consulate of Kolkata stays shut.") == [("consulate", (kolkata,))]


def test_a_part_of_the_posts_names_none_until_a_list_of_that_many_follows() -> None:
    """ "two of its three consulates" does not say which: none is named, unless the next
    sentences list two of them, which the part then names."""
    assert mentioned("India ordered France to close two of its three consulates.") == []
    text = (
        "India ordered France to close two of its three consulates.\n"
        "The consulates in Mumbai and Kolkata must shut within a month."
    )
    two = {SLUG["consulate-general", "france", c] for c in ("Mumbai", "Kolkata")}
    assert [(word, set(slugs)) for word, slugs in mentioned(text)] == [
        ("consulates", two),
        ("consulates", two),
    ]


def test_its_is_the_subject_not_a_party_word_that_owns_a_post() -> None:
    """In "Paris expels nine Indian embassy staff, recalls its ambassador", "Indian" owns the
    embassy; "its" is the subject's, France's."""
    found = mentioned("Paris expels nine Indian embassy staff, recalls its ambassador from Delhi.")
    assert found[-1] == ("ambassador", (SLUG["embassy", "france", "New Delhi"],))


def test_posts_in_the_plural_are_every_post_of_the_sending_state_there() -> None:
    [(_, slugs)] = mentioned("The staff of the French posts in India shall be limited to 90.")
    assert set(slugs) == {s for (kind, party, _), s in SLUG.items() if party == "france"} - {
        SLUG.get(("permanent-mission", "france", None))
    }
    assert mentioned("The French ambassador is back at his post in India.")[-1][0] != "post"


def test_an_ambiguous_singular_post_is_not_guessed() -> None:
    """Three French consulates-general in India: "a French consulate" names none of them."""
    assert mentioned("Police stood outside a French consulate in India.") == []


def test_a_bare_post_noun_is_the_post_the_article_last_named() -> None:
    text = (
        "India summoned the French ambassador on Monday.\n\n"
        "Later the embassy said it had received the note."
    )
    embassy = SLUG["embassy", "france", "New Delhi"]
    assert mentioned(text) == [("ambassador", (embassy,)), ("embassy", (embassy,))]


def test_bare_people_nouns_name_no_post() -> None:
    assert mentioned("Several retired diplomats wrote to the newspaper.") == []


def test_a_mission_to_an_organisation_needs_the_organisation_in_reach() -> None:
    """France's permanent mission to NATO is declared; "the French mission" in a text about
    India is the embassy, and with NATO named it is the mission to NATO."""
    assert mentioned("India praised the French mission for its help.") == [
        ("mission", (SLUG["embassy", "france", "New Delhi"],))
    ]
    assert mentioned("NATO thanked the French mission for its help.") == [
        ("mission", (SLUG["permanent-mission", "france", None],))
    ]


def test_pair_words_name_the_pair_channel_and_defer_to_a_named_one() -> None:
    found = mentioned("France and India restored full diplomatic relations.")
    assert found == [("relations", ("fr-in-relations",))]
    spans = [(0, 40, 0)]
    text = "France and India resumed their dialogue."
    assert structural_mentions(text, spans, NAMES.find(text), REGISTRY, [0]) == []


def test_noun_keys_fold_plurals_and_spellings() -> None:
    assert noun_key("Consulates-General") == "consulate general"
    assert noun_key("embassies") == "embassy"
    assert noun_key("general consulate") == "general consulate"
    assert noun_key("Ambassadors") == "ambassador"


def test_party_words_keep_their_case_so_a_code_is_not_a_pronoun() -> None:
    registry = Registry.build([Party.model_validate({"code": "US"})], [])
    names = Names.build(registry)
    assert [n.party for n in names.find("Let us see what the US does.")] == ["united-states"]


def test_the_receiving_state_acts_on_an_expulsion_of_the_other_states_diplomats() -> None:
    lexicon = Lexicon.build({c.slug: c for c in CHANNELS}, {p.slug: p for p in PARTIES})
    day = UncertainDate(edtf="2024-05-10", earliest=date(2024, 5, 10), latest=date(2024, 5, 10))
    article = Article("India expelled four French diplomats on Friday.", "x.txt", day)
    [proposal] = extract(article, lexicon)
    assert proposal.type == "accreditation_withdrawn"
    assert proposal.channel == SLUG["embassy", "france", "New Delhi"]
    assert (proposal.actor, proposal.target) == ("india", "france")
    assert proposal.count == 4
    assert proposal.date.edtf == "2024-05-10"


LEXICON = Lexicon.build({c.slug: c for c in CHANNELS}, {p.slug: p for p in PARTIES})
DAY = UncertainDate(edtf="2024-05-10", earliest=date(2024, 5, 10), latest=date(2024, 5, 10))


def proposals(text: str) -> list[tuple[str, str, str]]:
    return [(p.type, p.channel, p.date.edtf) for p in extract(Article(text, "x", DAY), LEXICON)]


def test_people_of_a_post_are_expelled_but_not_closed() -> None:
    """'shut' beside 'French diplomats' closes nothing: people are not a post that closes."""
    assert proposals("India shut a depot used by French diplomats on Friday.") == []


def test_its_names_the_party_named_just_before() -> None:
    """'ordered France to close its consulate in Mumbai': France's, not India's."""
    found = proposals("India on Friday ordered France to close its consulate in Mumbai.")
    assert [(t, c) for t, c, _ in found] == [
        ("post_closed", SLUG["consulate-general", "france", "Mumbai"])
    ]


def test_a_proposal_to_act_is_not_the_act() -> None:
    assert proposals("The ministry proposed expelling ten French diplomats.") == []


def test_a_dateline_with_an_agency_dates_nothing() -> None:
    """'PARIS, May 9 (Agency) —' is the dateline; 'on Thursday' dates the act."""
    text = "PARIS, May 10 (Agency) — France on Thursday expelled two Indian diplomats."
    assert proposals(text) == [
        ("accreditation_withdrawn", SLUG["embassy", "india", "Paris"], "2024-05-09")
    ]


def test_a_dateline_with_the_day_before_the_month_dates_nothing() -> None:
    """'PARIS, 10 May 2024 —' is the dateline too: 'on Thursday' dates the act, not it."""
    text = (
        "PARIS, 10 May 2024 — The closure of the Indian consulate in Lyon, ordered by the"
        " ministry, took effect on Thursday."
    )
    assert proposals(text) == [("post_closed", SLUG["consulate", "india", "Lyon"], "2024-05-09")]


def test_a_recall_and_a_return_named_by_pronoun_and_verb() -> None:
    text = (
        "India recalled its ambassador to France on Monday.\n\n"
        "The Indian ambassador returned to Paris on Thursday."
    )
    embassy = SLUG["embassy", "india", "Paris"]
    assert proposals(text) == [
        ("head_of_mission_recalled", embassy, "2024-05-06"),
        ("head_of_mission_returned", embassy, "2024-05-09"),
    ]


def test_a_present_tense_statement_is_of_the_articles_day() -> None:
    """A ministry's 'are declared persona non grata' does it on the day it is said."""
    found = proposals(
        "Three staff of the Embassy of France in New Delhi are declared persona non grata."
    )
    assert found == [
        ("accreditation_withdrawn", SLUG["embassy", "france", "New Delhi"], "2024-05-10")
    ]


def test_a_surname_that_is_a_month_dates_nothing() -> None:
    from chancery.extraction.dates import find_dates

    text = "Envoy Julia May told the press the talks went well; they resume in May."
    assert [f.date.wording for f in find_dates(text, 0, len(text), DAY, None)] == ["in May"]


def test_a_terminated_cultural_institute_is_closed() -> None:
    channels = [*CHANNELS, _post("cultural-institute", "FR", "IN")]
    lexicon = Lexicon.build({c.slug: c for c in channels}, {p.slug: p for p in PARTIES})
    text = "India on Friday terminated the work of the French cultural institute."
    [proposal] = extract(Article(text, "x", DAY), lexicon)
    assert (proposal.type, proposal.channel) == ("post_closed", channels[-1].slug)


def test_our_post_is_the_speakers_and_its_city_selects_it() -> None:
    """'our Consulate General in Kolkata' in a French statement that names India nearer."""
    text = "Given threats in India, our Consulate General in Kolkata has suspended visa services."
    assert mentioned(text) == [
        ("Consulate General", (SLUG["consulate-general", "france", "Kolkata"],))
    ]


def test_a_question_reports_no_action() -> None:
    assert proposals("QUESTION: Will India retaliate and expel French diplomats?") == []


def test_removing_diplomatic_immunity_is_an_expulsion() -> None:
    found = proposals("India on Friday removed the diplomatic immunity of six French diplomats.")
    assert [t for t, _, _ in found] == ["accreditation_withdrawn"]


def test_a_party_word_across_a_function_word_does_not_own_the_post() -> None:
    """'in Paris as ambassadors return': Paris is where, not whose; the envoys stay unread."""
    assert mentioned("Talks resume in Paris as ambassadors return to their posts.") == []


def test_recalled_for_consultations_names_no_dialogue() -> None:
    text = "India recalled its ambassador to France for consultations on Monday."
    assert [t for t, _, _ in proposals(text)] == ["head_of_mission_recalled"]


def test_common_demonyms_and_seats_of_government_name_their_state() -> None:
    """Words reports use that the libraries lack ("Argentine", "Saudi", "the Casa Rosada")."""
    codes = ("AR", "GB", "SA", "IT", "BR")
    registry = Registry.build([Party.model_validate({"code": c}) for c in codes], [])
    for word, slug in [
        ("Argentine", "argentina"),
        ("the Casa Rosada", "argentina"),
        ("Saudi", "saudi-arabia"),
        ("the Farnesina", "italy"),
        ("Itamaraty", "brazil"),
    ]:
        assert registry.party(word) == slug, word


def test_a_seat_of_government_that_is_not_the_capital_names_its_state() -> None:
    """The libraries give the constitutional capital (Sucre, Porto-Novo, Yamoussoukro); reports
    name the government by the city it sits in."""
    codes = ("BO", "BJ", "CI", "LK", "MY")
    registry = Registry.build([Party.model_validate({"code": c}) for c in codes], [])
    for word, slug in [
        ("La Paz", "bolivia"),
        ("Cotonou", "benin"),
        ("Abidjan", "cote-d-ivoire"),
        ("Colombo", "sri-lanka"),
        ("Putrajaya", "malaysia"),
    ]:
        assert registry.party(word) == slug, word


def test_a_city_is_found_however_its_diacritics_and_other_names_are_written() -> None:
    """A declaration spells a city once; a report may write it with or without diacritics,
    or by its other well-known name ("Hrodna" for "Grodno")."""
    grodno = SLUG["consulate-general", "lithuania", "Grodno"]
    klaipeda = SLUG["consulate", "belarus", "Klaipėda"]
    siauliai = SLUG["consulate", "belarus", "Siauliai"]
    cases = [
        ("Minsk shut the Lithuanian consulate in Hrodna.", grodno),
        ("Minsk shut the Lithuanian consulate in Grodno.", grodno),
        ("Vilnius shut the Belarusian consulate in Klaipeda.", klaipeda),
        ("Vilnius shut the Belarusian consulate in Klaipėda.", klaipeda),
        ("Vilnius shut the Belarusian consulate in Šiauliai.", siauliai),
        ("Vilnius shut the consulate of Belarus in KLAIPEDA.", None),  # case is kept
    ]
    for text, slug in cases:
        posts = [slugs for _, slugs in mentioned(text)]
        assert posts == ([(slug,)] if slug else []), text


def test_folding_keeps_the_offsets_of_what_it_finds() -> None:
    text = "Łódź, Šiauliai and Klaipėda: the Belarusian consulate in Klaipėda."
    found = [n for n in NAMES.find(text) if n.city]
    assert [text[n.start : n.end] for n in found] == ["Šiauliai", "Klaipėda", "Klaipėda"]


def test_a_consul_is_the_person_of_a_consulate() -> None:
    """A consul (general) expelled: the consulate the words select, not the embassy."""
    lyon = SLUG["consulate", "india", "Lyon"]
    for text in (
        "France on Friday expelled the Indian consul in Lyon.",
        "France on Friday declared the Indian consul general in Lyon persona non grata.",
        "On Friday the consul of India in Lyon was ordered to leave France.",
    ):
        assert [(t, c) for t, c, _ in proposals(text)] == [("accreditation_withdrawn", lyon)], text


def test_a_counterpart_is_the_other_states_envoy_of_the_same_rank() -> None:
    """'Delhi called in the French ambassador; Paris summoned his Indian counterpart the next
    day': each summons on the other's embassy in the actor's capital."""
    text = (
        "New Delhi summoned the French ambassador on Monday. Paris summoned his Indian "
        "counterpart the next day in reply."
    )
    found = [(t, c, d) for t, c, d in proposals(text)]
    assert found == [
        ("head_of_mission_summoned", SLUG["embassy", "france", "New Delhi"], "2024-05-06"),
        ("head_of_mission_summoned", SLUG["embassy", "india", "Paris"], "2024-05-07"),
    ]
    assert proposals("The minister met his Indian counterpart on Friday.") == []


def test_the_head_of_an_embassy_recalled_is_a_recall_of_its_own_head_of_mission() -> None:
    own = SLUG["embassy", "france", "New Delhi"]
    for text in (
        "France on Friday recalled the head of its embassy in New Delhi for consultations.",
        "Paris decided on Friday to recall the head of the French Embassy in New Delhi to Paris.",
    ):
        assert [(t, c) for t, c, _ in proposals(text)] == [("head_of_mission_recalled", own)], text


def test_an_envoy_invited_to_the_ministry_is_summoned() -> None:
    """Translated diplomatic idiom: the chargé 'was invited to the Foreign Ministry'."""
    text = "On Friday the Indian chargé d'affaires was invited to the French Foreign Ministry."
    assert [(t, c) for t, c, _ in proposals(text)] == [
        ("head_of_mission_summoned", SLUG["embassy", "india", "Paris"])
    ]


def test_an_offer_of_talks_with_no_invitation_named_follows_nothing_up() -> None:
    """'remains open to dialogue', 'renews its offer of talks': a standing disposition; a
    follow-up needs an invitation the article names."""
    for text in (
        "France remains open to dialogue with India on trade, the ministry said on Friday.",
        "On Friday France renewed its offer of talks with India and is open to talks at any level.",
    ):
        assert proposals(text) == [], text
    named = (
        "France invited India to talks in March. On Friday France said it remains open to "
        "dialogue with India."
    )
    assert ("invitation_reiterated", "fr-in-dialogue") in [(t, c) for t, c, _ in proposals(named)]


def test_a_ceiling_on_the_other_states_embassy_told_as_bring_down() -> None:
    """'told India to bring its embassy down to 15': its is India's, the post India's embassy
    in the actor's capital."""
    india_in_paris = SLUG["embassy", "india", "Paris"]
    for text in (
        "On Friday Paris told New Delhi to bring its embassy down to 15 personnel.",
        "On Friday France ordered India to bring the staff of its embassy down to 15.",
    ):
        assert [(t, c) for t, c, _ in proposals(text)] == [("staff_cap_changed", india_in_paris)], (
            text
        )


def test_an_action_noun_talked_about_is_a_topic_not_the_channels_action() -> None:
    """'dialogue on the reopening of the border crossings': the reopening is what the talk is
    about, and of the crossings, not the dialogue's; the same verb reported reopens it."""
    for text in (
        "On Friday India said it wanted dialogue with France on the reopening of the ports.",
        "France on Friday proposed talks with India about the suspension of the flights.",
        "India's relations with France on Friday turned on the closing of the airspace.",
    ):
        kinds = {t for t, _, _ in proposals(text)}
        assert not kinds & {"channel_reopened", "channel_suspended", "post_closed"}, text
    reopened = proposals("On Friday France and India reopened their dialogue.")
    assert [(t, c) for t, c, _ in reopened] == [("channel_reopened", "fr-in-dialogue")]


def test_a_consulate_shut_as_its_consent_is_withdrawn_is_one_action() -> None:
    """A headline's 'shuts consulate' over a body's consent withdrawn on that post is the
    withdrawal told by its effect; a closure on another day stays its own."""
    grodno = SLUG["consulate-general", "lithuania", "Grodno"]
    text = (
        "Minsk shuts Lithuanian consulate in Hrodna\n\n"
        "Belarus on Friday withdrew its consent to the Lithuanian consulate in Grodno."
    )
    assert proposals(text) == [("post_consent_withdrawn", grodno, "2024-05-10")]
    text = (
        "Belarus withdrew its consent to the Lithuanian consulate in Grodno on 2 April. The "
        "consulate closed on 3 May."
    )
    assert sorted(proposals(text)) == [
        ("post_closed", grodno, "2024-05-03"),
        ("post_consent_withdrawn", grodno, "2024-04-02"),
    ]


def test_two_coordinated_actions_are_two_even_when_one_phrase_could_span_both() -> None:
    """'recalled its envoy in Paris and expelled France's ambassador': 'recall* …
    ambassador*' must not reach over 'and expelled' and hide the recall behind the expulsion."""
    own = SLUG["embassy", "india", "Paris"]
    other = SLUG["embassy", "france", "New Delhi"]
    for text in (
        "New Delhi on Friday recalled its envoy in Paris and expelled France's ambassador.",
        "India on Friday recalled its high commissioner from Paris and expelled the French "
        "ambassador.",
        "On Friday India expelled the French ambassador and recalled its envoy from Paris.",
    ):
        assert sorted((t, c) for t, c, _ in proposals(text)) == [
            ("accreditation_withdrawn", other),
            ("head_of_mission_recalled", own),
        ], text


def test_a_ceiling_told_as_shrinking_the_embassy() -> None:
    france_in_delhi = SLUG["embassy", "france", "New Delhi"]
    for text in (
        "On Friday New Delhi told Paris to shrink its embassy to six diplomats.",
        "India on Friday ordered France to pare down its embassy to six diplomats.",
    ):
        assert [(t, c) for t, c, _ in proposals(text)] == [
            ("staff_cap_changed", france_in_delhi)
        ], text


def test_its_post_in_a_city_the_subject_has_none_in_is_the_other_partys() -> None:
    """'limited the Lithuanian embassy ... and closed its consulate in Grodno': Belarus has no
    consulate in Grodno, so the city names Lithuania's."""
    text = (
        "Belarus on Friday limited the Lithuanian embassy to four diplomatic staff and closed "
        "its consulate in Grodno."
    )
    grodno = SLUG["consulate-general", "lithuania", "Grodno"]
    assert ("post_closed", grodno) in [(t, c) for t, c, _ in proposals(text)]
    assert not [c for t, c, _ in proposals(text) if t == "post_closed" and c != grodno]


def test_an_attache_is_a_person_of_the_embassy() -> None:
    embassy = SLUG["embassy", "india", "Paris"]
    for text in (
        "France on Friday announced the expulsion of the Indian military attaché.",
        "On Friday France expelled India's defence attache and two other diplomats.",
    ):
        assert [(t, c) for t, c, _ in proposals(text)] == [("accreditation_withdrawn", embassy)]
    assert proposals("A former attaché said on Friday that the embassy was calm.") == []


def test_a_charge_named_without_d_affaires_is_the_embassys_head() -> None:
    """'summoning New Delhi's chargé': the shorthand names India's embassy; the English word
    'charge' (unaccented) names nothing."""
    embassy = SLUG["embassy", "india", "Paris"]
    for text in (
        "Paris answered in kind on Friday, summoning New Delhi's chargé.",
        "On Friday France summoned the Indian chargé to the ministry.",
    ):
        assert [(t, c) for t, c, _ in proposals(text)] == [("head_of_mission_summoned", embassy)]
    assert proposals("On Friday France summoned the Indian official in charge.") == []
