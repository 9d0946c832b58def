"""The command line: tables for people, a stable JSON contract for machines, one-line errors."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chancery.cli import app
from typer.testing import CliRunner

from tests.conftest import event

runner = CliRunner()

CHANNEL_KEYS = {
    "id",
    "name",
    "kind",
    "parties",
    "status",
    "status_basis",
    "certainty",
    "since",
    "status_event",
    "staff_cap",
    "staff_cap_basis",
    "staff_cap_event",
    "accreditations_withdrawn",
    "pending_invitations",
    "last_meeting",
    "latest_event",
    "last_reported",
    "last_reported_end",
    "possible_changes",
    "disputes",
    "facts",
}
FACT_KEYS = {"value", "basis", "event", "certainty", "text", "announced"}


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def run_json(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_state_json_contract_lists_every_channel_with_every_key(bundled_location: str) -> None:
    data = run_json("state", "--as-of", "2021-10-20", "--db", bundled_location)
    assert data["as_of"] == "2021-10-20"
    assert data["known_at"] is None
    slugs = [c["id"] for c in data["channels"]]
    assert {
        "nato-russia-council",
        "russia-mission-to-nato",
        "nato-military-liaison-mission-moscow",
        "nato-information-office-moscow",
        "nato-russia-practical-cooperation",
        "nato-russia-military-contacts",
    } <= set(slugs)
    for channel in data["channels"]:
        assert set(channel) == CHANNEL_KEYS, channel["id"]
        assert channel["status"] in {"active", "suspended", "closed", "unknown"}
        assert channel["certainty"] in {"certain", "possible", "announced", "unknown"}
        # Certainty is said of a known status only (one vocabulary, JSON included).
        assert (channel["certainty"] == "unknown") == (
            channel["status"] == "unknown" and channel["certainty"] != "possible"
        )
        for invitation in channel["pending_invitations"]:
            assert {"date", "disputed"} <= set(invitation)
        # The generic facts and the flat keys promised since 0.1 are one and the same.
        facts = channel["facts"]
        capped = channel["kind"] in {"mission", "office"}
        expected = {"status", "last_meeting"} | (
            {"staff_cap", "accreditations_withdrawn"} if capped else set()
        )
        assert set(facts) == expected, channel["id"]
        assert all(set(fact) == FACT_KEYS for fact in facts.values())
        assert facts["status"]["value"] in (channel["status"], None)
        assert facts["status"]["basis"] == channel["status_basis"]
        assert facts["status"]["event"] == channel["status_event"]
        meeting = channel["last_meeting"]
        assert facts["last_meeting"]["event"] == (meeting["id"] if meeting else None)
        if capped:
            assert facts["staff_cap"]["value"] == channel["staff_cap"]
            assert facts["staff_cap"]["basis"] == channel["staff_cap_basis"]
            assert facts["staff_cap"]["event"] == channel["staff_cap_event"]
            withdrawn = facts["accreditations_withdrawn"]["value"]
            assert withdrawn == channel["accreditations_withdrawn"]


def test_state_json_on_the_mission_reads_as_the_articles_say(bundled_location: str) -> None:
    before = run_json(
        "state",
        "--as-of",
        "2021-10-05",
        "--channel",
        "russia-mission-to-nato",
        "--db",
        bundled_location,
    )["channels"][0]
    after_cut = run_json(
        "state",
        "--as-of",
        "2021-10-10",
        "--channel",
        "russia-mission-to-nato",
        "--db",
        bundled_location,
    )["channels"][0]
    suspended = run_json(
        "state",
        "--as-of",
        "2021-10-20",
        "--channel",
        "russia-mission-to-nato",
        "--db",
        bundled_location,
    )["channels"][0]
    assert (before["staff_cap"], before["staff_cap_basis"]) == (20, "inferred")
    assert (after_cut["staff_cap"], after_cut["staff_cap_basis"]) == (10, "reported")
    assert after_cut["accreditations_withdrawn"] == 8
    assert suspended["status"] == "suspended"
    assert suspended["since"] == "2021-10-18"


def test_state_table_names_the_basis_and_footnotes_disputes(bundled_location: str) -> None:
    result = run("state", "--as-of", "2021-10-20", "--db", bundled_location)
    assert result.exit_code == 0, result.output
    assert "as of 2021-10-20" in result.stdout
    assert "russia-mission-to-nato" in result.stdout
    assert "suspended" in result.stdout
    assert "[1]" in result.stdout  # at least one dispute footnote


def test_known_at_limits_the_state_to_what_was_reported(bundled_location: str) -> None:
    early = run_json(
        "state",
        "--as-of",
        "2021-10-20",
        "--known-at",
        "2021-10-10",
        "--channel",
        "russia-mission-to-nato",
        "--db",
        bundled_location,
    )
    assert early["known_at"] == "2021-10-10"
    assert early["channels"][0]["status"] != "suspended"


def test_history_lists_changes_in_valid_time_order(bundled_location: str) -> None:
    data = run_json("history", "russia-mission-to-nato", "--db", bundled_location)
    earliest = [step["event"]["earliest"] for step in data["steps"]]
    assert earliest == sorted(earliest)
    changes = [(c["field"], c["before"], c["after"]) for s in data["steps"] for c in s["changes"]]
    assert ("staff cap", "20 (inferred)", "10") in changes
    suspended = "suspended (announced 2021-10-18; effective date not reported)"
    assert ("status", "active (inferred)", suspended) in changes
    # The 2015 and 2018 cuts: each moved the cap to a value no source gives, and says so.
    cuts = {
        s["event"]["id"]: [(c["field"], c["before"], c["after"]) for c in s["changes"]]
        for s in data["steps"]
        if s["event"]["id"].startswith("russia-mission-staff-cap-cut-201")
    }
    assert ("staff cap", "unknown", "unknown (not reported)") in cuts[
        "russia-mission-staff-cap-cut-2015"
    ]
    # After the 2018 cut the cap is the 2021 cut's "from 20", inferred, as `state --as-of
    # 2019` says it: history shows the step in the same words.
    assert cuts["russia-mission-staff-cap-cut-2018"] == [
        ("staff cap", "unknown (not reported)", "20 (inferred)")
    ]


def test_events_json_contract_and_filters(bundled_location: str) -> None:
    data = run_json(
        "events",
        "--channel",
        "russia-mission-to-nato",
        "--from",
        "2021",
        "--to",
        "2021-10-31",
        "--db",
        bundled_location,
    )
    assert data["events"], "the mission has 2021 events"
    for item in data["events"]:
        assert {"id", "type", "channel", "date", "citations"} <= set(item)
        assert item["channel"] == "russia-mission-to-nato"
        assert item["latest"] >= "2021-01-01" and item["earliest"] <= "2021-10-31"
        assert all({"source", "quote"} <= set(c) for c in item["citations"])


def test_sources_and_disputes_json(bundled_location: str) -> None:
    sources = run_json("sources", "--db", bundled_location)["sources"]
    assert len(sources) == 5
    assert all(s["events"] for s in sources), "every source supports at least one event"
    disputes = run_json("disputes", "--db", bundled_location)["disputes"]
    assert any(d["about"] == "date" and d["event"] == "nrc-invitation-2020" for d in disputes)


def test_why_returns_the_cited_events_behind_the_state(bundled_location: str) -> None:
    data = run_json(
        "why", "russia-mission-to-nato", "--as-of", "2021-10-20", "--db", bundled_location
    )
    ids = {e["id"] for e in data["events"]}
    assert data["state"]["status_event"] in ids
    assert data["state"]["staff_cap_event"] in ids
    assert all(e["citations"] for e in data["events"])


def test_schema_is_a_json_schema_of_the_import_file() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert set(schema["properties"]) == {"chancery", "parties", "channels", "sources", "events"}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["state", "--as-of", "2021-02-30"], "--as-of"),
        (["state", "--as-of", "2021-13"], "--as-of"),
        (["state", "--as-of", "yesterday"], "--as-of"),
        (["state", "--known-at", "20211"], "--known-at"),
        (["state", "--channel", "no-such-channel"], "unknown channel 'no-such-channel'"),
        (["history", "no-such-channel"], "unknown channel 'no-such-channel'"),
        (["events", "--from", "2021-00"], "--from"),
    ],
)
def test_bad_arguments_get_one_line_and_no_traceback(
    bundled_location: str, args: list[str], fragment: str
) -> None:
    result = run(*args, "--db", bundled_location)
    assert result.exit_code == 2  # a usage error, as the parser's own
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_missing_named_ledger_is_an_error_not_an_empty_answer(ledger_location: str) -> None:
    result = run("state", "--db", ledger_location)
    assert result.exit_code == 1
    assert "no ledger" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    if "://" not in ledger_location:
        assert not Path(ledger_location).exists()
    else:
        assert "import data into it first" in result.stderr


def test_the_default_ledger_is_filled_with_the_bundled_data_once(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "CHANCERY_DB": ""}
    first = run("state", "--as-of", "2021-10-20", "--json", env=env)
    assert first.exit_code == 0, first.output
    assert "imported the bundled" in first.stderr
    assert (tmp_path / "data" / "chancery" / "ledger.sqlite").exists()
    second = run("state", "--as-of", "2021-10-20", "--json", env=env)
    assert second.exit_code == 0
    assert second.stderr == ""
    assert json.loads(first.stdout) == json.loads(second.stdout)


def test_chancery_db_environment_names_the_ledger(bundled_location: str) -> None:
    result = run("state", "--as-of", "2021-10-20", "--json", env={"CHANCERY_DB": bundled_location})
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_import_reports_added_then_nothing(ledger_location: str) -> None:
    db = ledger_location
    first = json.loads(run("import", "--bundled", "--db", db, "--json").stdout)
    again = json.loads(run("import", "--bundled", "--db", db, "--json").stdout)
    assert first["added"]["events"] > 0
    assert again["added"] == {}
    assert again["unchanged"]["events"] == first["added"]["events"]


def test_failed_import_into_a_new_ledger_leaves_no_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("events: [ {id: x", encoding="utf-8")
    db = tmp_path / "new.sqlite"
    result = run("import", str(bad), "--db", str(db))
    assert result.exit_code == 1
    assert str(bad) in result.stderr
    assert not db.exists()


def test_an_import_refused_by_a_rule_leaves_no_new_ledger_file(
    tmp_path: Path, world: Callable[..., Path]
) -> None:
    bad = world(
        event("suspended", "mission_suspended", "mission", "2021-10-18", actor="russia"),
        event("cut", "staff_cap_changed", "mission", "2021-11-02", from_cap=10, to_cap=5),
    )
    db = tmp_path / "new.sqlite"
    result = run("import", str(bad), "--db", str(db))
    assert result.exit_code == 1
    assert "no-action-on-ended-channel" in result.stderr
    assert "events[1]" in result.stderr
    assert not db.exists()


def test_verify_replays_the_ledger_and_prints_counts(bundled_location: str) -> None:
    data = run_json("verify", "--db", bundled_location)
    assert data["ok"] is True
    assert data["problems"] == []
    assert data["counts"]["events"] == 23
    assert data["counts"]["channels"] == 8
    assert data["counts"]["sources"] == 5
    assert data["counts"]["disputes"] == 5


def test_verify_checks_quotes_against_the_articles(bundled_location: str, tmp_path: Path) -> None:
    from chancery.importing.dataset import load_file
    from chancery.seeds import bundled_paths

    sources = load_file(bundled_paths()[0]).dataset.sources
    for source in sources:  # articles that say nothing the ledger quotes
        (tmp_path / str(source.file)).write_text("unrelated text", encoding="utf-8")
    result = run("verify", "--db", bundled_location, "--articles", str(tmp_path))
    assert result.exit_code == 1
    assert "quote not found verbatim" in result.stderr
    assert "PROBLEMS FOUND" in result.stdout


def test_a_file_that_is_not_a_ledger_is_refused_in_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_text("this is not a database", encoding="utf-8")
    result = run("state", "--db", str(junk))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"chancery: error: '{junk}' is not a Chancery ledger (not a SQLite database); "
        "it was left untouched"
    )
    assert junk.read_text(encoding="utf-8") == "this is not a database"


def test_a_copy_of_the_ledger_file_taken_after_a_command_holds_the_whole_ledger(
    tmp_path: Path,
) -> None:
    """SQLite keeps recent writes in the -wal file: closing the ledger checkpoints them."""
    ledger = tmp_path / "ledger.sqlite"
    assert run("import", "--bundled", "--db", str(ledger)).exit_code == 0
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(ledger.read_bytes())  # the file alone, as a backup tool would take it
    result = run("events", "--json", "--db", str(copy))
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["events"]) == 23
    state = run("state", "--as-of", "2021-10-20", "--json", "--db", str(copy))
    mission = next(
        c for c in json.loads(state.stdout)["channels"] if c["id"] == "russia-mission-to-nato"
    )
    assert (mission["status"], mission["staff_cap"]) == ("suspended", 10)


def test_reindex_rebuilds_the_read_model_and_verify_checks_it(tmp_path: Path) -> None:
    ledger = str(tmp_path / "ledger.sqlite")
    assert run("import", "--bundled", "--db", ledger).exit_code == 0
    with sqlite3.connect(ledger) as conn:  # damage the read model behind Chancery's back
        conn.execute("UPDATE chancery_states SET state = replace(state, 'suspended', 'active')")
    damaged = run("verify", "--db", ledger)
    assert damaged.exit_code == 1
    assert "read model of 'russia-mission-to-nato' differs" in damaged.output
    rebuilt = run("reindex", "--db", ledger)
    assert rebuilt.exit_code == 0 and "8 channels" in rebuilt.stdout
    assert run("verify", "--db", ledger).exit_code == 0


def test_a_long_import_shows_progress_on_a_terminal_and_nothing_in_a_pipe(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The bar appears only on a terminal and only after the delay; it reports each stage."""
    from chancery.terminal.progress import StderrProgress

    with StderrProgress(delay=0, enabled=True) as progress:
        progress("writing events", 1000, 4000)
        progress("writing events", 4000, 4000)
        assert progress.bar is not None
        (task,) = progress.bar.tasks
        assert (task.description, task.completed, task.total) == ("writing events", 4000, 4000)
    with StderrProgress(delay=0, enabled=False) as quiet:
        quiet("writing events", 1, 2)
        assert quiet.bar is None
    with StderrProgress(delay=60, enabled=True) as patient:
        patient("writing events", 1, 2)
        assert patient.bar is None, "a quick command shows no bar"
