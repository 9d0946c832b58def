"""The dating stage (`dating.py`): which date of the article an action takes, and why.

Short reports written for these tests; each action's trigger is found by its word.
"""

from __future__ import annotations

from chancery.domain.dates import UncertainDate
from chancery.extraction.dating import ArticleDates, Dating
from chancery.extraction.segment import sentences


def dating(
    text: str,
    trigger: str,
    published: str = "2025-03-21",
    *,
    speech_act: bool = False,
    intent: bool = False,
    announced: bool = False,
) -> Dating | None:
    sents = sentences(text)
    dates = ArticleDates.read(text, sents, UncertainDate.from_edtf(published))
    at = text.index(trigger)
    index = next(i for i, s in enumerate(sents) if s.start <= at < s.end)
    return dates.date_action(
        index, at, at + len(trigger), speech_act=speech_act, intent=intent, announced=announced
    )


def edtfs(found: Dating | None) -> list[str]:
    assert found is not None
    return [d.edtf for d in found.dates]


def test_the_sentences_own_date_nearest_the_trigger() -> None:
    found = dating("Oslo summoned the envoy on Monday and expelled two on Tuesday.", "expelled")
    assert edtfs(found) == ["2025-03-18"]


def test_a_sentence_without_a_date_takes_the_one_before_it_in_its_paragraph() -> None:
    text = "Suva recalled its envoy on 3 March. It also closed the consulate."
    found = dating(text, "closed")
    assert found is not None and edtfs(found) == ["2025-03-03"] and found.penalty > 0


def test_a_decision_for_later_is_dated_when_announced_and_takes_effect_apart() -> None:
    text = "Rome announced on Monday that the embassy will close on 1 April."
    found = dating(text, "close", intent=True, announced=True)
    assert found is not None and edtfs(found) == ["2025-03-17"]
    assert found.effective is not None and found.effective.edtf == "2025-04-01"


def test_an_announcement_the_text_does_not_date_is_of_the_articles_day() -> None:
    text = "Published: 2025-03-20\n\nThe consulate general will close, the ministry said."
    assert edtfs(dating(text, "close", intent=True, announced=True)) == ["2025-03-20"]


def test_a_plan_or_a_meeting_to_come_is_no_action_even_with_a_date_ahead() -> None:
    text = "The ministry said it would summon the ambassador on Monday."
    assert dating(text, "summon", intent=True, announced=False) is None


def test_the_present_perfect_is_news_of_the_day_its_speaker_is_dated() -> None:
    text = (
        "Somalia has restored diplomatic relations with Kenya. "
        "The minister told reporters on Wednesday."
    )
    found = dating(text, "restored")
    assert found is not None and edtfs(found) == ["2025-03-19"] and found.assumed
    assert found.dates[0].resolution and "present perfect" in found.dates[0].resolution


def test_the_present_perfect_may_take_adverbs() -> None:
    text = "Published: 2025-03-20\n\nThe President has also recalled our ambassador."
    found = dating(text, "recalled")
    assert found is not None and edtfs(found) == ["2025-03-20"] and found.assumed


def test_the_present_perfect_without_a_speakers_date_is_of_the_datelines_day() -> None:
    text = "MOGADISHU, March 18 (Wire) — Somalia has decided to downgrade its relations."
    found = dating(text, "downgrade", published="2025-03-21")
    assert found is not None and edtfs(found) == ["2025-03-18"] and found.assumed


def test_an_undated_past_action_gets_an_assumed_window() -> None:
    found = dating("Lima expelled two diplomats.", "expelled")
    assert found is not None and found.assumed
    assert found.dates[0].edtf == "2024-03-21/2025-03-21"


def test_a_statement_takes_its_speakers_date() -> None:
    text = "Minsk said on Tuesday that talks could resume."
    found = dating(text, "said", speech_act=True)
    assert edtfs(found) == ["2025-03-18"]


def test_a_date_in_the_triggers_own_clause_comes_before_a_nearer_one() -> None:
    text = "Ankara summoned the envoy on 16 March and suspended contacts with The Hague in April."
    assert edtfs(dating(text, "suspended", published="2025-06-01")) == ["2025-04"]


def test_a_headlines_action_is_of_the_week_up_to_the_articles_day() -> None:
    text = "Netherlands expels two Turkish diplomats\n\nThe row goes on."
    found = dating(text, "expels", published="2025-12-02")
    assert found is not None and found.assumed
    assert edtfs(found) == ["2025-11-25/2025-12-02"]


def test_a_first_line_that_is_a_sentence_is_no_headline() -> None:
    found = dating("Lima expelled two diplomats.\n\nThe row goes on.", "expelled")
    assert found is not None and found.dates[0].edtf == "2024-03-21/2025-03-21"


