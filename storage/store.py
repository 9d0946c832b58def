"""Where the ledger lives, and how it is opened. The choice of store is made here and nowhere else.

A location is a SQLite file path (or `sqlite:///path`) or a PostgreSQL URL
(`postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?schema=NAME]`), which selects eventsourcing's
psycopg 3 persistence so that a team can share one ledger.

Rules this module enforces (the README's "Reliability" section says the same to users):

- Settings come from Chancery's options only: eventsourcing's habit of reading its settings
  (`PERSISTENCE_MODULE`, `SQLITE_DBNAME`, `CHANCERY_SQLITE_DBNAME`, `COMPRESSOR_TOPIC`,
  `CIPHER_TOPIC`, ...) from `os.environ` is switched off (`_ChanceryLedger.construct_env`).
- A ledger is a database holding Chancery's events table (`stored_events` in SQLite,
  `chancery_events` in the PostgreSQL schema). Anything else (an empty file, another
  application's database, a FIFO, a device) is refused, for queries and imports alike.
- Queries never write: a SQLite ledger is opened read-only (`mode=ro`), no table is created.
- A new SQLite ledger is written to a temporary file beside it and published with `link(2)`
  (which never replaces an existing file) only once its first import committed; so a failed
  or killed first import leaves nothing at the path, and never removes another process's
  ledger. A failed first import into PostgreSQL drops the schema or tables it created, under
  an exclusive lock, if they still hold no events.
"""

from __future__ import annotations

import errno
import getpass
import os
import re
import secrets
import sqlite3
import stat
import time
from collections.abc import Callable, Mapping
from contextlib import closing, suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qs, quote, unquote, urlsplit

import platformdirs
from chancery.domain.errors import (
    ChanceryError,
    LedgerUnavailableError,
    NoLedgerError,
    classify_database_error,
    database_errors,
    redact_text,
)
from chancery.storage.reader import (
    EVENTS_TABLE,
    SQLITE_EVENTS_TABLE,
    PostgresReader,
    SQLiteReader,
)

if TYPE_CHECKING:  # psycopg only for postgresql:// ledgers; the application only to write
    import psycopg
    from chancery.storage.ledger import Ledger

ENV_VAR = "CHANCERY_DB"
POSTGRES_SCHEMES = ("postgresql", "postgres")

LOCK_TIMEOUT_SECONDS = 10
"""How long a write waits for another process's lock (SQLite's busy timeout, PostgreSQL's
lock_timeout) before giving up with "the ledger is locked by another process"."""

_SQLITE_HEADER = b"SQLite format 3\x00"
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_$]*\Z")
_MAX_IDENTIFIER_BYTES = 63

T = TypeVar("T")


@cache
def _ledger_class() -> type[Ledger]:
    """The ledger application configured from Chancery's options only; defined on first use,
    so that a query, which reads through a `SQLiteReader`, never loads eventsourcing."""
    from chancery.storage.ledger import Ledger
    from eventsourcing.utils import Environment, EnvType

    class _ChanceryLedger(Ledger):
        """eventsourcing's Application.construct_env merges os.environ under the settings it
        is given, and prefers `CHANCERY_<KEY>` to `<KEY>`; so `CHANCERY_SQLITE_DBNAME` would
        send an import elsewhere, `COMPRESSOR_TOPIC` would compress the rows and `CIPHER_TOPIC`
        encrypt them. Here the environment is the class defaults plus what store.py passes,
        nothing else."""

        name = Ledger.name

        def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
            settings = dict(type(self).env)
            if type(self).is_snapshotting_enabled or type(self).snapshotting_intervals:
                settings["IS_SNAPSHOTTING_ENABLED"] = "y"
            settings.update(env or {})
            return Environment(name, settings)

    return _ChanceryLedger


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


def is_sqlite(location: str) -> bool:
    return "://" not in location or location.startswith("sqlite:///")


def sqlite_path(location: str) -> Path:
    try:
        return Path(location.removeprefix("sqlite:///")).expanduser()
    except (RuntimeError, KeyError):
        return Path(location.removeprefix("sqlite:///"))


def redact(location: str) -> str:
    """The location without its password, for messages. Everything between `USER:` and the
    last `@` is hidden, even in a URL too malformed to parse."""
    head, separator, rest = location.partition("://")
    if separator and "@" in rest:
        userinfo, _, after = rest.rpartition("@")
        if ":" in userinfo:
            location = f"{head}://{userinfo.split(':', 1)[0]}:***@{after}"
    secrets_: list[str] = []
    with suppress(ValueError):
        password = urlsplit(location).password
        if password:
            secrets_ += [password, unquote(password)]
    return redact_text(location, *secrets_)


