"""The read model: bitemporal state rows and event versions, persisted beside the events.

It lives in the ledger's own database (tables in the SQLite file, in the PostgreSQL schema) and
is maintained from eventsourcing's notification log: a query first pulls the notifications
recorded since the read model's position, re-folds only the channels they touch, and writes the
new rows and the new position in one transaction (exactly once; a crash between an import and
its catch-up leaves a read model that the next query brings up to date). SQLite has no push
subscription in eventsourcing 9.5, so every read catches up first.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chancery.domain.errors import ChanceryError, LedgerLockedError, classify_database_error
from chancery.domain.progress import Progress, no_progress
from chancery.projections.rows import INF, CapChange, StateRow, inferred, with_inference
from chancery.storage.index import DECLARATIONS, LedgerIndex
from chancery.storage.search import SearchIndex

if TYPE_CHECKING:  # what a catch-up or another query needs, loaded only when one runs
    from chancery.domain.actions import Action
    from chancery.domain.aggregates import TimelineEntry
    from chancery.domain.parties import Channel
    from chancery.domain.sources import Source
    from chancery.domain.tracked import TrackedFact
    from chancery.projections.knowledge import Version
    from chancery.projections.models import ChannelState, StateReport
    from chancery.projections.ports import EventMatch
    from chancery.storage.ledger import Ledger

STATES = "chancery_states"
VERSIONS = "chancery_versions"
POSITION = "chancery_read_position"
CITATIONS = "chancery_citations"
NOTIFICATION_PAGE = 5000
RECHECKS = 5
ROW_CHUNK = 500
"""State rows read by their starts per statement (a series' rows): a bounded list of values."""
"""How often `problems` compares a channel again when imports moved the ledger meanwhile."""
_TABLES = {
    STATES: "channel TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL, "
    "known_from INTEGER NOT NULL, known_to INTEGER NOT NULL, state TEXT NOT NULL, "
    "inferable INTEGER NOT NULL, cap_event TEXT, cap_from INTEGER",
    VERSIONS: "id TEXT NOT NULL, channel TEXT NOT NULL, known_from INTEGER NOT NULL, "
    "known_to INTEGER NOT NULL, earliest INTEGER NOT NULL, latest INTEGER NOT NULL, "
    "date_earliest INTEGER NOT NULL, date_latest INTEGER NOT NULL, "
    "recorded_at TEXT NOT NULL, entry TEXT NOT NULL, type TEXT NOT NULL, actor TEXT NOT NULL, "
    "target TEXT",
    POSITION: "name TEXT PRIMARY KEY, position INTEGER NOT NULL",
    CITATIONS: "source TEXT NOT NULL, event TEXT NOT NULL, channel TEXT NOT NULL, "
    "earliest INTEGER NOT NULL, latest INTEGER NOT NULL",
}
_INDEXES = {
    f"{STATES}_lookup": f"{STATES} (channel, known_to, valid_from)",
    f"{VERSIONS}_order": f"{VERSIONS} (known_to, earliest, latest, id)",
    f"{VERSIONS}_channel": f"{VERSIONS} (channel, known_to, earliest)",
    # The filters of `events` (--type, --actor, --party), each found by an index in the order
    # the listing pages through.
    f"{VERSIONS}_type": f"{VERSIONS} (type, known_to, earliest, latest, id)",
    f"{VERSIONS}_actor": f"{VERSIONS} (actor, known_to, earliest, latest, id)",
    f"{VERSIONS}_target": f"{VERSIONS} (target, known_to, earliest, latest, id)",
    # The next staff-cap change after a date, for a cap inferred from its `from`: only the rows
    # where such a change starts, so the search never walks a channel's other rows.
    f"{STATES}_caps": f"{STATES} (channel, known_to, valid_from) WHERE cap_event IS NOT NULL",
    # The events each source supports (their current readings), for `sources` a page at a time.
    f"{CITATIONS}_source": f"{CITATIONS} (source, earliest, latest, event)",
    f"{CITATIONS}_channel": f"{CITATIONS} (channel)",
}


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day is not None else INF - 1


def _next_cap_changes(rows: list[Any]) -> list[CapChange | None]:
    """For each of a channel's rows (in valid-time order), the first staff-cap change after
    it: the one its cap may be inferred from (principle 5). One pass from the last row back,
    carrying the change, where searching forward from every row took rows² steps."""
    found: list[CapChange | None] = []
    upcoming: CapChange | None = None
    for row in reversed(rows):
        found.append(upcoming)
        if row["cap_event"]:
            upcoming = (row["cap_event"], row["cap_from"])
    found.reverse()
    return found


Found = tuple[str, bool, CapChange | None]
"""A channel's state row as a query finds it: its JSON, whether a later cap change's `from`
may stand in for its cap, and that change (see `rows.inferred`)."""


RENDERED_BY = (
    "chancery.domain.actions",
    "chancery.domain.facts",
    "chancery.domain.timeline",
    "chancery.domain.tracked",
    "chancery.projections.bitemporal",
    "chancery.projections.knowledge",
    "chancery.projections.rows",
    "chancery.projections.search",
    "chancery.projections.state",
    "chancery.storage.search",
)
"""The modules whose code folds events into rows: their text is part of the read model's format."""


def read_model_format() -> int:
    """The read model's format: a digest of the tracked-fact declarations, of the code that
    renders the rows and of the rows' layout, stored beside the read position. When any of
    them changes, every ledger's read model is folded again on its next catch-up (a stale
    rendering would otherwise answer quietly); nothing is numbered by hand. 31 bits, so the
    position column holds it on both stores."""
    from chancery.domain import tracked

    return _format(tuple(tracked.TRACKED))


@lru_cache(maxsize=8)
def _format(declarations: tuple[TrackedFact, ...]) -> int:
    from chancery.domain.tracked import described

    text = json.dumps(
        [described(declarations), [_module_text(name) for name in RENDERED_BY], _TABLES, _INDEXES],
        sort_keys=True,
    )
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big") & 0x7FFFFFFF


def _module_text(name: str) -> str:
    """A module's source text, read without importing it; its name where there is none."""
    spec = importlib.util.find_spec(name)
    origin = spec.origin if spec is not None else None
    try:
        return Path(origin).read_text("utf-8") if origin else name
    except (OSError, UnicodeDecodeError):
        return name


def _state_json(text: str, inferable: bool, upcoming: CapChange | None) -> str:
    """The row's JSON with its inferred cap: the stored text itself when it borrows none."""
    if not inferable or upcoming is None:
        return text
    return json.dumps(inferred(json.loads(text), inferable, upcoming))


def _no_read_model_yet() -> tuple[type[Exception], ...]:
    """What reading a read-model table that does not exist yet raises, through the ledger's
    recorder (eventsourcing's errors) or a query's plain connection (sqlite3's, psycopg's).
    Called only in an `except` clause, so a query that raises nothing never loads
    eventsourcing."""
    from eventsourcing.persistence import OperationalError, ProgrammingError

    missing: tuple[type[Exception], ...] = (OperationalError, ProgrammingError)
    psycopg = sys.modules.get("psycopg")  # loaded for PostgreSQL ledgers only
    if psycopg is not None:
        missing += (psycopg.errors.UndefinedTable,)
    return (*missing, sqlite3.OperationalError)


class ReadModel:
    """Queries answered from the read model, which each one first brings up to date."""

    def __init__(
        self,
        ledger: Ledger | None = None,
        writer: Callable[[], Ledger] | None = None,
        *,
        tables: LedgerIndex | None = None,
        opener: Callable[[], Ledger] | None = None,
        read_only: bool = False,
    ) -> None:
        """`ledger` answers the queries and, unless `read_only` (or given a `writer`), is where
        a catch-up writes. `writer` opens the same ledger writable, once, for a read model
        that is missing or of another format (a ledger of an older release: see
        `_migrate`).

        A query may instead give `tables`, a read-only connection to the same database (see
        `storage/reader.py`), and `opener`, which opens the ledger application only if the
        query turns out to need events (a history, a source list): `state` never does.

        A query (`read_only`, or over `tables`) never writes: when it finds the read model
        behind the events (an import killed between its commit and its catch-up, an import
        still catching up, a ledger from an older release), it folds the channels that are
        behind in memory and answers from those, without waiting for a writer's lock and
        whether or not the ledger may be written (see `_fold_behind`)."""
        if ledger is None and (tables is None or opener is None):
            raise TypeError("ReadModel needs a ledger, or tables and an opener")
        self._ledger = ledger
        self._opener = opener
        self._read_only = read_only or tables is not None or writer is not None
        self._writer = writer
        if tables is None:
            assert ledger is not None  # refused above
            tables = ledger.index
        self._tables: LedgerIndex = tables
        self._sql = self._tables._sql
        self._table = self._tables._table
        self._search = SearchIndex(self._tables)
        self._ready = False
        self._behind: dict[str, _Folded] = {}
        """The channels folded in memory because their rows are behind the events."""
        self._behind_at: tuple[int, int] | None = None
        """(read-model position, last event) when `_behind` was folded."""

    @property
    def ledger(self) -> Ledger:
        """The ledger application, opened on first use for a read model over `tables`."""
        if self._ledger is None:
            assert self._opener is not None
            self._ledger = self._opener()
        return self._ledger

    # -- storage -------------------------------------------------------------------------

    @contextmanager
    def _cursor(self, *, commit: bool) -> Iterator[Any]:
        if not commit:
            with self._tables.reading() as cursor:
                yield cursor
            return
        # eventsourcing's base recorder type has no datastore; its SQLite and PostgreSQL
        # recorders (the only ones a ledger opens) each have one, with transaction(commit=).
        with self.ledger.recorder.datastore.transaction(commit=True) as cursor:  # type: ignore[attr-defined]
            yield cursor

    def _create_tables(self, *, fresh: bool = False) -> None:
        """The read model's tables, as this release lays them out. Rows of another format are
        folded again anyway (`_current_format`), so their tables are dropped first, as they
        are for a rebuild (`fresh`): a table an older release made may lack a column that
        this release's indexes name."""
        with self._cursor(commit=True) as cursor:
            position = self._table(POSITION)
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {position} ({_TABLES[POSITION]})")
            cursor.execute(self._sql(f"SELECT position FROM {position} WHERE name = ?"), ["format"])
            stored = cursor.fetchone()
            if fresh or (stored is not None and int(stored["position"]) != read_model_format()):
                if self._tables.dialect == "postgresql":  # a reader's snapshot may hold them
                    from chancery.storage.store import LOCK_TIMEOUT_SECONDS

                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
                self._search.drop(cursor)
                for name in _TABLES.keys() - {POSITION}:
                    cursor.execute(f"DROP TABLE IF EXISTS {self._table(name)}")
                # No position with the tables dropped: a process that drops the tables another
                # just folded into leaves them to be folded again, never empty and up to date.
                cursor.execute(f"DELETE FROM {position}")
            for name, columns in _TABLES.items():
                cursor.execute(f"CREATE TABLE IF NOT EXISTS {self._table(name)} ({columns})")
            for name, target in _INDEXES.items():
                table, columns = target.split(" ", 1)
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {self._table(table)} {columns}"
                )
            self._search.create(cursor)

    def position(self) -> int:
        return self._stored("read-model")

    def _stored(self, name: str) -> int:
        with self._cursor(commit=False) as cursor:
            cursor.execute(
                self._sql(f"SELECT position FROM {self._table(POSITION)} WHERE name = ?"), [name]
            )
            row = cursor.fetchone()
        with _damaged(POSITION, None):
            return int(row["position"]) if row else 0

    def _positions(self) -> dict[str, int]:
        """The read model's position and format in one statement: every query checks both."""
        with self._cursor(commit=False) as cursor:
            cursor.execute(f"SELECT name, position FROM {self._table(POSITION)}")
            rows = cursor.fetchall()
        with _damaged(POSITION, None):
            return {row["name"]: int(row["position"]) for row in rows}

    def _current_format(self) -> bool:
        """Whether the rows were rendered by this release's fold (`read_model_format`)."""
        return self._stored("format") == read_model_format()

    # -- maintenance ---------------------------------------------------------------------

    def catch_up(self, progress: Progress = no_progress) -> int:
        """Bring the read model up to the last recorded event; return how many were new. A
        query (`read_only`) writes nothing: it folds the channels that are behind in memory."""
        try:
            last = self._tables.max_notification_id() or 0
            stored = self._positions()
            position = (
                stored.get("read-model", 0) if stored.get("format") == read_model_format() else -1
            )
        except _no_read_model_yet():
            position = -1  # no read model yet (a ledger from release 0.1.0, or a new one)
        if position >= last:
            self._behind, self._behind_at = {}, None
            return 0
        if not self._read_only:
            return self._catch_up_here(progress)
        if position < 0 and self._migrate(progress):
            self._tables.renew_snapshot()  # begun before the migration wrote the rows
            return last
        self._fold_behind(position, last)
        return 0

    def _migrate(self, progress: Progress) -> bool:
        """Write the read model of a ledger that has none of this release's format (a ledger
        of an older release: its index may be missing too) through `writer`, once; whether
        that was done. When the ledger cannot be written, a ledger whose index is there is
        answered from folds in memory; one without an index cannot be answered."""
        if self._writer is None:
            return False
        try:
            ReadModel(self._writer())._catch_up_here(progress)
            return True
        except ChanceryError as exc:
            if self._has_index():
                return False
            raise ChanceryError(
                f"this ledger was written by an older release and cannot be written ({exc}); "
                "someone with write access must run `chancery reindex` or any query once"
            ) from None

    def _has_index(self) -> bool:
        try:
            self._tables.keys("channels")
        except _no_read_model_yet():
            return False
        return True

    def _fold_behind(self, position: int, last: int) -> None:
        """Fold in memory the channels that the events after `position` touch (every channel
        when the rows are missing or of another format: `position` -1), so that a query
        answers as a caught-up read model would, from the events recorded by `last`."""
        if self._behind_at == (position, last):
            return
        channels = self.ledger.channels()
        if position < 0:
            touched = set(channels)
        else:
            touched = self._channels_touched(position, last) & set(channels)
        self._behind = {slug: self._folded(channels[slug]) for slug in sorted(touched)}
        self._behind_at = (position, last)

    def _folded(self, channel: Channel) -> _Folded:
        """One channel's rows as a catch-up would write them, in memory."""
        from chancery.projections.bitemporal import state_rows

        readings, recorded, sources = self._event_versions(channel.slug)
        return _Folded(state_rows(channel, readings), readings, recorded, sources)

    def _catch_up_here(self, progress: Progress = no_progress) -> int:
        from eventsourcing.persistence import IntegrityError, OperationalError

        self.ledger.upgrade_index()
        if not self._ready:
            self._create_tables()
            self._ready = True
        for _ in range(10):
            start = self.position()
            last = self.ledger.recorder.max_notification_id() or 0
            stale = not self._current_format()  # rows rendered by another release: fold again
            if last <= start and not stale:
                return 0
            dirty = set(self.ledger.index.keys("channels")) if stale else None
            try:
                if dirty is None:
                    dirty = self._channels_touched(start, last)
                self._refold(dirty, start, last, progress, clear=stale)
            except (IntegrityError, OperationalError) as exc:
                problem = classify_database_error(exc)
                if problem is not None and not isinstance(problem, LedgerLockedError):
                    raise problem from None  # a read-only file, a full disk: no race
                # Another process caught up at the same time (SQLite says "locked" at once
                # when a writer committed since this transaction began to read): look again.
                continue
            return last - start
        return 0

    def rebuild(self, progress: Progress = no_progress) -> None:
        """Throw the read model away (its tables too) and fold every channel again from the
        events."""
        self._create_tables(fresh=True)
        self._ready = True
        last = self.ledger.recorder.max_notification_id() or 0
        self._refold(set(self.ledger.index.keys("channels")), 0, last, progress, clear=True)

    def _channels_touched(self, start: int, last: int) -> set[str]:
        """The channels that notifications (start, last] add to or declare. Only the JSON is
        read: decoding every event as a domain object would double the catch-up's cost."""
        from chancery.storage.codec import corrupted_row

        touched: set[str] = set()
        while start < last:
            page = self.ledger.recorder.select_notifications(
                start=start, limit=NOTIFICATION_PAGE, stop=last, inclusive_of_start=False
            )
            if not page:
                break
            for notification in page:
                try:
                    touched.update(_channels_named(notification.topic, notification.state))
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    raise corrupted_row(notification, exc) from None
            start = page[-1].id
        return touched

    def _refold(
        self,
        channels: set[str],
        start: int,
        last: int,
        progress: Progress = no_progress,
        *,
        clear: bool = False,
    ) -> None:
        """Fold `channels` again and move the position from `start` to `last`, in one
        transaction; with `clear`, the whole read model is thrown away first (a rebuild)."""
        from chancery.domain.parties import Channel
        from eventsourcing.persistence import IntegrityError

        declared = {
            slug: Channel.model_validate(record)
            for slug, (_, record) in self.ledger.index.declared("channels", channels).items()
        }
        with self._cursor(commit=True) as cursor:
            if clear:
                for table in (STATES, VERSIONS, CITATIONS, POSITION):
                    cursor.execute(f"DELETE FROM {self._table(table)}")
                self._search.clear(cursor)
                cursor.execute(
                    self._sql(f"INSERT INTO {self._table(POSITION)} VALUES (?, ?)"),
                    ["format", read_model_format()],
                )
                start = 0
            for done, slug in enumerate(sorted(channels), start=1):
                self._write_channel(cursor, declared[slug])
                progress("updating the read model", done, len(channels))
            cursor.execute(
                self._sql(
                    f"UPDATE {self._table(POSITION)} SET position = ? "
                    "WHERE name = ? AND position = ? RETURNING position"
                ),
                [last, "read-model", start],
            )
            if cursor.fetchone() is None:
                if start != 0:
                    raise IntegrityError("the read model moved on under this catch-up")
                cursor.execute(
                    self._sql(f"INSERT INTO {self._table(POSITION)} VALUES (?, ?)"),
                    ["read-model", last],
                )

    def channel_versions(self, slug: str) -> tuple[list[Version], dict[str, datetime]]:
        """The channel's event readings, in valid-time order, and when each event was written,
        from the read model's version rows: one indexed lookup, where folding them from the
        events replays the channel's timeline and looks up every source that dates a reading
        (the catch-up did both when it wrote the rows)."""
        from chancery.projections.knowledge import Version

        self.catch_up()
        if slug in self._behind:
            folded = self._behind[slug]
            return sorted(folded.readings, key=_reading_order), dict(folded.recorded)
        with self._cursor(commit=False) as cursor:
            cursor.execute(
                self._sql(
                    f"SELECT known_from, known_to, recorded_at, entry FROM {self._table(VERSIONS)} "
                    "WHERE channel = ? ORDER BY earliest, latest, id, known_from"
                ),
                [slug],
            )
            rows = cursor.fetchall()
        readings, recorded = [], {}
        for row in rows:
            with _damaged(VERSIONS, slug):
                action, written = _reading(row)
                known_to = date.fromordinal(row["known_to"]) if row["known_to"] < INF else None
                readings.append(Version(action, date.fromordinal(row["known_from"]), known_to))
            if written is not None:
                recorded[action.id] = written
        return readings, recorded

    def _event_versions(
        self, slug: str
    ) -> tuple[list[Version], dict[str, datetime], dict[str, Source]]:
        """The channel's event readings, when each entry was written and the sources they
        cite, folded from its events: what the catch-up writes into the read model, and
        `verify` holds it against."""
        from chancery.domain.actions import cited_sources
        from chancery.projections.knowledge import versions

        timeline = self.ledger.timeline(slug)
        entries = [item.entry for item in timeline]
        recorded = {item.entry.id: item.recorded_at for item in timeline}
        sources = self.sources(cited_sources(entries))
        return versions(entries, sources), recorded, sources

    def sources_page(self, after: int, limit: int) -> list[tuple[int, Source, list[str]]]:
        """Declared sources in declaration order after position `after`, at most `limit`, each
        with the events whose current reading cites it (in valid-time order): `sources` lists
        a ledger of a million sources a page at a time."""
        from chancery.domain.sources import Source

        with self._cursor(commit=False) as cursor:
            cursor.execute(
                self._sql(
                    f"SELECT position, key, record FROM {self._table(DECLARATIONS)} "
                    "WHERE section = ? AND position > ? ORDER BY position LIMIT ?"
                ),
                ["sources", after, limit],
            )
            page = [(row["position"], row["key"], row["record"]) for row in cursor.fetchall()]
        supported: dict[str, list[str]] = {key: [] for _, key, _ in page}
        statement = (
            f"SELECT source, event, channel, earliest, latest FROM {self._table(CITATIONS)} "
            "WHERE source IN ({marks}) ORDER BY source, earliest, latest, event"
        )
        cited = [
            (row["source"], row["earliest"], row["latest"], row["event"])
            for row in self._tables._select_in(statement, list(supported))
            if row["channel"] not in self._behind  # those channels' rows are folded in memory
        ]
        if self._behind:
            cited = sorted(
                cited
                + [
                    (source, earliest, latest, event)
                    for slug, folded in self._behind.items()
                    for source, event, _, earliest, latest in folded.citations(slug)
                    if source in supported
                ]
            )
        for source, _, _, event in cited:
            supported[source].append(event)
        return [
            (position, Source.model_validate_json(record), supported[key])
            for position, key, record in page
        ]

    def sources(self, ids: set[str] | None = None) -> dict[str, Source]:
        """The declared sources (these `ids` of them), read from the index."""
        from chancery.domain.sources import Source

        if ids is None:
            records = self._tables.declarations("sources")
        else:
            records = [record for _, record in self._tables.declared("sources", ids).values()]
        return {record["id"]: Source.model_validate(record) for record in records}

    def _write_channel(self, cursor: Any, channel: Channel) -> None:
        """Bring the channel's rows up to its events: only what one more report changes when
        every stored reading is still there, word for word, and the new readings come after
        everything known (`appended_rows`); else all of them.

        The stored version rows are compared whole (the reading's JSON included), not by their
        (id, known from, known to) key: an amendment that keeps an event's known-from date
        (a correction citing nothing new, a corroboration, a dispute citing same-day sources)
        changes the reading under the same key, and the rows folded from the old reading
        would otherwise stay as they were."""
        from chancery.projections.bitemporal import appended_rows, state_rows

        slug = channel.slug
        all_versions, recorded, sources = self._event_versions(slug)
        fresh = {_version_row(slug, v, recorded): v for v in all_versions}
        stored = self.stored_version_rows(slug, cursor)
        added = [v for row, v in fresh.items() if row not in stored]
        if stored and stored <= fresh.keys():
            open_rows = self._open_rows(cursor, slug)
            change = appended_rows(channel, all_versions, added, open_rows)
            if change is not None:
                ended, partition = change
                kept = set(partition)
                for row in open_rows:
                    if row not in kept:
                        cursor.execute(
                            self._sql(
                                f"DELETE FROM {self._table(STATES)} "
                                "WHERE channel = ? AND known_to = ? AND valid_from = ?"
                            ),
                            [slug, INF, row.valid_from],
                        )
                before = set(open_rows)
                self._insert_states(cursor, slug, ended + [r for r in partition if r not in before])
                self._insert_versions(cursor, slug, added, recorded, sources)
                return
        for table in (STATES, VERSIONS, CITATIONS):
            cursor.execute(self._sql(f"DELETE FROM {self._table(table)} WHERE channel = ?"), [slug])
        self._search.delete_channel(cursor, slug)
        self._insert_states(cursor, slug, state_rows(channel, all_versions))
        self._insert_versions(cursor, slug, all_versions, recorded, sources)

    def stored_version_rows(self, slug: str, cursor: Any = None, *, counted: bool = False) -> Any:
        """The channel's version rows as stored (`_version_row`'s layout): a set, or with
        `counted` a list that keeps duplicates."""
        if cursor is None:
            with self._cursor(commit=False) as reading:
                return self.stored_version_rows(slug, reading, counted=counted)
        cursor.execute(
            self._sql(
                f"SELECT {', '.join(_VERSION_COLUMNS)} FROM {self._table(VERSIONS)} "
                "WHERE channel = ?"
            ),
            [slug],
        )
        rows = [tuple(row[c] for c in _VERSION_COLUMNS) for row in cursor.fetchall()]
        return rows if counted else set(rows)

    def stored_citation_rows(self, slug: str) -> list[CitationRow]:
        """The channel's citation rows as stored (`_citation_rows`' layout), duplicates kept."""
        with self._cursor(commit=False) as cursor:
            cursor.execute(
                self._sql(
                    f"SELECT {', '.join(_CITATION_COLUMNS)} FROM {self._table(CITATIONS)} "
                    "WHERE channel = ?"
                ),
                [slug],
            )
            return [tuple(row[c] for c in _CITATION_COLUMNS) for row in cursor.fetchall()]

    def _open_rows(self, cursor: Any, slug: str) -> list[StateRow]:
        """The channel's rows as known now (known_to INF): a partition of valid time."""
        cursor.execute(
            self._sql(
                "SELECT valid_from, valid_to, known_from, known_to, state, inferable, "
                f"cap_event, cap_from FROM {self._table(STATES)} "
                "WHERE channel = ? AND known_to = ? ORDER BY valid_from"
            ),
            [slug, INF],
        )
        return [_state_row(r) for r in cursor.fetchall()]

    def _insert_states(self, cursor: Any, slug: str, rows: list[StateRow]) -> None:
        cursor.executemany(
            self._sql(f"INSERT INTO {self._table(STATES)} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            [
                (
                    slug,
                    r.valid_from,
                    r.valid_to,
                    r.known_from,
                    r.known_to,
                    r.state,
                    int(r.inferable),
                    r.cap_event,
                    r.cap_from,
                )
                for r in rows
            ],
        )

    def _insert_versions(
        self,
        cursor: Any,
        slug: str,
        versions: list[Version],
        recorded: dict[str, datetime],
        sources: dict[str, Source],
    ) -> None:
        """The readings' rows, which sources each current one cites, and their quotes and
        notes in the full-text index."""
        from chancery.projections.search import search_rows

        marks = ", ".join("?" * len(_VERSION_COLUMNS))
        cursor.executemany(
            self._sql(f"INSERT INTO {self._table(VERSIONS)} VALUES ({marks})"),
            [_version_row(slug, v, recorded) for v in versions],
        )
        cursor.executemany(
            self._sql(f"INSERT INTO {self._table(CITATIONS)} VALUES (?, ?, ?, ?, ?)"),
            _citation_rows(slug, versions),
        )
        self._search.insert(cursor, search_rows(slug, versions, sources))

    # -- queries ---------------------------------------------------------------------------

    def channels(self) -> list[str]:
        """The declared channels' slugs, in declaration order."""
        return self._tables.keys("channels")

    def parties(self) -> list[str]:
        """The declared parties' slugs, in declaration order."""
        return self._tables.keys("parties")

    def sources_near(self, key: str, count: int) -> list[str]:
        """Declared source ids beside `key` in sorted order (see `LedgerIndex.keys_near`)."""
        return self._tables.keys_near("sources", key, count)

    def declares(self, channel: str) -> bool:
        return bool(self._tables.declared("channels", {channel}))

    def channel_slugs(self) -> Iterable[str]:
        """The declared channels' slugs, in declaration order."""
        return self.ledger.index.keys("channels")

    def declarations_after(
        self, section: str, after: int, limit: int
    ) -> list[tuple[int, dict[str, Any]]]:
        """One page of a section's declarations as recorded, each with its position."""
        return self.ledger.index.declarations_after(section, after, limit)

    def has_entries(self) -> bool:
        """Whether any event, correction or retraction is recorded."""
        return self.ledger.index.has_entries()

    def recorded_entries(self, slug: str) -> list[TimelineEntry]:
        """A channel's recorded entries, in recording order."""
        return self.ledger.timeline(slug)

    def channel(self, slug: str) -> Channel:
        """One declared channel, looked up by its key (not by reading every declaration)."""
        from chancery.domain.parties import Channel

        found = self._tables.declared("channels", {slug})
        if slug not in found:
            raise ChanceryError(f"unknown channel '{slug}'")
        return Channel.model_validate(found[slug][1])

    def state(
        self, as_of: date, known_at: date | None = None, channel: str | None = None
    ) -> StateReport:
        """Every channel's state (or one channel's), in declaration order. The rows' JSON is
        validated as one document by pydantic-core, not parsed in Python first (a third of
        the time for every channel of a large ledger)."""
        from chancery.projections.models import StateReport

        found = self._found(as_of, known_at, channel)
        with _damaged(STATES, channel):
            states = ", ".join(_state_json(*row) for row in found)
            known = json.dumps(known_at.isoformat() if known_at else None)
            return StateReport.model_validate_json(
                f'{{"as_of": "{as_of.isoformat()}", "known_at": {known}, "channels": [{states}]}}'
            )

    def state_data(
        self, as_of: date, known_at: date | None = None, channel: str | None = None
    ) -> dict[str, Any]:
        """`state` as its JSON form (`StateReport`), from the stored rows without validating
        them again: the fold rendered each from a validated `ChannelState`. The command line
        prints this, so that a query loads no pydantic model."""
        found = self._found(as_of, known_at, channel)
        with _damaged(STATES, channel):
            states = [_row_state(text, inferable, upcoming) for text, inferable, upcoming in found]
        return {
            "as_of": as_of.isoformat(),
            "known_at": known_at.isoformat() if known_at else None,
            "channels": states,
        }

    def _found(self, as_of: date, known_at: date | None, channel: str | None) -> list[Found]:
        """The row of each channel (or of one) at `as_of` as known at `known_at`: one indexed
        lookup per channel, or one statement for every channel as known now."""
        self.catch_up()
        day, known = as_of.toordinal(), _ordinal(known_at)
        with self._cursor(commit=False) as cursor:
            if channel is None and known_at is None and not self._behind:
                return self._current_states(cursor, day)
            channels = [channel] if channel is not None else self.channels()
            return [
                _row_at(self._behind[slug].rows, day, known)
                if slug in self._behind
                else self._channel_state(cursor, slug, day, known)
                for slug in channels
            ]

    def _current_states(self, cursor: Any, day: int) -> list[Found]:
        """Every channel's state on `day` as known now, in one statement (one round trip to
        PostgreSQL, not one per channel): each channel's open row at `day` is found by the
        index, as is the next cap change that may stand in for an unknown cap."""
        states, declarations = self._table(STATES), self._table(DECLARATIONS)
        nearest = (
            f"SELECT MAX(x.valid_from) FROM {states} x WHERE x.channel = d.key "
            "AND x.known_to = ? AND x.valid_from <= ?"
        )
        upcoming = (
            f"FROM {states} n WHERE n.channel = d.key AND n.known_to = ? AND n.valid_from > ? "
            "AND n.cap_event IS NOT NULL ORDER BY n.valid_from LIMIT 1"
        )
        cursor.execute(
            self._sql(
                "SELECT s.state, s.inferable, "
                f"CASE WHEN s.inferable = 1 THEN (SELECT n.cap_event {upcoming}) END "
                "AS next_event, "
                f"CASE WHEN s.inferable = 1 THEN (SELECT n.cap_from {upcoming}) END AS next_from "
                f"FROM {declarations} d "
                f"JOIN {states} s ON s.channel = d.key AND s.known_to = ? "
                f"AND s.valid_from = ({nearest}) WHERE d.section = ? ORDER BY d.position"
            ),
            [INF, day, INF, day, INF, INF, day, "channels"],
        )
        return [
            (
                row["state"],
                bool(row["inferable"]),
                (row["next_event"], row["next_from"]) if row["next_event"] else None,
            )
            for row in cursor.fetchall()
        ]

    def _channel_state(self, cursor: Any, slug: str, day: int, known: int) -> Found:
        slice_, bound = _known_slice(known)
        cursor.execute(
            self._sql(
                f"SELECT state, inferable FROM {self._table(STATES)} WHERE channel = ? "
                f"AND {slice_} AND known_from <= ? AND valid_from <= ? AND valid_to > ? "
                "ORDER BY valid_from DESC LIMIT 1"
            ),
            [slug, bound, known, day, day],
        )
        row = cursor.fetchone()
        upcoming = self._next_cap(cursor, slug, known, day) if row["inferable"] else None
        return row["state"], bool(row["inferable"]), upcoming

    def _next_cap(self, cursor: Any, slug: str, known: int, day: int) -> CapChange | None:
        """The first staff-cap change after `day` among the rows known at `known`: the one a
        cap no source gives is inferred from (principle 5)."""
        slice_, bound = _known_slice(known)
        cursor.execute(
            self._sql(
                f"SELECT cap_event, cap_from FROM {self._table(STATES)} WHERE channel = ? "
                f"AND {slice_} AND known_from <= ? AND valid_from > ? "
                "AND cap_event IS NOT NULL ORDER BY valid_from LIMIT 1"
            ),
            [slug, bound, known, day],
        )
        found = cursor.fetchone()
        return (found["cap_event"], found["cap_from"]) if found else None

    def rows_between(
        self, slug: str, first: date, last: date, known_at: date | None = None
    ) -> tuple[list[StateRow], CapChange | None]:
        """The channel's rows known at `known_at` that hold on some day from `first` to
        `last`, in valid-time order (they partition valid time), without their states (a
        stored row's `state` is left empty: `row_states` reads those a series lands in), and the
        first staff-cap change after `last`: what a state series walks, one channel in one
        pass. A channel that changes every week has thousands of rows in a range a monthly
        series takes a few hundred steps of: only those are read whole."""
        self.catch_up()
        known, start, end = _ordinal(known_at), first.toordinal(), last.toordinal()
        if slug in self._behind:
            current = [r for r in self._behind[slug].rows if r.known_from <= known < r.known_to]
            held = sorted(
                (r for r in current if r.valid_to > start and r.valid_from <= end),
                key=lambda r: r.valid_from,
            )
            later = [r for r in current if r.valid_from > end and r.cap_event is not None]
            after = min(later, key=lambda r: r.valid_from, default=None)
            return held, (after.cap_event, after.cap_from) if after and after.cap_event else None
        slice_, bound = _known_slice(known)
        states = self._table(STATES)
        with self._cursor(commit=False) as cursor:
            cursor.execute(
                self._sql(
                    "SELECT valid_from, valid_to, known_from, known_to, '' AS state, inferable, "
                    f"cap_event, cap_from FROM {states} WHERE channel = ? AND {slice_} "
                    "AND known_from <= ? AND valid_from <= ? AND valid_from >= "
                    f"(SELECT MAX(valid_from) FROM {states} WHERE channel = ? AND {slice_} "
                    "AND known_from <= ? AND valid_from <= ?) ORDER BY valid_from"
                ),
                [slug, bound, known, end, slug, bound, known, start],
            )
            with _damaged(STATES, slug):
                held = [_state_row(r) for r in cursor.fetchall()]
            return held, self._next_cap(cursor, slug, known, end)

    def row_states(self, slug: str, starts: list[int], known_at: date | None = None) -> list[str]:
        """The states (JSON) of the channel's rows known at `known_at` that begin on these
        valid-time ordinals (as `rows_between` gives them), in the order asked."""
        known = _ordinal(known_at)
        if slug in self._behind:
            found = {
                r.valid_from: r.state
                for r in self._behind[slug].rows
                if r.known_from <= known < r.known_to
            }
        else:
            slice_, bound = _known_slice(known)
            found = {}
            with self._cursor(commit=False) as cursor:
                for first in range(0, len(starts), ROW_CHUNK):
                    chunk = starts[first : first + ROW_CHUNK]
                    cursor.execute(
                        self._sql(
                            f"SELECT valid_from, state FROM {self._table(STATES)} "
                            f"WHERE channel = ? AND {slice_} AND known_from <= ? "
                            f"AND valid_from IN ({', '.join('?' * len(chunk))})"
                        ),
                        [slug, bound, known, *chunk],
                    )
                    found.update((r["valid_from"], r["state"]) for r in cursor.fetchall())
        with _damaged(STATES, slug):
            return [found[start] for start in starts]

    def problems(self) -> list[str]:
        """Where the read model differs from a fresh fold of the events (for `verify`): its
        state rows, its readings (the version rows) and the sources each reading cites.

        The events and the rows are read at different moments, so an import landing between
        them would look like damage: a difference counts only when neither the events nor the
        read model's position moved while the channel was compared (else it is caught up and
        compared again)."""
        try:
            self.catch_up()
        except ChanceryError as exc:
            return [f"the read model cannot be brought up to date: {exc}"]
        found = []
        for slug, channel in self.ledger.channels().items():
            for attempt in range(1, RECHECKS + 1):
                before = self._moment()
                # The channels behind `before` are folded in memory (or none is behind): a
                # channel folded so is behind, not damaged (the next import or `chancery
                # reindex` writes its rows), and any other must equal a fresh fold.
                covered = before[0] == before[1] or self._behind_at == before
                try:
                    differences = [] if slug in self._behind else self._differences(channel)
                except ChanceryError:
                    differences = []  # the domain's verify reports the row that cannot be read
                settled = covered and before == self._moment()
                if not differences or settled or attempt == RECHECKS:
                    break
                try:
                    self.catch_up()
                except ChanceryError as exc:
                    return [f"the read model cannot be brought up to date: {exc}"]
            if differences:
                found.append(
                    f"read model of '{slug}' differs from a fresh fold of its events "
                    f"({'; '.join(differences)}): run `chancery reindex`"
                )
        return found + self._search_problems()

    def _search_problems(self) -> list[str]:
        """Whether the full-text index answers for the rows `problems` compared (SQLite's is
        an index of its own), checked in a transaction that writes nothing, through the
        writable ledger (SQLite runs the check as a write)."""
        from eventsourcing.persistence import PersistenceError

        try:
            ledger = self._writer() if self._writer is not None else self.ledger
            # eventsourcing's SQLite and PostgreSQL recorders have a datastore (see _cursor).
            with ledger.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
                damage = self._search.damaged(cursor)
        except (PersistenceError, ChanceryError):
            return []  # a ledger that cannot be opened for writing: not checked
        if damage is None:
            return []
        return [
            f"the read model's full-text index does not match its rows ({damage}): "
            "run `chancery reindex`"
        ]

    def _moment(self) -> tuple[int, int]:
        """(the read model's position, the last recorded event's)."""
        try:
            position = self.position()
        except _no_read_model_yet():
            position = -1
        return position, self._tables.max_notification_id() or 0

    def _differences(self, channel: Channel) -> list[str]:
        """What the stored rows of `channel` lack or hold beyond a fresh fold, per table."""
        from chancery.projections.bitemporal import state_rows
        from chancery.projections.search import search_rows

        slug = channel.slug
        readings, recorded, sources = self._event_versions(slug)
        with self._cursor(commit=False) as cursor:
            stored_search = self._search.stored(cursor, slug)
        tables: tuple[tuple[str, Counter[Any], Counter[Any]], ...] = (
            ("state", Counter(state_rows(channel, readings)), Counter(self.stored_rows(slug))),
            (
                "reading",
                Counter(_version_row(slug, v, recorded) for v in readings),
                Counter(self.stored_version_rows(slug, counted=True)),
            ),
            (
                "citation",
                Counter(_citation_rows(slug, readings)),
                Counter(self.stored_citation_rows(slug)),
            ),
            ("search", Counter(search_rows(slug, readings, sources)), Counter(stored_search)),
        )
        return [
            f"{sum((stored - fresh).values())} stale and {sum((fresh - stored).values())} "
            f"missing {what} rows"
            for what, fresh, stored in tables
            if fresh != stored
        ]

    def segments(
        self, slug: str, known_at: date | None = None
    ) -> Iterator[tuple[date | None, date | None, ChannelState]]:
        """The channel's states over valid time as known at `known_at`: (start, end exclusive,
        state), None for an open end; the inferred cap of each applied as a query would. The
        rows are read whole (their JSON), their states built one at a time as they are taken,
        so that a channel of thousands of rows is never held as models."""
        self.catch_up()
        known = _ordinal(known_at)
        if slug in self._behind:
            rows: list[Any] = [
                r.__dict__
                for r in sorted(self._behind[slug].rows, key=lambda r: r.valid_from)
                if r.known_to > known and r.known_from <= known
            ]
        else:
            with self._cursor(commit=False) as cursor:
                cursor.execute(
                    self._sql(
                        "SELECT valid_from, valid_to, state, inferable, cap_event, cap_from "
                        f"FROM {self._table(STATES)} WHERE channel = ? AND known_to > ? "
                        "AND known_from <= ? ORDER BY valid_from"
                    ),
                    [slug, known, known],
                )
                rows = cursor.fetchall()
        for row, upcoming in zip(rows, _next_cap_changes(rows), strict=True):
            with _damaged(STATES, slug):
                state = with_inference(json.loads(row["state"]), bool(row["inferable"]), upcoming)
            start = date.fromordinal(row["valid_from"]) if row["valid_from"] > 1 else None
            end = date.fromordinal(row["valid_to"]) if row["valid_to"] < INF else None
            yield start, end, state

    def stored_rows(self, slug: str) -> list[StateRow]:
        """The channel's rows as stored, for `verify` to hold against a fresh fold."""
        with self._cursor(commit=False) as cursor:
            cursor.execute(
                self._sql(
                    "SELECT valid_from, valid_to, known_from, known_to, state, inferable, "
                    f"cap_event, cap_from FROM {self._table(STATES)} WHERE channel = ?"
                ),
                [slug],
            )
            return [_state_row(r) for r in cursor.fetchall()]

    def _matching(
        self, match: EventMatch, known: int, clauses: list[str], params: list[Any]
    ) -> tuple[list[str], list[Any]]:
        """`versions_page`'s conditions and parameters with `match`'s filters added."""
        clauses, params = list(clauses), list(params)
        if match.types is not None:
            clauses.append(f"type IN ({', '.join('?' * len(match.types))})")
            params += sorted(match.types)
        if match.actor is not None:
            clauses.append("actor = ?")
            params.append(match.actor)
        if match.party is not None:
            clauses.append("(actor = ? OR target = ?)")
            params += [match.party, match.party]
        if match.source is not None:
            from chancery.storage.search import SEARCH

            clauses.append(
                f"id IN (SELECT event FROM {self._table(SEARCH)} WHERE source = ? "
                "AND known_to > ? AND known_from <= ?)"
            )
            params += [match.source, known, known]
        return clauses, params

    def search(
        self, terms: list[str], known_at: date | None, channel: str | None, limit: int
    ) -> list[dict[str, Any]]:
        """The best `limit` quotes and notes holding every one of `terms`, in the readings
        known at `known_at` (on `channel`), ranked by the store's full-text index; each row
        with its highlighted text and score (see `SearchIndex.search`). Channels whose rows
        are behind the events are searched in their fold in memory, through an index of the
        same kind, and their hits follow the stored ones."""
        self.catch_up()
        known = _ordinal(known_at)
        behind = [slug for slug in self._behind if channel is None or slug == channel]
        found: list[dict[str, Any]] = []
        if channel is None or channel not in self._behind:
            with self._cursor(commit=False) as cursor:
                found = self._search.search(
                    cursor, terms, known, channel, sorted(self._behind), limit
                )
        if behind and len(found) < limit:
            found += _search_in_memory(
                [self._behind[slug] for slug in behind], behind, terms, known, limit - len(found)
            )
        return found

    def versions_page(
        self,
        *,
        channel: str | None,
        start: date | None,
        end: date | None,
        known_at: date | None,
        after: tuple[int, int, str] | None,
        limit: int,
        match: EventMatch | None = None,
    ) -> list[tuple[Action, str, datetime | None, tuple[int, int, str]]]:
        """One page of event readings known at `known_at`, in valid-time order (keyset paging:
        `after` is the last page's sort key), of those that `match` keeps (its filters are
        conditions of the statement, each found by an index)."""

        known = _ordinal(known_at)
        clauses = ["known_to > ?", "known_from <= ?"]
        params: list[Any] = [known, known]
        if channel is not None:
            clauses.append("channel = ?")
            params.append(channel)
        if match is not None:
            clauses, params = self._matching(match, known, clauses, params)
        if start is not None:
            clauses.append("date_latest >= ?")
            params.append(start.toordinal())
        if end is not None:
            clauses.append("date_earliest <= ?")
            params.append(end.toordinal())
        if after is not None:
            clauses.append(
                "(earliest > ? OR (earliest = ? AND (latest > ? OR (latest = ? AND id > ?))))"
            )
            params += [after[0], after[0], after[1], after[1], after[2]]
        if self._behind:  # their rows are behind: their readings come from the fold in memory
            clauses.append(f"channel NOT IN ({', '.join('?' * len(self._behind))})")
            params += list(self._behind)
        statement = (
            "SELECT id, channel, earliest, latest, recorded_at, entry "
            f"FROM {self._table(VERSIONS)} WHERE {' AND '.join(clauses)} "
            "ORDER BY earliest, latest, id LIMIT ?"
        )
        with self._cursor(commit=False) as cursor:
            cursor.execute(self._sql(statement), [*params, limit])
            rows = cursor.fetchall()
        page = []
        for r in rows:
            with _damaged(VERSIONS, r["channel"]):
                action, recorded = _reading(r)
            page.append((action, r["channel"], recorded, (r["earliest"], r["latest"], r["id"])))
        if not self._behind:
            return page
        # The readings of the channels behind, merged in: up to the stored page's last key
        # when that page is full (the next page goes on from there), else all that are left.
        merged = page + [
            (v.action, slug, folded.recorded.get(v.action.id), _page_key(v))
            for slug, folded in self._behind.items()
            if channel is None or slug == channel
            for v in folded.readings
            if _listed(v, known, start, end, after) and (match is None or match.keeps(v.action))
        ]
        merged.sort(key=lambda item: item[3])
        if len(page) == limit:
            merged = [item for item in merged if item[3] <= page[-1][3]]
        return merged


