"""The offline HTML report: one self-contained file (no CDN, no network) that opens from disk.

Everything from the ledger is escaped with `html.escape`, its hidden characters shown as visible
escapes (`domain/visible.py`, as in the terminal). The state table's columns and words are the
terminal's (`projections/words.py` `state_columns`, `state_cells`, from the tracked-fact
declarations): Python says every cell of every channel's state over time, as rows of days in
which no word changes, and these travel as JSON in a `<script type="application/json">`
element with `<`, `>` and `&` escaped. The page's own script (a packaged asset, never built
from data) only picks the row for the chosen day and copies its cells as text: it knows no
vocabulary, so the page cannot say a state otherwise than `chancery state` does. A
Content-Security-Policy allows nothing but that script (by hash), the stylesheet and data:
images, so even a mistake in escaping could not run code or reach the network.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import MAXYEAR, date, timedelta
from html import escape
from importlib import resources
from urllib.parse import urlsplit

from chancery.domain.visible import show_hidden
from chancery.projections.events import list_disputes, source_pages
from chancery.projections.history import history_head
from chancery.projections.intervals import channel_segments
from chancery.projections.models import ChannelState, EventView
from chancery.projections.ports import Readings
from chancery.projections.words import (
    evidence_age_turns,
    state_cells,
    state_columns,
    step_date_lines,
    type_words,
)
from chancery.reports.timeline import TimelineRequest, render_timeline

_NEWLINE = frozenset("\n")
HISTORY_STEPS = 50
"""Steps of a channel's history the report shows; the rest are one command away."""
PAGE_YEARS = 30
"""Years after the report's as-of date that its date control answers (`page_until`)."""


