"""`chancery timeline`: deterministic PNG/SVG, lanes for the channels asked for, the cap line
reported solid and inferred dashed, shades distinct in greyscale, one-line errors."""

from __future__ import annotations

import io
import json
import re
from itertools import combinations, pairwise
from pathlib import Path
from xml.etree import ElementTree

import pytest
from chancery.cli import app
from chancery.reports import timeline as timeline_module
from chancery.reports.timeline import INFERRED_COLOURS, MIN_GREY_STEP, STATUS_COLOURS
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from PIL import Image
from typer.testing import CliRunner

runner = CliRunner()
MISSION = "russia-mission-to-nato"


def draw(location: str, out: Path, *args: str) -> bytes:
    result = runner.invoke(app, ["timeline", "--db", location, "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_the_same_ledger_and_arguments_give_the_same_bytes(
    bundled_location: str, tmp_path: Path, suffix: str
) -> None:
    first = draw(bundled_location, tmp_path / f"a{suffix}")
    second = draw(bundled_location, tmp_path / f"b{suffix}")
    assert first == second
    if suffix == ".png":
        assert first.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert b"<svg" in first


def test_svg_has_a_lane_per_channel_and_the_cap_steps(
    bundled_location: str, tmp_path: Path
) -> None:
    svg = draw(
        bundled_location,
        tmp_path / "t.svg",
        "--channel",
        MISSION,
        "--channel",
        "nato-information-office-moscow",
        "--from",
        "2021-09-15",
        "--to",
        "2021-12-15",
    ).decode()
    assert MISSION in svg and "nato-information-office-moscow" in svg
    assert "nato-russia-council" not in svg  # only the lanes asked for
    assert "cap 20" in svg and "cap 10" in svg
    assert "russia-mission-staff-cap-cut-2021-10-06" in svg  # the key names each marker
    assert re.search(r"stroke-dasharray", svg)  # the inferred cap is dashed


def test_status_shades_differ_in_greyscale() -> None:
    def lightness(colour: str) -> float:
        red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.299 * red + 0.587 * green + 0.114 * blue

    shades = {*STATUS_COLOURS.values(), *INFERRED_COLOURS.values()}
    values = sorted(lightness(c) for c in shades)
    assert all(b - a >= MIN_GREY_STEP / 255 for a, b in pairwise(values)), values


def figure_of(bundled_location: str, *channels: str) -> Figure:
    from chancery.storage.readmodel import ReadModel
    from chancery.storage.store import open_ledger

    read = ReadModel(open_ledger(bundled_location, create=False))
    chosen = list(channels) or read.channels()
    fig = timeline_module.timeline_figure(read, timeline_module.TimelineRequest(chosen))
    read.ledger.close()
    return fig


def test_no_two_labels_overprint(bundled_location: str) -> None:
    """Every text of the chart (events' numbers in the crowded October 2021, caps, ticks,
    title, legend, key) has a window box, measured by the Agg renderer, that meets no other."""
    fig = figure_of(bundled_location)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [
        (text.get_text(), text.get_window_extent(renderer))
        for text in fig.findobj(Text)
        if text.get_visible() and text.get_text().strip()
    ]
    assert any("!" in label for label, _ in boxes)  # the event labels are among them
    for (one, a), (two, b) in combinations(boxes, 2):
        assert not a.overlaps(b), f"{one!r} overprints {two!r}"


def test_close_events_share_one_label() -> None:
    """Markers closer than their labels' width merge into one label; far ones stay apart."""
    labels = timeline_module.marker_labels(
        [(0.0, 1, False), (1.0, 2, True), (2.0, 3, False), (500.0, 4, False)], 1.0
    )
    assert [(label.text, label.disputed) for label in labels] == [("1-3 !", True), ("4", False)]
    assert timeline_module._numbers_text([7, 2, 4, 3]) == "2-4, 7"


def test_every_kind_of_mark_is_in_the_legend(bundled_location: str) -> None:
    """The fills, hatches, line styles and markers drawn are exactly those of the legend."""
    fig = figure_of(bundled_location)
    ax = fig.axes[0]
    legend = ax.get_legend()
    handles = legend.legend_handles
    drawn_fills = {to_hex(colour) for bars in ax.collections for colour in bars.get_facecolors()}
    drawn_hatches = {bars.get_hatch() for bars in ax.collections} - {None}
    legend_fills = {to_hex(h.get_facecolor()) for h in handles if isinstance(h, Patch)}
    legend_hatches = {h.get_hatch() for h in handles if isinstance(h, Patch)} - {None}
    assert drawn_fills == legend_fills - {"#ffffff"} | (drawn_fills & {"#ffffff"})
    assert drawn_hatches == legend_hatches and {"////", "...."} <= drawn_hatches
    drawn_lines = {(line.get_linestyle(), line.get_marker()) for line in ax.lines}
    legend_lines = {
        (h.get_linestyle(), h.get_marker()) for h in handles if isinstance(h, Line2D)
    } - {("None", "$!$")}
    assert drawn_lines == legend_lines, (drawn_lines, legend_lines)
    disputed = any("!" in text.get_text() for text in ax.texts)
    assert disputed == ("disputed" in [t.get_text() for t in legend.get_texts()])
    assert "active (inferred)" in [t.get_text() for t in legend.get_texts()]


def test_a_lane_draws_only_its_own_marks_in_the_legend(bundled_location: str) -> None:
    """A chart of one lane with no hatching and no cap lists neither in its legend."""
    fig = figure_of(bundled_location, "allies-russia-osce")
    words = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "possible" not in words and not any(w.startswith("staff cap") for w in words)
    assert "unknown" in words and "event (see key)" in words


def test_every_band_reads_apart_in_greyscale(bundled_location: str, tmp_path: Path) -> None:
    """The PNG greyed: each band's commonest grey (hatching aside) differs from every other
    look's by at least MIN_GREY_STEP of 255, inferred active and suspended included."""
    png = draw(bundled_location, tmp_path / "t.png")
    grey = Image.open(io.BytesIO(png)).convert("L")
    fig = figure_of(bundled_location)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    height = grey.size[1]
    shades: dict[str, int] = {}
    for bars in ax.collections:
        for path, colour in zip(bars.get_paths(), bars.get_facecolors(), strict=True):
            box = path.get_extents(ax.transData)
            if box.width < 12:
                continue
            crop = grey.crop(
                (
                    int(box.x0) + 3,
                    height - int(box.y1) + 3,
                    int(box.x1) - 3,
                    height - int(box.y0) - 3,
                )
            )
            commonest = max(crop.getcolors(256) or [], key=lambda pair: pair[0])[1]
            shades.setdefault(to_hex(colour), commonest)
    assert {to_hex(STATUS_COLOURS["suspended"]), to_hex(INFERRED_COLOURS["active"])} <= set(shades)
    assert len(shades) >= 5, shades
    for (one, a), (two, b) in combinations(shades.items(), 2):
        assert abs(a - b) >= MIN_GREY_STEP, (one, a, two, b)


def test_svg_text_is_text_and_hostile_words_stay_data(bundled_location: str) -> None:
    """With svg.fonttype none every word is a <text> element; a name with markup in it is
    escaped, so the parsed SVG carries it as text, never as an element."""
    from chancery.storage.readmodel import ReadModel
    from chancery.storage.store import open_ledger

    read = ReadModel(open_ledger(bundled_location, create=False))
    svg = timeline_module.render_timeline(
        read, timeline_module.TimelineRequest([MISSION, "allies-russia-osce"]), "svg"
    )
    read.ledger.close()
    root = ElementTree.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert MISSION in texts and "allies-russia-osce" in texts
    assert "russia-mission-staff-cap-cut-2021-10-06" in "\n".join(texts)
    assert not root.findall(".//{http://www.w3.org/2000/svg}script")


@pytest.mark.parametrize(
    "args, complaint, code",
    [
        (("--out", "chart.pdf"), "must end in .png or .svg", 2),
        (("--out", "c.png", "--channel", "nope"), "unknown channel 'nope'", 2),
        (("--out", "c.png", "--from", "2021-10", "--to", "2021-01"), "is not before --to", 2),
        (("--out", "c.png", "--from", "2021-13"), "--from", 2),
        (("--out", "/nonexistent-dir/c.png"), "--out: cannot write", 1),
    ],
)
def test_timeline_errors_are_one_line(
    bundled_location: str, args: tuple[str, ...], complaint: str, code: int
) -> None:
    result = runner.invoke(app, ["timeline", "--db", bundled_location, *args])
    assert result.exit_code == code, result.output
    assert complaint in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_channel_named_twice_is_drawn_once(bundled_location: str, tmp_path: Path) -> None:
    once = draw(bundled_location, tmp_path / "once.svg", "--channel", MISSION)
    twice = draw(
        bundled_location, tmp_path / "twice.svg", "--channel", MISSION, "--channel", MISSION
    )
    assert twice == once
    assert once.decode().count(f">{MISSION}<") <= 1 and MISSION in once.decode()


def test_lanes_and_numbered_events_are_bounded_and_say_so(
    bundled_location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart of a large ledger draws at most MAX_LANES lanes and a share of MAX_KEY numbered
    events; the title and the key say what was left out and which command shows it."""
    monkeypatch.setattr(timeline_module, "MAX_LANES", 2)
    monkeypatch.setattr(timeline_module, "MAX_KEYED_EVENTS", 3)
    svg = draw(bundled_location, tmp_path / "t.svg").decode()
    assert "the first 2 of 8 channels (choose with --channel)" in svg
    assert "nato-russia-council" in svg and MISSION in svg
    assert "nato-information-office-moscow" not in svg  # the third channel: left out
    council = [e for e in events_of(bundled_location) if e["channel"] == "nato-russia-council"]
    assert f"+{len(council) - 3} more on nato-russia-council: chancery events --channel" in svg
    assert len(re.findall(r"\d+ +\d{4}[-/0-9]*  [a-z0-9-]+", svg)) <= 6


def test_lanes_are_read_a_channel_at_a_time_as_bands(bundled_location: str) -> None:
    from chancery.storage.readmodel import ReadModel
    from chancery.storage.store import open_ledger

    read = ReadModel(open_ledger(bundled_location, create=False))
    lanes, first, last = timeline_module.timeline_lanes(
        read, timeline_module.TimelineRequest([MISSION, MISSION])
    )
    assert [lane.slug for lane in lanes] == [MISSION]
    caps = [band.staff_cap for band in lanes[0].bands if band.staff_cap is not None]
    assert list(dict.fromkeys(caps)) == [20, 10] and first < lanes[0].markers[0].earliest <= last
    read.ledger.close()


def events_of(location: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["events", "--db", location, "--json"])
    return json.loads(result.stdout)["events"]
