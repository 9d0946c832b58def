"""The timeline chart: one lane per channel, status bands over time, the staff cap as a step
line, event markers. matplotlib's Agg renderer, no pyplot state, fixed size, fonts and
metadata, so the same ledger and arguments give the same bytes.

Reading it:
- band shade = status, a lighter shade of the same hue where the status is inferred; every
  shade differs from every other by at least `MIN_GREY_STEP` of 255 in grey, so the chart
  reads printed in black and white too;
- hatching = a window in which a change may or may not have happened yet ("possible"); dots =
  a status resting on an action reported only as announced;
- the line inside a lane = the staff cap: solid where reported, dashed where inferred, dotted
  where announced, absent where unknown; its value is written under each step wide enough;
- triangles = events, numbered; the key under the chart gives each number's event id;
  a red "!" marks an event the sources dispute. Events too close to be labelled apart share
  one label ("6-11"), so no two labels print over each other.
The legend shows exactly the kinds of mark the chart draws.

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
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.typing import LineStyleType

STATUS_COLOURS = {
    "active": "#3f9f3c",
    "suspended": "#fdb863",
    "closed": "#252525",
    "unknown": "#ffffff",
}
"""The shade of a status a source gives. Grey 119, 195, 37, 255 of 255."""
INFERRED_COLOURS = {
    "active": "#74c476",
    "suspended": "#fde0bb",
    "closed": "#525252",
    "unknown": "#ffffff",
}
"""The shade of a status only implied by a source: lighter, same hue. Grey 163, 228, 82.
Opaque colours rather than transparency, so the grey of each is what this table says."""
MIN_GREY_STEP = 25
"""Every two shades of the chart differ by at least this much (of 255) once greyed."""
HATCH_POSSIBLE = "////"
HATCH_ANNOUNCED = "...."
CAP_STYLES: dict[str, LineStyleType] = {"reported": "-", "inferred": "--", "announced": ":"}
"""The cap line's style by the basis of the cap's value."""
DISPUTED_COLOUR = "#b2182b"
MARKER_FONT = 6.0
CHAR_WIDTH = 0.72
"""An upper bound of a digit's, a dash's or a "!"'s width in DejaVu Sans (bold too), in ems:
labels are kept apart by estimate before anything is drawn."""
AXES_LEFT, AXES_WIDTH, FIG_WIDTH = 0.27, 0.71, 11.0

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
    basis: str
    """How the status is known: reported, announced or inferred."""
    staff_cap: int | None
    cap_basis: str | None


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
            basis=segment.state.status_basis.value,
            staff_cap=segment.state.staff_cap,
            cap_basis=None
            if segment.state.staff_cap_basis is None
            else segment.state.staff_cap_basis.value,
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


def shade(band: Band) -> str:
    """The fill of a band: its status's shade, lighter where the status is inferred."""
    table = INFERRED_COLOURS if band.basis == "inferred" else STATUS_COLOURS
    return table[band.status]


def _hatch(possible: bool, announced: bool) -> str | None:
    return HATCH_POSSIBLE if possible else HATCH_ANNOUNCED if announced else None


def _label_points(text: str) -> float:
    """The width a small label takes, in points, at most (see `CHAR_WIDTH`)."""
    return MARKER_FONT * CHAR_WIDTH * len(text) + 2


class Drawn:
    """The kinds of mark drawn so far, in the order the legend lists them: the legend is built
    from this, so it shows every mark the chart has and no mark it has not."""

    def __init__(self) -> None:
        self.shades: set[tuple[str, bool]] = set()
        self.hatches: set[str] = set()
        self.caps: set[str] = set()
        self.events = False
        self.disputed = False

    def legend(self) -> list[Artist]:
        handles: list[Artist] = []
        for status in STATUS_COLOURS:
            for inferred in (False, True):
                if (status, inferred) in self.shades:
                    colour = (INFERRED_COLOURS if inferred else STATUS_COLOURS)[status]
                    label = f"{status} (inferred)" if inferred else status
                    handles.append(Patch(facecolor=colour, edgecolor="#808080", label=label))
        for hatch, label in ((HATCH_POSSIBLE, "possible"), (HATCH_ANNOUNCED, "announced")):
            if hatch in self.hatches:
                handles.append(
                    Patch(facecolor="white", edgecolor="#808080", hatch=hatch, label=label)
                )
        for basis, style in CAP_STYLES.items():
            if basis in self.caps:
                handles.append(
                    Line2D([], [], color=CAP_COLOUR, linestyle=style, label=f"staff cap ({basis})")
                )
        if self.events:
            handles.append(
                Line2D([], [], color="black", marker="v", linestyle="", label="event (see key)")
            )
        if self.disputed:
            handles.append(
                Line2D([], [], color=DISPUTED_COLOUR, marker="$!$", linestyle="", label="disputed")
            )
        return handles


