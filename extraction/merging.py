"""Stage 6, merging: one proposal per action the article reports, however often it does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from chancery.domain.dates import UncertainDate
from chancery.extraction.proposal import Proposal


def _numbers_agree(a: Proposal, b: Proposal) -> bool:
    return all(
        x is None or y is None or x == y
        for x, y in ((a.count, b.count), (a.from_cap, b.from_cap), (a.to_cap, b.to_cap))
    )


def _overlap(a: UncertainDate, b: UncertainDate) -> bool:
    return a.earliest <= b.latest and b.earliest <= a.latest


class TooManyProposals(ValueError):
    """More distinct actions than `MAX_PROPOSALS`."""


def merge(proposals: Sequence[Proposal], limit: int | None = None) -> list[Proposal]:
    """One proposal per reported action: sentences of one article that report the same action
    on the same channel (overlapping dates, or one of them undated, or the later one not dated
    in its own sentence: a restatement; and numbers that agree) become one proposal with
    several quotes, dated by the most precise of them, a date its own sentence gives first.
    Only proposals of the same type and channel are compared (a bucket each); past `limit`
    distinct actions, `TooManyProposals` is raised at once."""
    merged: list[Proposal] = []
    buckets: dict[tuple[str, str], list[tuple[Proposal, set[int]]]] = {}
    for proposal in proposals:
        bucket = buckets.setdefault((proposal.type, proposal.channel), [])
        for kept, quoted in bucket:
            if _numbers_agree(kept, proposal) and (
                proposal.date_assumed
                or kept.date_assumed
                or not proposal.dated_in_sentence
                or _overlap(kept.date, proposal.date)
            ):
                _absorb(kept, proposal, quoted)
                break
        else:
            if limit is not None and len(merged) >= limit:
                raise TooManyProposals(limit)
            fresh = replace(proposal, quotes=list(proposal.quotes))
            merged.append(fresh)
            bucket.append((fresh, {q.start for q in fresh.quotes}))
    return _fold_told_by_effect(merged, buckets)


TOLD_BY_EFFECT = {"post_closed": "post_consent_withdrawn"}
"""An action a report may also tell by its effect, in plainer words: a consular post whose
consent is withdrawn closes, and a headline says "shuts consulate" for the withdrawal the body
tells. Such a pair on one post, dated alike, is one action, the formal one."""


def _fold_told_by_effect(
    merged: list[Proposal], buckets: dict[tuple[str, str], list[tuple[Proposal, set[int]]]]
) -> list[Proposal]:
    """`merged` less the proposals that tell, by its effect, an action of the same post and
    overlapping date (`TOLD_BY_EFFECT`), their quotes folded into it."""
    folded: set[int] = set()
    for effect, formal in TOLD_BY_EFFECT.items():
        for (type_, channel), bucket in buckets.items():
            if type_ != effect:
                continue
            for told, _ in bucket:
                for kept, quoted in buckets.get((formal, channel), []):
                    if _overlap(kept.date, told.date) and told.announced == kept.announced:
                        _absorb(kept, replace(told, type=formal), quoted)
                        folded.add(id(told))
                        break
    return [proposal for proposal in merged if id(proposal) not in folded]


def _width(day: UncertainDate) -> timedelta:
    return day.latest - day.earliest


def _absorb(kept: Proposal, other: Proposal, quoted: set[int]) -> None:
    """Fold `other` into `kept`; `quoted` holds the offsets of `kept`'s quotes."""
    if (
        (kept.date_assumed and not other.date_assumed)
        or (other.dated_in_sentence and not kept.dated_in_sentence)
        or (
            kept.date_assumed == other.date_assumed
            and other.dated_in_sentence == kept.dated_in_sentence
            and _width(other.date) < _width(kept.date)
        )
    ):
        kept.date, kept.date_assumed = other.date, other.date_assumed
        kept.dated_in_sentence = other.dated_in_sentence
    kept.count = kept.count if kept.count is not None else other.count
    kept.from_cap = kept.from_cap if kept.from_cap is not None else other.from_cap
    kept.to_cap = kept.to_cap if kept.to_cap is not None else other.to_cap
    kept.effective = kept.effective or other.effective
    kept.announced = kept.announced and other.announced  # done once reported as done
    kept.confidence = round(min(0.99, max(kept.confidence, other.confidence) + 0.03), 2)
    if other.quote.start not in quoted:
        quoted.add(other.quote.start)
        kept.quotes.append(other.quote)
