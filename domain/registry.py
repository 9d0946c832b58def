"""Which party a word names, and which posts a description selects: for the parties and
channels a ledger declares. Pure (no storage): an extractor builds one from the declarations
and asks it, instead of keeping lists of words of its own.

A party is named by its name, its code's short names ("United Kingdom", "Britain"), its
demonyms ("British", "Briton"), its capital and the metonyms reports use for its government
("Whitehall", "the Kremlin", "Foggy Bottom", "Beijing"), and the aliases its declaration adds.
Names, demonyms and capitals come from pycountry and countryinfo, loaded on the first question
about a coded party (never by `chancery state`); what they do not hold is `EXTRA_WORDS` below.

Ambiguity is settled among the declared parties only: a word two declared parties share
("Congolese" with both Congos declared, "Dominican" with Dominica and the Dominican Republic,
"Jerusalem" with Israel and Palestine) names neither (`Registry.party`), and the extractor's
`Names` drops it; declared alone, the one state has it. A word that is part of another state's
longer word is the longer one's where both are declared: the longest phrase wins ("South
Sudanese" over "Sudanese", "North Korean" over "Korean"), so the shared tail is given only to the
state whose bare word it is ("Guinean" is Guinea's; Equatorial Guinea and Guinea-Bissau have only
their full forms). Words of undeclared states are not known at all.

A post is selected by structure: its kind, its sending and receiving party, its city ("Russian
diplomats" expelled by Britain are on `russia`'s post in `united-kingdom`), never by an alias.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from chancery.domain import countries
from chancery.domain.parties import (
    ONE_PER_PAIR,
    POST_KINDS,
    Channel,
    ChannelKind,
    Party,
    PartyKind,
    city_slug,
    code_slug,
)

K = ChannelKind


@dataclass(frozen=True)
class Extra:
    short_names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()


EXTRA_WORDS: dict[str, Extra] = {
    "GB": Extra(
        ("Britain", "Great Britain", "UK", "U.K."),
        ("British", "Briton", "Brit"),
        ("Whitehall", "Downing Street", "the Foreign Office", "the FCDO"),
    ),
    "US": Extra(
        ("America", "US", "U.S.", "USA", "U.S.A."),
        ("American", "US", "U.S."),
        ("Washington", "the White House", "Foggy Bottom", "the State Department"),
    ),
    "RU": Extra(("Russia",), ("Russian",), ("the Kremlin", "Smolenskaya Square")),
    "CN": Extra(("China", "PRC"), ("Chinese",), ("Zhongnanhai",)),
    "FR": Extra((), ("French", "Frenchman"), ("the Quai d'Orsay", "the Elysee", "the Élysée")),
    "DE": Extra((), ("German",), ("the Auswärtiges Amt", "the Chancellery")),
    "CZ": Extra(("Czech Republic",), ("Czech",), ("Czernin Palace",)),
    "IN": Extra((), ("Indian",), ("South Block",)),
    "JP": Extra((), ("Japanese",), ("Kasumigaseki", "the Kantei")),
    "UA": Extra((), ("Ukrainian",), ("Kiev",)),
    "KR": Extra(("Korea",), ("South Korean", "Korean"), ("the Blue House", "Cheong Wa Dae")),
    "AR": Extra((), ("Argentine", "Argentinian"), ("the Casa Rosada", "the Palacio San Martín")),
    "SA": Extra(("Saudi", "KSA"), ("Saudi",), ()),
    "BY": Extra(("Byelorussia",), ("Belarussian", "Byelorussian"), ()),
    "RS": Extra((), ("Serb",), ()),
    "EC": Extra((), ("Ecuadorian",), ("Carondelet Palace",)),
    "MX": Extra((), (), ("the Palacio Nacional", "Los Pinos")),
    "NZ": Extra((), (), ("the Beehive",)),
    "TW": Extra((), ("Taiwanese",), ()),
    "NL": Extra(("Holland",), ("Dutch",), ("The Hague",)),
    "CA": Extra((), ("Canadian",), ("Global Affairs Canada",)),
    "LT": Extra((), ("Lithuanian",), ()),
    "IT": Extra((), ("Italian",), ("Farnesina", "Palazzo Chigi")),
    "BR": Extra((), ("Brazilian",), ("Itamaraty", "the Planalto")),
    # seats of government the libraries do not give as the capital (they give the
    # constitutional one: Sucre, Porto-Novo, Sri Jayawardenepura Kotte, Yamoussoukro)
    "BO": Extra((), (), ("La Paz", "the Palacio Quemado")),
    "BJ": Extra((), (), ("Cotonou",)),
    "LK": Extra((), (), ("Colombo",)),
    "CI": Extra((), (), ("Abidjan",)),
    "MY": Extra((), (), ("Putrajaya", "Wisma Putra")),
    "BI": Extra((), (), ("Gitega",)),
    "KZ": Extra((), ("Kazakh",), ("Astana",)),
    "SZ": Extra((), (), ("Mbabane",)),
    "TZ": Extra((), (), ("Dar es Salaam",)),
    # the common English adjectives and nouns for people the libraries lack or misspell
    # (they give one demonym a state: "Filipino", "Laotian", "Cape Verdian", "Tadzhik")
    "AE": Extra(("UAE", "U.A.E."), (), ()),
    "AZ": Extra((), ("Azeri",), ()),
    "BF": Extra((), ("Burkinabè", "Burkinabé"), ()),
    "BW": Extra((), ("Botswanan", "Batswana"), ()),
    "CD": Extra(("DRC", "D.R.C.", "DR Congo"), (), ()),
    "CH": Extra((), (), ("Berne",)),
    "CV": Extra(("Cape Verde",), ("Cape Verdean", "Cabo Verdean"), ()),
    "DJ": Extra((), ("Djiboutian",), ()),
    "DK": Extra((), ("Dane",), ()),
    "ES": Extra((), ("Spaniard",), ()),
    "FI": Extra((), ("Finn",), ()),
    "GQ": Extra((), ("Equatoguinean",), ()),
    "GW": Extra((), ("Bissau-Guinean",), ()),
    "HR": Extra((), ("Croat",), ()),
    "IS": Extra((), ("Icelandic",), ()),
    "KG": Extra(("Kirghizia",), ("Kyrgyz", "Kyrgyzstani"), ()),
    "KM": Extra((), ("Comorian",), ()),
    "KN": Extra((), ("Kittitian",), ()),
    "LA": Extra((), ("Lao",), ()),
    "LS": Extra((), ("Basotho",), ()),
    "LU": Extra((), ("Luxembourgish",), ()),
    "MC": Extra((), ("Monégasque",), ()),
    "MK": Extra((), ("North Macedonian",), ()),
    "MM": Extra(("Burma",), (), ("Nay Pyi Taw",)),
    "MV": Extra((), ("Maldivian",), ()),
    "NP": Extra((), ("Nepali",), ()),
    "PH": Extra((), ("Philippine", "Filipina"), ()),
    "PL": Extra((), ("Pole",), ()),
    "PS": Extra(("State of Palestine",), ("Palestinian",), ("Ramallah",)),
    "SE": Extra((), ("Swede",), ()),
    "SI": Extra((), ("Slovenian",), ()),
    "SK": Extra((), ("Slovakian",), ()),
    "SM": Extra((), ("San Marinese",), ()),
    "SO": Extra((), ("Somalian",), ()),
    "SR": Extra((), ("Surinamese",), ()),
    "ST": Extra((), ("São Toméan", "Santomean"), ()),
    "SV": Extra((), ("Salvadorean", "Salvadorian"), ()),
    "TJ": Extra((), ("Tajik", "Tajikistani"), ()),
    "TL": Extra(("East Timor",), ("Timorese",), ()),
    "TM": Extra((), ("Turkmenistani",), ()),
    "TR": Extra((), ("Turk",), ()),
    "TT": Extra((), ("Tobagonian", "Trinbagonian"), ()),
    "UZ": Extra((), ("Uzbek",), ()),
    "VA": Extra((), ("Vatican",), ("Vatican City",)),
    "VC": Extra((), ("Vincentian",), ()),
    "VU": Extra((), ("Vanuatuan",), ()),
}
"""Words no library holds (metonyms), or holds in another form (short names, plurals): this
project's table, added to the libraries' words for the code. An analyst adds more as a party's
`aliases`, in an import file."""

HOW = ("alias", "name", "short name", "code", "demonym", "capital", "metonym")
"""The ways a word may name a party, from the most to the least specific."""


@dataclass(frozen=True)
class PartyProfile:
    """Everything a report may call one declared party."""

    slug: str
    code: str | None
    name: str
    kind: PartyKind
    short_names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    """A state's capital, or an organisation's seat: where its one-per-pair posts are."""
    metonyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def words(self) -> list[tuple[str, str]]:
        """Each word for the party with how it names it, most specific first."""
        said: list[tuple[str, str]] = [(alias, "alias") for alias in self.aliases]
        said.append((self.name, "name"))
        said += [(name, "short name") for name in self.short_names]
        if self.code:
            said.append((self.code, "code"))
        said += [(demonym, "demonym") for demonym in self.demonyms]
        if self.capital:
            said.append((self.capital, "capital"))
        said += [(metonym, "metonym") for metonym in self.metonyms]
        return said


@dataclass(frozen=True)
class Naming:
    """One party a word may name, and how (`HOW`)."""

    party: str
    how: str


@dataclass(frozen=True)
class Mention:
    """A stretch of text that names a declared party: where, and who (None: several may be
    meant, listed in `namings`)."""

    start: int
    end: int
    party: str | None
    namings: tuple[Naming, ...]


_TOKEN = re.compile(r"\w+(?:['’.]\w+)*\.?")
"""A word as `mentions` reads text: "U.S.", "Russia's", "St."; hyphens and other marks
separate words ("U.S.-Russian" is two)."""


def word_key(word: str) -> str:
    """How words are compared: case and spacing ignored, a leading "the" dropped, curly
    apostrophes straight, "St." as "Saint"."""
    key = " ".join(word.replace("’", "'").casefold().split())
    key = re.sub(r"^the ", "", key)
    return re.sub(r"\bst\.? (?=\w)", "saint ", key)


def irregular_plural(demonym: str) -> str | None:
    """A demonym's plural where it is not the word with an "s" (which every reader of a word
    already allows: "Lithuanians", "Czechs"): "Frenchmen", "Dutchmen". None where there is
    none other ("Swiss", "Chinese" count people by a noun: "three Chinese nationals")."""
    return demonym[:-3] + "men" if demonym.endswith("man") else None


def _variants(key: str) -> list[str]:
    """A possessive or plural read as its word: "Russia's", "Russians", "Britons'"; a word
    ending a sentence without its full stop ("Russia.")."""
    found = [key]
    if key.endswith(".") and len(key) > 1:
        key = key[:-1]
        found.append(key)
    for ending in ("'s", "s'", "'"):
        if key.endswith(ending):
            found.append(key[: -len(ending)])
    stem = found[-1]
    if stem.endswith("s") and len(stem) > 3:
        found.append(stem[:-1])
    if stem.endswith("men"):
        found.append(stem[:-3] + "man")
    return found


def _demonyms_of(joined: str) -> list[str]:
    """countryinfo's one demonym string as its demonyms: it joins a union's two with a comma
    or "and" ("Bosnian,Herzegovinian", "Kittian and Nevisian"), and no report writes them so."""
    return [part.strip() for part in re.split(r",| and ", joined) if part.strip()]


@cache
def _library_words(code: str) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    """Short names, demonyms and capital of a state from pycountry and countryinfo (imported
    here, lazily: only questions about coded parties pay for them)."""
    import pycountry
    from countryinfo import CountryInfo

    names: list[str] = []
    country = pycountry.countries.get(alpha_2=code)
    if country is not None:
        names += [
            getattr(country, key)
            for key in ("name", "common_name", "official_name")
            if getattr(country, key, None)
        ]
    demonyms: list[str] = []
    capital = None
    info: Mapping[str, Any]
    try:
        info = CountryInfo(code).info()
    except Exception:  # countryinfo raises its own errors for codes it lacks (Antarctica)
        info = {}
    if info:
        names.append(info.get("name") or "")
        names += [
            spelling
            for spelling in info.get("altSpellings") or []
            if spelling.isascii() and len(spelling) > 3  # not GBR, UK: codes, said below
        ]
        demonyms += _demonyms_of(info.get("demonym") or "")
        capital = info.get("capital") or None
    return tuple(dict.fromkeys(n for n in names if n)), tuple(demonyms), capital


@cache
def capital_latitude(code: str) -> float | None:
    """The latitude of a state's capital (countryinfo's `capital_latlng`), None where the
    library has no capital for the code: which hemisphere the state's seasons are of."""
    from countryinfo import CountryInfo

    try:
        where = CountryInfo(code).capital_latlng()
    except Exception:  # countryinfo raises its own errors for codes it lacks
        return None
    return float(where[0]) if where else None


