"""Reported actions: one pydantic model per kind of action the sources report.

Each type carries its political-science codes (PLOVER event type and mode, CAMEO code; see
README for where they come from), the channel kinds it can happen on, the rule it must obey
against the channel's timeline, and its effect on the channel's facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Self, get_args

from chancery.domain.dates import UncertainDate
from chancery.domain.errors import InvalidRecordError, InvariantViolation, one_line_reason
from chancery.domain.facts import Basis, ChannelFacts, Fact, InvitationFacts, Status
from chancery.domain.parties import (
    HEAD_OF_MISSION_KINDS,
    POST_KINDS,
    Channel,
    ChannelKind,
    PartyRef,
    Slug,
)
from chancery.domain.sources import Citation, Claim, Dispute, Source
from chancery.domain.text import Name, Text, is_import
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    StrictInt,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

K = ChannelKind
MISSIONS = frozenset(
    {K.MISSION, K.OFFICE, K.PERMANENT_MISSION, K.INFORMATION_OFFICE, K.LIAISON_OFFICE}
)
"""Missions and offices (release 0.1's kinds and their structured names): the posts that
`mission_suspended` and `office_closed` apply to. `post_*` types apply to every post."""
POSTS = POST_KINDS
MEETING_PLACES = frozenset({K.COUNCIL, K.DIALOGUE})
CONTACTS = frozenset({K.MILITARY_CONTACTS, K.DIALOGUE, K.CONTACT_POINT})
ENDED = frozenset({Status.SUSPENDED, Status.CLOSED})
REFINABLE_NUMBERS = ("count", "from_cap", "to_cap")
NOT_COMPARED = frozenset({"from_disputed"})
"""Fields of a type that two reports of one action may set differently (a flag about the
record, not about what happened)."""
OPTIONAL_ADDITIONS = ("in_response_to", "names")
"""Event fields that are not serialised while unset (see `Action._drop_unset_distinct`)."""
MAX_COUNT = 100_000
"""The largest staff cap or number of withdrawn accreditations accepted: far above any mission
(NATO's whole international staff is a few thousand), far below numbers no one could mean."""


class Codes(BaseModel):
    """Event-data codes, so Chancery's events can be compared with other datasets."""

    model_config = ConfigDict(frozen=True)

    plover: str | None
    plover_mode: str | None
    cameo: str | None
    cameo_label: str | None


class Action(BaseModel):
    """The envelope every reported action carries."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kinds: ClassVar[frozenset[ChannelKind]] = frozenset(ChannelKind)
    codes: ClassVar[Codes] = Codes(plover=None, plover_mode=None, cameo=None, cameo_label=None)
    summary: ClassVar[str] = ""
    triggers: ClassVar[tuple[str, ...]] = ()
    """Words that signal this action in a report, for `chancery extract`: lowercase phrases,
    `*` ending a word matches any ending ("revok*": revoke, revoked, revoking), a space matches
    spaces or hyphens. They live here, beside the type, so that adding a type adds its words;
    a channel declaration's `triggers` adds more for that channel (data, in an import file)."""
    home_kinds: ClassVar[frozenset[ChannelKind]] = frozenset()
    """The channel kinds on which an ambiguous word ("terminated") reads as this type rather
    than another that also fits the channel; empty means every kind in `kinds`."""
    speech_act: ClassVar[bool] = False
    """True when saying it is doing it (an invitation reiterated, a non-answer noted): a report's
    "he said on Monday" dates the action itself, not only bounds it."""
    actor_side: ClassVar[str | None] = None
    """On a post that declares its `sending` and `receiving` party, which of them acts
    ("receiving": an expulsion, a summons; "sending": a recall); None for either."""

    id: Slug = Field(description="Stable identifier; re-importing the same id adds nothing")
    type: str
    channel: Slug
    actor: PartyRef = Field(description="The party that acted (slug or code)")
    target: PartyRef | None = Field(
        default=None, description="The party acted upon, where one is (slug or code)"
    )
    date: UncertainDate = Field(description="Valid time: when it happened or was announced")
    effective: UncertainDate | None = Field(
        default=None, description="When it took effect, where the sources say and it differs"
    )
    status: Literal["announced"] | None = Field(
        default=None,
        description="'announced' when the sources report the action only as announced and give "
        "no date it took effect (principle 4): views then say so instead of 'certain'; an "
        "`effective` date, given here or by a later refinement, supersedes it",
    )
    citations: list[Citation] = Field(min_length=1)
    reasons: list[Claim] = Field(default_factory=list, description="The reason each side gives")
    disputes: list[Dispute] = Field(default_factory=list)
    note: Text | None = Field(default=None, description="The analyst's note on reading the sources")
    in_response_to: Slug | None = Field(
        default=None,
        description="The id of the event this one answers (a retaliatory expulsion), on any "
        "channel; it must be recorded and not later in valid time",
    )
    distinct: bool = Field(
        default=False,
        description=(
            "Set, with distinct_reason, when this is another action than a recorded one it "
            "resembles (same channel and type, overlapping dates, agreeing numbers); without "
            "it such an entry is refused as a second report of that event"
        ),
    )
    distinct_reason: Text | None = Field(
        default=None,
        description="Why this is another action, not a second report (required with distinct)",
    )

    @model_serializer(mode="wrap")
    def _drop_unset_additions(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, object]:
        """Envelope fields added after events were first recorded (`distinct`, `status`) are
        not serialised while unset, so every event recorded before they existed keeps its
        content digest (the ledger compares entries by digest, `verify` checks them) and
        re-importing it adds nothing. One serializer: a model takes only one."""
        data: dict[str, object] = handler(self)
        if not data.get("distinct") and data.get("distinct_reason") is None:
            data.pop("distinct", None)
            data.pop("distinct_reason", None)
        if data.get("status", "") is None:
            del data["status"]
        for key in OPTIONAL_ADDITIONS:  # likewise, fields added after release 0.1.0
            if key in data and data[key] in (None, []):
                del data[key]
        return data

    @model_validator(mode="after")
    def _check_envelope(self, info: ValidationInfo) -> Self:
        if self.distinct != (self.distinct_reason is not None):
            raise ValueError(
                "distinct: true and distinct_reason go together: say why this is another "
                "action, not a second report of one already recorded"
            )
        if is_import(info) and self.target is not None and self.target == self.actor:
            raise ValueError(f"target '{self.target}' is the actor: an action has another target")
        if self.in_response_to is not None and self.in_response_to == self.id:
            raise ValueError("in_response_to names the event itself: it answers another event")
        if self.effective is not None and self.effective.latest < self.date.earliest:
            raise ValueError(
                f"effective date {self.effective} is before the announcement {self.date}"
            )
        for dispute in self.disputes:
            for claim in dispute.claims:
                if claim.date and not (
                    self.date.earliest <= claim.date.earliest
                    and claim.date.latest <= self.date.latest
                ):
                    raise ValueError(
                        f"the date {self.date} must span every disputed date; "
                        f"'{claim.says}' gives {claim.date}"
                    )
        return self

    @property
    def takes_effect(self) -> UncertainDate:
        return self.effective or self.date

    def own_fields(self) -> dict[str, Any]:
        """What this type says beyond the envelope (numbers, the invitation it answers, a
        venue): the fields two reports of one action must not contradict."""
        return {
            name: getattr(self, name)
            for name in type(self).model_fields
            if name not in Action.model_fields and name not in NOT_COMPARED
        }

    def resembles(self, other: Action) -> bool:
        """Whether `other` may be this very action reported again (it would count twice):
        the same channel and type, dates that overlap (the announcement, and the effect where
        both give one), and every field of the type equal or unknown on one side. Two exact
        days that differ are two actions; overlapping imprecise dates with agreeing numbers
        cannot be told apart, so an entry that is another action says so (`distinct`).

        A speech act (an invitation reiterated, a non-answer noted, contacts said to be open)
        is repeated as a matter of course, each saying its own act: two reports are of one
        saying only when both give the same day."""
        if (other.type, other.channel) != (self.type, self.channel):
            return False
        if not self.date.overlaps(other.date):
            return False
        if self.speech_act and not (self.date.is_exact and other.date.is_exact):
            return False
        if self.effective and other.effective and not self.effective.overlaps(other.effective):
            return False
        theirs = other.own_fields()
        return all(
            value is None or theirs[name] is None or value == theirs[name]
            for name, value in self.own_fields().items()
        )

    def adds_to(self, other: Action) -> list[str]:
        """What this report says that `other`, an event it resembles, lacks: a narrower date
        or effective date, numbers it did not give (what a `refinement` carries)."""
        added = [
            name
            for name in ("date", "effective")
            if getattr(self, name) is not None
            and (getattr(other, name) is None or getattr(self, name).within(getattr(other, name)))
        ]
        theirs = other.own_fields()
        added += [
            name
            for name, value in self.own_fields().items()
            if name in REFINABLE_NUMBERS and value is not None and theirs[name] is None
        ]
        return added

    @property
    def announced_only(self) -> bool:
        """Reported as announced, with no date it took effect: its facts rest on the
        announcement, never plain 'reported'."""
        return self.status == "announced" and self.effective is None

    def report(self, facts: ChannelFacts, name: str, value: Any) -> None:
        """Set a fact as the sources give it: reported, or announced only."""
        if self.announced_only:
            facts.set(name, value, Basis.ANNOUNCED, self.id, announced=self.date.edtf)
        else:
            facts.set(name, value, Basis.REPORTED, self.id)

    def all_citations(self) -> list[Citation]:
        """Every citation the event carries, its reasons' and disputes' included."""
        found = list(self.citations)
        for claim in self.reasons:
            found.extend(claim.citations)
        for dispute in self.disputes:
            for claim in dispute.claims:
                found.extend(claim.citations)
        return found

    def check(self, facts: ChannelFacts, events: Mapping[str, Action]) -> None:
        """Refuse the action if the channel's facts before it make it impossible."""

    def apply(self, facts: ChannelFacts) -> None:
        """Fold the action into the channel's facts."""

    def prior_facts(self) -> dict[str, Fact]:
        """What the report says held just before it (a cut "from 20"): principle 5 lets a
        value no source gave be inferred from it."""
        return {}

    def violation(self, rule: str, detail: str) -> InvariantViolation:
        return InvariantViolation(rule, self.id, detail)

    def _refuse_after_end(
        self, facts: ChannelFacts, events: Mapping[str, Action], ended_by: frozenset[Status] = ENDED
    ) -> None:
        """A channel that has ended (suspended or closed) cannot receive actions that need it
        operating; `ended_by` narrows which statuses count, e.g. a suspended office can close.

        The end counts from the day it took effect. An end reported only as announced, with no
        date it took effect, refuses nothing: the announcement day is not when the channel
        stopped (announced is not effective), and no later action can be shown to follow it."""
        ended_event = facts["status"].event
        if facts.status not in ended_by or ended_event is None:
            return
        ending = events[ended_event]
        if ending.announced_only:
            return
        ended = ending.takes_effect
        if ended.latest < self.takes_effect.earliest:
            raise self.violation(
                "no-action-on-ended-channel",
                f"channel '{self.channel}' was {facts.status} by '{ended_event}' "
                f"({ended}) before this {self.type} ({self.takes_effect})",
            )


def _bounded(value: int | None, info: ValidationInfo) -> int | None:
    """Refuse, in an import file, a count or cap above MAX_COUNT."""
    if is_import(info) and value is not None and value > MAX_COUNT:
        raise ValueError(f"{value} is more than {MAX_COUNT}, the largest count accepted")
    return value


def _codes(plover: str | None, mode: str | None, cameo: str | None, label: str | None) -> Codes:
    return Codes(plover=plover, plover_mode=mode, cameo=cameo, cameo_label=label)


class InvitationExtended(Action):
    triggers = (
        "invited",
        "invite",
        "inviting",
        "extended an invitation",
        "sent an invitation",
        "issued an invitation",
        "proposed to hold",
        "proposed to convene",
        "proposed holding",
        "proposed convening",
        "offered to hold",
        "offered to convene",
    )
    kinds = MEETING_PLACES
    codes = _codes("AGREE", None, "036", "Express intent to meet or negotiate")
    summary = "invited to meet"
    type: Literal["invitation_extended"]

    def apply(self, facts: ChannelFacts) -> None:
        facts.invitations[self.id] = InvitationFacts(event_id=self.id)


class _InvitationFollowUp(Action):
    """An action about an earlier invitation, which it names."""

    kinds = MEETING_PLACES
    invitation: Slug = Field(description="The id of the invitation_extended event")

    def check(self, facts: ChannelFacts, events: Mapping[str, Action]) -> None:
        extended = events.get(self.invitation)
        if not isinstance(extended, InvitationExtended) or extended.channel != self.channel:
            raise self.violation(
                "invitation-exists",
                f"no invitation '{self.invitation}' was extended on channel '{self.channel}'",
            )
        if self.date.latest < extended.date.earliest:
            raise self.violation(
                "follows-invitation",
                f"dated {self.date}, before invitation '{self.invitation}' ({extended.date})",
            )

    def follow_up(self, invitation: InvitationFacts) -> None:
        raise NotImplementedError

    def apply(self, facts: ChannelFacts) -> None:
        if self.invitation in facts.invitations:
            self.follow_up(facts.invitations[self.invitation])


class InvitationReiterated(_InvitationFollowUp):
    speech_act = True
    triggers = (
        "still stands",
        "remains in effect",
        "remains in force",
        "remains valid",
        "remains open",
        "is valid",
        "stands ready",
        "ready to convene",
        "ready to hold",
        "ready to meet",
        "prepared to convene",
        "prepared to hold",
        "prepared to meet",
        "willing to convene",
        "open to dialogue",
        "open to talks",
        "reiterat* the invitation",
        "reiterat* its invitation",
        "renewed its invitation",
        "renewed the invitation",
        "repeated its invitation",
        "repeated the invitation",
        "invitation remains",
        "offer remains",
        "proposal remains",
    )
    codes = _codes("AGREE", None, "036", "Express intent to meet or negotiate")
    summary = "invitation still stands"
    type: Literal["invitation_reiterated"]

    def follow_up(self, invitation: InvitationFacts) -> None:
        invitation.reiterated_by.append(self.id)


class InvitationUnanswered(_InvitationFollowUp):
    speech_act = True
    triggers = (
        "not responded",
        "not yet responded",
        "not replied",
        "not yet replied",
        "not answered",
        "not yet answered",
        "no response",
        "no reply",
        "no answer",
        "waiting for a response",
        "waiting for an answer",
        "waiting for a reply",
        "awaiting a response",
        "awaiting an answer",
        "awaits a response",
        "left unanswered",
        "gone unanswered",
        "remains unanswered",
        "not been answered",
    )
    summary = "invitation not answered"
    type: Literal["invitation_unanswered"]

    def follow_up(self, invitation: InvitationFacts) -> None:
        invitation.unanswered_by.append(self.id)


class InvitationDeclined(_InvitationFollowUp):
    speech_act = True
    triggers = (
        "declined",
        "rejected",
        "rejects",
        "rejected the invitation",
        "rejected the proposal",
        "rejected the offer",
        "turned down",
        "refused the invitation",
        "refused to attend",
        "refused to meet",
        "question is closed",
    )
    codes = _codes("REJECT", "meet", "125", "Reject proposal to meet, discuss, or negotiate")
    summary = "invitation declined"
    type: Literal["invitation_declined"]

    def follow_up(self, invitation: InvitationFacts) -> None:
        invitation.declined_by.append(self.id)


class InvitationRevoked(_InvitationFollowUp):
    """The inviting party withdraws its invitation: it is no longer open."""

    triggers = (
        "withdr* … invitation",
        "revok* … invitation",
        "cancel* … invitation",
        "rescind*",
    )
    codes = _codes("REJECT", "meet", "125", "Reject proposal to meet, discuss, or negotiate")
    summary = "invitation revoked"
    type: Literal["invitation_revoked"]

    def apply(self, facts: ChannelFacts) -> None:
        facts.invitations.pop(self.invitation, None)


class MeetingHeld(Action):
    triggers = (
        "met",
        "meeting was held",
        "meeting took place",
        "held a meeting",
        "held its meeting",
        "held talks",
        "held … talks",
        "held … meeting*",
        "held … session*",
        "held … round*",
        "hold* … round of",
        "hold talks",
        "hold consultations",
        "holds talks",
        "holds consultations",
        "hold first talks",
        "hold fresh talks",
        "hold direct talks",
        "hold political consultations",
        "round* … held",
        "conducted … talks",
        "conducted … consultations",
        "conducted … round*",
        "was conducted",
        "were conducted",
        "held … consultations",
        "had … exchange of views",
        "resume … talks",
        "resume … consultations",
        "resume … dialogue",
        "resumes … talks",
        "resumes … consultations",
        "resumes … dialogue",
        "resumed … talks",
        "resumed … consultations",
        "resumed … dialogue",
        "talks …… resumed",
        "consultations …… resumed",
        "dialogue …… resumed",
        "resumed on",
        "resumption of … talks",
        "resumption of … consultations",
        "resumption of … dialogue",
        "reviv* … talks",
        "reviv* … consultations",
        "reviv* … dialogue",
        "was revived",
        "were revived",
        "been revived",
        "held … exchange of views",
        "exchanged … views",
        "exchanged … opinions",
        "meetings",
        "sessions",
        "meeting of",
        "session of",
        "meeting, held",
        "meeting* … held",
        "session, held",
        "sat down",
        "last met",
        "last held",
        "last meeting",
        "last session",
        "previous meeting",
        "previous session",
        "last round",
        "previous round",
        "talks were held",
        "held consultations",
        "convened",
        "took place",
        "taken place",
        "was held",
        "were held",
    )
    kinds = MEETING_PLACES
    codes = _codes("CONSULT", "multilateral", "040", "Consult, not specified below")
    summary = "meeting held"
    type: Literal["meeting_held"]

    def apply(self, facts: ChannelFacts) -> None:
        self.report(facts, "last_meeting", self.id)
        facts.invitations.clear()
        self.report(facts, "status", Status.ACTIVE)


class MeetingProposalNotAgreed(Action):
    triggers = (
        "no agreement",
        "not able to agree",
        "unable to agree",
        "unable to reach an agreement",
        "failed to agree",
        "could not agree",
        "did not agree",
        "no consensus",
    )
    kinds = MEETING_PLACES
    codes = _codes("CONSULT", "third-party", "040", "Consult, not specified below")
    summary = "convening discussed, no agreement"
    type: Literal["meeting_proposal_not_agreed"]
    venue: Text | None = Field(default=None, description="Where the proposal was discussed")


class AccreditationWithdrawn(Action):
    triggers = (
        "revok*",
        "revocation",
        "withdr* the accreditation",
        "withdr* accreditation",
        "depriv* … accreditation*",
        "los* … accreditation*",
        "accreditation* have been withdrawn",
        "accreditation* had been withdrawn",
        "accreditation* were withdrawn",
        "accreditation* was withdrawn",
        "expel*",
        "expulsion",
        "persona non grata",
        "personae non gratae",
        "accreditation* …… withdrawn",
        "stripped",
        "strip* … accreditation*",
        "removed the diplomatic immunity",
        "lifted the diplomatic immunity",
        "ordered out",
        "ordered to leave",
        "order* … out",
        "order* … to leave",
        "asked to leave",
        "told to leave",
        "tell* … to pack",
        "shown the door",
        "show* … the door",
        "marching orders",
        "unwelcome person*",
        "told … to pack",
        "given … to leave",
        "gave … to leave",
        "giving … to leave",
        "oust*",
    )
    kinds = POSTS
    actor_side = "receiving"
    codes = _codes("SANCTION", "expel", "161", "Reduce or break diplomatic relations")
    summary = "accreditations withdrawn"
    type: Literal["accreditation_withdrawn"]
    names: list[Name] = Field(
        default_factory=list,
        description="The diplomats declared persona non grata, where the sources name them",
    )
    count: StrictInt | None = Field(
        default=None,
        ge=1,
        description="How many; null when not reported",
        json_schema_extra={"maximum": MAX_COUNT},
    )

    @field_validator("count")
    @classmethod
    def _bounded_count(cls, value: int | None, info: ValidationInfo) -> int | None:
        return _bounded(value, info)

    def check(self, facts: ChannelFacts, events: Mapping[str, Action]) -> None:
        self._refuse_after_end(facts, events)

    def apply(self, facts: ChannelFacts) -> None:
        """A running total; once one withdrawal of unreported size happens, the total is
        unknown for good (not understated)."""
        total = facts["accreditations_withdrawn"]
        if self.count is None:
            facts.set("accreditations_withdrawn", None, Basis.UNKNOWN, self.id)
        elif total.basis is Basis.ANNOUNCED and not self.announced_only:
            # A total with an announced withdrawal in it rests on that announcement still.
            facts.set(
                "accreditations_withdrawn",
                total.value + self.count,
                Basis.ANNOUNCED,
                self.id,
                announced=total.announced,
            )
        elif total.value is not None or total.event is None:
            self.report(facts, "accreditations_withdrawn", (total.value or 0) + self.count)
        facts.mark_operating(self.id)


class StaffCapChanged(Action):
    triggers = (
        "reduc*",
        "cut",
        "cuts",
        "cutting",
        "capped",
        "cap of",
        "cap on",
        "limit*",
        "downsiz*",
        "shrink*",
        "shrank",
        "shrunk",
        "pare* down",
        "halv*",
        "in parity",
        "into parity",
        "brought down",
        "bring* down",
        "brought … down to",
        "bring* … down to",
        "scal* down",
        "trimm*",
        "slash*",
        "size of",
        "number of staff",
        "number of employees",
        "number of diplomats",
    )
    kinds = POSTS
    codes = _codes("SANCTION", "discontinue", "161", "Reduce or break diplomatic relations")
    summary = "staff cap changed"
    type: Literal["staff_cap_changed"]
    from_cap: StrictInt | None = Field(
        default=None,
        ge=0,
        description="Cap before; null if unknown",
        json_schema_extra={"maximum": MAX_COUNT},
    )
    to_cap: StrictInt | None = Field(
        default=None,
        ge=0,
        description="Cap after; null if unknown",
        json_schema_extra={"maximum": MAX_COUNT},
    )
    from_disputed: bool = Field(
        default=False,
        description="Set when from_cap knowingly disagrees with the cap already recorded",
    )

    @field_validator("from_cap", "to_cap")
    @classmethod
    def _bounded_caps(cls, value: int | None, info: ValidationInfo) -> int | None:
        return _bounded(value, info)

    def check(self, facts: ChannelFacts, events: Mapping[str, Action]) -> None:
        self._refuse_after_end(facts, events)
        known = facts["staff_cap"]
        if (
            self.from_cap is not None
            and known.value is not None
            and known.basis in (Basis.REPORTED, Basis.ANNOUNCED)
            and known.value != self.from_cap
            and not self.from_disputed
        ):
            raise self.violation(
                "cap-from-matches-known-cap",
                f"says the cap went from {self.from_cap}, but '{known.event}' "
                f"left it at {known.value}. If this reports the same cut as '{known.event}', "
                f"record it as a 'corroboration' (or a 'refinement') of it, or as a 'dispute' on "
                "it if the sources disagree; set from_disputed: true only for another cut whose "
                "sources disagree about the cap before it",
            )

    def apply(self, facts: ChannelFacts) -> None:
        if self.to_cap is None:
            facts.set("staff_cap", None, Basis.UNKNOWN, self.id)
        else:
            self.report(facts, "staff_cap", self.to_cap)
        facts.mark_operating(self.id)

    def prior_facts(self) -> dict[str, Fact]:
        if self.from_cap is None:
            return {}
        return {"staff_cap": Fact(self.from_cap, Basis.INFERRED, self.id)}


class _StatusChange(Action):
    """An action whose whole effect is to put the channel in a new status."""

    new_status: ClassVar[Status]
    refused_after: ClassVar[frozenset[Status]] = ENDED
    """The statuses after which this change cannot happen (none for reopening)."""

    def check(self, facts: ChannelFacts, events: Mapping[str, Action]) -> None:
        self._refuse_after_end(facts, events, self.refused_after)
        ended_by = facts["status"].event
        repeated = facts.status is self.new_status and self.new_status in ENDED
        if repeated and self.new_status in self.refused_after and ended_by is not None:
            # Not strictly after the ending (that is the rule above), so on the same day or
            # in an overlapping interval: a post is suspended, or closed, once.
            raise self.violation(
                "ends-once",
                f"channel '{self.channel}' was already {facts.status} by '{ended_by}' "
                f"({events[ended_by].takes_effect}) when this {self.type} "
                f"({self.takes_effect}) would make it {self.new_status} again; if this reports "
                f"'{ended_by}' again, record a 'corroboration' of it",
            )

    def apply(self, facts: ChannelFacts) -> None:
        self.report(facts, "status", self.new_status)


class MissionSuspended(_StatusChange):
    home_kinds = frozenset({K.MISSION})
    triggers = (
        "suspend*",
        "suspension",
        "terminat*",
        "froze",
        "frozen",
        "freez*",
        "halt*",
        "stop* … work",
        "stop* … activit*",
        "ceas* … work",
        "ceas* … activit*",
        "ceas* … function*",
        "stop* … function*",
        "ceas* … operat*",
        "stop* … operat*",
    )
    kinds = MISSIONS
    codes = _codes("SANCTION", "withdraw", "161", "Reduce or break diplomatic relations")
    summary = "suspended"
    new_status = Status.SUSPENDED
    type: Literal["mission_suspended"]


class OfficeClosed(_StatusChange):
    """An office or mission closed; or whose mandate ended, expired or was not extended: a
    field mission lives by its mandate, and without one it closes (it is not suspended)."""

    home_kinds = frozenset({K.OFFICE})
    triggers = (
        "clos*",
        "shut*",
        "terminat*",
        "liquidat*",
        "mandate* …… expired",
        "mandate* …… ended",
        "mandate* …… lapsed",
        "mandate* …… not extended",
        "mandate* …… not renewed",
    )
    kinds = MISSIONS
    codes = _codes("SANCTION", "expel", "161", "Reduce or break diplomatic relations")
    summary = "closed"
    new_status = Status.CLOSED
    refused_after = frozenset({Status.CLOSED})
    type: Literal["office_closed"]


class CooperationSuspended(_StatusChange):
    home_kinds = frozenset({K.COOPERATION})
    triggers = (
        "suspend*",
        "suspension",
        "terminat*",
        "halt*",
        "froze",
        "frozen",
        "freez*",
        "cancel*",
        "ended",
        "ending",
    )
    kinds = frozenset({K.COOPERATION, K.MILITARY_CONTACTS})
    codes = _codes("SANCTION", "discontinue", "160", "Reduce relations, not specified below")
    summary = "cooperation suspended"
    new_status = Status.SUSPENDED
    type: Literal["cooperation_suspended"]


class CooperationResumed(_StatusChange):
    home_kinds = frozenset({K.COOPERATION})
    triggers = (
        "resum*",
        "restored",
        "restart*",
        "readmit*",
        "reinstat*",
        "lift* … suspension",
        "suspension* …… lifted",
    )
    kinds = frozenset({K.COOPERATION, K.MILITARY_CONTACTS})
    codes = _codes("COOPERATE", None, "060", "Engage in material cooperation, not specified below")
    summary = "cooperation resumed"
    new_status = Status.ACTIVE
    refused_after = frozenset()
    type: Literal["cooperation_resumed"]


class ContactsMaintained(_StatusChange):
    speech_act = True
    triggers = (
        "maintain*",
        "remain open",
        "remains open",
        "keep open",
        "kept open",
        "open lines",
        "regular basis",
        "regularly",
        "still in contact",
    )
    kinds = CONTACTS
    summary = "contacts open"
    new_status = Status.ACTIVE
    type: Literal["contacts_maintained"]


class ContactsSuspended(_StatusChange):
    home_kinds = frozenset({K.MILITARY_CONTACTS, K.DIALOGUE, K.CONTACT_POINT})
    triggers = (
        "suspend*",
        "suspension",
        "cut off",
        "severed",
        "broke off",
        "broken off",
        "put … on hold",
        "froze",
        "frozen",
    )
    kinds = CONTACTS
    codes = _codes("SANCTION", "discontinue", "160", "Reduce relations, not specified below")
    summary = "contacts suspended"
    new_status = Status.SUSPENDED
    type: Literal["contacts_suspended"]


class ContactPointDesignated(_StatusChange):
    speech_act = True
    triggers = ("through", "via", "contact point", "point of contact", "designated")
    kinds = frozenset({K.CONTACT_POINT})
    codes = _codes("AGREE", None, "036", "Express intent to meet or negotiate")
    summary = "named as contact point"
    new_status = Status.ACTIVE
    refused_after = frozenset()
    type: Literal["contact_point_designated"]


class ChannelEstablished(_StatusChange):
    triggers = (
        "was established",
        "were established",
        "been established",
        "set up",
        "established the",
        "established an",
        "was opened",
        "opened the",
        "opened an",
        "opened a",
        "opened its",
        "opens",
        "establishment of",
        "opening of",
        "creation of",
        "founding of",
        "creat* a",
        "creat* an",
        "creat* the",
        "was created",
        "were created",
        "was founded",
        "founded the",
        "founded a",
        "inaugurated",
        "opened on",
        "was launched",
        "were launched",
        "launched the",
        "launch of",
        "was deployed",
        "were deployed",
        "been deployed",
        "been launched",
        "deployment of",
        "accredit* its first",
        "accredit* the first",
        "accredit* a first",
        "accredit* a permanent representative",
        "appoint* its first",
        "appoint* the first",
        "appoint* a first",
    )
    """The verb family of bringing a channel into being (establish, set up, create, found,
    open, inaugurate, launch, and deploy for a mission sent to the field): passive, with its
    object, and as a noun with "of"; and a post's first head accredited or appointed
    ("accredited its first permanent representative to the EU in 1996")."""
    codes = _codes("SUPPORT", None, "050", "Engage in diplomatic cooperation, not specified below")
    summary = "established"
    new_status = Status.ACTIVE
    refused_after = frozenset()
    type: Literal["channel_established"]


class ChannelReopened(_StatusChange):
    triggers = ("reopen*", "re-open*")
    codes = _codes("SUPPORT", None, "050", "Engage in diplomatic cooperation, not specified below")
    summary = "reopened"
    new_status = Status.ACTIVE
    refused_after = frozenset()
    type: Literal["channel_reopened"]


class _HeadOfMission(Action):
    """What happens to the head of a post (an ambassador, a high commissioner, a permanent
    representative)."""

    kinds = HEAD_OF_MISSION_KINDS
    home_kinds = HEAD_OF_MISSION_KINDS - {K.MISSION}
    in_post: ClassVar[str | None] = None
    """The `head_of_mission` value it reports, or None when it says nothing of it."""

    def check(self, facts: ChannelFacts, events: Mapping[str, Action]) -> None:
        self._refuse_after_end(facts, events, frozenset({Status.CLOSED}))

    def apply(self, facts: ChannelFacts) -> None:
        if self.in_post is not None:
            facts.set("head_of_mission", self.in_post, Basis.REPORTED, self.id)


class HeadOfMissionRecalled(_HeadOfMission):
    triggers = (
        "recalled him",
        "recalled her",
        "recalled for consultations",
        "left for consultations",
        "called home",
        "called back",
        "recall* … ambassador*",
        "recall* … envoy*",
        "recall* … high commissioner*",
        "recall* … chargé*",
        "recall* … charge d'affaires",
        "recall* … head of mission",
        "recall* … permanent representative*",
        "recall* … head of",
        "recall* … heads of",
        "is recalled",
        "are recalled",
        "was recalled",
        "were recalled",
        "been recalled",
        "being recalled",
        "call* … home",
        "withdr* … ambassador*",
        "withdr* … envoy*",
        "withdr* … permanent representative*",
        "pull* … ambassador* out",
        "pull* … envoy* out",
    )
    actor_side = "sending"
    codes = _codes("SANCTION", "withdraw", "161", "Reduce or break diplomatic relations")
    summary = "head of mission recalled"
    in_post = "recalled"
    type: Literal["head_of_mission_recalled"]
    for_consultations: bool = Field(
        default=False, description="Recalled for consultations (not withdrawn for good)"
    )


class HeadOfMissionReturned(_HeadOfMission):
    triggers = (
        "ambassador returned",
        "ambassador will return",
        "return* its ambassador",
        "returned to",
        "flew back",
        "went back",
        "back at his post",
        "back at her post",
        "returned",
        "sent back",
        "sent … back",
        "send* … back",
        "took up … post",
        "taken up … post",
        "ambassador* … arrived in",
        "ambassador* … landed in",
        "envoy* … arrived in",
        "envoy* … landed in",
    )
    actor_side = "sending"
    codes = _codes("SUPPORT", None, "050", "Engage in diplomatic cooperation, not specified below")
    summary = "head of mission returned"
    in_post = "in post"
    type: Literal["head_of_mission_returned"]


class HeadOfMissionSummoned(_HeadOfMission):
    """A protest: the receiving state summons the sending state's head of mission (or the
    chargé d'affaires) to its foreign ministry."""

    triggers = (
        "summon*",
        "called in",
        "called to the … ministry",
        "invited to the … ministry",
        "called to ministry",
        "invited to ministry",
        "invited to … ministry",
        "convok*",
        "convoc*",
    )
    actor_side = "receiving"
    codes = _codes("ACCUSE", "disapprove", "114", "Complain officially")
    summary = "head of mission summoned"
    type: Literal["head_of_mission_summoned"]


class _RelationsChange(Action):
    kinds = frozenset({K.RELATIONS})
    new_status: ClassVar[Status]
    refused_after: ClassVar[frozenset[Status]] = frozenset({Status.CLOSED})

    def check(self, facts: ChannelFacts, events: Mapping[str, Action]) -> None:
        self._refuse_after_end(facts, events, self.refused_after)

    def apply(self, facts: ChannelFacts) -> None:
        facts.set("status", self.new_status, Basis.REPORTED, self.id)


class RelationsDowngraded(_RelationsChange):
    """Relations go on at a lower level (to chargé d'affaires): the channel stays active."""

    triggers = ("downgrad*",)
    codes = _codes("SANCTION", "withdraw", "161", "Reduce or break diplomatic relations")
    summary = "relations downgraded"
    new_status = Status.ACTIVE
    type: Literal["relations_downgraded"]
    level: Name | None = Field(
        default=None, description="The level they go on at, e.g. chargé d'affaires"
    )


class RelationsSevered(_RelationsChange):
    triggers = (
        "sever",
        "severs",
        "severed",
        "broke off",
        "break off",
        "breaks off",
        "breaking off",
        "broken off",
        "severing",
        "severance",
        "cut diplomatic ties",
        "cut ties",
        "cut* … relations",
        "cut* … ties",
    )
    codes = _codes("SANCTION", "withdraw", "161", "Reduce or break diplomatic relations")
    summary = "relations severed"
    new_status = Status.CLOSED
    type: Literal["relations_severed"]


class RelationsRestored(_RelationsChange):
    triggers = ("restored", "restor*", "re-establish*", "reestablish*", "normali*")
    codes = _codes("SUPPORT", None, "050", "Engage in diplomatic cooperation, not specified below")
    summary = "relations restored"
    new_status = Status.ACTIVE
    refused_after = frozenset()
    type: Literal["relations_restored"]


class PostConsentWithdrawn(_StatusChange):
    """The receiving state withdraws its consent to a post (a consulate's exequatur): the
    post is to close. A state that "no longer consents to" a post operating, or "no longer
    agrees to host" it, says the same."""

    triggers = (
        "consent* withdrawn",
        "withdr* consent",
        "withdr* its consent",
        "withdr* the consent",
        "withdr* … consent",
        "revok* … consent",
        "consent* …… withdrawn",
        "consent* …… revoked",
        "no longer consent*",
        "no longer agree* … host*",
        "no longer agree* … operat*",
        "exequatur",
    )
    kinds = POSTS
    home_kinds = POSTS - MISSIONS
    actor_side = "receiving"
    codes = _codes("SANCTION", "discontinue", "161", "Reduce or break diplomatic relations")
    summary = "consent withdrawn"
    new_status = Status.CLOSED
    refused_after = frozenset({Status.CLOSED})
    type: Literal["post_consent_withdrawn"]


class PostClosed(_StatusChange):
    """A post ordered closed, or closed (`office_closed` says the same of an office); a post
    that stops or ceases its activity, as translated agency copy says it."""

    triggers = (
        "clos*",
        "shut*",
        "terminat*",
        "wound up",
        "wind* down",
        "wound down",
        "ordered out of",
        "stop* … activit*",
        "ceas* … activit*",
        "ceas* … work",
        "cessation of … activit*",
    )
    kinds = POSTS
    home_kinds = POSTS - MISSIONS
    codes = _codes("SANCTION", "discontinue", "161", "Reduce or break diplomatic relations")
    summary = "closed"
    new_status = Status.CLOSED
    refused_after = frozenset({Status.CLOSED})
    type: Literal["post_closed"]


class PostReopened(_StatusChange):
    triggers = (
        "reopen*",
        "re-open*",
        "resum* … operations",
        "resum* … work",
        "resum* … activit*",
        "resumption of … activit*",
        "resumption of … work",
    )
    kinds = POSTS
    home_kinds = POSTS - MISSIONS
    codes = _codes("SUPPORT", None, "050", "Engage in diplomatic cooperation, not specified below")
    summary = "reopened"
    new_status = Status.ACTIVE
    refused_after = frozenset()
    type: Literal["post_reopened"]


class PostOperationsSuspended(_StatusChange):
    """A post pauses its work or services (visas, consular services), staying a post."""

    triggers = ("paused", "pause*", "suspend*")
    kinds = POSTS
    home_kinds = POSTS - MISSIONS
    codes = _codes("SANCTION", "discontinue", "160", "Reduce relations, not specified below")
    summary = "operations suspended"
    new_status = Status.SUSPENDED
    type: Literal["post_operations_suspended"]


ReportedAction = Annotated[
    InvitationExtended
    | InvitationReiterated
    | InvitationUnanswered
    | InvitationDeclined
    | MeetingHeld
    | MeetingProposalNotAgreed
    | AccreditationWithdrawn
    | StaffCapChanged
    | MissionSuspended
    | OfficeClosed
    | CooperationSuspended
    | CooperationResumed
    | ContactsMaintained
    | ContactsSuspended
    | ContactPointDesignated
    | ChannelEstablished
    | ChannelReopened
    | InvitationRevoked
    | HeadOfMissionRecalled
    | HeadOfMissionReturned
    | HeadOfMissionSummoned
    | RelationsDowngraded
    | RelationsSevered
    | RelationsRestored
    | PostConsentWithdrawn
    | PostClosed
    | PostReopened
    | PostOperationsSuspended,
    Field(discriminator="type"),
]


class Amendment(BaseModel):
    """An entry about an event already recorded, never a second action (principle 1): the
    event stays in the ledger as first reported, and what this says applies on top of it, in
    the order amendments were recorded, from the day its own sources were published."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    citations: list[Citation] = Field(default_factory=list)

    if TYPE_CHECKING:
        # Every amendment has a type tag and names its channel (a field, or the replacement's
        # for a correction). Declared for the type checker only: a property here would be
        # shadowed, with a warning from pydantic, by the subclasses' fields.
        @property
        def type(self) -> str: ...

        @property
        def channel(self) -> str: ...

    @property
    def target(self) -> str:
        raise NotImplementedError

    def amend(self, action: Action) -> Action | None:
        """The event as it reads after this amendment (None: withdrawn from every view).
        Raises InvariantViolation naming the operation that would fit instead."""
        raise NotImplementedError

    def own_citations(self) -> list[Citation]:
        """Every citation the amendment itself carries."""
        return list(self.citations)


class Correction(Amendment):
    """Replaces a recorded event's content; the original stays in the ledger (principle 1)."""

    type: Literal["correction"]
    corrects: Slug = Field(description="The id of the event this corrects")
    reason: Text = Field(min_length=1)
    replacement: ReportedAction = Field(description="The event as it should read, same id")

    @model_validator(mode="after")
    def _same_target(self) -> Self:
        if self.replacement.id != self.corrects:
            raise ValueError(
                f"replacement.id '{self.replacement.id}' must equal corrects '{self.corrects}'"
            )
        return self

    @property
    def target(self) -> str:
        return self.corrects

    @property
    def channel(self) -> str:
        return self.replacement.channel

    def amend(self, action: Action) -> Action | None:
        return self.replacement


class Retraction(Amendment):
    """Withdraws a recorded event from every projection; it stays in the ledger."""

    type: Literal["retraction"]
    retracts: Slug = Field(description="The id of the event this retracts")
    channel: Slug
    reason: Text = Field(min_length=1)

    @property
    def target(self) -> str:
        return self.retracts

    def amend(self, action: Action) -> Action | None:
        return None


class Corroboration(Amendment):
    """Another source reports the same action: its citation joins the event's; no rule runs
    again, since nothing happened twice."""

    type: Literal["corroboration"]
    corroborates: Slug = Field(description="The id of the event another source reports again")
    channel: Slug
    citations: list[Citation] = Field(min_length=1)
    note: Text | None = None

    @property
    def target(self) -> str:
        return self.corroborates

    def amend(self, action: Action) -> Action:
        return action.model_copy(update={"citations": [*action.citations, *self.citations]})


class Refinement(Amendment):
    """A later or better report narrows an event's date (an interval inside the recorded one)
    or gives a number the event lacked. The earlier reading stays: `--known-at` before the
    refining report still answers with it. A report that disagrees is a `dispute`."""

    type: Literal["refinement"]
    refines: Slug = Field(description="The id of the event made more precise")
    channel: Slug
    citations: list[Citation] = Field(min_length=1)
    date: UncertainDate | None = Field(default=None, description="Inside the recorded interval")
    effective: UncertainDate | None = Field(default=None, description="Inside the recorded one")
    count: StrictInt | None = Field(default=None, ge=1, le=10**9)
    from_cap: StrictInt | None = Field(default=None, ge=0, le=10**9)
    to_cap: StrictInt | None = Field(default=None, ge=0, le=10**9)
    note: Text | None = None

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not any(
            getattr(self, name) is not None for name in ("date", "effective", *REFINABLE_NUMBERS)
        ):
            raise ValueError("a refinement gives a narrower date, effective date or a number")
        return self

    @property
    def target(self) -> str:
        return self.refines

    def amend(self, action: Action) -> Action:
        updates: dict[str, Any] = {}
        for name in ("date", "effective"):
            narrower = getattr(self, name)
            recorded = getattr(action, name)
            if narrower is None:
                continue
            if recorded is not None and not (
                recorded.earliest <= narrower.earliest and narrower.latest <= recorded.latest
            ):
                raise InvariantViolation(
                    "refines-within-recorded-interval",
                    self.id,
                    f"its {name} {narrower} is not inside '{action.id}''s {recorded}: a report "
                    f"that disagrees is a 'dispute' on '{action.id}', not a refinement",
                )
            updates[name] = narrower
        for name in REFINABLE_NUMBERS:
            number = getattr(self, name)
            if number is None:
                continue
            if name not in type(action).model_fields:
                raise InvariantViolation(
                    "refines-a-field-the-event-has",
                    self.id,
                    f"a {action.type} has no {name}; refine the event that does",
                )
            recorded = getattr(action, name)
            if recorded is not None and recorded != number:
                raise InvariantViolation(
                    "refines-only-unknown-numbers",
                    self.id,
                    f"'{action.id}' already gives {name} {recorded}, this report {number}: a "
                    f"report that disagrees is a 'dispute' on '{action.id}', not a refinement",
                )
            updates[name] = number
        data = {**action.model_dump(), **updates, "citations": [*action.citations, *self.citations]}
        try:
            return type(action).model_validate(data)
        except ValueError as exc:  # e.g. a narrower date outside a dispute's claims
            raise InvariantViolation(
                "refinement-fits-the-event", self.id, one_line_reason(exc)[:300]
            ) from None


class DisputeRecorded(Amendment):
    """A report that disagrees with a recorded event (another cap, a date outside its
    interval): both claims stay, each cited, on that event (principle 6)."""

    type: Literal["dispute"]
    disputes: Slug = Field(description="The id of the event the sources disagree about")
    channel: Slug
    about: Text = Field(min_length=1, description="What is disputed: 'date', 'staff cap'...")
    claims: list[Claim] = Field(min_length=2)

    @property
    def target(self) -> str:
        return self.disputes

    def own_citations(self) -> list[Citation]:
        return [*self.citations, *(c for claim in self.claims for c in claim.citations)]

    def amend(self, action: Action) -> Action:
        dispute = Dispute(about=self.about, claims=self.claims)
        try:
            return type(action).model_validate(
                {**action.model_dump(), "disputes": [*action.disputes, dispute.model_dump()]}
            )
        except ValueError as exc:
            raise InvariantViolation(
                "dispute-fits-the-event", self.id, one_line_reason(exc)[:300]
            ) from None


def cited_sources(entries: Iterable[Action | Amendment]) -> set[str]:
    """Every source these entries cite: an action's citations with its reasons' and disputes',
    an amendment's own, and a correction's replacement's."""
    cited: set[str] = set()
    for entry in entries:
        if isinstance(entry, Amendment):
            cited.update(c.source for c in entry.own_citations())
            if isinstance(entry, Correction):
                cited.update(c.source for c in entry.replacement.all_citations())
        else:
            cited.update(c.source for c in entry.all_citations())
    return cited


AMENDMENT_TYPES: dict[str, type[Amendment]] = {
    "correction": Correction,
    "retraction": Retraction,
    "corroboration": Corroboration,
    "refinement": Refinement,
    "dispute": DisputeRecorded,
}
"""Every amendment type by its `type` tag."""


LedgerEntry = Annotated[
    ReportedAction | Correction | Retraction | Corroboration | Refinement | DisputeRecorded,
    Field(discriminator="type"),
]
"""Anything an import file's `events` list may hold."""

ENTRY_ADAPTER: TypeAdapter[Any] = TypeAdapter(LedgerEntry)

ACTION_TYPES: dict[str, type[Action]] = {
    get_args(cls.model_fields["type"].annotation)[0]: cls
    for cls in get_args(get_args(ReportedAction)[0])
}
"""Every reported action type by its `type` tag."""

IMPORT: dict[str, Any] = {"chancery-import": True, "action-types": frozenset(ACTION_TYPES)}
"""The validation context of an import file (`Model.model_validate(raw, context=IMPORT)`).

The import rules (text rules and length limits, distinct parties, actor other than target,
bounded counts, EDTF without open ends and stored stripped) apply under it only: a row a ledger
already holds is read back as it was written, so no ledger becomes unreadable because a rule
was tightened after it was recorded (`chancery verify` is where old rows are re-judged).

It also carries the action types, which a channel's `triggers` are keyed by: the channel's
model is declared before the actions (they name channels), so it learns them from here."""


def check_action_parties(action: Action, channel: Channel, where: str, prefix: str = "") -> None:
    """Refuse an action whose actor or target is not one of its channel's parties.

    Pure: the import file's loader calls it for channels declared in the same file, and the
    ledger must call it for every new event (and correction's replacement) on a channel it
    already holds. `where` names the record ("file: events[3] (line 40)"); `prefix` is
    "replacement." for a correction's replacement.
    """
    for field_name, party in (("actor", action.actor), ("target", action.target)):
        if party is not None and party not in channel.parties:
            raise InvalidRecordError(
                f"{where}: field '{prefix}{field_name}': '{party}' is not a party of channel "
                f"'{channel.slug}' (its parties: {', '.join(channel.parties)})"
            )
    side = type(action).actor_side
    if side is not None and channel.sending is not None and channel.receiving is not None:
        acting = channel.receiving if side == "receiving" else channel.sending
        if action.actor != acting:
            raise InvalidRecordError(
                f"{where}: field '{prefix}actor': a {action.type} is done by the {side} party "
                f"of post '{channel.slug}', '{acting}', not '{action.actor}'"
            )


def answered_events(
    recorded: list[Action | Amendment], current: list[Action], ids: set[str]
) -> dict[str, Action]:
    """The events these ids name on one channel: as they now read (`current`, its entries
    resolved), or as recorded where a retraction withdrew them since: the record keeps them
    (principle 1), and an answer to one stays an answer."""
    found = {e.id: e for e in recorded if isinstance(e, Action) and e.id in ids}
    found.update((action.id, action) for action in current if action.id in ids)
    return found


def check_response(action: Action, answered: Action | None, where: str, prefix: str = "") -> None:
    """Refuse an action that answers (`in_response_to`) an event not recorded, or one later
    in valid time than itself (an answer cannot come before what it answers)."""
    if action.in_response_to is None:
        return
    if answered is None:
        raise InvalidRecordError(
            f"{where}: field '{prefix}in_response_to': no event '{action.in_response_to}' is "
            "recorded (or in this import); an event answers one that happened"
        )
    if answered.date.earliest > action.date.latest:
        raise InvalidRecordError(
            f"{where}: field '{prefix}in_response_to': '{answered.id}' ({answered.date}) is "
            f"later than this event ({action.date}); an answer cannot come first"
        )


def check_citation_dates(
    action: Action, sources: Mapping[str, Source], where: str, prefix: str = ""
) -> None:
    """Refuse a citation of a source published before the event it reports could have
    happened: the source's publication interval ends before the event's date begins (else
    `--known-at` would show the event as known before it happened).

    Only the event's own citations are checked: a reason or a side of a dispute may quote an
    earlier report. Sources missing from `sources` are skipped (the caller checks that every
    cited source exists). Pure, like `check_action_parties`, and called at the same places.
    """
    for index, citation in enumerate(action.citations):
        source = sources.get(citation.source)
        if source is not None and (problem := too_early(source, action)):
            raise InvalidRecordError(
                f"{where}: field '{prefix}citations.{index}.source': {problem}"
            )


def too_early(source: Source, action: Action) -> str | None:
    """Why `source` cannot report `action` (it was published before the action's date
    begins), or None: the one wording of the rule for events, their amendments and `verify`."""
    if source.published.latest >= action.date.earliest:
        return None
    return (
        f"'{source.id}' was published by {source.published.latest} ({source.published}), "
        f"before the event's date {action.date} begins ('{action.id}'); a source cannot report "
        "an event that had not happened"
    )
