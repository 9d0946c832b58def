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


def actor_and_target(
    lexicon: Lexicon,
    text: str,
    sentence: Sentence,
    type_: str,
    channel: Channel,
    trigger_start: int,
    where: MentionIndex,
    fallback: str | None,
) -> tuple[str, str | None]:
    """The party named last before the trigger (outside channel names and the words that
    describe a post: "the Kenyan consulate") acts; else the party
    the type implies on this channel (the host withdraws accreditations and caps staff), else
    the actor of the action reported just before in the same paragraph (a passive sentence)."""
    ordered = _ORDERED.search(text, max(sentence.start, trigger_start - 80), trigger_start)
    before = ordered.start() if ordered else trigger_start  # "ordered Russia to close": not Russia
    parties = [
        slug
        for start, end, slug in lexicon.party_mentions(text, sentence.start, before)
        if slug in channel.parties
        and not where.inside_mention(start)
        and not describes_post(text, start, end)
    ]
    side = ACTION_TYPES[type_].actor_side
    if side and channel.sending_party and channel.receiving_party:
        actor = channel.receiving_party if side == "receiving" else channel.sending_party
    elif type_ in ("accreditation_withdrawn", "staff_cap_changed") and channel.host:
        actor = channel.host  # only the host accredits, and caps, a mission on its ground
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
