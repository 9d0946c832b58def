"""Chancery: an event-sourced ledger of reported diplomatic actions.

`from chancery import Ledger` is the Python API (`application/ledger.py`). It is loaded on
first use, so that `import chancery.cli` and the other modules pay nothing for it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# eventsourcing resolves TZINFO_TOPIC when it is first imported: it imports whatever module the
# variable names, and a bad value ends every command in a traceback before Chancery runs.
# Chancery stamps the time an event was written in UTC, always, so the setting is dropped here,
# before any module of this package (the domain's aggregates, storage) imports eventsourcing.
os.environ.pop("TZINFO_TOPIC", None)

if TYPE_CHECKING:
    from chancery.application import Ledger

__all__ = ["Ledger"]


def __getattr__(name: str) -> Any:
    if name == "Ledger":
        from chancery.application import Ledger

        return Ledger
    raise AttributeError(f"module 'chancery' has no attribute {name!r}")
