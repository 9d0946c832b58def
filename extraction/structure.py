"""Stage: mentions of parties, cities and posts, read from the structure of diplomacy.

A report rarely names a post the way a declaration does. It says "Britain expelled 23 Russian
diplomats", "the British consulate-general in St Petersburg", "Russia's embassy", "US missions
in Russia", "the Czech ambassador". Each of these is a *post noun* (embassy, consulate,
mission, ambassador, diplomats, ...) with, around it, the sending party (a demonym or a
possessive before it, "of X" after it), the receiving party or city ("in X", "to X") and,
failing those, the other parties the sentence names. The registry (`domain/registry.py`)
turns that description into the declared posts that fit: no alias is needed, and an alias
cannot pull a post of another pair (a post to an organisation needs the organisation named).

Every pattern here is an alternation of literal words or a bounded window: linear in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from chancery.domain.parties import Channel, ChannelKind, PartyKind
from chancery.domain.places import fold, spellings
from chancery.domain.registry import KIND_FAMILIES, Registry, irregular_plural, word_key
from chancery.extraction.numbers import numbers_in

K = ChannelKind

ANY_POST: tuple[ChannelKind, ...] = ()
"""The kinds of a word for any post ("the American posts in Russia"): every post that fits."""

POST_NOUNS: dict[str, tuple[ChannelKind, ...]] = {
    "consulate general": (K.CONSULATE_GENERAL, K.CONSULATE),
    "general consulate": (K.CONSULATE_GENERAL, K.CONSULATE),
    "consulate": (K.CONSULATE,),
    "consular post": (K.CONSULATE,),
    "embassy": (K.EMBASSY,),
    "high commission": (K.HIGH_COMMISSION,),
    "permanent mission": (K.PERMANENT_MISSION,),
    "permanent representation": (K.PERMANENT_MISSION,),
    "representation": (K.PERMANENT_MISSION,),
    "diplomatic mission": (K.EMBASSY, K.PERMANENT_MISSION),
    "mission": (K.PERMANENT_MISSION, K.EMBASSY),
    "cultural institute": (K.CULTURAL_INSTITUTE,),
    "cultural centre": (K.CULTURAL_INSTITUTE,),
    "cultural center": (K.CULTURAL_INSTITUTE,),
    "ambassador": (K.EMBASSY, K.HIGH_COMMISSION, K.PERMANENT_MISSION),
    "permanent representative": (K.PERMANENT_MISSION,),
    "high commissioner": (K.HIGH_COMMISSION,),
    "envoy": (K.EMBASSY, K.HIGH_COMMISSION, K.PERMANENT_MISSION),
    "chargé d'affaires": (K.EMBASSY, K.HIGH_COMMISSION),
    "charge d'affaires": (K.EMBASSY, K.HIGH_COMMISSION),
    "chargé": (K.EMBASSY, K.HIGH_COMMISSION),  # "Kyiv's chargé"; unaccented, "charge" is a word
    "diplomat": (K.EMBASSY, K.HIGH_COMMISSION, K.PERMANENT_MISSION),
    "counterpart": (K.EMBASSY, K.HIGH_COMMISSION, K.PERMANENT_MISSION),
    "attaché": (K.EMBASSY, K.HIGH_COMMISSION, K.PERMANENT_MISSION),
    "attache": (K.EMBASSY, K.HIGH_COMMISSION, K.PERMANENT_MISSION),
    "consul general": (K.CONSULATE_GENERAL, K.CONSULATE),
    "consul": (K.CONSULATE, K.CONSULATE_GENERAL),
    "diplomatic post": ANY_POST,
    "post": ANY_POST,
}
"""Words a report uses for a post or for the people who serve at one, and the post kinds
each may mean, in order of preference: "diplomats" of a state expelled by another serve at its
embassy there; a "mission" is to an organisation where one is in reach, else an embassy."""

PAIR_NOUNS: dict[str, tuple[ChannelKind, ...]] = {
    "relations": (K.RELATIONS,),
    "ties": (K.RELATIONS,),
    "contacts": (K.DIALOGUE, K.MILITARY_CONTACTS, K.CONTACT_POINT),
    "dialogue": (K.DIALOGUE,),
    "talks": (K.DIALOGUE,),
    "consultations": (K.DIALOGUE,),
    "exchange of views": (K.DIALOGUE,),
    "joint commission": (K.DIALOGUE, K.COUNCIL),
    "exchanged views": (K.DIALOGUE,),
    "invitation": (K.DIALOGUE, K.COUNCIL),
    "cooperation": (K.COOPERATION,),
    "participation": (K.COOPERATION,),
    "membership": (K.COOPERATION,),
    "activities": (K.COOPERATION,),
}
"""Words for a channel of the pair as a whole; the pair is the parties the sentence names. A
member's participation in an organisation, or its membership, is the pair's cooperation
("suspended the participation of Sudan in all AU activities")."""

OWN_CHANNEL_NOUNS = frozenset({"cooperation", "participation", "membership", "activities"})
AFTER_FROM = frozenset({"activities"})
"""Pair words that name the pair's cooperation only after "from" or "in": a member suspended
"from all AU activities", readmitted "to" or taking part "in" them; "the activities of the
mission" are the mission's work."""
_FROM_BEFORE = re.compile(
    r"\b(?:from|in|to)\s++(?:all\s++)?(?:(?:of\s++)?(?:its|their|the)\s++)?(?:[\w-]++\s++)?\Z",
    re.IGNORECASE,
)
"""Pair words that never mean talking through another channel the sentence names: "dialogue
through the Council" is the Council's, but "cooperation" suspended beside a council is the
pair's cooperation."""

