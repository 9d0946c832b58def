"""Every UN member and observer state is named by the adjectives and demonyms reports use,
and a word several states share is claimed by none of them wrongly."""

from __future__ import annotations

import pytest
from chancery.domain import countries
from chancery.domain.parties import Party
from chancery.domain.registry import Registry, profile_of
from chancery.extraction.numbers import people_count
from chancery.extraction.structure import Names


def registry_of(*codes: str) -> Registry:
    return Registry.build([Party.model_validate({"code": code}) for code in codes], [])


ALL_STATES = registry_of(*sorted(countries.UN_MEMBERS | countries.UN_OBSERVERS))

COMMON_ADJECTIVES = {
    "Philippine": "PH",
    "Filipino": "PH",
    "Bosnian": "BA",
    "Palestinian": "PS",
    "Vatican": "VA",
    "Holy See": "VA",
    "Burmese": "MM",
    "Myanmar": "MM",
    "Lao": "LA",
    "Laotian": "LA",
    "Thai": "TH",
    "Swiss": "CH",
    "Emirati": "AE",
    "Ivorian": "CI",
    "Salvadoran": "SV",
    "Salvadorean": "SV",
    "Bissau-Guinean": "GW",
    "Guinea-Bissauan": "GW",
    "Equatorial Guinean": "GQ",
    "Guinean": "GN",
    "Kyrgyz": "KG",
    "Beninese": "BJ",
    "Cabo Verdean": "CV",
    "Cape Verdean": "CV",
    "Timorese": "TL",
    "Bahamian": "BS",
    "Burkinabe": "BF",
    "Burkinabè": "BF",
    "Tajik": "TJ",
    "Uzbek": "UZ",
    "Kazakh": "KZ",
    "Azeri": "AZ",
    "Slovenian": "SI",
    "Slovak": "SK",
    "Maldivian": "MV",
    "Surinamese": "SR",
    "Nepali": "NP",
    "Djiboutian": "DJ",
    "Comorian": "KM",
    "Basotho": "LS",
    "South Sudanese": "SS",
    "Sudanese": "SD",
    "North Korean": "KP",
    "South Korean": "KR",
    "Korean": "KR",
    "Irish": "IE",
    "Georgian": "GE",
    "Nigerien": "NE",
    "Nigerian": "NG",
    "Dutch": "NL",
    "The Hague": "NL",
    "Astana": "KZ",
    "Ramallah": "PS",
}


def test_every_un_member_has_a_demonym_that_is_one_word_of_one_state() -> None:
    """The libraries join a union's two demonyms ("Bosnian,Herzegovinian"); no report does."""
    for code in sorted(countries.UN_MEMBERS | countries.UN_OBSERVERS):
        demonyms = profile_of(Party.model_validate({"code": code})).demonyms
        assert any("," not in d and " and " not in d for d in demonyms), code
        assert all("," not in d for d in demonyms), (code, demonyms)


@pytest.mark.parametrize(("word", "code"), sorted(COMMON_ADJECTIVES.items()))
def test_a_common_adjective_names_its_state_among_all_states(word: str, code: str) -> None:
    assert ALL_STATES.party(word) == countries.by_code(code).slug  # type: ignore[union-attr]


def test_a_word_two_states_share_names_neither_when_both_are_declared() -> None:
    """ "Congolese", "Dominican": the report's other words must say which; declared alone,
    the one state has it."""
    assert ALL_STATES.party("Congolese") is None
    assert ALL_STATES.party("Dominican") is None
    assert registry_of("CD", "BE").party("Congolese") == "democratic-republic-of-the-congo"
    assert registry_of("DO", "HT").party("Dominican") == "dominican-republic"


def test_the_longer_word_of_a_state_wins_over_the_shorter_one_it_holds() -> None:
    """ "Equatorial Guinean diplomats" are Equatorial Guinea's, not Guinea's, when both are
    declared; "North Korean" is not South Korea's "Korean"."""
    names = Names.build(registry_of("GN", "GQ", "GW", "KR", "KP", "SD", "SS"))
    text = (
        "Equatorial Guinean, Bissau-Guinean and Guinean envoys met North Korean and "
        "South Sudanese officials, then Sudanese ones."
    )
    found = [(text[n.start : n.end], n.party) for n in names.find(text)]
    assert found == [
        ("Equatorial Guinean", "equatorial-guinea"),
        ("Bissau-Guinean", "guinea-bissau"),
        ("Guinean", "guinea"),
        ("North Korean", "north-korea"),
        ("South Sudanese", "south-sudan"),
        ("Sudanese", "sudan"),
    ]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Athens expelled two Turks on Monday.", "Turks"),
        ("Madrid ordered three Frenchmen to leave.", "Frenchmen"),
        ("Helsinki said two Finns were held.", "Finns"),
        ("Belgrade named four Croats as spies.", "Croats"),
    ],
)
def test_a_plural_demonym_is_people_of_its_state(text: str, word: str) -> None:
    """Regular plurals come from the word's "s"; "-man" demonyms have their "-men"."""
    names = Names.build(registry_of("TR", "GR", "FR", "ES", "FI", "HR", "RS"))
    people = [text[n.start : n.end] for n in names.find(text) if n.people]
    assert word in people


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Athens expelled two Turks and a Syrian.", 2),
        ("Paris ordered three Dutchmen to leave.", 3),
        ("Zagreb expelled four Serbs on Friday.", 4),
        ("Oslo expelled five Uzbeks.", 5),
        ("The two Koreas expelled nobody this year.", None),
        ("Rome expelled three Mondays in a row.", None),
    ],
)
def test_a_number_before_a_plural_demonym_counts_people(text: str, count: int | None) -> None:
    """Plurals of every shape demonyms take ("-ans", "-ks", "-ts", "-men"), not "Koreas"."""
    near = text.index("expelled") if "expelled" in text else 0
    assert people_count(text, 0, len(text), near) == count


@pytest.mark.parametrize(
    ("declared", "text", "unread"),
    [
        (("GN", "FR"), "Paris expelled an Equatorial Guinean diplomat.", "Equatorial Guinean"),
        (("GN", "PT"), "Lisbon and Guinea-Bissau restored ties.", "Guinea-Bissau"),
        (("KR", "JP"), "Tokyo protested to North Korean officials.", "North Korean"),
        (("SD", "EG"), "Cairo hosted South Sudanese envoys.", "South Sudanese"),
        (("CG", "BE"), "Brussels recalled its ambassador to DR Congo.", "DR Congo"),
        (("DM", "HT"), "Haiti and the Dominican Republic talked.", "Dominican Republic"),
    ],
)
def test_another_states_longer_word_is_not_given_to_the_declared_state(
    declared: tuple[str, ...], text: str, unread: str
) -> None:
    """Only Guinea declared, "Equatorial Guinean" is still not Guinea's: the longer word of a
    state not declared is read whole, and names no one."""
    names = Names.build(registry_of(*declared))
    found = [text[n.start : n.end] for n in names.find(text)]
    assert unread not in found
    assert not any(word in unread for word in found)
    assert found  # the declared other state is still read
