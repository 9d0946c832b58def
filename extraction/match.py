"""How each proposal relates to what the ledger holds and to the other proposals of its run.

A pure function of the proposals and the recorded actions (as the ledger's read side gives
them, corrections applied), so that any read path can feed it. A second report of an action
must not become a second event, whether the first report is recorded already or is another
proposal of the same run (several articles extracted together, or several sentences of one
article): it *corroborates* it (adds a citation), *refines* it (narrows its date, gives a
number it lacked), *disputes* it (another article of the run gives another number: both
claims are kept, each cited), or *conflicts* with it (another number than the ledger's or
than the same article's, a date just outside its interval, or a rule it would break). Only
what is none of these is *new*. Every entry drafted live, amendments included, is checked by
the channel rules the import applies (`check_timeline`), after the recorded events and the
run's earlier entries: one that breaks a rule is left for review, so the rest imports.

Whether two reports are of one action is the domain's own rule (`Action.resembles`, which
the import's `reported-once` check applies), so a draft imported as it stands is never
refused as a second report, and nothing it holds counts twice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Literal

from chancery.domain.actions import (
    REFINABLE_NUMBERS,
    Action,
    Amendment,
    Corroboration,
    DisputeRecorded,
    InvitationExtended,
    Refinement,
    check_action_parties,
    too_early,
)
from chancery.domain.dates import UncertainDate
from chancery.domain.errors import InvalidRecordError, InvariantViolation
from chancery.domain.parties import Channel
from chancery.domain.sources import Source
from chancery.domain.timeline import check_timeline
from chancery.extraction.extract import Proposal, proposal_action
from pydantic import ValidationError

MatchKind = Literal["new", "corroborates", "refines", "disputes", "conflicts"]

NEAR_MISS = timedelta(days=31)
"""A proposal of the same action dated within this much outside a recorded interval is read as
a report of that action with a disputed date, not as a new action."""

FOLLOW_UPS = ("invitation_reiterated", "invitation_unanswered", "invitation_declined")

NUMBER_WORDS = {"count": "count", "from_cap": "staff cap before", "to_cap": "staff cap after"}
"""How a dispute names each number the reports give differently."""

DISPUTED_ABOUT = {"count": "count", "from_cap": "staff cap", "to_cap": "staff cap"}
"""A dispute's `about`, the subject the views and exports show (`disputed_about`)."""


@dataclass(frozen=True)
class Match:
    """The proposal's relation to the ledger and to the run. `event` is the event it concerns
    (recorded, or drafted earlier in the run; None for `new`, or for a conflict with no single
    event); `rule` names what would break (for `conflicts`); `invitation` is the invitation a
    follow-up answers. `action` is the proposal as the draft records it (None where it cannot
    be one), `amendment` the corroboration, refinement or dispute the draft records instead."""

    kind: MatchKind
    event: str | None = None
    rule: str | None = None
    detail: str = ""
    invitation: str | None = None
    action: Action | None = None
    amendment: Amendment | None = None


def _overlap_days(a: Action | Proposal, b: Action) -> int:
    lo = max(a.date.earliest, b.date.earliest)
    hi = min(a.date.latest, b.date.latest)
    return (hi - lo).days + 1


def _closeness(p: Action, a: Action) -> float:
    """Share of the union of the two intervals they have in common (1.0: the same dates)."""
    union = (max(p.date.latest, a.date.latest) - min(p.date.earliest, a.date.earliest)).days + 1
    return _overlap_days(p, a) / union


def _shares_source(a: Action, b: Action) -> bool:
    return bool({c.source for c in a.citations} & {c.source for c in b.citations})


def _likeness(candidate: Action, event: Action) -> tuple[bool, float, str]:
    """Which of several known events a report most likely retells: one its own article
    reports (another sentence of it), then the one whose dates are closest."""
    return (_shares_source(candidate, event), _closeness(candidate, event), event.id)


def _disagreement(p: Proposal, a: Action) -> str | None:
    """The first number (`count`, `from_cap`, `to_cap`) the proposal gives otherwise than
    the event."""
    for name in REFINABLE_NUMBERS:
        ours, theirs = getattr(p, name), getattr(a, name, None)
        if ours is not None and theirs is not None and ours != theirs:
            return name
    return None


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


