"""Over random ledgers (sources with exact or undated publication; withdrawals, a cap cut
whose earlier cap is inferred, a suspension reported only as announced, a disputed
invitation; corroborations, refinements, disputes, corrections and retractions from later
sources), for any K no view cites a source published after K, and every view as known at K
(state, why, history, events, sources, disputes, diff on either axis, series, search, the
timeline's lanes, the HTML report) equals the same view of a ledger that holds only what was
published by K: built here by importing only the records and citations published by K,
independently of the projection's own filtering."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.projections.diff import known_diff, valid_diff
from chancery.projections.events import event_pages, list_disputes, list_events, list_sources
from chancery.projections.history import channel_history
from chancery.projections.ports import EventMatch
from chancery.projections.search import query_terms, search_hit
from chancery.projections.series import channel_series, series_steps
from chancery.projections.why import explain
from chancery.reports.html import render_report
from chancery.reports.timeline import TimelineRequest, timeline_lanes
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import BASE_DECLARATIONS, Locations, event

DAY0 = date(2022, 1, 1)
AS_OF = [date(2021, 2, 1), date(2021, 12, 31)]
CHANNELS = ["mission", "council"]
SOURCE_IDS = [f"s{i}" for i in range(4)]


def _edtf(start: int, span: int) -> dict[str, Any]:
    first = DAY0 + timedelta(days=start)
    if not span:
        return {"edtf": first.isoformat()}
    return {"edtf": f"{first.isoformat()}/{(first + timedelta(days=span)).isoformat()}"}


def _cite(source: str, what: str) -> dict[str, str]:
    return {"source": source, "quote": f"{source} reports {what}."}


@st.composite
def worlds(draw: st.DrawFn) -> dict[str, Any]:
    """Sources (some undated: an interval), withdrawals on the mission (some dated by their
    month only), perhaps a cap cut, an announced suspension and an invitation whose date two
    sources dispute, and amendments from any source, in recording order."""
    count = draw(st.integers(2, len(SOURCE_IDS)))
    spans = [draw(st.sampled_from([0, 0, 12])) for _ in range(count)]
    sources = [
        {"id": name, "outlet": "Wire", "published": _edtf(draw(st.integers(0, 40)), span)}
        for name, span in zip(SOURCE_IDS, spans, strict=False)
    ]
    ids = [s["id"] for s in sources]
    some = st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True)
    events = []
    for j in range(draw(st.integers(1, 3))):
        number = draw(st.one_of(st.none(), st.integers(1, 9)))
        cited = [_cite(s, f"w{j}") for s in draw(some)]
        day = draw(st.sampled_from([f"2021-0{j + 1}-1{j}", f"2021-0{j + 1}"]))  # or its month
        withdrawal = event(f"w{j}", "accreditation_withdrawn", "mission", day)
        events.append({**withdrawal, "count": number, "citations": cited})
    if draw(st.booleans()):
        cut = event("cut", "staff_cap_changed", "mission", "2021-06-15", target="russia")
        cut["from_cap"] = draw(st.sampled_from([None, 20]))
        events.append({**cut, "to_cap": 10, "citations": [_cite(s, "cut") for s in draw(some)]})
    if draw(st.booleans()):
        suspension = event("end", "mission_suspended", "mission", "2021-09-01", actor="russia")
        suspension["target"] = "nato"
        suspension["citations"] = [_cite(s, "end") for s in draw(some)]
        events.append({**suspension, "status": "announced"})
    if draw(st.booleans()):
        first, second = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        claims = [
            {"says": "early", "date": {"edtf": "2021-03"}, "citations": [_cite(first, "inv")]},
            {"says": "later", "date": {"edtf": "2021-05"}, "citations": [_cite(second, "inv")]},
        ]
        invitation = event("inv", "invitation_extended", "council", "2021-03/2021-05")
        invitation["target"] = "russia"
        invitation["citations"] = [_cite(first, "inv"), _cite(second, "inv")]
        invitation["disputes"] = [{"about": "date", "claims": claims}]
        events.append(invitation)
    amendments = []
    for k, withdrawal in enumerate(e for e in events if e["channel"] == "mission"):
        target, source = withdrawal["id"], draw(st.sampled_from(ids))
        refined, corrected = _amendable(withdrawal)
        common = {"id": f"a{k}", "channel": "mission", "citations": [_cite(source, f"a{k}")]}
        kind = draw(
            st.sampled_from(
                ["none", "corroboration", "refinement", "dispute", "correction", "retraction"]
            )
        )
        if kind == "corroboration":
            amendments.append({**common, "type": "corroboration", "corroborates": target})
        elif kind == "refinement" and refined:
            amendments.append({**common, "type": "refinement", "refines": target, **refined})
        elif kind == "dispute":
            other = draw(st.sampled_from(ids))
            sides = [
                {"says": "some", "citations": [_cite(source, f"a{k} some")]},
                {"says": "others", "citations": [_cite(other, f"a{k} others")]},
            ]
            del common["citations"]
            amendments.append(
                {**common, "type": "dispute", "disputes": target, "about": "who", "claims": sides}
            )
        elif kind == "retraction":
            amendments.append({**common, "type": "retraction", "retracts": target, "reason": "no"})
        elif kind == "correction":
            replacement = {**withdrawal, **corrected, "citations": common["citations"]}
            del common["channel"]
            amendments.append(
                {
                    **common,
                    "type": "correction",
                    "corrects": target,
                    "reason": "miscounted",
                    "replacement": replacement,
                }
            )
    return {"sources": sources, "events": events, "amendments": amendments}


def _amendable(record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a refinement of `record` can add (nothing when the sources already gave it), and
    what a correction of it changes."""
    if record["type"] == "mission_suspended":
        return {"effective": {"edtf": "2021-09-01/2021-10-01"}}, {"note": "Recounted."}
    if record["type"] == "staff_cap_changed":
        return ({"from_cap": 20} if record["from_cap"] is None else {}), {"to_cap": 8}
    added = {"count": 4} if record["count"] is None else {}
    if len(record["date"]) == len("2021-01"):  # a month: a later report gives the day
        added["date"] = f"{record['date']}-20"
    return added, {"count": 7}


