"""eventsourcing's recorders, extended with the ledger's index and bounded, atomic batch writes.

The index says which event ids and declarations the ledger holds and with which content digest.
It is written in the same transaction as the events it indexes, so it can never disagree with
them, and its primary keys make two writers that add the same id collide (one retries) instead
of both succeeding. An import writes its events in batches of bounded size inside one
transaction: all of the import or none of it, without one statement the size of the import
(PostgreSQL refuses messages over 1 GB, and psycopg's pipeline mode can stall on a statement
of a few MB, so the PostgreSQL writer does not use pipeline mode).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol
from uuid import UUID

from chancery.storage.index import DECLARATIONS, ENTRIES, LedgerIndex
from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteTransaction,
)

_UPDATE_DECLARATION = (
    f"UPDATE {DECLARATIONS} SET digest = ?, record = ? WHERE section = ? AND key = ?"
)
MAX_BATCH_BYTES = 4 * 1024 * 1024
"""At most this much stored state goes into one INSERT statement."""


@dataclass
class IndexRows:
    """Rows of the index that a batch of events adds."""

    entries: list[tuple[str, str, str]] = field(default_factory=list)
    """(event id, channel, content digest)"""
    declarations: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(section, key, content digest, record as JSON)"""
    extended: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(new digest, new record as JSON, section, key) of declarations given more vocabulary"""


Batch = tuple[Sequence[StoredEvent], IndexRows]


class Journal(Protocol):
    """Logs the writes of one import in the transaction that makes them (`writing`): told of
    each batch as it is written and of the transaction's end, it returns the stored events
    to write with them."""

    def begin(self) -> None:
        """A transaction starts: anything an earlier, rolled-back attempt told is forgotten."""

    def written(self, writer: LedgerWriter, cursor: Any, batch: Batch) -> Sequence[StoredEvent]:
        """What to log of a batch just written."""
        ...

    def closing(self, writer: LedgerWriter, cursor: Any) -> Sequence[StoredEvent]:
        """What to log as the transaction ends, before it commits."""
        ...


class LedgerWriter(LedgerIndex):
    """The index's write side, and what a streamed import reads inside its own transaction."""

    def timeline_version(self, cursor: Any, originator_id: UUID) -> int | None:
        """The last version of an aggregate as `cursor`'s transaction sees it (None: none)."""
        cursor.execute(
            self._sql(
                f"SELECT MAX(originator_version) AS version FROM {self._events_table()} "
                "WHERE originator_id = ?"
            ),
            [self._originator(originator_id)],
        )
        row = cursor.fetchone()
        return None if row is None or row["version"] is None else int(row["version"])

    def timeline_events(self, cursor: Any, originator_id: UUID) -> list[StoredEvent]:
        """An aggregate's stored events as `cursor`'s transaction sees them, oldest first."""
        cursor.execute(
            self._sql(
                f"SELECT originator_version, topic, state FROM {self._events_table()} "
                "WHERE originator_id = ? ORDER BY originator_version"
            ),
            [self._originator(originator_id)],
        )
        return [
            StoredEvent(originator_id, row["originator_version"], row["topic"], bytes(row["state"]))
            for row in cursor.fetchall()
        ]

    def _events_table(self) -> str:
        raise NotImplementedError

    def create_table(self) -> None:
        """Create the event store's and the index's tables (the store's recorder does)."""
        raise NotImplementedError

    def _originator(self, originator_id: UUID) -> Any:
        return originator_id

    journal: Journal | None = None
    """What logs the writes of the import running now (`storage/importlog.py`), if one is."""

    @contextmanager
    def writing(self) -> Iterator[Any]:
        """One write transaction: committed when the block ends, rolled back if it raises.
        The journal's entry, if one is kept, is written last, in the same transaction."""
        with self._transaction() as cursor:
            if self.journal is not None:
                self.journal.begin()
            yield cursor
            if self.journal is not None:
                self._write_logged(cursor, self.journal.closing(self, cursor))

    def write_batch(self, cursor: Any, batch: Batch) -> None:
        """Insert stored events and their index rows inside a `writing` transaction (and, when
        a journal is kept, what it logs of them)."""
        self._write_rows(cursor, batch)
        if self.journal is not None:
            self._write_logged(cursor, self.journal.written(self, cursor, batch))

    def _write_logged(self, cursor: Any, stored: Sequence[StoredEvent]) -> None:
        if stored:
            self._write_rows(cursor, (stored, IndexRows()))

    def events_after(self, cursor: Any, position: int) -> int:
        """How many events the transaction of `cursor` sees after notification `position`."""
        cursor.execute(
            self._sql(
                f"SELECT COUNT(*) AS n FROM {self._events_table()} WHERE {self._position()} > ?"
            ),
            [position],
        )
        return int(cursor.fetchone()["n"])

    def position_of(self, originator_id: UUID, version: int) -> int | None:
        """The notification position of one stored event (None: not recorded)."""
        with self.reading() as cursor:
            cursor.execute(
                self._sql(
                    f"SELECT {self._position()} AS position FROM {self._events_table()} "
                    "WHERE originator_id = ? AND originator_version = ?"
                ),
                [self._originator(originator_id), version],
            )
            row = cursor.fetchone()
        return None if row is None else int(row["position"])

    def _position(self) -> str:
        return "notification_id"

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        raise NotImplementedError

    def _write_rows(self, cursor: Any, batch: Batch) -> None:
        raise NotImplementedError

    def insert_batches(self, batches: Iterable[Batch]) -> None:
        """Insert every batch in one transaction: all of them or none."""
        with self.writing() as cursor:
            for batch in batches:
                self.write_batch(cursor, batch)


