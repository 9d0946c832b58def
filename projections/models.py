"""The read models, whose JSON form is the CLI's `--json` contract."""

from __future__ import annotations

from datetime import date, datetime

from chancery.domain.facts import Basis, Status
from pydantic import BaseModel, Field

Day = date
"""`date`, for the models that have a field named `date` (the EDTF text): in their bodies the
field's name hides the type from a type checker."""


class CitationView(BaseModel):
    source: str
    quote: str
    outlet: str | None
    published: str = Field(description="EDTF publication date of the source")


class ClaimView(BaseModel):
    says: str
    party: str | None
    date: str | None
    sources: list[str]


class DisputeView(BaseModel):
    event: str
    about: str
    claims: list[ClaimView]


class EventRef(BaseModel):
    id: str
    type: str
    date: str


class PendingInvitation(BaseModel):
    id: str
    date: str = Field(description="EDTF of when the invitation was extended")
    disputed: bool
    date_claims: list[ClaimView]
    inviter: str
    invitee: str | None
    certainty: str
    response: str = Field(description="'none' or 'declined'")
    last_reiterated: str | None
    reiterated_by: list[str]
    unanswered_by: list[str]
    declined_by: list[str]


class FactView(BaseModel):
    """One tracked fact on the date (see domain/tracked.py for which a channel kind tracks)."""

    value: int | str | None
    basis: Basis
    event: str | None = Field(description="The event it rests on")
    certainty: str = Field(
        description="'certain'; 'possible' while the event it rests on (for a count, any event "
        "counted in it) may not have happened yet; 'announced' when the sources report it only "
        "as announced, with no effective date; 'unknown' when no value is known"
    )
    text: str = Field(description="The value in the words every view uses")
    announced: str | None = Field(
        default=None, description="EDTF date of the announcement, when the basis is 'announced'"
    )


class ChannelState(BaseModel):
    id: str
    name: str
    kind: str
    parties: list[str]
    facts: dict[str, FactView] = Field(
        description="Every fact this channel's kind tracks, by name; the flat keys below are "
        "the same facts in the form promised since 0.1"
    )
    status: Status
    status_basis: Basis
    certainty: str = Field(
        description="'possible' when a change it rests on may not have happened; 'unknown' when "
        "no source gives the status; 'announced' when the status rests on an action reported "
        "only as announced, with no effective date; else 'certain'"
    )
    since: str | None
    status_event: str | None
    staff_cap: int | None
    staff_cap_basis: Basis | None
    staff_cap_event: str | None
    accreditations_withdrawn: int | None
    pending_invitations: list[PendingInvitation]
    last_meeting: EventRef | None
    latest_event: EventRef | None
    last_reported: str | None = Field(
        default=None,
        description="EDTF date of the latest evidence: the date of the latest event on the "
        "channel that had happened by as_of (that is, `latest_event`'s date)",
    )
    last_reported_end: date | None = Field(
        default=None, description="The last day `last_reported` can mean"
    )
    possible_changes: list[str] = Field(description="Events whose date interval contains as_of")
    disputes: list[DisputeView]


class StateReport(BaseModel):
    as_of: date
    known_at: date | None
    channels: list[ChannelState]


class EventView(BaseModel):
    id: str
    type: str
    summary: str
    channel: str
    actor: str
    target: str | None
    date: str
    earliest: Day
    latest: Day
    wording: str | None
    resolution: str | None
    effective: str | None
    effective_earliest: Day | None = Field(default=None, description="First day it may take effect")
    effective_latest: Day | None = Field(default=None, description="Last day it may take effect")
    status: str | None = Field(
        default=None,
        description="'announced' when the sources report it only as announced, with no "
        "effective date",
    )
    certainty: str = Field(
        description="'certain' when it took effect on one known day; 'possible' for a range; "
        "'announced' for the one-day date of an action reported only as announced, with no "
        "effective date",
    )
    basis: str = Field(
        description="'reported'; 'announced' when the sources report it only as announced, "
        "with no effective date (an event is always cited: never 'inferred')",
    )
    actor_code: str | None = Field(
        default=None,
        description="The actor's ISO 3166-1 alpha-2 or organisation code (RU, NATO); null when "
        "it was declared without one",
    )
    target_code: str | None = Field(default=None, description="The target's code, likewise")
    first_reported: Day = Field(description="When a source certainly carried it (known time)")
    recorded_at: datetime | None = Field(description="When it entered this ledger")
    plover: str | None
    plover_mode: str | None
    cameo: str | None
    details: dict[str, object]
    citations: list[CitationView]
    reasons: list[ClaimView]
    disputes: list[DisputeView]
    note: str | None
    in_response_to: str | None = Field(
        default=None, description="The event this one answers, where the sources say so"
    )


class EventList(BaseModel):
    events: list[EventView]


class Change(BaseModel):
    field: str
    before: str
    after: str


class HistoryStep(BaseModel):
    event: EventView
    certainty: str = Field(
        description="'certain' for a one-day date; 'possible' for a range, within which the "
        "change may or may not have happened yet; 'announced' for the one-day date of an action "
        "reported only as announced, with no effective date (the vocabulary of `state`)"
    )
    changes: list[Change]


class ChannelHistory(BaseModel):
    channel: str
    name: str
    known_at: date | None = None
    steps: list[HistoryStep]
    not_yet_known: int = Field(
        default=0, description="Events recorded on the channel but not yet known at known_at"
    )


class SourceView(BaseModel):
    id: str
    outlet: str | None
    file: str | None
    published: str
    headline: str | None = Field(default=None, description="The article's title, where known")
    url: str | None = Field(default=None, description="Where the article was published")
    published_earliest: date
    published_latest: date
    note: str | None
    events: list[str]


class SourceList(BaseModel):
    sources: list[SourceView]


class DisputeList(BaseModel):
    disputes: list[DisputeView]


class Why(BaseModel):
    channel: str
    as_of: date
    known_at: date | None
    state: ChannelState
    events: list[EventView]
