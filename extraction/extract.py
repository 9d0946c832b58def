"""Proposing the reported actions of one article: a pipeline of small stages, each its own
module, so an analyst can predict it and extend it with data.

1. segmentation (`segment.py`): paragraphs and sentences with offsets, so every quote is a
   verbatim slice of the article;
2. mentions (`mentions.py`, `structure.py`): channels and parties by name, alias, by the
   structure of diplomacy (sending and receiving state, post noun, city) and by reference;
3. triggers and 4. pairing (`pairing.py`): each action type's trigger words, not denied in
   their clause (`modality.py`), each paired with the channel mention it refers to, every
   post of a list;
5. dating (`dating.py`), numbers (`numbers.py`) and actors (`actors.py`) of each proposal;
   what the text gives as decided for later ("will close", "are to leave") is proposed as
   announced, dated when announced; plans, offers and conditions are dropped;
6. merging (`merging.py`): what one article reports twice becomes one proposal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from chancery.domain.actions import ACTION_TYPES
from chancery.domain.dates import UncertainDate
from chancery.domain.errors import printable
from chancery.domain.registry import capital_latitude
from chancery.extraction.actors import actor_and_target
from chancery.extraction.articles import ArticleError, read_bytes
from chancery.extraction.dates import FoundDate, date_spans, edtf_of, in_southern_hemisphere
from chancery.extraction.dating import (
    ArticleDates,
    Dating,
    Span,
    after_named_action,
    names_earlier_action,
)
from chancery.extraction.mentions import Lexicon
from chancery.extraction.merging import TooManyProposals, merge
from chancery.extraction.modality import Mood, clause, is_intent, is_negated, judge
from chancery.extraction.numbers import Numbers, numbers_in, post_share, proposal_numbers
from chancery.extraction.pairing import OCCURRENCES, Hit, MentionIndex, sentence_hits
from chancery.extraction.proposal import Article, Proposal, Quote, proposal_action
from chancery.extraction.segment import Sentence, is_headline, sentences

__all__ = [
    "MAX_ARTICLE_BYTES",
    "Article",
    "ArticleError",
    "Lexicon",
    "Proposal",
    "Quote",
    "extract",
    "merge",
    "proposal_action",
    "read_article",
    "read_article_text",
    "sentences",
]

MAX_ARTICLE_BYTES = 512 * 1024
"""A news report is a few kilobytes; past 512 KiB (a hundred reports) a file is refused before
it is read whole: extraction takes about a second per 20 KiB on a shared core."""

MAX_PROPOSALS = 200
"""Distinct actions one article may propose. Each is checked against the channel's rules with
those before it, so a draft of thousands would take minutes to match and nobody could review
it; past this the article is refused (a report proposes a handful, a long review dozens)."""


def read_article(path: Path) -> str:
    """The article's text (see `read_article_text`)."""
    return read_article_text(path)[0]


