"""`chancery timeline`: deterministic PNG/SVG, lanes for the channels asked for, the cap line
reported solid and inferred dashed, shades distinct in greyscale, one-line errors."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
from chancery.cli import app
from chancery.reports import timeline as timeline_module
from chancery.reports.timeline import STATUS_COLOURS
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

    values = sorted(lightness(c) for c in STATUS_COLOURS.values())
    assert all(b - a >= 0.15 for a, b in pairwise(values)), values


@pytest.mark.parametrize(
    "args, complaint",
    [
        (("--out", "chart.pdf"), "must end in .png or .svg"),
        (("--out", "c.png", "--channel", "nope"), "unknown channel 'nope'"),
        (("--out", "c.png", "--from", "2021-10", "--to", "2021-01"), "is not before --to"),
        (("--out", "c.png", "--from", "2021-13"), "--from"),
        (("--out", "/nonexistent-dir/c.png"), "--out: cannot write"),
    ],
)
def test_timeline_errors_are_one_line(
    bundled_location: str, args: tuple[str, ...], complaint: str
) -> None:
    result = runner.invoke(app, ["timeline", "--db", bundled_location, *args])
    assert result.exit_code == 1, result.output
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
