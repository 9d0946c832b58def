"""How each proposal relates to what the ledger holds and to the other proposals of its run.

A pure function of the proposals and the recorded actions (as the ledger's read side gives
them, corrections applied), so that any read path can feed it. A second report of an action
must not become a second event, whether the first report is recorded already or is another
proposal of the same run (several articles extracted together, or several sentences of one
article): it *corroborates* it (adds a citation), *refines* it (narrows its date, gives a
number it lacked), *disputes* it (another article of the run gives another number: both
claims are kept, each cited; a third number joins that dispute as a third claim), or
*conflicts* with it (another number than the ledger's or than the same article's, a date just
outside its interval, or a rule it would break). Two articles of the run that place one action
a few days apart (Tuesday in one, Thursday in the other) dispute its date: the event drafted
from the first spans both days and the dispute keeps each, cited. Only what is none of these
is *new*. Every entry drafted live, amendments included, is checked by the channel rules the
import applies (`check_timeline`), after the recorded events and the run's earlier live
entries: one that breaks a rule is left for review, so the rest imports.

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
from chancery.domain.sources import Claim, Dispute, Source
from chancery.domain.timeline import check_timeline, fold_all
from chancery.extraction.dates import edtf_of
from chancery.extraction.extract import Proposal, proposal_action
from pydantic import ValidationError

MatchKind = Literal["new", "corroborates", "refines", "disputes", "conflicts"]

NEAR_MISS = timedelta(days=31)
"""A proposal of the same action dated within this much outside a recorded interval is read as
a report of that action with a disputed date, not as a new action."""

RETOLD_SPAN = timedelta(days=7)
"""Two reports of an action from different articles of one run, numbers agreeing, whose dates
miss each other but fit in one week together ("on Tuesday" in one, "on Thursday" in the
other), tell one action on a day they disagree about: outlets retelling a story get its
weekday wrong (counted from another day, or the day it was announced), while a second action
of the same kind by the same party on the same post within days is told as "again" or "more"
by the article that knows both. Further apart they are left for review (`NEAR_MISS`)."""

_REPEAT = re.compile(
    r"\b(?:again|once\s++more|anew|another|a\s++(?:second|third|fresh)\s++time|"
    r"for\s++the\s++(?:second|third)\s++time|(?:\d++|two|three|four|five|several)\s++more)\b",
    re.IGNORECASE,
)
"""Words by which a report tells an act as a repeat of an earlier one ("summoned the envoy
again", "expelled two more", "for the second time"): another occurrence, never a retelling."""

DATE_DISPUTE = "date"
"""The `about` of a dispute over when an action happened (the domain's own word for it)."""

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
    joins: str | None = None
    """The dispute entry of the run this report's claim was added to (its own entry then
    records nothing: the claim and its citations are in that dispute)."""


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
    events, each as amended by the run's corroborations, refinements and disputes so far."""

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
        self.matches: list[Match] = []
        self.position: dict[str, int] = {}
        """Where each entry of the run (by its id) stands in `matches`."""
        self.disputed: dict[tuple[str, str], str] = {}
        """The dispute entry the run drafted on an event about a subject, by (event, about)."""

    def add(self, entry: str, match: Match) -> None:
        """Record the match of the run's entry `entry`, and the dispute it opens."""
        self.position[entry] = len(self.matches)
        self.matches.append(match)
        if match.event and isinstance(match.amendment, DisputeRecorded):
            self.disputed.setdefault((match.event, match.amendment.about), entry)

    def drafted(self, entry: str) -> Match | None:
        at = self.position.get(entry)
        return None if at is None else self.matches[at]

    def opened(self, entry: str | None) -> DisputeRecorded | None:
        """The dispute the run's entry `entry` drafts, if it drafts one."""
        match = self.drafted(entry) if entry else None
        drafted = match.amendment if match else None
        return drafted if isinstance(drafted, DisputeRecorded) else None

    def revise(self, entry: str, **changes: Any) -> None:
        """Change what an earlier entry of the run drafts (a dispute's claims, an event's
        date widened to span a disputed day)."""
        at = self.position[entry]
        self.matches[at] = replace(self.matches[at], **changes)

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

    def live_on(self, slug: str) -> list[Action | Amendment]:
        """The run's live entries on a channel so far, in the draft's order, as the draft now
        holds them (an event a later report widened to a disputed span included)."""
        drafted = (
            m.amendment or m.action for m in self.matches if m.kind != "conflicts" and not m.joins
        )
        return [entry for entry in drafted if entry is not None and entry.channel == slug]

    def breaks(self, entry: Action | Amendment) -> InvariantViolation | None:
        """The rule the channel would break with `entry` drafted after the run's live entries,
        as the import checks it (`check_timeline`: the same rules, the same order), or None."""
        slug = entry.channel
        new = [*self.live_on(slug), entry]
        try:
            check_timeline(self.channels[slug], [*self.on_record[slug], *new], new, self.source)
        except InvariantViolation as exc:
            return exc
        return None

    def live(self, match: Match) -> Match:
        """The match as it stands if its entry keeps the channel's rules (the run's later
        proposals are then matched after it), else a conflict for review naming the rule and
        the event it sets the proposal against."""
        entry = match.amendment or match.action
        assert entry is not None, "a live match drafts an entry"
        broken = self.breaks(entry)
        if broken is not None:
            event = conflicting_event(broken, entry, self.events)
            return replace(
                match, kind="conflicts", event=event, rule=broken.rule, detail=broken.detail
            )
        if isinstance(entry, Amendment):
            amended = entry.amend(self.events[entry.target])
            if amended is not None:
                self.events[entry.target] = amended
        else:
            self.events[entry.id] = entry
        return match

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
            if self.another_day(p, event):
                joined = self.dispute_date(p, candidate, event, invitation)
                if joined is not None:
                    return joined
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
        claim = Claim(
            says=f"{NUMBER_WORDS[name]} {getattr(candidate, name)}", citations=candidate.citations
        )
        joined = self.join_dispute(event, DISPUTED_ABOUT[name], claim)
        if joined is not None:
            detail += f"; a claim of the dispute drafted as '{joined}'"
            return Match("disputes", event.id, None, detail, invitation, candidate, joins=joined)
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
        retold = self.dispute_date(p, candidate, event, invitation)
        if retold is not None:
            return retold
        detail = f"dated {p.date.edtf} here, {event.date.edtf} in '{event.id}'"
        return Match(
            "conflicts", event.id, "date-within-recorded-interval", detail, invitation, candidate
        )

    def join_dispute(self, event: Action, about: str, claim: Claim) -> str | None:
        """Add `claim` to the dispute the run drafted on `event` about `about`, if there is one
        (a third report giving yet another number or day: one dispute with every claim, each
        cited, not a dispute per pair of reports). A claim that says what one already says
        adds its citations to it. The id of the dispute entry, or None."""
        entry = self.disputed.get((event.id, about))
        opened = self.opened(entry)
        if entry is None or opened is None:
            return None
        claims = _with_claim(opened.claims, claim)
        before, after = (Dispute(about=about, claims=c) for c in (opened.claims, claims))
        current = self.events[event.id]
        disputes = [after if d == before else d for d in current.disputes]
        try:
            amended = type(current).model_validate({**current.model_dump(), "disputes": disputes})
        except ValueError:
            return None
        self.events[event.id] = amended
        self.revise(entry, amendment=opened.model_copy(update={"claims": claims}))
        return entry

    def another_day(self, p: Proposal, event: Action) -> bool:
        """Whether a report of an event whose day the run's reports dispute gives a day of
        its own: dated by its text, inside no claimed date and holding none ("on Wednesday"
        where the others say Tuesday and Thursday; "last week" holds them, and corroborates)."""
        opened = self.opened(self.disputed.get((event.id, DATE_DISPUTE)))
        if p.date_assumed or opened is None:
            return False
        claimed = [c.date for c in opened.claims if c.date is not None]
        return not any(_inside(p.date, d) or _inside(d, p.date) for d in claimed)

    def dispute_date(
        self, p: Proposal, candidate: Action, event: Action, invitation: str | None
    ) -> Match | None:
        """Another article's report of an event the run drafted, numbers agreeing, on a day
        that misses the event's but lies within `RETOLD_SPAN` of it: one action whose day the
        reports dispute. The drafted event is widened to span every claimed day (the domain
        asks an event's date to span its disputed dates) and the dispute keeps each day with
        its citations; a third day joins that dispute. None where this does not apply (a
        recorded event, whose date only a correction can widen; a statement, said again as
        a matter of course; one article giving both days: two actions; an event a refinement
        has narrowed; a report telling the act as a repeat, `_REPEAT`; a span the channel's rules
        refuse)."""
        first = self.drafted(event.id)
        current = self.events[event.id]
        if (
            first is None
            or first.action is None
            or candidate.speech_act
            or p.date_assumed
            or any(_REPEAT.search(quote.text) for quote in p.quotes)
            or _shares_source(candidate, event)
            or current.date != first.action.date
        ):
            return None
        lo = min(current.date.earliest, p.date.earliest)
        hi = max(current.date.latest, p.date.latest)
        if hi - lo >= RETOLD_SPAN:
            return None
        span = UncertainDate(
            edtf=edtf_of(lo, hi),
            earliest=lo,
            latest=hi,
            resolution="the span of the days the reports of this action give; which day is "
            "disputed (each report's day is a claim of the date dispute)",
        )
        widened = type(current).model_validate({**current.model_dump(), "date": span})
        try:
            others = [a for a in self.on_channel(event.channel) if a.id != event.id]
            fold_all(self.channels[event.channel], [*others, widened])
        except InvariantViolation:
            return None
        claim = Claim(says=_date_says(p.date), date=p.date, citations=candidate.citations)
        detail = (
            f"dated {p.date.edtf} here, {current.date.edtf} in '{event.id}' (same post, type, "
            f"parties and numbers, another article): one action told {(hi - lo).days} day(s) "
            f"apart, its day disputed; the event spans {span.edtf}"
        )
        self.events[event.id] = widened
        joined = self.join_dispute(widened, DATE_DISPUTE, claim)
        if joined is None:
            origin = first.action.date
            opening = Claim(says=_date_says(origin), date=origin, citations=first.action.citations)
            dispute = DisputeRecorded(
                id=candidate.id,
                type="dispute",
                disputes=event.id,
                channel=event.channel,
                about=DATE_DISPUTE,
                claims=[opening, claim],
            )
            self.events[event.id] = dispute.amend(widened)
        why = f"dated {span.edtf}: the reports dispute its day (the 'date' dispute on it)"
        self.revise(event.id, action=first.action.model_copy(update={"date": span}), detail=why)
        if joined is not None:
            detail += f"; a claim of the dispute drafted as '{joined}'"
            return Match("disputes", event.id, None, detail, invitation, candidate, joins=joined)
        return Match("disputes", event.id, None, detail, invitation, candidate, dispute)

    def admit(self, candidate: Action, invitation: str | None) -> Match:
        """A new event, if the channel's rules allow it after every event known so far (the
        checks the import runs), so that the draft imports as it stands."""
        return self.live(Match("new", None, None, "", invitation, candidate))


def _inside(day: UncertainDate, other: UncertainDate) -> bool:
    return other.earliest <= day.earliest and day.latest <= other.latest


def _date_says(day: UncertainDate) -> str:
    """A date claim in the draft's words: `date 2025-10-14 ('on Tuesday')`."""
    return f"date {day.edtf}" + (f" ('{day.wording}')" if day.wording else "")


def _same_claim(known: Claim, claim: Claim) -> bool:
    """Whether two claims say one thing: the same days, or for a number the same words."""
    if known.date is not None and claim.date is not None:
        return (known.date.earliest, known.date.latest) == (claim.date.earliest, claim.date.latest)
    return known.says == claim.says


def _with_claim(claims: Sequence[Claim], claim: Claim) -> list[Claim]:
    """The claims with one more: a claim that says what one of them says (the same number,
    the same day) adds its citations to that one."""
    kept = list(claims)
    for at, known in enumerate(kept):
        if _same_claim(known, claim):
            cited = [*known.citations, *(c for c in claim.citations if c not in known.citations)]
            kept[at] = known.model_copy(update={"citations": cited})
            return kept
    return [*kept, claim]


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
    for number, p in enumerate(proposals):
        entry = entry_ids[number] if entry_ids else f"proposed-{number}"
        run.add(entry, run.match(p, entry, sources[number] if sources else "proposed"))
    return run.matches