_redact = redact  # the name earlier releases used


def open_ledger(location: str, *, create: bool) -> Ledger:
    """Open the ledger at `location`.

    With create=False (queries) the ledger must exist and is opened without writing anything:
    a query on a mistyped path must not silently answer "nothing is known", and must not turn
    another application's database into an empty ledger. With create=True a missing ledger is
    created in place; the command line uses `write_ledger` instead, which publishes a new
    ledger only once its first import committed.
    """
    if is_sqlite(location):
        path = _sqlite_target(location, create=create)
        if _exists(path):
            read_mode = _check_sqlite_ledger(path)
            return _open_sqlite(location, path, "rw" if create else read_mode, create_table=False)
        if not create:
            raise _no_sqlite_ledger(path)
        _make_parents(path.parent)
        return _open_sqlite(location, path, "rwc", create_table=True)
    ledger, created = _open_postgres(location, create=create)
    if created is not None:
        created.release()
    return ledger


def open_to_plan(location: str, scratch: Path) -> Ledger:
    """The ledger at `location` opened for a dry run, which plans inside a write transaction
    that it rolls back: writable, or a copy in the folder `scratch` when this user may only
    read the SQLite file or its folder; an empty ledger in `scratch` when none exists yet.
    Either way the ledger at `location` is left as it was."""
    try:
        open_ledger(location, create=False).close()
    except NoLedgerError:  # nothing recorded yet: plan on an empty ledger
        return open_ledger(str(scratch / "empty.sqlite"), create=True)
    if not is_sqlite(location):
        return open_ledger(location, create=True)
    path = _sqlite_target(location, create=False)
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return open_ledger(location, create=True)
    copy = scratch / "copy.sqlite"
    with (
        closing(sqlite3.connect(_sqlite_uri(path, _check_sqlite_ledger(path)), uri=True)) as read,
        closing(sqlite3.connect(copy)) as written,
    ):
        read.backup(written)
    return open_ledger(str(copy), create=True)


def open_reader(location: str) -> SQLiteReader | PostgresReader:
    """Open the ledger at `location` for a query: read-only, refusing what
    `open_ledger(location, create=False)` refuses, through a plain connection rather than the
    eventsourcing application (see `reader.py`)."""
    if not is_sqlite(location):
        return _postgres_reader(location)
    path = _sqlite_target(location, create=False)
    if not _exists(path):
        raise _no_sqlite_ledger(path)
    mode = _check_sqlite_ledger(path)
    try:
        return SQLiteReader(_sqlite_uri(path, mode), LOCK_TIMEOUT_SECONDS)
    except sqlite3.Error as exc:
        problem = classify_database_error(exc)
        raise LedgerUnavailableError(f"cannot open ledger '{path}': {problem or exc}") from None


def _no_sqlite_ledger(path: Path) -> NoLedgerError:
    return NoLedgerError(
        f"no ledger at '{path}': import data into it first "
        f"(chancery import --db {path} FILE, or --bundled)"
    )


