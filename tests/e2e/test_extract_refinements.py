"""Reports of recorded events come out of `extract` as refinements and corroborations, never
as second events: the 2015 and 2018 cuts of Russia's mission to NATO, which the bundled data
records without numbers, get their caps from two reports of the project's own writing, so
that `history` then shows every step of the cap."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from chancery.cli import app
from typer.testing import CliRunner

WIRE_2015 = (
    "Alliance puts a ceiling on Russian staff in Brussels\n\n"
    "BRUSSELS, Aug 20 (Wire) - NATO has limited the number of accredited staff at Russia's "
    "mission to the alliance to 30, two officials told reporters on Thursday, as ties stay "
    "frozen over Ukraine.\n"
)

PRESS_POINT_2018 = (
    "Press point by the Secretary General\n\n"
    "SECRETARY GENERAL: Good afternoon. Today I have withdrawn the accreditation of seven "
    "members of the Russian mission to NATO. We have also cut the maximum size of the "
    "Russian mission by ten, from 30 to 20.\n"
)


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_cap_reports_refine_the_bundled_cuts_and_history_shows_each_step(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "ledger.sqlite")
    invoke("import", "--bundled", "--db", db)
    drafts = []
    for name, text, published in (
        ("wire-2015.txt", WIRE_2015, "2015-08-21"),
        ("press-point-2018.txt", PRESS_POINT_2018, "2018-03-27"),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        draft = invoke("extract", str(path), "--published", published, "--db", db)
        entries = yaml.safe_load(draft)["events"]
        caps = [e for e in entries if e.get("to_cap") is not None]
        assert len(caps) == 1 and caps[0]["type"] == "refinement", entries
        assert not any(e["type"] == "staff_cap_changed" for e in entries)
        drafts.append(tmp_path / f"{name}.yaml")
        drafts[-1].write_text(draft, encoding="utf-8")
    [cut_2015] = [e for e in yaml.safe_load(drafts[0].read_text())["events"] if "to_cap" in e]
    assert (cut_2015["refines"], cut_2015["to_cap"]) == ("russia-mission-staff-cap-cut-2015", 30)
    [cut_2018] = [e for e in yaml.safe_load(drafts[1].read_text())["events"] if "to_cap" in e]
    assert cut_2018["refines"] == "russia-mission-staff-cap-cut-2018"
    assert (cut_2018["from_cap"], cut_2018["to_cap"]) == (30, 20)
    invoke("import", *map(str, drafts), "--db", db)
    history = invoke("history", "russia-mission-to-nato", "--db", db)
    steps = [
        line.split("staff cap:")[1].strip() for line in history.splitlines() if "staff cap:" in line
    ]
    assert steps == ["unknown → 30", "30 → 20", "20 → 10"]


def test_a_second_report_of_a_recorded_expulsion_is_a_corroboration(tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.sqlite")
    invoke("import", "--bundled", "--db", db)
    path = tmp_path / "report.txt"
    path.write_text(
        "NATO on 6 October 2021 withdrew the accreditation of eight Russian diplomats at "
        "Russia's mission to NATO.\n",
        encoding="utf-8",
    )
    draft = json.loads(
        invoke("extract", str(path), "--published", "2021-10-08", "--db", db, "--json")
    )
    assert [e["match"]["kind"] for e in draft["events"]] == ["corroborates"]
    entries = yaml.safe_load(invoke("extract", str(path), "--published", "2021-10-08", "--db", db))
    [entry] = entries["events"]
    assert entry["type"] == "corroboration"
    assert entry["corroborates"] == "russia-mission-accreditations-withdrawn-2021-10-06"
