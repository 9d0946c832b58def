"""A state's tracked facts said as named fields: the one vocabulary that `diff`, the dry run,
the tables and the report share (the names and words are declared in `domain/tracked.py`)."""

from __future__ import annotations

from chancery.domain.facts import Fact
from chancery.domain.tracked import PENDING_INVITATIONS, TrackedFact, invitation_words, tracked_on
from chancery.projections.models import ChannelState


def fact_words(state: ChannelState, tracked: TrackedFact, *, table: bool = False) -> str:
    """The fact in words on the state's date; a fact declared `with_certainty` carries the
    channel's certainty ("suspended, possible"), but only when its value is known. Empty when
    the channel's kind does not track it, or the table leaves it out."""
    view = state.facts.get(tracked.name)
    if view is None:
        return ""
    text = tracked.table_words(Fact(view.value, view.basis, view.event)) if table else view.text
    if text and tracked.with_certainty and view.value is not None:
        text += f", {state.certainty}"
    return text


def state_fields(state: ChannelState) -> dict[str, str]:
    """Every tracked fact by its label, then the open invitations."""
    shown = {t.label: fact_words(state, t) for t in tracked_on(state.kind)}
    shown[PENDING_INVITATIONS] = invitation_words(
        (i.id, i.response) for i in state.pending_invitations
    )
    return shown
