"""Chancery: an event-sourced ledger of reported diplomatic actions.

`from chancery import Ledger` is the Python API (`application/ledger.py`). It is loaded on
first use, so that `import chancery.cli` and the other modules pay nothing for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chancery.application import Ledger

__all__ = ["Ledger"]


def __getattr__(name: str) -> Any:
    if name == "Ledger":
        from chancery.application import Ledger

        return Ledger
    raise AttributeError(f"module 'chancery' has no attribute {name!r}")