RECALL_PURPOSE = frozenset({"consultations"})
"""Pair words that after "for" say why a head of mission was called home ("recalled for
consultations", "left for urgent consultations"), not the pair's dialogue."""
_FOR = re.compile(r"\bfor\s++(?:\w++\s++)?\Z", re.IGNORECASE)

PLURAL_ONLY = frozenset({"post", "diplomatic post"})
"""Words that name posts only in the plural ("its posts in Russia"): "post" alone is a job
("back at his post") or a newspaper."""

PEOPLE = frozenset(
    {"diplomat", "envoy", "counterpart", "attaché", "attache", "consul", "consul general"}
)
"""Nouns for people rather than a post: bare ("several former diplomats"), they name no post,
not even the one the article last spoke of. "His Serbian counterpart" (of an ambassador just
named) is the Serbian ambassador; an attaché (military, defence, press) serves at an embassy,
a consul at a consulate."""

STAFF = PEOPLE | {
    "ambassador",
    "permanent representative",
    "high commissioner",
    "chargé d'affaires",
    "charge d'affaires",
    "chargé",
}
STAFF_ACTIONS = frozenset(
    {
        "accreditation_withdrawn",
        "staff_cap_changed",
        "head_of_mission_recalled",
        "head_of_mission_returned",
        "head_of_mission_summoned",
    }
)
"""A noun for the people of a post names the post only for what is done to its people: an
expulsion, a staff ceiling, a recall or summons. "The embassy's diplomats" are not closed."""


def _noun_pattern(nouns: Sequence[str]) -> re.Pattern[str]:
    words = sorted(nouns, key=len, reverse=True)
    parts = []
    for noun in words:
        body = r"[-\s]+".join(re.escape(w) for w in noun.split())
        body = body.replace("'", "['’]")
        stem = body[:-1] if noun.endswith("y") else body
        plural = rf"{stem}ies" if noun.endswith("y") else rf"{body}s"
        if noun.startswith("consulate"):  # "consulates general", "consulates-general"
            plural = plural + "|consulates[-\\s]+general"
        parts.append(f"{plural}|{body}")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


_POST_NOUN = _noun_pattern(list(POST_NOUNS))
_PAIR_NOUN = _noun_pattern(list(PAIR_NOUNS))


def noun_key(word: str) -> str:
    """The `POST_NOUNS` / `PAIR_NOUNS` key of a matched noun ("Consulates-General" ->
    "consulate general", "embassies" -> "embassy")."""
    key = " ".join(word.replace("’", "'").replace("-", " ").casefold().split())
    if key.startswith("consulates general"):
        return "consulate general"
    if key in PAIR_NOUNS:
        return key
    if key.endswith("ies"):
        return key[:-3] + "y"
    if key.endswith("s") and key[:-1] in POST_NOUNS | PAIR_NOUNS:
        return key[:-1]
    if key.endswith("s") and key.replace("s ", " ", 1)[:-1] in POST_NOUNS:
        return key.replace("s ", " ", 1)[:-1]
    return key


@dataclass(frozen=True)
class Named:
    """A word of the text that names a declared party (or, with `city`, a post's city)."""

    start: int
    end: int
    party: str | None
    city: str | None = None
    people: bool = False
    """A demonym in the plural ("two Lithuanians", "three Czechs"): people of the party."""


