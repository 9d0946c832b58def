"""Shared fixtures: a fresh ledger per test, and the bundled dataset imported once."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from chancery.domain.aggregates import TimelineEntry
from chancery.domain.timeline import resolve
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.importing.streaming import StreamedFile
from chancery.seeds import bundled_paths
from chancery.storage.ledger import ImportReport, Ledger
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger
from psycopg import sql

REPO = Path(__file__).resolve().parents[1]


def _articles_folder() -> Path | None:
    candidates = [os.environ.get("CHANCERY_ARTICLES"), REPO.parent / "shared" / "seeds"]
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), None)


ARTICLES = _articles_folder()
"""The five source articles, where this machine has them (CHANCERY_ARTICLES, or ../shared/seeds
beside the checkout)."""
needs_articles = pytest.mark.skipif(
    ARTICLES is None,
    reason="the source articles are not on this machine (set CHANCERY_ARTICLES to their folder)",
)

BASE_DECLARATIONS: dict[str, Any] = {
    "chancery": 1,
    "parties": [
        {"slug": "nato", "name": "North Atlantic Treaty Organization", "kind": "organisation"},
        {"slug": "russia", "name": "Russian Federation", "kind": "state"},
    ],
    "channels": [
        {
            "slug": "mission",
            "name": "Mission",
            "kind": "mission",
            "parties": ["russia", "nato"],
            "host": "nato",
        },
        {"slug": "council", "name": "Council", "kind": "council", "parties": ["nato", "russia"]},
        {
            "slug": "cooperation",
            "name": "Cooperation",
            "kind": "cooperation",
            "parties": ["nato", "russia"],
        },
        {
            "slug": "contacts",
            "name": "Military contacts",
            "kind": "military-contacts",
            "parties": ["nato", "russia"],
        },
        {
            "slug": "office",
            "name": "Office",
            "kind": "office",
            "parties": ["nato", "russia"],
            "host": "russia",
        },
    ],
    "sources": [
        {"id": "src", "outlet": "Wire", "published": "2022-01-31"},
        {"id": "late", "outlet": "Paper", "published": "2022-03-01"},
    ],
}
"""A small synthetic world for unit tests, independent of the bundled dataset."""


def event(event_id: str, type_: str, channel: str, date: Any, **fields: Any) -> dict[str, Any]:
    """An event record with sensible defaults, for building test files."""
    record: dict[str, Any] = {
        "id": event_id,
        "type": type_,
        "channel": channel,
        "actor": fields.pop("actor", "nato"),
        "date": date,
        "citations": fields.pop("citations", [{"source": "src", "quote": f"{event_id} quote"}]),
    }
    record.update(fields)
    return record


POSTGRES_SERVER = os.environ.get(
    "CHANCERY_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
"""The PostgreSQL database the tests use; each test gets a schema of its own in it."""


def _postgres_unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    try:
        with psycopg.connect(POSTGRES_SERVER, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"no PostgreSQL at {POSTGRES_SERVER} ({' '.join(str(exc).split())})"


_POSTGRES_PROBLEM = _postgres_unavailable()


def pytest_sessionstart(session: pytest.Session) -> None:
    """CI must exercise PostgreSQL: there, a missing server fails the run instead of skipping."""
    if _POSTGRES_PROBLEM and os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        raise pytest.UsageError(f"CI requires PostgreSQL, but: {_POSTGRES_PROBLEM}")


class Locations:
    """Makes fresh, empty ledger locations in one store, and drops what it made afterwards."""

    def __init__(self, store: str, folder: Path) -> None:
        if store == "postgres" and _POSTGRES_PROBLEM:
            pytest.skip(_POSTGRES_PROBLEM)
        self.store, self.folder, self.schemas = store, folder, list[str]()

    def new(self) -> str:
        name = f"chancery_test_{uuid.uuid4().hex[:12]}"
        if self.store == "sqlite":
            return str(self.folder / f"{name}.sqlite")
        self.schemas.append(name)
        return f"{POSTGRES_SERVER}?schema={name}"

    def drop(self) -> None:
        if not self.schemas:
            return
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
            for name in self.schemas:
                conn.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name))
                )


STORES = ["sqlite", "postgres"]


@pytest.fixture(params=STORES)
def locations(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Locations]:
    """Fresh ledger locations, once on SQLite and once on PostgreSQL."""
    made = Locations(request.param, tmp_path)
    yield made
    made.drop()


@pytest.fixture
def ledger_location(locations: Locations) -> str:
    """An empty ledger location, once on SQLite and once on PostgreSQL."""
    return locations.new()


@pytest.fixture
def ledger(ledger_location: str) -> Iterator[Ledger]:
    ledger = open_ledger(ledger_location, create=True)
    yield ledger
    ledger.close()


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a dict (as YAML, or JSON by suffix) or raw text/bytes to a file in tmp_path."""
    counter = iter(range(10_000))

    def write(content: Any, suffix: str = ".yaml") -> Path:
        path = tmp_path / f"import-{next(counter)}{suffix}"
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        elif suffix == ".json":
            import json

            path.write_text(json.dumps(content, default=str), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def world(write_file: Callable[..., Path]) -> Callable[..., Path]:
    """Write the synthetic declarations plus the given events to one import file."""

    def build(*events: dict[str, Any], **extra: Any) -> Path:
        return write_file({**BASE_DECLARATIONS, **extra, "events": list(events)})

    return build


@pytest.fixture(scope="session", params=STORES)
def bundled_location(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A ledger holding the bundled dataset, imported once per store and session. Read-only."""
    made = Locations(request.param, tmp_path_factory.mktemp("bundled"))
    location = made.new()
    ledger = open_ledger(location, create=True)
    import_files(ledger, [load_file(p) for p in bundled_paths()])
    ReadModel(ledger).catch_up()  # as `chancery import` does: queries then write nothing
    ledger.close()
    yield location
    made.drop()


@pytest.fixture(scope="session")
def bundled_contents(bundled_location: str) -> ReadModel:
    """The bundled ledger's read side."""
    return ReadModel(open_ledger(bundled_location, create=False))


@dataclass(frozen=True)
class Snapshot:
    """Everything a small test ledger holds, read back whole (tests only: commands never do)."""

    parties: dict[str, Any]
    channels: dict[str, Any]
    sources: dict[str, Any]
    entries: dict[str, list[TimelineEntry]]

    def actions(self, channel: str) -> list[Any]:
        return resolve(item.entry for item in self.entries.get(channel, []))


def import_streamed(ledger: Ledger, paths: list[Path]) -> ImportReport:
    """Import `paths` read as streams, as an import over the whole-file size limit reads them."""
    return import_files(ledger, [StreamedFile(path) for path in paths])


def contents(ledger: Ledger) -> Snapshot:
    channels = ledger.channels()
    entries = {slug: ledger.timeline(slug) for slug in channels}
    return Snapshot(
        parties=ledger.parties(),
        channels=channels,
        sources=ledger.sources(),
        entries={slug: items for slug, items in entries.items() if items},
    )