class _ImmediateTransaction(SQLiteTransaction):
    """eventsourcing's SQLite transaction, begun with the write lock taken."""

    def __enter__(self) -> SQLiteCursor:
        cursor = self.connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # locked past the timeout: as any write says
            cursor.sqlite_cursor.close()
            raise OperationalError(exc) from exc
        return cursor


class SQLiteLedgerRecorder(SQLiteApplicationRecorder, LedgerWriter):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {ENTRIES} (id TEXT PRIMARY KEY, "
            "channel TEXT NOT NULL, digest TEXT NOT NULL) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {DECLARATIONS} (position INTEGER PRIMARY KEY, "
            "section TEXT NOT NULL, key TEXT NOT NULL, digest TEXT NOT NULL, "
            "record TEXT NOT NULL, UNIQUE (section, key))",
        ]

    @contextmanager
    def reading(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=False) as cursor:
            yield cursor

    def checkpoint(self) -> None:
        """Move the write-ahead log into the database file, so that a copy of the file taken
        after a command holds the whole ledger. A ledger opened read-only (a query) moves
        nothing: it has written nothing, and its checkpoint would only wait for writers."""
        if "mode=ro" in self.datastore.pool.db_name:
            return
        with (
            self.datastore.get_connection(commit=True) as connection,
            suppress(sqlite3.Error),  # a ledger opened read-only has nothing of its own to move
        ):
            connection._sqlite_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _events_table(self) -> str:
        return self.events_table_name

    def _originator(self, originator_id: UUID) -> Any:
        return originator_id.hex

    def _position(self) -> str:
        return "rowid"

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """The transaction takes the write lock as it begins (`BEGIN IMMEDIATE`): an import
        plans inside it, reading before it writes, and a plain `BEGIN` would fail at its
        first write whenever another writer had committed since its first read. So a second
        writer waits for the lock at the start (up to the lock timeout) instead."""
        with (
            self.datastore.get_connection(commit=True) as connection,
            _ImmediateTransaction(connection, commit=True) as cursor,
            cursor,
        ):
            yield cursor

    def _write_rows(self, cursor: Any, batch: Batch) -> None:
        stored, index = batch
        # One executemany per batch (the application recorder runs one statement per event to
        # collect row ids, which nothing here needs).
        SQLiteAggregateRecorder._insert_events(self, cursor, stored)
        cursor.executemany(f"INSERT INTO {ENTRIES} VALUES (?, ?, ?)", index.entries)
        cursor.executemany(
            f"INSERT INTO {DECLARATIONS} (section, key, digest, record) VALUES (?, ?, ?, ?)",
            index.declarations,
        )
        cursor.executemany(_UPDATE_DECLARATION, index.extended)


