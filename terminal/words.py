"""One vocabulary for every view (state, history, why, diff): how a value is said.

- A known status is said with its certainty ("suspended, certain"; "active (inferred),
  possible"); "unknown" is its own answer and carries no certainty.
- Inferred is always said: "active (inferred)", "20 (inferred)".
- "Since" is the date the current status began; a status only implied by later activity
  says "first evidence D" instead.
- Counts name what they count, with the right plural.
"""

from __future__ import annotations

from chancery.projections.models import ChannelState


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 event', '2 events', '1 dispute', '0 sources'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def status_words(state: ChannelState) -> str:
    """The status with its basis and certainty, or just 'unknown'."""
    if state.status.value == "unknown":
        return "unknown (no source gives it)"
    status = state.status.value
    if state.status_basis.value == "inferred":
        status += " (inferred)"
    return f"{status}, {state.certainty}"


def since_words(state: ChannelState) -> str:
    """When the current status began, or that the date is only the first evidence of it."""
    if state.since is None or state.status.value == "unknown":
        return ""
    if state.status_basis.value == "inferred":
        return f"first evidence {when(state.since)}"
    return when(state.since)


def cap_words(state: ChannelState) -> str:
    """The staff cap with its basis; empty for channels that have no cap."""
    if state.staff_cap_basis is None:
        return ""
    if state.staff_cap is None:
        return "unknown"
    return f"{state.staff_cap} ({state.staff_cap_basis.value})"


def withdrawn_words(state: ChannelState) -> str:
    """The running total of withdrawn accreditations, said as a total."""
    if state.staff_cap_basis is None or state.accreditations_withdrawn is None:
        return ""
    count = plural(state.accreditations_withdrawn, "accreditation")
    return f"{count} withdrawn in all"


HISTORY_FIELDS = {"accreditations withdrawn": "accreditations withdrawn in all (running total)"}
"""History and diff field names, said so that a running total does not read as one event's."""


def field_words(name: str) -> str:
    return HISTORY_FIELDS.get(name, name)


def date_precision_words(certainty: str) -> str:
    """A history step's date: a range is a possible date, said in words."""
    return "" if certainty == "certain" else "date is a range: possible within it"


def type_words(event_type: str) -> str:
    """An event type as words ('invitation reiterated'), so narrow columns wrap between them."""
    return event_type.replace("_", " ")


def when(edtf: str | None) -> str:
    """An EDTF date for a table cell: an interval 'A/B' is shown 'A / B', so a narrow column
    wraps between its two dates instead of inside one."""
    if not edtf:
        return ""
    return " / ".join(edtf.split("/"))
