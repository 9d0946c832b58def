"""A state's tracked facts said as named fields: the one vocabulary that `diff`, the dry run,
the tables and the report share (the names and words are declared in `domain/tracked.py`).

They read a state in its JSON form (`ChannelState.model_dump(mode="json")`, or a read-model
row as `state` prints it), so that the state table is drawn without loading the models."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chancery.domain.facts import Basis, Fact
from chancery.domain.tracked import PENDING_INVITATIONS, TrackedFact, invitation_words, tracked_on

JsonState = Mapping[str, Any]
"""A channel's state in its JSON form: the keys of `ChannelState`."""


def fact_words(state: JsonState, tracked: TrackedFact, *, table: bool = False) -> str:
    """The fact in words on the state's date; a fact declared `with_certainty` carries the
    channel's certainty ("suspended, possible"), but only when its value is known, and not
    when its words already say it was only announced; any other fact says "possible" when it
    rests on an event that may not have happened yet. Empty when the channel's kind does not
    track it, or the table leaves it out."""
    view = state["facts"].get(tracked.name)
    if view is None:
        return ""
    fact = Fact(view["value"], Basis(view["basis"]), view["event"], view.get("announced"))
    text = tracked.table_words(fact) if table else view["text"]
    if not text or fact.value is None:
        return text
    certainty = state["certainty"] if tracked.with_certainty else view["certainty"]
    if (tracked.with_certainty and certainty != "announced") or certainty == "possible":
        text += f", {certainty}"
    return text


def state_fields(state: JsonState) -> dict[str, str]:
    """Every tracked fact by its label, then the open invitations."""
    return {label: value["text"] for label, value in state_values(state).items()}


def state_values(state: JsonState) -> dict[str, dict[str, Any]]:
    """Every tracked fact by its label as a typed value (`value`, `basis`, and `text`, the
    words `state_fields` gives), then the open invitations (their event ids): what `diff
    --json` gives, typed as `state --json` gives its facts."""
    shown: dict[str, dict[str, Any]] = {}
    for tracked in tracked_on(state["kind"]):
        view = state["facts"].get(tracked.name) or {"value": None, "basis": None}
        text = fact_words(state, tracked)
        shown[tracked.label] = {"value": view["value"], "basis": view["basis"], "text": text}
    invitations = state["pending_invitations"]
    shown[PENDING_INVITATIONS] = {
        "value": [i["id"] for i in invitations],
        "basis": None,
        "text": invitation_words((i["id"], i["response"]) for i in invitations),
    }
    return shown
