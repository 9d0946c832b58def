"""The read model's full-text index: its tables and SQL, on SQLite (FTS5) and PostgreSQL
(a tsvector column with a GIN index).

The rows (`projections.search.SearchRow`) are written by the read model's catch-up in the same
transaction as the readings they come from, dropped with them, and rebuilt by `reindex`. A
query's words are bound as parameters, never spliced into SQL: on SQLite each word is one
quoted FTS5 string (so no character is FTS5 syntax), on PostgreSQL the words go through
`plainto_tsquery`, which reads no operators at all.

Both stores stem English words (FTS5's porter tokenizer; PostgreSQL's `english` configuration),
so "officer" finds "officers". PostgreSQL also drops English stop words ("the", "of"): a query
of stop words alone finds nothing there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chancery.storage.index import LedgerIndex

if TYPE_CHECKING:  # loaded by a search or a catch-up, not by every query
    from chancery.projections.search import SearchRow

SEARCH = "chancery_search"
"""The index rows: what each quote or note is, and its text."""
SEARCH_TEXT = "chancery_search_text"
"""SQLite only: the FTS5 index over `SEARCH`'s text and outlet (an external-content table, so
each text is stored once)."""
NOT_CHECKED = frozenset({5, 6, 8})
"""SQLite's SQLITE_BUSY, SQLITE_LOCKED and SQLITE_READONLY: the check could not run (a
read-only ledger, or an import held the write lock past the timeout); it says nothing of the
index."""
TEXT_WEIGHT, OUTLET_WEIGHT = 10.0, 1.0
"""How much a word in the quote or note counts against one in the outlet's name."""

_ROW_COLUMNS = (
    "event TEXT NOT NULL, channel TEXT NOT NULL, known_from INTEGER NOT NULL, "
    "known_to INTEGER NOT NULL, type TEXT NOT NULL, date TEXT NOT NULL, "
    "earliest INTEGER NOT NULL, source TEXT, outlet TEXT, published TEXT, text TEXT NOT NULL"
)
_SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
_POSTGRES_DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, text), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(outlet, '')), 'C')"
)
_POSTGRES_QUERY = "plainto_tsquery('english'::regconfig, ?)"
_INDEXES = {
    f"{SEARCH}_channel": "(channel)",
    f"{SEARCH}_source": "(source, known_to, known_from)",
}


def layout() -> list[str]:
    """The index's definition on both stores: part of the read model's format, so a change to
    it has every ledger's read model folded again."""
    return [_ROW_COLUMNS, _SQLITE_TOKENIZER, _POSTGRES_DOCUMENT, _POSTGRES_QUERY, str(_INDEXES)]


