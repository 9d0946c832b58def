"""An answer "as known at K" shows only what sources published by K said:
their citations, corroborations, disputes and the dates they gave, in every view."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from chancery.application import Ledger as Application
from chancery.cli import app
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.projections.events import list_disputes, list_events, list_sources
from chancery.projections.history import channel_history
from chancery.projections.why import explain
from chancery.storage.ledger import Ledger
from chancery.storage.readmodel import ReadModel
from typer.testing import CliRunner

from tests.conftest import event

runner = CliRunner()
SEVENTH_OF_OCTOBER = {"art-000-2021-10-07", "sputnik-2021-10-07"}


def _json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_why_known_at_10_october_quotes_only_the_7_october_articles(bundled_location: str) -> None:
    why = _json(
        "why",
        "russia-mission-to-nato",
        "--as-of",
        "2021-10-20",
        "--known-at",
        "2021-10-10",
        "--db",
        bundled_location,
    )
    quoted = {c["source"] for e in why["events"] for c in e["citations"]}
    assert quoted == SEVENTH_OF_OCTOBER
    assert all(not e["disputes"] for e in why["events"])  # Russia's side came on 29 Nov


def test_sources_and_disputes_known_at_show_only_what_was_published(
    bundled_location: str,
) -> None:
    db = ["--db", bundled_location]
    early = _json("sources", "--known-at", "2021-10-10", *db)["sources"]
    # The undated DPA report counts by its earliest possible date (December 2020).
    assert {s["id"] for s in early} == SEVENTH_OF_OCTOBER | {"dpa-interview-report"}
    supported = {s["id"]: s["events"] for s in early}
    assert "russia-mission-staff-cap-cut-2021-10-06" not in supported["art-000-2021-10-07"]
    assert len(_json("sources", *db)["sources"]) > len(early)
    disputes = _json("disputes", "--known-at", "2021-10-10", *db)["disputes"]
    sides = {s for d in disputes for claim in d["claims"] for s in claim["sources"]}
    assert sides <= SEVENTH_OF_OCTOBER | {"dpa-interview-report"}, disputes
    assert "who the eight were" not in {d["about"] for d in disputes}
    later = _json("disputes", "--known-at", "2021-11-29", *db)["disputes"]
    assert later == _json("disputes", *db)["disputes"] and later


def test_a_date_dispute_not_yet_published_leaves_the_date_its_known_side_gives(
    bundled_contents: ReadModel,
) -> None:
    """The NRC invitation is dated 'the beginning of 2020' by one report and '18 months ago'
    by one of 29 Nov 2021: before then, its date is the first report's, undisputed."""
    (before,) = [
        e
        for e in list_events(bundled_contents, known_at=date(2021, 10, 10)).events
        if e.id == "nrc-invitation-2020"
    ]
    assert (before.date, before.disputes) == ("2020-01/2020-03", [])
    (now,) = [e for e in list_events(bundled_contents).events if e.id == "nrc-invitation-2020"]
    assert now.date == "2020-01/2020-06" and now.disputes


def test_history_before_anything_was_reported_says_the_events_were_not_yet_known(
    bundled_location: str,
) -> None:
    result = runner.invoke(
        app, ["history", "russia-mission-to-nato", "--known-at", "0001", "--db", bundled_location]
    )
    assert result.exit_code == 0, result.output
    assert "no events recorded" not in result.stdout
    assert "not yet reported" in result.stdout
    data = _json(
        "history", "russia-mission-to-nato", "--known-at", "0001", "--db", bundled_location
    )
    assert data["steps"] == [] and data["not_yet_known"] > 0


def test_a_corroboration_from_a_later_source_is_not_shown_in_the_earlier_reading(
    ledger: Ledger, world: Callable[..., Path], write_file: Callable[..., Path]
) -> None:
    import_files(
        ledger,
        [
            load_file(
                world(event("cut", "accreditation_withdrawn", "mission", "2022-01-20", count=3))
            )
        ],
    )
    corroboration = {
        "chancery": 1,
        "events": [
            {
                "id": "cut-again",
                "type": "corroboration",
                "corroborates": "cut",
                "channel": "mission",
                "citations": [{"source": "late", "quote": "Three were expelled in January."}],
            }
        ],
    }
    import_files(ledger, [load_file(write_file(corroboration))])
    read = ReadModel(ledger)
    before, after = date(2022, 2, 15), date(2022, 3, 1)

    def cited(known_at: date) -> set[str]:
        views = [
            *[e.model_dump() for e in list_events(read, known_at=known_at).events],
            *[s.model_dump() for s in list_sources(read, known_at).sources],
            explain(read, "mission", date(2022, 12, 31), known_at).model_dump(),
            channel_history(read, "mission", known_at).model_dump(),
        ]
        return {s for s in ("src", "late") if any(f"'{s}'" in repr(v) for v in views)}

    assert cited(before) == {"src"}
    assert cited(after) == {"src", "late"}
    assert list_disputes(read, before).disputes == []
    state = read.state(date(2022, 12, 31), before, "mission").channels[0]
    assert state.accreditations_withdrawn == 3