def _quoted_id(detail: str, known: Mapping[str, Action], own: set[str]) -> str | None:
    """The first event the detail quotes that is known and not one of `own`."""
    names: list[str] = re.findall(r"'([a-z0-9][a-z0-9-]*)'", detail)
    for name in names:
        if name in known and name not in own:
            return name
    return None


def conflicting_event(
    exc: InvariantViolation, entry: Action | Amendment, known: Mapping[str, Action]
) -> str | None:
    """The event a proposal's broken rule sets it against: the one the rule names, unless that
    is the proposal itself (or the event it amends), then the one its detail quotes (the end
    of the channel, the recorded cap); else the event it amends."""
    own = {entry.id} | ({entry.target} if isinstance(entry, Amendment) else set())
    if exc.event_id not in own and exc.event_id in known:
        return exc.event_id
    quoted = _quoted_id(exc.detail, known, own)
    if quoted is not None:
        return quoted
    return entry.target if isinstance(entry, Amendment) else None


def reports_again(candidate: Action, event: Action) -> bool:
    """Whether the candidate is another report of the event: the domain's rule
    (`Action.resembles`, the one the import's `reported-once` applies). A statement (an
    invitation reiterated, a non-answer noted) the domain takes as a new saying unless both
    reports give the same day; a report of one whose dates overlap a recorded statement's is
    read as that statement retold (an article rarely dates a statement it retells), with its
    fields agreeing: the draft then corroborates it, which the import accepts as it stands."""
    if candidate.resembles(event):
        return True
    if not candidate.speech_act or not candidate.date.overlaps(event.date):
        return False
    theirs = event.own_fields()
    return all(
        value is None or theirs[name] is None or value == theirs[name]
        for name, value in candidate.own_fields().items()
    )


def refinement_fields(p: Proposal, event: Action) -> dict[str, Any]:
    """What the report gives that the event lacks, as a refinement's fields: a date inside
    the event's interval (never an assumed one), an effective date, numbers."""
    gains: dict[str, Any] = {}
    if not p.date_assumed and p.date.within(event.date):
        gains["date"] = p.date
    if p.effective is not None and event.effective is None:
        gains["effective"] = p.effective
    for name in REFINABLE_NUMBERS:
        ours = getattr(p, name)
        if ours is not None and getattr(event, name, "absent") is None:
            gains[name] = ours
    return gains


def effective_date(p: Proposal, candidate: Action, event: Action) -> UncertainDate | None:
    """When an action recorded as announced took effect, by a report that it is done
    (itself no announcement, its numbers agreeing) dated by its text after the announcement:
    the report's date, from the announcement on (a report that does not say since when the
    action is in effect bounds it by the announcement and its own date)."""
    if event.status != "announced" or candidate.status == "announced" or p.date_assumed:
        return None
    if _disagreement(p, event):
        return None
    if p.date.latest <= event.date.latest:
        return None
    if p.date.earliest >= event.date.earliest:
        return p.date
    start, end = event.date.earliest.isoformat(), p.date.latest.isoformat()
    return UncertainDate.from_edtf(
        f"{start}/{end}",
        wording=p.date.wording,
        resolution=f"reported done by {end}, announced from {start}: in effect between them",
    )


def _describe_gains(refinement: Refinement, event: Action) -> str:
    """What a refinement gives, in the draft's words: `date 2018-03-14 inside 2018-03`."""
    words = []
    for name in ("date", "effective", *REFINABLE_NUMBERS):
        value = getattr(refinement, name)
        if value is None:
            continue
        if name == "date":
            words.append(f"date {value.edtf} inside {event.date.edtf}")
        elif name == "effective":
            words.append(f"effective {value.edtf}")
        else:
            words.append(f"{name} {value}")
    return "; ".join(words)


def _refinement(candidate: Action, event: Action, gains: dict[str, Any]) -> Refinement | None:
    """The refinement of `event` carrying these gains, if it applies to the event as it now
    reads (a narrower date must still span the dates a dispute on the event gives)."""
    try:
        refinement = Refinement(
            id=candidate.id,
            type="refinement",
            refines=event.id,
            channel=event.channel,
            citations=candidate.citations,
            **gains,
        )
        refinement.amend(event)
    except (ValueError, InvariantViolation):
        return None
    return refinement


