"""Search: what the full-text index holds for each event reading, how a user's words become a
query, and the hits as the command line and Python users get them.

Pure: storage's read model writes the rows folded here into its full-text tables (SQLite FTS5,
PostgreSQL tsvector) and answers a query from them; nothing here knows SQL.

The index holds one row per quote of each reading of an event (its source's outlet beside it)
and one per event note, with the reading's known-time interval, so that "as known at K" finds
only the quotes of sources published by K, exactly as the other views read the ledger then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from chancery.domain.errors import ArgumentError, echo
from chancery.projections.rows import INF
from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from chancery.domain.sources import Source
    from chancery.projections.knowledge import Version

MAX_TERMS = 32
"""The most words a query may hold: each is a term every hit must contain."""
MAX_QUERY_CHARACTERS = 1000
"""The longest query read; the words are found in one linear pass over it."""
MARK_START, MARK_END = "\ue000", "\ue001"
"""What the store's highlighter wraps each matched word in (private-use characters): the hit's
text is returned with the marks as offsets, never with markers in it."""

_WORD = re.compile(r"[^\W_]+")
"""A query word: letters and digits (any script); everything else separates words, as the
stores' tokenizers do, so no character a user types is query syntax."""


class SearchRow(NamedTuple):
    """One row of the full-text index: a quote of one reading of an event (with its source) or
    the reading's note (no source)."""

    event: str
    channel: str
    known_from: int
    known_to: int
    type: str
    date: str
    earliest: int
    source: str | None
    outlet: str | None
    published: str | None
    text: str


SEARCH_COLUMNS = SearchRow._fields


def search_rows(
    slug: str, readings: Iterable[Version], sources: Mapping[str, Source]
) -> list[SearchRow]:
    """The index rows of a channel's readings: each distinct (source, quote) a reading cites,
    and its note. Quotes of reasons and of each side of a dispute are source sentences too."""
    rows = []
    for version in readings:
        action = version.action
        envelope = (
            action.id,
            slug,
            version.known_from.toordinal(),
            version.known_to.toordinal() if version.known_to else INF,
            action.type,
            action.date.edtf,
            action.takes_effect.earliest.toordinal(),
        )
        cited = dict.fromkeys((c.source, c.quote) for c in action.all_citations())
        for source_id, quote in cited:
            source = sources[source_id]
            rows.append(
                SearchRow(*envelope, source_id, source.outlet, source.published.edtf, quote)
            )
        if action.note:
            rows.append(SearchRow(*envelope, None, None, None, action.note))
    return rows


def query_terms(query: str) -> list[str]:
    """The words of a user's query, each searched for as it is (never as query syntax):
    quotes, `*`, `-`, `:`, parentheses, NEAR, AND, OR and NOT are only characters or words.
    An empty query, or one without a letter or digit, is a usage error."""
    if len(query) > MAX_QUERY_CHARACTERS:
        raise ArgumentError(
            f"the search words run to {len(query)} characters; at most "
            f"{MAX_QUERY_CHARACTERS} are read"
        )
    terms = list(dict.fromkeys(word.lower() for word in _WORD.findall(query)))
    if not terms:
        raise ArgumentError(
            f"nothing to search for in '{echo(query)}': give one or more words "
            "(chancery search undeclared intelligence officers)"
        )
    if len(terms) > MAX_TERMS:
        raise ArgumentError(
            f"the search has {len(terms)} words; give at most {MAX_TERMS} (every hit must "
            "contain each of them)"
        )
    return terms


class MarkedText(BaseModel):
    """A text with the words the query matched, as [start, end) character offsets into it."""

    text: str
    marks: list[tuple[int, int]] = Field(
        description="The matched words: [start, end) character offsets into `text`"
    )


def marked(highlighted: str | None, original: str) -> MarkedText:
    """The original text and the offsets of the words the store's highlighter wrapped in
    MARK_START/MARK_END. A text that holds those characters itself, or a highlighter's output
    that is not the text with marks added, gives the text unmarked (never a wrong mark)."""
    if highlighted is None or MARK_START in original or MARK_END in original:
        return MarkedText(text=original, marks=[])
    marks: list[tuple[int, int]] = []
    plain: list[str] = []
    start: int | None = None
    length = 0
    for character in highlighted:
        if character == MARK_START and start is None:
            start = length
        elif character == MARK_END and start is not None:
            if length > start:
                marks.append((start, length))
            start = None
        else:
            plain.append(character)
            length += 1
    if "".join(plain) != original or start is not None:
        return MarkedText(text=original, marks=[])
    return MarkedText(text=original, marks=_merged(marks))


def _merged(marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Marks in order, overlapping or touching ones joined."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(marks):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


class SearchHit(BaseModel):
    """One quote (or note) that matched, with the event it supports and its source."""

    event: str
    channel: str
    type: str
    summary: str = Field(description="The action type in words")
    date: str = Field(description="EDTF date of the event")
    field: str = Field(description="'quote' (a source's sentence) or 'note' (the analyst's note)")
    text: MarkedText = Field(description="The matching quote or note, its matched words marked")
    source: str | None = Field(description="The quoting source's id; none for a note")
    outlet: str | None
    published: str | None = Field(description="EDTF publication date of the source")
    score: float = Field(description="Relevance: higher is better (comparable within one search)")


class SearchResult(BaseModel):
    query: str
    terms: list[str] = Field(description="The words searched for; a hit contains each of them")
    channel: str | None
    known_at: date | None
    limit: int
    hits: list[SearchHit]


def search_hit(row: Mapping[str, Any]) -> SearchHit:
    """A hit from a row of the index as a search returns it (`SearchIndex.search`)."""
    from chancery.domain.actions import ACTION_TYPES

    kind = ACTION_TYPES.get(row["type"])
    return SearchHit(
        event=row["event"],
        channel=row["channel"],
        type=row["type"],
        summary=kind.summary if kind is not None else row["type"],
        date=row["date"],
        field="quote" if row["source"] is not None else "note",
        text=marked(row["highlighted"], row["text"]),
        source=row["source"],
        outlet=row["outlet"],
        published=row["published"],
        score=float(row["score"]),
    )