def _earliest(source: dict[str, Any]) -> date:
    return date.fromisoformat(source["published"]["edtf"].split("/")[0])


def _cited(citations: list[dict[str, str]], published: set[str]) -> list[dict[str, str]]:
    return [c for c in citations if c["source"] in published]


def _as_published(record: dict[str, Any], published: set[str]) -> dict[str, Any] | None:
    """An event as a ledger of what was published would have recorded it: the citations,
    sides of disputes (two or more, else no dispute) and the dates those sides give."""
    citations = _cited(record["citations"], published)
    if not citations:
        return None
    kept = {**record, "citations": citations}
    if "disputes" in record:
        disputes, dated, every = [], [], 0
        for dispute in record["disputes"]:
            claims = []
            for claim in dispute["claims"]:
                every += "date" in claim
                if cited := _cited(claim["citations"], published):
                    claims.append({**claim, "citations": cited})
                    dated += [claim["date"]] if "date" in claim else []
            if len(claims) >= 2:
                disputes.append({**dispute, "claims": claims})
        kept["disputes"] = disputes
        if len(dated) == 1 and every > 1:
            kept["date"] = dated[0]
    return kept


def published_by(world: dict[str, Any], known_at: date) -> tuple[dict[str, Any], list[Any]]:
    """The import files of a ledger holding only what was published by `known_at` (an undated
    source counts from its earliest possible date)."""
    sources = [s for s in world["sources"] if _earliest(s) <= known_at]
    published = {s["id"] for s in sources}
    events: dict[str, dict[str, Any]] = {}
    folded: set[str] = set()
    for record in world["events"]:
        own = _as_published(record, published)
        seconds = [
            a
            for a in world["amendments"]
            if a.get("corroborates") == record["id"] and _cited(a["citations"], published)
        ]
        if own is None and seconds:
            # Only a later report of it was published by then: it would have been recorded
            # from that report alone.
            own = {**record, "citations": [c for a in seconds for c in a["citations"]]}
            folded |= {a["id"] for a in seconds}
        if own is not None:
            events[record["id"]] = own
    amendments = []
    for amendment in world["amendments"]:
        target = next(
            amendment[k]
            for k in ("corroborates", "refines", "disputes", "corrects", "retracts")
            if k in amendment
        )
        if target not in events or amendment["id"] in folded:
            continue
        cited = [c for claim in amendment.get("claims", []) for c in claim["citations"]]
        cited += amendment.get("citations", [])
        if _cited(cited, published) == cited:
            amendments.append(amendment)
    first = {**BASE_DECLARATIONS, "sources": sources, "events": list(events.values())}
    return first, amendments