def report_again(p: Proposal, candidate: Action, event: Action) -> Corroboration | Refinement:
    """A second report of `event` as the operation that fits: a refinement giving what the
    event lacks (what does not apply is left out: the date first), else a corroboration."""
    gains = refinement_fields(p, event)
    for offered in (gains, {k: v for k, v in gains.items() if k not in ("date", "effective")}):
        refinement = _refinement(candidate, event, offered) if offered else None
        if refinement is not None:
            return refinement
    return Corroboration(
        id=candidate.id,
        type="corroboration",
        corroborates=event.id,
        channel=event.channel,
        citations=candidate.citations,
    )


def number_dispute(candidate: Action, event: Action, name: str) -> DisputeRecorded:
    """Two reports of one action that give one of its numbers differently: a dispute on the
    event with both claims, each cited (principle 6), never one number chosen silently."""
    word = NUMBER_WORDS[name]
    return DisputeRecorded.model_validate(
        {
            "id": candidate.id,
            "type": "dispute",
            "disputes": event.id,
            "channel": event.channel,
            "about": DISPUTED_ABOUT[name],
            "claims": [
                {"says": f"{word} {getattr(event, name)}", "citations": event.citations},
                {"says": f"{word} {getattr(candidate, name)}", "citations": candidate.citations},
            ],
        }
    )


