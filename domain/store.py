"""Where the ledger lives. The choice of store is made here and nowhere else.

A location is a SQLite file path (or `sqlite:///path`) or a PostgreSQL URL
(`postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?schema=NAME]`), which selects eventsourcing's
psycopg 3 persistence so that a team can share one ledger.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from contextlib import suppress
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import platformdirs
import psycopg
from chancery.domain.errors import LedgerUnavailableError
from chancery.domain.ledger import Ledger
from chancery.domain.recorders import POSTGRES_RECORDER_TOPIC, SQLITE_RECORDER_TOPIC
from eventsourcing.persistence import PersistenceError
from psycopg import sql

ENV_VAR = "CHANCERY_DB"
POSTGRES_SCHEMES = ("postgresql", "postgres")
EVENTS_TABLE = f"{Ledger.name}_events"


def default_location() -> Path:
    """The user's own ledger, in the platform's data directory."""
    return Path(platformdirs.user_data_dir("chancery", appauthor=False)) / "ledger.sqlite"


def configured_location(option: str | None) -> tuple[str, bool]:
    """The ledger named by --db, else CHANCERY_DB, else the default; and whether it is default."""
    if option is not None and not option.strip():
        raise LedgerUnavailableError(
            "--db: the ledger location is empty (an unset shell variable?); give a SQLite path "
            "or a postgresql:// URL"
        )
    named = option or os.environ.get(ENV_VAR, "").strip()
    if named:
        return named, False
    return str(default_location()), True


def remove_new_sqlite_ledger(path: Path) -> None:
    """Remove a SQLite ledger file and its journal files, after a failed first import."""
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        with suppress(OSError):
            leftover.unlink(missing_ok=True)


def is_sqlite(location: str) -> bool:
    return "://" not in location or location.startswith("sqlite:///")


def sqlite_path(location: str) -> Path:
    return Path(location.removeprefix("sqlite:///")).expanduser()


def open_ledger(location: str, *, create: bool) -> Ledger:
    """Open the ledger at `location`.

    With create=False a missing ledger is an error rather than a new empty one: a query on a
    mistyped path must not silently answer "nothing is known".
    """
    if is_sqlite(location):
        return _construct(location, _sqlite_env(sqlite_path(location), create=create))
    if location.split("://", 1)[0] in POSTGRES_SCHEMES:
        return _open_postgres(location, create=create)
    scheme = location.split("://", 1)[0]
    raise LedgerUnavailableError(
        f"unsupported ledger URL scheme '{scheme}://' in '{location}': use a SQLite file "
        "path or postgresql://USER@HOST:PORT/DBNAME"
    )


def _construct(location: str, env: dict[str, str]) -> Ledger:
    try:
        return Ledger(env=env)
    except (sqlite3.Error, psycopg.Error, PersistenceError, OSError) as exc:
        raise LedgerUnavailableError(f"cannot open ledger '{_redact(location)}': {exc}") from None


def _sqlite_env(path: Path, *, create: bool) -> dict[str, str]:
    if path.is_dir():
        raise LedgerUnavailableError(f"ledger path '{path}' is a directory, not a SQLite file")
    if not path.exists():
        if not create:
            raise LedgerUnavailableError(
                f"no ledger at '{path}': import data into it first "
                f"(chancery import --db {path} FILE, or --bundled)"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerUnavailableError(
                f"cannot create ledger directory '{path.parent}': {exc.strerror}"
            ) from None
    if create and not os.access(path if path.exists() else path.parent, os.W_OK):
        raise LedgerUnavailableError(
            f"ledger '{path}' is not writable by this user (permission denied)"
        )
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER_TOPIC,
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def _open_postgres(location: str, *, create: bool) -> Ledger:
    shown = _redact(location)
    try:
        url = urlsplit(location)
        port = url.port or 5432
    except ValueError as exc:
        raise LedgerUnavailableError(f"malformed PostgreSQL URL '{shown}': {exc}") from None
    dbname = unquote(url.path.lstrip("/"))
    if not url.hostname or not dbname or "/" in dbname:
        raise LedgerUnavailableError(
            f"malformed PostgreSQL URL '{shown}': expected postgresql://USER@HOST:PORT/DBNAME"
        )
    query = parse_qs(url.query)
    unknown = set(query) - {"schema"}
    if unknown:
        raise LedgerUnavailableError(
            f"PostgreSQL URL '{shown}': unknown parameter(s) {', '.join(sorted(unknown))} "
            "(only 'schema' is understood)"
        )
    schema = query.get("schema", ["public"])[0]
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER_TOPIC,
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": url.hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(url.username) if url.username else getpass.getuser(),
        "POSTGRES_PASSWORD": unquote(url.password) if url.password else "",
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_POOL_SIZE": "2",
        "POSTGRES_LOCK_TIMEOUT": "30",
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
    }
    try:
        with psycopg.connect(
            host=url.hostname,
            port=port,
            dbname=dbname,
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"],
            connect_timeout=5,
            autocommit=True,
        ) as conn:
            if not _has_ledger(conn, schema):
                if not create:
                    raise LedgerUnavailableError(
                        f"no ledger in '{shown}' (schema '{schema}' has no {EVENTS_TABLE} "
                        "table): import data into it first"
                    )
                # Concurrent CREATE TABLE IF NOT EXISTS races in PostgreSQL's catalog: one
                # writer creates the schema and tables while the others wait on this lock.
                conn.execute("SELECT pg_advisory_lock(%s)", (_CREATE_LOCK,))
                if not _has_ledger(conn, schema):
                    schema_id = sql.Identifier(schema)
                    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema_id))
                    return _construct(location, env)
            return _construct(location, {**env, "CREATE_TABLE": "false"})
    except psycopg.Error as exc:
        reason = " ".join(line.strip() for line in str(exc).splitlines()) or type(exc).__name__
        raise LedgerUnavailableError(
            f"cannot reach PostgreSQL ledger '{shown}': {reason}"
        ) from None


_CREATE_LOCK = 0x43484E43  # "CHNC": an advisory lock key of Chancery's own


def _has_ledger(conn: psycopg.Connection, schema: str) -> bool:
    row = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (f'"{schema}".{EVENTS_TABLE}',)
    ).fetchone()
    return bool(row and row[0])


def _redact(location: str) -> str:
    """The URL without its password, for messages."""
    try:
        url = urlsplit(location)
        if url.password:
            return location.replace(f":{url.password}@", ":***@", 1)
    except ValueError:
        pass
    return location