def _word_pattern(word: str) -> str:
    """A party or city word as a regex: case as written (so the code "US" is never the
    pronoun "us"), spaces matching spaces or hyphens, "St" as "St", "St." or "Saint", and a
    possessive or plural ending allowed."""
    word = re.sub(r"^the\s+", "", word.strip(), flags=re.IGNORECASE)
    parts = []
    for piece in word.split():
        if piece.casefold() in ("st", "st.", "saint"):
            parts.append(r"(?:St\.?|Saint)")
        else:
            parts.append(re.escape(piece).replace("'", "['’]"))
    return r"[-\s]+".join(parts)


def _key(word: str) -> str:
    """`word_key` with hyphens as spaces: "Saint-Petersburg" is "St Petersburg"."""
    return word_key(word.replace("-", " "))


@dataclass
class Names:
    """Finds the declared parties and the declared posts' cities in a text."""

    registry: Registry
    pattern: re.Pattern[str] | None
    words: dict[str, tuple[str | None, str | None]]
    """`word_key` of a word -> (the party it names, the city it is)."""
    demonyms: frozenset[str] = frozenset()
    """`word_key`s of the parties' demonyms."""
    plurals: frozenset[str] = frozenset()
    """`word_key`s of the demonyms' irregular plurals ("Frenchmen"): people, as "Czechs" is."""

    @classmethod
    def build(cls, registry: Registry) -> Names:
        words: dict[str, tuple[str | None, str | None]] = {}
        spelled: set[str] = set()
        demonyms: set[str] = set()
        plurals: set[str] = set()
        for slug, profile in registry.profiles.items():
            for word, how in profile.words():
                if len(word) < 2 or registry.party(word) != slug:
                    continue  # a word two parties share names neither
                if how == "demonym":
                    demonyms.add(_key(fold(word)))
                    plural = irregular_plural(fold(word))
                    if plural:
                        words.setdefault(_key(plural), (slug, None))
                        spelled.add(plural)
                        plurals.add(_key(plural))
                for spelling in spellings(word) if how == "capital" else (fold(word),):
                    words.setdefault(_key(spelling), (slug, None))
                    spelled.add(spelling)
        for holder in registry.undeclared_holders():  # read as one word naming no one
            if _key(fold(holder)) not in words:
                words[_key(fold(holder))] = (None, None)
                spelled.add(fold(holder))
        for channel in registry.channels.values():
            city = registry.city_of(channel)
            if city:
                party, _ = words.get(_key(fold(city)), (None, None))
                for spelling in spellings(city):
                    words[_key(spelling)] = (words.get(_key(spelling), (party, None))[0], city)
                    spelled.add(spelling)
        ordered = sorted(spelled, key=len, reverse=True)
        body = "|".join(_word_pattern(w) for w in ordered if w.strip())
        ending = r"(?:['’]s|s['’]|['’]|s)?"
        pattern = re.compile(rf"(?<![\w-])(?:{body}){ending}(?![\w])") if body else None
        return cls(registry, pattern, words, frozenset(demonyms), frozenset(plurals))

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Named]:
        """The party and city words in text[start:end], in order, however the text writes
        their diacritics, and a declared city by any of its well-known names (`places`)."""
        if self.pattern is None:
            return []
        found = []
        folded = fold(text)  # one character for one: the offsets are the text's
        for match in self.pattern.finditer(folded, start, len(text) if end is None else end):
            word = re.sub(r"(?:['’]s|s['’]|['’])$", "", match.group(0))
            party, city = self.words.get(_key(word), (None, None))
            people = _key(word) in self.plurals
            if party is None and city is None and word.endswith("s"):
                party, city = self.words.get(_key(word[:-1]), (None, None))
                people = _key(word[:-1]) in self.demonyms
            if party is not None or city is not None:
                found.append(Named(match.start(), match.end(), party, city, people))
        return found


@dataclass(frozen=True)
class Described:
    """What the words around a post noun say of the post: its sending party, receiving party,
    cities, and whether the noun is plural (a list of posts) or bare (nothing said)."""

    kinds: tuple[ChannelKind, ...]
    sending: str | None
    receiving: str | None
    cities: tuple[str, ...]
    plural: bool
    possessive: bool = False
    """'its embassy', 'their consulates': the sending party is the sentence's subject."""


