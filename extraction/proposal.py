"""What the extractor hands on: the article read, and each action it proposes, with its
verbatim quotes. Shared by every stage, the matcher and the draft writer."""

from __future__ import annotations

from dataclasses import dataclass, field

from chancery.domain.actions import ACTION_TYPES, Action
from chancery.domain.dates import UncertainDate


@dataclass(frozen=True)
class Article:
    """An article's text, its file name and its publication date (an interval if undated);
    `repaired` counts the bytes of the file that were not UTF-8 (see `decode_article`)."""

    text: str
    name: str
    published: UncertainDate
    repaired: int = 0


@dataclass(frozen=True)
class Quote:
    """A verbatim slice of the article: `text == article[start:end]`."""

    text: str
    start: int
    end: int


@dataclass
class Proposal:
    """One reported action the article proposes for the ledger."""

    type: str
    channel: str
    actor: str
    target: str | None
    date: UncertainDate
    quote: Quote
    confidence: float
    effective: UncertainDate | None = None
    count: int | None = None
    from_cap: int | None = None
    to_cap: int | None = None
    date_assumed: bool = False
    """True when the text gives no date for it and the window is the extractor's assumption."""
    dated_in_sentence: bool = True
    """False when its own sentence gives no date (the date comes from the passage, the
    speaker, the article's day or an assumption): then it may restate an action reported
    before it, and merging folds it into that one whatever date it was given."""
    announced: bool = False
    """Given as decided for later ("will close", "are to leave within seven days"): dated when
    announced, and drafted with status `announced` (its facts rest on the announcement)."""
    quotes: list[Quote] = field(default_factory=list)
    """Every sentence of the article that reports it (the first is `quote`)."""


def proposal_action(proposal: Proposal, event_id: str, source_id: str, **extra: object) -> Action:
    """The proposal as a domain action (for rule checks and for the draft)."""
    record: dict[str, object] = {
        "id": event_id,
        "type": proposal.type,
        "channel": proposal.channel,
        "actor": proposal.actor,
        "target": proposal.target,
        "date": proposal.date.model_dump(mode="json", exclude_none=True),
        "citations": [{"source": source_id, "quote": q.text} for q in proposal.quotes],
        **extra,
    }
    if proposal.announced:
        record["status"] = "announced"
    if proposal.effective is not None:
        record["effective"] = proposal.effective.model_dump(mode="json", exclude_none=True)
    fields = ACTION_TYPES[proposal.type].model_fields
    for name in ("count", "from_cap", "to_cap"):
        if name in fields and getattr(proposal, name) is not None:
            record[name] = getattr(proposal, name)
    return ACTION_TYPES[proposal.type].model_validate(record)