def _search_in_memory(
    folded: list[_Folded], slugs: list[str], terms: list[str], known: int, limit: int
) -> list[dict[str, Any]]:
    """`SearchIndex.search` over channels folded in memory, in a SQLite index of their own."""
    from chancery.projections.search import search_rows

    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    try:
        index = SearchIndex(LedgerIndex())
        cursor = connection.cursor()
        index.create(cursor)
        for slug, channel in zip(slugs, folded, strict=True):
            index.insert(cursor, search_rows(slug, channel.readings, channel.sources))
        return index.search(cursor, terms, known, None, [], limit)
    finally:
        connection.close()


def _channels_named(topic: str, state: bytes) -> list[str]:
    """The channel an event adds to or declares, from its stored JSON."""
    if ":ChannelTimeline." in topic and not topic.endswith(".Opened"):
        entry = json.loads(state)["entry"]
        return [entry["replacement"]["channel"] if "replacement" in entry else entry["channel"]]
    if topic.endswith(":Declaration.Declared"):
        declared = json.loads(state)
        return [declared["key"]] if declared["section"] == "channels" else []
    if topic.endswith(":Catalog.ChannelDeclared"):
        return [json.loads(state)["channel"]["slug"]]
    return []


VersionRow = tuple[Any, ...]
CitationRow = tuple[Any, ...]
_VERSION_COLUMNS = (
    "id",
    "channel",
    "known_from",
    "known_to",
    "earliest",
    "latest",
    "date_earliest",
    "date_latest",
    "recorded_at",
    "entry",
    "type",
    "actor",
    "target",
)
_CITATION_COLUMNS = ("source", "event", "channel", "earliest", "latest")