_ATTACHED = re.compile(r"(?:\s+(?:[\w’'-]+|\d+))?(?:\s+(?:[\w’'-]+|\d+))?\s*+$")
"""At most two words (a number, an adjective: "23 Russian diplomats", "US diplomatic
missions") between a party word and its post noun."""
_WITH = re.compile(r"\s++with\s++(?:the\s++)?", re.IGNORECASE)
_LINK = re.compile(r"\s+(of|in|to|at|for)\s+(?:the\s+)?", re.IGNORECASE)
_FROM = re.compile(r"\s++(?:(?:home|back)\s++)?from\s++", re.IGNORECASE)
"""A head of mission called "home from" or recalled "from" a city: the post is in that city."""
HEADS = frozenset(
    {
        "ambassador",
        "envoy",
        "high commissioner",
        "permanent representative",
        "chargé d'affaires",
        "charge d'affaires",
    }
)
_LIST_SEPARATOR = re.compile(
    r"(?:\s*+,\s*+(?:and\s++)?|\s++and\s++)(?:(?:in|at)\s++(?:the\s++)?)?", re.IGNORECASE
)
"""Between the places of a list: "A, B and C", "in A and in B"."""
_BLOCKING = re.compile(
    r"(?i)\b(?:in|to|of|at|from|and|or|with|for|by|on|than|as|after|before|that|which|who|"
    r"when|while|is|are|was|were|has|have|had|not|no|will|would|said|says)\b|[,;:()\"“”.!?]"
)
"""Words that end a noun phrase: a party word before one of them is not the post's owner
("Moscow as ambassadors return")."""
_POSSESSIVE = re.compile(r"(?i)\b(?:its|their|his|her)\s+(?:own\s+)?(?:\w+\s+)?$")
"""A third-person possessive: the post of the party named just before. ("Our embassy" is the
speaker's, whom the text may not name: its city or the topic decide.)"""
_PART_OF = re.compile(
    r"(?i)\b(?P<part>\w+)\s++of\s++(?:the\s++|its\s++|their\s++|[\w’']+['’]s\s++)?"
    r"(?:(?P<whole>\w+)\s++)?(?:[\w’'-]+\s++)??$"
)
"""'four of its five', 'one of the', 'three of France's four' just before a post noun (an
adjective may stand between): a part of the posts, which ones not said."""
MAX_LISTED = 12
"""Posts one noun may list ("its consulates in A, B and C"); more is not a report's list."""


def describe(
    text: str, noun: re.Match[str], names: Sequence[Named], kinds: tuple[ChannelKind, ...]
) -> Described:
    """Read the words around one post noun (`names`: the sentence's party and city words)."""
    sending = receiving = None
    before = [n for n in names if n.end <= noun.start() and n.party is not None]
    if before:
        gap = text[before[-1].end : noun.start()]
        if len(gap) <= 40 and _ATTACHED.fullmatch(gap) and not _BLOCKING.search(gap):
            sending = before[-1].party
    cities: list[str] = []
    at = noun.end()
    by_start = {n.start: n for n in names}
    from_city = _FROM.match(text, at) if noun_key(noun.group(0)) in HEADS else None
    place = by_start.get(from_city.end()) if from_city else None
    if place is not None and place.city:  # "recalled its ambassador from Tehran": the post there
        cities.append(place.city)
    if sending is None and not _LINK.match(text, at):
        sending = _shared_owner(text, at, by_start)
    for _ in range(2):  # "the Ambassador of the United Kingdom to the Russian Federation"
        link = _LINK.match(text, at)
        if link is None or link.end() not in by_start:
            break
        listed = [by_start[link.end()]]
        while len(listed) < MAX_LISTED:
            separator = _LIST_SEPARATOR.match(text, listed[-1].end)
            if separator is None or separator.end() not in by_start:
                break
            listed.append(by_start[separator.end()])
        at = listed[-1].end
        if link.group(1).lower() == "of" and sending is None and not listed[0].city:
            sending = listed[0].party
            continue
        for named in listed:
            if named.city:
                cities.append(named.city)
            elif named.party and receiving is None:
                receiving = named.party
    word = noun.group(0).casefold()
    plural = (word.endswith("s") and not word.endswith("affaires")) or (
        " general" in word and (word.startswith("consulates"))
    )
    possessive = sending is None and bool(
        _POSSESSIVE.search(text[max(0, noun.start() - 30) : noun.start()])
    )
    return Described(kinds, sending, receiving, tuple(cities), plural, possessive)


