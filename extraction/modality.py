"""Whether a trigger reports a done action: negation, condition, intention and future tense.

"Russia did not expel", "if London escalates, we will expel", "plans to close" name an action
that did not happen (yet); the extractor proposes none of them. Each is judged on the words of
the trigger's own clause, so that a negation elsewhere in the sentence does not undo it.
"""

from __future__ import annotations

import re

_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|without|hardly|unlikely|denied|denies|refused to|"
    r"declined to|failed to|instead of|rather than)\b|n[’']t\b",
    re.IGNORECASE,
)
_INTENT = re.compile(
    r"\b(?:will|would|shall|could|might|may|should|must|going to|plans? to|planning to|"
    r"planned to|intends? to|intended to|intention to|intention of|aims? to|wants? to|"
    r"wishes to|threaten(?:s|ed)? to|ready to|prepared to|willing to|is to|are to|to be|"
    r"considering|consider|propos(?:es|ed|ing)(?: to)?|expected to|likely to|necessary to|"
    r"need to|if|unless|"
    r"whether|calls? on|called on|urged?|demands? that .{0,40}not)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[,;:“”\"()—–]|\s-\s|\b(?:and|but|while|whereas|as well as)\b")


def _window_before(text: str, start: int, floor: int) -> str:
    """The words of the trigger's own clause before it (at most six)."""
    before = text[max(floor, start - 80) : start]
    clause = _CLAUSE.split(before)[-1]
    return " ".join(clause.split()[-6:])


def is_negated(text: str, trigger_start: int, trigger: str, floor: int) -> bool:
    """A "not", "no", "never" in the trigger's clause just before it; a trigger that itself
    says the negative ("not responded", "no agreement") is the event, not its negation."""
    if _NEGATION.search(trigger):
        return False
    return bool(_NEGATION.search(_window_before(text, trigger_start, floor)))


def is_intent(text: str, trigger_start: int, trigger: str, floor: int) -> bool:
    """Future, intention, offer, condition or exhortation just before the trigger."""
    if _INTENT.search(trigger):
        return False  # "ready to convene" is itself the (standing) offer
    return bool(_INTENT.search(_window_before(text, trigger_start, floor)))
