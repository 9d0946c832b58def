"""Domain errors: each carries a message an analyst can act on without reading a traceback."""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable

from chancery.domain.visible import show_hidden

_URL_PASSWORD = re.compile(r"(://[^:/?#@\s'\"]*:)[^\s'\"]*@")
"""`://user:` then anything up to the last `@` of the word: a password may hold `/?#@` that
its writer forgot to percent-encode, so the URL's own parsing cannot be trusted to find it."""
_PASSWORD_PARAMETER = re.compile(r"(?i)(password\s*=\s*)('[^']*'|\"[^\"]*\"|[^&\s'\"]+)")


def redact_text(text: str, *secrets: str) -> str:
    """`text` without passwords: a URL's `user:PASSWORD@`, any `password=...` parameter (URL
    query or libpq keyword form) and each of `secrets` (e.g. the password, decoded) become ***."""
    text = _URL_PASSWORD.sub(r"\1***@", text)
    text = _PASSWORD_PARAMETER.sub(r"\1***", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def printable(text: str) -> str:
    """`text` with control, bidirectional-control, invisible and surrogate characters written
    as escapes (\\x1b, \\n, \\u202e; `domain/visible.py` decides which): a message quoting
    hostile input stays one line and cannot drive the terminal."""
    return show_hidden(text)


ECHO_CHARACTERS = 120
"""The most characters of a value from the input that a message repeats: the longest valid
slug. A 25 MB id, key or name is named by its start and its length, not printed whole."""


def echo(value: object) -> str:
    """A value from the input as a message shows it: made printable, and cut to its first
    ECHO_CHARACTERS characters with its length said when longer. The one rule for every
    value an error message repeats."""
    text = str(value)
    if len(text) > ECHO_CHARACTERS:
        text = f"{text[:ECHO_CHARACTERS]}… ({len(text)} characters)"
    return printable(text)


def without_links(message: str) -> str:
    """A message without the documentation links pydantic appends to its errors ("For further
    information visit https://errors.pydantic.dev/..."): a user-facing error names the file,
    record and field, never a library's web page."""
    return _PYDANTIC_LINK.sub("", message)


def one_line_reason(exc: Exception) -> str:
    """Why `exc` was raised, in one line for a message: a pydantic validation error by its
    messages alone (not its repr of the input, its error codes or its links), any other by its
    text, whitespace folded."""
    errors = getattr(exc, "errors", None)
    if callable(errors) and hasattr(exc, "error_count"):
        messages = [
            str(item["msg"]).removeprefix("Value error, ")
            for item in errors(include_url=False, include_input=False)
        ]
        return "; ".join(messages) or type(exc).__name__
    return " ".join(without_links(str(exc)).split()) or type(exc).__name__


_PYDANTIC_LINK = re.compile(r"\s*For further information visit https?://errors\.pydantic\.dev/\S*")


class ChanceryError(Exception):
    """Base of every error Chancery reports to a user rather than crashing on. Its message is
    made printable: input quoted in it cannot inject escape sequences or reorder the line."""

    def __init__(self, *args: object) -> None:
        super().__init__(
            *(printable(without_links(arg)) if isinstance(arg, str) else arg for arg in args)
        )


class ArgumentError(ChanceryError):
    """An argument a use case was given cannot mean anything: a date that is not one, a
    channel the ledger does not declare, an unknown format. The command line calls it a usage
    error (exit status 2), as its own parser's errors are."""


class InvalidRecordError(ChanceryError):
    """An import file, or a record in it, does not fit the import format."""


class InvariantViolation(ChanceryError):
    """An event would make a channel's timeline break one of its rules (docs/design.md,
    principle 7)."""

    def __init__(self, rule: str, event_id: str, detail: str, where: str | None = None) -> None:
        self.rule = rule
        self.event_id = event_id
        self.detail = detail
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}event '{event_id}' breaks rule '{rule}': {detail}")


class ConflictingRecordError(ChanceryError):
    """The same identifier was already recorded with different content."""


class LedgerUnavailableError(ChanceryError):
    """The ledger cannot be opened: wrong URL, missing file, no permission, server down."""


class CorruptedRowError(ChanceryError):
    """A stored row cannot be read back: it was altered outside Chancery (or the disk failed)."""


class NoLedgerError(LedgerUnavailableError):
    """Nothing has been imported at the location yet (no file; a schema without the events
    table): a query is refused, an import's dry run plans against an empty ledger."""


class LedgerLockedError(LedgerUnavailableError):
    """Another process held the ledger's lock for longer than Chancery waits."""


