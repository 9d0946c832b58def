"""Which facts each channel kind tracks, and how each is said: declared once.

`state` (table and `--json`), `history`, `why` and `diff` are all derived from `TRACKED`, so a
new tracked fact touches the action type that sets it and one declaration here. The open
invitations are not a tracked value but a set with follow-ups of their own (`ChannelFacts
.invitations`); they are said by `invitation_words`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

from chancery.domain.facts import Basis, Fact


@dataclass(frozen=True)
class TrackedFact:
    name: str
    """Its key in `ChannelFacts` and in the `facts` of `state --json`."""
    label: str
    """How history, diff and the tables name it."""
    say: Callable[[Fact], str]
    """The value in words, its basis included, the same in every view."""
    kinds: frozenset[str] | None = None
    """The channel kinds that track it (`ChannelKind` values, kept as text so that a query
    loads no domain model); None for every kind."""
    moved_by: frozenset[str] | None = None
    """The event types that can change it (diff names them as the events behind a change);
    None for any type."""
    column: str | None = None
    """The state table's column that shows it; None keeps it out of the table."""
    cell: Callable[[Fact], str] | None = None
    """How the table says it, where that differs from `say`; an empty text leaves it out."""
    with_certainty: bool = False
    """Said with the channel's certainty on the date ("suspended, certain") where a view
    knows the date (state, diff), and only when its value is known; any other fact says only
    "possible", when the events behind it may not have happened yet ("8 ..., possible")."""

    def tracked_on(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds

    def table_words(self, fact: Fact) -> str:
        return self.cell(fact) if self.cell else self.say(fact)


def basis_words(fact: Fact) -> str:
    """How a known value is known, said after it: "(inferred)", or "(announced 2021-10-18;
    effective date not reported)"; nothing for a value reported as done."""
    if fact.basis is Basis.INFERRED:
        return " (inferred)"
    if fact.basis is Basis.ANNOUNCED:
        return f" (announced {fact.announced or 'on a date not recorded'}; {NO_EFFECTIVE_DATE})"
    return ""


NO_EFFECTIVE_DATE = "effective date not reported"


def _status(fact: Fact) -> str:
    return "unknown" if fact.value is None else str(fact.value) + basis_words(fact)


def _cap(fact: Fact) -> str:
    if fact.value is None:
        return "unknown (not reported)" if fact.event else "unknown"
    return str(fact.value) + basis_words(fact)


def _withdrawn(fact: Fact) -> str:
    if fact.value is None:
        return "unknown (a withdrawal of unreported size)" if fact.event else "none reported"
    return str(fact.value) + basis_words(fact)


def _withdrawn_cell(fact: Fact) -> str:
    if fact.event is None:
        return ""
    if fact.value is None:
        return "accreditations withdrawn (number not reported)"
    word = "accreditation" if fact.value == 1 else "accreditations"
    return f"{fact.value} {word} withdrawn in all" + basis_words(fact)


def _meeting(fact: Fact) -> str:
    return fact.event + basis_words(fact) if fact.event else "none"


CAPPED = frozenset(
    {
        "mission",
        "office",
        "embassy",
        "high-commission",
        "consulate-general",
        "consulate",
        "permanent-mission",
        "liaison-office",
        "information-office",
        "cultural-institute",
    }
)
"""Every post kind (`domain/parties.py` POST_KINDS): a staff ceiling and expulsions apply to
any post."""
HEADED = frozenset({"embassy", "high-commission", "permanent-mission"})
"""The posts whose head of mission is tracked (release 0.1's `mission` is not: a mission
declared before posts were modelled keeps the facts it had)."""


def _head(fact: Fact) -> str:
    return "unknown" if fact.value is None else str(fact.value)


def _status_cell(fact: Fact) -> str:
    return "unknown (no source gives it)" if fact.value is None else _status(fact)


STATUS_COLUMN = "Status"
"""The state table's status column: every table has one (a fact's `column` may be None)."""
STATUS = TrackedFact(
    "status", "status", _status, column=STATUS_COLUMN, with_certainty=True, cell=_status_cell
)
"""Any event may move it: an action only an operating channel receives implies activity."""
STAFF_CAP = TrackedFact(
    "staff_cap",
    "staff cap",
    _cap,
    kinds=CAPPED,
    moved_by=frozenset({"staff_cap_changed"}),
    column="Staff cap",
)
ACCREDITATIONS_WITHDRAWN = TrackedFact(
    "accreditations_withdrawn",
    "accreditations withdrawn in all",
    _withdrawn,
    kinds=CAPPED,
    moved_by=frozenset({"accreditation_withdrawn"}),
    column="Staff cap",
    cell=_withdrawn_cell,
)
LAST_MEETING = TrackedFact(
    "last_meeting", "last meeting", _meeting, moved_by=frozenset({"meeting_held"})
)

HEAD_OF_MISSION = TrackedFact(
    "head_of_mission",
    "head of mission",
    _head,
    kinds=HEADED,
    moved_by=frozenset({"head_of_mission_recalled", "head_of_mission_returned"}),
)
"""In post or recalled, where a source says so; unknown otherwise."""

TRACKED: tuple[TrackedFact, ...] = (
    STATUS,
    STAFF_CAP,
    ACCREDITATIONS_WITHDRAWN,
    LAST_MEETING,
    HEAD_OF_MISSION,
)

PENDING_INVITATIONS = "pending invitations"
INVITATION_EVENTS = frozenset(
    {
        "invitation_extended",
        "invitation_reiterated",
        "invitation_unanswered",
        "invitation_declined",
        "meeting_held",
    }
)
"""The events that can open, follow up or close an invitation."""


def tracked_on(kind: str) -> tuple[TrackedFact, ...]:
    """The facts a channel of this kind tracks, in the order they are declared."""
    return tuple(tracked for tracked in TRACKED if tracked.tracked_on(kind))


def named(name: str) -> TrackedFact:
    return next(tracked for tracked in TRACKED if tracked.name == name)


def labelled(label: str) -> TrackedFact | None:
    return next((tracked for tracked in TRACKED if tracked.label == label), None)


def table_columns() -> list[str]:
    """The state table's columns for tracked facts, in the order they are declared."""
    return list(dict.fromkeys(tracked.column for tracked in TRACKED if tracked.column))


def in_column(column: str) -> tuple[TrackedFact, ...]:
    return tuple(tracked for tracked in TRACKED if tracked.column == column)


def invitation_words(invitations: Iterable[tuple[str, str]]) -> str:
    """Open invitations as (event id, response): "inv-1 (response: none)", or "none"."""
    return ", ".join(f"{event} (response: {response})" for event, response in invitations) or "none"


def described(declarations: Iterable[TrackedFact]) -> list[dict[str, object]]:
    """The declarations as plain data, each function of words by its source text: what the
    read model's format follows from (`storage` digests it), so that a changed declaration
    re-folds every ledger's rows by itself instead of answering in the old words."""
    return [
        {field.name: _described(getattr(tracked, field.name)) for field in fields(tracked)}
        for tracked in declarations
    ]


def _described(value: object) -> object:
    if isinstance(value, frozenset):
        return sorted(value)
    if callable(value):
        return _source(value)
    return value


def _source(function: Callable[..., object]) -> str:
    """A function's source text, or where no source is at hand (a build without it), its
    qualified name and compiled code."""
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        code = getattr(function, "__code__", None)
        compiled = code.co_code.hex() if code is not None else ""
        return f"{getattr(function, '__qualname__', repr(type(function)))} {compiled}"
