"""Whether a trigger reports a done action: negation, condition, intention and future tense.

"Russia did not expel", "if London escalates, we will expel", "plans to close" name an action
that did not happen (yet); "will close on 1 March" one that is announced. Each is judged on
the trigger's own clause (the words between the last clause break before it and the next one
after it), so that a negation elsewhere in the sentence ("the date has not been determined,
but the consulate will close") does not undo it. Two things reach across a clause break, as
they do in English: a denial governs the clause it introduces ("denied that it had
expelled"), and a modal governs the bare verbs coordinated with it ("will expel ten diplomats
and close the consulate"); a condition ("if", "unless") anywhere in the sentence makes its
future conditional. Every scan is over a bounded window, so the cost per trigger is constant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from chancery.extraction.relative import AHEAD_WORDS, COMING, NEXT, WEEKDAYS


class Mood(Enum):
    """How a clause presents its action."""

    DONE = "done"
    """Reported as having happened (past, present perfect, present)."""
    NEGATED = "negated"
    """Said not to have happened, or denied."""
    CONDITIONAL = "conditional"
    """Possible, threatened or under a condition ("could", "if", "refused to rule out")."""
    PLANNED = "planned"
    """Intended, proposed, demanded or expected, not decided."""
    ANNOUNCED = "announced"
    """Said as decided for the future ("will close", "is to leave", "would expel" reported)."""


_NEGATION = re.compile(
    r"\b(?:not(?!\s++(?:only|just)\b)|no|never|neither|nor|nobody|none|without|hardly|unlikely|denied|denies|"
    r"refused to|refuses to|declined to|declines to|failed to|instead of|rather than)\b|"
    r"n[’']t\b",
    re.IGNORECASE,
)
_POSSIBILITY = re.compile(
    r"\b(?:could|might|(?-i:may)|threaten(?:s|ed|ing)? to|threat of|rul(?:e|es|ed|ing) out|"
    r"exclud(?:e|es|ed|ing))\b",
    re.IGNORECASE,
)
"""A possibility or threat; "refused to rule out expelling" is one too, not a negation."""
_CONDITION = re.compile(r"\b(?:if|unless|in case|provided that)\b", re.IGNORECASE)
_PLAN = re.compile(
    r"\b(?:plans? to|planning to|planned to|intends? to|intended to|intention to|intention of|"
    r"aims? to|wants? to|hop(?:es?|ed|ing) to|wishes to|would like to|ready to|prepared to|"
    r"willing to|"
    r"considering|consider|propos(?:es|ed|ing)(?: to)?|expected to|likely to|necessary to|"
    r"needs? to|whether|calls? on|called on|calls? (?:to|for)|called for|"
    r"demands? (?:to|for)|urged?|urging|should|must|promis(?:e|es|ed|ing) to|"
    r"pledg(?:e|es|ed|ing) to|vow(?:s|ed)? to)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|shall|would|going to|is to|are to|was to|were to|to be)\b|['’]ll\b",
    re.IGNORECASE,
)
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|did|does|do|will|would|shall|could|can|may|"
    r"might|must)\b|\b[a-z]{3,}ed\b",
    re.IGNORECASE,
)
"""A verb before the trigger in its clause: without one, the trigger is the clause's subject
("the number of employees ... shall be limited") and the verb after it gives its tense."""
_COMING = re.compile(
    r"\b(?:"
    + "|".join(r"\s++".join(words.split()) for words in AHEAD_WORDS)
    + rf"|(?:{NEXT})\s++(?:{'|'.join(WEEKDAYS)})|{COMING})\b",
    re.IGNORECASE,
)
"""Words that date a clause after the day it is said, whatever its tense ("closes next
month")."""
_AFTER = re.compile(
    r"\A(?P<predicate>[^,;:()“”\"—–]{0,60}?\b(?:is|are|was|were|has|have|had)\s++"
    r"(?P<negated>not\s++|never\s++)?(?:been\s++|being\s++)?"
    r"(?:(?P<settled>decided|confirmed)|planned|expected|foreseen|envisaged|considered|"
    r"scheduled|proposed|discussed|debated|mooted|on\s++the\s++(?:agenda|table))\b)"
    r"|\A\s*+(?:no|none\s++of)\b",
    re.IGNORECASE,
)
"""A nominal trigger negated or planned by its own predicate after it ("the closing of the
consulate is not planned", "is not confirmed", "is being considered", "has not been
discussed"), or a verb whose object is "no" ("expelled no one"). Only predicates on whether
the action happens count: "its cancellation has not jeopardised security" says nothing
against the cancellation."""

_UNSAID = re.compile(
    r"\b(?:not|never)\s++(?:yet\s++)?(?:say|said|specify|specified|disclose|disclosed|"
    r"announce|announced|indicate|indicated|explain|explained|know|knew|decide|decided)\s++"
    r"(?:when|whether|if|how\s++soon)\b[^,;:()“”\"—–.]*+$",
    re.IGNORECASE,
)
"""An indirect question left open before the trigger ("did not say when it would resume
operations", "has not decided whether to reopen"): the action is not told as done."""

_BREAK = re.compile(
    r"[,;:()\[\]“”\"—–]|\s-\s|\b(?:and|or|but|while|whereas|although|though|because|after|"
    r"before|when|since|as well as|that|which|who|whom|where)\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|dismissed|refuted|not true|no evidence)\b",
    re.IGNORECASE,
)
_NOT_BARE = re.compile(
    r"(?:ed|en|wn|s|ing|ions?|ures?|als?|ments?|withdrew|broke|froze|met|held|left|sent|took|"
    r"gave|made|told|cut)\Z",
    re.IGNORECASE,
)
"""Endings of a past tense, participle or noun: after "and", such a word has its own tense; a
bare verb ("and close") takes the modal of the verb it is coordinated with."""
_NOMINAL = re.compile(r"(?:ions?|ures?|als?|ing|ments?)\Z", re.IGNORECASE)
_STOP = re.compile(r"[.!?\n]")
_FRONTED = re.compile(r"[ \t]*+,")

REACH = 160
"""Characters before the trigger in which its clause and the one governing it are looked for."""


def _clause_start(text: str, start: int, floor: int) -> tuple[int, str]:
    """Where the trigger's clause begins, and the break that opens it ("" at the floor)."""
    low = max(floor, start - REACH)
    last = None
    for found in _BREAK.finditer(text, low, start):
        last = found
    if last is None:
        return low, ""
    return last.end(), last.group(0).strip().lower()


def _clause_end(text: str, end: int) -> int:
    found = _BREAK.search(text, end, end + 80)
    stop = _STOP.search(text, end, end + 80)
    ends = [m.start() for m in (found, stop) if m is not None]
    return min(ends, default=min(len(text), end + 80))


def clause(text: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """The bounds of the clause text[start:end] stands in (a sentence beginning at `floor`):
    from the last clause break before it to the first after it, within a bounded reach."""
    return _clause_start(text, start, floor)[0], _clause_end(text, end)


@dataclass(frozen=True)
class Offset:
    """How far the action of a clause of time lies from the date of the clause it hangs on
    ("two days after", "weeks before"): `least` to `most` days, before that date when the
    clause says "after" (the action came first), after it for "before"."""

    least: int
    most: int
    before: bool
    approximate: bool
    wording: str


_TIME_CLAUSE = re.compile(
    r"(?:\b(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"a\s++few|several|some)\s++)?\b(?P<unit>days?|weeks?|months?|years?)?"
    r"(?P<soon>shortly|soon|immediately|just|hours)?\s*+(?P<way>after|before)\s*+$",
    re.IGNORECASE,
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBERS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def time_clause(text: str, start: int, floor: int) -> Offset | None:
    """The offset of the trigger's clause when it is a clause of time opened by "after" or
    "before" ("weeks after China downgraded relations"): an exact count of days is exact,
    "weeks" (no count) is one to eight weeks, "shortly after" up to three days, a bare
    "after" within a year; None for any other clause."""
    begin, opened = _clause_start(text, start, floor)
    if opened not in ("after", "before"):
        return None
    found = _TIME_CLAUSE.search(text, max(floor, begin - 40), begin)
    if found is None:
        return None
    unit, raw = (found.group("unit") or "").lower().rstrip("s"), (found.group("n") or "").lower()
    count = int(raw) if raw.isdigit() else _NUMBERS.get(raw)
    if found.group("soon"):
        least, most, approximate = 0, 3, True
    elif not unit:
        least, most, approximate = 0, 365, True
    elif count is not None:
        days = count * _UNIT_DAYS[unit]
        spread = 0 if unit == "day" else _UNIT_DAYS[unit] // 2
        least, most, approximate = max(0, days - spread), days + spread, unit != "day"
    else:
        least, most, approximate = _UNIT_DAYS[unit], 8 * _UNIT_DAYS[unit], True
    wording = " ".join(found.group(0).split())
    return Offset(least, most, opened == "after", approximate, wording)


_CAUSE = re.compile(
    r"\b(?:to\s++protest(?:\s++(?:against|at))?|in\s++protest\s++(?:at|against|over)|"
    r"in\s++(?:response|reply)\s++to|in\s++(?:retaliation|return)\s++for|following|over)\s++"
    r"(?:(?:the|its|their|his|her|a|an)\s++)?(?:[a-z]++\s++)?$",
    re.IGNORECASE,
)


def cause_phrase(text: str, start: int, floor: int) -> Offset | None:
    """The offset of a nominal trigger named as what the clause answers ("summoned the envoy
    to protest the expulsion of", "in retaliation for", "over the closure of"): the answer
    comes after it, so the action lies before the clause's date, within a year."""
    begin = _clause_start(text, start, floor)[0]
    found = _CAUSE.search(text, max(begin, start - 40), start)
    if found is None:
        return None
    return Offset(0, 365, True, True, " ".join(found.group(0).split()))


_ANSWERS = re.compile(
    r"\b(?:in\s++(?:response|reply|answer|reaction|retaliation|return)\s++(?:to|for)|"
    r"as\s++(?:an?\s++)?(?:response|reply|answer|retaliation)\s++(?:to|for))\b",
    re.IGNORECASE,
)
_ANSWERED_END = re.compile(r"[,;:.!?()\n]")


def answered_phrase(text: str, at: int, floor: int) -> tuple[int, int] | None:
    """The span of the phrase naming what a step answers ("in response to the decisions
    taken on 11 June", "as answer to the decision of Kiev of April 16 to close") when
    text[at] stands in it: from its opening words to the next comma or full stop. A date in
    it is the date of what is answered, not of the answer. None when `at` stands in none."""
    low = max(floor, at - REACH)
    opener = None
    for found in _ANSWERS.finditer(text, low, at):
        opener = found
    if opener is None or _ANSWERED_END.search(text, opener.end(), at):
        return None
    stop = _ANSWERED_END.search(text, at, at + REACH)
    return opener.start(), stop.start() if stop else min(len(text), at + REACH)


def _before(text: str, start: int, floor: int) -> tuple[str, str]:
    """The words of the trigger's clause before it, and those of the clause governing it
    where a denial ("denied that") or a modal ("will expel ... and close") reaches in."""
    begin, opened = _clause_start(text, start, floor)
    own = text[begin:start]
    if opened in ("that", "and", "or") and begin > floor:
        before_break = begin - len(opened)
        outer_begin, outer_opened = _clause_start(text, before_break, floor)
        if outer_opened == "," and not text[outer_begin:before_break].strip():
            outer_begin, _ = _clause_start(text, outer_begin - 1, floor)  # ", and" / ", or"
        return own, text[outer_begin:before_break]
    return own, ""


@lru_cache(maxsize=256)
def judge(text: str, start: int, end: int, floor: int) -> Mood:
    """The mood of the action whose trigger is text[start:end], in a sentence that begins
    at `floor`. A trigger that itself says the negative or the offer ("not responded",
    "ready to convene") is judged on the other words only. Kept for the triggers last asked
    about: negation, intent and announcement each ask of the same trigger."""
    trigger = text[start:end]
    own, outer = _before(text, start, floor)
    opened = _clause_start(text, start, floor)[1]
    words = trigger.split()
    bare = bool(words) and not _NOT_BARE.search(words[0])
    governing = outer if (opened == "that" or bare) else ""
    sentence = text[floor : _sentence_end(text, end)]
    checks = [
        (_POSSIBILITY, Mood.CONDITIONAL, own + " " + governing),
        (_NEGATION, Mood.NEGATED, own),
        (_DENIAL, Mood.NEGATED, outer if opened == "that" else ""),
        (_NEGATION, Mood.NEGATED, governing if bare and opened != "that" else ""),
        # "no intention of severing relations or of closing its embassy": a negation reaches
        # every alternative "or" joins to what it denies
        (_NEGATION, Mood.NEGATED, outer if opened == "or" else ""),
        (_PLAN, Mood.PLANNED, own + " " + governing),
    ]
    for pattern, mood, scope in checks:
        if pattern.search(scope) and not pattern.search(trigger):
            return mood
    if _UNSAID.search(text, max(floor, start - 80), start):
        return Mood.CONDITIONAL
    after = _AFTER.search(text[end : _clause_end(text, end)])
    if after is not None and not _NEGATION.search(trigger):
        if not after.group("predicate"):
            return Mood.NEGATED
        if _NOMINAL.search(words[-1] if words else ""):
            if after.group("negated"):
                return Mood.NEGATED
            if not after.group("settled"):
                return Mood.PLANNED
    rest = text[end : _clause_end(text, end)]
    ahead = own + " " + governing + " " + rest
    subject = not _VERB.search(own) and bool(_FUTURE.search(rest))
    if (_FUTURE.search(own + " " + governing) or _COMING.search(ahead) or subject) and not (
        _FUTURE.search(trigger)
    ):
        return Mood.CONDITIONAL if _CONDITION.search(sentence) else Mood.ANNOUNCED
    if _CONDITION.search(own) or _CONDITION.match(text, floor):
        return Mood.CONDITIONAL  # "if" in its clause, or opening the sentence
    return Mood.DONE


def _sentence_end(text: str, end: int) -> int:
    stop = _STOP.search(text, end, end + 300)
    return stop.end() if stop else min(len(text), end + 300)


_AHEAD = re.compile(
    r"\b(?:will|shall|would|could|might|(?-i:may)|going to|is to|are to|to be|plans? to|"
    r"planning to|intends? to|expected to|scheduled|due to|should|must|takes? effect|"
    r"comes? into force|enters? into force)\b|['’]ll\b",
    re.IGNORECASE,
)
"""Words that put a clause's date ahead of the day it is said: a future, a plan, a deadline."""
_SAYING = re.compile(r"\b(?:said|says|told|tells|announced|stated|added)\b")
"""A verb of saying between a fronted date and a future: the date is the saying's ("On
Monday, the minister said Kenya would respond")."""


_DEADLINE = re.compile(r"\b(?:by|until|till|no\s++later\s++than)\s++(?:the\s++)?$", re.IGNORECASE)
_ORDERED_TO = re.compile(
    r"\b(?:order(?:s|ed)?|told|tells|instructed|asked|required|demanded|forced|gave|given)\b"
    r".*?\bto\s++[a-z]",
    re.IGNORECASE,
)
"""An order and the infinitive of what it orders ("ordered the embassy to reduce its staff"):
a date after it, with "by" or "until", is the deadline it sets."""
_GIVING = re.compile(r"\b(?:giv(?:e|es|ing|en)|gave)\s++(?:[\w’'-]++\s++){0,4}$", re.I)
"""Time given with its end ("giving its staff until the end of June to leave", "gave them
until Friday"): the date after "until" or "by" is the deadline, the infinitive after it."""


def speaks_of_future(text: str, start: int, end: int, floor: int) -> bool:
    """Whether the date expression text[start:end] dates something still to come: a future
    or a plan in its clause before it ("will close on 1 April"), a deadline an order sets
    ("ordered the embassy to cut its staff to three by 1 July"), or, for a date that opens
    its sentence ("On Friday, the embassy will close"), in the clause that follows it."""
    begin, _ = _clause_start(text, start, floor)
    if _AHEAD.search(text, begin, start):
        return True
    deadline = _DEADLINE.search(text, max(begin, start - 20), start)
    if deadline and _ORDERED_TO.search(text, begin, start):
        return True
    if deadline and _GIVING.search(text, max(begin, deadline.start() - 60), deadline.start()):
        return True
    fronted = _FRONTED.match(text, end)
    if fronted is not None and len(text[begin:start].split()) <= 1:
        after = fronted.end()
        ahead = _AHEAD.search(text, after, _clause_end(text, after))
        return ahead is not None and not _SAYING.search(text, after, ahead.start())
    return False


def hypothetical(text: str, start: int, end: int, floor: int) -> bool:
    """Whether the date expression text[start:end] dates only a possibility, a plan or what
    a condition would bring ("could reopen next year, if ...", "plans to close on 1 April"):
    not a day the action is fixed to take effect."""
    begin, _ = _clause_start(text, start, floor)
    clause = text[begin : _clause_end(text, end)]
    fronted = _FRONTED.match(text, end)
    if fronted is not None and len(text[begin:start].split()) <= 1:
        clause += text[fronted.end() : _clause_end(text, fronted.end())]
    sentence = text[floor : _sentence_end(text, end)]
    return bool(_POSSIBILITY.search(clause) or _PLAN.search(clause) or _CONDITION.search(sentence))


_PERFECT = re.compile(
    r"\b(?:has|have)\s++(?:(?:also|again|just|now|already|today|since|[a-z]++ly)\s++){0,2}"
    r"(?:been\s++)?(?:(?:decided|agreed|ordered|told|instructed)\s++to\s++)?$",
    re.IGNORECASE,
)


def perfect(text: str, start: int, floor: int) -> bool:
    """Whether the trigger at `start` is told in the present perfect ("has restored", "have
    paused", "has decided to downgrade", "has been closed", an order: "has been ordered to
    wind down"): done, and news when said."""
    return bool(_PERFECT.search(text, max(floor, start - 40), start))


_STANCE = re.compile(r"no\s++longer\s++[a-z]", re.IGNORECASE)


def present_stance(text: str, start: int) -> bool:
    """Whether the trigger at `start` tells a stance that holds now ("no longer consents to",
    "no longer agree to host", or reported, "said it no longer agreed"): with no date of its
    own, the stance is the statement's, news on the day it is said."""
    return _STANCE.match(text, start) is not None


def is_negated(text: str, trigger_start: int, trigger: str, floor: int) -> bool:
    """Whether the trigger's clause says the action did not happen (see `judge`)."""
    return judge(text, trigger_start, trigger_start + len(trigger), floor) is Mood.NEGATED


def is_intent(text: str, trigger_start: int, trigger: str, floor: int) -> bool:
    """Whether the trigger's clause gives the action as possible, planned or to come, not
    done (see `judge`)."""
    mood = judge(text, trigger_start, trigger_start + len(trigger), floor)
    return mood in (Mood.CONDITIONAL, Mood.PLANNED, Mood.ANNOUNCED)
