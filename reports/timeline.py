"""The timeline chart: one lane per channel, status bands over time, the staff cap as a step
line, event markers. matplotlib's Agg renderer, no pyplot state, fixed size, fonts and
metadata, so the same ledger and arguments give the same bytes.

Reading it:
- band shade = status; the four shades differ in lightness, so they read in greyscale too
  (active mid green, suspended light orange, closed near black, unknown white);
- hatching = a window in which a change may or may not have happened yet ("possible");
- the line inside a lane = the staff cap: solid where reported, dashed where inferred, absent
  where unknown; its value is written at each step;
- triangles = events, numbered; the key under the chart gives each number's event id;
  a red "!" marks an event the sources dispute.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display, ever: a server or CI has none

from chancery.domain.days import shift_days
from chancery.projections.events import list_events
from chancery.projections.intervals import Segment, channel_segments
from chancery.projections.models import EventView
from chancery.projections.readmodel import ReadModel
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.patches import Patch

STATUS_COLOURS = {
    "active": "#4daf4a",
    "suspended": "#fdb863",
    "closed": "#252525",
    "unknown": "#ffffff",
}
"""Lightness 0.55, 0.80, 0.15, 1.0: distinct when printed in grey."""

LANE_HEIGHT = 0.7
CAP_COLOUR = "#08306b"
MARGIN = timedelta(days=120)


@dataclass(frozen=True)
class TimelineRequest:
    channels: list[str]
    start: date | None = None
    end: date | None = None
    known_at: date | None = None


def _span(segments: dict[str, list[Segment]], request: TimelineRequest) -> tuple[date, date]:
    """From the first to the last date on which a lane's state changes, with a margin."""
    days = [
        day
        for lane in segments.values()
        for segment in lane
        for day in (segment.start, segment.end)
        if day is not None
    ]
    first = request.start or shift_days(min(days) if days else date.today(), -MARGIN.days)
    last = request.end or (shift_days(max(days), MARGIN.days) if days else date.today())
    return first, last


def _clip(segment: Segment, first: date, last: date) -> tuple[date, date] | None:
    start = max(segment.start or first, first)
    end = min(segment.end or last, last)
    return (start, end) if start < end else None


def _lane(ax: object, row: int, segments: list[Segment], first: date, last: date, top: int) -> None:
    for segment in segments:
        span = _clip(segment, first, last)
        if span is None:
            continue
        start, end = span
        state = segment.state
        left, width = mdates.date2num(start), mdates.date2num(end) - mdates.date2num(start)
        ax.broken_barh(  # type: ignore[attr-defined]
            [(left, width)],
            (row - LANE_HEIGHT / 2, LANE_HEIGHT),
            facecolors=STATUS_COLOURS[state.status.value],
            edgecolors="#808080",
            linewidth=0.4,
            hatch="////" if state.certainty == "possible" else None,
            alpha=0.55 if state.status_basis.value == "inferred" else 1.0,
        )
        if state.staff_cap is not None and top:
            level = row - LANE_HEIGHT / 2 + 0.1 + 0.5 * LANE_HEIGHT * state.staff_cap / top
            basis = state.staff_cap_basis
            reported = basis is not None and basis.value == "reported"
            style = "-" if reported else "--"
            ax.plot(  # type: ignore[attr-defined]
                [mdates.date2num(start), mdates.date2num(end)],
                [level, level],
                color=CAP_COLOUR,
                linestyle=style,
                linewidth=1.6,
            )
            ax.annotate(  # type: ignore[attr-defined]
                f"cap {state.staff_cap}",
                (mdates.date2num(start), level),
                xytext=(2, 2),
                textcoords="offset points",
                fontsize=6,
                color=CAP_COLOUR,
            )


def _markers(ax: object, row: int, events: list[EventView], numbers: dict[str, int]) -> None:
    for index, event in enumerate(events):
        x = mdates.date2num(event.earliest)
        y = row - LANE_HEIGHT / 2  # the lane's top edge (the y axis runs downwards)
        ax.plot([x], [y], marker="v", color="black", markersize=5)  # type: ignore[attr-defined]
        label = str(numbers[event.id]) + (" !" if event.disputes else "")
        ax.annotate(  # type: ignore[attr-defined]
            label,
            (x, y),
            xytext=(0, 3 + 7 * (index % 2)),
            textcoords="offset points",
            ha="center",
            fontsize=6,
            color="#b2182b" if event.disputes else "black",
            fontweight="bold" if event.disputes else "normal",
        )


def timeline_figure(contents: ReadModel, request: TimelineRequest) -> Figure:
    """The chart as a matplotlib Figure (not yet saved)."""
    lanes = request.channels
    segments = {slug: channel_segments(contents, slug, request.known_at) for slug in lanes}
    first, last = _span(segments, request)
    per_lane = {
        slug: [
            e
            for e in list_events(
                contents, channel=slug, start=first, end=last, known_at=request.known_at
            ).events
            if first <= e.earliest <= last
        ]
        for slug in lanes
    }
    ordered = [e for slug in lanes for e in per_lane[slug]]
    numbers = {e.id: n for n, e in enumerate(ordered, start=1)}
    caps = [s.state.staff_cap for ss in segments.values() for s in ss if s.state.staff_cap]
    top = max(caps, default=0)

    key_lines = (len(ordered) + 1) // 2
    lanes_inches = 0.55 * len(lanes) + 0.9
    key_inches = 0.1 * key_lines + 0.7
    height = lanes_inches + key_inches
    fig = Figure(figsize=(11, height), dpi=110)
    ax = fig.add_axes((0.27, key_inches / height, 0.71, (lanes_inches - 0.4) / height))
    for row, slug in enumerate(lanes):
        _lane(ax, row, segments[slug], first, last, top)
        _markers(ax, row, per_lane[slug], numbers)
    ax.set_yticks(range(len(lanes)), labels=lanes, fontsize=7)
    ax.set_ylim(len(lanes) - 0.3, -0.7)
    ax.set_xlim(mdates.date2num(first), mdates.date2num(last))
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#d9d9d9", linewidth=0.5)
    known = f", known at {request.known_at}" if request.known_at else ""
    ax.set_title(f"Channels {first} to {last}{known}", fontsize=9)
    legend = [Patch(facecolor=c, edgecolor="#808080", label=s) for s, c in STATUS_COLOURS.items()]
    legend.append(Patch(facecolor="white", edgecolor="#808080", hatch="////", label="possible"))
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(-0.37, -0.03), fontsize=6, ncol=1)
    entries = [f"{numbers[e.id]}{' !' if e.disputes else ''}  {e.date}  {e.id}" for e in ordered]
    half = (len(entries) + 1) // 2
    for column, chunk in enumerate((entries[:half], entries[half:])):
        fig.text(
            0.27 + 0.36 * column,
            (key_inches - 0.45) / height,
            "\n".join(chunk),
            fontsize=5.5,
            va="top",
            family="DejaVu Sans Mono",
        )
    return fig


def render_timeline(contents: ReadModel, request: TimelineRequest, fmt: str) -> bytes:
    """The chart as PNG or SVG bytes, identical for identical input."""
    fig = timeline_figure(contents, request)
    buffer = io.BytesIO()
    if fmt == "svg":
        with matplotlib.rc_context({"svg.hashsalt": "chancery", "svg.fonttype": "none"}):
            fig.savefig(buffer, format="svg", metadata={"Date": None})
    else:
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def output_format(path: Path) -> str:
    """'png' or 'svg' from the file name; anything else is the caller's error to report."""
    return path.suffix.lower().lstrip(".")