_AND_THE = re.compile(r"\s++and\s++(?:the\s++|its\s++)?", re.IGNORECASE)


def _shared_owner(text: str, at: int, by_start: dict[int, Named]) -> str | None:
    """The owner two coordinated post nouns share, named after the second ("the embassy and
    the consulate general of Qatar"): the first noun's sending party. A place after the
    second ("... and the consulate in Alexandria") is that post's own, so only "of" a party
    that is no city counts."""
    joined = _AND_THE.match(text, at)
    second = _POST_NOUN.match(text, joined.end()) if joined else None
    link = _LINK.match(text, second.end()) if second else None
    if link is None or link.group(1).lower() != "of":
        return None
    owner = by_start.get(link.end())
    return owner.party if owner is not None and not owner.city else None


def posts_part(text: str, noun_start: int) -> int | None:
    """How many posts the noun names when it is preceded by a part of a whole ("four of its
    five consulates", "one of the consulates"): the text does not say which, so a list of them
    must not be read as all of them. None when it names no such part."""
    window = text[max(0, noun_start - 60) : noun_start]
    found = _PART_OF.search(window)
    if found is None:
        return None
    part = numbers_in(found.group("part"))
    whole = numbers_in(found.group("whole") or "")
    if not part or part[0].value > MAX_LISTED:
        return None  # not a count of posts ("in 2018 of its consulates")
    return part[0].value if not whole or part[0].value < whole[0].value else None


def resolve_posts(
    registry: Registry, described: Described, others: Sequence[str], in_reach: set[str]
) -> list[Channel]:
    """The declared posts a description selects. A side the words leave open is filled from
    `others` (the parties the sentence, then the passage, names; nearest first). A post to an
    organisation is selected only when the organisation is in reach (named in the sentence or
    passage), so a state's mission to one organisation never claims its mission to another."""
    sending, receiving = described.sending, described.receiving
    if sending is None and receiving is None and not described.cities:
        return []
    cities: tuple[str | None, ...] = described.cities or (None,)
    kinds: tuple[ChannelKind | None, ...] = described.kinds or (None,)  # None: any post kind
    for kind in kinds:
        tries: list[tuple[str | None, str | None, bool]] = [(sending, receiving, False)]
        if sending is not None and receiving is None:
            tries = [(sending, other, False) for other in others if other != sending]
            tries.append((sending, None, True))
        elif receiving is not None and sending is None:
            tries = [(other, receiving, False) for other in others if other != receiving]
            tries.append((None, receiving, True))
        for send, receive, open_side in tries:
            found = [
                post
                for city in cities
                for post in registry.posts(kind, send, receive, city)
                if _reachable(registry, post, in_reach)
            ]
            found = list({post.slug: post for post in found}.values())
            several = bool(described.cities) or (described.plural and not open_side)
            if found and (len(found) == 1 or several):
                return found
    return []


def _reachable(registry: Registry, post: Channel, in_reach: set[str]) -> bool:
    receiving = post.receiving_party
    profile = registry.profiles.get(receiving or "")
    if profile is None or profile.kind != PartyKind.ORGANISATION:
        return True
    return receiving in in_reach


def resolve_pair(
    registry: Registry,
    kinds: tuple[ChannelKind, ...],
    parties: Sequence[str],
    counterpart: str | None = None,
) -> Channel | None:
    """The one channel of these kinds between the first two distinct parties named (or, where
    the text names only the `counterpart` after "with", "relations with India", the one
    channel of these kinds it has with anyone); None where the pair has several ("an
    invitation" between two parties that meet in a council and in a dialogue is read by the
    channel the text names, not guessed)."""
    pair = list(dict.fromkeys(parties))[:2]
    if not pair or (len(pair) == 1 and pair[0] != counterpart):
        return None
    if len(pair) == 1:  # "decided to downgrade relations with India": the speaker unnamed
        fitting = [
            c for c in registry.channels.values() if c.kind in kinds and pair[0] in c.parties
        ]
    else:
        fitting = [c for c in registry.channels_between(pair[0], pair[1]) if c.kind in kinds]
    return fitting[0] if len(fitting) == 1 else None


@dataclass(frozen=True)
class PostMention:
    """A stretch of text that names one or more declared channels by structure; the posts of
    one list ("its consulates in A, B and C") share the mention."""

    start: int
    end: int
    slugs: tuple[str, ...]
    staff: bool = False
    """Named by the people who serve at it (`STAFF`): only `STAFF_ACTIONS` pair with it."""