def profile_of(party: Party) -> PartyProfile:
    """A declared party's profile: its declaration's words, and those of its code."""
    code = party.known_code
    short_names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital = None
    entry = countries.by_code(code) if code else None
    if entry is not None and entry.kind == PartyKind.STATE:
        short_names, demonyms, capital = _library_words(entry.code)
        short_names = (entry.short_name, *short_names)
    elif entry is not None:
        organisation = countries.organisation(entry.code)
        if organisation is not None:
            short_names = (organisation.short_name, organisation.name, *organisation.aliases)
            capital = organisation.seat
    extra = EXTRA_WORDS.get(code or "", Extra())
    return PartyProfile(
        slug=party.slug,
        code=code,
        name=party.name,
        kind=party.kind,
        short_names=tuple(dict.fromkeys((*short_names, *extra.short_names))),
        demonyms=tuple(dict.fromkeys((*demonyms, *extra.demonyms))),
        capital=capital,
        metonyms=extra.metonyms,
        aliases=tuple(party.aliases),
    )


KIND_FAMILIES: dict[ChannelKind, frozenset[ChannelKind]] = {
    K.EMBASSY: frozenset({K.EMBASSY, K.HIGH_COMMISSION}),
    K.HIGH_COMMISSION: frozenset({K.HIGH_COMMISSION, K.EMBASSY}),
    K.MISSION: frozenset({K.MISSION, K.PERMANENT_MISSION}),
    K.PERMANENT_MISSION: frozenset({K.MISSION, K.PERMANENT_MISSION}),
    K.OFFICE: frozenset({K.OFFICE, K.INFORMATION_OFFICE, K.LIAISON_OFFICE}),
    K.INFORMATION_OFFICE: frozenset({K.OFFICE, K.INFORMATION_OFFICE}),
    K.CONSULATE: frozenset({K.CONSULATE, K.CONSULATE_GENERAL}),
}
"""What a report's word for a post may mean: "the embassy" of a Commonwealth state is its
high commission, "consulate" covers consulates-general, `mission` and `office` are the older
names of `permanent-mission` and `information-office`. Kinds not listed select themselves."""


