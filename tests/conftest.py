"""Shared fixtures: a fresh ledger per test, and the bundled dataset imported once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from domain.dataset import load_file
from domain.ledger import Ledger, LedgerContents
from domain.store import open_ledger
from seeds import bundled_paths

REPO = Path(__file__).resolve().parents[1]

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
        {"id": "src", "outlet": "Wire", "published": "2021-10-07"},
        {"id": "late", "outlet": "Paper", "published": "2021-11-29"},
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


@pytest.fixture
def ledger_location(tmp_path: Path) -> str:
    return str(tmp_path / "ledger.sqlite")


@pytest.fixture
def ledger(ledger_location: str) -> Ledger:
    return open_ledger(ledger_location, create=True)


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


@pytest.fixture(scope="session")
def bundled_location(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A ledger holding the bundled dataset, imported once per test session. Read-only."""
    location = str(tmp_path_factory.mktemp("bundled") / "ledger.sqlite")
    open_ledger(location, create=True).import_files([load_file(p) for p in bundled_paths()])
    return location


@pytest.fixture(scope="session")
def bundled_contents(bundled_location: str) -> LedgerContents:
    return open_ledger(bundled_location, create=False).contents()
