"""Each tracked fact is declared once (domain/tracked.py), and `state` (table
and JSON), `history`, `why` and `diff` derive from that declaration. A new tracked fact, here
a count of the meetings held on a council, touches the action type that sets it and one
declaration only: everything else follows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.cli import app
from chancery.domain import tracked
from chancery.domain.actions import MeetingHeld
from chancery.domain.facts import Basis, ChannelFacts, Fact
from chancery.domain.tracked import TrackedFact
from typer.testing import CliRunner

from tests.conftest import Locations, event

COUNCIL = "nato-russia-council"
MEETINGS = TrackedFact(
    "meetings_held",
    "meetings held",
    lambda fact: "none reported" if fact.value is None else str(fact.value),
    kinds=frozenset({"council", "dialogue"}),
    moved_by=frozenset({"meeting_held"}),
    column="Meetings",
)


@pytest.fixture
def meetings_declared(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The two edits a new fact needs: its declaration, and the action type that sets it."""
    monkeypatch.setattr(tracked, "TRACKED", (*tracked.TRACKED, MEETINGS))
    original = MeetingHeld.apply

    def apply(self: MeetingHeld, facts: ChannelFacts) -> None:
        original(self, facts)
        held = facts["meetings_held"].value or 0
        facts.set("meetings_held", held + 1, Basis.REPORTED, self.id)

    monkeypatch.setattr(MeetingHeld, "apply", apply)
    yield


@pytest.fixture
def ledger_with_meetings(locations: Locations, tmp_path: Path) -> str:
    location = locations.new()
    runner = CliRunner()
    assert runner.invoke(app, ["import", "--bundled", "--db", location]).exit_code == 0
    meetings = {
        "chancery": 1,
        "sources": [{"id": "src", "outlet": "Wire", "published": "2019-12-01"}],
        "events": [
            event("nrc-met-2019-07", "meeting_held", COUNCIL, "2019-07-05"),
            event("nrc-met-2019-11", "meeting_held", COUNCIL, "2019-11-20"),
        ],
    }
    path = tmp_path / "meetings.yaml"
    path.write_text(yaml.safe_dump(meetings), encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--db", location])
    assert result.exit_code == 0, result.output
    return location


def _json(*args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _text(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_new_fact_reaches_every_view(meetings_declared: None, ledger_with_meetings: str) -> None:
    db = ["--db", ledger_with_meetings]
    (council,) = _json("state", "--as-of", "2019-12-31", "--channel", COUNCIL, *db)["channels"]
    assert council["facts"]["meetings_held"] == {
        "value": 2,
        "basis": "reported",
        "event": "nrc-met-2019-11",
        "certainty": "certain",
        "text": "2",
        "announced": None,
    }
    # Other kinds do not track it; the keys promised since 0.1 are as they were.
    states = _json("state", "--as-of", "2019-12-31", *db)["channels"]
    mission = next(s for s in states if s["id"] == "russia-mission-to-nato")
    assert "meetings_held" not in mission["facts"]
    assert council["last_meeting"]["id"] == "nrc-met-2019-11"

    table = _text("state", "--as-of", "2019-12-31", *db)
    assert "Meetings" in table
    council_line = next(line for line in table.splitlines() if line.startswith(f"│ {COUNCIL}"))
    assert "│ 2 " in council_line

    steps = _json("history", COUNCIL, *db)["steps"]
    counted = [
        (s["event"]["id"], c["before"], c["after"])
        for s in steps
        for c in s["changes"]
        if c["field"] == "meetings held"
    ]
    assert counted == [("nrc-met-2019-07", "none reported", "1"), ("nrc-met-2019-11", "1", "2")]

    changes = _json("diff", "2019-08-01", "2019-12-31", "--channel", COUNCIL, *db)["changes"]
    meetings = next(c for c in changes if c["field"] == "meetings held")
    assert (meetings["before"]["text"], meetings["after"]["text"]) == ("1", "2")
    assert (meetings["before"]["value"], meetings["after"]["value"]) == (1, 2)
    assert [e["id"] for e in meetings["events"]] == ["nrc-met-2019-11"]

    why = _json("why", COUNCIL, "--as-of", "2019-12-31", *db)
    assert "nrc-met-2019-11" in [e["id"] for e in why["events"]]


def test_every_declared_fact_is_said_the_same_in_history_and_diff(
    bundled_location: str,
) -> None:
    """The words for a value come from its declaration alone, so the history's `after` on the
    day of a change and the diff's `after` across it are the same text."""
    db = ["--db", bundled_location]
    steps = _json("history", "russia-mission-to-nato", *db)["steps"]
    said = {(c["field"], c["after"]) for s in steps for c in s["changes"]}
    changes = _json("diff", "2014-01-01", "2021-10-20", "--channel", "russia-mission-to-nato", *db)
    for change in changes["changes"]:
        if change["field"] != "status":  # the diff adds the status's certainty on its date
            assert (change["field"], change["after"]["text"]) in said


@pytest.mark.parametrize(
    ("fact", "words"),
    [
        (Fact(), "unknown"),
        (Fact(None, Basis.UNKNOWN, "cut-of-unreported-size"), "unknown (not reported)"),
        (Fact(20, Basis.INFERRED, "later-cut"), "20 (inferred)"),
        (Fact(10, Basis.REPORTED, "cut"), "10"),
    ],
)
def test_the_cap_is_said_one_way(fact: Fact, words: str) -> None:
    assert tracked.STAFF_CAP.say(fact) == words


def test_a_new_fact_reaches_the_html_report(
    meetings_declared: None, ledger_with_meetings: str, tmp_path: Path
) -> None:
    """The report's state table takes its columns and words from the declarations,
    as the terminal's does, in the table written for the as-of date and in the rows the
    page's script copies for any other date."""
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["report", "--as-of", "2019-12-31", "--out", str(out), "--db", ledger_with_meetings]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    head = page.split('<table id="state">')[1].split("</thead>")[0]
    heads = re.findall(r"<th>([^<]*)</th>", head)
    assert heads == ["Channel", "Name", "Status", "Since", "Staff cap", "Meetings"]
    council = page.split(f'<tr data-channel="{COUNCIL}"')[1].split("</tr>")[0]
    assert re.findall(r"<td data-cell>([^<]*)</td>", council)[-1] == "2"
    found = re.search(r'<script type="application/json" id="chancery-data">(.*?)</script>', page)
    assert found is not None
    rows = json.loads(found.group(1))["segments"][COUNCIL]

    def meetings_on(day: str) -> str:
        (row,) = [
            r for r in rows if (r["start"] or "") <= day and (r["end"] is None or day < r["end"])
        ]
        return row["cells"][heads.index("Meetings") - 2]

    assert [meetings_on(d) for d in ("2019-07-04", "2019-07-05", "2019-11-20")] == [
        "none reported",
        "1",
        "2",
    ]
    mission = json.loads(found.group(1))["segments"]["russia-mission-to-nato"]
    assert all(row["cells"][heads.index("Meetings") - 2] == "" for row in mission)