def test_the_html_report_known_at_a_date_cites_nothing_published_later(
    bundled_location: str, tmp_path: Path
) -> None:
    later = ("art-003-2021-10-21", "rt-2021-11-29")
    for known_at, shown in (("2021-10-10", False), (None, True)):
        out = tmp_path / f"report-{known_at}.html"
        args = ["report", "--out", str(out), "--as-of", "2021-10-20", "--db", bundled_location]
        result = runner.invoke(app, args + (["--known-at", known_at] if known_at else []))
        assert result.exit_code == 0, result.output
        page = out.read_text(encoding="utf-8")
        assert all((source in page) is shown for source in later), known_at
        assert ("As known at" in page) is not shown
        assert "sputnik-2021-10-07" in page


def _views_known_at(ledger: Any, known_at: str) -> dict[str, str]:
    """Every view the application answers "as known at K", as the text it would print (JSON,
    the HTML page, the SVG chart): each channel's state, why and history, the listings,
    diff on both axes, a series, a search."""
    shown: dict[str, Any] = {
        "state": ledger.state_data("2021-12-31", known_at),
        "events": [e.model_dump(mode="json") for e in ledger.events(known_at=known_at)],
        "sources": [s.model_dump(mode="json") for s in ledger.sources(known_at)],
        "disputes": ledger.disputes(known_at).model_dump(mode="json"),
        "diff": ledger.diff("2014-01-01", "2021-12-31", known_at=known_at).model_dump(mode="json"),
        "diff known": ledger.diff("2021-10-01", known_at, axis="known", as_of="2021-12-31"),
        "series": ledger.series("2014", "2021-12", known_at=known_at).model_dump(mode="json"),
        "search": ledger.search("nato", known_at=known_at, limit=500).model_dump(mode="json"),
    }
    shown["diff known"] = shown["diff known"].model_dump(mode="json")
    for slug in ledger.channels():
        shown[f"history {slug}"] = ledger.history(slug, known_at).model_dump(mode="json")
        for as_of in ("2019-06-30", "2021-10-20"):
            shown[f"why {slug} {as_of}"] = ledger.why(slug, as_of, known_at).model_dump(mode="json")
    text = {name: json.dumps(view, ensure_ascii=False) for name, view in shown.items()}
    text["report"] = "".join(ledger.report_html("2021-10-20", known_at))
    text["timeline"] = ledger.timeline("svg", known_at=known_at).decode()
    return text


@pytest.mark.parametrize("known_at", ["2021-10-06", "2021-10-10", "2021-10-21", "2021-11-28"])
def test_no_view_of_the_bundled_data_cites_a_source_published_after_the_known_date(
    bundled_location: str, known_at: str
) -> None:
    """The review's measure (every view, several knowledge dates): no source published after
    K is named, and no quote only such a source gives is shown."""
    with Application.open(bundled_location) as ledger:
        everything = {e.id: e for e in ledger.events()}
        first = {s.id: s.published_earliest.isoformat() for s in ledger.sources()}
        later = {s for s, day in first.items() if day > known_at}
        quotes: dict[str, set[str]] = {}
        for view in everything.values():
            for citation in view.citations:
                quotes.setdefault(citation.quote, set()).add(citation.source)
        only_later = [q for q, cited in quotes.items() if cited <= later]
        assert later and only_later, known_at  # the check has something to find
        for name, text in _views_known_at(ledger, known_at).items():
            named = [s for s in later if s in text]
            quoted = [q[:40] for q in only_later if q in text or json.dumps(q)[1:-1] in text]
            assert not named and not quoted, (known_at, name, named, quoted)
