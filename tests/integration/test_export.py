"""`chancery export`: each format checked against its columns, and the YAML backup round trip
on both stores (the imported backup projects the same state on every date)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chancery.cli import app
from chancery.domain.errors import ChanceryError
from chancery.projections import events as events_module
from chancery.projections.intervals import channel_segments
from chancery.projections.models import EventList
from chancery.reports import export as export_module
from chancery.reports.export import CSV_COLUMNS, TIMELINEJS_COLUMNS
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger
from typer.testing import CliRunner

from tests.conftest import Locations, event

runner = CliRunner()
PLOVER_EVENTS = {"AGREE", "REJECT", "CONSULT", "SANCTION", "COOPERATE", "SUPPORT", None}


def export(location: str, fmt: str, *extra: str) -> str:
    """The export's stdout exactly as written (click's `stdout` would fold CRLF)."""
    result = runner.invoke(app, ["export", "--format", fmt, "--db", location, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8")


def events_json(location: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["events", "--db", location, "--json"])
    return json.loads(result.stdout)["events"]


def segments_of(location: str) -> dict[str, list[Any]]:
    """Every channel's state over all time: equal segments mean equal state on every date."""
    read = ReadModel(open_ledger(location, create=False))
    return {
        slug: [s.model_dump() for s in channel_segments(read, slug)]
        for slug in read.ledger.index.keys("channels")
    }


def test_csv_has_the_dataset_columns_and_one_row_per_event(bundled_location: str) -> None:
    text = export(bundled_location, "csv")
    assert "\r\n" in text  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == CSV_COLUMNS
    events = events_json(bundled_location)
    assert [r["event_id"] for r in rows] == [e["id"] for e in events]
    cut = next(r for r in rows if r["event_id"] == "russia-mission-staff-cap-cut-2021-10-06")
    assert (cut["from_cap"], cut["to_cap"], cut["plover_type"], cut["cameo"]) == (
        "20",
        "10",
        "SANCTION",
        "161",
    )
    assert cut["date_start"] == cut["date_end"] == "2021-10-06"
    withdrawn = next(r for r in rows if r["type"] == "accreditation_withdrawn")
    assert withdrawn["count"] == "8"


def test_csv_quotes_hostile_text_and_reads_it_back_exactly(
    ledger_location: str, world: Callable[..., Path]
) -> None:
    quote = 'He said, "twenty,\nthen ten" — ok'
    path = world(
        event(
            "cut",
            "staff_cap_changed",
            "mission",
            "2021-10-06",
            to_cap=10,
            citations=[{"source": "src", "quote": quote}],
        )
    )
    assert runner.invoke(app, ["import", str(path), "--db", ledger_location]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(export(ledger_location, "csv"), newline="")))
    assert rows[0]["quote"] == quote


FORMULAS = [
    '=HYPERLINK("http://example.invalid","see")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1 after a tab",
    "\r=1+1 after a carriage return",
    "\uff1d1+1 fullwidth equals",
    "\uff0b1 fullwidth plus",
    "\uff0d1 fullwidth minus",
    "\uff20SUM fullwidth at",
]


def test_spreadsheet_exports_neutralise_formulas_and_json_keeps_them(
    ledger_location: str, world: Callable[..., Path]
) -> None:
    """OWASP CSV injection: a cell starting like a formula gets a leading `'` in `csv` and
    `timelinejs`; `jsonl` and the YAML backup keep the text exactly."""
    events = [
        event(
            f"held-{n}",
            "meeting_held",
            "council",
            f"2021-0{1 + n % 9}-1{n % 10}",
            citations=[{"source": "src", "quote": quote}],
        )
        for n, quote in enumerate(FORMULAS)
    ]
    sources = [{"id": "src", "outlet": "=1+2 outlet", "published": "2022-01-31"}]
    path = world(*events, sources=sources)
    result = runner.invoke(app, ["import", str(path), "--db", ledger_location])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(export(ledger_location, "csv"), newline="")))
    assert sorted(r["quote"] for r in rows) == sorted("'" + q for q in FORMULAS)
    story = list(csv.DictReader(io.StringIO(export(ledger_location, "timelinejs"), newline="")))
    assert {r["Media Credit"] for r in story} == {"'=1+2 outlet"}
    assert list(rows[0]) == CSV_COLUMNS  # the header row is the header row
    jsonl = [json.loads(line) for line in export(ledger_location, "jsonl").splitlines()]
    assert sorted(e["citations"][0]["quote"] for e in jsonl) == sorted(FORMULAS)
    assert FORMULAS[0] in export(ledger_location, "yaml").replace('\\"', '"')