def _ledger(location: str, folder: Path, first: dict[str, Any], amendments: list[Any]) -> Any:
    ledger = open_ledger(location, create=True)
    files = [first] + ([{"chancery": 1, "events": amendments}] if amendments else [])
    for n, content in enumerate(files):
        path = folder / f"{abs(hash(location))}-{n}.yaml"
        path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
        import_files(ledger, [load_file(path)])
    return ledger


def _without_recording(data: Any) -> Any:
    """A view with when entries were written left out (two ledgers wrote them apart)."""
    if isinstance(data, dict):
        return {
            k: _without_recording(v)
            for k, v in data.items()
            if k not in ("recorded_at", "not_yet_known")
        }
    if isinstance(data, list):
        return [_without_recording(v) for v in data]
    return data


def _found(read: ReadModel, known_at: date) -> list[tuple[Any, ...]]:
    """Every quote a search for the words all test quotes hold finds, as known at K (which
    hits, not their scores: a ranking weighs each word by the whole ledger's quotes)."""
    rows = read.search(query_terms("reports"), known_at, None, 100)
    hits = [search_hit(row).model_dump(mode="json") for row in rows]
    return sorted((h["event"], h["source"], h["published"], h["text"]["text"]) for h in hits)


def _citing(read: ReadModel, known_at: date) -> list[list[str]]:
    """`events --source S` for each source the test worlds may declare, in order, as known at
    K (listed by position: a source's id in the view would count as citing it)."""
    return [
        [
            e.id
            for page, _ in event_pages(read, known_at=known_at, match=EventMatch(source=source))
            for e in page
        ]
        for source in SOURCE_IDS
    ]


def views(read: ReadModel, known_at: date, *, report: bool = True) -> dict[str, Any]:
    """Every view that answers "as known at K", as JSON-ready data; the HTML report (whose
    chart takes most of the time) only with `report`."""
    steps = series_steps(AS_OF[0], AS_OF[-1], "month")
    lanes, *span = timeline_lanes(read, TimelineRequest(CHANNELS, known_at=known_at))
    shown: dict[str, Any] = {
        "events": list_events(read, known_at=known_at).model_dump(mode="json"),
        "sources": list_sources(read, known_at).model_dump(mode="json"),
        "disputes": list_disputes(read, known_at).model_dump(mode="json"),
        "diff": valid_diff(read, AS_OF[0], AS_OF[-1], known_at).model_dump(mode="json"),
        "search": _found(read, known_at),
        "events citing": _citing(read, known_at),
        # --from/--to keep the events whose dates, as the sources known by K gave them, overlap
        "events in spring": list_events(
            read, start=date(2021, 4, 1), end=date(2021, 6, 30), known_at=known_at
        ).model_dump(mode="json"),
        "timeline": repr((lanes, span)),
    }
    if report:
        shown["report"] = "".join(render_report(read, AS_OF[-1], known_at))
    for earlier in (known_at - timedelta(days=10), DAY0):
        if earlier <= known_at:
            learned = known_diff(read, earlier, known_at, AS_OF[-1])
            shown[f"diff known {earlier}"] = learned.model_dump(mode="json")
    for day in AS_OF:
        shown[f"state {day}"] = read.state(day, known_at).model_dump(mode="json")
        shown[f"state data {day}"] = read.state_data(day, known_at)  # the command line's
        for slug in CHANNELS:
            shown[f"why {slug} {day}"] = explain(read, slug, day, known_at).model_dump(mode="json")
    for slug in CHANNELS:
        shown[f"history {slug}"] = channel_history(read, slug, known_at).model_dump(mode="json")
        points = channel_series(read, slug, steps, known_at)
        shown[f"series {slug}"] = points.model_dump(mode="json")
    return _without_recording(shown)