def _draw_lane(
    ax: Axes, row: int, lane: Lane, first: date, last: date, top: int, drawn: Drawn
) -> None:
    """A lane's bands, drawn as one collection per look (hatched or not): a few matplotlib
    artists a lane, however many times its state changes. A cap's value is written under its
    step where the step is wide enough for it, so two cap labels never meet."""
    looks: dict[str | None, tuple[list[tuple[float, float]], list[str]]] = {}
    lines: dict[str, tuple[list[float], list[float]]] = {}
    days_per_point = (mdates.date2num(last) - mdates.date2num(first)) / (
        AXES_WIDTH * FIG_WIDTH * 72
    )
    for band in lane.bands:
        span = _clip(band, first, last)
        if span is None:
            continue
        start, end = span
        left, width = mdates.date2num(start), mdates.date2num(end) - mdates.date2num(start)
        hatch = _hatch(band.possible, band.basis == "announced")
        ranges, colours = looks.setdefault(hatch, ([], []))
        ranges.append((left, width))
        colours.append(shade(band))
        drawn.shades.add((band.status, band.basis == "inferred"))
        if hatch:
            drawn.hatches.add(hatch)
        if band.staff_cap is None or band.cap_basis not in CAP_STYLES or not top:
            continue
        level = row - LANE_HEIGHT / 2 + 0.1 + 0.5 * LANE_HEIGHT * band.staff_cap / top
        xs, ys = lines.setdefault(band.cap_basis, ([], []))
        xs += [left, left + width, float("nan")]  # NaN: the next step is a separate segment
        ys += [level, level, float("nan")]
        text = f"cap {band.staff_cap}"
        if width < _label_points(text) * days_per_point:
            continue  # too narrow for its label: the line alone shows the step
        ax.annotate(
            text,
            (left, level),
            xytext=(2, -1.5),
            textcoords="offset points",
            va="top",
            fontsize=MARKER_FONT,
            color=CAP_COLOUR,
        )
    for hatch, (ranges, colours) in looks.items():
        ax.broken_barh(
            ranges,
            (row - LANE_HEIGHT / 2, LANE_HEIGHT),
            facecolors=colours,
            edgecolors="#808080",
            linewidth=0.4,
            hatch=hatch,
        )
    for basis, (xs, ys) in lines.items():
        ax.plot(xs, ys, color=CAP_COLOUR, linestyle=CAP_STYLES[basis], linewidth=1.6)
        drawn.caps.add(basis)


def _numbers_text(numbers: list[int]) -> str:
    """'3', '6-11' or '2, 4-5': runs of consecutive numbers joined by a dash."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


@dataclass(frozen=True)
class Label:
    x: float
    text: str
    disputed: bool


def marker_labels(markers: list[tuple[float, int, bool]], days_per_point: float) -> list[Label]:
    """One label per group of markers too close to be labelled apart: neighbouring groups are
    merged until every label's estimated box clears the next one's. Markers are (x in days,
    number, disputed); a label sits centred over its group and says "!" if any is disputed.
    Quadratic at worst in a lane's markers, which `MAX_KEYED_EVENTS` bounds."""
    groups = [[m] for m in sorted(markers)]

    def label(group: list[tuple[float, int, bool]]) -> Label:
        disputed = any(m[2] for m in group)
        text = _numbers_text([m[1] for m in group]) + (" !" if disputed else "")
        return Label((group[0][0] + group[-1][0]) / 2, text, disputed)

    merged = True
    while merged:
        merged = False
        for index in range(len(groups) - 1):
            one, two = label(groups[index]), label(groups[index + 1])
            room = (two.x - one.x) / days_per_point
            if room < (_label_points(one.text) + _label_points(two.text)) / 2 + 3:
                groups[index : index + 2] = [groups[index] + groups[index + 1]]
                merged = True
                break
    return [label(group) for group in groups]


def _draw_markers(
    ax: Axes, row: int, lane: Lane, numbers: dict[str, int], days_per_point: float, drawn: Drawn
) -> None:
    y = row - LANE_HEIGHT / 2  # the lane's top edge (the y axis runs downwards)
    xs = [float(mdates.date2num(marker.earliest)) for marker in lane.markers]
    if xs:
        ax.plot(xs, [y] * len(xs), marker="v", color="black", markersize=5, linestyle="")
        drawn.events = True
    found = [(x, numbers[m.id], m.disputed) for x, m in zip(xs, lane.markers, strict=True)]
    for label in marker_labels(found, days_per_point):
        drawn.disputed |= label.disputed
        ax.annotate(
            label.text,
            (label.x, y),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=MARKER_FONT,
            color=DISPUTED_COLOUR if label.disputed else "black",
            fontweight="bold" if label.disputed else "normal",
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

    drawn = Drawn()
    key_lines = (len(entries) + 1) // 2
    lanes_inches = 0.55 * len(lanes) + 0.9
    fig = Figure(figsize=(FIG_WIDTH, 1.0), dpi=110)
    ax = fig.add_axes((AXES_LEFT, 0.0, AXES_WIDTH, 1.0))
    days_per_point = (mdates.date2num(last) - mdates.date2num(first)) / (
        AXES_WIDTH * FIG_WIDTH * 72
    )
    for row, lane in enumerate(lanes):
        _draw_lane(ax, row, lane, first, last, top, drawn)
        _draw_markers(ax, row, lane, numbers, days_per_point, drawn)
    handles = drawn.legend()
    # the legend hangs beside the key: the area below the lanes is as tall as the longer one
    key_inches = max(0.1 * key_lines, 0.13 * len(handles)) + 0.7
    height = lanes_inches + key_inches
    fig.set_size_inches(FIG_WIDTH, height)
    ax.set_position((AXES_LEFT, key_inches / height, AXES_WIDTH, (lanes_inches - 0.4) / height))
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
    if handles:
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(-0.37, -0.03), fontsize=6, ncol=1
        )
    half = (len(entries) + 1) // 2
    for column, chunk in enumerate((entries[:half], entries[half:])):
        fig.text(
            AXES_LEFT + 0.36 * column,
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
