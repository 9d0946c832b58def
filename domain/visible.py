"""Which characters are shown as visible escapes, decided once for every place that shows
text from articles and users to a person: the terminal (`terminal/safe.py`), error messages
(`errors.printable`), the HTML report and the timeline's labels.

A character is shown escaped (`\\x1b`, `\\u202e`, `\\U000e0041`) when a reader could not see
it, or when it would change how the text around it is drawn:

- Cc, controls: escape sequences drive the terminal (retitle it, clear it, hide text);
- Cf, format characters: the bidirectional embeddings, overrides, isolates and marks
  (U+202A-202E, U+2066-2069, U+200E/200F, U+061C Arabic letter mark) reorder the line
  ("Trojan source"); the zero-width space, word joiner, soft hyphen, byte order mark,
  invisible operators, interlinear annotations and the Unicode tag characters (U+E0000
  block, which can smuggle a whole hidden ASCII text) are invisible;
- Zl, Zp: the line and paragraph separators U+2028/2029 break lines in some viewers only;
- Co, private use: no meaning outside a private agreement, drawn as whatever a font decides;
- Cs, lone surrogates: not characters, and unencodable;
- Cn, unassigned code points and noncharacters: nothing to draw (a character assigned by a
  Unicode release newer than this Python's is shown escaped too, which errs on the visible side);
- the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0): letters by category, blank on screen,
  a known way to write a name that looks empty.

Kept as they are: the zero-width non-joiner and joiner (U+200C/200D), which Persian, Indic
scripts and emoji sequences need to be spelt right, and the prepended concatenation marks
(U+0600-0605, U+06DD, U+070F, U+0890/0891, U+08E2, U+110BD, U+110CD), which are visible signs.
Every other character, combining marks and variation selectors included, is drawn as it is.

The work is linear in the text: one pass to collect its distinct characters, a decision per
distinct character, and one `str.translate`.
"""

from __future__ import annotations

import unicodedata

HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})
KEPT_FORMAT = frozenset(
    "\u200c\u200d\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2"
    "\U000110bd\U000110cd"
)
"""Format characters (Cf) that are visible or that spell words: never escaped."""
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
"""The Hangul fillers: category Lo, drawn as nothing."""


def is_hidden(char: str) -> bool:
    """Whether `char` is shown as a visible escape rather than drawn (the rules above)."""
    if char in BLANK_LETTERS:
        return True
    if char.isprintable():  # false for exactly the categories C* and Z* (but the space)
        return False
    return unicodedata.category(char) in HIDDEN_CATEGORIES and char not in KEPT_FORMAT


def escape(char: str) -> str:
    """`\\n` for a newline, else `\\xNN`, `\\uNNNN` or `\\UNNNNNNNN`: the character's code,
    as Python would write it."""
    if char == "\n":
        return "\\n"
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def show_hidden(text: str, keep: frozenset[str] = frozenset()) -> str:
    """`text` with every hidden character (but those in `keep`, e.g. a newline) escaped."""
    if text.isascii() and text.isprintable():
        return text  # the usual case, decided in C
    table = {ord(c): escape(c) for c in set(text) if c not in keep and is_hidden(c)}
    return text.translate(table) if table else text