def write_ledger(location: str, write: Callable[[Ledger], T]) -> tuple[Ledger, T]:
    """Open the ledger at `location` for writing, creating it if new, and run `write` on it.

    A new ledger is created only if `write` succeeds: a new SQLite ledger is built in a
    temporary file beside the path and linked into place afterwards (if another process
    created the ledger meanwhile, `write` runs again on that one); a new PostgreSQL schema or
    table that `write` failed to fill is dropped again. Returns the open ledger and what
    `write` returned.
    """
    if not is_sqlite(location):
        ledger, created = _open_postgres(location, create=True)
        try:
            return ledger, write(ledger)
        except BaseException:
            ledger.close()
            if created is not None:
                created.drop_if_empty()
            raise
        finally:
            if created is not None:
                created.release()
    path = _sqlite_target(location, create=True)
    if _exists(path):
        _check_sqlite_ledger(path)
        ledger = _open_sqlite(location, path, "rw", create_table=False)
        try:
            return ledger, write(ledger)
        except BaseException:
            ledger.close()
            raise
    made = _make_parents(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.new")
    published = False
    try:
        try:
            os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except OSError as exc:
            raise LedgerUnavailableError(
                f"cannot create ledger '{path}': {exc.strerror or exc}"
            ) from None
        ledger = _open_sqlite(location, temporary, "rw", create_table=True)
        try:
            result = write(ledger)
        finally:
            ledger.close()
        _checkpoint(temporary)
        published = _publish(temporary, path)
    finally:
        _remove_sqlite_files(temporary)
        if not published and not _exists(path):
            _remove_folders(made)
    if not published:  # another process created the ledger first: write into that one
        return write_ledger(location, write)
    return _open_sqlite(location, path, "rw", create_table=False), result


# --- SQLite ------------------------------------------------------------------------------


def _exists(path: Path) -> bool:
    return os.path.exists(path)


def _sqlite_target(location: str, *, create: bool) -> Path:
    """The file a SQLite location names, symlinks followed; refuses what cannot be a ledger."""
    raw = location.removeprefix("sqlite:///")
    if raw.strip() in ("", ":memory:") or raw.startswith("file:") or "mode=memory" in raw:
        raise LedgerUnavailableError(
            f"'{location}' is not a ledger file: an in-memory database or a SQLite URI keeps "
            "nothing; give a file path"
        )
    if "\x00" in raw:
        raise LedgerUnavailableError("the ledger path contains a NUL character")
    try:
        path = Path(raw).expanduser()
    except (RuntimeError, KeyError):  # ~name of a user who does not exist, or no home
        raise LedgerUnavailableError(
            f"cannot use ledger path '{raw}': its '~' names no user's home folder"
        ) from None
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LedgerUnavailableError(
                f"ledger path '{path}' is a symbolic link that loops"
            ) from None
        if exc.errno == errno.ENOTDIR and create:
            raise LedgerUnavailableError(
                f"cannot create ledger directory '{path.parent}': a part of it is a file"
            ) from None
        if exc.errno == errno.ENOTDIR:
            raise LedgerUnavailableError(f"no ledger at '{path}': a part of it is a file") from None
        raise LedgerUnavailableError(
            f"cannot use ledger path '{path}': {exc.strerror or exc}"
        ) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise LedgerUnavailableError(f"ledger path '{path}' is a directory, not a SQLite file")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise LedgerUnavailableError(
            f"ledger path '{path}' is not a regular file (a FIFO, socket or device), "
            "not a Chancery ledger"
        )
    if os.path.islink(path):  # a ledger behind a symlink, dangling or not, lives at its target
        return Path(os.path.realpath(path))
    return Path(os.path.abspath(path))


def _sqlite_uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path), safe='/')}?mode={mode}"


def _check_sqlite_ledger(path: Path) -> str:
    """Refuse a file that is not a Chancery ledger, without writing to it; return the URI
    mode in which this user can read it: `ro`, or `ro&immutable=1` only when this user
    cannot write the folder and no write-ahead log exists (SQLite cannot create the `-shm`
    file a read-only reader of a WAL database needs; with no log, the file alone holds every
    event). In a folder this user may write, a failed read-only opening is a writer opening
    or closing the log at that instant, and is tried again."""
    try:
        with open(path, "rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise LedgerUnavailableError(
            f"cannot read ledger '{path}': {exc.strerror or exc}"
        ) from None
    if not header:
        raise LedgerUnavailableError(
            f"'{path}' is an empty file, not a Chancery ledger: name a new path (a new ledger "
            "is created by its first import), or remove the file"
        )
    if header != _SQLITE_HEADER:
        raise LedgerUnavailableError(
            f"'{path}' is not a Chancery ledger (not a SQLite database); it was left untouched"
        )
    mode = "ro"
    try:
        for attempt in range(_OPEN_ATTEMPTS):
            try:
                row = _ledger_table(path, mode)
                break
            except sqlite3.Error as exc:
                code = (exc.sqlite_errorcode or 0) & 0xFF
                if code not in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
                    raise
                if os.access(path.parent, os.W_OK):
                    # SQLite could make its `-shm` file here: a writer was opening or closing
                    # the log at that instant (a read-only connection cannot recover it).
                    # Never read such a file as immutable: a writer may change it meanwhile,
                    # and an immutable reader, taking no locks, would read torn pages.
                    if attempt + 1 == _OPEN_ATTEMPTS:
                        raise
                    time.sleep(0.02 * (attempt + 1))
                    continue
                if os.path.exists(f"{path}-wal"):
                    raise
                mode = "ro&immutable=1"
                row = _ledger_table(path, mode)
                break
    except sqlite3.Error as exc:
        problem = classify_database_error(exc)
        raise LedgerUnavailableError(f"cannot read ledger '{path}': {problem or exc}") from None
    if row is None:
        raise LedgerUnavailableError(
            f"'{path}' is a SQLite database but not a Chancery ledger (it has no "
            f"{SQLITE_EVENTS_TABLE} table); it was left untouched: name another path"
        )
    return mode


