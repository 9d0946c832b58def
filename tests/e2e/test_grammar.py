"""One grammar for every command: `--json` wherever data is printed, a channel named by
`--channel` (the older positional form still taken), usage errors exiting 2 in one line,
help for a bare `chancery`, completion from the ledger, did-you-mean for a channel, and words
rather than type names in the views."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.cli import app
from chancery.projections.words import type_words
from chancery.seeds import bundled_paths
from typer.testing import CliRunner

runner = CliRunner()
MISSION = "russia-mission-to-nato"

BAD_DATE = "2021-13-40"
DATED_COMMANDS = [
    ["state", "--as-of", BAD_DATE],
    ["history", "--channel", MISSION, "--known-at", BAD_DATE],
    ["events", "--from", BAD_DATE],
    ["events", "--to", BAD_DATE],
    ["sources", "--known-at", BAD_DATE],
    ["disputes", "--known-at", BAD_DATE],
    ["why", "--channel", MISSION, "--as-of", BAD_DATE],
    ["diff", BAD_DATE, "2021-10-20"],
    ["diff", "2021-10-01", "2021-10-20", "--known-at", BAD_DATE],
    ["timeline", "--out", "{tmp}/t.png", "--from", BAD_DATE],
    ["report", "--out", "{tmp}/r.html", "--as-of", BAD_DATE],
    ["search", "mission", "--known-at", BAD_DATE],
    ["series", "--from", BAD_DATE, "--to", "2021-12"],
    ["series", "--from", "2021-01", "--to", "2021-12", "--known-at", BAD_DATE],
]
MISSPELT = "russia-misison-to-nato"
CHANNEL_COMMANDS = [
    ["state", "--channel", "{channel}"],
    ["history", "--channel", "{channel}"],
    ["history", "{channel}"],
    ["events", "--channel", "{channel}"],
    ["why", "--channel", "{channel}"],
    ["why", "{channel}"],
    ["diff", "2021-10-01", "2021-10-20", "--channel", "{channel}"],
    ["timeline", "--out", "{tmp}/t.png", "--channel", "{channel}"],
    ["search", "mission", "--channel", "{channel}"],
    ["series", "--from", "2021-01", "--to", "2021-12", "--channel", "{channel}"],
]


def run(*args: str, env: dict[str, str | None] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env, prog_name="chancery")


def filled(args: list[str], tmp: Path, channel: str = "") -> list[str]:
    return [a.format(tmp=tmp, channel=channel) for a in args]


def assert_usage_error(result: Any, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("chancery: error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("args", DATED_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_bad_date_is_a_usage_error_in_every_command(
    bundled_location: str, tmp_path: Path, args: list[str]
) -> None:
    result = run(*filled(args, tmp_path), "--db", bundled_location)
    assert_usage_error(result, BAD_DATE)


@pytest.mark.parametrize("args", CHANNEL_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_an_unknown_channel_is_a_usage_error_with_the_nearest_slug(
    bundled_location: str, tmp_path: Path, args: list[str]
) -> None:
    result = run(*filled(args, tmp_path, MISSPELT), "--db", bundled_location)
    assert_usage_error(result, f"unknown channel '{MISSPELT}'", f"did you mean '{MISSION}'?")
    far = run(*filled(args, tmp_path, "zzzz"), "--db", bundled_location)
    assert_usage_error(far, "unknown channel 'zzzz'", MISSION)  # nothing near: the list
    assert "did you mean" not in far.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["export", "--format", "xml"], "--format"),
        (["timeline", "--out", "{tmp}/t.pdf"], "--out"),
        (["diff", "2021-10-20", "2021-10-01"], "after SECOND"),
        (["diff", "2021-10-01", "2021-10-20", "--axis", "sideways"], "--axis"),
        (["history", MISSION, "--channel", "nato-russia-council"], "two channels"),
        (["history"], "--channel"),
        (["new", "staff_cap_change"], "did you mean 'staff_cap_changed'?"),
        (["dyad", "UK", "RU"], "did you mean 'GB'?"),
        (["show", "no-such-event"], "no-such-event"),
        (["import"], "--bundled"),
        (["state", "--bogus"], "--bogus"),
    ],
)
def test_other_usage_errors_exit_2_in_one_line(
    bundled_location: str, tmp_path: Path, args: list[str], fragment: str
) -> None:
    needs_ledger = args[0] not in ("new", "dyad")
    tail = ["--db", bundled_location] if needs_ledger else []
    assert_usage_error(run(*filled(args, tmp_path), *tail), fragment)


def test_bare_chancery_prints_help_and_no_error() -> None:
    result = run()
    assert result.exit_code in (0, 2)
    assert "Usage" in result.stdout and "state" in result.stdout and "--help" in result.stdout
    assert "error" not in result.stderr


def test_history_and_why_take_the_channel_either_way(bundled_location: str) -> None:
    for command in (["history"], ["why", "--as-of", "2021-10-20"]):
        tail = [*command[1:], "--db", bundled_location, "--json"]
        by_option = run(command[0], "--channel", MISSION, *tail)
        by_position = run(command[0], MISSION, *tail)
        assert by_option.exit_code == by_position.exit_code == 0, by_option.output
        assert json.loads(by_option.stdout) == json.loads(by_position.stdout)
        assert json.loads(by_option.stdout)["channel"] == MISSION


@pytest.fixture
def own_ledger(tmp_path: Path) -> str:
    """A SQLite ledger of the bundled data that a test may write to."""
    location = str(tmp_path / "own.sqlite")
    assert run("import", "--bundled", "--db", location).exit_code == 0
    return location


def test_every_command_that_prints_data_prints_json(own_ledger: str, tmp_path: Path) -> None:
    event_id = "russia-mission-accreditations-withdrawn-2021-10-06"
    article = tmp_path / "article.txt"
    article.write_text(
        "NATO withdrew the accreditation of eight members of the Russian "
        "mission on 6 October 2021.",
        encoding="utf-8",
    )
    draft = tmp_path / "draft.yaml"
    draft.write_text(Path(bundled_paths()[0]).read_text(encoding="utf-8"), encoding="utf-8")
    commands = {
        "state": ["state", "--as-of", "2021-10-20"],
        "history": ["history", "--channel", MISSION],
        "events": ["events", "--channel", MISSION],
        "sources": ["sources"],
        "disputes": ["disputes"],
        "why": ["why", "--channel", MISSION, "--as-of", "2021-10-20"],
        "diff": ["diff", "2021-10-01", "2021-10-20"],
        "search": ["search", "intelligence officers"],
        "series": ["series", "--from", "2021-09", "--to", "2021-12"],
        "import": ["import", str(draft)],
        "import --dry-run": ["import", str(draft), "--dry-run"],
        "log": ["log"],
        "verify": ["verify"],
        "reindex": ["reindex"],
        "show": ["show", event_id],
        "extract": ["extract", str(article), "--published", "2021-10-07"],
    }
    ledgerless = {
        "new": ["new", "staff_cap_changed"],
        "dyad": ["dyad", "GB", "RU"],
        "schema": ["schema"],
    }
    for name, args in [*commands.items(), *ledgerless.items()]:
        tail = ["--db", own_ledger] if name in commands else []
        result = run(*args, *tail, "--json")
        assert result.exit_code == 0, (name, result.output)
        assert isinstance(json.loads(result.stdout), dict), name


def test_json_of_an_import_file_is_the_file_itself() -> None:
    """`new` and `dyad` print a commented import file; with --json, the same document."""
    for args in (["new", "staff_cap_changed"], ["dyad", "GB", "RU"]):
        as_yaml, as_json = run(*args), run(*args, "--json")
        assert as_yaml.exit_code == as_json.exit_code == 0
        assert json.loads(as_json.stdout) == yaml.safe_load(as_yaml.stdout)


def test_reindex_json_counts_the_channels(own_ledger: str) -> None:
    state = json.loads(run("state", "--db", own_ledger, "--json").stdout)
    result = run("reindex", "--db", own_ledger, "--json")
    assert json.loads(result.stdout) == {"channels": len(state["channels"])}


def complete(words: str, env: dict[str, str | None] | None = None) -> list[str]:
    """What bash completion offers for the last word of `words` (empty: a new word)."""
    parts = words.split(" ")
    result = run(
        env={
            "_CHANCERY_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            **(env or {}),
        }
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]


def test_completion_offers_the_ledgers_channel_slugs(bundled_location: str) -> None:
    slugs = json.loads(run("state", "--db", bundled_location, "--json").stdout)["channels"]
    every = [channel["id"] for channel in slugs]
    offered = complete(f"chancery state --db {bundled_location} --channel ")
    assert offered == every
    assert complete(f"chancery why --db {bundled_location} russia-m") == [MISSION]
    assert MISSION in complete(f"chancery history --db {bundled_location} --channel russia")
    assert complete(f"chancery events --db {bundled_location} --channel zzz") == []


def test_completion_offers_party_codes_and_action_types() -> None:
    codes = complete("chancery dyad ")
    assert {"NATO", "RU", "GB", "US"} <= set(codes)
    assert "GB" in complete("chancery dyad G") and "RU" not in complete("chancery dyad G")
    types = complete("chancery new staff")
    assert types and all(t.startswith("staff") for t in types)
    assert "staff_cap_changed" in types


def test_completion_without_a_ledger_offers_nothing_and_creates_none(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env: dict[str, str | None] = {"XDG_DATA_HOME": str(home), "CHANCERY_DB": None}
    assert complete("chancery state --channel ", env) == []
    assert complete("chancery dyad ", env)  # every code still
    missing = tmp_path / "missing.sqlite"
    assert complete(f"chancery history --db {missing} --channel ", env) == []
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database")
    assert complete(f"chancery history --db {broken} ", env) == []
    assert not missing.exists() and not home.exists()


def test_a_misspelt_channel_in_an_import_file_gets_the_nearest_slug(
    own_ledger: str, tmp_path: Path
) -> None:
    path = tmp_path / "slip.yaml"
    record = {
        "id": "slip-1",
        "type": "meeting_held",
        "channel": "nato-russia-councel",
        "actor": "nato",
        "date": {"edtf": "2021-01-01"},
        "citations": [{"source": "s", "quote": "q"}],
    }
    path.write_text(yaml.safe_dump({"chancery": 1, "events": [record]}), encoding="utf-8")
    for extra in ([], ["--dry-run"]):
        result = run("import", str(path), "--db", own_ledger, *extra)
        assert result.exit_code == 1, result.output  # the file's error, not a usage error
        assert "did you mean 'nato-russia-council'?" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_why_says_event_types_in_words(bundled_location: str) -> None:
    args = ["why", "--channel", MISSION, "--as-of", "2021-10-20", "--db", bundled_location]
    types = {event["type"] for event in json.loads(run(*args, "--json").stdout)["events"]}
    shown = run(*args).stdout
    assert types and any("_" in t for t in types)
    for event_type in types:
        assert type_words(event_type) in shown
        assert "_" not in event_type or event_type not in shown
