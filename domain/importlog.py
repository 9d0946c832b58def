"""The import log: who imported which files when, what each import added, and which imports
were retracted.

It is kept as events in the ledger itself, so it is append-only and travels with the ledger
(a copy of the file, a PostgreSQL replica) like everything else:

- the log is one stream, `IMPORT_LOG_ID`: its event at version N is entry N, an import or the
  retraction of one (`ImportLogged`). Entry numbers are versions, so two writers that log at
  the same moment collide on the same version, and one of them starts again, as any import
  beaten by another writer does.
- what entry N added is a stream of its own, `additions_id(N)`: the ids of the events and
  declarations it wrote, a chunk per written batch (`AdditionsRecorded`), so an import of a
  million events is logged without holding its ids, and listing the log never reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import DomainEvent
from pydantic import BaseModel, Field

_NAMESPACE = uuid5(NAMESPACE_URL, "https://chancery.invalid/import-log")

IMPORT_LOG_ID = uuid5(_NAMESPACE, "log")
"""The stream whose event at version N is entry N of the log."""

ADDED_KINDS = ("events", "amendments", "parties", "channels", "sources", "alias lists")
"""What an entry counts, in the order views say it: reported actions, amendments of them
(corrections, retractions, corroborations, refinements, disputes), new declarations, and
declarations given more aliases or trigger words."""


def additions_id(number: int) -> UUID:
    """The stream of what entry `number` added."""
    return uuid5(_NAMESPACE, f"additions:{number}")


@dataclass(frozen=True)  # as eventsourcing's metaclass makes it: said for the checker
class ImportLogged(DomainEvent):
    """Entry `originator_version` of the log, recorded in the transaction of the writes it
    describes; its timestamp is when they were recorded."""

    user: str
    files: list[dict[str, Any]]
    """Each file read: `name` (as given), `sha256` of its bytes, `bundled` (shipped with
    Chancery). A retraction reads no file."""
    added: dict[str, int]
    """How many of each of `ADDED_KINDS` the entry added (kinds it added none of are left out)."""
    retracts: int | None
    """For a retraction, the number of the import it retracted."""
    reason: str | None
    """For a retraction, why, as the analyst gave it."""


@dataclass(frozen=True)  # as above
class AdditionsRecorded(DomainEvent):
    """A chunk of what one entry added."""

    entries: list[list[str]]
    """[event id, channel] of each event or amendment added."""
    declarations: list[list[str]]
    """[section, key] of each declaration added or given more vocabulary."""


class LoggedFile(BaseModel):
    name: str = Field(description="The file's path as it was given (the bundled file's name)")
    sha256: str = Field(description="SHA-256 digest of the file's bytes, in hex")
    bundled: bool = Field(default=False, description="Shipped with Chancery (import --bundled)")


class LoggedImport(BaseModel):
    """One entry of the log, as `chancery log` shows it."""

    number: int = Field(description="The entry's number: 1 for the first write to the ledger")
    recorded_at: datetime = Field(description="When its writes were recorded (UTC)")
    user: str = Field(description="Who ran it: CHANCERY_USER, else the operating-system user")
    files: list[LoggedFile] = Field(default_factory=list)
    added: dict[str, int] = Field(description="How many events, amendments, ... it added")
    retracts: int | None = Field(
        default=None, description="For a retraction: the import it retracted"
    )
    reason: str | None = Field(default=None, description="For a retraction: why")
    retracted_by: int | None = Field(
        default=None, description="The entry that retracted this import, if one did"
    )
    ids: list[str] | None = Field(
        default=None, description="The events and amendments it added (`log --ids` only)"
    )
    declarations: list[str] | None = Field(
        default=None,
        description="The declarations it added, as SECTION:KEY (`log --ids` only)",
    )

    @classmethod
    def from_event(cls, event: ImportLogged) -> LoggedImport:
        return cls(
            number=event.originator_version,
            recorded_at=event.timestamp,
            user=event.user,
            files=[LoggedFile.model_validate(f) for f in event.files],
            added=event.added,
            retracts=event.retracts,
            reason=event.reason,
        )


class ImportLogView(BaseModel):
    """The log, newest entry first."""

    imports: list[LoggedImport]
    total: int = Field(description="How many entries the log holds in all")