def _asset(name: str) -> str:
    return (resources.files("chancery.reports") / "assets" / name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def esc(value: object) -> str:
    """Text as HTML: markup escaped, and hidden characters (bidi overrides, tag characters,
    controls: `domain/visible.py`) shown as visible escapes, as the terminal shows them."""
    text = "" if value is None else str(value)
    return escape(show_hidden(text, _NEWLINE), quote=True)


def json_for_script(value: object) -> str:
    """JSON that cannot close its <script> element or open a comment in it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def safe_link(url: str | None) -> str:
    """A link for http(s) URLs only; any other scheme (javascript:, data:) is shown as text."""
    if not url:
        return '<span class="muted">no URL recorded</span>'
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a>'
    return f"<span>{esc(url)}</span>"


def _visible(text: str) -> str:
    """A cell's words as the page shows them: hidden characters as visible escapes (the
    page's script writes them with textContent, so they need no HTML escaping)."""
    return show_hidden(text, _NEWLINE)


def page_until(as_of: date) -> date:
    """The last day the page's date control answers: the age of the evidence grows a year at
    a time for ever, so the rows that say it stop somewhere; later days are one command away."""
    return date(min(as_of.year + PAGE_YEARS, MAXYEAR), 12, 31)


def beyond_words(until: date) -> str:
    return (
        f"This report answers dates up to {until.isoformat()}; for a later date, "
        "chancery state --as-of DATE answers it."
    )


def _segment_data(contents: Readings, as_of: date, known_at: date | None) -> Iterator[str]:
    """The page's data as JSON, written a row at a time (one JSON object in all:
    `{"as_of": ..., "until": ..., "beyond": ..., "segments": {slug: [row, ...], ...}}`), so
    that no more than one row is held."""
    until = page_until(as_of)
    head = {"as_of": as_of.isoformat(), "until": until.isoformat(), "beyond": beyond_words(until)}
    yield json_for_script(head)[:-1] + ',"segments":{'
    for index, slug in enumerate(contents.channel_slugs()):
        yield ("," if index else "") + json_for_script(slug) + ":["
        for number, row in enumerate(_segment_rows(contents, slug, known_at, until)):
            yield ("," if number else "") + json_for_script(row)
        yield "]"
    yield "}}"


def _segment_rows(
    contents: Readings, slug: str, known_at: date | None, until: date
) -> Iterator[dict[str, object]]:
    """A channel's state over time as rows `[start, end)` whose cells are the state table's
    words (`state_cells`, as the terminal says them), so that the page only picks the row for
    the chosen day and copies its cells. A segment is split on each day the age of its
    evidence says one more year, up to `until`: no row's words depend on the day within it."""
    after = until if until == date.max else until + timedelta(days=1)
    for segment in channel_segments(contents, slug, known_at):
        said = segment.state.model_dump(mode="json")
        stop = after if segment.end is None else min(segment.end, after)
        turns = list(evidence_age_turns(said, segment.start, stop))
        for start, end in zip([segment.start, *turns], [*turns, segment.end], strict=True):
            yield {
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
                "status": said["status"],
                "certainty": "" if said["status"] == "unknown" else said["certainty"],
                "cells": [_visible(c) for c in state_cells(said, start or date.min)],
            }


def _state_row(state: ChannelState, as_of: date) -> str:
    said = state.model_dump(mode="json")
    certainty = "" if said["status"] == "unknown" else said["certainty"]
    cells = "".join(f"<td data-cell>{esc(cell)}</td>" for cell in state_cells(said, as_of))
    return (
        f'<tr data-channel="{esc(state.id)}" data-status="{esc(said["status"])}" '
        f'data-certainty="{esc(certainty)}">'
        f'<td class="slug"><a href="#history-{esc(state.id)}">{esc(state.id)}</a></td>'
        f"<td>{esc(state.name)}</td>{cells}</tr>"
    )


def _quotes(event: EventView) -> str:
    return "".join(
        f'<blockquote>“{esc(c.quote)}” — <a href="#source-{esc(c.source)}">{esc(c.source)}</a>'
        f" ({esc(c.outlet or 'outlet not named')}, {esc(c.published)})</blockquote>"
        for c in event.citations
    )


def _history(contents: Readings, slug: str, known_at: date | None) -> str:
    """The channel's history, its first `HISTORY_STEPS` steps, then a line naming the command
    that shows the rest."""
    result, more = history_head(contents, slug, known_at, HISTORY_STEPS)
    rows = []
    for step in result.steps:
        event = step.event
        dated = step_date_lines(event.date, event.wording, event.effective, step.certainty)
        changes = "<br>".join(
            f"{esc(c.field)}: {esc(c.before)} → {esc(c.after)}" for c in step.changes
        )
        rows.append(
            f'<tr><td><span class="date">{esc(event.date)}</span>'
            + "".join(f"<br>{esc(line)}" for line in dated[1:])
            + f"</td><td>{esc(type_words(event.type))}<br>"
            f'<span class="muted">{esc(event.id)}</span></td>'
            f"<td>{changes or esc(event.summary + ' (no change of state)')}</td>"
            f"<td>{_quotes(event)}</td></tr>"
        )
    if more > 0:
        rows.append(
            f'<tr><td colspan="4" class="more">{more} more steps: '
            f"<code>chancery history --channel {esc(slug)}</code> shows them all</td></tr>"
        )
    body = "".join(rows) or '<tr><td colspan="4">no events recorded</td></tr>'
    return (
        f'<h3 id="history-{esc(slug)}">{esc(result.name)} <span class="muted">({esc(slug)})</span>'
        "</h3><table><thead><tr><th>Date</th><th>Event</th><th>Changes</th><th>Sources</th>"
        f"</tr></thead><tbody>{body}</tbody></table>"
    )


def _sources(contents: Readings, known_at: date | None) -> Iterator[str]:
    """The sources table, written a page of sources at a time."""
    yield (
        "<table><thead><tr><th>Source</th><th>Outlet</th><th>Title</th><th>Published</th>"
        "<th>URL</th><th>Events</th></tr></thead><tbody>"
    )
    for page in source_pages(contents, known_at):
        yield "".join(
            f'<tr id="source-{esc(s.id)}"><td class="slug">{esc(s.id)}</td>'
            f"<td>{esc(s.outlet or 'outlet not named in the text')}</td>"
            f"<td>{esc(s.headline or (f'(file {s.file})' if s.file else '(untitled)'))}</td>"
            f'<td><span class="date">{esc(s.published)}</span></td><td>{safe_link(s.url)}</td>'
            f"<td>{len(s.events)}</td></tr>"
            for s in page
        )
    yield "</tbody></table>"


def _disputes(contents: Readings, known_at: date | None) -> str:
    rows = "".join(
        f'<tr><td class="slug">{esc(d.event)}</td><td>{esc(d.about)}</td><td>'
        + "<br>".join(
            f"{esc(c.party or 'unattributed')}: {esc(c.says)}"
            + (f" (date {esc(c.date)})" if c.date else "")
            + " ["
            + ", ".join(f'<a href="#source-{esc(s)}">{esc(s)}</a>' for s in c.sources)
            + "]"
            for c in d.claims
        )
        + "</td></tr>"
        for d in list_disputes(contents, known_at).disputes
    )
    return (
        "<table><thead><tr><th>Event</th><th>About</th><th>Claims</th></tr></thead>"
        f"<tbody>{rows or '<tr><td colspan=3>the sources agree everywhere</td></tr>'}</tbody>"
        "</table>"
    )


def render_report(contents: Readings, as_of: date, known_at: date | None = None) -> Iterator[str]:
    """The whole report as one HTML document, in pieces: a channel's history, a page of
    sources, a channel's data at a time, so that what is held does not grow with the ledger.
    What it shows is bounded too: the chart draws what `reports/timeline.py` allows, and each
    channel's history its first `HISTORY_STEPS` steps. Known at a date, every part of it
    (states, chart, histories, sources, disputes) shows only what had been published by then."""
    script, style = _asset("report.js"), _asset("report.css")
    state = contents.state(as_of, known_at)
    channels = list(contents.channel_slugs())
    chart = render_timeline(contents, TimelineRequest(channels, known_at=known_at), "svg")
    known = (
        f'<p class="known-at">As known at <span class="date">{esc(known_at.isoformat())}</span>: '
        "only what sources had published by then.</p>\n"
        if known_at
        else ""
    )
    columns = "".join(f"<th>{esc(column)}</th>" for column in state_columns())
    chart_uri = "data:image/svg+xml;base64," + base64.b64encode(chart).decode()
    del chart
    policy = (
        "default-src 'none'; img-src data:; "
        f"style-src {_hash(style)}; script-src {_hash(script)}; base-uri 'none'; form-action 'none'"
    )
    yield f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chancery report</title>
<style>{style}</style>
</head>
<body>
<h1>Chancery: the state of every channel, and who says so</h1>
{known}<p class="control"><label for="as-of">State as of</label>
<input type="date" id="as-of" value="{esc(as_of.isoformat())}"
 max="{esc(page_until(as_of).isoformat())}">
<span class="muted">(showing <span id="as-of-label">{esc(as_of.isoformat())}</span>;
the address's <code>#as-of=YYYY-MM-DD</code> opens the report at that date)</span></p>
<p id="as-of-note" class="note"></p>
<table id="state"><thead><tr><th>Channel</th><th>Name</th>{columns}</tr></thead>
<tbody>{"".join(_state_row(c, as_of) for c in state.channels)}</tbody></table>
<h2>Timeline</h2>
<img class="chart" alt="Timeline of every channel's status, staff cap and events"
 src="{chart_uri}">
<h2>History of each channel</h2>
"""
    del state, chart_uri
    for slug in contents.channel_slugs():
        yield _history(contents, slug, known_at)
    yield "\n<h2>Sources</h2>\n"
    yield from _sources(contents, known_at)
    yield f"""
<h2>Disputes</h2>
{_disputes(contents, known_at)}
<script type="application/json" id="chancery-data">"""
    yield from _segment_data(contents, as_of, known_at)
    yield f"""</script>
<script>{script}</script>
</body>
</html>
"""
