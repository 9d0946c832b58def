"""Chancery's use cases, for the command line, the reports and Python users alike.

`Ledger` is the one way in: open a ledger, import into it, ask it for states, histories,
sources and the rest, and close it. Its results are the projections' pydantic models, the same
that `--json` prints (`model_dump()` gives the JSON form).
"""

from chancery.application.ledger import Ledger

__all__ = ["Ledger"]
