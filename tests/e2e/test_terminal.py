"""What reaches the terminal: free text as data (never markup, control characters shown)
and tables that read at 80 and 120 columns and in a pipe. Every check reads the rendered
output back."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chancery.cli import app
from chancery.importing.dataset import Dataset, LoadedFile
from chancery.importing.plan import import_files
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger
from chancery.terminal.safe import clean
from typer.testing import CliRunner

from tests.conftest import BASE_DECLARATIONS, event

runner = CliRunner()

OSC_TITLE = "\x1b]0;pwned\x07"
CLEAR_SCREEN = "\x1b[2J"
CONCEAL = "\x1b[8m"
HOSTILE_OUTLET = f"Example [/] Wire {OSC_TITLE}"
HOSTILE_HEADLINE = "[link=https://evil.example]click me[/link] [white on white]hidden[/]"
HOSTILE_QUOTE = f"NATO says the cap was [not] cut {CLEAR_SCREEN}{CONCEAL}and :smile: \u202eevil"
HOSTILE_CLAIM = "NATO says the cap was [not] cut [bold]"
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run(*args: str, columns: str | None = None) -> Any:
    return runner.invoke(app, list(args), env={"COLUMNS": columns})


@pytest.fixture
def hostile_ledger(ledger_location: str) -> str:
    """A ledger whose outlet, title, URL, quote, wording and dispute text are hostile."""
    declarations = json.loads(json.dumps(BASE_DECLARATIONS))
    declarations["sources"][0].update(
        outlet=HOSTILE_OUTLET, headline=HOSTILE_HEADLINE, url=f"https://x.example/{OSC_TITLE}"
    )
    claims = [
        {"says": HOSTILE_CLAIM, "party": "nato", "citations": [{"source": "src", "quote": "a"}]},
        {"says": "[red]Russia[/red] disagrees", "citations": [{"source": "late", "quote": "b"}]},
    ]
    record = event(
        "cut",
        "staff_cap_changed",
        "mission",
        {"edtf": "2021-10-06", "wording": "on [i]Wednesday[/i]"},
        from_cap=None,
        to_cap=10,
        citations=[{"source": "src", "quote": HOSTILE_QUOTE}],
        disputes=[{"about": "who [b]was[/b] expelled", "claims": claims}],
    )
    # Import files refuse control characters now; rows recorded before
    # that rule, or written behind Chancery's back, may still hold them. Validated as such
    # rows are (outside the import context), they go straight to the ledger.
    dataset = Dataset.model_validate({**declarations, "events": [record]})
    ledger = open_ledger(ledger_location, create=True)
    try:
        import_files(ledger, [LoadedFile("hostile.yaml", dataset, {})])
        ReadModel(ledger).catch_up()
    finally:
        ledger.close()
    return ledger_location


def _assert_shown_literally(output: str, *texts: str) -> None:
    assert not TERMINAL_CONTROLS.search(output), repr(output)
    flat = " ".join(output.split())
    for text in texts:
        assert " ".join(clean(text).split()) in flat, (text, output)


@pytest.mark.parametrize("columns", [None, "80", "200"])
def test_sources_show_hostile_outlet_and_title_as_recorded(
    hostile_ledger: str, columns: str | None
) -> None:
    result = run("sources", "--db", hostile_ledger, columns=columns)
    assert result.exit_code == 0, result.output
    _assert_shown_literally(result.stdout, "Example [/] Wire", HOSTILE_HEADLINE)
    assert "\\x1b]0;pwned\\x07" in result.stdout  # visible, not obeyed


def test_sources_json_carries_the_url_unchanged(hostile_ledger: str) -> None:
    result = run("sources", "--db", hostile_ledger, "--json")
    data = json.loads(result.stdout)
    urls = {s["id"]: s["url"] for s in data["sources"]}
    assert urls["src"] == f"https://x.example/{OSC_TITLE}"  # JSON escapes it; data is kept


@pytest.mark.parametrize("columns", [None, "120"])
def test_why_prints_quotes_with_brackets_and_no_escape_sequences(
    hostile_ledger: str, columns: str | None
) -> None:
    result = run("why", "mission", "--as-of", "2021-10-20", "--db", hostile_ledger, columns=columns)
    assert result.exit_code == 0, result.output
    _assert_shown_literally(result.stdout, HOSTILE_QUOTE, "Example [/] Wire")
    assert "[not]" in result.stdout and ":smile:" in result.stdout
    assert "\\x1b[2J" in result.stdout and "\\u202e" in result.stdout


@pytest.mark.parametrize("columns", [None, "100"])
def test_disputes_and_history_keep_bracketed_text(hostile_ledger: str, columns: str | None) -> None:
    disputes = run("disputes", "--db", hostile_ledger, columns=columns)
    assert disputes.exit_code == 0, disputes.output
    _assert_shown_literally(
        disputes.stdout, HOSTILE_CLAIM, "[red]Russia[/red] disagrees", "who [b]was[/b] expelled"
    )
    history = run("history", "mission", "--db", hostile_ledger, columns=columns)
    assert history.exit_code == 0, history.output
    _assert_shown_literally(history.stdout, "on [i]Wednesday[/i]")


@pytest.mark.parametrize("bad_id", [OSC_TITLE, CLEAR_SCREEN + "x", "a\nb[/]"])
def test_an_invalid_id_is_echoed_escaped_in_one_line(hostile_ledger: str, bad_id: str) -> None:
    result = run("history", bad_id, "--db", hostile_ledger)
    assert result.exit_code == 2  # an unknown channel is a usage error
    assert not TERMINAL_CONTROLS.search(result.stderr), repr(result.stderr)
    assert clean(bad_id, single_line=True) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_clean_makes_every_control_character_visible() -> None:
    assert clean("a\x1b[31mb\x07\x9b\u202ec\nd") == "a\\x1b[31mb\\x07\\x9b\\u202ec\nd"
    assert clean("a\nb", single_line=True) == "a\\nb"
    assert clean("[bold]x[/]") == "[bold]x[/]"


# ---------------------------------------------------------------- widths and layout

DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
TABLE_COMMANDS = [
    ("state", "--as-of", "2021-10-20"),
    ("state", "--as-of", "2021-10-05"),
    ("history", "russia-mission-to-nato"),
    ("history", "nato-russia-council"),
    ("events",),
    ("sources",),
    ("disputes",),
]


def _dates(*values: str | None) -> set[str]:
    return {d for v in values if v for d in DATE.findall(v) if len(d) == 10}


def _must_be_whole(command: str, data: Any) -> set[str]:
    """The dates and slugs a table shows, from the JSON answer: none may be split."""
    if command == "state":
        return {c["id"] for c in data["channels"]} | _dates(
            *(c["since"] for c in data["channels"]),
            *(c["latest_event"]["date"] for c in data["channels"] if c["latest_event"]),
        )
    if command in ("history", "events"):
        events = [s["event"] for s in data["steps"]] if command == "history" else data["events"]
        return (
            {e["id"] for e in events}
            | {c["source"] for e in events for c in e["citations"]}
            | (_dates(*(e["date"] for e in events)))
        )
    if command == "sources":
        return {s["id"] for s in data["sources"]} | _dates(
            *(s["published"] for s in data["sources"])
        )
    return {d["event"] for d in data["disputes"]}


@pytest.mark.parametrize("columns", ["80", "120"])
@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=" ".join)
def test_tables_fit_the_width_and_never_split_a_date_or_slug(
    bundled_location: str, args: tuple[str, ...], columns: str
) -> None:
    result = run(*args, "--db", bundled_location, columns=columns)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    too_wide = [line for line in lines if len(line) > int(columns)]
    assert not too_wide, too_wide
    tokens = {token.strip("│┃|,;:()[]“”") for line in lines for token in re.split(r"[\s│]+", line)}
    data = json.loads(run(*args, "--db", bundled_location, "--json").stdout)
    wanted = _must_be_whole(args[0], data)
    assert len(wanted) > 3
    missing = {word for word in wanted if word not in tokens}
    assert not missing, (missing, result.stdout)


ANNOUNCED_SUSPENSION = "suspended (announced 2021-10-18; effective date not reported)"


def test_state_at_120_columns_is_a_table_with_every_channel_on_its_row(
    bundled_location: str,
) -> None:
    result = run("state", "--as-of", "2021-10-20", "--db", bundled_location, columns="120")
    lines = result.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("│ russia-mission-to-nato"))
    row = lines[first : next(i for i in range(first, len(lines)) if lines[i].startswith("├"))]
    status = " ".join(line.split("│")[2].strip() for line in row)
    # Announced on 18 October, no effective date reported: said so, never "certain".
    assert " ".join(status.split()) == ANNOUNCED_SUSPENSION
    since = " ".join(line.split("│")[3].strip() for line in row).strip()
    assert since == "announced 2021-10-18"


def test_piped_output_is_plain_and_does_not_depend_on_a_width(bundled_location: str) -> None:
    result = run("state", "--as-of", "2021-10-20", "--db", bundled_location, columns=None)
    assert result.exit_code == 0
    assert "│" not in result.stdout and "┌" not in result.stdout
    lines = result.stdout.splitlines()
    assert "russia-mission-to-nato [1]" in lines or "russia-mission-to-nato" in " ".join(lines)
    mission = lines.index(next(line for line in lines if line.startswith("russia-mission-to-nato")))
    block = "\n".join(lines[mission : lines.index("", mission)])
    assert "Status:" in block and ANNOUNCED_SUSPENSION in block
    assert re.search(r"Staff cap: +10\n", block) and "8 accreditations withdrawn in all" in block


def test_one_vocabulary_unknown_has_no_certainty_and_inferred_is_said(
    bundled_location: str,
) -> None:
    result = run("state", "--as-of", "2021-10-05", "--db", bundled_location)
    text = result.stdout
    assert "unknown (no source gives it)" in text
    assert "unknown, certain" not in text and "unknown (no source gives it)," not in text
    mission = text[text.index("russia-mission-to-nato") :]
    assert "active (inferred), certain" in mission.split("\n\n")[0]
    assert "first evidence 2015" in mission.split("\n\n")[0]
    assert "20 (inferred)" in mission.split("\n\n")[0]
    why = run(
        "why", "russia-mission-to-nato", "--as-of", "2021-10-05", "--db", bundled_location
    ).stdout
    assert "active (inferred), certain, first evidence 2015" in why


def test_counts_say_what_they_count(ledger_location: str, world: Callable[..., Path]) -> None:
    path = world(event("one", "staff_cap_changed", "mission", "2021-10-06", to_cap=10))
    result = run("import", str(path), "--db", ledger_location)
    assert "1 event;" in result.stdout and "2 parties" in result.stdout
    assert "1 events" not in result.stdout and "1 sources" not in result.stdout
    again = run("sources", "--db", ledger_location)
    assert "1 event:" in again.stdout and "2 sources" in again.stdout


def test_help_has_no_type_noise_and_names_postgresql(bundled_location: str) -> None:
    text = run("state", "--help", columns="120").stdout
    assert "<bool>" not in text and "<str>" not in text and "list[" not in text
    assert "postgresql://" in text
    assert run("--version").stdout.startswith("chancery ")
    assert "--install-completion" in run("--help", columns="120").stdout


@pytest.mark.parametrize("argv", [["bad" + OSC_TITLE], ["state", "--bogus" + CLEAR_SCREEN]])
def test_usage_errors_do_not_pass_escape_sequences_through(argv: list[str]) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert not TERMINAL_CONTROLS.search(result.output), repr(result.output)
    assert "Traceback" not in result.output


def test_why_prose_fits_80_columns_with_ids_whole(bundled_location: str) -> None:
    args = ("why", "russia-mission-to-nato", "--as-of", "2021-10-20", "--db", bundled_location)
    result = run(*args, columns="80")
    lines = result.stdout.splitlines()
    assert lines and all(len(line) <= 80 for line in lines), lines
    data = json.loads(run(*args, "--json").stdout)
    tokens = set(result.stdout.split())
    assert {e["id"] for e in data["events"]} <= tokens


# Honest certainty. Each test builds its own small world (dates of its own).


def _state(ledger: str, as_of: str, channel: str = "mission") -> tuple[dict[str, Any], str]:
    data = json.loads(
        run("state", "--as-of", as_of, "--channel", channel, "--db", ledger, "--json").stdout
    )
    (state,) = data["channels"]
    table = run("state", "--as-of", as_of, "--channel", channel, "--db", ledger).stdout
    return state, " ".join(table.split())


def _imported(ledger: str, world: Callable[..., Path], *events: dict[str, Any]) -> str:
    result = run("import", str(world(*events)), "--db", ledger)
    assert result.exit_code == 0, result.output
    return ledger


def test_an_announced_action_reads_as_announced_in_every_view(
    ledger_location: str, world: Callable[..., Path], tmp_path: Path
) -> None:
    ledger = _imported(
        ledger_location,
        world,
        event("closing", "mission_suspended", "mission", "2021-11-02", status="announced"),
    )
    state, table = _state(ledger, "2021-11-10")
    announced = "suspended (announced 2021-11-02; effective date not reported)"
    assert (state["status"], state["status_basis"], state["certainty"]) == (
        "suspended",
        "announced",
        "announced",
    )
    assert state["facts"]["status"]["announced"] == "2021-11-02"
    assert state["facts"]["status"]["text"] == announced
    assert announced in table and "certain" not in table
    (step,) = json.loads(run("history", "mission", "--db", ledger, "--json").stdout)["steps"]
    assert step["certainty"] == "announced" and announced in step["changes"][0]["after"]
    history = " ".join(run("history", "mission", "--db", ledger).stdout.split())
    assert "(announced; effective date not reported)" in history and announced in history
    why = run("why", "mission", "--as-of", "2021-11-10", "--db", ledger).stdout
    first = " ".join(why.split("\n\n")[0].split())
    assert announced in first and "certain" not in why
    assert first.count("2021-11-02") == 1  # the date said once, in the status's own words
    diff = run("diff", "2021-11-01", "2021-11-10", "--db", ledger, "--json").stdout
    status = next(c for c in json.loads(diff)["changes"] if c["field"] == "status")
    assert announced in json.dumps(status["after"], ensure_ascii=False)
    report = tmp_path / "report.html"
    assert (
        run("report", "--as-of", "2021-11-10", "--out", str(report), "--db", ledger).exit_code == 0
    )
    page = report.read_text(encoding="utf-8")
    assert f"<td data-cell>{announced}</td>" in page
    assert '"cells":["' + announced + '"' in page  # what the page's script copies
    events = json.loads(run("events", "--db", ledger, "--json").stdout)["events"]
    assert (events[0]["status"], events[0]["basis"], events[0]["certainty"]) == (
        "announced",
        "announced",
        "announced",
    )
    listed = " ".join(run("events", "--db", ledger).stdout.split())
    assert "2021-11-02 (announced; effective date not reported)" in listed
    why_json = run("why", "mission", "--as-of", "2021-11-10", "--db", ledger, "--json").stdout
    assert [e["certainty"] for e in json.loads(why_json)["events"]] == ["announced"]
    assert step["event"]["certainty"] == "announced"
    month = ("--from", "2021-11", "--to", "2021-11", "--channel", "mission", "--db", ledger)
    (channel,) = json.loads(run("series", *month, "--json").stdout)["channels"]
    (point,) = channel["points"]
    assert (point["certainty"], point["facts"]["status"]["text"]) == ("announced", announced)
    assert announced in " ".join(run("series", *month).stdout.split())


def test_an_effective_date_given_later_replaces_the_announcement(
    ledger_location: str, world: Callable[..., Path]
) -> None:
    """A refinement giving the effective date: from its publication the view says the status
    as reported, since that date; known before it, still announced."""
    refinement = {
        "id": "closing-took-effect",
        "type": "refinement",
        "refines": "closing",
        "channel": "mission",
        "effective": "2021-12-01",
        "citations": [{"source": "late", "quote": "It took effect on 1 December."}],
    }
    ledger = _imported(
        ledger_location,
        world,
        event("closing", "mission_suspended", "mission", "2021-11-02", status="announced"),
        refinement,
    )
    state, table = _state(ledger, "2021-12-10")
    assert (state["status_basis"], state["certainty"], state["since"]) == (
        "reported",
        "certain",
        "2021-12-01",
    )
    assert "suspended, certain" in table and "announced" not in table
    before = json.loads(
        run(
            "state",
            "--as-of",
            "2021-12-10",
            "--known-at",
            "2022-02-01",
            "--channel",
            "mission",
            "--db",
            ledger,
            "--json",
        ).stdout
    )["channels"][0]
    assert (before["status_basis"], before["certainty"]) == ("announced", "announced")


def test_old_evidence_says_how_old_it_is(ledger_location: str, world: Callable[..., Path]) -> None:
    ledger = _imported(
        ledger_location, world, event("closing", "mission_suspended", "mission", "2021-11-02")
    )
    state, table = _state(ledger, "2026-12-06")
    assert (state["last_reported"], state["last_reported_end"]) == ("2021-11-02", "2021-11-02")
    assert "suspended, certain last reported 2021-11-02, 5 years before" in table
    state, table = _state(ledger, "2022-11-01")
    assert state["last_reported"] == "2021-11-02" and "last reported" not in table
    _, table = _state(ledger, "2022-11-02")
    assert "last reported 2021-11-02, 1 year before" in table
    why = run("why", "mission", "--as-of", "2026-12-06", "--db", ledger).stdout
    assert "last reported 2021-11-02, 5 years before" in " ".join(why.split())


def test_a_count_resting_on_a_possible_event_says_so(
    ledger_location: str, world: Callable[..., Path]
) -> None:
    """The total rests on every withdrawal: an earlier one dated only "in October" may not have
    happened by the 20th, though the later one, which the total names, certainly had."""
    ledger = _imported(
        ledger_location,
        world,
        event("first", "accreditation_withdrawn", "mission", {"edtf": "2021-10"}, count=3),
        event("second", "accreditation_withdrawn", "mission", "2021-10-06", count=5),
    )
    state, table = _state(ledger, "2021-10-20")
    count = state["facts"]["accreditations_withdrawn"]
    assert (count["value"], count["event"], count["certainty"]) == (8, "second", "possible")
    assert "8 accreditations withdrawn in all, possible" in table
    state, table = _state(ledger, "2021-11-01")
    assert state["facts"]["accreditations_withdrawn"]["certainty"] == "certain"
    assert "8 accreditations withdrawn in all" in table and "all, possible" not in table


def test_a_total_with_an_announced_withdrawal_in_it_stays_announced(
    ledger_location: str, world: Callable[..., Path]
) -> None:
    ledger = _imported(
        ledger_location,
        world,
        event(
            "first", "accreditation_withdrawn", "mission", "2021-10-01", count=3, status="announced"
        ),
        event("second", "accreditation_withdrawn", "mission", "2021-10-06", count=5),
    )
    state, table = _state(ledger, "2021-10-20")
    count = state["facts"]["accreditations_withdrawn"]
    assert (count["value"], count["basis"], count["certainty"]) == (8, "announced", "announced")
    assert (
        "8 accreditations withdrawn in all (announced 2021-10-01; effective date not reported)"
        in table
    )


def test_a_history_step_says_when_an_announced_action_took_effect(
    ledger_location: str, world: Callable[..., Path]
) -> None:
    """Announced on one day, in effect within a range a later report gives: the step shows the
    announcement, then the effective range, said possible (principle 4: keep both)."""
    ledger = _imported(
        ledger_location,
        world,
        event(
            "closing",
            "mission_suspended",
            "mission",
            "2021-11-02",
            status="announced",
            effective="2021-11-02/2021-11-20",
        ),
    )
    lines = [line.strip() for line in run("history", "mission", "--db", ledger).stdout.splitlines()]
    start = lines.index("2021-11-02")
    assert lines[start + 1 : start + 3] == [
        "effective 2021-11-02 / 2021-11-20",
        "(date is a range: possible within it)",
    ]


def test_the_evidence_age_changes_only_on_the_turns_it_gives() -> None:
    """The HTML report splits a state's days where `evidence_age_turns` says, so
    on every day between two turns the age words are the same, and a turn changes them (a
    29 February's anniversary is 1 March in a common year)."""
    from datetime import date, timedelta

    from chancery.projections.words import evidence_age_turns, evidence_age_words

    state = {"last_reported": "2020-02-29", "last_reported_end": "2020-02-29"}
    start, end = date(2020, 2, 29), date(2026, 1, 1)
    turns = list(evidence_age_turns(state, start, end))
    assert turns == [
        date(2021, 3, 1),
        date(2022, 3, 1),
        date(2023, 3, 1),
        date(2024, 2, 29),
        date(2025, 3, 1),
    ]
    day, said = start, []
    while day < end:
        said.append(evidence_age_words(state, day))
        day += timedelta(days=1)
    changes = [start + timedelta(days=i) for i in range(1, len(said)) if said[i] != said[i - 1]]
    assert changes == turns
    assert list(evidence_age_turns(state, date(2023, 5, 1), date(2025, 3, 1))) == [
        date(2024, 2, 29)
    ]
    assert list(evidence_age_turns({"last_reported_end": None}, None, end)) == []
    near_the_end = {"last_reported": "9998-06-01", "last_reported_end": "9998-06-01"}
    assert list(evidence_age_turns(near_the_end, None, date.max)) == [date(9999, 6, 1)]
