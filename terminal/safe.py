"""Text from articles and users is data: never rich markup, never a terminal escape sequence.

Every string that reaches the terminal goes through `clean()` (control characters become
visible escapes such as `\\x1b`, so an OSC or CSI sequence cannot retitle the terminal, clear
the screen or hide text, yet the reader still sees that the text holds one) and is handed to
rich as a `Text` object, which rich never parses as markup, so `[/]`, `[link=...]` or
`[white on white]` print as the brackets they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chancery.domain.visible import show_hidden

if TYPE_CHECKING:  # rich loads when something is drawn: `clean` alone serves plain output
    from rich.text import Text

_NEWLINE = frozenset("\n")


def clean(text: object, *, single_line: bool = False) -> str:
    """The text with every control, bidi, invisible or unassigned character shown as a visible
    escape (`domain/visible.py` decides which, for every view).

    `single_line` also escapes newlines, for values that must stay on one line (an id echoed
    in an error message, a table title).
    """
    return show_hidden(str(text), frozenset() if single_line else _NEWLINE)


def safe(text: object, *, style: str = "", single_line: bool = False) -> Text:
    """A rich `Text` of cleaned data: printed literally, whatever brackets it holds."""
    from rich.text import Text

    return Text(clean(text, single_line=single_line), style=style)