@dataclass
class Topic:
    """What the article has named so far: the parties (each once, most recent last) and, per
    post noun, the posts it last resolved to, so "the embassy" two sentences on is still that
    embassy."""

    parties: dict[str, None]
    posts: dict[ChannelKind, tuple[str, ...]]
    head: tuple[str, ...] = ()
    """The post of the head of mission last named ("its ambassador from Buenos Aires"): the
    one "the ambassador" later means, whatever posts were named between."""

    def saw(self, party: str) -> None:
        self.parties.pop(party, None)
        self.parties[party] = None

    def named(self, post: Channel) -> None:
        """A post the text names outright is the one its kind's nouns now refer to."""
        for kind in KIND_FAMILIES.get(post.kind, frozenset({post.kind})):
            self.posts[kind] = (post.slug,)

    def others(self, near: Sequence[Named], noun_start: int) -> list[str]:
        """Parties to fill an open side from: those named near the noun, nearest first, then
        the article's, most recent first."""
        close = sorted((n for n in near if n.party), key=lambda n: abs(n.start - noun_start))
        ordered = [n.party for n in close] + list(reversed(self.parties))
        return [p for p in dict.fromkeys(ordered) if p is not None]


REACH = 200
"""Characters either side of a post noun in which its sentence's party words are read: a
clause or two. It also bounds the work per noun, so a sentence of a hundred thousand nouns
costs a hundred thousand small steps."""


@dataclass
class _Part:
    """A part of a post list not said ("four of its five consulates"), waiting for the list
    that names it ("The consulates in A, B, C and D ...") in the same or the next paragraph."""

    start: int
    end: int
    count: int
    kinds: tuple[ChannelKind, ...]
    paragraph: int


def structural_mentions(
    text: str,
    spans: Sequence[tuple[int, int, int]],
    names: Sequence[Named],
    registry: Registry,
    named_at: Sequence[int] = (),
    named_posts: Sequence[tuple[int, Channel]] = (),
) -> list[PostMention]:
    """Every post and pair-channel mention the structure resolves, sentence by sentence
        (`spans`: start, end, paragraph of each sentence; `names`: the text's party words;
        `named_at`: where the text names a declared channel outright, in order;
        `named_posts`: the posts among those, by where named, in order). A word for the
        pair's channel ("dialogue", "contacts") defers to a channel its sentence names, but for
    `OWN_CHANNEL_NOUNS`. A post noun whose words give no side ("The mission's observers")
    is the post of its kind last named, by its name or by structure."""
    names = [n for n in names if not is_mediator(text, n)]
    topic = Topic({}, {})
    told = 0
    found: list[PostMention] = []
    parts: list[_Part] = []
    starts = [n.start for n in names]
    for start, end, paragraph in spans:
        first, last = bisect_left(starts, start), bisect_left(starts, end)
        for noun in _POST_NOUN.finditer(text, start, end):
            while told < len(named_posts) and named_posts[told][0] < noun.start():
                topic.named(named_posts[told][1])
                told += 1
            near = _near(names, starts, noun.start(), noun.end(), first, last)
            key = noun_key(noun.group(0))
            described = describe(text, noun, near, POST_NOUNS.get(key, ()))
            if key in PLURAL_ONLY and not described.plural:
                continue
            partial = described.plural and key not in STAFF  # "two of the consulate" is no part
            count = posts_part(text, noun.start()) if partial else None
            if count is not None:  # which of them is not said (yet)
                parts.append(_Part(noun.start(), noun.end(), count, described.kinds, paragraph))
                continue
            posts = _resolve(text, registry, described, near, noun.start(), topic)
            slugs = tuple(post.slug for post in posts)
            if not slugs and _the_head(text, noun, described):
                slugs = topic.head
            elif not slugs and key not in PEOPLE:
                slugs = next((topic.posts[k] for k in described.kinds if k in topic.posts), ())
            if slugs:
                found.append(PostMention(noun.start(), noun.end(), slugs, key in STAFF))
                found.extend(_completed(parts, posts, paragraph))
                for post in posts:
                    topic.posts[post.kind] = slugs
                if key in HEADS and len(slugs) == 1:
                    topic.head = slugs
        named_here = {slug for m in found if m.start >= start for slug in m.slugs}
        people = _counted_people(text, names, starts, (first, last), registry, topic)
        found.extend(m for m in people if named_here.isdisjoint(m.slugs))
        says_channel = bisect_left(named_at, start) < bisect_left(named_at, end)
        for noun in _PAIR_NOUN.finditer(text, start, end):
            key = noun_key(noun.group(0))
            if says_channel and key not in OWN_CHANNEL_NOUNS:
                continue
            if key in AFTER_FROM and not _FROM_BEFORE.search(
                text, max(start, noun.start() - 40), noun.start()
            ):
                continue
            if key in RECALL_PURPOSE and _FOR.search(
                text, max(start, noun.start() - 30), noun.start()
            ):
                continue  # "recalled for consultations": why an envoy went home, no dialogue
            near = _near(names, starts, noun.start(), noun.end(), first, last)
            kinds = PAIR_NOUNS.get(key, ())
            with_party = _WITH.match(text, noun.end())
            counterpart = next(
                (n.party for n in near if with_party and n.start == with_party.end()), None
            )
            channel = resolve_pair(registry, kinds, topic.others(near, noun.start()), counterpart)
            if channel is not None:
                found.append(PostMention(noun.start(), noun.end(), (channel.slug,)))
        for named in names[first:last]:
            if named.party:
                topic.saw(named.party)
    return found


