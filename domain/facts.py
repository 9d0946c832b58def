"""The facts a channel's timeline accumulates, folded in valid-time order.

Both the invariants (domain) and the projections read these, so the fold lives here once.
Every tracked value is a `Fact`: the value, how it is known, and the event that set it, so that
a projection can say how certain it is on a given date and who reported it. Which facts a
channel kind tracks, and how each is said, is declared once in `domain/tracked.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"
    UNKNOWN = "unknown"


class Basis(StrEnum):
    """Whether a value was stated by a source as done, stated only as announced (no source gives
    when it took effect, principle 4), implied by a source, or is not known at all."""

    REPORTED = "reported"
    ANNOUNCED = "announced"
    INFERRED = "inferred"
    UNKNOWN = "unknown"


class Response(StrEnum):
    NONE = "none"
    DECLINED = "declined"


@dataclass(frozen=True)
class Fact:
    """One tracked value. `value` None with no event: no source has spoken of it; None with an
    event: that event made it unknown (a cut to an unreported cap, say)."""

    value: Any = None
    basis: Basis = Basis.UNKNOWN
    event: str | None = None
    announced: str | None = None
    """The EDTF date of the announcement, when the basis is `announced`: every view says it."""


NOT_REPORTED = Fact()


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
    """The tracked facts by name (see `domain/tracked.py`), and the open invitations: a set of
    invitations, each with its own follow-ups, rather than one value."""

    values: dict[str, Fact] = field(default_factory=dict)
    invitations: dict[str, InvitationFacts] = field(default_factory=dict)
    applied: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> Fact:
        return self.values.get(name, NOT_REPORTED)

    def set(
        self, name: str, value: Any, basis: Basis, event_id: str, announced: str | None = None
    ) -> None:
        self.values[name] = Fact(value, basis, event_id, announced)

    @property
    def status(self) -> Status:
        return self["status"].value or Status.UNKNOWN

    def mark_operating(self, event_id: str) -> None:
        """An action only an operating channel can receive implies it was active."""
        if self.status is Status.UNKNOWN:
            self.set("status", Status.ACTIVE, Basis.INFERRED, event_id)