def _version_row(slug: str, version: Version, recorded: dict[str, datetime]) -> VersionRow:
    """A reading as the versions table stores it (the columns of `_VERSION_COLUMNS`)."""
    action = version.action
    return (
        action.id,
        slug,
        version.known_from.toordinal(),
        version.known_to.toordinal() if version.known_to else INF,
        action.takes_effect.earliest.toordinal(),
        action.takes_effect.latest.toordinal(),
        action.date.earliest.toordinal(),
        action.date.latest.toordinal(),
        recorded[action.id].isoformat() if action.id in recorded else "",
        action.model_dump_json(),
        action.type,
        action.actor,
        action.target,
    )


def _citation_rows(slug: str, versions: list[Version]) -> list[CitationRow]:
    """The sources each current reading cites, as the citations table stores them, sorted."""
    return sorted(
        (
            source,
            v.action.id,
            slug,
            v.action.takes_effect.earliest.toordinal(),
            v.action.takes_effect.latest.toordinal(),
        )
        for v in versions
        if v.known_to is None
        for source in dict.fromkeys(c.source for c in v.action.all_citations())
    )


@dataclass
class _Folded:
    """A channel's read-model rows folded in memory (its stored rows are behind)."""

    rows: list[StateRow]
    readings: list[Version]
    recorded: dict[str, datetime]
    sources: dict[str, Source]

    def citations(self, slug: str) -> list[CitationRow]:
        return _citation_rows(slug, self.readings)


