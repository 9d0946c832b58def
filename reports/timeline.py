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

What it draws is bounded, whatever the size of the ledger (a chart of 1,000 lanes or 20,000
numbered events is neither readable nor cheap): at most `MAX_LANES` lanes (the channels asked
for, else every channel in declaration order; the title says how many were left out and that
`--channel` picks them), and in each lane the first `MAX_KEYED_EVENTS` events of the window,
(fewer when there are many lanes: `MAX_KEY` in all),
numbered in the key, which then says how many more that lane has and that `chancery events
--channel SLUG` lists them. The data is read a channel at a time, each lane's states reduced
to its bands and its events read a page at a time, so memory does not grow with the ledger.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display, ever: a server or CI has none

from chancery.domain.days import shift_days
from chancery.domain.visible import show_hidden
from chancery.projections.events import event_pages
from chancery.projections.intervals import channel_segments
from chancery.projections.models import Day
from chancery.projections.ports import Readings
from matplotlib import dates as mdates
from matplotlib.axes import Axes
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
LABEL_SHARE = 40
"""A cap is labelled where its band is at least 1/LABEL_SHARE of the chart's width."""
MAX_LANES = 40
"""Lanes drawn at most; more channels are named with `--channel`."""
MAX_KEYED_EVENTS = 30
"""Events numbered per lane at most; the key says how many more the lane has."""
MAX_KEY = 240
"""Events numbered in the whole chart at most: a lane's share of it is MAX_KEY / lanes
(at least 5, at most MAX_KEYED_EVENTS), so the key stays under 120 lines a column."""


@dataclass(frozen=True)
class Band:
    """What the chart draws of one segment of a channel's state: a few fields, not the
    whole state, so that a lane's segments cost little to hold."""

    start: date | None
    end: date | None
    status: str
    possible: bool
    inferred: bool
    staff_cap: int | None
    cap_reported: bool


@dataclass(frozen=True)
class Marker:
    id: str
    date: str
    earliest: Day
    disputed: bool


@dataclass(frozen=True)
class Lane:
    slug: str
    bands: list[Band]
    markers: list[Marker]
    more: int
    """Events of the window on this lane beyond the numbered ones."""


@dataclass(frozen=True)
class TimelineRequest:
    channels: list[str]
    start: date | None = None
    end: date | None = None
    known_at: date | None = None


def _bands(contents: Readings, slug: str, known_at: date | None) -> list[Band]:
    return [
        Band(
            start=segment.start,
            end=segment.end,
            status=segment.state.status.value,
            possible=segment.state.certainty == "possible",
            inferred=segment.state.status_basis.value == "inferred",
            staff_cap=segment.state.staff_cap,
            cap_reported=segment.state.staff_cap_basis is not None
            and segment.state.staff_cap_basis.value == "reported",
        )
        for segment in channel_segments(contents, slug, known_at)
    ]


def _span(lanes: list[list[Band]], request: TimelineRequest) -> tuple[date, date]:
    """From the first to the last date on which a lane's state changes, with a margin."""
    days = [
        day for lane in lanes for band in lane for day in (band.start, band.end) if day is not None
    ]
    first = request.start or shift_days(min(days) if days else date.today(), -MARGIN.days)
    last = request.end or (shift_days(max(days), MARGIN.days) if days else date.today())
    return first, last


def _markers(
    contents: Readings, slug: str, first: date, last: date, known_at: date | None, keyed: int
) -> tuple[list[Marker], int]:
    """The lane's first `keyed` events starting in the window, and how many more there are:
    events are read a page at a time and only the numbered ones are kept."""
    kept: list[Marker] = []
    more = 0
    pages = event_pages(contents, channel=slug, start=first, end=last, known_at=known_at)
    for page, _ in pages:
        for event in page:
            if not first <= event.earliest <= last:
                continue
            if len(kept) < keyed:
                kept.append(Marker(event.id, event.date, event.earliest, bool(event.disputes)))
            else:
                more += 1
    return kept, more