def _counted_people(
    text: str,
    names: Sequence[Named],
    starts: Sequence[int],
    sentence: tuple[int, int],
    registry: Registry,
    topic: Topic,
) -> list[PostMention]:
    """People of a state counted by their demonym ("expelling two Lithuanians", "ordered three
    Czechs to leave"): a report counts the other state's diplomats so, who serve at its post in
    the state acting, as "two Lithuanian diplomats" would say. Where the sentence names that
    post itself ("12 Kenyans, among them ten employees of the embassy"), its words do."""
    found = []
    first, last = sentence
    for named in names[first:last]:
        if not (named.people and _counted(text, named.start)):
            continue
        near = _near(names, starts, named.start, named.end, first, last)
        described = Described(POST_NOUNS["diplomat"], named.party, None, (), False)
        posts = _resolve(text, registry, described, near, named.start, topic)
        if posts:
            slugs = tuple(post.slug for post in posts)
            found.append(PostMention(named.start, named.end, slugs, staff=True))
    return found


def _counted(text: str, at: int) -> bool:
    """Whether a number stands right before text[at] ("three Czechs")."""
    window = max(0, at - 30)
    numbers = numbers_in(text[window:at], window)
    return bool(numbers) and not text[numbers[-1].end : at].strip()


_THE = re.compile(r"\bthe\s++\Z", re.IGNORECASE)


def _the_head(text: str, noun: re.Match[str], described: Described) -> bool:
    """Whether a head of mission is named as one already spoken of, "the envoy" alone ("...
    recalled its ambassador from La Paz, and the envoy returned only in December"): the head
    of mission last named (where "an envoy" or "envoys" name nobody known)."""
    bare = not (described.sending or described.receiving or described.cities)
    single = noun_key(noun.group(0)) in HEADS and not described.plural
    return bare and single and _THE.search(text, max(0, noun.start() - 8), noun.start()) is not None


_THEIR = re.compile(r"(?i)\btheir\s+(?:own\s+)?(?:\w+\s+)?$")


def _each_others(registry: Registry, described: Described, parties: Sequence[str]) -> list[Channel]:
    """ "Their embassies" said of two states ("the two governments restored relations and
    reopened their embassies"): each one's post of that kind in the other, of the two parties
    the sentence, then the article, names last."""
    pair = list(dict.fromkeys(parties))[:2]
    if len(pair) < 2:
        return []
    found = []
    for kind in described.kinds:
        for send, receive in (pair, pair[::-1]):
            posts = registry.posts(kind, send, receive, None)
            if len(posts) == 1:
                found.extend(posts)
    return found


_MEDIATOR_BEFORE = re.compile(
    r"\b(?:(?:mediated|brokered|hosted|facilitated|sponsored|arranged)\s++by|"
    r"(?:with|through|under)\s++the\s++(?:mediation|help|good\s++offices)\s++of)"
    r"\s++(?:the\s++)?$",
    re.IGNORECASE,
)
_MEDIATOR_AFTER = re.compile(
    r"(?:['’]s?)?\s++(?:mediation|mediators?|good\s++offices|brokering|help)\b", re.IGNORECASE
)


