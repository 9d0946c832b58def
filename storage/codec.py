"""How recorded entries are written to the store and read back.

Each action type is stored under its own event class (see `aggregates.py`), whose `model` is the
pydantic model of that type: the mapper writes the model's normalised JSON and, after the event
class's upcasters have run on that JSON, reads it back as the same model.

Reading back goes through pydantic-core for that one class. We measured the alternative,
`model_construct` without validation, and it was slower (35 µs against 13 µs per bundled event:
model_construct runs in Python, validation in Rust), while validating also turns a row altered
behind Chancery's back into an error that names the row instead of a wrong answer. Queries do
not decode events at all: they read the read model (`storage/readmodel.py`).
"""

from __future__ import annotations

from typing import Any

from chancery.domain.errors import CorruptedRowError, one_line_reason
from eventsourcing.domain import EventSourcingError
from eventsourcing.persistence import Mapper, StoredEvent
from pydantic import BaseModel

LEGACY_MODULE = "domain.aggregates:"


def entry_json(entry: BaseModel) -> dict[str, Any]:
    """The stored form of an entry: its validated model dumped as JSON (dates as ISO strings)."""
    return entry.model_dump(mode="json")


class EntryMapper(Mapper[Any]):
    """eventsourcing's mapper, plus: an event's `entry` is stored as its model's JSON and read
    back as that model."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if getattr(type(domain_event), "model", None) is None:
            return super().to_stored_event(domain_event)
        state = dict(vars(domain_event))
        entry = state["entry"]
        state["entry"] = entry_json(entry) if isinstance(entry, BaseModel) else entry
        plain = object.__new__(type(domain_event))
        object.__setattr__(plain, "__dict__", state)
        return super().to_stored_event(plain)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        if stored_event.topic.startswith(LEGACY_MODULE):
            # Rows written by release 0.1.0 name the module it installed as top-level
            # `domain.aggregates`; importing the aggregates registers that old name.
            import chancery.domain.aggregates  # noqa: F401
        try:
            domain_event = super().to_domain_event(stored_event)
            model = getattr(type(domain_event), "model", None)
            if model is not None:
                state = vars(domain_event)
                state["entry"] = model.model_validate(state["entry"])
        except (ValueError, KeyError, TypeError, AttributeError, EventSourcingError) as exc:
            raise corrupted_row(stored_event, exc) from None
        return domain_event


def corrupted_row(stored_event: Any, exc: Exception, topic: str | None = None) -> CorruptedRowError:
    """Name the row, so that an analyst can find it; the reason in one line."""
    reason = one_line_reason(exc)[:300]
    where = getattr(stored_event, "id", None)
    position = f"notification {where}, " if where is not None else ""
    return CorruptedRowError(
        f"a stored event cannot be read ({position}originator {stored_event.originator_id}, "
        f"version {stored_event.originator_version}, "
        f"topic '{topic or stored_event.topic}'): {reason}; "
        "it was altered outside Chancery: restore the ledger from a backup"
    )
