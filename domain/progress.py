"""How a long import or catch-up reports its progress.

Kept apart from the ledger application (`ledger.py`) so that the read model, which queries
load, can take a progress callback without loading eventsourcing.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as a long import or catch-up advances; a front end shows it."""


def no_progress(stage: str, done: int, total: int) -> None:
    """The default: nobody is watching."""