_SQLITE_READONLY, _SQLITE_CANTOPEN = 8, 14
_OPEN_ATTEMPTS = 20
"""How often a read-only opening is tried while writers open and close the log (about 4 s)."""


def _ledger_table(path: Path, mode: str) -> Any:
    connection = sqlite3.connect(_sqlite_uri(path, mode), uri=True, timeout=LOCK_TIMEOUT_SECONDS)
    try:
        return connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            (SQLITE_EVENTS_TABLE,),
        ).fetchone()
    finally:
        connection.close()


def _open_sqlite(location: str, path: Path, mode: str, *, create_table: bool) -> Ledger:
    from chancery.storage.recorders import SQLITE_RECORDER_TOPIC

    return _construct(
        location,
        {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER_TOPIC,
            "SQLITE_DBNAME": _sqlite_uri(path, mode),
            "SQLITE_LOCK_TIMEOUT": str(LOCK_TIMEOUT_SECONDS),
            "CREATE_TABLE": "true" if create_table else "false",
        },
    )


def _make_parents(folder: Path) -> list[Path]:
    """Create the missing folders of a new ledger; return those created, deepest first."""
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _remove_folders(missing)
        raise LedgerUnavailableError(
            f"cannot create ledger directory '{folder}': {exc.strerror or exc}"
        ) from None
    return missing


def _remove_folders(folders: list[Path]) -> None:
    for folder in folders:  # deepest first; rmdir refuses a folder that is no longer empty
        with suppress(OSError):
            folder.rmdir()


def _remove_sqlite_files(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        with suppress(OSError):
            leftover.unlink(missing_ok=True)


def _checkpoint(path: Path) -> None:
    """Move everything from the write-ahead log into the file itself, so that the one file
    holds the whole ledger before it is linked into place."""
    try:
        connection = sqlite3.connect(
            _sqlite_uri(path, "rw"), uri=True, timeout=LOCK_TIMEOUT_SECONDS, isolation_level=None
        )
        try:
            busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise classify_database_error(exc) or LedgerUnavailableError(str(exc)) from None
    if busy:
        raise LedgerUnavailableError(f"could not complete the new ledger '{path}': it is busy")


def _publish(temporary: Path, path: Path) -> bool:
    """Put the finished new ledger at `path` unless something is there by now."""
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise LedgerUnavailableError(
                f"cannot create ledger '{path}': {exc.strerror or exc}"
            ) from None
    # A file system without hard links: claim the path exclusively, then copy the ledger in.
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except FileExistsError:
        return False
    except OSError as exc:
        raise LedgerUnavailableError(f"cannot create ledger '{path}': {exc.strerror}") from None
    source = sqlite3.connect(_sqlite_uri(temporary, "ro"), uri=True)
    target = sqlite3.connect(_sqlite_uri(path, "rw"), uri=True)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return True


# --- construction ------------------------------------------------------------------------


def _construct(location: str, env: Mapping[str, str]) -> Ledger:
    try:
        return _ledger_class()(env=dict(env))
    except database_errors() as exc:
        problem = classify_database_error(exc)
        raise LedgerUnavailableError(
            f"cannot open ledger '{redact(location)}': {problem or _one_line(exc)}"
        ) from None
    except OSError as exc:
        raise LedgerUnavailableError(
            f"cannot open ledger '{redact(location)}': {_one_line(exc)}"
        ) from None


def _one_line(exc: BaseException) -> str:
    return redact_text(" ".join(str(exc).split()) or type(exc).__name__)


# --- PostgreSQL --------------------------------------------------------------------------


@dataclass
class _Created:
    """What opening a new PostgreSQL ledger created, to drop again if its import fails."""

    connect: dict[str, Any]
    schema: str
    new_schema: bool
    lock: psycopg.Connection | None = None
    before: set[tuple[str, str]] = field(default_factory=set)

    def release(self) -> None:
        """Let the other writers in (they waited for this first import to end)."""
        if self.lock is not None:
            self.lock.close()
            self.lock = None

    def drop_if_empty(self) -> None:
        import psycopg
        from psycopg import sql

        """Drop what was created, if no events were recorded in it meanwhile (best effort)."""
        schema = sql.Identifier(self.schema)
        try:
            with psycopg.connect(**self.connect) as conn:
                conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
                conn.execute(
                    sql.SQL("LOCK TABLE {}.{} IN ACCESS EXCLUSIVE MODE").format(
                        schema, sql.Identifier(EVENTS_TABLE)
                    )
                )
                events = conn.execute(
                    sql.SQL("SELECT EXISTS (SELECT 1 FROM {}.{})").format(
                        schema, sql.Identifier(EVENTS_TABLE)
                    )
                ).fetchone()
                if events and events[0]:
                    return
                if self.new_schema:
                    conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(schema))
                    return
                drop = {"table": "TABLE", "function": "FUNCTION", "type": "TYPE"}
                for kind in ("table", "function", "type"):
                    for made_kind, name in sorted(_objects(conn, self.schema) - self.before):
                        if made_kind == kind:
                            conn.execute(
                                sql.SQL(f"DROP {drop[kind]} IF EXISTS {{}}.{{}}").format(
                                    schema, sql.Identifier(name)
                                )
                            )
        except psycopg.Error:
            pass


