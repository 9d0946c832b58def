"""A sheet (title, columns, rows, footnotes) rendered for the place it is printed to.

- A terminal, or any output when `COLUMNS` is set: a rich table when every column can be at
  least as wide as its longest word (so no date, slug or number is ever split), otherwise one
  block per row ("label: value" lines wrapped at spaces only) that fits the width.
- A pipe or file with `COLUMNS` unset: the same blocks, unwrapped, so the layout does not
  depend on a width nobody chose.

All cell text is data: it is cleaned (`terminal.safe`) and handed to rich as `Text`. Plain
output is written as it is, without rich: it has no width, styles or markup for rich to handle,
and a query piped into another program then starts without loading rich's console.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chancery.terminal.safe import clean, safe
from rich.cells import cell_len

if TYPE_CHECKING:  # loaded when something is laid out for a width
    from rich.console import Console
    from rich.table import Table

BORDERS_PER_COLUMN = 3  # a vertical rule and one space of padding on each side
MIN_WIDTH = 20


def output_width() -> int | None:
    """The width to lay out for, or None for a plain layout that depends on no width."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    if sys.stdout.isatty():
        return max(shutil.get_terminal_size().columns, MIN_WIDTH)
    return None


def console(width: int | None = None) -> Console:
    """A console that never parses markup, emoji codes or 'highlights' data."""
    from rich.console import Console

    return Console(
        width=width or 10_000,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=width is None,
    )


@dataclass
class Sheet:
    """Rows of plain strings under named columns; the first column names the row."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    empty: str = "nothing to show"

    def note(self, text: str) -> str:
        """Move long detail to a numbered footnote; returns the mark to put in the cell."""
        self.footnotes.append(text)
        return f"[{len(self.footnotes)}]"

    def add(self, *cells: str) -> None:
        self.rows.append([clean(c) for c in cells])


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _min_widths(sheet: Sheet) -> list[int]:
    return [
        max([_longest_word(sheet.columns[i])] + [_longest_word(row[i]) for row in sheet.rows])
        for i in range(len(sheet.columns))
    ]


def fits_as_table(sheet: Sheet, width: int) -> bool:
    """Whether every column can be as wide as its longest word within `width`."""
    needed = sum(_min_widths(sheet)) + BORDERS_PER_COLUMN * len(sheet.columns) + 1
    return needed <= width


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def column_widths(sheet: Sheet, width: int) -> list[int]:
    """Each column gets its longest word, then a share of the space left in proportion to
    how much more it could use; never wider than its longest line."""
    minimum = _min_widths(sheet)
    wanted = [
        max([_longest_line(sheet.columns[i])] + [_longest_line(row[i]) for row in sheet.rows])
        for i in range(len(sheet.columns))
    ]
    room = width - sum(minimum) - BORDERS_PER_COLUMN * len(sheet.columns) - 1
    extra = [max(w - m, 0) for w, m in zip(wanted, minimum, strict=True)]
    total_extra = sum(extra)
    if total_extra <= room:
        return [max(w, m) for w, m in zip(wanted, minimum, strict=True)]
    shares = [room * e // total_extra for e in extra]
    return [m + s for m, s in zip(minimum, shares, strict=True)]


def _table(sheet: Sheet, width: int) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(title=safe(sheet.title), show_lines=True, box=box.SQUARE)
    for header, size in zip(sheet.columns, column_widths(sheet, width), strict=True):
        table.add_column(header, width=size, overflow="fold")
    for row in sheet.rows:
        table.add_row(*(safe(cell) for cell in row))
    return table


def _split_to_fit(word: str, room: int) -> tuple[str, str]:
    """The longest head of `word` that fits `room` cells (at least one character), and the rest."""
    used, end = 0, 0
    while end < len(word) and (end == 0 or used + cell_len(word[end]) <= room):
        used += cell_len(word[end])
        end += 1
    return word[:end], word[end:]


def _wrap_line(text: str, width: int, indent: str) -> list[str]:
    """Greedy wrapping at spaces, measured in terminal cells (a CJK character takes two);
    only a word wider than the whole line is broken."""
    room = max(width - cell_len(indent), 1)
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        while cell_len(word) > room:
            if current:
                lines.append(current)
                current = ""
            head, word = _split_to_fit(word, room)
            lines.append(head)
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= room:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return [(indent + line).rstrip() for line in lines]


def _wrap(text: str, width: int | None, indent: str) -> list[str]:
    lines: list[str] = []
    for part in text.split("\n"):
        lines += [indent + part] if width is None else _wrap_line(part, width, indent)
    return lines


def block_lines(sheet: Sheet, width: int | None) -> list[str]:
    """One block per row: the row's name, then 'label: value' lines, wrapped at spaces."""
    lines = [*_wrap(clean(sheet.title, single_line=True), width, ""), ""]
    label_width = max(len(c) for c in sheet.columns[1:]) + 2 if len(sheet.columns) > 1 else 0
    for row in sheet.rows:
        lines += _wrap(row[0], width, "")
        for label, value in zip(sheet.columns[1:], row[1:], strict=True):
            if not value:
                continue
            head = f"  {label}:".ljust(label_width + 2)
            indent = " " * len(head)
            wrapped = _wrap(value, None if width is None else width, indent)
            wrapped[0] = head + wrapped[0][len(indent) :]
            lines += wrapped
        lines.append("")
    return lines


def _printer(width: int | None, out: Console | None) -> Console | None:
    """The console to print through, or None for plain output (a pipe, `COLUMNS` unset)."""
    if out is not None or width is not None:
        return out or console(width)
    return None


def _print_lines(lines: Iterable[str], printer: Console | None) -> None:
    """Lines of cleaned text, through rich or, for plain output, written as they are."""
    if printer is None:
        sys.stdout.writelines(line + "\n" for line in lines)
        return
    for line in lines:
        printer.print(safe(line), soft_wrap=True)


def render(sheet: Sheet, out: Console | None = None) -> None:
    """Print the sheet as a table or as blocks (see the module docstring), then footnotes."""
    width = output_width()
    printer = _printer(width, out)
    if not sheet.rows:
        _print_lines([clean(f"{sheet.title}: {sheet.empty}", single_line=True)], printer)
        return
    lines: list[str] = []
    if printer is not None and width is not None and fits_as_table(sheet, width):
        printer.print(_table(sheet, width))
    else:
        lines = block_lines(sheet, width)
    for number, text in enumerate(sheet.footnotes, start=1):
        lines += _wrap(f"[{number}] {clean(text)}", width, "")
    _print_lines(lines, printer)


def render_lines(lines: list[str], out: Console | None = None) -> None:
    """Print prose lines (cleaned), wrapped at spaces for the width with a hanging indent, or
    unwrapped in a pipe."""
    width = output_width()
    shown: list[str] = []
    for line in lines:
        text = clean(line)
        indent = " " * (len(text) - len(text.lstrip(" ")))
        wrapped = _wrap(text.strip(" "), width, indent)
        if width is not None and len(wrapped) > 1:
            wrapped = [
                wrapped[0],
                *_wrap(" ".join(w.strip() for w in wrapped[1:]), width, indent + "    "),
            ]
        shown += wrapped
    _print_lines(shown, _printer(width, out))
