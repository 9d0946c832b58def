"""`chancery log` and `chancery retract --import N` on the command line: the log newest first
(table and JSON), a retraction in one step, refusals in one line."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chancery.cli import app
from typer.testing import CliRunner

from tests.conftest import event

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def run_json(*args: str, env: dict[str, str] | None = None) -> Any:
    result = run(*args, "--json", env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def one_line_error(result: Any, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return str(result.stderr)


def test_the_default_ledger_logs_its_bundled_import_under_chancery_user(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "CHANCERY_DB": "", "CHANCERY_USER": "desk-7"}
    log = run_json("log", env=env)
    (entry,) = log["imports"]
    assert (entry["number"], entry["user"], log["total"]) == (1, "desk-7", 1)
    assert [f["bundled"] for f in entry["files"]] == [True]
    assert entry["added"]["events"] > 0 and entry["retracted_by"] is None


def test_import_log_retract_then_the_events_are_gone_and_verify_is_clean(
    tmp_path: Path, world: Callable[..., Path]
) -> None:
    db = ("--db", str(tmp_path / "ledger.sqlite"))
    kept = world(event("met-kept", "meeting_held", "council", "2022-01-05"))
    mistaken = world(
        event("met-1", "meeting_held", "council", "2022-01-10"),
        event("met-2", "meeting_held", "council", "2022-01-20"),
    )
    assert run("import", str(kept), *db).exit_code == 0
    as_intern = {"CHANCERY_USER": "[bold]intern[/]"}
    assert run("import", str(mistaken), *db, env=as_intern).exit_code == 0
    table = run("log", *db, env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "[bold]intern[/]" in table.stdout  # a user's name is data, not markup
    assert hashlib.sha256(mistaken.read_bytes()).hexdigest() in table.stdout

    retracted = run("retract", "--import", "2", "--reason", "both reports withdrawn", *db)
    assert retracted.exit_code == 0, retracted.output
    assert "retracted import 2" in retracted.stdout
    listed = run_json("events", "--channel", "council", *db)
    assert [e["id"] for e in listed["events"]] == ["met-kept"]
    assert run("verify", *db).exit_code == 0

    log = run_json("log", "--limit", "2", *db)
    assert [(e["number"], e["retracts"], e["retracted_by"]) for e in log["imports"]] == [
        (3, 2, None),
        (2, None, 3),
    ]
    assert log["imports"][0]["reason"] == "both reports withdrawn"
    assert log["total"] == 3
    with_ids = run_json("log", "--ids", *db)["imports"]
    assert [e["ids"] for e in with_ids] == [
        ["import-2-retracts-met-1", "import-2-retracts-met-2"],
        ["met-1", "met-2"],
        ["met-kept"],
    ]

    again = run("retract", "--import", "2", "--reason", "again", *db)
    assert "already retracted, by entry 3" in one_line_error(again, 1)


def test_a_retraction_refused_by_a_later_answer_names_it_in_one_line(
    tmp_path: Path, world: Callable[..., Path], write_file: Callable[..., Path]
) -> None:
    db = ("--db", str(tmp_path / "ledger.sqlite"))
    answer = event("met-answer", "meeting_held", "council", "2022-01-25", in_response_to="met-1")
    first = world(event("met-1", "meeting_held", "council", "2022-01-10"))
    assert run("import", str(first), *db).exit_code == 0
    assert run("import", str(write_file({"chancery": 1, "events": [answer]})), *db).exit_code == 0
    refused = run("retract", "--import", "1", "--reason", "mistaken", *db)
    message = one_line_error(refused, 1)
    assert "'met-answer' (import 2) answers 'met-1'" in message
    assert run_json("log", *db)["total"] == 2


def test_usage_errors_of_log_and_retract_and_unknown_imports_exit_2(
    tmp_path: Path, world: Callable[..., Path]
) -> None:
    db = ("--db", str(tmp_path / "ledger.sqlite"))
    first = world(event("m", "meeting_held", "council", "2022-01-10"))
    assert run("import", str(first), *db).exit_code == 0
    one_line_error(run("retract", "--import", "1", *db), 2)  # no --reason
    one_line_error(run("retract", "--import", "0", "--reason", "x", *db), 2)
    one_line_error(run("log", "--limit", "0", *db), 2)
    unknown = run("retract", "--import", "5", "--reason", "x", *db)
    assert "holds entries 1 to 1" in one_line_error(unknown, 2)


def test_a_copy_of_the_ledger_file_taken_after_a_retraction_holds_it(
    tmp_path: Path, world: Callable[..., Path]
) -> None:
    """Closing the ledger after a retraction moves the write-ahead log into the file (no
    snapshot of the command's own checks holds it back)."""
    ledger = tmp_path / "ledger.sqlite"
    first = world(event("met-1", "meeting_held", "council", "2022-01-10"))
    assert run("import", str(first), "--db", str(ledger)).exit_code == 0
    assert run("retract", "--import", "1", "--reason", "test", "--db", str(ledger)).exit_code == 0
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(ledger.read_bytes())  # the file alone, as a backup tool would take it
    assert run_json("events", "--db", str(copy))["events"] == []
    assert run_json("log", "--db", str(copy))["total"] == 2
