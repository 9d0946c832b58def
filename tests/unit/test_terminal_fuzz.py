"""Property: whatever text a sheet holds, no control character reaches the terminal, no line
is wider than the width asked for, and the plain layout shows every cell exactly as cleaned."""

from __future__ import annotations

import io
import unicodedata

import pytest
from chancery.domain.errors import printable
from chancery.reports.html import esc as html_text
from chancery.terminal.safe import clean
from chancery.terminal.sheet import Sheet, render
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}
SPELLING = set("\u200c\u200d\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2")
SPELLING |= {"\U000110bd", "\U000110cd"}
"""Format characters that are visible signs or that spell words (ZWNJ, ZWJ): drawn as they are."""
BLANK_LETTERS = set("\u115f\u1160\u3164\uffa0")


def hidden_in(output: str) -> list[str]:
    """Characters of `output` a reader could not see or that redraw the line: judged here from
    the Unicode categories, independently of the code under test."""
    return [
        c
        for c in output
        if c != "\n"
        and (c in BLANK_LETTERS or (unicodedata.category(c) in HIDDEN and c not in SPELLING))
    ]


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
    assert not hidden_in(output), repr(output)
    if columns is not None:
        assert all(cell_len(line) <= int(columns) for line in output.splitlines()), output
    else:
        flat = " ".join(output.split())
        for row in rows:
            for cell in row:
                assert " ".join(clean(cell).split()) in flat, (cell, output)


HIDDEN_SAMPLES = {
    "Cc": ["\x00", "\x07", "\t", "\r", "\x1b", "\x7f", "\x85", "\x9b"],
    "Cf": [
        "\u00ad",  # soft hyphen
        "\u061c",  # Arabic letter mark
        "\u180e",  # Mongolian vowel separator
        "\u200b",  # zero-width space
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202e",
        "\u2060",  # word joiner
        "\u2064",  # invisible plus
        "\u2066",
        "\u2069",
        "\ufeff",  # byte order mark
        "\ufff9",  # interlinear annotation anchor
        "\U0001d173",  # musical symbol begin beam
        "\U000e0001",  # language tag
        "\U000e0041",  # tag Latin capital A: a hidden ASCII text
        "\U000e007f",  # cancel tag
    ],
    "Zl": ["\u2028"],
    "Zp": ["\u2029"],
    "Co": ["\ue000", "\uf8ff", "\U000f0000", "\U0010fffd"],
    "Cs": ["\ud800", "\udfff"],
    "Cn": ["\u0378", "\ufdd0", "\uffff", "\U000e0000", "\U0010ffff"],
    "Lo": sorted(BLANK_LETTERS),
}
SHOWERS = {"terminal": clean, "error message": printable, "HTML report": html_text}


@pytest.mark.parametrize("shower", SHOWERS.values(), ids=list(SHOWERS))
@pytest.mark.parametrize(
    "char",
    [c for chars in HIDDEN_SAMPLES.values() for c in chars],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_every_kind_of_hidden_character_is_shown_as_an_escape(char: str, shower: object) -> None:
    shown = shower(f"a{char}b")  # type: ignore[operator]
    assert char not in shown
    code = ord(char)
    expected = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    if code >= 0x10000:
        expected = f"\\U{code:08x}"
    assert shown == f"a{expected}b"


@pytest.mark.parametrize("shower", SHOWERS.values(), ids=list(SHOWERS))
@pytest.mark.parametrize(
    "text",
    [
        "Москва и Брюссель",
        "مرحبا\u200cبا",  # ZWNJ inside a Persian word
        "\u0915\u094d\u200d\u0937",  # ZWJ in Devanagari
        "👩\u200d💻 ❤\ufe0f",  # emoji ZWJ sequence, variation selector
        "cafe\u0301",  # combining accent
        "\u0600\u0661\u0662",  # Arabic number sign, a visible prepended mark
        "a\u00a0b\u3000c",  # no-break and ideographic spaces
        "北大西洋公约组织",
    ],
)
def test_real_text_in_any_script_is_drawn_as_it_is(text: str, shower: object) -> None:
    assert shower(text) == text  # type: ignore[operator]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=40))
def test_nothing_hidden_survives_any_view(text: str) -> None:
    for shower in SHOWERS.values():
        shown = shower(text)
        assert not hidden_in(shown), (shower, repr(text), repr(shown))
    assert "\n" not in printable(text) and "\n" not in clean(text, single_line=True)


def test_a_newline_is_kept_in_blocks_and_escaped_on_one_line() -> None:
    assert clean("a\nb") == "a\nb"
    assert clean("a\nb", single_line=True) == printable("a\nb") == "a\\nb"