class _Run:
    """The events a run's matching sees: the recorded ones as they now read, the run's new
    events, each as amended by the run's corroborations, refinements and disputes so far.
    `drafted` holds, channel by channel, the run's live entries in the draft's order: what
    the import will add after the recorded events."""

    def __init__(
        self,
        recorded: Sequence[Action],
        channels: Mapping[str, Channel],
        sources: Mapping[str, Source],
        source_named: Callable[[str], Source | None],
    ) -> None:
        self.channels = channels
        self.sources = sources
        self.source_named = source_named
        self.events: dict[str, Action] = {a.id: a for a in recorded}
        self.recorded = set(self.events)
        self.on_record: dict[str, list[Action]] = defaultdict(list)
        for action in recorded:
            self.on_record[action.channel].append(action)
        self.drafted: dict[str, list[Action | Amendment]] = defaultdict(list)

    def same_kind(self, candidate: Action) -> list[Action]:
        return [
            a
            for a in self.events.values()
            if a.channel == candidate.channel and a.type == candidate.type
        ]

    def on_channel(self, slug: str) -> list[Action]:
        return [a for a in self.events.values() if a.channel == slug]

    def source(self, key: str) -> Source | None:
        """A source of the run, else of the ledger."""
        return self.sources.get(key) or self.source_named(key)

    def breaks(self, entry: Action | Amendment) -> InvariantViolation | None:
        """The rule the channel would break with `entry` drafted after the run's live entries,
        as the import checks it (`check_timeline`: the same rules, the same order), or None."""
        slug = entry.channel
        new = [*self.drafted[slug], entry]
        try:
            check_timeline(self.channels[slug], [*self.on_record[slug], *new], new, self.source)
        except InvariantViolation as exc:
            return exc
        return None

    def draft(self, entry: Action | Amendment) -> None:
        """Keep a live entry: the run's later proposals are matched and checked after it."""
        self.drafted[entry.channel].append(entry)
        if isinstance(entry, Action):
            self.events[entry.id] = entry
            return
        amended = entry.amend(self.events[entry.target])
        if amended is not None:
            self.events[entry.target] = amended

    def live(self, match: Match) -> Match:
        """The match as it stands if its entry keeps the channel's rules, else a conflict for
        review naming the rule and the event it sets the proposal against."""
        entry = match.amendment or match.action
        assert entry is not None, "a live match drafts an entry"
        broken = self.breaks(entry)
        if broken is None:
            self.draft(entry)
            return match
        event = conflicting_event(broken, entry, self.events)
        return replace(match, kind="conflicts", event=event, rule=broken.rule, detail=broken.detail)

    def match(self, p: Proposal, entry_id: str, source_id: str) -> Match:
        """The match of one proposal, recording what it adds to the run."""
        invitation = invitation_for(p, list(self.events.values())) if p.type in FOLLOW_UPS else None
        if p.type in FOLLOW_UPS and invitation is None:
            detail = f"no invitation is recorded on '{p.channel}' before {p.date.edtf}"
            return Match("conflicts", None, "invitation-exists", detail)
        if p.channel not in self.channels:
            return Match("conflicts", None, "channel-declared", f"unknown channel '{p.channel}'")
        extra = {"invitation": invitation} if invitation else {}
        parties = _with_parties(p, self.events.get(invitation or ""))
        try:
            candidate = proposal_action(parties, entry_id, source_id, **extra)
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"] if exc.errors() else str(exc)
            return Match("conflicts", None, "valid-record", reason, invitation)
        refused = self.refused(candidate, source_id)
        if refused is not None:
            return Match("conflicts", None, refused[0], refused[1], invitation, candidate)
        found = self.against_known(p, candidate, invitation)
        return found if found is not None else self.admit(candidate, invitation)

    def refused(self, candidate: Action, source_id: str) -> tuple[str, str] | None:
        """The rule and reason the import would refuse the proposal for, whatever the ledger
        holds: a party that is not the channel's (or not the side that acts), or a date after
        its own article was published (a deadline or a plan read as the act)."""
        try:
            check_action_parties(candidate, self.channels[candidate.channel], candidate.id)
        except InvalidRecordError as exc:
            return "valid-record", str(exc)
        source = self.sources.get(source_id)
        problem = too_early(source, candidate) if source is not None else None
        return ("source-not-before-event", problem) if problem else None

    def against_known(self, p: Proposal, candidate: Action, invitation: str | None) -> Match | None:
        """The match with an event already known, if the proposal reports one."""
        same = self.same_kind(candidate)
        twins = [a for a in same if reports_again(candidate, a)]
        if twins:
            event = max(twins, key=lambda a: _likeness(candidate, a))
            again = report_again(p, candidate, event)
            kind: MatchKind = "refines" if isinstance(again, Refinement) else "corroborates"
            detail = _describe_gains(again, event) if isinstance(again, Refinement) else ""
            return self.live(Match(kind, event.id, None, detail, invitation, candidate, again))
        clashing = [a for a in same if a.date.overlaps(candidate.date) and _disagreement(p, a)]
        if clashing:
            event = max(clashing, key=lambda a: _likeness(candidate, a))
            return self.disagree(p, candidate, event, invitation)
        took_effect = self.effect_of_announced(p, candidate, same, invitation)
        return took_effect or self.near_miss(p, candidate, same, invitation)

    def effect_of_announced(
        self, p: Proposal, candidate: Action, same: Sequence[Action], invitation: str | None
    ) -> Match | None:
        """A report that an action recorded as announced is done, dated after the
        announcement: a refinement giving the event its effective date (or a narrower one),
        or a corroboration where it agrees with the effective date already known."""
        for event in sorted(same, key=lambda a: _likeness(candidate, a), reverse=True):
            effective = effective_date(p, candidate, event)
            if effective is None:
                continue
            known = event.effective
            if known is not None and not effective.within(known):
                if not effective.overlaps(known):
                    continue
                again: Amendment = report_again(p, candidate, event)
            else:
                again = _refinement(candidate, event, {"effective": effective}) or report_again(
                    p, candidate, event
                )
            kind: MatchKind = "refines" if isinstance(again, Refinement) else "corroborates"
            detail = _describe_gains(again, event) if isinstance(again, Refinement) else ""
            return self.live(Match(kind, event.id, None, detail, invitation, candidate, again))
        return None

    def disagree(
        self, p: Proposal, candidate: Action, event: Action, invitation: str | None
    ) -> Match:
        """Another number than the event's: a dispute when another article of the run gave
        the event and this report dates the action itself. Left for review, the reason said,
        when the ledger holds the event (drafted as its dispute, commented out: a dispute or a
        correction is the analyst's call), and, drafted as an event, when the same article
        gives both numbers or the text does not date this report: both may be two actions,
        and a dispute would hide one."""
        name = _disagreement(p, event) or "count"
        detail = f"{name} {getattr(p, name)} here, {getattr(event, name)} in '{event.id}'"
        if p.date_assumed:
            detail += " (this report gives no date of its own)"
        if p.date_assumed or _shares_source(candidate, event):
            return Match("conflicts", event.id, "numbers-agree", detail, invitation, candidate)
        try:
            dispute = number_dispute(candidate, event, name)
            dispute.amend(event)
        except (ValueError, InvariantViolation) as exc:
            detail = f"{detail} ({str(exc).splitlines()[0]})"
            return Match("conflicts", event.id, "numbers-agree", detail, invitation, candidate)
        if event.id in self.recorded:
            detail += "; drafted as a dispute of it: uncomment it, or correct the event"
            return Match(
                "conflicts", event.id, "numbers-agree", detail, invitation, candidate, dispute
            )
        return self.live(Match("disputes", event.id, None, detail, invitation, candidate, dispute))

    def near_miss(
        self, p: Proposal, candidate: Action, same: Sequence[Action], invitation: str | None
    ) -> Match | None:
        """A report dated just outside a known event's interval, numbers agreeing: most
        likely that event with a disputed date, left for review."""
        if p.date_assumed:
            return None
        near = [
            a
            for a in same
            if (
                timedelta(0) < a.date.earliest - p.date.latest <= NEAR_MISS
                or timedelta(0) < p.date.earliest - a.date.latest <= NEAR_MISS
            )
            and _disagreement(p, a) is None
        ]
        if not near:
            return None
        event = min(near, key=lambda a: (abs((a.date.earliest - p.date.earliest).days), a.id))
        detail = f"dated {p.date.edtf} here, {event.date.edtf} in '{event.id}'"
        return Match(
            "conflicts", event.id, "date-within-recorded-interval", detail, invitation, candidate
        )

    def admit(self, candidate: Action, invitation: str | None) -> Match:
        """A new event, if the channel's rules allow it after every event known so far (the
        checks the import runs), so that the draft imports as it stands."""
        return self.live(Match("new", None, None, "", invitation, candidate))


