"""`chancery search` and the `events` filters at the command line: what a person reads, the JSON
contract, and usage errors (exit 2, one line, never a traceback)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from chancery.projections.words import type_words

from tests.conftest import Locations, event
from tests.store_helpers import cli

PHRASE = ("undeclared", "intelligence", "officers")


def test_search_finds_the_expulsion_and_marks_the_words(bundled_location: str) -> None:
    result = cli("search", *PHRASE, "--db", bundled_location)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(tuple(f"{n} hit" for n in range(1, 21)))
    first = lines[2]
    assert "2021-10-06" in first and type_words("accreditation_withdrawn") in first
    assert all(f"⟦{word}⟧" in result.stdout for word in PHRASE)


def test_search_json(bundled_location: str) -> None:
    result = cli("search", " ".join(PHRASE), "--json", "--limit", "3", "--db", bundled_location)
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["terms"] == list(PHRASE) and found["limit"] == 3
    assert 1 <= len(found["hits"]) <= 3
    hit = found["hits"][0]
    assert set(hit) == {
        "event",
        "channel",
        "type",
        "summary",
        "date",
        "field",
        "text",
        "source",
        "outlet",
        "published",
        "score",
    }
    marked = {hit["text"]["text"][a:b].lower() for a, b in hit["text"]["marks"]}
    assert marked == set(PHRASE)


@pytest.mark.parametrize(
    "args, complaint",
    [
        (("search", ""), "nothing to search for"),
        (("search", "*", "-", "()"), "nothing to search for"),
        (("search", "nato", "--limit", "0"), "--limit"),
        (("search", "nato", "--channel", "no-such-channel"), "unknown channel"),
        (("search", "nato", "--known-at", "2021-13"), "--known-at"),
        (("events", "--type", "meetng held"), "did you mean 'meeting_held'?"),
        (("events", "--actor", "rusia"), "did you mean 'russia'?"),
        (("events", "--party", "XX"), "no party 'XX'"),
        (("events", "--source", "nowhere"), "no source 'nowhere'"),
    ],
)
def test_usage_errors(bundled_location: str, args: tuple[str, ...], complaint: str) -> None:
    result = cli(*args, "--db", bundled_location)
    assert result.exception is None
    assert result.exit_code in (1, 2), result.output
    if args[0] == "events" or "nothing" in complaint or complaint == "--limit":
        assert result.exit_code == 2
    assert complaint in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_events_filters_at_the_command_line(bundled_location: str) -> None:
    every = json.loads(cli("events", "--json", "--db", bundled_location).stdout)["events"]
    wanted = [e["id"] for e in every if e["type"] == "accreditation_withdrawn"]
    for said in ("accreditation_withdrawn", "accreditations withdrawn", "Accreditation-Withdrawn"):
        result = cli("events", "--type", said, "--json", "--db", bundled_location)
        assert result.exit_code == 0, result.output
        assert [e["id"] for e in json.loads(result.stdout)["events"]] == wanted
    result = cli("events", "--party", "RU", "--type", "staff cap changed", "--db", bundled_location)
    assert result.exit_code == 0, result.output
    shown = [e["id"] for e in every if e["type"] == "staff_cap_changed"]
    assert shown and all(event_id in result.stdout for event_id in shown)


def test_hostile_text_is_printed_as_data(locations: Locations, world: Callable[..., Path]) -> None:
    location = locations.new()
    quote = "[bold red]Expelled[/bold red] <script>alert(1)</script> envoys ⟦sic⟧"
    record = event(
        "odd",
        "meeting_held",
        "council",
        "2021-01-12",
        citations=[{"source": "src", "quote": quote}],
    )
    assert cli("import", str(world(record)), "--db", location).exit_code == 0
    result = cli("search", "envoys", "expelled", "--db", location)
    assert result.exit_code == 0, result.output
    assert "[bold red]⟦Expelled⟧[/bold red]" in result.stdout
    assert "<script>alert(1)</script>" in result.stdout
    found = json.loads(cli("search", "envoys", "--json", "--db", location).stdout)
    assert found["hits"][0]["text"]["text"] == quote
