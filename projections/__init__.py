"""Read models rebuilt from the ledger: pure functions from recorded events to pydantic models.

Nothing here writes, and nothing here knows about typer or rich.
"""