def _with_parties(p: Proposal, invitation: Action | None) -> Proposal:
    """A follow-up's parties come from the invitation it follows: the inviter reiterates, the
    invitee leaves unanswered or declines."""
    if p.type not in FOLLOW_UPS or invitation is None:
        return p
    if p.type == "invitation_reiterated":
        return replace(p, actor=invitation.actor, target=invitation.target)
    return replace(p, actor=invitation.target or p.actor, target=invitation.actor)


def match_proposals(
    proposals: Sequence[Proposal],
    recorded: Sequence[Action],
    channels: Mapping[str, Channel],
    *,
    entry_ids: Sequence[str] | None = None,
    sources: Sequence[str] | None = None,
    declared: Mapping[str, Source] | None = None,
    source_named: Callable[[str], Source | None] = lambda key: None,
) -> list[Match]:
    """The match of each proposal, in order.

    `recorded` is every recorded action as it now reads (corrections applied, retractions
    removed), e.g. `LedgerContents.all_actions()`; `channels` the declared channels by slug.
    `entry_ids` and `sources` give each proposal's id in the draft and the source it cites
    (by default `proposed-N` and `proposed`), `declared` the run's sources by id (a proposal
    dated after its own source was published is refused, as the import would refuse it).
    Each proposal is matched against the recorded events and the run's events before it, so
    put the earliest-published reports first: the first report of an action is its event,
    the later ones amend it. Every entry the draft would hold live (a new event, a
    corroboration, refinement or dispute) is checked, after the recorded events and the run's
    live entries before it, by the rules the import applies (`check_timeline`); one that
    would break one is a conflict naming the rule and the event it sets the proposal against,
    so the live draft imports as it stands. `source_named` gives a ledger's source by id (the
    dates of the sources an amendment adds to a recorded event are checked against it).
    """
    run = _Run(recorded, channels, declared or {}, source_named)
    return [
        run.match(
            p,
            entry_ids[number] if entry_ids else f"proposed-{number}",
            sources[number] if sources else "proposed",
        )
        for number, p in enumerate(proposals)
    ]