def _reading_order(version: Version) -> tuple[int, int, str, int]:
    """The order of the versions table's channel lookup: valid time, id, known from."""
    action = version.action
    return (
        action.takes_effect.earliest.toordinal(),
        action.takes_effect.latest.toordinal(),
        action.id,
        version.known_from.toordinal(),
    )


def _page_key(version: Version) -> tuple[int, int, str]:
    """A reading's key in `versions_page`'s order."""
    action = version.action
    return (
        action.takes_effect.earliest.toordinal(),
        action.takes_effect.latest.toordinal(),
        action.id,
    )


def _listed(
    version: Version,
    known: int,
    start: date | None,
    end: date | None,
    after: tuple[int, int, str] | None,
) -> bool:
    """`versions_page`'s filter, for a reading folded in memory."""
    known_to = version.known_to.toordinal() if version.known_to else INF
    said = version.action.date
    return (
        version.known_from.toordinal() <= known < known_to
        and (start is None or said.latest >= start)
        and (end is None or said.earliest <= end)
        and (after is None or _page_key(version) > after)
    )


def _known_slice(known: int) -> tuple[str, int]:
    """The condition on `known_to` that selects the rows known at `known` (with `known_from
    <= known`), and its parameter. What is known now lives in the rows still open (known_to =
    INF): an equality there lets the index, sorted by valid_from, find a row at a date in one
    step back from it."""
    return ("known_to = ?", INF) if known == INF - 1 else ("known_to > ?", known)