@pytest.mark.parametrize(
    "cell, written",
    [
        ("-12", "-12"),  # a real number is a number, not a formula
        ("+3.5", "+3.5"),
        ("0", "0"),
        ("2021-10-06", "2021-10-06"),
        ("-", "'-"),  # a lone minus is text either way: prefixed like any other
        ("-1-1", "'-1-1"),
        ("-12\n=1", "'-12\n=1"),
        ("- 5", "'- 5"),
        ("", ""),
        ("a=1", "a=1"),
        (" =1", " =1"),
    ],
)
def test_neutralise_formula_exempts_only_real_numbers(cell: str, written: str) -> None:
    assert export_module.neutralise_formula(cell) == written


def test_jsonl_is_one_event_record_per_line(bundled_location: str) -> None:
    lines = export(bundled_location, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == events_json(bundled_location)


def test_plover_records_carry_type_mode_actor_recipient_date_text(bundled_location: str) -> None:
    records = json.loads(export(bundled_location, "plover"))
    assert len(records) == len(events_json(bundled_location))
    for record in records:
        assert {"id", "date", "event", "mode", "actor", "recipient", "text", "source_id"} <= set(
            record
        )
        assert record["event"] in PLOVER_EVENTS
    cut = next(r for r in records if r["id"] == "russia-mission-staff-cap-cut-2021-10-06")
    assert (cut["event"], cut["mode"], cut["actor"], cut["recipient"]) == (
        "SANCTION",
        "discontinue",
        "nato",
        "russia",
    )


def test_timelinejs_sheet_has_its_columns(bundled_location: str, tmp_path: Path) -> None:
    out = tmp_path / "story.csv"
    assert export(bundled_location, "timelinejs", "--out", str(out)) == ""
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert list(rows[0]) == TIMELINEJS_COLUMNS
    assert all(r["Year"].isdigit() and r["Headline"] and r["Group"] for r in rows)
    exact = next(r for r in rows if r["Display Date"] == "On Monday")
    assert (exact["Year"], exact["Month"], exact["Day"], exact["End Year"]) == (
        "2021",
        "10",
        "18",
        "",
    )


def test_yaml_backup_round_trips_the_bundled_ledger(
    bundled_location: str, locations: Locations, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.yaml"
    export(bundled_location, "yaml", "--out", str(backup))
    target = locations.new()
    result = runner.invoke(app, ["import", str(backup), "--db", target])
    assert result.exit_code == 0, result.output
    assert "28 events" in result.stdout  # 23 events and 5 amendments of them: entries, counted
    assert segments_of(target) == segments_of(bundled_location)
    assert export(target, "yaml") == backup.read_text(encoding="utf-8")


def test_yaml_backup_keeps_corrections_and_retractions(
    locations: Locations, world: Callable[..., Path], tmp_path: Path
) -> None:
    source = locations.new()
    cut = event("cut", "staff_cap_changed", "mission", "2021-10-06", to_cap=10)
    meeting = event("meet", "meeting_held", "council", "2021-01-12")
    fix = {
        "id": "fix-cut",
        "type": "correction",
        "corrects": "cut",
        "reason": "the cap was twelve",
        "replacement": {**cut, "to_cap": 12},
    }
    drop = {
        "id": "drop-meet",
        "type": "retraction",
        "retracts": "meet",
        "channel": "council",
        "reason": "never happened",
    }
    for records in ([cut, meeting], [fix, drop]):
        result = runner.invoke(app, ["import", str(world(*records)), "--db", source])
        assert result.exit_code == 0, result.output
    backup = tmp_path / "backup.yaml"
    export(source, "yaml", "--out", str(backup))
    target = locations.new()
    assert runner.invoke(app, ["import", str(backup), "--db", target]).exit_code == 0
    assert segments_of(target) == segments_of(source)
    mission = segments_of(target)["mission"][-1]["state"]
    assert mission["staff_cap"] == 12
    assert "fix-cut" in backup.read_text() and "drop-meet" in backup.read_text()


@pytest.mark.parametrize(
    "args, complaint, code",
    [
        (("--format", "xml"), "--format: unknown format 'xml'", 2),
        (("--format", "csv", "--out", "/nonexistent-dir/x.csv"), "--out: cannot write", 1),
        (("--format", "csv", "--out", "/"), "--out: '/' is a folder", 1),
    ],
)
def test_export_errors_are_one_line(
    bundled_location: str, args: tuple[str, ...], complaint: str, code: int
) -> None:
    result = runner.invoke(app, ["export", *args, "--db", bundled_location])
    assert result.exit_code == code
    assert complaint in result.stderr and len(result.stderr.strip().splitlines()) == 1


# ----------------------------------------------------------------- streaming, a page at a time


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "plover", "timelinejs", "yaml"])
def test_exports_stream_a_page_at_a_time_with_the_same_bytes(
    bundled_location: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages of 3 events give exactly the bytes of one page: the output is written as it is
    read, never built whole (a million-event ledger exports in the memory of a page)."""
    whole = export(bundled_location, fmt)
    monkeypatch.setattr(events_module, "PAGE", 3)
    assert export(bundled_location, fmt) == whole
    if fmt == "plover":
        assert json.loads(whole) and isinstance(json.loads(whole), list)


def test_events_json_and_table_stream_by_page(
    bundled_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_page = runner.invoke(app, ["events", "--db", bundled_location, "--json"]).stdout
    events = json.loads(one_page)["events"]
    assert one_page == EventList.model_validate({"events": events}).model_dump_json(indent=2) + "\n"
    monkeypatch.setattr(events_module, "PAGE", 10)
    paged = runner.invoke(app, ["events", "--db", bundled_location, "--json"]).stdout
    assert paged == one_page
    table = runner.invoke(app, ["events", "--db", bundled_location]).stdout
    titles = [line for line in table.splitlines() if line.startswith("events ")]
    count = len(events)
    expected = [f"events {s + 1}–{min(s + 10, count)}" for s in range(0, count, 10)]
    assert titles == expected


def test_events_json_of_no_events_is_an_empty_list(bundled_location: str) -> None:
    result = runner.invoke(
        app,
        ["events", "--db", bundled_location, "--json", "--from", "1900", "--to", "1900-12-31"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"events": []}


def test_an_export_that_fails_midway_leaves_no_file(
    bundled_location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = events_module.event_pages

    def failing(*args: Any, **kwargs: Any) -> Any:
        iterator = pages(*args, **kwargs)
        yield next(iterator)
        raise ChanceryError("the ledger's row 12 is corrupted")

    monkeypatch.setattr(events_module, "PAGE", 3)
    monkeypatch.setattr(export_module, "event_pages", failing)
    out = tmp_path / "events.csv"
    result = runner.invoke(
        app, ["export", "--format", "csv", "--db", bundled_location, "--out", str(out)]
    )
    assert result.exit_code != 0
    assert "row 12 is corrupted" in result.output
    assert list(tmp_path.iterdir()) == []


def test_sources_stream_by_page_with_the_events_each_supports(
    bundled_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = runner.invoke(app, ["sources", "--db", bundled_location, "--json"]).stdout
    sources = json.loads(whole)["sources"]
    supported = {s["id"]: s["events"] for s in sources}
    # Each source lists exactly the events whose citations (reasons and disputes included)
    # name it, in the order `events` lists them.
    listed = events_json(bundled_location)
    for source, events in supported.items():
        citing = [
            e["id"]
            for e in listed
            if source
            in {c["source"] for c in e["citations"]}
            | {s for claim in e["reasons"] for s in claim["sources"]}
            | {s for d in e["disputes"] for claim in d["claims"] for s in claim["sources"]}
        ]
        assert events == citing, source
    monkeypatch.setattr(events_module, "PAGE", 2)
    assert runner.invoke(app, ["sources", "--db", bundled_location, "--json"]).stdout == whole
    table = runner.invoke(app, ["sources", "--db", bundled_location]).stdout
    titles = [line for line in table.splitlines() if line.startswith("sources ")]
    count = len(sources)
    assert titles == [f"sources {s + 1}–{min(s + 2, count)}" for s in range(0, count, 2)]


# ------------------------------------------------------------- provenance, documented columns

README = Path(__file__).resolve().parents[2] / "README.md"
PROVENANCE = CSV_COLUMNS[CSV_COLUMNS.index("certainty") :]


def readme_export_columns() -> list[str]:
    """The first cell of each row of the README's export table, in order."""
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- export-columns -->")[1].split("<!-- /export-columns -->")[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return [row.split("|")[1].strip().strip("`") for row in rows]


def test_the_readme_documents_every_csv_column_in_order() -> None:
    assert readme_export_columns() == CSV_COLUMNS
    assert TIMELINEJS_COLUMNS[-len(PROVENANCE) :] == PROVENANCE


def test_the_readme_names_every_plover_key(bundled_location: str) -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    listed = text.split("`plover` keys: `")[1].split("`")[0].split(", ")
    records = json.loads(export(bundled_location, "plover"))
    assert all(list(r) == [*listed, *PROVENANCE] for r in records)


def json_value(record: dict[str, Any], column: str) -> object:
    """A provenance column's value as `events --json` gives it (what a reader of the JSON
    would compute), independent of the export's own code."""
    codes = {"nato": "NATO", "russia": "RU"}
    joined = " | ".join
    derived = {
        "outlets": joined(dict.fromkeys(c["outlet"] for c in record["citations"] if c["outlet"])),
        "disputed": bool(record["disputes"]),
        "disputed_about": joined(dict.fromkeys(d["about"] for d in record["disputes"])),
    }
    assert (record["actor_code"], record["target_code"]) == (
        codes.get(record["actor"]),
        codes.get(record["target"] or ""),
    )
    return derived[column] if column in derived else record[column]


def as_cell(value: object) -> str:
    return "" if value is None else json.dumps(value) if isinstance(value, bool) else str(value)


def test_csv_provenance_reads_back_as_the_events_json_values(bundled_location: str) -> None:
    rows = list(csv.DictReader(io.StringIO(export(bundled_location, "csv"), newline="")))
    events = events_json(bundled_location)
    assert len(rows) == len(events)
    for row, record in zip(rows, events, strict=True):
        for column in PROVENANCE:
            assert row[column] == as_cell(json_value(record, column)), (record["id"], column)
    # The bundled data exercise every kind of value, not only the defaults.
    assert {r["certainty"] for r in rows} == {"certain", "possible", "announced"}
    assert {r["disputed"] for r in rows} == {"true", "false"}
    assert {r["actor_code"] for r in rows} >= {"NATO", "RU"}
    assert all(r["recorded_at"] and r["first_reported"] for r in rows)
    assert {"RT", "Sputnik"} <= {o for r in rows for o in r["outlets"].split(" | ")}
    cut = next(r for r in rows if r["event_id"] == "russia-mission-staff-cap-cut-2021-10-06")
    assert (cut["actor_code"], cut["target_code"], cut["basis"]) == ("NATO", "RU", "reported")


def test_plover_and_timelinejs_carry_the_same_provenance(bundled_location: str) -> None:
    rows = list(csv.DictReader(io.StringIO(export(bundled_location, "csv"), newline="")))
    records = json.loads(export(bundled_location, "plover"))
    story = list(csv.DictReader(io.StringIO(export(bundled_location, "timelinejs"), newline="")))
    for row, record, sheet in zip(rows, records, story, strict=True):
        assert [as_cell(record[c]) for c in PROVENANCE] == [row[c] for c in PROVENANCE]
        assert [sheet[c] for c in PROVENANCE] == [row[c] for c in PROVENANCE]
        assert record["source_urls"] == [u for u in row["urls"].split(" | ") if u]


def test_announced_possible_and_disputed_events_say_so_and_hostile_text_stays_data(
    ledger_location: str, world: Callable[..., Path]
) -> None:
    """Basis, certainty and dispute as the sources give them; a dispute's subject and an
    outlet that start like a formula are neutralised in the sheets and kept in the JSON."""
    cite = {"source": "src", "quote": "a quote"}
    about = '=HYPERLINK("http://example.invalid","date")'
    events = [
        event("closing", "mission_suspended", "mission", "2021-11-02", status="announced"),
        event(
            "talks",
            "meeting_held",
            "council",
            "2021-01",
            disputes=[
                {
                    "about": about,
                    "claims": [
                        {"says": "in January", "citations": [cite]},
                        {"says": "in February", "citations": [cite]},
                    ],
                }
            ],
        ),
    ]
    sources = [{"id": "src", "outlet": "@Wire <b>", "published": "2022-01-31"}]
    result = runner.invoke(
        app, ["import", str(world(*events, sources=sources)), "--db", ledger_location]
    )
    assert result.exit_code == 0, result.output
    rows = {
        r["event_id"]: r
        for r in csv.DictReader(io.StringIO(export(ledger_location, "csv"), newline=""))
    }
    closing, talks = rows["closing"], rows["talks"]
    # Announced with no effective date: the one day is the announcement's, never "certain".
    assert (closing["basis"], closing["certainty"], closing["disputed"]) == (
        "announced",
        "announced",
        "false",
    )
    assert (talks["basis"], talks["certainty"], talks["disputed"]) == (
        "reported",
        "possible",
        "true",
    )
    assert talks["disputed_about"] == "'" + about
    assert closing["outlets"] == "'@Wire <b>"
    assert closing["first_reported"] == "2022-01-31"
    story = {
        r["Headline"].split(":")[0]: r
        for r in csv.DictReader(io.StringIO(export(ledger_location, "timelinejs"), newline=""))
    }
    assert story["meeting held"]["disputed_about"] == "'" + about
    records = {r["id"]: r for r in json.loads(export(ledger_location, "plover"))}
    assert records["talks"]["disputed_about"] == about
    assert records["closing"]["outlets"] == "@Wire <b>"
    assert records["talks"]["disputed"] is True


@pytest.mark.parametrize(
    "slug, code",
    [
        ("russia", "RU"),  # declared by slug before codes existed: still RU
        ("nato", "NATO"),
        ("united-kingdom", "GB"),
        ("friends-of-the-chancery", None),  # an organisation declared without a code
        (None, None),  # no target
    ],
)
def test_a_party_code_follows_from_its_slug(slug: str | None, code: str | None) -> None:
    assert events_module.party_code(slug) == code