def read_article_text(path: Path) -> tuple[str, int]:
    """The article's text and how many of its bytes were not UTF-8. UTF-8, with each byte
    that is not (a stray byte of older wire copy) read as Windows-1252 where it stands, so one
    such byte does not turn every other character of the article into mojibake; a byte
    Windows-1252 leaves undefined becomes U+FFFD. Binary files, empty files, anything but a
    regular file and files over `MAX_ARTICLE_BYTES` are refused with a reason."""
    name = printable(str(path))
    data = read_bytes(path, MAX_ARTICLE_BYTES)
    if b"\x00" in data:
        raise ArticleError(f"{name}: contains NUL bytes, so it is not a plain-text article")
    controls = sum(1 for byte in data if byte < 32 and byte not in (9, 10, 12, 13))
    if controls > max(8, len(data) // 50):
        raise ArticleError(f"{name}: mostly control bytes, so it is not a plain-text article")
    text, repaired = decode_article(data)
    if not text.strip():
        raise ArticleError(f"{name}: the article is empty")
    return text, repaired


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
"""What `surrogateescape` makes of a byte that is not UTF-8: U+DC80 + the byte."""


def _windows_1252(match: re.Match[str]) -> str:
    byte = bytes([ord(match.group(0)) - 0xDC00])
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in Windows-1252
        return "\ufffd"


def decode_article(data: bytes) -> tuple[str, int]:
    """`data` as UTF-8 (a byte-order mark dropped), each byte that is not UTF-8 read as
    Windows-1252 in place; with the number of such bytes. One pass over the bytes."""
    text = data.decode("utf-8-sig", errors="surrogateescape")
    repaired = len(_ESCAPED_BYTE.findall(text))
    return (_ESCAPED_BYTE.sub(_windows_1252, text) if repaired else text), repaired


_FIRM_FUTURE = re.compile(r"\b(?:will|shall|is to|are to|is being|are being)\b|['’]ll\b", re.I)
_REPORTED = re.compile(r"\b(?:said|says|announced|told|stated|confirmed|informed)\b", re.I)


def is_announced(text: str, start: int, end: int, floor: int) -> bool:
    """A decision the text gives as settled for later (`modality.judge`'s announced mood:
    "will close", "is to leave"), where a bare "would" counts only as reported speech
    ("said it would expel"): unreported, "would go further and expel" is an opinion."""
    if judge(text, start, end, floor) is not Mood.ANNOUNCED:
        return False
    before = text[floor:start]
    predicate = text[end : clause(text, start, end, floor)[1]]  # "the number ... shall be"
    return bool(_FIRM_FUTURE.search(before + " " + predicate) or _REPORTED.search(before))


_MUST = re.compile(r"\bmust\s++(?:[a-z]++\s++)?$", re.I)
_NOTIFIED = re.compile(
    r"\b(?:informed|notified|told|instructed|ordered|conveyed|communicated|a note|the note)\b",
    re.I,
)
"""Words that deliver an obligation to its addressee, among them a diplomatic note ("handed
over a note, in which it is said that the Embassy ... must reduce its staff")."""
_DEADLINE = re.compile(r"\b(?:by|within|no later than|in (?:the )?term of)\s", re.I)
"""A deadline ("within 72 hours", and as translated agency copy says it, "in the term of 72
hours")."""


def is_order(text: str, start: int, end: int, floor: int, ceiling: int) -> bool:
    """An obligation notified to its addressee (`_NOTIFIED`) or given a deadline is an order,
    announced: "informed the Russian Government that it must close its consulate", "the 18
    must leave within 48 hours" (`floor`, `ceiling`: the sentence). A bare "must" is a
    demand."""
    if not _MUST.search(text, max(floor, start - 30), start):
        return False
    return bool(_NOTIFIED.search(text, floor, start) or _DEADLINE.search(text, end, ceiling))


# ----------------------------------------------------------------------------- extraction


def extract(article: Article, lexicon: Lexicon) -> list[Proposal]:
    """Every action the article reports on a channel the lexicon knows, merged per event."""
    text = article.text
    sents = sentences(text)
    headline = bool(sents) and is_headline(text, sents[0])
    where = MentionIndex(sents, lexicon.channel_mentions(text, sents), headline)
    dates = ArticleDates.read(text, sents, article.published)
    triggers = lexicon.triggers_in(text)
    proposals: list[Proposal] = []
    for index, sentence in enumerate(sents):
        if _is_question(text, sentence):
            continue  # "Will Canada expel Indian diplomats?" asks; it reports nothing
        for hit in sentence_hits(lexicon, text, where, index, is_negated, triggers):
            proposals.extend(_propose(lexicon, dates, where, index, hit, proposals))
    try:
        return merge(proposals, MAX_PROPOSALS)
    except TooManyProposals:
        raise ArticleError(
            f"{printable(article.name)}: it reports more than {MAX_PROPOSALS} distinct actions "
            "on the ledger's channels, which is not one news report (a report proposes a few, "
            "a long review a few dozen); give the reports one file each"
        ) from None


_DATE_LIST = re.compile(r"(?:\s*+,\s*+(?:and\s++)?|\s++and\s++)(?:on\s++|in\s++)?\Z", re.I)
"""What stands between the dates of a list: "on 25 January and 5 July", "in May, June and"."""


def listed_dates(
    text: str, found: Sequence[FoundDate], first: UncertainDate
) -> list[UncertainDate]:
    """The dates of a list that begins with `first` ("sessions on 25 January and 5 July"):
    each is an occurrence of its own (a meeting held on each day), so each is proposed."""
    ordered = sorted((f for f in found if not (f.future or f.effective)), key=lambda f: f.start)
    at = next((i for i, f in enumerate(ordered) if f.date == first), None)
    if at is None:
        return [first]
    days = [first]
    for before, after in zip(ordered[at:], ordered[at + 1 :], strict=False):
        if not _DATE_LIST.match(text[before.end : after.start]):
            break
        days.append(after.date)
    return days


_FIRST_SINCE = re.compile(r"\bfirst(?:\s++[\w-]++){0,4}?\s++\Z", re.I)
_AFTER_THE_ONE = re.compile(
    r"\b(?:after|since|following)\s++(?:the|a|an|its)\s++(?:[a-z-]++\s++)?"
    r"(?:one|last|previous|(?P<meeting>session|meeting|round))\s++(?:in|on|of)?\s*+\Z",
    re.I,
)


def earlier_occurrences(text: str, found: Sequence[FoundDate], type_: str) -> list[UncertainDate]:
    """The dates of an earlier occurrence a report of a meeting or summons names by
    comparison: "the first (meeting of the Council) since June 2014", "the second session
    this year, after the one in April" (for a meeting, "after a session in January" too).
    Each was an occurrence of its own, so each is proposed beside the one reported."""
    earlier = []
    for f in found:
        if f.future or f.effective:
            continue
        since = (f.date.wording or "").lower().startswith("since ")
        before = text[max(0, f.start - 60) : f.start]
        after_one = _AFTER_THE_ONE.search(before)
        if after_one and after_one["meeting"] and type_ != "meeting_held":
            after_one = None  # "summoned after a meeting in January" is no earlier summons
        if (since and _FIRST_SINCE.search(before)) or after_one:
            earlier.append(f.date)
    return earlier


_YEARS_SINCE = re.compile(
    r"\bfirst\b(?:\s++[\w-]++){0,6}?\s++in\s++(?:(?:more\s++than|over|almost|nearly)\s++)?"
    r"(?P<n>[\w-]++)\s++years\b"
    r"|\bafter\s++(?:a|an|the)\s++(?:(?P<m>\w++)[\s-]++year\s++"
    r"(?:pause|hiatus|break|gap|freeze|interruption)|"
    r"(?:pause|hiatus|break|gap|interruption)\s++of\s++(?P<k>[\w-]++)\s++years)\b",
    re.IGNORECASE,
)
"""A meeting told as the first in a number of years, or as coming after a pause of that many
("the first such talks in four years", "after a four-year hiatus", "after the pause of four
years"): the one before it was about that many years back."""
MAX_YEARS_BACK = 60


def years_back(text: str, start: int, end: int, reference: UncertainDate) -> list[UncertainDate]:
    """The earlier meetings text[start:end] dates by a count of years (`_YEARS_SINCE`): a round
    figure, so the year it gives, widened by half a year either side."""
    earlier = []
    for match in _YEARS_SINCE.finditer(text, start, end):
        word = match["n"] or match["m"] or match["k"]
        found = numbers_in(word)
        amount = found[0].value if len(found) == 1 else None
        if amount is None or not 1 < amount <= MAX_YEARS_BACK:
            continue
        year = reference.latest.year - amount
        if year < 2:
            continue
        earliest, latest = date(year - 1, 7, 1), date(year + 1, 6, 30)
        earlier.append(
            UncertainDate(
                edtf=edtf_of(earliest, latest),
                earliest=earliest,
                latest=latest,
                wording=match.group(0),
                resolution=f"{reference.edtf} minus {amount} years, a round figure: give or "
                "take half a year",
            )
        )
    return earlier


def _is_question(text: str, sentence: Sentence) -> bool:
    """A sentence that ends with a question mark (a closing quote or bracket aside)."""
    return text[sentence.start : sentence.end].rstrip('"”’)] ').endswith(("?", "？"))


def _propose(
    lexicon: Lexicon,
    dates: ArticleDates,
    where: MentionIndex,
    index: int,
    hit: Hit,
    earlier: list[Proposal],
) -> list[Proposal]:
    """The proposals of one trigger: its mood (done, announced, or only intended: then
    none), dates, numbers, actor and target; one per date its sentence gives it."""
    text, sentence = dates.text, where.sents[index]
    if names_earlier_action(text, sentence, hit.start):
        return []  # "a day after the expulsion": a point to count from, told before
    action = ACTION_TYPES[hit.type]
    trigger = text[hit.start : hit.end]
    intent = _is_intent(dates, index, hit, trigger)
    announced = hit.type not in OCCURRENCES and (
        is_announced(text, hit.start, hit.end, sentence.start)
        or is_order(text, hit.start, hit.end, sentence.start, sentence.end)
    )
    dating = dates.date_action(
        index, hit.start, hit.end, speech_act=action.speech_act, intent=intent, announced=announced
    )
    if dating is None:
        return []  # a plan, offer or condition is not an action; an invitation is typed
    if "invitation" in action.model_fields and not _INVITATION.search(text, 0, sentence.end):
        return []  # "remains open to dialogue", "renews its offer of talks": no invitation
    dating = _dated_later(dates, index, dating)
    dating = after_named_action(text, sentence, dating, earlier, dates.found[index])
    if hit.type in OCCURRENCES and len(dating.dates) == 1 and not dating.assumed:
        dating = replace(dating, dates=listed_dates(text, dates.found[index], dating.dates[0]))
    if hit.type in OCCURRENCES:
        compared = earlier_occurrences(text, dates.found[index], hit.type)
        if hit.type == "meeting_held":
            compared += years_back(text, sentence.start, sentence.end, dates.reference)
        dating = replace(
            dating, dates=[*dating.dates, *(d for d in compared if d not in dating.dates)]
        )
    confidence = 0.9 - (0.25 if hit.carried else 0.0) - (0.2 if intent else 0.0) - dating.penalty
    numbers = _numbers(text, sentence, hit)
    fallback = next(
        (p.actor for p in reversed(earlier[-20:]) if p.quote.start >= where.paragraph_first[index]),
        None,
    )
    channel = lexicon.channels[hit.channel]
    actor, target = actor_and_target(
        lexicon, text, sentence, hit.type, channel, (hit.start, hit.end), where, fallback
    )
    if _southern(lexicon, channel.receiving or actor):
        seasons = [in_southern_hemisphere(day) for day in dating.dates]
        dating = replace(dating, dates=[s or d for s, d in zip(seasons, dating.dates, strict=True)])
    quote = Quote(text[sentence.start : sentence.end], sentence.start, sentence.end)
    return [
        Proposal(
            type=hit.type,
            channel=hit.channel,
            actor=actor,
            target=target,
            date=day,
            quote=quote,
            confidence=round(max(0.05, min(0.99, confidence)), 2),
            effective=dating.effective,
            count=numbers.count,
            from_cap=numbers.caps.from_cap,
            to_cap=numbers.caps.to_cap,
            date_assumed=dating.assumed,
            dated_in_sentence=any(not f.future for f in dates.found[index]),
            announced=intent,
            quotes=[quote],
        )
        for day in dating.dates
    ]


_INVITATION = re.compile(
    r"\b(?:invit(?:ations?|ed?|es|ing)|propos(?:als?|ed?|es|ing)|conven(?:ed?|es|ing)|"
    r"meetings?)\b",
    re.IGNORECASE,
)
"""An invitation named by the article, up to the trigger's sentence ("our invitation", "the
proposal to hold a meeting", "prepared to convene"): what a follow-up ("remains open",
"reiterated", "declined") follows up. Without one, "remains open to dialogue" or "renews its
offer of talks" is a standing disposition, said in every statement, and no action."""


def _southern(lexicon: Lexicon, place: str | None) -> bool:
    """Whether a season the report names is a southern one: the seasons of the place of the
    action, else of the actor. A season is the weather where something happened, and a
    report filed from there (the local press, an agency's office) counts it so. An action on a
    post happens where the post is, in its receiving state, whoever acts (an expulsion from
    it, a summons of its head, its closure, an ambassador leaving it), so that state is the
    place; an action between the two states as such (relations severed) has no place but the
    actor's. A state is southern when its capital lies south of the equator (countryinfo's
    latitude, `registry.capital_latitude`), not by a list of names."""
    party = lexicon.parties.get(place or "")
    code = party.known_code if party is not None else place
    if not code or not code.isalpha() or not code.isupper():
        return False
    latitude = capital_latitude(code)
    return latitude is not None and latitude < 0


_ANAPHOR = re.compile(
    r"\b(?:this|the|these|those)\s++(?:decisions?|measures?|steps?|moves?|notes?)\b"
    r"|\b(?:announced|conveyed|communicated|confirmed|notified)\s++(?:it|them)\b"
    r"|\b(?:this|it)\s++was\s++(?:announced|reported|stated|confirmed)\b"
    r"|\A\W*+(?:about|of)\s++(?:it|this)\b",
    re.IGNORECASE,
)
"""A later sentence speaking of the actions just told ("conveyed this decision to the
ambassador on 10 August", "Lavrov announced it on Thursday", "This was announced by the
minister", and as machine translation gives it, "About it the minister has informed")."""
_ANSWERED = re.compile(
    r"\b(?:answer|response|reply|retaliation|reaction|riposte)\s++(?:to|for)\b", re.IGNORECASE
)
"""A later sentence saying what the actions just told answer ("This is the answer to the
decision of the alliance, which in early October ..."): the date it gives is that earlier
decision's, the other side's, not theirs."""
LATER_REACH = 4
"""Sentences after an undated action that may still date it."""


def _dated_later(dates: ArticleDates, index: int, dating: Dating) -> Dating:
    """An action its own sentence does not date (or dates only by assumption: "has decided
    the following: the downgrading ...; ... recalled in August") takes the date of the next
    dated sentence when that sentence speaks of it (`_ANAPHOR`) and nothing dated stands
    between."""
    if not dating.assumed and any(not f.future for f in dates.found[index]):
        return dating
    for later in range(index + 1, min(index + 1 + LATER_REACH, len(dates.sentences))):
        told = [f for f in dates.found[later] if not (f.future or f.effective)]
        if not told:
            continue
        if not _speaks_of_told(dates.text, dates.sentences[later]):
            return dating
        return replace(dating, dates=[told[0].date], assumed=False)
    return dating


def _speaks_of_told(text: str, span: Span) -> bool:
    """Whether the sentence speaks of the actions just told (`_ANAPHOR`), and not of what they
    answer (`_ANSWERED`)."""
    said = text[span.start : span.end]
    return bool(_ANAPHOR.search(said)) and not _ANSWERED.search(said)


STANDING_OFFERS = frozenset({"contact_point_designated"})
"""Actions a statement performs by saying what may go through a channel from now on
("contacts will go through the embassy", "if NATO has urgent matters, it can address them
through our ambassador"): the future, the "can" and the "if" are the offer's content, not a
doubt about it. Only a plan ("intends to designate") or a denial is not the act."""


def _is_intent(dates: ArticleDates, index: int, hit: Hit, trigger: str) -> bool:
    """Whether the trigger gives its action as possible, planned or to come (see
    `is_intent`), save the future and possibility a standing offer is said in."""
    floor = dates.sentences[index].start
    if hit.type in STANDING_OFFERS:
        return judge(dates.text, hit.start, hit.end, floor) is Mood.PLANNED
    intent = is_intent(dates.text, hit.start, trigger, floor)
    return intent or _future_in_clause(dates, index, hit.start, hit.end)


def _future_in_clause(dates: ArticleDates, index: int, start: int, end: int) -> bool:
    """Whether the trigger's own clause speaks of a future it fixes no day for: another
    clause's future ("..., and its officers must leave by 1 September") does not make a done
    withdrawal a plan."""
    if not dates.future_in(index):
        return False
    low, high = clause(dates.text, start, end, dates.sentences[index].start)
    return any(f.future and f.start < high and f.end > low for f in dates.found[index])


def _numbers(text: str, sentence: Sentence, hit: Hit) -> Numbers:
    """The numbers of one hit; none for one of several posts named at once (a total is no
    one post's number); a number that is part of a date counts nothing."""
    spans = date_spans(text, sentence.start, sentence.end)
    if hit.shared:
        if hit.type != "accreditation_withdrawn" or hit.post is None:
            return Numbers()
        return Numbers(count=post_share(text, hit.post, sentence.start, spans))
    return proposal_numbers(text, sentence.start, sentence.end, hit.start, hit.type, spans)