class DiskFullError(LedgerUnavailableError):
    """The disk (or the database server's disk) holding the ledger is full."""


_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_FULL = 5, 6, 8, 13
_SQLITE_CONSTRAINT, _SQLITE_BUSY_SNAPSHOT = 19, 517
_PG_RETRY = {"23505", "40001", "40P01"}  # unique_violation, serialization_failure, deadlock
_PG_LOCKED = {"55P03", "55006"}  # lock_not_available, object_in_use
_PG_FULL = {"53100"}  # disk_full
_PG_READ_ONLY = {"25006", "42501"}  # read_only_sql_transaction, insufficient_privilege


def classify_database_error(exc: BaseException) -> ChanceryError | None:
    """What a database error during a write means: None for a real optimistic-concurrency
    conflict (another writer saved first: re-read and retry), else the error to report.

    eventsourcing wraps the driver's error (sqlite3 or psycopg) in its own classes; the driver's
    error, found on the `__cause__` chain, says what happened: a full disk, a lock held past the
    timeout, a read-only ledger, or a conflict. Only the conflict is worth retrying.
    """
    cause: BaseException | None = exc
    seen = 0
    while cause is not None and seen < 10:
        code = getattr(cause, "sqlite_errorcode", None)
        state = getattr(cause, "sqlstate", None)
        if code is not None or state is not None:
            break
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    else:
        cause = None
    detail = redact_text(" ".join(str(cause or exc).split()) or type(exc).__name__)
    code = getattr(cause, "sqlite_errorcode", None)
    state = getattr(cause, "sqlstate", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if code == _SQLITE_BUSY_SNAPSHOT or primary == _SQLITE_CONSTRAINT or state in _PG_RETRY:
        return None
    if cause is None and type(exc).__name__ == "IntegrityError":
        return None  # eventsourcing's own IntegrityError: an aggregate version already taken
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or state in _PG_LOCKED:
        return LedgerLockedError(
            "the ledger is locked by another process (Chancery waited for it, see the README's "
            "'Reliability'): nothing was written; run the command again when that process is done"
        )
    if primary == _SQLITE_FULL or state in _PG_FULL:
        return DiskFullError(
            f"the disk holding the ledger is full ({detail}): nothing from this import was "
            "written; free some space and run it again"
        )
    if primary == _SQLITE_READONLY or state in _PG_READ_ONLY:
        return LedgerUnavailableError(
            f"the ledger cannot be written by this user ({detail}): nothing was written"
        )
    return LedgerUnavailableError(f"the ledger's database failed: {detail}")


def database_errors() -> tuple[type[Exception], ...]:
    """The errors of a database failing under a use case (eventsourcing's, SQLite's,
    psycopg's). For `except` clauses only, evaluated when something was raised: a query that
    succeeds never loads eventsourcing."""
    import sqlite3

    from eventsourcing.persistence import PersistenceError

    return (PersistenceError, sqlite3.Error, *postgres_errors())


def postgres_errors() -> tuple[type[Exception], ...]:
    """psycopg's base error, when psycopg was loaded (only PostgreSQL ledgers load it), for
    `except` clauses that must not import it themselves."""
    module = sys.modules.get("psycopg")
    return (module.Error,) if module is not None else ()


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the nearest choice, or '' when none is near: slips such as
    'NATO' for 'nato', 'to' for 'to_cap' or a misspelt channel slug."""
    options = sorted(set(choices))
    lowered = value.strip().lower()
    if lowered in options and lowered != value:
        return f" (did you mean '{lowered}'?)"
    prefixed = [o for o in options if o.startswith(lowered + "_") or o.startswith(lowered + "-")]
    close = prefixed or difflib.get_close_matches(lowered, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


LISTED_CHANNELS = 12
"""The most channel slugs an unknown-channel message lists when none is near the one given."""


def unknown_channel(channel: str, declared: list[str]) -> str:
    """Why a channel slug names nothing: the nearest declared slug when one is near, else
    the first `LISTED_CHANNELS` of those declared (a ledger may declare thousands)."""
    hint = did_you_mean(channel, declared)
    if hint:
        return f"unknown channel '{echo(channel)}'{hint}"
    listed = ", ".join(declared[:LISTED_CHANNELS]) or "none"
    more = f" and {len(declared) - LISTED_CHANNELS} more" if len(declared) > LISTED_CHANNELS else ""
    return f"unknown channel '{echo(channel)}' (channels in this ledger: {listed}{more})"
