"""Sheets for each query: the projections' read models said in the common vocabulary."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, TypeVar

from chancery.domain.tracked import STATUS, tracked_on
from chancery.projections.fields import JsonState, fact_words
from chancery.projections.words import (
    evidence_age_words,
    plural,
    series_cells,
    series_columns,
    since_words,
    state_cells,
    state_columns,
    step_date_lines,
    type_words,
    when,
)
from chancery.terminal.sheet import Sheet, render

Row = TypeVar("Row")

if TYPE_CHECKING:  # annotations only: the state table is drawn from JSON, without the models
    from chancery.domain.importlog import ImportLogView
    from chancery.projections.diff import StateDiff
    from chancery.projections.models import (
        ChannelHistory,
        DisputeList,
        EventView,
        SourceView,
        Why,
    )
    from chancery.projections.series import ChannelSeries, StateSeries


def _sources(event: EventView) -> str:
    return "\n".join(dict.fromkeys(c.source for c in event.citations))


def _invitations(state: JsonState, sheet: Sheet) -> str:
    lines = []
    for invitation in state["pending_invitations"]:
        invitee = invitation["invitee"] or "?"
        text = f"{when(invitation['date'])} {invitation['inviter']} → {invitee}"
        if invitation["disputed"]:
            claims = " vs ".join(
                f"{when(c['date'])} ({', '.join(c['sources'])})" for c in invitation["date_claims"]
            )
            text += " " + sheet.note(f"{invitation['id']}: date disputed: {claims}")
        text += f", response: {invitation['response']}"
        if invitation["last_reiterated"]:
            text += f", reiterated {when(invitation['last_reiterated'])}"
        lines.append(text)
    return "\n".join(lines)


def state_sheet(report: Mapping[str, Any]) -> Sheet:
    """The state table, from the report's JSON form (`StateReport` dumped, or the read
    model's rows as `state --json` prints them): drawn without loading the models."""
    known = f"known at {report['known_at']}" if report["known_at"] else "everything recorded"
    sheet = Sheet(
        title=f"Channels as of {report['as_of']} ({known})",
        columns=["Channel", *state_columns(), "Pending invitations", "Latest"],
    )
    for state in report["channels"]:
        marks = " ".join(
            sheet.note(
                f"{state['id']}: {d['event']}: {d['about']}: "
                + " vs ".join(f"{c['says']} ({', '.join(c['sources'])})" for c in d["claims"])
            )
            for d in state["disputes"]
            if d["about"] != "date"
        )
        latest = state["latest_event"]
        sheet.add(
            state["id"] + (f" {marks}" if marks else ""),
            *state_cells(state, report["as_of"]),
            _invitations(state, sheet),
            f"{when(latest['date'])}\n{type_words(latest['type'])}" if latest else "",
        )
    return sheet


SERIES_PAGE = 1000
"""Steps per sheet of a series table, so a long series is printed as it is laid out."""


def series_sheets(head: StateSeries, series: ChannelSeries) -> Iterator[Sheet]:
    """A channel's series as the state table says each step, a sheet per `SERIES_PAGE`
    steps (titled by the steps it shows when there are several)."""
    known = f"known at {head.known_at}" if head.known_at else "everything recorded"
    title = (
        f"{series.name} ({series.id}): every {head.every} from {head.from_} to {head.to} ({known})"
    )
    total, cells = len(series.points), series_cells(series)
    for first in range(0, total, SERIES_PAGE):
        page = list(islice(cells, SERIES_PAGE))
        shown = f", steps {first + 1}–{first + len(page)} of {total}"
        sheet = Sheet(
            title=title + (shown if total > SERIES_PAGE else ""), columns=series_columns()
        )
        for row in page:
            sheet.add(*row)
        yield sheet


def history_sheet(result: ChannelHistory) -> Sheet:
    sheet = Sheet(
        title=f"History of {result.name} ({result.channel}): {plural(len(result.steps), 'event')}",
        columns=["Date", "Event", "Changes", "Sources"],
        empty=(
            f"no events known at {result.known_at}: "
            f"{plural(result.not_yet_known, 'event')} recorded, not yet reported then"
            if result.not_yet_known
            else "no events recorded"
        ),
    )
    for step in result.steps:
        event = step.event
        date = "\n".join(
            step_date_lines(event.date, event.wording, event.effective, step.certainty)
        )
        changes = "\n".join(f"{c.field}: {c.before} → {c.after}" for c in step.changes)
        answers = f"\nin response to {event.in_response_to}" if event.in_response_to else ""
        sheet.add(
            date,
            f"{type_words(event.type)}\n{event.id}{answers}",
            changes or f"{event.summary} (no change of state)",
            _sources(event),
        )
    return sheet


def paged_sheets(
    pages: Iterable[list[Row]], sheet: Callable[[list[Row], str | None], Sheet], noun: str
) -> Iterator[Sheet]:
    """One sheet per page, so the table of a large ledger is printed as it is read: titled by
    `sheet` itself when one page holds them all, else by the range each page shows."""
    pages = iter(pages)
    first, second = next(pages, []), next(pages, None)
    if second is None:
        yield sheet(first, None)
        return
    shown = 0
    for page in chain([first, second], pages):
        yield sheet(page, f"{noun} {shown + 1}–{shown + len(page)}")
        shown += len(page)