def _row_at(rows: list[StateRow], day: int, known: int) -> Found:
    """`_channel_state`'s lookup over rows in memory: the row at `day` as known at `known`,
    and the next cap change that its cap may be inferred from."""
    current = [r for r in rows if r.known_from <= known < r.known_to]
    row = max((r for r in current if r.valid_from <= day < r.valid_to), key=lambda r: r.valid_from)
    upcoming = None
    if row.inferable:
        later = [r for r in current if r.valid_from > day and r.cap_event is not None]
        first = min(later, key=lambda r: r.valid_from, default=None)
        if first is not None and first.cap_event is not None:
            upcoming = (first.cap_event, first.cap_from)
    return row.state, row.inferable, upcoming


def _reading(row: Any) -> tuple[Action, datetime | None]:
    """A version row's reading and when its event was written."""
    from chancery.domain.actions import ACTION_TYPES

    data = json.loads(row["entry"])
    action = ACTION_TYPES[data["type"]].model_validate(data)
    return action, datetime.fromisoformat(row["recorded_at"]) if row["recorded_at"] else None


def _row_state(text: str, inferable: bool, upcoming: CapChange | None) -> dict[str, Any]:
    """A state row's JSON form with its inferred cap; a row that is no JSON object fails."""
    state = json.loads(text)
    if not isinstance(state, dict) or not isinstance(state.get("facts"), dict):
        raise ValueError("its state is not a rendered channel state")
    return inferred(state, inferable, upcoming)


@contextmanager
def _damaged(table: str, channel: str | None) -> Iterator[None]:
    """A read-model row that cannot be read (altered outside Chancery) stops the query with
    one line naming the table and the channel, and the cure; never a traceback."""
    try:
        yield
    except (ValueError, KeyError, TypeError, OverflowError, AttributeError) as exc:
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        where = f" of channel '{channel}'" if channel else ""
        raise ChanceryError(
            f"a row{where} in the read model's table {table} cannot be read ({reason}); it "
            "was altered outside Chancery: run `chancery reindex` to rebuild it from the events"
        ) from None


def _state_row(r: Any) -> StateRow:
    return StateRow(
        r["valid_from"],
        r["valid_to"],
        r["known_from"],
        r["known_to"],
        r["state"],
        bool(r["inferable"]),
        r["cap_event"],
        r["cap_from"],
    )