def timeline_lanes(contents: Readings, request: TimelineRequest) -> tuple[list[Lane], date, date]:
    """The lanes to draw (at most `MAX_LANES`) and the span of dates, read a channel at a time."""
    slugs = list(dict.fromkeys(request.channels))[:MAX_LANES]
    bands = [_bands(contents, slug, request.known_at) for slug in slugs]
    first, last = _span(bands, request)
    keyed = min(MAX_KEYED_EVENTS, max(5, MAX_KEY // max(1, len(slugs))))
    lanes = []
    for slug, lane_bands in zip(slugs, bands, strict=True):
        markers, more = _markers(contents, slug, first, last, request.known_at, keyed)
        lanes.append(Lane(slug, lane_bands, markers, more))
    return lanes, first, last


def _clip(band: Band, first: date, last: date) -> tuple[date, date] | None:
    start = max(band.start or first, first)
    end = min(band.end or last, last)
    return (start, end) if start < end else None


def _draw_lane(ax: Axes, row: int, lane: Lane, first: date, last: date, top: int) -> None:
    """A lane's bands, drawn as one collection per look (hatched or not, inferred or not):
    a few matplotlib artists a lane, however many times its state changes."""
    looks: dict[tuple[bool, bool], tuple[list[tuple[float, float]], list[str]]] = {}
    lines: dict[bool, tuple[list[float], list[float]]] = {}
    label_width = (mdates.date2num(last) - mdates.date2num(first)) / LABEL_SHARE
    for band in lane.bands:
        span = _clip(band, first, last)
        if span is None:
            continue
        start, end = span
        left, width = mdates.date2num(start), mdates.date2num(end) - mdates.date2num(start)
        ranges, colours = looks.setdefault((band.possible, band.inferred), ([], []))
        ranges.append((left, width))
        colours.append(STATUS_COLOURS[band.status])
        if band.staff_cap is None or not top:
            continue
        level = row - LANE_HEIGHT / 2 + 0.1 + 0.5 * LANE_HEIGHT * band.staff_cap / top
        xs, ys = lines.setdefault(band.cap_reported, ([], []))
        xs += [left, left + width, float("nan")]  # NaN: the next step is a separate segment
        ys += [level, level, float("nan")]
        if width < label_width:
            continue  # too narrow for its label: the line alone shows the step
        ax.annotate(
            f"cap {band.staff_cap}",
            (left, level),
            xytext=(2, 2),
            textcoords="offset points",
            fontsize=6,
            color=CAP_COLOUR,
        )
    for (possible, inferred), (ranges, colours) in looks.items():
        ax.broken_barh(
            ranges,
            (row - LANE_HEIGHT / 2, LANE_HEIGHT),
            facecolors=colours,
            edgecolors="#808080",
            linewidth=0.4,
            hatch="////" if possible else None,
            alpha=0.55 if inferred else 1.0,
        )
    for reported, (xs, ys) in lines.items():
        ax.plot(xs, ys, color=CAP_COLOUR, linestyle="-" if reported else "--", linewidth=1.6)


def _draw_markers(ax: Axes, row: int, lane: Lane, numbers: dict[str, int]) -> None:
    for index, marker in enumerate(lane.markers):
        x = mdates.date2num(marker.earliest)
        y = row - LANE_HEIGHT / 2  # the lane's top edge (the y axis runs downwards)
        ax.plot([x], [y], marker="v", color="black", markersize=5)
        label = str(numbers[marker.id]) + (" !" if marker.disputed else "")
        ax.annotate(
            label,
            (x, y),
            xytext=(0, 3 + 7 * (index % 2)),
            textcoords="offset points",
            ha="center",
            fontsize=6,
            color="#b2182b" if marker.disputed else "black",
            fontweight="bold" if marker.disputed else "normal",
        )


def _key(lanes: list[Lane], numbers: dict[str, int]) -> list[str]:
    entries = []
    for lane in lanes:
        entries += [
            f"{numbers[m.id]}{' !' if m.disputed else ''}  {m.date}  {m.id}" for m in lane.markers
        ]
        if lane.more:
            entries.append(
                f"+{lane.more} more on {lane.slug}: chancery events --channel {lane.slug}"
            )
    return entries


def timeline_figure(contents: Readings, request: TimelineRequest) -> Figure:
    """The chart as a matplotlib Figure (not yet saved)."""
    lanes, first, last = timeline_lanes(contents, request)
    asked = len(dict.fromkeys(request.channels))
    numbers = {m.id: n for n, m in enumerate((m for lane in lanes for m in lane.markers), start=1)}
    caps = [b.staff_cap for lane in lanes for b in lane.bands if b.staff_cap]
    top = max(caps, default=0)
    entries = [show_hidden(entry) for entry in _key(lanes, numbers)]

    key_lines = (len(entries) + 1) // 2
    lanes_inches = 0.55 * len(lanes) + 0.9
    key_inches = 0.1 * key_lines + 0.7
    height = lanes_inches + key_inches
    fig = Figure(figsize=(11, height), dpi=110)
    ax = fig.add_axes((0.27, key_inches / height, 0.71, (lanes_inches - 0.4) / height))
    for row, lane in enumerate(lanes):
        _draw_lane(ax, row, lane, first, last, top)
        _draw_markers(ax, row, lane, numbers)
    ax.set_yticks(range(len(lanes)), labels=[lane.slug for lane in lanes], fontsize=7)
    ax.set_ylim(len(lanes) - 0.3, -0.7)
    ax.set_xlim(mdates.date2num(first), mdates.date2num(last))
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#d9d9d9", linewidth=0.5)
    known = f", known at {request.known_at}" if request.known_at else ""
    shown = (
        f"; the first {len(lanes)} of {asked} channels (choose with --channel)"
        if asked > len(lanes)
        else ""
    )
    ax.set_title(f"Channels {first} to {last}{known}{shown}", fontsize=9)
    legend = [Patch(facecolor=c, edgecolor="#808080", label=s) for s, c in STATUS_COLOURS.items()]
    legend.append(Patch(facecolor="white", edgecolor="#808080", hatch="////", label="possible"))
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(-0.37, -0.03), fontsize=6, ncol=1)
    half = (len(entries) + 1) // 2
    for column, chunk in enumerate((entries[:half], entries[half:])):
        fig.text(
            0.27 + 0.36 * column,
            (key_inches - 0.45) / height,
            "\n".join(chunk),
            fontsize=5.5,
            va="top",
            family="DejaVu Sans Mono",
            parse_math=False,
        )
    return fig


def render_timeline(contents: Readings, request: TimelineRequest, fmt: str) -> bytes:
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
