"""Where the ledger lives. The choice of store is made here and nowhere else.

A location is a SQLite file path (or `sqlite:///path`) or a PostgreSQL URL
(`postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?schema=NAME]`), which selects eventsourcing's
psycopg 3 persistence so that a team can share one ledger.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import platformdirs
import psycopg
from psycopg import sql

from domain.errors import LedgerUnavailableError
from domain.ledger import Ledger

ENV_VAR = "CHANCERY_DB"
POSTGRES_SCHEMES = ("postgresql", "postgres")
EVENTS_TABLE = f"{Ledger.name}_events"


def default_location() -> Path:
    """The user's own ledger, in the platform's data directory."""
    return Path(platformdirs.user_data_dir("chancery", appauthor=False)) / "ledger.sqlite"


def configured_location(option: str | None) -> tuple[str, bool]:
    """The ledger named by --db, else CHANCERY_DB, else the default; and whether it is default."""
    named = option or os.environ.get(ENV_VAR)
    if named:
        return named, False
    return str(default_location()), True


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
        env = _sqlite_env(sqlite_path(location), create=create)
    elif location.split("://", 1)[0] in POSTGRES_SCHEMES:
        env = _postgres_env(location, create=create)
    else:
        scheme = location.split("://", 1)[0]
        raise LedgerUnavailableError(
            f"unsupported ledger URL scheme '{scheme}://' in '{location}': use a SQLite file "
            "path or postgresql://USER@HOST:PORT/DBNAME"
        )
    try:
        return Ledger(env=env)
    except (sqlite3.Error, psycopg.Error, OSError) as exc:
        raise LedgerUnavailableError(f"cannot open ledger '{location}': {exc}") from None


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
    if not os.access(path if path.exists() else path.parent, os.W_OK):
        raise LedgerUnavailableError(
            f"ledger '{path}' is not writable by this user (permission denied)"
        )
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def _postgres_env(location: str, *, create: bool) -> dict[str, str]:
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
    user = unquote(url.username) if url.username else getpass.getuser()
    password = unquote(url.password) if url.password else ""
    _prepare_postgres(url.hostname, port, dbname, user, password, schema, shown, create)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": url.hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": user,
        "POSTGRES_PASSWORD": password,
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_POOL_SIZE": "2",
    }


def _prepare_postgres(
    host: str,
    port: int,
    dbname: str,
    user: str,
    password: str,
    schema: str,
    shown: str,
    create: bool,
) -> None:
    """Reach the server once with a short timeout, so a wrong URL fails fast and clearly, and
    create the schema a ledger is asked to live in (eventsourcing creates only the tables)."""
    try:
        with psycopg.connect(
            host=host,
            port=port,
            dbname=dbname,
            user=user,
            password=password,
            connect_timeout=5,
            autocommit=True,
        ) as conn:
            exists = conn.execute(
                "SELECT to_regclass(%s) IS NOT NULL", (f'"{schema}".{EVENTS_TABLE}',)
            ).fetchone()
            if exists and exists[0]:
                return
            if not create:
                raise LedgerUnavailableError(
                    f"no ledger in '{shown}' (schema '{schema}' has no {EVENTS_TABLE} table): "
                    "import data into it first"
                )
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    except psycopg.Error as exc:
        reason = " ".join(line.strip() for line in str(exc).splitlines()) or type(exc).__name__
        raise LedgerUnavailableError(
            f"cannot reach PostgreSQL ledger '{shown}': {reason}"
        ) from None


def _redact(location: str) -> str:
    """The URL without its password, for messages."""
    try:
        url = urlsplit(location)
        if url.password:
            return location.replace(f":{url.password}@", ":***@", 1)
    except ValueError:
        pass
    return location