def _objects(conn: psycopg.Connection, schema: str) -> set[tuple[str, str]]:
    """The tables, composite types and functions in `schema`."""
    rows = conn.execute(
        "SELECT CASE c.relkind WHEN 'c' THEN 'type' ELSE 'table' END, c.relname "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'c') "
        "UNION SELECT 'function', p.proname FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s",
        (schema, schema),
    ).fetchall()
    return {(kind, name) for kind, name in rows}


def _schema_name(query: dict[str, list[str]], shown: str) -> str:
    values = query.get("schema", ["public"])
    if len(values) > 1:
        raise LedgerUnavailableError(f"PostgreSQL URL '{shown}': 'schema' is given more than once")
    name = values[0]
    if (
        not _SCHEMA_NAME.match(name)
        or len(name.encode()) > _MAX_IDENTIFIER_BYTES
        or name.startswith("pg_")
    ):
        raise LedgerUnavailableError(
            f"PostgreSQL URL '{shown}': schema name {name!r} is not allowed: use 1 to "
            f"{_MAX_IDENTIFIER_BYTES} lowercase ASCII letters, digits, '_' or '$', starting "
            "with a letter or '_' and not with 'pg_' (names are neither folded nor truncated)"
        )
    return name


@dataclass
class _PostgresTarget:
    """What a PostgreSQL ledger URL names, checked: eventsourcing's settings, psycopg's
    connection arguments, the schema, the URL as shown in messages, the secrets to redact."""

    env: dict[str, str]
    connect: dict[str, Any]
    schema: str
    shown: str
    secrets: list[str]


def _postgres_target(location: str) -> _PostgresTarget:
    scheme = location.split("://", 1)[0]
    if scheme not in POSTGRES_SCHEMES:
        raise LedgerUnavailableError(
            f"unsupported ledger URL scheme '{redact(scheme)}://' in '{redact(location)}': use a "
            "SQLite file path or postgresql://USER@HOST:PORT/DBNAME"
        )
    shown = redact(location)
    try:
        url = urlsplit(location)
        port = url.port or 5432
        hostname = url.hostname
    except ValueError:
        raise LedgerUnavailableError(
            f"malformed PostgreSQL URL '{shown}': expected postgresql://USER@HOST:PORT/DBNAME "
            "with a port from 1 to 65535 (percent-encode '/', '?', '#', '@' and ':' in a "
            "password)"
        ) from None
    dbname = unquote(url.path.lstrip("/"))
    if not hostname or not dbname or "/" in dbname or "\x00" in location:
        raise LedgerUnavailableError(
            f"malformed PostgreSQL URL '{shown}': expected postgresql://USER@HOST:PORT/DBNAME"
        )
    query = parse_qs(url.query, keep_blank_values=True)
    unknown = set(query) - {"schema"}
    if unknown:
        raise LedgerUnavailableError(
            f"PostgreSQL URL '{shown}': unknown parameter(s) "
            f"{redact_text(', '.join(sorted(unknown)))} (only 'schema' is understood)"
        )
    schema = _schema_name(query, shown)
    password = unquote(url.password) if url.password else ""
    user = unquote(url.username) if url.username else getpass.getuser()
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": user,
        "POSTGRES_PASSWORD": password,
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_POOL_SIZE": "2",
        "POSTGRES_LOCK_TIMEOUT": str(LOCK_TIMEOUT_SECONDS),
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
    }
    connect = {
        "host": hostname,
        "port": port,
        "dbname": dbname,
        "user": user,
        "password": password,
        "connect_timeout": 5,
    }
    return _PostgresTarget(env, connect, schema, shown, [password, url.password or ""])


