"""Stage 3 and 4, triggers and pairing: the words that signal an action type, each paired
with the channel mention it refers to (the nearest fitting one, a clause boundary or a
passive voice weighing against a mention); a trigger paired with one of a list of posts
proposes each of them; a sentence that names no channel takes one from its passage."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from chancery.domain.actions import ACTION_TYPES
from chancery.domain.parties import Channel, ChannelKind
from chancery.domain.registry import KIND_FAMILIES
from chancery.extraction.mentions import Lexicon, Mention, trigger_span
from chancery.extraction.segment import Sentence
from chancery.extraction.structure import STAFF_ACTIONS, resolve_pair

MAX_TRIGGER_DISTANCE = 120
"""Characters between a trigger word and the channel mention it is paired with."""

CLAUSE = re.compile(r"[,;:“”\"()—–]|\s-\s|\b(?:and|but|while|whereas|as well as)\b")
"""What ends a clause: punctuation, a dash, a coordinating word."""
_STATE = re.compile(
    r"\b(?:remain(?:s|ed|ing)?|stay(?:s|ed|ing)?|kept|keeps?)\s++(?:\w++\s++)?$", re.IGNORECASE
)
"""A state verb before a trigger ("remains closed", "stay suspended"): how things stand, not
a change the text reports."""
_STOPPED = re.compile(
    r"\b(?:stop(?:s|ped|ping)?|ceas(?:e|es|ed|ing)|halt(?:s|ed|ing)?|suspend(?:s|ed|ing)?|"
    r"end(?:s|ed|ing)?|no\s++longer)\s++(?:[a-z]{1,20}?ing\s++)?(?:(?:formal|regular|their|its|the|all)"
    r"\s++){0,2}\Z",
    re.IGNORECASE,
)
"""A verb of stopping before an occurrence ("stopped holding formal meetings", "no longer
held sessions"): the occurrences ended; none is reported."""
OCCURRENCES = frozenset({"meeting_held", "head_of_mission_summoned", "meeting_proposal_not_agreed"})
"""Actions that happen rather than take effect (a meeting, a summons): said of the future,
they are plans, never announced decisions; several in one sentence are several
("met on Friday, after sessions in January and July")."""
MAX_OCCURRENCES = 4
"""Occurrences of one type on one channel one sentence may report."""

ACTIVE_OBJECT_AFTER = 20
"""Characters' worth of preference, for an active trigger, of a mention after it (its object:
"expelled 60 employees of the US missions") over one before it (often its cause: "in
answer to the expulsion of 60 Russian diplomats has declared ...")."""
NOMINAL_OBJECT_REACH = 12
"""Characters between a nominal trigger's "of" and the channel it names ("the opening of the
NATO office", "a session of the council"): its object stands right after it or nowhere."""
_NOMINAL = re.compile(r"(?:ment|ion|ing|al|ure)\s++of\Z", re.IGNORECASE)
"""An action noun and its "of" ("establishment of", "session of", "closure of"); not a
measure ("a cap of 20", "the size of")."""
_OF_AFTER = re.compile(r"\s++of(?=\s)", re.IGNORECASE)
"""The "of" right after a trigger word ("reopen*" as "the reopening of"): an action noun, a
topic where talk is about it (`_TOPIC`: "dialogue on the reopening of the border crossings")."""
_TOPIC = re.compile(
    r"\b(?:on|about|concerning|regarding|to\s++(?:hold|convene|call|allow|permit|discuss|"
    r"propose|seek|request|consider))\s++(?:the|a|an)\s++(?:[\w-]++\s++)?\Z",
    re.IGNORECASE,
)
"""What makes a nominal trigger a topic rather than a report: a document or talk about it
("the communique on the establishment of relations") or a plan to do it ("the proposal to
hold a meeting of the Council")."""
_PASSIVE = re.compile(r"\b(?:was|were|been|being|be|is|are|had)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    """One action type a trigger proposes on one channel."""

    type: str
    channel: str
    start: int
    end: int
    carried: bool
    shared: bool = False
    """One of several posts the trigger names at once ("58 of the embassy and two of the
    consulate"): a number the sentence gives is the total, nobody's own."""
    post: int | None = None
    """Where a shared post is named, for the number written right before it."""


_SUBJECT_NOUN = re.compile(r"(?:sion|tion|sure|al)s?\Z", re.IGNORECASE)
_VERB_AFTER = re.compile(
    r"\s++(?:does|do|did|will|would|shall|can|could|may|might|must)\b",
    re.IGNORECASE,
)
"""An action noun followed by an auxiliary ("the suspension does not affect the work of the
office", "the expulsion will not change ..."): the noun is its clause's subject, told before,
and what the verb reaches is not the channel it acts on."""


def pair(
    lexicon: Lexicon,
    text: str,
    type_: str,
    start: int,
    end: int,
    mentions: Sequence[Mention],
    limit: str | None,
) -> tuple[Mention, float] | None:
    """The channel mention a trigger refers to: the nearest fitting mention, penalised for
    crossing a clause boundary; a passive trigger ("was revoked") prefers one before it.
    `mentions` need only be those within `MAX_TRIGGER_DISTANCE` (see `MentionIndex.near`)."""
    action = ACTION_TYPES[type_]
    passive = is_passive(text, start)
    subject = _SUBJECT_NOUN.search(text[start:end]) is not None and bool(
        _VERB_AFTER.match(text, end)
    )
    best: tuple[float, Mention] | None = None
    for mention in mentions:
        channel = lexicon.channels[mention.slug]
        if channel.kind not in action.kinds or (limit and mention.slug != limit):
            continue
        if (
            mention.staff
            and type_ not in STAFF_ACTIONS
            and not opens_by_head(type_, text[start:end])
        ):
            continue
        if mention.end <= start:
            between, before = text[mention.end : start], True
        elif subject:
            continue  # "the suspension does not affect the office": the noun is the subject
        elif mention.start >= end:
            between, before = text[end : mention.start], False
        else:
            between, before = "", True
        distance = float(len(between))
        if distance > MAX_TRIGGER_DISTANCE:
            continue
        if CLAUSE.search(between):
            distance += 60
        if passive and not before:
            distance += 50
        elif before and not passive:
            distance += ACTIVE_OBJECT_AFTER
        if mention.generic:
            distance += 5
        if best is None or distance < best[0]:
            best = (distance, mention)
    return (best[1], best[0]) if best else None


@dataclass
class MentionIndex:
    """Where things are in one article, built once, so that each trigger is related to the
    mentions, paragraphs and statements around it by bisection rather than by a walk over
    everything before it: one alias or trigger repeated a hundred thousand times must cost a
    hundred thousand steps, not their square."""

    sents: list[Sentence]
    mentions: list[Mention]
    headline: bool = False
    """The article opens with a headline (`segment.is_headline`): its lede retells it."""
    starts: list[int] = field(init=False)
    reach: list[int] = field(init=False)
    """The furthest end of the mentions up to each one (non-decreasing, for bisection)."""
    paragraph_first: list[int] = field(init=False)
    """The offset of the first sentence of each sentence's paragraph."""
    passage_first: list[int] = field(init=False)
    """Where the passage a sentence's triggers may take a channel from begins: its paragraph,
    or for the lede right after a headline, the headline ("Two states hold strategic dialogue"
    / "Officials met in the capital on Thursday")."""
    by_kind: dict[ChannelKind, tuple[list[int], list[Mention]]] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = [m.start for m in self.mentions]
        self.reach, furthest = [], -1
        for m in self.mentions:
            furthest = max(furthest, m.end)
            self.reach.append(furthest)
        self.paragraph_first, first = [], 0
        for i, sentence in enumerate(self.sents):
            if i == 0 or self.sents[i - 1].paragraph != sentence.paragraph:
                first = sentence.start
            self.paragraph_first.append(first)
        self.passage_first = list(self.paragraph_first)
        if self.headline:
            lede = next((s.paragraph for s in self.sents if s.paragraph > 0), None)
            for i, sentence in enumerate(self.sents):
                if sentence.paragraph == lede:
                    self.passage_first[i] = 0
        self.by_kind = {}

    def kind_index(self, kind: ChannelKind, lexicon: Lexicon) -> tuple[list[int], list[Mention]]:
        if kind not in self.by_kind:
            of_kind = [m for m in self.mentions if lexicon.channels[m.slug].kind == kind]
            self.by_kind[kind] = ([m.start for m in of_kind], of_kind)
        return self.by_kind[kind]

    def in_sentence(self, sentence: Sentence) -> tuple[int, int]:
        """The range of mentions (indexes) that start inside the sentence."""
        return bisect_left(self.starts, sentence.start), bisect_left(self.starts, sentence.end)

    def near(self, start: int, end: int, within: tuple[int, int]) -> list[Mention]:
        """The mentions of the range `within` that may lie within `MAX_TRIGGER_DISTANCE` of
        text[start:end]."""
        lo = max(within[0], bisect_left(self.reach, start - MAX_TRIGGER_DISTANCE))
        hi = min(within[1], bisect_right(self.starts, end + MAX_TRIGGER_DISTANCE))
        return self.mentions[lo:hi]

    def inside_mention(self, position: int) -> bool:
        i = bisect_right(self.starts, position) - 1
        return i >= 0 and position < self.reach[i]


_THROUGH_POST = re.compile(
    r"\s++(?:(?:our|its|their|the|[\w’'-]++['’]s)\s++)?(?:[\w-]++\s++)?"
    r"(?:ambassador|embassy|envoy|mission|permanent\s++representative|representation)\b",
    re.IGNORECASE,
)
"""A post named right after "through" or "via" ("through our ambassador in Belgium", "via the
Belarusian embassy"): the way contacts are to go."""


_OFFER = re.compile(
    r"\b(?:can|could|may|will|would|should|contacts?|communications?|matters)\b", re.IGNORECASE
)
"""What makes "through" a standing offer: a modal of what may go that way from now on, or the
contacts that are to."""


def contact_point(
    lexicon: Lexicon, text: str, sentence: Sentence, type_: str, trigger_end: int
) -> str | None:
    """The pair's one declared contact point, where a designation's "through" or "via" names
    a post ("they can address through our ambassador in Belgium"): the post is the contact
    point, whatever place the text gives it; the pair is the parties the sentence names."""
    if type_ != "contact_point_designated" or not _THROUGH_POST.match(text, trigger_end):
        return None
    if not _OFFER.search(text, max(sentence.start, trigger_end - 80), trigger_end):
        return None  # "the note was delivered through the embassy": a route taken, no offer
    parties = [slug for _, _, slug in lexicon.party_mentions(text, sentence.start, sentence.end)]
    channel = resolve_pair(lexicon.registry, (ChannelKind.CONTACT_POINT,), parties)
    return channel.slug if channel is not None else None


def carried_channel(lexicon: Lexicon, type_: str, index: int, where: MentionIndex) -> str | None:
    """For a sentence that names no channel ("No agreement was reached," the ministry said),
    the last fitting channel named earlier in the same paragraph, or in the headline for the
    lede (from the paragraph before, it proposed only actions the gold sets do not hold). The
    people of a post ("the ambassador") carry it only for what is done to people ("Trade
    stands suspended" after "the ambassador is asked to leave" suspends no embassy)."""
    action = ACTION_TYPES[type_]
    floor, before = where.passage_first[index], where.sents[index].start
    best: Mention | None = None
    for kind in action.kinds:
        starts, of_kind = where.kind_index(kind, lexicon)
        i = bisect_left(starts, before) - 1
        for _ in range(8):  # past a few people nouns, no further: bounded work per trigger
            if i < 0 or type_ in STAFF_ACTIONS or not of_kind[i].staff:
                break
            i -= 1
        fits = i >= 0 and (type_ in STAFF_ACTIONS or not of_kind[i].staff)
        if fits and starts[i] >= floor and (best is None or starts[i] > best.start):
            best = of_kind[i]
    if best is None and type_ in OCCURRENCES:
        return headline_channel(lexicon, type_, index, where)
    return best.slug if best else None


def headline_channel(lexicon: Lexicon, type_: str, index: int, where: MentionIndex) -> str | None:
    """The one channel of the type's kinds a title line names ("Press point following the
    meeting of the NATO-Russia Council"), for an occurrence the body tells without naming it
    ("We met today for the third time this year"), where the text names no channel between."""
    if index == 0 or not where.sents or where.sents[0].paragraph == where.sents[1].paragraph:
        return None
    title = where.sents[0]
    kinds = ACTION_TYPES[type_].kinds
    named = {m.slug for m in where.mentions if m.start < where.sents[index].start}
    in_title = {
        m.slug
        for m in where.mentions
        if title.start <= m.start < title.end and lexicon.channels[m.slug].kind in kinds
    }
    return next(iter(in_title)) if len(in_title) == 1 and named == in_title else None


def choose_type(hits: list[tuple[Hit, float]], lexicon: Lexicon) -> Hit:
    """Among types triggered by one word on one channel, the channel's natural reading; of
    readings alike, the longer phrase's ("lifted the suspension" over "suspension")."""

    def key(item: tuple[Hit, float]) -> tuple[float, int, int, int]:
        hit, score = item
        action = ACTION_TYPES[hit.type]
        kind = lexicon.channels[hit.channel].kind
        home = action.home_kinds or action.kinds
        return (score, 0 if kind in home else 1, len(action.kinds), hit.start - hit.end)

    return min(hits, key=key)[0]


_TIME_GIVEN = re.compile(r"(?:giv|gave).*\bleave\Z", re.IGNORECASE | re.DOTALL)


def _means_withdrawal(hit: Hit, trigger: str) -> bool:
    """Whether a hit on a post whose consent its sentence withdraws only tells what the
    withdrawal means: the post closed, or time given its staff to leave."""
    if hit.type == "post_closed":
        return True
    return hit.type == "accreditation_withdrawn" and _TIME_GIVEN.match(trigger) is not None


Negated = Callable[[str, int, str, int], bool]
"""(text, trigger start, trigger, sentence start) -> whether the clause denies the action."""


@dataclass
class _SentenceHits:
    """The hits of one sentence, grouped by overlapping trigger words: one word read as
    several types ("suspended": a mission, contacts) yields one type per channel."""

    groups: dict[tuple[int, int], list[tuple[Hit, float]]] = field(default_factory=dict)
    owner: dict[int, tuple[int, int]] = field(default_factory=dict)
    order: dict[tuple[int, int], int] = field(default_factory=dict)
    listed: list[Hit] = field(default_factory=list)
    """The other posts of a list a trigger was paired with ("its consulates in A, B and C")."""

    def add(self, hit: Hit, score: float) -> None:
        a, b = hit.start, hit.end
        overlapping = {self.owner[i] for i in range(a, b) if i in self.owner}
        key = min(overlapping, key=self.order.__getitem__) if overlapping else (a, b)
        self.order.setdefault(key, len(self.order))
        self.groups.setdefault(key, []).append((hit, score))
        for i in range(a, b):
            self.owner.setdefault(i, key)

    def chosen(self, lexicon: Lexicon, text: str) -> list[Hit]:
        """One type per trigger word and channel, then the rest of each list it named; one
        action of a type on a channel, but for occurrences (`_key`): merging folds those
        into one where their dates agree. A post whose consent the sentence withdraws is not
        also closed by it ("withdraw its consent to the consulates, which are to cease all
        activity"), nor are its staff expelled by the time given them to leave ("giving its
        staff until the end of June to leave"): the closing and the leaving are what the
        withdrawal means."""
        chosen: dict[tuple[str, str, int], Hit] = {}
        for group in self.groups.values():
            hit = choose_type(group, lexicon)
            chosen.setdefault(_key(hit, chosen), hit)
        triggers = {(hit.type, hit.start) for hit in chosen.values()}
        for hit in self.listed:
            if (hit.type, hit.start) in triggers:
                hit = self._home_reading(hit, lexicon)
                chosen.setdefault((hit.type, hit.channel, 0), hit)
        withdrawn = {c for t, c, _ in chosen if t == "post_consent_withdrawn"}
        return [
            h
            for h in chosen.values()
            if h.channel not in withdrawn or not _means_withdrawal(h, text[h.start : h.end])
        ]

    def _home_reading(self, hit: Hit, lexicon: Lexicon) -> Hit:
        """A listed post in the reading of the same word that is natural on its own kind,
        where the list's type is not ("will halt the work of the liaison mission and the
        information office": the office closed, not suspended)."""
        kind = lexicon.channels[hit.channel].kind
        if _at_home(hit.type, kind):
            return hit
        return next(
            (
                other
                for other in self.listed
                if (other.start, other.channel) == (hit.start, hit.channel)
                and ACTION_TYPES[other.type].home_kinds
                and _at_home(other.type, kind)
            ),
            hit,
        )


def _at_home(type_: str, kind: ChannelKind) -> bool:
    """Whether the type is the natural reading of its words on a channel of this kind (or of
    the kind's family: an information office is an office)."""
    action = ACTION_TYPES[type_]
    return bool(KIND_FAMILIES.get(kind, frozenset({kind})) & (action.home_kinds or action.kinds))


def _key(hit: Hit, chosen: dict[tuple[str, str, int], Hit]) -> tuple[str, str, int]:
    """One action of a type on a channel per sentence, but up to `MAX_OCCURRENCES` meetings
    or summonses (each trigger word its own)."""
    if hit.type not in OCCURRENCES:
        return (hit.type, hit.channel, 0)
    taken = sum(1 for t, c, _ in chosen if (t, c) == (hit.type, hit.channel))
    return (hit.type, hit.channel, hit.start if taken < MAX_OCCURRENCES else 0)


_HEAD_ACCREDITED = re.compile(r"\b(?:accredit|appoint)", re.IGNORECASE)


def opens_by_head(type_: str, trigger: str) -> bool:
    """Whether the trigger opens a post by accrediting or appointing its first head ("accredited
    its first permanent representative"): the head's noun then names the post opened."""
    return type_ == "channel_established" and bool(_HEAD_ACCREDITED.match(trigger))


def is_passive(text: str, trigger_start: int) -> bool:
    """Whether the trigger is a passive participle ("was revoked", "were expelled")."""
    return bool(_PASSIVE.search(text[max(0, trigger_start - 30) : trigger_start]))


def is_nominal(trigger: str) -> bool:
    """Whether the trigger is an action noun with its "of" (`_NOMINAL`): the channel it
    reports on is the object after it."""
    return bool(_NOMINAL.search(trigger))


def is_topic(text: str, trigger_start: int, floor: int) -> bool:
    """Whether a nominal trigger is only talked about or planned (`_TOPIC`), not reported."""
    return bool(_TOPIC.search(text, max(floor, trigger_start - 40), trigger_start))


def nominal_object(mention: Mention, trigger_end: int) -> bool:
    """Whether the mention is a nominal trigger's object: right after its "of"."""
    return trigger_end <= mention.start <= trigger_end + NOMINAL_OBJECT_REACH


_HABITUAL = re.compile(
    r"\b(?:(?:once|twice|\w++\s++times)\s++(?:a|per|each|every)\s++(?:year|month|week)|"
    r"(?:every|each)\s++(?:year|month|week)|regularly|monthly|weekly|annually)\b",
    re.IGNORECASE,
)
"""A frequency ("met more than a dozen times a year", "meets monthly"): a habit, not one
occurrence with a date."""


def is_habitual(text: str, type_: str, trigger_end: int, ceiling: int) -> bool:
    """Whether an occurrence's trigger is told as a habit (`_HABITUAL` in the words after it,
    up to the end of its clause)."""
    if type_ not in OCCURRENCES:
        return False
    after = text[trigger_end : min(ceiling, trigger_end + 60)]
    end = CLAUSE.search(after)
    return bool(_HABITUAL.search(after[: end.start() if end else len(after)]))


def is_stopped(text: str, type_: str, trigger_start: int, floor: int) -> bool:
    """Whether an occurrence's trigger is what stopped (`_STOPPED`)."""
    if type_ not in OCCURRENCES:
        return False
    return bool(_STOPPED.search(text, max(floor, trigger_start - 40), trigger_start))


_TO = re.compile(r"\bto\s++\Z", re.IGNORECASE)
_MEETING_VERB = re.compile(r"(?:hold|resume|meet|convene|conduct|sit)\b", re.IGNORECASE)


def is_infinitive(text: str, type_: str, trigger_start: int, floor: int) -> bool:
    """Whether an occurrence's trigger is a meeting verb's infinitive ("asked Hanoi to resume
    talks", "wants them to hold consultations"): wished, asked for or planned, never a
    meeting held."""
    if type_ not in OCCURRENCES or not _MEETING_VERB.match(text, trigger_start):
        return False
    return _TO.search(text, max(floor, trigger_start - 12), trigger_start) is not None


_SINCE_WHEN = re.compile(
    r"[^,;:.!?]{0,40}?\bsince\s++(?:(?:early|late|mid|the\s++\w++\s++of)\s++)?"
    r"(?:[A-Za-z]++\s++)?(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
"""A year the state has held since, in the trigger's clause after it ("remains suspended since
April 2014")."""


def is_state(text: str, trigger: tuple[int, int], floor: int, ceiling: int) -> bool:
    """Whether the trigger only says how things stand ("the consulate remains closed"), not
    since when: a state held "since April 2014" reports the change that began it, then."""
    start, end = trigger
    if not _STATE.search(text, max(floor, start - 30), start):
        return False
    return not _SINCE_WHEN.match(text, end, ceiling)


def sentence_hits(
    lexicon: Lexicon,
    text: str,
    where: MentionIndex,
    index: int,
    negated: Negated,
    triggers: Sequence[tuple[re.Pattern[str], str, str | None]],
) -> list[Hit]:
    """Every (action type, channel) the triggers of sentence `index` propose: each trigger
    not denied in its clause, paired with a mention of its sentence (and the posts it lists
    after that one), or, where the sentence names no channel, with the one its passage last
    named (`carried_channel`). `triggers` are the article's (`Lexicon.triggers_in`), resolved
    once for all its sentences."""
    sentence = where.sents[index]
    within = where.in_sentence(sentence)
    in_sentence = where.mentions[within[0] : within[1]]
    found = [
        (match, type_, limit)
        for pattern, type_, limit in triggers
        for match in pattern.finditer(text, sentence.start, sentence.end)
    ]
    matches = [(*trigger_span(match), type_, limit) for match, type_, limit in found]
    complements = [(m.start(), trigger_span(m)[0]) for m, _, _ in found if m.lastindex]
    trigger_starts = sorted({a for a, _, _, _ in matches})
    hits = _SentenceHits()
    for a, b, type_, limit in matches:
        if negated(text, a, text[a:b], sentence.start) or is_state(
            text, (a, b), sentence.start, sentence.end
        ):
            continue
        if is_stopped(text, type_, a, sentence.start) or is_habitual(text, type_, b, sentence.end):
            continue
        if is_infinitive(text, type_, a, sentence.start):
            continue
        if any(low < a < high for low, high in complements):
            continue  # "the opening" in "the consent given to the opening of ... is withdrawn"
        if any(low == a < high for low, high in complements) and _SUBJECT_NOUN.search(text, a, b):
            continue  # "the suspension of ... was lifted": the lifting, not the suspension
        point = contact_point(lexicon, text, sentence, type_, b)
        if point is not None and not (limit and point != limit):
            hits.add(Hit(type_, point, a, b, carried=False), 0.0)
            continue
        if not in_sentence:
            if has_other_object(text, b):
                continue  # "closed its airspace": the object is said, and it is no post
            slug = carried_channel(lexicon, type_, index, where)
            if slug is not None and not (limit and slug != limit):
                hits.add(Hit(type_, slug, a, b, carried=True), 200.0)
            continue
        candidates = where.near(a, b, within)
        with_of = _OF_AFTER.match(text, b, sentence.end)
        if with_of and is_nominal(text[a : with_of.end()]) and is_topic(text, a, sentence.start):
            continue  # "open to dialogue on the reopening of the border crossings"
        if is_nominal(text[a:b]):
            if is_topic(text, a, sentence.start):
                continue
            candidates = [m for m in candidates if nominal_object(m, b)]
        paired = pair(lexicon, text, type_, a, b, candidates, limit)
        if paired is None:
            continue
        mention, score = paired
        if goes_home(lexicon, text, type_, b, lexicon.channels[mention.slug]):
            continue
        if _BIOGRAPHY.search(text, max(sentence.start, a - 20), a) and _TOOK_UP.match(text, a):
            continue  # "the ambassador, who took up the post in 2023, ...": who he is
        after = bisect_left(trigger_starts, b)
        next_trigger = trigger_starts[after] if after < len(trigger_starts) else sentence.end
        if is_passive(text, a) and mention.start < a:
            next_trigger = b  # a passive verb's patient stands before it: none listed after
        next_trigger = list_end(text, max(b, mention.end), next_trigger)
        between = where.mentions[
            bisect_left(where.starts, mention.end, *within) : bisect_left(
                where.starts, next_trigger, *within
            )
        ][:MAX_ENUMERATED]
        listed = [*mention.group, *enumerated(lexicon, type_, mention, between, next_trigger)]
        if mention.end <= a:
            before = where.mentions[within[0] : bisect_left(where.starts, mention.start, *within)]
            listed += coordinated(lexicon, text, type_, mention, before)
        others = [slug for slug in dict.fromkeys(listed) if slug != mention.slug]
        named = {m.slug: m.start for m in reversed(between)} | {mention.slug: mention.start}
        hits.add(Hit(type_, mention.slug, a, b, False, bool(others), named[mention.slug]), score)
        hits.listed.extend(Hit(type_, s, a, b, False, True, named.get(s)) for s in others)
    return hits.chosen(lexicon, text)


_BIOGRAPHY = re.compile(r"\bwho\s++(?:had\s++|has\s++)?\Z", re.IGNORECASE)
_TOOK_UP = re.compile(r"(?:took|taken)\s++up\b", re.IGNORECASE)
"""A posting taken up told in a clause that says who a head of mission is ("the ambassador, a
former minister who took up the post in 2023, flew back"): his career, not an action now."""
_TO_PLACE = re.compile(r"(?<=\bto)\s++|\s++(?:home\s++)?to\s++(?:the\s++)?", re.IGNORECASE)


def goes_home(lexicon: Lexicon, text: str, type_: str, end: int, channel: Channel) -> bool:
    """Whether a head of mission said to go back goes back to the state that sent him ("The
    ambassador ... flew back to La Paz", of Bolivia's ambassador in Buenos Aires): he leaves
    the post, at a posting's end or when called home; he does not return to it."""
    if type_ != "head_of_mission_returned" or channel.sending_party is None:
        return False
    to = _TO_PLACE.match(text, end)
    if to is None:
        return False
    place = lexicon.party_mentions(text, to.end(), to.end() + 40)
    return bool(place) and place[0][0] == to.end() and place[0][2] == channel.sending_party


_OBJECT = re.compile(
    r"\s++(?:its|the|their|his|her|all)\s++(?:[a-z-]++\s++)?(?P<noun>[a-z]++)\b(?!['’])"
)
_POST_OBJECTS = frozenset(
    {
        "doors",
        "gates",
        "operations",
        "operation",
        "work",
        "activity",
        "activities",
        "services",
        "premises",
        "office",
        "offices",
        "building",
        "mission",
        "missions",
        "post",
        "posts",
        "staff",
        "personnel",
        "diplomats",
        "ambassador",
        "envoy",
        "representation",
        "relations",
        "ties",
        "contacts",
        "dialogue",
        "talks",
        "cooperation",
        "presence",
        "strength",
        "size",
        "footprint",
    }
)
"""Objects under which a trigger still speaks of the passage's post or pair ("closed its
doors", "suspended its operations", "recalled its envoy")."""


def has_other_object(text: str, trigger_end: int) -> bool:
    """Whether a trigger in a sentence that names no channel has an object of its own that is
    neither a post nor its work ("closed its airspace", "suspended the flights"): it acts on
    that, not on the channel its passage last named."""
    found = _OBJECT.match(text, trigger_end)
    return found is not None and found.group("noun").lower() not in _POST_OBJECTS


_NEW_CLAUSE = re.compile(r"\b(?:that|which|while|whereas)\b|;", re.IGNORECASE)


def list_end(text: str, start: int, until: int) -> int:
    """Where the posts a trigger lists after its object end: at its next trigger or at a new
    clause ("must reduce its staff to 12 and that the activity of the Consulate in Brest is
    terminated": the consulate is the next clause's subject, not a post of the list)."""
    found = _NEW_CLAUSE.search(text, start, until)
    return found.start() if found else until


MAX_ENUMERATED = 24
"""Mentions after a trigger's paired one read as its list: a report lists a few posts, and the
bound keeps the work per trigger constant."""


def enumerated(
    lexicon: Lexicon, type_: str, paired: Mention, mentions: Sequence[Mention], until: int
) -> list[str]:
    """The other posts a sentence lists after the one a trigger is paired with, before its
    next trigger ("declared 60 employees persona non grata, 58 of its embassy and two of the
    consulate in Yekaterinburg"): of the same sending party, of a kind the action fits."""
    sending = lexicon.channels[paired.slug].sending_party
    if sending is None or (limit_kinds := ACTION_TYPES[type_].kinds) is None:
        return []
    return [
        m.slug
        for m in mentions
        if paired.end <= m.start < until
        and lexicon.channels[m.slug].sending_party == sending
        and lexicon.channels[m.slug].kind in limit_kinds
        and (type_ in STAFF_ACTIONS or not m.staff)
    ]


_COORDINATION = re.compile(
    r"(?:\s++(?:in|of|at)\s++[^,;:.!?()“”\"—–]{1,40}?)?"
    r"\s*+(?:,\s*+(?:and\s++)?|and\s++|as\s++well\s++as\s++)"
    r"(?:(?:the|its|their|all|both)\s++)?(?!(?:that|which|who)\b)(?:[\w’'-]++\s++){0,2}",
    re.IGNORECASE,
)
"""What may join two posts of one subject: the first post's place ("in Algiers"), a comma,
"and" or "as well as", and the second's owner ("and Morocco's consulates general in Oran")."""
_VERB_BETWEEN = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would)\b|\b\w+ed\b", re.I)


def coordinated(
    lexicon: Lexicon, text: str, type_: str, paired: Mention, before: Sequence[Mention]
) -> list[str]:
    """The posts joined to a trigger's subject before it ("the Moroccan embassy in Algiers
    and Morocco's consulates general in Oran and Sidi Bel Abbes were ordered to close"): one
    order closes every post of the subject, each of the same sending party and of a kind the
    action fits; the walk back stops at the first words that are no coordination."""
    sending = lexicon.channels[paired.slug].sending_party
    kinds = ACTION_TYPES[type_].kinds
    found: list[str] = []
    at = paired.start
    for mention in reversed(before[-MAX_ENUMERATED:]):
        if mention.end > at:
            continue  # another reading of the same words
        gap = text[mention.end : at]
        if not _COORDINATION.fullmatch(gap) or _VERB_BETWEEN.search(gap):
            break
        channel = lexicon.channels[mention.slug]
        if channel.sending_party != sending or channel.kind not in kinds or mention.staff:
            break
        found.extend((mention.slug, *mention.group))
        at = mention.start
    return found
