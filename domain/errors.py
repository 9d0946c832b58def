"""Domain errors: each carries a message an analyst can act on without reading a traceback."""


class ChanceryError(Exception):
    """Base of every error Chancery reports to a user rather than crashing on."""


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


class CorruptedRowError(ChanceryError):
    """A stored row cannot be read back: it was altered outside Chancery (or the disk failed)."""