def _unreachable(exc: Exception, target: _PostgresTarget) -> LedgerUnavailableError:
    """A psycopg error while opening a ledger, said in one line without the password."""
    problem = classify_database_error(exc)
    reason = redact_text(" ".join(str(exc).split()) or type(exc).__name__, *target.secrets)
    if problem is not None and type(problem) is not LedgerUnavailableError:
        reason = str(problem)
    return LedgerUnavailableError(f"cannot reach PostgreSQL ledger '{target.shown}': {reason}")


def _no_postgres_ledger(target: _PostgresTarget) -> NoLedgerError:
    return NoLedgerError(
        f"no ledger in '{target.shown}' (schema '{target.schema}' has no {EVENTS_TABLE} "
        "table): import data into it first"
    )


def _postgres_reader(location: str) -> PostgresReader:
    """A query's connection to a PostgreSQL ledger (see `reader.py`)."""
    import psycopg
    from psycopg.rows import dict_row

    target = _postgres_target(location)
    try:
        # Queries never write: the server refuses any write on this connection.
        conn = psycopg.connect(
            **target.connect, autocommit=True, options="-c default_transaction_read_only=on"
        )
    except psycopg.Error as exc:
        raise _unreachable(exc, target) from None
    try:
        if not _has_ledger(conn, target.schema):
            raise _no_postgres_ledger(target)
        conn.row_factory = dict_row
    except psycopg.Error as exc:
        conn.close()
        raise _unreachable(exc, target) from None
    except BaseException:
        conn.close()
        raise
    return PostgresReader(conn, target.schema)


def _open_postgres(location: str, *, create: bool) -> tuple[Ledger, _Created | None]:
    import psycopg
    from chancery.storage.recorders import POSTGRES_RECORDER_TOPIC
    from psycopg import sql

    target = _postgres_target(location)
    env = {**target.env, "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER_TOPIC}
    connect, schema = target.connect, target.schema
    conn: psycopg.Connection | None = None
    try:
        conn = psycopg.connect(**connect, autocommit=True)
        if _has_ledger(conn, schema) and (not create or _no_first_import_running(conn, schema)):
            conn.close()
            return _construct(location, {**env, "CREATE_TABLE": "false"}), None
        if not create:
            raise _no_postgres_ledger(target)
        # One writer creates the schema and tables, and holds this lock until its first
        # import committed or what it created was dropped again; the other writers wait.
        conn.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (_CREATE_LOCK, schema))
        if _has_ledger(conn, schema):
            conn.close()
            return _construct(location, {**env, "CREATE_TABLE": "false"}), None
        row = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
        created = _Created(connect, schema, new_schema=row is None, lock=conn)
        if row is None:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        else:
            created.before = _objects(conn, schema)
        try:
            return _construct(location, env), created
        except ChanceryError:
            created.drop_if_empty()
            raise
    except psycopg.Error as exc:
        if conn is not None:
            conn.close()
        raise _unreachable(exc, target) from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise


def _no_first_import_running(conn: psycopg.Connection, schema: str) -> bool:
    """Wait for a first import into `schema` that is still running, then say whether the
    ledger is still there (a failed first import drops what it created)."""
    conn.execute("SELECT pg_advisory_lock_shared(%s, hashtext(%s))", (_CREATE_LOCK, schema))
    conn.execute("SELECT pg_advisory_unlock_shared(%s, hashtext(%s))", (_CREATE_LOCK, schema))
    return _has_ledger(conn, schema)


_CREATE_LOCK = 0x43484E43  # "CHNC": Chancery's advisory lock class; the schema's hash is the key


def _has_ledger(conn: psycopg.Connection, schema: str) -> bool:
    row = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (f'"{schema}".{EVENTS_TABLE}',)
    ).fetchone()
    return bool(row and row[0])