@dataclass
class Registry:
    """The declared parties' profiles and the declared channels, with the two questions an
    extractor asks of them."""

    profiles: dict[str, PartyProfile]
    channels: dict[str, Channel]
    _words: dict[str, list[Naming]] = field(default_factory=dict)
    _prefix_cache: list[frozenset[str]] = field(default_factory=list)

    @classmethod
    def build(cls, parties: Iterable[Party], channels: Iterable[Channel]) -> Registry:
        profiles = {party.slug: profile_of(party) for party in parties}
        registry = cls(profiles, {channel.slug: channel for channel in channels})
        for profile in profiles.values():
            for word, how in profile.words():
                naming = Naming(profile.slug, how)
                found = registry._words.setdefault(word_key(word), [])
                if all(n.party != profile.slug for n in found):
                    found.append(naming)
        return registry

    def vocabulary(self) -> dict[str, list[Naming]]:
        """Every word (as `word_key` gives it) and the parties it may name: for scanning a
        text for party mentions."""
        return {word: list(namings) for word, namings in self._words.items()}

    def named(self, word: str) -> list[Naming]:
        """The declared parties this word may name ("Britain", "the Kremlin", "Russians",
        "Russia's"), most specific first; empty if none."""
        for key in _variants(word_key(word)):
            if key in self._words:
                return sorted(self._words[key], key=lambda n: (HOW.index(n.how), n.party))
        return []

    def mentions(self, text: str) -> list[Mention]:
        """Every mention of a declared party in a text, the longest phrase where phrases
        overlap ("the United Kingdom" over "United"), left to right. Linear in the text: from
        each word a phrase grows only while it begins some declared word (`_prefixes`), so at
        most as many words as the longest name are looked at, each in a dict."""
        tokens = list(_TOKEN.finditer(text))
        prefixes = self._prefixes()
        found: list[Mention] = []
        index = 0
        while index < len(tokens):
            first = tokens[index].group().replace("’", "'").casefold()
            if first not in prefixes and not any(v in prefixes for v in _variants(first)):
                index += 1  # the usual case, decided without building a phrase
                continue
            start, best = tokens[index].start(), None
            for last in range(index, len(tokens)):
                key = word_key(text[start : tokens[last].end()])
                variants = _variants(key)
                if any(variant in self._words for variant in variants):
                    best = last
                if not any(variant in prefixes for variant in variants):
                    break
            if best is None:
                index += 1
                continue
            namings = self.named(text[start : tokens[best].end()])
            parties = {naming.party for naming in namings}
            party = namings[0].party if len(parties) == 1 else None
            found.append(Mention(start, tokens[best].end(), party, tuple(namings)))
            index = best + 1
        return found

    def _prefixes(self) -> frozenset[str]:
        """Every word-prefix of every declared word ("united", "united kingdom"), and "the"."""
        if not self._prefix_cache:
            prefixes = {"the"}
            for word in self._words:
                parts = word.split()
                prefixes.update(" ".join(parts[: n + 1]) for n in range(len(parts)))
            self._prefix_cache.append(frozenset(prefixes))
        return self._prefix_cache[0]

    def undeclared_holders(self) -> frozenset[str]:
        """The words of the UN states not declared that hold a declared state's word whole
        ("Equatorial Guinean" holds Guinea's "Guinean", "North Korean" South Korea's "Korean",
        "DR Congo" the Republic of the Congo's "Congo"): a reader taking the longest phrase
        must know them, to leave them unread rather than give them to the declared state. A
        word the undeclared state shares outright ("Dominican") is not one: it is the
        declared state's."""
        declared_codes = {p.code for p in self.profiles.values() if p.code}
        if not declared_codes & (countries.UN_MEMBERS | countries.UN_OBSERVERS):
            return frozenset()
        found: set[str] = set()
        for code in sorted((countries.UN_MEMBERS | countries.UN_OBSERVERS) - declared_codes):
            for word, how in profile_of(Party.model_validate({"code": code})).words():
                key = word_key(word)
                if how != "code" and key not in self._words and self._holds_a_word(key):
                    found.add(word)
        return frozenset(found)

    def _holds_a_word(self, key: str) -> bool:
        """Whether some run of the key's words is a declared word ("north korean": "korean")."""
        parts = key.replace("-", " ").split()
        return any(
            " ".join(parts[start:end]) in self._words
            for start in range(len(parts))
            for end in range(start + 1, len(parts) + 1)
        )

    def party(self, word: str) -> str | None:
        """The one declared party this word names, or None (none, or several: "Congolese"
        with both Congos declared)."""
        namings = self.named(word)
        return namings[0].party if len({n.party for n in namings}) == 1 else None

    def city_of(self, channel: Channel) -> str | None:
        """A post's city: as declared, else for a one-per-pair post (an embassy, a mission)
        the receiving party's capital or seat; None where unknown."""
        if channel.city:
            return channel.city
        receiving = channel.receiving_party
        if channel.kind in ONE_PER_PAIR and receiving in self.profiles:
            return self.profiles[receiving].capital
        return None

    def posts(
        self,
        kind: ChannelKind | str | None = None,
        sending: str | None = None,
        receiving: str | None = None,
        city: str | None = None,
    ) -> list[Channel]:
        """The declared posts that fit: of this kind (or its family, `KIND_FAMILIES`), of this
        sending party in this receiving party (slugs or codes), in this city. A part left None
        selects any; a city selects only posts whose city is known to be it. In slug order."""
        kinds = POST_KINDS
        if kind is not None:
            kind = ChannelKind(kind)
            kinds = KIND_FAMILIES.get(kind, frozenset({kind}))
        sending, receiving = code_slug(sending), code_slug(receiving)
        wanted_city = city_slug(city) if city else None
        found = []
        for channel in self.channels.values():
            if channel.kind not in kinds:
                continue
            if sending is not None and channel.sending_party != sending:
                continue
            if receiving is not None and channel.receiving_party != receiving:
                continue
            if wanted_city is not None:
                known = self.city_of(channel)
                if known is None or city_slug(known) != wanted_city:
                    continue
            found.append(channel)
        return sorted(found, key=lambda channel: channel.slug)

    def channels_between(self, first: str, second: str) -> list[Channel]:
        """Every declared channel connecting the two parties (slugs or codes), posts and pair
        channels alike, in slug order."""
        pair = {code_slug(first), code_slug(second)}
        return sorted(
            (c for c in self.channels.values() if pair <= set(c.parties)), key=lambda c: c.slug
        )