class SearchIndex:
    """The full-text index of one ledger, through its index's connection (`tables`)."""

    def __init__(self, tables: LedgerIndex) -> None:
        self._tables = tables
        self._sql = tables._sql
        self._rows = tables._table(SEARCH)
        self._postgres = tables.dialect == "postgresql"
        self._text = tables._table(SEARCH_TEXT)

    def create(self, cursor: Any) -> None:
        if self._postgres:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._rows} ({_ROW_COLUMNS}, document tsvector "
                f"GENERATED ALWAYS AS ({_POSTGRES_DOCUMENT}) STORED)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {SEARCH}_document ON {self._rows} USING GIN (document)"
            )
        else:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._rows} (id INTEGER PRIMARY KEY, {_ROW_COLUMNS})"
            )
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self._text} USING fts5(text, outlet, "
                f"content='{SEARCH}', content_rowid='id', tokenize='{_SQLITE_TOKENIZER}')"
            )
        for name, columns in _INDEXES.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {self._rows} {columns}")

    def drop(self, cursor: Any) -> None:
        """Drop the index's tables (a read model of another layout, to be made again)."""
        if not self._postgres:
            cursor.execute(f"DROP TABLE IF EXISTS {self._text}")
        cursor.execute(f"DROP TABLE IF EXISTS {self._rows}")

    def insert(self, cursor: Any, rows: list[SearchRow]) -> None:
        from chancery.projections.search import SEARCH_COLUMNS

        if not rows:
            return
        marks = ", ".join("?" * len(SEARCH_COLUMNS))
        statement = f"INSERT INTO {self._rows} ({', '.join(SEARCH_COLUMNS)}) VALUES ({marks})"
        if self._postgres:
            cursor.executemany(self._sql(statement), rows)
            return
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) AS last FROM {self._rows}")
        last = cursor.fetchone()["last"]
        cursor.executemany(statement, rows)
        cursor.execute(
            f"INSERT INTO {self._text} (rowid, text, outlet) "
            f"SELECT id, text, outlet FROM {self._rows} WHERE id > ?",
            [last],
        )

    def delete_channel(self, cursor: Any, slug: str) -> None:
        if not self._postgres:  # an external-content index forgets a row given its old text
            cursor.execute(
                f"INSERT INTO {self._text} ({SEARCH_TEXT}, rowid, text, outlet) "
                f"SELECT 'delete', id, text, outlet FROM {self._rows} WHERE channel = ?",
                [slug],
            )
        cursor.execute(self._sql(f"DELETE FROM {self._rows} WHERE channel = ?"), [slug])

    def clear(self, cursor: Any) -> None:
        cursor.execute(f"DELETE FROM {self._rows}")
        if not self._postgres:
            cursor.execute(f"INSERT INTO {self._text} ({SEARCH_TEXT}) VALUES ('delete-all')")

    def damaged(self, cursor: Any) -> str | None:
        """Why the full-text index does not answer for its rows, or None. Only SQLite keeps
        a separate index to check (FTS5's own integrity check, against the rows' text); its
        statement needs a writable connection and the write lock, so a read-only ledger, or
        one an import holds past the lock timeout, is not checked."""
        if self._postgres:
            return None
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [self._rows])
        if cursor.fetchone() is None:
            return None  # no read model written yet (a first import cut short): no index either
        try:
            cursor.execute(
                f"INSERT INTO {self._text} ({SEARCH_TEXT}, rank) VALUES ('integrity-check', 1)"
            )
        except Exception as exc:  # the driver's error, or eventsourcing's around it
            code = getattr(exc.__cause__ or exc, "sqlite_errorcode", None)
            if code is None or code & 0xFF in NOT_CHECKED:
                raise
            return " ".join(str(exc).split())
        return None

    def stored(self, cursor: Any, slug: str) -> list[SearchRow]:
        """The channel's rows as stored, duplicates kept (for `verify`)."""
        from chancery.projections.search import SEARCH_COLUMNS, SearchRow

        cursor.execute(
            self._sql(f"SELECT {', '.join(SEARCH_COLUMNS)} FROM {self._rows} WHERE channel = ?"),
            [slug],
        )
        return [SearchRow(*(row[c] for c in SEARCH_COLUMNS)) for row in cursor.fetchall()]

    def search(
        self,
        cursor: Any,
        terms: list[str],
        known: int,
        channel: str | None,
        skipped: list[str],
        limit: int,
    ) -> list[dict[str, Any]]:
        """The best `limit` rows holding every term, known at `known` (an ordinal), on
        `channel` (or any but the `skipped` ones), each with its text highlighted
        (MARK_START/MARK_END around the matched words) and its score (higher is better)."""
        from chancery.projections.search import MARK_END, MARK_START

        clauses = ["s.known_to > ?", "s.known_from <= ?"]
        params: list[Any] = [known, known]
        if channel is not None:
            clauses.append("s.channel = ?")
            params.append(channel)
        if skipped:
            clauses.append(f"s.channel NOT IN ({', '.join('?' * len(skipped))})")
            params += skipped
        where = " AND ".join(clauses)
        order = "score DESC, {0}earliest, {0}event, {0}source, {0}text"
        wanted = "s.event, s.channel, s.type, s.date, s.earliest, s.source, s.outlet, s.published"
        if self._postgres:
            statement = (
                f"SELECT {wanted.replace('s.', 'h.')}, h.text, h.score, ts_headline("
                f"'english'::regconfig, h.text, h.q, ?) AS highlighted FROM (SELECT {wanted}, "
                f"s.text, q, ts_rank(s.document, q) AS score FROM {self._rows} s, "
                f"{_POSTGRES_QUERY} AS q WHERE s.document @@ q AND {where} "
                f"ORDER BY {order.format('s.')} LIMIT ?) h ORDER BY {order.format('h.')}"
            )
            options = f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"
            arguments = [options, " ".join(terms), *params, limit]
        else:
            statement = (
                f"SELECT {wanted}, s.text, -bm25({self._text}, {TEXT_WEIGHT}, {OUTLET_WEIGHT}) "
                f"AS score, highlight({self._text}, 0, ?, ?) AS highlighted "
                f"FROM {self._text} JOIN {self._rows} s ON s.id = {self._text}.rowid "
                f"WHERE {self._text} MATCH ? AND {where} ORDER BY {order.format('s.')} LIMIT ?"
            )
            expression = " ".join(f'"{term}"' for term in terms)
            arguments = [MARK_START, MARK_END, expression, *params, limit]
        cursor.execute(self._sql(statement), arguments)
        return [dict(row) for row in cursor.fetchall()]
