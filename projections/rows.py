"""The read model's stored rows, and how a query turns one into a state.

Kept apart from the fold (`bitemporal.py`, `state.py`) so that a query loads no event model:
answering `state` needs only these rows and the `ChannelState` contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chancery.domain.facts import Basis, Fact
from chancery.domain.tracked import STAFF_CAP

if TYPE_CHECKING:  # the pydantic models load only where a query returns them
    from chancery.projections.models import ChannelState

BEGINNING = 0
INF = 10**7
"""Beyond any ordinal of a real date (date.max is 3 652 059)."""


@dataclass(frozen=True)
class StateRow:
    valid_from: int
    valid_to: int
    known_from: int
    known_to: int
    state: str
    """The rendered state as JSON (without inference)."""
    inferable: bool
    """Whether a later cap change's `from` may stand in for the cap (principle 5)."""
    cap_event: str | None
    """The first staff-cap change that starts on valid_from, with its `from_cap`."""
    cap_from: int | None

    @property
    def cap(self) -> tuple[str | None, int | None]:
        return self.cap_event, self.cap_from

    @property
    def key(self) -> tuple[object, ...]:
        return (
            self.valid_from,
            self.valid_to,
            self.state,
            self.inferable,
            self.cap_event,
            self.cap_from,
        )


CapChange = tuple[str, int | None]
"""A staff-cap change that a state may borrow its cap from: (event id, its `from_cap`)."""


def inferred(state: dict[str, Any], inferable: bool, upcoming: CapChange | None) -> dict[str, Any]:
    """Principle 5: a cap no source gives is implied by the next change's `from`, as inferred.
    `state` is a row's JSON form of a `ChannelState`, and so is what this returns."""
    if inferable and upcoming is not None and upcoming[1] is not None:
        event, cap = upcoming
        fact = Fact(cap, Basis.INFERRED, event)
        state = {
            **state,
            "facts": {
                **state["facts"],
                STAFF_CAP.name: {
                    "value": cap,
                    "basis": Basis.INFERRED.value,
                    "event": event,
                    "certainty": "certain",
                    "text": STAFF_CAP.say(fact),
                    "announced": None,
                },
            },
            "staff_cap": cap,
            "staff_cap_basis": Basis.INFERRED.value,
            "staff_cap_event": event,
        }
    return state


def with_inference(
    state: dict[str, Any], inferable: bool, upcoming: CapChange | None
) -> ChannelState:
    """The row's state with its inferred cap (`inferred`), as a model."""
    from chancery.projections.models import ChannelState

    return ChannelState.model_validate(inferred(state, inferable, upcoming))
