"""Numbers in reports, written in digits ("8", "4,000") or words ("eight", "twenty-one").

Word numbers are turned into integers by `text2num` (a maintained, rule-based parser of number
words; no model, no network). This module only finds where a number is and what it counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
]
_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
NUMBER = re.compile(
    rf"(?<![\w.,])(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?![\w.,]\d)"
    rf"|(?<!\w)(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*(?!\w)",
    re.IGNORECASE,
)
"""A number in digits, or a run of number words ("three hundred and forty-two")."""


@dataclass(frozen=True)
class Number:
    value: int
    start: int
    end: int


def numbers_in(text: str, offset: int = 0) -> list[Number]:
    """Every number in `text`, with offsets shifted by `offset` (the text's place in the
    article), so a number can be related to the trigger word and the channel mention."""
    found: list[Number] = []
    for match in NUMBER.finditer(text):
        raw = match.group(0)
        if raw[0].isdigit():
            value = int(raw.replace(",", ""))
        else:
            try:
                value = int(text2num(raw.lower().replace("-", " "), "en"))
            except ValueError:
                continue  # "hundred thousand" alone and other runs text2num refuses
        found.append(Number(value, match.start() + offset, match.end() + offset))
    return found


PEOPLE = re.compile(
    r"\s+(?:[A-Za-z’'-]+\s+){0,2}?(?:personnel|members?|diplomats?|staff(?:ers)?|officers?|"
    r"employees?|officials?|people|persons|accreditations?|representatives?|spies|"
    r"envoys?|workers|positions|posts)\b",
    re.IGNORECASE,
)
"""A head noun after a number that makes it a count of people (0–2 words between)."""

NOT_PEOPLE = re.compile(
    r"\s+(?:[A-Za-z’'-]+\s+){0,2}?(?:states|countries|allies|nations|members? states|"
    r"capitals|governments|years|months|days|weeks|percent|per cent|%)\b",
    re.IGNORECASE,
)
"""Nouns after a number that make it something else (how many states acted nationally)."""

ACCESS = re.compile(
    r"^\s*(?:people\s+|persons\s+|staff\s+|diplomats\s+)?(?:who\s+)?"
    r"(?:may|can|could|are allowed to|were allowed to|to)\s+(?:enter|visit|access|attend|use)\b",
    re.IGNORECASE,
)
"""Numbers of people allowed into a building or meeting are not staff caps."""


def people_count(text: str, start: int, end: int, near: int) -> int | None:
    """The number in text[start:end] that counts people (eight diplomats, 8 members), the
    nearest to the trigger word at `near` when there are several, preferring one after it
    ("revoked the accreditation of eight"); None if none does."""
    best: tuple[int, int] | None = None
    for number in numbers_in(text[start:end], start):
        after = text[number.end : number.end + 60]
        if NOT_PEOPLE.match(after) or ACCESS.match(after) or not PEOPLE.match(after):
            continue
        distance = abs(number.start - near) + (40 if number.start < near else 0)
        if best is None or distance < best[0]:
            best = (distance, number.value)
    return best[1] if best else None


@dataclass(frozen=True)
class Caps:
    from_cap: int | None = None
    to_cap: int | None = None


def staff_caps(sentence: str) -> Caps:
    """The cap before and after a change, from "from 20 to 10", "by ten to twenty", "by half
    to 10", "to ten people", "set at 30", "capped at 30" or "limited to 30". Numbers of people
    allowed to enter somewhere, and numbers of states, are not caps."""
    numbers = [
        n
        for n in numbers_in(sentence)
        if not NOT_PEOPLE.match(sentence[n.end : n.end + 60])
        and not ACCESS.match(sentence[n.end : n.end + 60])
    ]
    if not numbers:
        return Caps()
    by_start = {n.start: n for n in numbers}

    def after(pattern: str) -> list[tuple[re.Match[str], Number]]:
        found = []
        for match in re.finditer(pattern, sentence, re.IGNORECASE):
            number = by_start.get(match.end())
            if number is not None:
                found.append((match, number))
        return found

    froms = after(r"\bfrom\s+")
    tos = after(r"\b(?:to|at|cap of|limit of|ceiling of)\s+")
    bys = after(r"\bby\s+")
    half = re.search(r"\bby\s+(?:a\s+)?half\b|\bhalved\b", sentence, re.IGNORECASE)
    to_cap = tos[0][1].value if tos else None
    from_cap = froms[0][1].value if froms else None
    if from_cap is not None and to_cap is None:
        to_candidates = [n for n in numbers if n.start > froms[0][1].end]
        to_cap = to_candidates[0].value if to_candidates else None
    if from_cap is None and to_cap is not None:
        if bys and bys[0][1].value != to_cap:
            from_cap = to_cap + bys[0][1].value
        elif half:
            from_cap = to_cap * 2
    if from_cap is not None and to_cap is None and half:
        to_cap = from_cap // 2
    if from_cap is not None and to_cap is not None and from_cap == to_cap:
        return Caps()
    return Caps(from_cap=from_cap, to_cap=to_cap)
