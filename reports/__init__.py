"""Things people take away: flat exports, the timeline chart, the offline HTML report."""

from __future__ import annotations

from pathlib import Path

from chancery.domain.errors import ArgumentError

EXPORT_FORMATS = ("csv", "jsonl", "plover", "timelinejs", "yaml")
"""The export formats, named here so that the command line can list them without importing
the exporters (`export.FORMATS` implements exactly these)."""
CHART_FORMATS = ("png", "svg")
"""The timeline chart's formats."""


def export_format(given: str) -> str:
    """The export format asked for, refused with the list when it is none of them."""
    if given in EXPORT_FORMATS:
        return given
    raise ArgumentError(f"--format: unknown format '{given}' (choose {', '.join(EXPORT_FORMATS)})")


def chart_format(out: Path, given: str | None = None) -> str:
    """'png' or 'svg': the format given, else the chart file's ending."""
    chosen = (given or out.suffix.lstrip(".")).lower()
    if chosen in CHART_FORMATS:
        return chosen
    raise ArgumentError(
        f"--format: '{given}' is not png or svg"
        if given
        else f"--out: '{out}' must end in .png or .svg (or give --format)"
    )
