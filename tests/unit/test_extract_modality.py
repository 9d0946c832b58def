"""Negation, condition, plan and future judged on the trigger's own clause (`modality.py`).

Sentences written for these tests, in many phrasings and about several pairs of states: the
mood of the action named by `trigger` in each.
"""

from __future__ import annotations

import pytest
from chancery.extraction.modality import Mood, is_intent, is_negated, judge, time_clause
from chancery.extraction.relative import AHEAD_WORDS

CASES = [
    # done, in several tenses and shapes
    ("Japan expelled two Korean diplomats on Monday.", "expelled", Mood.DONE),
    ("Officials said that Kenya recalled its ambassador.", "recalled", Mood.DONE),
    ("The Chinese government has decided to downgrade its relations.", "downgrade", Mood.DONE),
    ("Prime Minister Theresa May expelled 23 Russian diplomats.", "expelled", Mood.DONE),
    ("Russia not only expelled ten diplomats but closed the consulate.", "expelled", Mood.DONE),
    ("Peru expelled diplomats whose visas were not renewed.", "expelled", Mood.DONE),
    ("Their cancellation has not jeopardised our security.", "cancellation", Mood.DONE),
    ("The expulsion was decided on Monday.", "expulsion", Mood.DONE),
    (
        "Serbia did not comment, and the expulsion of two diplomats took effect.",
        "expulsion",
        Mood.DONE,
    ),
    ("Fiji did not expel anyone and closed the consulate instead.", "closed", Mood.DONE),
    ("The attaché was declared persona non grata on Tuesday.", "declared", Mood.DONE),
    # negated, denied
    ("Washington did not expel any diplomats.", "expel", Mood.NEGATED),
    ("Nobody was expelled.", "expelled", Mood.NEGATED),
    ("Neither government has severed relations.", "severed", Mood.NEGATED),
    ("Ankara denied that it had expelled any Dutch diplomats.", "expelled", Mood.NEGATED),
    ("The ministry dismissed reports that it had closed the consulate.", "closed", Mood.NEGATED),
    ("Nairobi refused to recall its ambassador.", "recall", Mood.NEGATED),
    ("Riyadh will not expel diplomats and close the embassy.", "close", Mood.NEGATED),
    ("Kenya has not closed its embassy, and officials say it will not.", "closed", Mood.NEGATED),
    ("The closing of the consulate in Rotterdam is not planned, he said.", "closing", Mood.NEGATED),
    ("The expulsion of the diplomats has not been confirmed.", "expulsion", Mood.NEGATED),
    ("India expelled no Pakistani diplomats this year.", "expelled", Mood.NEGATED),
    ("Ottawa hasn't recalled its envoy.", "recalled", Mood.NEGATED),
    # conditional, possible, threatened
    ("We refuse to rule out expelling the ambassador.", "expelling", Mood.CONDITIONAL),
    ("If relations deteriorate, Kenya will suspend the dialogue.", "suspend", Mood.CONDITIONAL),
    ("If the restrictions go, the consulate could reopen next month.", "reopen", Mood.CONDITIONAL),
    ("Somalia threatened to expel Kenyan diplomats.", "expel", Mood.CONDITIONAL),
    ("He said Minsk would close the consulate if Kyiv expelled more.", "close", Mood.CONDITIONAL),
    ("Argentina might recall its ambassador from London.", "recall", Mood.CONDITIONAL),
    ("Unless Wellington apologises, Suva closes its High Commission.", "closes", Mood.CONDITIONAL),
    # planned, proposed, demanded
    ("Moscow plans to close the Vladivostok consulate.", "close", Mood.PLANNED),
    ("Moscow called on London to close the consulate.", "close", Mood.PLANNED),
    ("The closure of the consulate is being considered.", "closure", Mood.PLANNED),
    ("Parliament urged the government to sever relations.", "sever", Mood.PLANNED),
    ("Tokyo is considering the expulsion of the envoy.", "expulsion", Mood.PLANNED),
    # announced for the future
    (
        "The date is not yet determined, but the consulate will close on 1 April.",
        "close",
        Mood.ANNOUNCED,
    ),
    ("Paris said it would expel twelve officials in return.", "expel", Mood.ANNOUNCED),
    ("Washington will expel ten diplomats and close the consulate.", "close", Mood.ANNOUNCED),
    ("The embassy is to be closed by Friday.", "closed", Mood.ANNOUNCED),
    ("Nairobi's envoy is to leave Mogadishu within seven days.", "leave", Mood.ANNOUNCED),
    ("The number of employees of the posts shall be limited to 455.", "number", Mood.ANNOUNCED),
    ("The number of employees was limited to 455.", "number", Mood.DONE),
    # a trigger that says the negative or the offer itself
    ("Moscow has not responded to the invitation.", "not responded", Mood.DONE),
    ("Washington said it stands ready to convene the talks.", "ready to convene", Mood.DONE),
]


