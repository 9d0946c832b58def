"""Property: whatever text a sheet holds, no control character reaches the terminal, no line
is wider than the width asked for, and the plain layout shows every cell exactly as cleaned."""

from __future__ import annotations

import io
import re

import pytest
from chancery.terminal.safe import clean
from chancery.terminal.sheet import Sheet, render
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
pieces = st.one_of(
    st.sampled_from(["[/]", "[link=x]", "[white on white]", "\x1b]0;t\x07", "\x1b[2J", " ", "\n"]),
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("[]/=\\:-~\x1b\x07\x9b\u202e\u2066")),
            st.characters(codec="utf-8", exclude_categories=("Cs",)),
        ),
        max_size=12,
    ),
)
cells = st.lists(pieces, max_size=5).map("".join)


def rendered(sheet: Sheet, columns: str | None) -> str:
    buffer = io.StringIO()
    width = int(columns) if columns else 10_000
    console = Console(
        file=buffer, width=width, markup=False, emoji=False, highlight=False, color_system=None
    )
    with pytest.MonkeyPatch.context() as patch:
        if columns is None:
            patch.delenv("COLUMNS", raising=False)
        else:
            patch.setenv("COLUMNS", columns)
        render(sheet, console)
    return buffer.getvalue()


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=4),
    columns=st.sampled_from([None, "40", "80", "120"]),
)
def test_any_text_is_shown_safely(rows: list[list[str]], columns: str | None) -> None:
    sheet = Sheet(title="t", columns=["A", "B", "C"])
    for row in rows:
        sheet.add(*row)
    output = rendered(sheet, columns)
    assert not CONTROLS.search(output), repr(output)
    if columns is not None:
        assert all(cell_len(line) <= int(columns) for line in output.splitlines()), output
    else:
        flat = " ".join(output.split())
        for row in rows:
            for cell in row:
                assert " ".join(clean(cell).split()) in flat, (cell, output)
