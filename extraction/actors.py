"""Stage: who acts on whom. Structure first: an action type done by one side of a post (the
receiving state expels, withdraws consent and summons; the sending state recalls) takes that
side; the host caps and accredits; else the party the sentence names last before the trigger
(outside channel names: "Russia ordered the British Council to close" is Russia's act)."""

from __future__ import annotations

import re

from chancery.domain.actions import ACTION_TYPES
from chancery.domain.parties import Channel
from chancery.extraction.mentions import Lexicon
from chancery.extraction.pairing import MentionIndex
from chancery.extraction.segment import Sentence
from chancery.extraction.structure import describes_post

_ORDERED = re.compile(
    r"\b(?:order(?:s|ed)?|told|tells|forced|instructed|required|demanded)\s++"
    r"(?:[\w’'-]++\s++){0,6}?to\s++(?:[\w’'-]++\s++)?$",
    re.IGNORECASE,
)
"""'ordered Russia to close', 'told London to cut': the one ordered does it at the orderer's
command; the orderer (named before the verb) is the actor."""


_AGENT = re.compile(r"\bby\s++(?:[\w’'-]++\s++){0,4}?\Z", re.IGNORECASE)
"""'by' and a few words ('by the Belarusian', 'by the decision of') before a party: the agent
of a passive."""
_CLAUSE_END = re.compile(r"[,;:()“”\"—–.!?]|\s-\s|\b(?:and|but|while|whereas|which|who)\b")
AGENT_REACH = 80
"""Characters after a trigger in which its passive agent is looked for."""


_COUNTERPART = re.compile(r"\b(?:with|against)\s++(?:the\s++)?\Z", re.IGNORECASE)
"""'cooperation with Russia', 'measures against Belarus': the party named so is acted on."""


def passive_agent(
    lexicon: Lexicon, text: str, sentence: Sentence, channel: Channel, trigger_end: int
) -> str | None:
    """The party a passive names as the doer after the trigger, in its clause ("The
    suspension was announced by the Belarusian Foreign Ministry", "frozen by the decision of
    NATO"): the actor, whatever party the sentence named before the trigger (its patient)."""
    limit = min(sentence.end, trigger_end + AGENT_REACH)
    stop = _CLAUSE_END.search(text, trigger_end, limit)
    end = stop.start() if stop else limit
    for start, _, slug in lexicon.party_mentions(text, trigger_end, end):
        if slug in channel.parties and _AGENT.search(text, trigger_end, start):
            return slug
    return None


_SPEAKER_AFTER = re.compile(
    r",\s*+(?:[\w’'-]++\s++){0,8}?(?:announced|said|says|stated|declared|confirmed)\b"
    r"[^,;:]*+$",
    re.IGNORECASE,
)
"""', Moscow announced', ', the Foreign Ministry in Vilnius said on Wednesday': the speaker
named after the clause, ending its sentence."""


def speaker_after(
    lexicon: Lexicon, text: str, sentence: Sentence, channel: Channel, trigger_end: int
) -> str | None:
    """The party that announces, after the clause, an action whose clause names no doer ("The
    Ukrainian consulate in Rostov will close, Moscow announced"): it is that party's act.
    Where the clause has a passive order ("was told by Minsk to cease"), its agent."""
    comma = text.rfind(",", trigger_end, sentence.end)
    if comma < 0 or not _SPEAKER_AFTER.match(text, comma, sentence.end):
        return None
    for _, _, slug in lexicon.party_mentions(text, comma, sentence.end):
        if slug in channel.parties:
            return slug
    return None


def _ordered_by(lexicon: Lexicon, text: str, order: re.Match[str], channel: Channel) -> str | None:
    """The agent of a passive order ("was told by Kyiv on Wednesday to cease"): the orderer."""
    for start, _, slug in lexicon.party_mentions(text, order.start(), order.end()):
        if slug in channel.parties and _AGENT.search(text, order.start(), start):
            return slug
    return None


def actor_and_target(
    lexicon: Lexicon,
    text: str,
    sentence: Sentence,
    type_: str,
    channel: Channel,
    trigger: tuple[int, int],
    where: MentionIndex,
    fallback: str | None,
) -> tuple[str, str | None]:
    """Who acts: the side the type implies on a post (the receiving state expels, the
    sending state recalls; the host withdraws accreditations and caps staff); else the party
    a passive names as its agent after the trigger (`passive_agent`); else the party named
    last before the trigger (outside channel names, the words that describe a post, "the
    Kenyan consulate", and a counterpart, "cooperation with Russia": that one is acted on,
    so the other acts); else the actor of the action reported just before in the same
    paragraph (a passive sentence)."""
    trigger_start, trigger_end = trigger
    ordered = _ORDERED.search(text, max(sentence.start, trigger_start - 80), trigger_start)
    before = ordered.start() if ordered else trigger_start  # "ordered Russia to close": not Russia
    named = [
        (start, slug)
        for start, end, slug in lexicon.party_mentions(text, sentence.start, before)
        if slug in channel.parties
        and not where.inside_mention(start)
        and not describes_post(text, start, end)
    ]
    parties = [
        slug for start, slug in named if not _COUNTERPART.search(text, sentence.start, start)
    ]
    acted_on = {slug for _, slug in named} - set(parties)
    if not parties and acted_on:  # "cooperation with Russia was suspended": not Russia's act
        parties = [p for p in channel.parties if p not in acted_on][:1]
    side = ACTION_TYPES[type_].actor_side
    agent = passive_agent(lexicon, text, sentence, channel, trigger_end)
    if agent is None and ordered is not None:
        agent = _ordered_by(lexicon, text, ordered, channel)
    if agent is None and not parties:
        agent = speaker_after(lexicon, text, sentence, channel, trigger_end)
    if side and channel.sending_party and channel.receiving_party:
        actor = channel.receiving_party if side == "receiving" else channel.sending_party
    elif type_ in ("accreditation_withdrawn", "staff_cap_changed") and channel.host:
        actor = channel.host  # only the host accredits, and caps, a mission on its ground
    elif agent is not None:
        actor = agent
    elif parties:
        actor = parties[-1]
    elif fallback in channel.parties:
        actor = fallback
    elif type_ in ("invitation_unanswered", "invitation_declined") and len(channel.parties) > 1:
        actor = channel.parties[1]
    else:
        actor = channel.parties[0]
    others = [p for p in channel.parties if p != actor]
    return actor, (others[0] if others else None)
