"""The facts a channel's timeline accumulates, folded in valid-time order.

Both the invariants (domain) and the projections read these, so the fold lives here once.
Every value remembers the event that set it: a projection can then say how certain it is on a
given date and who reported it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"
    UNKNOWN = "unknown"


class Basis(StrEnum):
    """Whether a value was stated by a source, implied by one, or is not known at all."""

    REPORTED = "reported"
    INFERRED = "inferred"
    UNKNOWN = "unknown"


class Response(StrEnum):
    NONE = "none"
    DECLINED = "declined"


@dataclass
class InvitationFacts:
    """An invitation still open: nothing met on it, whatever the invitee said."""

    event_id: str
    reiterated_by: list[str] = field(default_factory=list)
    unanswered_by: list[str] = field(default_factory=list)
    declined_by: list[str] = field(default_factory=list)

    @property
    def response(self) -> Response:
        return Response.DECLINED if self.declined_by else Response.NONE


@dataclass
class ChannelFacts:
    status: Status = Status.UNKNOWN
    status_basis: Basis = Basis.UNKNOWN
    status_event: str | None = None
    staff_cap: int | None = None
    staff_cap_basis: Basis = Basis.UNKNOWN
    staff_cap_event: str | None = None
    accreditations_withdrawn: int | None = None
    """How many accreditations were withdrawn in all: None until a source gives a count, and
    None for good once a withdrawal of unreported size happens (unknown, not understated)."""
    withdrawal_of_unknown_size: bool = False
    invitations: dict[str, InvitationFacts] = field(default_factory=dict)
    last_meeting: str | None = None
    applied: list[str] = field(default_factory=list)

    def set_status(self, status: Status, basis: Basis, event_id: str) -> None:
        self.status, self.status_basis, self.status_event = status, basis, event_id

    def mark_operating(self, event_id: str) -> None:
        """An action only an operating channel can receive implies it was active."""
        if self.status is Status.UNKNOWN:
            self.set_status(Status.ACTIVE, Basis.INFERRED, event_id)
