"""The names a user types into a command, for the shell to complete: channel slugs and party
codes as this ledger declares them, action types as the domain declares them.

A completion runs at every press of the tab key, before any command: it reads what the
ledger already holds through one read-only connection, and never creates, bootstraps or
catches up a ledger. A location with no ledger has no names.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chancery.storage.index import LedgerIndex


def channel_slugs(location: str | None) -> list[str]:
    """The channels the ledger at `location` declares, in declaration order."""
    with _reading(location) as reader:
        return reader.keys("channels") if reader is not None else []


def party_codes(location: str | None) -> list[str]:
    """The codes of the parties the ledger at `location` declares (a party declared by slug
    alone before codes existed has its code's; one with no code is named by its slug)."""
    with _reading(location) as reader:
        return [_party_code(p) for p in reader.declarations("parties")] if reader else []


def every_party_code() -> list[str]:
    """Every code a party may be declared by: ISO 3166-1 alpha-2 and the bundled
    organisations'."""
    from chancery.domain import countries

    return countries.codes()


def action_types() -> list[str]:
    """Every reported action type's tag."""
    from chancery.domain.actions import ACTION_TYPES

    return sorted(ACTION_TYPES)


def _party_code(record: dict[str, object]) -> str:
    from chancery.domain import countries

    slug = str(record["slug"])
    code = record.get("code")
    if isinstance(code, str):
        return code
    entry = countries.by_slug(slug)
    return entry.code if entry is not None else slug


@contextmanager
def _reading(location: str | None) -> Iterator[LedgerIndex | None]:
    """The ledger's index through a read-only connection, or None where no ledger is yet (the
    default ledger is not created for a completion)."""
    from chancery.storage.store import configured_location, open_reader

    where, is_default = configured_location(location)
    if is_default and not os.path.exists(where):
        yield None
        return
    reader = open_reader(where)
    try:
        yield reader
    finally:
        reader.close()
