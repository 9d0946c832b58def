"""Numbers in reports, written in digits ("8", "4,000") or words ("eight", "twenty-one").

Word numbers are turned into integers by `text2num` (a maintained, rule-based parser of number
words; no model, no network). This module only finds where a number is and what it counts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
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
    rf"(?<![\w.,:$€£¥₽])(?:\d{{1,3}}(?:,\d{{3}}){{1,4}}|\d{{1,9}})(?![\w%]|[.,:]\d)"
    rf"|(?<!\w)(?:{_WORD})(?:(?:[\s-]++|\s++and\s++)(?:{_WORD})){{0,12}}(?!\w)",
    re.IGNORECASE,
)
"""A number in digits, or a run of number words ("three hundred and forty-two"). Not a part of
a longer token: an ordinal ("20th"), a decimal ("2.5"), a time ("10:30"), a percentage
("20%"), an amount in a currency sign ("$20"), a run of more than nine digits or thirteen
number words (nobody counts diplomats so). Runs are bounded or possessive: linear time."""

OTHER_QUANTITY = re.compile(
    r"\s{0,3}(?:%|percent\b|per\s+cent\b|(?:thousand|million|billion|trillion|bn|m)\s+"
    r"(?:dollars?|euros?|pounds?|roubles?|rubles?|yuan|yen)\b|(?:million|billion|trillion|bn)\b|"
    r"(?:dollars?|euros?|pounds?|sterling|roubles?|rubles?|yuan|yen|francs?|usd|eur|gbp|rub)\b|"
    r"(?:a\.m\.|p\.m\.|am\b|pm\b|o['’]clock\b|h\b|hrs?\b|gmt\b|utc\b|cet\b|cest\b|msk\b)|"
    r"(?:hours?|minutes?|seconds?|km|kilometres?|kilometers?|miles?|metres?|meters?)\b)",
    re.IGNORECASE,
)
"""What follows a number that makes it a percentage, an amount of money, a time of day, a
duration or a distance: never a count of people nor a cap."""

CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₽]|\b(?:usd|eur|gbp|rub|us\$))\s{0,2}$", re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    value: int
    start: int
    end: int


def numbers_in(text: str, offset: int = 0, masked: Sequence[tuple[int, int]] = ()) -> list[Number]:
    """Every number in `text` that may count something, with offsets shifted by `offset` (the
    text's place in the article), so a number can be related to the trigger word and the
    channel mention. A number inside a `masked` span (article offsets: the dates the date
    finder found, "from 20 October to 10 November") is part of something else, and so is one
    followed by a unit of money, time or percentage (`OTHER_QUANTITY`) or preceded by a
    currency sign: none is returned."""
    found: list[Number] = []
    spans = sorted(masked)
    starts = [a for a, _ in spans]
    for match in NUMBER.finditer(text):
        start, end = match.start() + offset, match.end() + offset
        i = bisect_right(starts, end - 1) - 1  # the last masked span starting inside or before
        if i >= 0 and spans[i][1] > start:
            continue
        if OTHER_QUANTITY.match(text, match.end()) or CURRENCY_BEFORE.search(
            text, max(0, match.start() - 6), match.start()
        ):
            continue
        raw = match.group(0)
        if raw[0].isdigit():
            value = int(raw.replace(",", ""))
        else:
            try:
                value = int(text2num(raw.lower().replace("-", " "), "en"))
            except ValueError:
                continue  # "hundred thousand" alone and other runs text2num refuses
        found.append(Number(value, start, end))
    return found


PEOPLE = re.compile(
    r"\s+(?:[A-Za-z’'-]+\s+){0,2}?(?:personnel|members?|diplomats?|staff(?:ers)?|officers?|"
    r"employees?|officials?|people|persons|accreditations?|representatives?|spies|"
    r"envoys?|workers|positions|posts)\b",
    re.IGNORECASE,
)
"""A head noun after a number that makes it a count of people (0–2 words between)."""

NATIONALS = re.compile(r"\s++[A-Z][a-z]*(?:(?:an|on|[eih]|[bdkt]|nn)s|(?:ch|sh|s)men)\b")
"""A plural demonym right after a number counts people of that nation ("two Lithuanians",
"three Czechs", "five Britons", "four Israelis", "two Turks", "three Serbs", "two Finns",
"two Frenchmen"); "two Koreas" and "three Mondays" do not."""

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


_CEILING = r"(?:(?:no|not)\s++more\s++than|at\s++most|(?:a\s++)?maximum\s++of)"
"""Words that make the number after them a ceiling: "no more than four diplomats", "at most
12", "a maximum of 20 staff"."""
_A_LEVEL = re.compile(rf"\b(?:at|to|{_CEILING})\s++$", re.IGNORECASE)


def people_count(
    text: str, start: int, end: int, near: int, masked: Sequence[tuple[int, int]] = ()
) -> int | None:
    """The number in text[start:end] that counts people (eight diplomats, 8 members), the
    nearest to the trigger word at `near` when there are several, preferring one after it
    ("revoked the accreditation of eight"); None if none does. `masked`: see `numbers_in`."""
    best: tuple[int, int] | None = None
    for number in numbers_in(text[start:end], start, masked):
        after = text[number.end : number.end + 60]
        if NOT_PEOPLE.match(after) or ACCESS.match(after):
            continue
        if not (PEOPLE.match(after) or NATIONALS.match(after)):
            continue
        if _A_LEVEL.search(text, max(start, number.start - 20), number.start):
            continue  # "capped at 30 staff", "cut to 30 diplomats": a ceiling, not a count
        distance = abs(number.start - near) + (40 if number.start < near else 0)
        if best is None or distance < best[0]:
            best = (distance, number.value)
    return best[1] if best else None


@dataclass(frozen=True)
class Caps:
    from_cap: int | None = None
    to_cap: int | None = None


def _a_year(sentence: str, n: Number) -> bool:
    """A bare four-digit number of the years news speak of ("the 2018 cut") is a year, unless
    people follow it ("2000 staff")."""
    raw = sentence[n.start : n.end]
    return (
        len(raw) == 4 and 1800 <= n.value <= 2199 and not PEOPLE.match(sentence[n.end : n.end + 60])
    )


def staff_caps(sentence: str, masked: Sequence[tuple[int, int]] = ()) -> Caps:
    """The cap before and after a change, from "from 20 to 10", "by ten to twenty", "by half
    to 10", "to ten people", "set at 30", "capped at 30", "limited to 30" or "to no more than
    four diplomats". Numbers of people
    allowed to enter somewhere, numbers of states, years, and numbers that are part of a date
    (`masked`, offsets in `sentence`) or of another quantity are not caps."""
    numbers = [
        n
        for n in numbers_in(sentence, 0, masked)
        if not NOT_PEOPLE.match(sentence[n.end : n.end + 60])
        and not ACCESS.match(sentence[n.end : n.end + 60])
        and not _a_year(sentence, n)
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
    tos = after(rf"\b(?:(?:to|at|cap of|limit of|ceiling of)\s+(?:{_CEILING}\s+)?|{_CEILING}\s+)")
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


_SHARE = re.compile(
    r"\s++(?:(?:[A-Za-z’'-]++\s++){0,2}?(?:personnel|members?|diplomats?|staff|officers?|"
    r"employees?|officials?|persons)\s++)?(?:of|from|at|in)\s++(?:[\w’'-]++\s++){0,3}\Z",
    re.IGNORECASE,
)
"""What stands between a list's number and its post: "58 employees of the embassy", "two of
the general consulate"."""


def post_share(text: str, post: int, floor: int, masked: Sequence[tuple[int, int]]) -> int | None:
    """The people a list gives one of its posts, written right before it ("among them 58
    employees of the embassy in Moscow and two employees of the consulate in Yekaterinburg"),
    or None: a total for several posts is no one post's number."""
    start = max(floor, post - 60)
    for number in reversed(numbers_in(text[start:post], start, masked)):
        return number.value if _SHARE.match(text, number.end, post) else None
    return None


@dataclass(frozen=True)
class Numbers:
    """What one proposal counts: people expelled, or a staff ceiling before and after."""

    count: int | None = None
    caps: Caps = Caps()


def proposal_numbers(
    text: str, start: int, end: int, trigger: int, type_: str, dated: Sequence[tuple[int, int]]
) -> Numbers:
    """The numbers sentence text[start:end] gives the action of type `type_` triggered at
    `trigger`; `dated`: the spans of its date expressions (a number in "from 20 October"
    counts nothing). Types that count nothing get none: a number is never invented."""
    if type_ == "accreditation_withdrawn":
        return Numbers(count=people_count(text, start, end, trigger, dated))
    if type_ == "staff_cap_changed":
        local = [(a - start, b - start) for a, b in dated]
        return Numbers(caps=staff_caps(text[start:end], local))
    return Numbers()
