"""A state series as CSV: the series table's columns, for a spreadsheet.

One row per channel and step, the channel's slug first, then the columns and words of the
series table (`projections.words.series_columns`), each cell made safe against formula
injection as the exports' are (`export.neutralise_formula`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from chancery.projections.series import ChannelSeries
from chancery.projections.words import series_cells, series_columns
from chancery.reports.export import csv_text

CHANNEL_COLUMN = "Channel"


def series_csv(channels: Iterable[ChannelSeries]) -> Iterator[str]:
    """The header, then each channel's rows, a channel at a time."""
    yield csv_text([[CHANNEL_COLUMN, *series_columns()]])
    for series in channels:
        yield csv_text([series.id, *cells] for cells in series_cells(series))
