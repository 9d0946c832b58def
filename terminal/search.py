"""How a search's hits read in a terminal: each hit's event, then its quote (or note) with the
matched words between ⟦ and ⟧. The text stays data: the marks are added around slices of it
and the lines are cleaned and printed as text, never as markup."""

from __future__ import annotations

from collections.abc import Iterator

from chancery.projections.search import MarkedText, SearchResult
from chancery.projections.words import plural, type_words, when

OPEN_MARK, CLOSE_MARK = "⟦", "⟧"


def with_marks(text: MarkedText) -> str:
    """The text with each matched span between OPEN_MARK and CLOSE_MARK."""
    parts, at = [], 0
    for start, end in text.marks:
        parts += [text.text[at:start], OPEN_MARK, text.text[start:end], CLOSE_MARK]
        at = end
    parts.append(text.text[at:])
    return "".join(parts)


def search_lines(result: SearchResult) -> Iterator[str]:
    """A heading saying what was searched, then a block per hit, best first."""
    scope = "".join(
        [
            f" on {result.channel}" if result.channel else "",
            f", known at {result.known_at}" if result.known_at else "",
        ]
    )
    searched = " ".join(result.terms)
    if not result.hits:
        yield f"no quote or note{scope} holds every word of “{searched}”"
        return
    more = (
        f" (the best {result.limit}: --limit gives more)"
        if len(result.hits) == result.limit
        else ""
    )
    yield f"{plural(len(result.hits), 'hit')} for “{searched}”{scope}{more}"
    for number, hit in enumerate(result.hits, start=1):
        yield ""
        yield f"{number}. {when(hit.date)}  {type_words(hit.type)}  {hit.event}  ({hit.channel})"
        if hit.source is None:
            yield f"   note: “{with_marks(hit.text)}”"
            continue
        outlet = hit.outlet or "outlet not named"
        yield f"   {hit.source} ({outlet}, {hit.published}): “{with_marks(hit.text)}”"
