"""Stage 1, segmentation: the article as sentences with character offsets, each within one
paragraph (a line), with the article's own metadata (a date header, a dateline) kept out.

pysbd, a rule-based segmenter, finds the sentence ends; the bounded pieces and the second pass
for ends it misses keep the work linear in the article and every quote a verbatim slice."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import pysbd
from chancery.extraction.dateline import datelines


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


HEADLINE_LENGTH = 160
"""Characters a headline runs to at most."""


def is_headline(text: str, first: Sentence) -> bool:
    """Whether the article's first sentence is its headline: a line standing alone, short,
    without a full stop."""
    line = text[first.start : first.end].rstrip("\"”’') ")
    rest = text[first.end : first.end + 2]
    return (
        first.paragraph == 0
        and len(line) <= HEADLINE_LENGTH
        and not line.endswith((".", "!", "?", ":"))
        and (not rest.strip(" \t") or rest.startswith(("\n", "\r")))
    )


_HEADER = re.compile(
    r"\A\s*+(?:(?:date|published|posted|updated)\s*+:?\s*+)?"
    r"\d{4}-\d{2}-\d{2}(?:[T ][\d:]++Z?)?\s+",
    re.IGNORECASE,
)
"""Every run of blanks is possessive (`*+`: never given back to be tried shorter), so a header
followed by a megabyte of blanks costs one pass, not one pass per blank."""


def metadata_spans(text: str) -> list[tuple[int, int]]:
    """Spans that are the article's own metadata (a 'date 2021-10-07' header, a 'BRUSSELS,
    Oct 21 —' dateline): they date the article, never an action, and are kept out of quotes."""
    spans = []
    header = _HEADER.match(text)
    if header:
        spans.append((header.start(), header.end()))
    spans.extend((line.start, line.end) for line in datelines(text) if line.dashed)
    return sorted(spans)


MAX_SEGMENT = 1000
"""Characters the sentence segmenter is given at once. pysbd re-reads its whole input for each
sentence it finds, and once per abbreviation it meets ("Mon", "Oct", "Mr"), so a long line is
cut into pieces of at most this size, after the last sentence end before the bound (else the
last blank): a real sentence is far shorter, and the work stays linear in the article."""


def _pieces(body: str) -> list[tuple[int, int]]:
    """`body` as consecutive spans of at most `MAX_SEGMENT` characters (see there)."""
    pieces: list[tuple[int, int]] = []
    start, size = 0, len(body)
    while size - start > MAX_SEGMENT:
        floor, limit = start + MAX_SEGMENT // 2, start + MAX_SEGMENT
        ends = [
            m.end()
            for m in _INNER_END.finditer(body, floor, limit)
            if _ends_sentence(body, floor, m)
        ]
        cut = ends[-1] if ends else max(body.rfind(c, floor, limit) for c in " \t\u00a0") + 1
        if cut <= floor:
            cut = limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, size))
    return pieces


_SPLITS = re.compile("[.!?。．！？ȸȹ☉☈☇☄•)\r]")
"""Every character pysbd may end a sentence or a list item at."""


def _segment(piece: str) -> list[tuple[int, int]]:
    """pysbd's sentences of one bounded piece, as offsets into it. pysbd's own offset finder
    searches the whole input again for every sentence; here each is looked for from where
    the previous one ended, once."""
    if not _SPLITS.search(piece):
        return [(0, len(piece))]  # nothing pysbd splits at: one sentence, as it would say
    try:
        found = _segmenter().processor(piece).process()
    except Exception:  # the segmenter's regexes are its own; fall back to one span
        return [(0, len(piece))]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in found or []:
        if not sentence:
            continue
        at = piece.find(sentence, cursor)
        if at < 0:
            continue
        end = at + len(sentence)
        while end < len(piece) and piece[end].isspace():
            end += 1
        spans.append((at, end))
        cursor = end
    return spans or [(0, len(piece))]


def sentences(text: str) -> list[Sentence]:
    """Sentences with offsets, trimmed of surrounding spaces and of leading metadata; a
    sentence never crosses a line break, so paragraphs stay apart."""
    result: list[Sentence] = []
    skip = metadata_spans(text)
    skip_starts = [x for x, _ in skip]
    cursor = 0
    for paragraph, line in enumerate(re.finditer(r"[^\n]+", text)):
        base = line.start()
        body = line.group(0)
        if not body.strip():
            continue
        spans = [
            (first + a, first + b)
            for first, last in _pieces(body)
            for a, b in _segment(body[first:last])
        ]
        spans = [part for a, b in spans for part in _split_further(body, a, b)]
        for a, b in spans:
            a, b = base + a, base + b
            if a >= b or b <= cursor:
                continue
            while True:  # metadata spans (datelines lie within a line) never overlap a quote
                i = bisect_right(skip_starts, a) - 1
                if i < 0 or a >= skip[i][1]:
                    break
                a = skip[i][1]
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b - a >= 3:
                result.append(Sentence(a, b, paragraph))
                cursor = b
    return result


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "prof",
        "jr",
        "sr",
        "vs",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "e.g",
        "i.e",
        "etc",
        "inc",
        "corp",
        "co",
    ]
)
_INNER_END = re.compile(r"[.!?][\"”’]?(?:\s++(?=[\"“‘(]?[A-Z0-9])|(?=[A-Z][a-z]))")
_LAST_WORD = re.compile(r"([\w.]++)[\])]*+$")


def _ends_sentence(body: str, start: int, match: re.Match[str]) -> bool:
    """Whether an `_INNER_END` match (in a sentence that began at `start`) ends a sentence:
    not after an abbreviation ("Mr.", "Oct."), an initial or a number. The word before it is
    looked for in a bounded window, so ends skipped one after another ("Mr.Ab" repeated) are
    not each re-read from the start of the sentence."""
    word = _LAST_WORD.search(body, max(start, match.start() - 64), match.start())
    token = word.group(1).lower() if word else ""
    return (
        bool(token) and token not in _ABBREVIATIONS and len(token) > 1 and not token[-1].isdigit()
    )


def _split_further(body: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split where the segmenter missed a sentence end: inside quotation marks ("...meeting.
    They have not responded...") and where a wire copy lost the space ("Thursday.He")."""
    parts, start = [], a
    for match in _INNER_END.finditer(body, a, b):
        if not _ends_sentence(body, start, match):
            continue
        if match.end() - start < 3 or b - match.end() < 3:
            continue
        parts.append((start, match.end()))
        start = match.end()
    parts.append((start, b))
    return parts
