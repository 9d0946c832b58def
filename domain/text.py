"""Text rules for every free-text field an import file carries (names, quotes, reasons, notes).

Text is shown in terminals and tables: it must carry words, not only blanks or invisible
characters, and nothing that would reorder or rewrite what the analyst sees around it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embedding, override and isolate controls: they make a terminal show text in another order
than it is stored (the "Trojan Source" trick). The marks U+200E and U+200F stay allowed."""
ALLOWED_CONTROLS = frozenset("\t\n\r")
MAX_NAME_CHARS = 300
MAX_TEXT_CHARS = 20_000


_SUSPECT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""Every character the rules below refuse: the controls (category Cc is exactly U+0000-U+001F
and U+007F-U+009F) but tab and line breaks, the bidirectional controls, the surrogates (Cs)."""
_VISIBLE_ASCII = re.compile("[!-~]")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None when it can."""
    if _VISIBLE_ASCII.search(value) and not _SUSPECT.search(value):
        return None  # the usual case, decided in C; the loop below says what is wrong
    visible = False
    for index, char in enumerate(value):
        position = f"character {index + 1}"
        if char in BIDI_CONTROLS:
            return (
                f"{position} is the bidirectional control U+{ord(char):04X}, which makes "
                "terminals show the text in another order; remove it"
            )
        category = unicodedata.category(char)
        if category == "Cc" and char not in ALLOWED_CONTROLS:
            return (
                f"{position} is the control character U+{ord(char):04X} (escape sequences and "
                "control characters are not text); remove it"
            )
        if category == "Cs":
            return f"{position} is a lone UTF-16 surrogate (U+{ord(char):04X}), not a character"
        if category not in ("Zs", "Zl", "Zp", "Cc", "Cf"):
            visible = True
    if not visible:
        return "must contain words, not only spaces or invisible characters"
    return None


def is_import(info: ValidationInfo) -> bool:
    """Whether a validator runs on an import file (`actions.IMPORT`), rather than on a row read
    back."""
    return bool(info.context and info.context.get("chancery-import"))


def _checker(limit: int) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        if not is_import(info):
            return value
        if len(value) > limit:
            raise ValueError(f"{len(value)} characters is longer than the {limit} allowed")
        problem = text_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


Text = Annotated[
    str, Field(json_schema_extra={"maxLength": MAX_TEXT_CHARS}), _checker(MAX_TEXT_CHARS)
]
"""Free text: a quote, a claim, a note, a reason."""

Name = Annotated[
    str, Field(json_schema_extra={"maxLength": MAX_NAME_CHARS}), _checker(MAX_NAME_CHARS)
]
"""A short label: a name, an outlet, a headline, a file name."""
