"""A query's way into a SQLite ledger: one read-only connection, no eventsourcing application.

A query reads the read model's rows and the index; building the eventsourcing application to
get at them loads eventsourcing's persistence, the event mapper and the pydantic event models,
which cost a command more start-up time than the answer itself. The application is still what
writes, catches the read model up, and replays timelines (`store.open_ledger`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chancery.domain.index import LedgerIndex

SQLITE_EVENTS_TABLE = "stored_events"
"""The events table of a SQLite ledger: its presence is what makes a file a ledger."""


class SQLiteReader(LedgerIndex):
    """The index lookups of `LedgerIndex`, and the read model's tables, over one read-only
    connection. Cursors yield rows readable by column name, as the recorder's do."""

    def __init__(self, uri: str, timeout: float) -> None:
        self._connection = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
        self._connection.row_factory = sqlite3.Row

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """A cursor in a read transaction: the statements run in it see one snapshot (a
        reading inside another shares the outer one)."""
        cursor = self._connection.cursor()
        if self._connection.in_transaction:
            yield cursor
            return
        cursor.execute("BEGIN")
        try:
            yield cursor
        finally:
            self._connection.rollback()

    def max_notification_id(self) -> int | None:
        """The last recorded event's position in the notification log (None when empty)."""
        row = self._connection.execute(f"SELECT MAX(rowid) FROM {SQLITE_EVENTS_TABLE}").fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self._connection.close()
