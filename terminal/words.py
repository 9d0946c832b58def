"""One vocabulary for every view (state, history, why, diff): how a value is said.

- A known status is said with its certainty ("suspended, certain"; "active (inferred),
  possible"); "unknown" is its own answer and carries no certainty.
- Inferred is always said: "active (inferred)", "20 (inferred)".
- "Since" is the date the current status began; a status only implied by later activity
  says "first evidence D" instead.
- Counts name what they count, with the right plural.
"""

from __future__ import annotations

from chancery.domain.tracked import STATUS, in_column
from chancery.projections.fields import JsonState, fact_words


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 event', '2 events', '1 dispute', '0 sources'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def status_words(state: JsonState) -> str:
    """The status with its basis and certainty, or that no source gives it."""
    return fact_words(state, STATUS, table=True)


def since_words(state: JsonState) -> str:
    """When the current status began, or that the date is only the first evidence of it."""
    if state["since"] is None or state["status"] == "unknown":
        return ""
    if state["status_basis"] == "inferred":
        return f"first evidence {when(state['since'])}"
    return when(state["since"])


def column_words(state: JsonState, column: str) -> str:
    """A fact column's cell: each fact declared in it, one per line (those the table leaves
    out, and those the channel's kind does not track, take no line)."""
    return "\n".join(
        words for t in in_column(column) if (words := fact_words(state, t, table=True))
    )


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
