"""Where the ledger lives. The choice of store is made here and nowhere else."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import platformdirs

from domain.errors import LedgerUnavailableError
from domain.ledger import Ledger

ENV_VAR = "CHANCERY_DB"


def default_location() -> Path:
    """The user's own ledger, in the platform's data directory."""
    return Path(platformdirs.user_data_dir("chancery", appauthor=False)) / "ledger.sqlite"


def is_sqlite(location: str) -> bool:
    return "://" not in location or location.startswith("sqlite:///")


def sqlite_path(location: str) -> Path:
    return Path(
        location.removeprefix("sqlite:///") if location.startswith("sqlite:///") else location
    ).expanduser()


def open_ledger(location: str, *, create: bool) -> Ledger:
    """Open the ledger at `location` (a SQLite file path or sqlite:/// URL).

    With create=False a missing ledger is an error rather than a new empty file: a query on a
    mistyped path must not silently answer "nothing is known".
    """
    if not is_sqlite(location):
        scheme = location.split("://", 1)[0]
        raise LedgerUnavailableError(
            f"unsupported ledger URL scheme '{scheme}://' in '{location}': use a SQLite file path"
        )
    path = sqlite_path(location)
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
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
    }
    try:
        return Ledger(env=env)
    except (sqlite3.Error, OSError) as exc:
        raise LedgerUnavailableError(f"cannot open ledger '{path}': {exc}") from None


def configured_location(option: str | None) -> tuple[str, bool]:
    """The ledger named by --db, else CHANCERY_DB, else the default; and whether it is default."""
    named = option or os.environ.get(ENV_VAR)
    if named:
        return named, False
    return str(default_location()), True