def test_a_wires_undated_detail_after_its_lede_is_of_the_ledes_day() -> None:
    text = (
        "LONDON, March 14 (Wire) — Britain expelled 23 Russian diplomats on Wednesday.\n\n"
        "London also suspended high-level contacts with Moscow."
    )
    found = dating(text, "suspended", published="2018-03-14")
    assert found is not None and found.assumed and edtfs(found) == ["2018-03-14"]
    assert found.dates[0].resolution and "lede" in found.dates[0].resolution


def test_a_lede_does_not_date_what_follows_another_date() -> None:
    text = (
        "LONDON, March 14 (Wire) — Britain expelled 23 Russian diplomats on Wednesday.\n\n"
        "In 2016 the two had agreed on visas. London also suspended contacts with Moscow."
    )
    found = dating(text, "suspended", published="2018-03-14")
    assert found is not None and edtfs(found) != ["2018-03-14"]


def test_a_report_without_a_dateline_has_no_lede_to_date_from() -> None:
    text = "Britain expelled 23 Russian diplomats on Wednesday.\n\nLondon also suspended contacts."
    found = dating(text, "suspended", published="2018-03-14")
    assert found is not None and found.dates[0].edtf == "2017-03-14/2018-03-14"


def test_an_action_only_a_statement_dates_lies_on_or_before_it() -> None:
    found = dating("NATO said on Wednesday it had withdrawn the accreditation.", "withdrawn")
    assert found is not None and found.assumed
    assert found.dates[0].latest.isoformat() == "2025-03-19"  # a retelling may be of days before


def test_an_actions_own_date_beats_the_statements() -> None:
    text = "NATO said on Wednesday that it withdrew the accreditation in 2018."
    assert edtfs(dating(text, "withdrew")) == ["2018"]


def test_a_clause_of_time_lies_that_far_from_its_sentences_date() -> None:
    text = "Vilnius suspended its embassy on Wednesday, weeks after Beijing downgraded relations."
    found = dating(text, "downgraded", published="2021-12-15")
    assert found is not None and found.assumed
    assert edtfs(found) == ["2021-10-20/2021-12-08"]  # one to eight weeks before
    text = "Oslo closed the office on 10 March, two days after Minsk expelled its envoy."
    found = dating(text, "expelled")
    assert found is not None and not found.assumed and edtfs(found) == ["2025-03-08"]
    text = "Oslo closed the office on 10 March, shortly before Minsk expelled its envoy."
    assert edtfs(dating(text, "expelled")) == ["2025-03-10/2025-03-13"]


def test_a_done_action_with_only_a_past_effective_span_is_dated_by_its_start() -> None:
    text = (
        "Our embassy already suspended visa interviews from August 23 to September 1, "
        "after the staff cuts Moscow ordered last month."
    )
    found = dating(text, "suspended", published="2017-08-31")
    assert found is not None and edtfs(found) == ["2017-08-23"]
    assert found.effective is not None and found.effective.edtf == "2017-08-23"


def test_an_action_the_clause_answers_lies_before_its_date() -> None:
    text = "Accra summoned the envoy on Wednesday to protest the expulsion of two diplomats."
    found = dating(text, "expulsion")
    assert found is not None and edtfs(found) == ["2024-03-19/2025-03-19"]
    answered = "Lima expelled ten diplomats on Monday in retaliation for the closure of its office."
    assert edtfs(dating(answered, "closure")) == ["2024-03-17/2025-03-17"]


def test_an_answered_action_with_its_own_date_after_it_keeps_that_date() -> None:
    text = "Accra protested on Wednesday over the expulsion of two diplomats on Monday."
    assert edtfs(dating(text, "expulsion")) == ["2025-03-17"]


def test_a_date_in_what_a_step_answers_is_not_the_steps() -> None:
    """'In response to the decisions of 11 March, X decided to ...': 11 March is the
    decisions'; the step is dated otherwise (here: the article's day, said in the present
    perfect)."""
    phrasings = [
        ("In response to the expulsions announced on 11 March, Oslo has expelled two.", "expelled"),
        ("Oslo has expelled two in retaliation for the closure ordered on 11 March.", "expelled"),
        ("Oslo has closed the consulate, as an answer to the decision of 11 March.", "closed"),
        ("In reply to Bern's decision of Tuesday, Oslo has recalled its ambassador.", "recalled"),
    ]
    for text, trigger in phrasings:
        assert edtfs(dating(text, trigger)) == ["2025-03-21"], text


def test_a_step_told_inside_the_answered_phrase_keeps_its_date() -> None:
    """'as answer to the decision of March 16 to close the consulate': the closing is
    what is answered, and March 16 is its date."""
    text = "Moscow withdrew consent, as answer to the decision of March 16 to close the consulate."
    assert edtfs(dating(text, "close the")) == ["2025-03-16"]
