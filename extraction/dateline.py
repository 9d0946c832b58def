"""The grammar of a dateline: the line a wire report opens with, naming where (and often
when) it was filed ("MOSCOW, March 3 (Reuters) —", "LONDON (AP) —", "ASUNCION, 14 March 2025
—", "BANGKOK, March 3. /TNA/.", "(dpa) SANTIAGO --", "BOGOTÁ, June 4 (Wire) --").

One grammar for both readers of the line: segmentation keeps a dateline out of the article's
sentences (it is the article's metadata, never a quote, never the date of an action), and
dating counts relative words ("on Monday") from the day it gives. Written twice, a fix to one
reading (a day before the month, a month with its full stop, a non-breaking space, a place
with an accent) did not reach the other.

A dateline is an upper-case place at the start of a line, an agency in brackets before or
after it, then a day (", Oct 14", ", 14 October 2025") and a mark that ends it (a dash, or
the agency between slashes). Every run of blanks is possessive and every part bounded, so
the work is linear in the text; the place (at most 40 characters) may give back its blanks
and hyphens to the dash that follows it ("MOSCOW - ").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_UPPER = "A-ZÀ-ÖØ-Þ"
"""Capital letters, Latin-1's accented ones too ("BOGOTÁ", "ASUNCIÓN")."""
_BLANKS = r"[ \t\u00a0]*+"
_AGENCY = r"\([^)\n]{1,40}\)"
_PLACE = rf"[{_UPPER}][{_UPPER} .'’-]{{2,40}}"
_MONTH_WORD = r"[A-Z][a-z]{2,8}\.?"
_DAY = (
    rf"(?P<when>{_MONTH_WORD}[ \t\u00a0]++\d{{1,2}}(?:,?[ \t\u00a0]++\d{{4}})?"
    rf"|\d{{1,2}}[ \t\u00a0]++{_MONTH_WORD}(?:[ \t\u00a0]++\d{{4}})?"
    rf"|on[ \t\u00a0]++{_MONTH_WORD},[ \t\u00a0]++\d{{1,2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})\b"
)
"""A day as wires write it, and as machine translation of agency copy does ("RIYADH, on
January, 3 /Agency/.", "ALGIERS, 24.08.2021 (Agency).")."""
_MARK = r"(?P<mark>(?P<dash>[—–-]++)|\.[ \t\u00a0]*+(?P<slashed>/[^/\n]{1,30}/)\.?)"

_DATELINE = re.compile(
    rf"^{_BLANKS}(?:{_AGENCY}{_BLANKS})?{_PLACE}{_BLANKS}(?:{_AGENCY})?"
    rf"(?:,?{_BLANKS}{_DAY})?{_BLANKS}(?:{_AGENCY}{_BLANKS})?{_MARK}?"
    rf"(?(mark)|(?(when)|(?!))){_BLANKS}",
    re.MULTILINE,
)
"""A place, then a day, a mark or both: a line that gives neither is no dateline (an
upper-case headline), and the place gives back what the mark needs ("MOSCOW - ")."""


@dataclass(frozen=True)
class Dateline:
    start: int
    end: int
    """Past the dash and the blanks after it; else past the day (or the slashed agency)."""
    when: str | None
    """The day as written ("Oct 14", "14 October 2025"), if the dateline gives one."""
    when_end: int | None
    dashed: bool
    """Whether a dash closes it: the report's text begins after it, so the dateline is the
    article's metadata. A line closed by an agency between slashes ("SEOUL, June 3. /Wire/.")
    gives its day, but stays in the first sentence: there its day is the only one a present
    perfect lede ("has broken off relations, the spokesperson said on Tuesday") is dated by."""


def datelines(text: str) -> Iterator[Dateline]:
    """Every dateline of `text` (a line that opens with a place and gives a day or ends in
    a mark), in order."""
    for match in _DATELINE.finditer(text):
        when, dashed = match.group("when"), match.group("dash") is not None
        end = match.end() if dashed or when is None else match.end("when")
        yield Dateline(match.start(), end, when, match.end("when") if when else None, dashed)
