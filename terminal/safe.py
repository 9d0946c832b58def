"""Text from articles and users is data: never rich markup, never a terminal escape sequence.

Every string that reaches the terminal goes through `clean()` (control characters become
visible escapes such as `\\x1b`, so an OSC or CSI sequence cannot retitle the terminal, clear
the screen or hide text, yet the reader still sees that the text holds one) and is handed to
rich as a `Text` object, which rich never parses as markup, so `[/]`, `[link=...]` or
`[white on white]` print as the brackets they are.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich loads when something is drawn: `clean` alone serves plain output
    from rich.text import Text

_KEEP = {"\n"}
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}
"""Bidi controls reorder the text around them (the 'Trojan source' trick); shown escaped."""

_UNSAFE = re.compile(
    "[" + re.escape("".join(chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)))) + "]"
    "|[" + "".join(_BIDI) + "]"
)


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _KEEP:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: object, *, single_line: bool = False) -> str:
    """The text with every control character (and bidi control) shown as a visible escape.

    `single_line` also escapes newlines, for values that must stay on one line (an id echoed
    in an error message, a table title).
    """
    cleaned = _UNSAFE.sub(_visible, str(text))
    return cleaned.replace("\n", "\\n") if single_line else cleaned


def safe(text: object, *, style: str = "", single_line: bool = False) -> Text:
    """A rich `Text` of cleaned data: printed literally, whatever brackets it holds."""
    from rich.text import Text

    return Text(clean(text, single_line=single_line), style=style)
