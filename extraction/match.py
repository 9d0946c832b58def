"""How each proposal relates to what the ledger already holds.

A pure function of the proposals and the recorded actions (as the ledger's read side gives
them, corrections applied), so that any read path can feed it. A second report of a recorded
action must not become a second event: it *corroborates* it (adds a citation), *refines* it
(narrows its date, gives a number it lacked), or *conflicts* with it (another number, a date
just outside its interval, or a rule it would break). Only what is none of these is *new*.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from chancery.domain.actions import Action, InvitationExtended
from chancery.domain.errors import InvariantViolation
from chancery.domain.parties import Channel
from chancery.domain.timeline import fold_all
from chancery.extraction.extract import Proposal, proposal_action
from pydantic import ValidationError

MatchKind = Literal["new", "corroborates", "refines", "conflicts"]

NEAR_MISS = timedelta(days=31)
"""A proposal of the same action dated within this much outside a recorded interval is read as
a report of that action with a disputed date, not as a new action."""

FOLLOW_UPS = ("invitation_reiterated", "invitation_unanswered", "invitation_declined")


@dataclass(frozen=True)
class Match:
    """The proposal's relation to the ledger. `event` is the recorded event it concerns (None
    for `new`, or for a conflict with no single recorded event); `rule` names what would break
    (for `conflicts`); `invitation` is the recorded invitation a follow-up answers."""

    kind: MatchKind
    event: str | None = None
    rule: str | None = None
    detail: str = ""
    invitation: str | None = None


def _overlap_days(a: Action | Proposal, b: Action) -> int:
    lo = max(a.date.earliest, b.date.earliest)
    hi = min(a.date.latest, b.date.latest)
    return (hi - lo).days + 1


def _closeness(p: Proposal, a: Action) -> float:
    """Share of the union of the two intervals they have in common (1.0: the same dates)."""
    union = (max(p.date.latest, a.date.latest) - min(p.date.earliest, a.date.earliest)).days + 1
    return _overlap_days(p, a) / union


def _disagreement(p: Proposal, a: Action) -> str | None:
    for name in ("count", "from_cap", "to_cap"):
        ours, theirs = getattr(p, name), getattr(a, name, None)
        if ours is not None and theirs is not None and ours != theirs:
            return f"{name} {ours} here, {theirs} recorded"
    return None


def _adds(p: Proposal, a: Action) -> list[str]:
    gains = [
        f"{name} {getattr(p, name)}"
        for name in ("count", "from_cap", "to_cap")
        if getattr(p, name) is not None and getattr(a, name, "absent") is None
    ]
    narrower = (
        not p.date_assumed
        and a.date.earliest <= p.date.earliest
        and p.date.latest <= a.date.latest
        and (p.date.earliest, p.date.latest) != (a.date.earliest, a.date.latest)
    )
    if narrower:
        gains.append(f"date {p.date.edtf} inside {a.date.edtf}")
    if p.effective is not None and a.effective is None:
        gains.append(f"effective {p.effective.edtf}")
    return gains


def invitation_for(p: Proposal, recorded: Sequence[Action]) -> str | None:
    """The latest recorded invitation on the proposal's channel extended before it ends."""
    invitations = [
        a
        for a in recorded
        if isinstance(a, InvitationExtended)
        and a.channel == p.channel
        and a.date.earliest <= p.date.latest
    ]
    invitations.sort(key=lambda a: (a.date.earliest, a.date.latest, a.id))
    return invitations[-1].id if invitations else None


def _quoted_id(detail: str, known: set[str]) -> str | None:
    names: list[str] = re.findall(r"'([a-z0-9][a-z0-9-]*)'", detail)
    for name in names:
        if name in known:
            return name
    return None


def match_proposals(
    proposals: Sequence[Proposal],
    recorded: Sequence[Action],
    channels: Mapping[str, Channel],
) -> list[Match]:
    """The match of each proposal, in order.

    `recorded` is every recorded action as it now reads (corrections applied, retractions
    removed), e.g. `LedgerContents.all_actions()`; `channels` the declared channels by slug.
    Proposals matched as `new` are checked, cumulatively in order, against the channel's rules
    by folding its timeline with them (the same fold the ledger runs on import), so that a
    draft's live events can be imported together.
    """
    results: list[Match] = []
    accepted: list[Action] = []
    known_ids = {a.id for a in recorded}
    for number, p in enumerate(proposals):
        invitation = invitation_for(p, recorded) if p.type in FOLLOW_UPS else None
        same = [a for a in recorded if a.channel == p.channel and a.type == p.type]
        overlapping = [a for a in same if _overlap_days(p, a) > 0]
        if overlapping:
            best = max(overlapping, key=lambda a: (_closeness(p, a), a.id))
            clash = _disagreement(p, best)
            if clash:
                results.append(Match("conflicts", best.id, "numbers-agree", clash, invitation))
                continue
            gains = _adds(p, best)
            if gains:
                results.append(Match("refines", best.id, None, "; ".join(gains), invitation))
            else:
                results.append(Match("corroborates", best.id, None, "", invitation))
            continue
        near = [
            a
            for a in same
            if not p.date_assumed
            and (
                timedelta(0) < a.date.earliest - p.date.latest <= NEAR_MISS
                or timedelta(0) < p.date.earliest - a.date.latest <= NEAR_MISS
            )
            and _disagreement(p, a) is None
        ]
        if near:
            best = min(near, key=lambda a: abs((a.date.earliest - p.date.earliest).days))
            results.append(
                Match(
                    "conflicts",
                    best.id,
                    "date-within-recorded-interval",
                    f"dated {p.date.edtf} here, {best.date.edtf} recorded",
                    invitation,
                )
            )
            continue
        if p.type in FOLLOW_UPS and invitation is None:
            results.append(
                Match(
                    "conflicts",
                    None,
                    "invitation-exists",
                    f"no invitation is recorded on '{p.channel}' before {p.date.edtf}",
                )
            )
            continue
        channel = channels.get(p.channel)
        if channel is None:
            results.append(
                Match("conflicts", None, "channel-declared", f"unknown channel '{p.channel}'")
            )
            continue
        candidate_id = f"proposed-{number}"
        extra = {"invitation": invitation} if invitation else {}
        try:
            candidate = proposal_action(p, candidate_id, "proposed", **extra)
            on_channel = [a for a in [*recorded, *accepted] if a.channel == p.channel]
            fold_all(channel, [*on_channel, candidate])
        except InvariantViolation as exc:
            event = exc.event_id if exc.event_id in known_ids else _quoted_id(exc.detail, known_ids)
            results.append(Match("conflicts", event, exc.rule, exc.detail, invitation))
            continue
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"] if exc.errors() else str(exc)
            results.append(Match("conflicts", None, "valid-record", reason, invitation))
            continue
        accepted.append(candidate)
        results.append(Match("new", None, None, "", invitation))
    return results