def render_pages(
    pages: Iterable[list[Row]], sheet: Callable[[list[Row], str | None], Sheet], noun: str
) -> None:
    """Print each page's sheet as soon as it is read (`paged_sheets`)."""
    for page in paged_sheets(pages, sheet, noun):
        render(page)


def events_sheet(events: list[EventView], title: str | None = None) -> Sheet:
    sheet = Sheet(
        title=title or plural(len(events), "event"),
        columns=["Date", "Event", "Channel", "Actor → target", "Sources"],
        empty="none matched",
    )
    for event in events:
        sheet.add(
            # As a history step's: an announced action or a range says so under its date.
            "\n".join(step_date_lines(event.date, None, event.effective, event.certainty)),
            f"{type_words(event.type)}\n{event.id}",
            event.channel,
            f"{event.actor} → {event.target or '—'}",
            _sources(event),
        )
    return sheet


def sources_sheet(sources: list[SourceView], title: str | None = None) -> Sheet:
    sheet = Sheet(
        title=title or plural(len(sources), "source"),
        columns=["Source", "Outlet", "Title", "Published", "URL", "Events"],
        empty="none recorded",
    )
    for source in sources:
        sheet.add(
            source.id,
            source.outlet or "outlet not named in the text",
            source.headline or (f"(file {source.file})" if source.file else "(untitled)"),
            when(source.published),
            source.url or "no URL recorded",
            plural(len(source.events), "event") + ":\n" + "\n".join(source.events)
            if source.events
            else "no events",
        )
    return sheet


def disputes_sheet(result: DisputeList) -> Sheet:
    sheet = Sheet(
        title=plural(len(result.disputes), "dispute"),
        columns=["Event", "About", "Claims"],
        empty="the sources agree everywhere",
    )
    for dispute in result.disputes:
        claims = "\n".join(
            f"{c.party or 'unattributed'}: {c.says}"
            + (f" (date {c.date})" if c.date else "")
            + f" [{', '.join(c.sources)}]"
            for c in dispute.claims
        )
        sheet.add(dispute.event, dispute.about, claims)
    return sheet


def why_lines(result: Why) -> Iterable[str]:
    """The state in one sentence, then each event with its quotes (plain lines, cleaned later)."""
    state = result.state.model_dump(mode="json")
    known = f", known at {result.known_at}" if result.known_at else ""
    # An announced status already says its date ("announced 2021-10-18; ...").
    since = since_words(state) if state["status_basis"] != "announced" else ""
    reported = "".join(
        f"; {t.label}: {fact_words(state, t)}"
        for t in tracked_on(state["kind"])
        if t is not STATUS and t.name in state["facts"] and state["facts"][t.name]["event"]
    )
    age = evidence_age_words(state, result.as_of)
    yield (
        f"{result.channel} as of {result.as_of}{known}: {fact_words(state, STATUS, table=True)}"
        + (f", {since}" if since else "")
        + reported
        + (f"; {age}" if age else "")
    )
    for event in result.events:
        yield ""
        yield f"{event.date}  {type_words(event.type)}  {event.id}"
        if event.in_response_to:
            yield f"  in response to {event.in_response_to}"
        for citation in event.citations:
            yield (
                f"  {citation.source} ({citation.outlet or 'outlet not named'}, "
                f"{citation.published}): “{citation.quote}”"
            )


def diff_sheet(result: StateDiff) -> Sheet:
    """Each change on its row; the quotes behind it go to footnotes."""
    if result.axis == "valid":
        title = f"What changed between {result.from_} and {result.to}"
    else:
        title = (
            f"What was learned between {result.from_} and {result.to} "
            f"about the state as of {result.as_of}"
        )
    sheet = Sheet(
        title=f"{title}: {plural(len(result.changes), 'change')}" if result.changes else title,
        columns=["Channel", "Field", "Before", "After", "Events"],
        empty="nothing changed",
    )
    for change in result.changes:
        events = []
        for event in change.events:
            marks = " ".join(
                sheet.note(f"{event.id}: {c.source} ({c.published}): “{c.quote}”")
                for c in event.citations
            )
            events.append(f"{when(event.date)} {event.id} {marks}")
        sheet.add(
            change.channel,
            change.field,
            change.before.text,
            change.after.text,
            "\n".join(events),
        )
    return sheet


def import_log_sheet(log: ImportLogView) -> Sheet:
    """`chancery log`: the newest entries first; a retraction says which import it withdrew
    and why, a retracted import by which entry."""
    from chancery.terminal.output import counted

    shown = len(log.imports)
    sheet = Sheet(
        title=plural(log.total, "import")
        + (f", the newest {shown} shown" if shown < log.total else ""),
        columns=["No.", "Recorded (UTC)", "User", "Files", "Added"],
        empty="nothing imported since the log began",
    )
    for entry in log.imports:
        files = "\n".join(
            f"{f.name}{' (bundled)' if f.bundled else ''}\nsha256 {f.sha256}" for f in entry.files
        )
        if entry.retracts is not None:
            files = f"retraction of import {entry.retracts}: {entry.reason}"
        retracted = f"\nretracted by {entry.retracted_by}" if entry.retracted_by else ""
        listed = "".join(f"\n{name}" for name in [*(entry.ids or []), *(entry.declarations or [])])
        sheet.add(
            str(entry.number),
            f"{entry.recorded_at:%Y-%m-%d %H:%M:%S}",
            entry.user,
            files,
            counted(entry.added) + retracted + listed,
        )
    return sheet