def is_mediator(text: str, named: Named) -> bool:
    """Whether a party word names a third party that brought the two together ("with Saudi
    mediation", "a deal brokered by China", "talks hosted by Oman"): no side of what they
    did, so neither the sending nor the receiving state of a post, nor one of a pair."""
    before = _MEDIATOR_BEFORE.search(text, max(0, named.start - 40), named.start)
    return before is not None or _MEDIATOR_AFTER.match(text, named.end) is not None


def _resolve(
    text: str,
    registry: Registry,
    described: Described,
    near: Sequence[Named],
    at: int,
    topic: Topic,
) -> list[Channel]:
    """The posts one noun names, its open sides filled from the sentence and the topic."""
    if described.possessive and described.plural and _THEIR.search(text, max(0, at - 30), at):
        return _each_others(registry, described, topic.others(near, at))
    if described.possessive:
        before = [
            n for n in near if n.party and n.end <= at and not describes_post(text, n.start, n.end)
        ]
        plain = [n for n in before if not _genitive(text, n)]
        subject = (plain or before)[-1].party if before else None  # "ordered Russia to close its"
        described = replace(described, sending=subject)
    in_reach = {n.party for n in near if n.party} | set(list(topic.parties)[-6:])
    others = topic.others(near, at)
    found = resolve_posts(registry, described, others, in_reach)
    if not found and described.possessive and described.cities:
        # "limited the Lithuanian embassy ... and closed its consulate in Grodno": the subject
        # has no post there, so "its" is the other party's; the city names the post
        found = resolve_posts(registry, replace(described, sending=None), others, in_reach)
    return found


_BLANKS = re.compile(r"\s++")
_ONE_WORD = re.compile(r"\s++[\w’'-]++\s++")


def _owns_post(text: str, named: Named) -> bool:
    """Whether a party word is the owner of a post noun right after it ("Algerian embassy
    agents"): then it is no antecedent of a later "its" ("Paris expels Algerian embassy
    agents, recalls its ambassador": its is Paris's)."""
    gaps = (_BLANKS.match(text, named.end), _ONE_WORD.match(text, named.end))
    return any(gap is not None and _POST_NOUN.match(text, gap.end()) for gap in gaps)


_GENITIVE = re.compile(r"['’]s?(?![\w’'])")


def _genitive(text: str, named: Named) -> bool:
    """Whether a party word is a possessive ("the European Union's Eastern Partnership"): it
    qualifies the noun after it, so where the sentence names a party plainly before it, that
    one, not the possessive, is the subject a later "its" refers to ("Belarus was suspending
    its part in the European Union's programme and calling its envoy home": Belarus's). Alone
    it still is ("France's minister said its embassy would close")."""
    word = text[named.start : named.end]
    return word.endswith(("'s", "’s")) or _GENITIVE.match(text, named.end) is not None


_AFTER_POST = re.compile(_POST_NOUN.pattern + r"\s++(?:of|in|to|at)\s++(?:the\s++)?$", re.I)


def describes_post(text: str, start: int, end: int) -> bool:
    """Whether the party word at text[start:end] says whose or where a post is ("the Kenyan
    consulate", "the embassy of Kenya"): it names the post, not who acts on it."""
    if _owns_post(text, Named(start, end, None)):
        return True
    return _AFTER_POST.search(text, max(0, start - 60), start) is not None


def _completed(parts: list[_Part], posts: Sequence[Channel], paragraph: int) -> list[PostMention]:
    """The waiting parts a list of exactly their number of posts, of their kind, names: the
    part's words then name those posts ("four of its five consulates ... the consulates in
    A, B, C and D"). A part left waiting past the next paragraph names nothing."""
    parts[:] = [part for part in parts if paragraph - part.paragraph <= 1]
    named = []
    for part in list(parts):
        kinds = {k for kind in part.kinds for k in KIND_FAMILIES.get(kind, {kind})}
        if len(posts) == part.count and all(post.kind in kinds for post in posts):
            slugs = tuple(post.slug for post in posts)
            named.append(PostMention(part.start, part.end, slugs))
            parts.remove(part)
    return named


def _near(
    names: Sequence[Named], starts: Sequence[int], a: int, b: int, first: int, last: int
) -> Sequence[Named]:
    """The sentence's party words (indexes first..last) within `REACH` of text[a:b]."""
    lo = max(first, bisect_left(starts, a - REACH))
    hi = min(last, bisect_right(starts, b + REACH))
    return names[lo:hi]