@cache
def _postgres_recorder_class() -> type:
    """Defined on first use, so that psycopg is imported only for PostgreSQL ledgers."""
    from eventsourcing.postgres import PostgresApplicationRecorder
    from psycopg.sql import SQL, Identifier

    class PostgresLedgerRecorder(PostgresApplicationRecorder, LedgerWriter):
        key_arrays = True
        dialect = "postgresql"

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for statement in (
                f"CREATE TABLE IF NOT EXISTS {{schema}}.{ENTRIES} (id text PRIMARY KEY, "
                "channel text NOT NULL, digest text NOT NULL)",
                f"CREATE TABLE IF NOT EXISTS {{schema}}.{DECLARATIONS} ("
                "position bigserial PRIMARY KEY, section text NOT NULL, key text NOT NULL, "
                "digest text NOT NULL, record text NOT NULL, UNIQUE (section, key))",
            ):
                self.sql_create_statements.append(
                    SQL(statement).format(schema=Identifier(self.datastore.schema))
                )

        def _sql(self, statement: str) -> str:
            return statement.replace("?", "%s")

        def _table(self, name: str) -> str:
            return f'"{self.datastore.schema}".{name}'

        @contextmanager
        def reading(self) -> Iterator[Any]:
            with self.datastore.transaction(commit=False) as cursor:
                yield cursor

        def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
            self.insert_batches([(stored_events, kwargs.get("index") or IndexRows())])

        def _events_table(self) -> str:
            return self._table(self.events_table_name)

        @contextmanager
        def _transaction(self) -> Iterator[Any]:
            with (
                self.datastore.get_connection() as conn,
                conn.transaction(),
                conn.cursor() as cursor,
            ):
                self._lock_table(cursor)
                self._notify_channel(cursor)
                yield cursor

        def _write_rows(self, cursor: Any, batch: Batch) -> None:
            stored, index = batch
            for part in _by_size(stored):
                super(PostgresApplicationRecorder, self)._insert_stored_events(cursor, part)
            self._insert_index(cursor, index)

        def _insert_index(self, cursor: Any, index: IndexRows) -> None:
            if index.entries:
                cursor.execute(
                    f"INSERT INTO {self._table(ENTRIES)} (id, channel, digest) "
                    "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[])",
                    [list(column) for column in zip(*index.entries, strict=True)],
                )
            if index.extended:
                cursor.executemany(
                    self._sql(_UPDATE_DECLARATION.replace(DECLARATIONS, self._table(DECLARATIONS))),
                    index.extended,
                )
            if index.declarations:
                cursor.execute(
                    f"INSERT INTO {self._table(DECLARATIONS)} (section, key, digest, record) "
                    "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[])",
                    [list(column) for column in zip(*index.declarations, strict=True)],
                )

    return PostgresLedgerRecorder


def _by_size(stored: Sequence[StoredEvent]) -> Iterator[Sequence[StoredEvent]]:
    """Consecutive runs of events whose states add up to at most MAX_BATCH_BYTES."""
    start, size = 0, 0
    for position, event in enumerate(stored):
        if size and size + len(event.state) > MAX_BATCH_BYTES:
            yield stored[start:position]
            start, size = position, 0
        size += len(event.state)
    if start < len(stored):
        yield stored[start:]


POSTGRES_RECORDER_TOPIC = "chancery.storage.recorders:PostgresLedgerRecorder"
SQLITE_RECORDER_TOPIC = "chancery.storage.recorders:SQLiteLedgerRecorder"


def __getattr__(name: str) -> Any:
    if name == "PostgresLedgerRecorder":
        return _postgres_recorder_class()
    raise AttributeError(name)