def candidate_days(world: dict[str, Any]) -> list[date]:
    """Days of knowledge around every source's publication interval: where answers change."""
    days = set()
    for source in world["sources"]:
        for bound in source["published"]["edtf"].split("/"):
            day = date.fromisoformat(bound)
            days |= {day - timedelta(days=1), day}
    return sorted(days)


def check_world(store: str, world: dict[str, Any], known_at: date, *, report: bool = True) -> None:
    with tempfile.TemporaryDirectory() as folder:
        made = Locations(store, Path(folder))
        try:
            declared = {**BASE_DECLARATIONS, "sources": world["sources"], "events": world["events"]}
            full = _ledger(made.new(), Path(folder), declared, world["amendments"])
            try:
                seen = views(ReadModel(full), known_at, report=report)
            finally:
                full.close()
            later = {s["id"] for s in world["sources"] if _earliest(s) > known_at}
            text = repr(seen)
            cited = [s for s in later if f"'{s}'" in text or f"{s} reports" in text]
            assert not cited, (known_at, cited)
            first, amendments = published_by(world, known_at)
            alone = _ledger(made.new(), Path(folder), first, amendments)
            try:
                assert views(ReadModel(alone), known_at, report=report) == seen, known_at
            finally:
                alone.close()
        finally:
            made.drop()


BOUNDED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


@settings(max_examples=30, **BOUNDED)
@given(world=worlds(), data=st.data())
def test_known_at_is_what_a_ledger_of_the_published_reports_answers_sqlite(
    world: dict[str, Any], data: st.DataObject
) -> None:
    known_at = data.draw(st.sampled_from(candidate_days(world)))
    check_world("sqlite", world, known_at, report=False)


@settings(max_examples=8, **BOUNDED)
@given(world=worlds(), data=st.data())
def test_the_html_report_known_at_is_what_a_ledger_of_the_published_reports_gives_sqlite(
    world: dict[str, Any], data: st.DataObject
) -> None:
    check_world("sqlite", world, data.draw(st.sampled_from(candidate_days(world))))


@settings(max_examples=6, **BOUNDED)
@given(world=worlds(), data=st.data())
def test_known_at_is_what_a_ledger_of_the_published_reports_answers_postgres(
    world: dict[str, Any], data: st.DataObject
) -> None:
    check_world("postgres", world, data.draw(st.sampled_from(candidate_days(world))))


def test_the_filter_of_the_property_test_keeps_what_was_published() -> None:
    """The test's own ledger-of-what-was-published: a source published after K and its
    citations are gone, a dispute's later side with them, and the date the other side gives
    is the event's."""
    world = {
        "sources": [
            {"id": "s0", "outlet": "Wire", "published": _edtf(0, 0)},
            {"id": "s1", "outlet": "Wire", "published": _edtf(30, 0)},
        ],
        "events": [],
        "amendments": [],
    }
    claims = [
        {"says": "early", "date": {"edtf": "2021-03"}, "citations": [_cite("s0", "inv")]},
        {"says": "later", "date": {"edtf": "2021-05"}, "citations": [_cite("s1", "inv")]},
    ]
    world["events"] = [
        {
            **event("inv", "invitation_extended", "council", "2021-03/2021-05"),
            "citations": [_cite("s0", "inv"), _cite("s1", "inv")],
            "disputes": [{"about": "date", "claims": claims}],
        },
    ]
    first, _ = published_by(world, DAY0 + timedelta(days=10))
    assert [s["id"] for s in first["sources"]] == ["s0"]
    (invitation,) = first["events"]
    assert invitation["citations"] == [_cite("s0", "inv")]
    assert invitation["disputes"] == [] and invitation["date"] == {"edtf": "2021-03"}
