"""The ledger's index (which event ids and declarations it holds, with their digests) and
how it is looked up: the same SQL on both stores, `_sql` adapting the placeholders.

Kept apart from the recorders (`recorders.py`), which build on eventsourcing's, so that a query
can read the index through a plain database connection without loading eventsourcing.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chancery.storage.recorders import Batch

ENTRIES = "chancery_entries"
DECLARATIONS = "chancery_declarations"
_LOOKUP_CHUNK = 500


class LedgerIndex:
    """Lookups in the index, the same SQL on both stores (`_sql` adapts placeholders)."""

    def _sql(self, statement: str) -> str:
        return statement

    def _table(self, name: str) -> str:
        return name

    @contextmanager
    def reading(self) -> Iterator[Any]:
        raise NotImplementedError

    def max_notification_id(self) -> int | None:
        """The last recorded event's position in the notification log (None when empty)."""
        raise NotImplementedError

    def renew_snapshot(self) -> None:
        """Let the readings of a `snapshot` see what was committed since it began (the read
        model a query had to write first); nothing to do where readings share no snapshot."""

    dialect = "sqlite"
    """The store's SQL dialect ("sqlite" or "postgresql"), for what differs between them (the
    full-text index, `storage/search.py`)."""

    key_arrays = False
    """Whether the store takes a list of keys as one array parameter (PostgreSQL). A lookup is
    then one statement, `IN (SELECT unnest(?))`, which the planner answers with an index
    lookup per key; a long `IN (?, ?, ...)` list on a table without statistics (autovacuum
    off, or right after a large import) is planned as a scan of the whole section: a channel's
    thousand sources took over a second at a million events."""

    def _select_in(
        self, statement: str, keys: Collection[str], *prefix: str, cursor: Any = None
    ) -> list[dict[str, Any]]:
        """Rows for these keys; through `cursor` when given (a streamed import reads what its
        own transaction wrote), else in a reading transaction."""
        if cursor is None:
            with self.reading() as reader:
                return self._select_in(statement, keys, *prefix, cursor=reader)
        keys = list(keys)
        if self.key_arrays:
            marks = "SELECT unnest(?::text[])"
            cursor.execute(self._sql(statement.format(marks=marks)), [*prefix, keys])
            return [dict(row) for row in cursor.fetchall()]
        rows: list[dict[str, Any]] = []
        for start in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[start : start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            cursor.execute(self._sql(statement.format(marks=marks)), [*prefix, *chunk])
            rows.extend(dict(row) for row in cursor.fetchall())
        return rows

    def recorded_entries(
        self, ids: Collection[str], cursor: Any = None
    ) -> dict[str, tuple[str, str]]:
        """Each of these ids that the ledger holds: its channel and content digest."""
        statement = (
            f"SELECT id, channel, digest FROM {self._table(ENTRIES)} WHERE id IN ({{marks}})"
        )
        rows = self._select_in(statement, ids, cursor=cursor)
        return {r["id"]: (r["channel"], r["digest"]) for r in rows}

    def declared(
        self, section: str, keys: Collection[str], cursor: Any = None
    ) -> dict[str, tuple[str, dict[str, Any]]]:
        """Each of these keys declared in `section`: its digest and record."""
        statement = (
            f"SELECT key, digest, record FROM {self._table(DECLARATIONS)} "
            "WHERE section = ? AND key IN ({marks})"
        )
        return {
            r["key"]: (r["digest"], json.loads(r["record"]))
            for r in self._select_in(statement, keys, section, cursor=cursor)
        }

    def declarations(self, section: str) -> list[dict[str, Any]]:
        """Every record declared in `section`, in the order it was declared."""
        with self.reading() as cursor:
            cursor.execute(
                self._sql(
                    f"SELECT record FROM {self._table(DECLARATIONS)} WHERE section = ? "
                    "ORDER BY position"
                ),
                [section],
            )
            return [json.loads(row["record"]) for row in cursor.fetchall()]

    def declarations_after(
        self, section: str, after: int, limit: int
    ) -> list[tuple[int, dict[str, Any]]]:
        """Up to `limit` records declared in `section` after position `after`, with their
        positions: a section of a million sources is read a page at a time."""
        with self.reading() as cursor:
            cursor.execute(
                self._sql(
                    f"SELECT position, record FROM {self._table(DECLARATIONS)} "
                    "WHERE section = ? AND position > ? ORDER BY position LIMIT ?"
                ),
                [section, after, limit],
            )
            return [(row["position"], json.loads(row["record"])) for row in cursor.fetchall()]

    def keys(self, section: str) -> list[str]:
        """The keys declared in `section`, in the order they were declared."""
        with self.reading() as cursor:
            cursor.execute(
                self._sql(
                    f"SELECT key FROM {self._table(DECLARATIONS)} WHERE section = ? "
                    "ORDER BY position"
                ),
                [section],
            )
            return [row["key"] for row in cursor.fetchall()]

    def keys_near(self, section: str, key: str, count: int) -> list[str]:
        """Up to `count` keys of `section` on either side of `key` in sorted order: the
        candidates for a did-you-mean, read by the (section, key) index whatever the size of
        the section."""
        found: list[str] = []
        with self.reading() as cursor:
            for comparison, order in ((">=", "ASC"), ("<", "DESC")):
                cursor.execute(
                    self._sql(
                        f"SELECT key FROM {self._table(DECLARATIONS)} WHERE section = ? "
                        f"AND key {comparison} ? ORDER BY key {order} LIMIT ?"
                    ),
                    [section, key, count],
                )
                found += [row["key"] for row in cursor.fetchall()]
        return found

    def has_entries(self) -> bool:
        """Whether the index holds any event (without counting a million of them)."""
        with self.reading() as cursor:
            cursor.execute(f"SELECT 1 AS one FROM {self._table(ENTRIES)} LIMIT 1")
            return cursor.fetchone() is not None

    def count_entries(self) -> int:
        with self.reading() as cursor:
            cursor.execute(f"SELECT COUNT(*) AS n FROM {self._table(ENTRIES)}")
            return int(cursor.fetchone()["n"])

    def insert_batches(self, batches: Iterable[Batch]) -> None:
        raise NotImplementedError