@pytest.mark.parametrize(("sentence", "trigger", "mood"), CASES, ids=[c[0][:40] for c in CASES])
def test_the_mood_is_that_of_the_triggers_clause(sentence: str, trigger: str, mood: Mood) -> None:
    at = sentence.index(trigger)
    assert judge(sentence, at, at + len(trigger), 0) is mood


def test_a_negation_in_another_clause_of_the_sentence_does_not_negate() -> None:
    text = "The date has not been determined, but the British Council will close."
    at = text.index("close")
    assert not is_negated(text, at, "close", 0)
    assert judge(text, at, at + 5, 0) is Mood.ANNOUNCED


def test_the_sentence_floor_bounds_the_clause() -> None:
    text = "Lima did not comment. Quito expelled two diplomats."
    at = text.index("expelled")
    assert not is_negated(text, at, "expelled", text.index("Quito"))


@pytest.mark.parametrize(
    ("sentence", "trigger", "intent"),
    [
        ("Belgrade will recall its envoy.", "recall", True),
        ("Belgrade could recall its envoy.", "recall", True),
        ("Belgrade wants to recall its envoy.", "recall", True),
        ("Belgrade recalled its envoy.", "recalled", False),
        ("Belgrade did not recall its envoy.", "recall", False),
    ],
)
def test_is_intent_says_whether_the_action_is_not_yet_done(
    sentence: str, trigger: str, intent: bool
) -> None:
    assert is_intent(sentence, sentence.index(trigger), trigger, 0) is intent


def test_a_long_run_of_clauses_is_read_in_a_bounded_window() -> None:
    text = "not, " * 50_000 + "Oslo expelled a diplomat."
    at = text.index("expelled")
    assert judge(text, at, at + len("expelled"), 0) is Mood.DONE


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Oslo left on Monday, two days after Minsk expelled him.", "expelled", (2, 2, True)),
        ("Oslo left on Monday, weeks after Minsk expelled him.", "expelled", (7, 56, True)),
        ("Oslo left on Monday, a month before Minsk expelled him.", "expelled", (15, 45, False)),
        ("Oslo left on Monday, shortly after Minsk expelled him.", "expelled", (0, 3, True)),
        ("Oslo left on Monday after Minsk expelled him.", "expelled", (0, 365, True)),
    ],
)
def test_a_clause_of_time_gives_how_far_its_action_lies(
    sentence: str, trigger: str, expected: tuple[int, int, bool]
) -> None:
    offset = time_clause(sentence, sentence.index(trigger), 0)
    assert offset is not None and (offset.least, offset.most, offset.before) == expected


def test_a_clause_that_is_not_of_time_has_no_offset() -> None:
    sentence = "Oslo left on Monday, and Minsk expelled him."
    assert time_clause(sentence, sentence.index("expelled"), 0) is None


# ------------------------------------------- the words that look ahead: the date table's own


def _mood_of(sentence: str) -> Mood:
    start = sentence.index("closes")
    return judge(sentence, start, start + len("closes"), 0)


@pytest.mark.parametrize("words", [w for w in AHEAD_WORDS if " after " not in w])
def test_each_word_the_date_table_resolves_ahead_makes_a_clause_announced(words: str) -> None:
    """The relative-date table is the one list: a word it resolves after the day it is said
    dates the clause after it, so the act is announced, not done. ("The day after tomorrow"
    is left out: the clause reader takes "after" for the start of a time clause, a limit of
    `clause`, not of the words.)"""
    assert _mood_of(f"The embassy closes {words}, the ministry said.") is Mood.ANNOUNCED


@pytest.mark.parametrize(
    "words", ["next Tuesday", "this coming Friday", "in the coming weeks", "over the next few days"]
)
def test_a_weekday_ahead_or_the_coming_weeks_make_a_clause_announced(words: str) -> None:
    assert _mood_of(f"The embassy closes {words}, the ministry said.") is Mood.ANNOUNCED


@pytest.mark.parametrize("words", ["yesterday", "last week", "earlier this month", "on Tuesday"])
def test_a_word_the_table_resolves_before_the_day_leaves_a_clause_done(words: str) -> None:
    assert _mood_of(f"The embassy closes {words}, the ministry said.") is Mood.DONE


def test_a_negation_reaches_every_alternative_or_joins() -> None:
    """'no intention of severing relations or of closing its embassy': neither is done; an
    'and' after a negated clause is its own ('did not expel anyone, and closed the office')."""
    for sentence, trigger in [
        ("Oslo has no intention of severing relations or of closing its embassy.", "closing"),
        ("Oslo did not expel the envoy, or close the consulate.", "close"),
        ("Oslo will never recall its ambassador or downgrade relations.", "downgrade"),
    ]:
        at = sentence.index(trigger)
        assert judge(sentence, at, at + len(trigger), 0) == Mood.NEGATED, sentence
    sentence = "Oslo did not expel anyone, and closed the consulate."
    at = sentence.index("closed")
    assert judge(sentence, at, at + len("closed"), 0) != Mood.NEGATED
