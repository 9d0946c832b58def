"""Domain errors: each carries a message an analyst can act on without reading a traceback."""

import unicodedata

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """`text` with control, bidirectional-control and surrogate characters written as escapes
    (\\x1b, \\n, \\u202e): a message quoting hostile input stays one line and cannot drive
    the terminal."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char in _BIDI or unicodedata.category(char) in ("Cc", "Cs"):
            out.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


class ChanceryError(Exception):
    """Base of every error Chancery reports to a user rather than crashing on. Its message is
    made printable: input quoted in it cannot inject escape sequences or reorder the line."""

    def __init__(self, *args: object) -> None:
        super().__init__(*(printable(arg) if isinstance(arg, str) else arg for arg in args))


class InvalidRecordError(ChanceryError):
    """An import file, or a record in it, does not fit the import format."""


class InvariantViolation(ChanceryError):
    """An event would make a channel's timeline break one of its rules (DESIGN.md principle 7)."""

    def __init__(self, rule: str, event_id: str, detail: str, where: str | None = None) -> None:
        self.rule = rule
        self.event_id = event_id
        self.detail = detail
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}event '{event_id}' breaks rule '{rule}': {detail}")


class ConflictingRecordError(ChanceryError):
    """The same identifier was already recorded with different content."""


class LedgerUnavailableError(ChanceryError):
    """The ledger cannot be opened: wrong URL, missing file, no permission, server down."""
