"""A query's way into a ledger: one plain connection, no eventsourcing application.

A query reads the read model's rows and the index; building the eventsourcing application to
get at them loads eventsourcing's persistence, the event mapper and the pydantic event models,
which cost a command more start-up time than the answer itself. The application is still what
writes, catches the read model up, and replays timelines (`store.open_ledger`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from chancery.storage.index import LedgerIndex

if TYPE_CHECKING:
    import psycopg

SQLITE_EVENTS_TABLE = "stored_events"
"""The events table of a SQLite ledger: its presence is what makes a file a ledger."""
EVENTS_TABLE = "chancery_events"
"""The events table of a PostgreSQL ledger (in its schema): eventsourcing names it after the
application (`Ledger.name`)."""


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

    def snapshot(self) -> None:
        """From here until `close`, every reading shares one read transaction: one snapshot
        of the ledger, whatever writers commit meanwhile (the write-ahead log keeps it)."""
        if not self._connection.in_transaction:
            self._connection.execute("BEGIN")

    def renew_snapshot(self) -> None:
        if self._connection.in_transaction:
            self._connection.rollback()
            self.snapshot()

    def max_notification_id(self) -> int | None:
        """The last recorded event's position in the notification log (None when empty)."""
        row = self._connection.execute(f"SELECT MAX(rowid) FROM {SQLITE_EVENTS_TABLE}").fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self._connection.close()


class PostgresReader(LedgerIndex):
    """The same over a psycopg connection to a PostgreSQL ledger's schema. It runs in
    autocommit mode: outside a `snapshot`, each reading is a transaction of its own (a failed
    statement, a read-model table not created yet, leaves the connection usable)."""

    key_arrays = True
    dialect = "postgresql"

    def __init__(self, connection: psycopg.Connection[Any], schema: str) -> None:
        self._connection = connection
        self._schema = schema

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    def _table(self, name: str) -> str:
        return f'"{self._schema}".{name}'

    def snapshot(self) -> None:
        """From here until `close`, every reading shares one REPEATABLE READ transaction: one
        snapshot of the schema, whatever writers commit meanwhile (PostgreSQL's MVCC)."""
        import psycopg

        if self._connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            self._connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def renew_snapshot(self) -> None:
        import psycopg

        if self._connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self._connection.execute("ROLLBACK")
            self.snapshot()

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """A cursor; inside a snapshot, in a savepoint, so that a statement that fails (a
        read-model table not created yet) leaves the snapshot usable."""
        with self._connection.transaction(), self._connection.cursor() as cursor:
            yield cursor

    def max_notification_id(self) -> int | None:
        """The last recorded event's position in the notification log (None when empty)."""
        with self._connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(notification_id) AS last FROM {self._table(EVENTS_TABLE)}")
            row = cursor.fetchone()
        return row["last"] if row else None

    def close(self) -> None:
        self._connection.close()
