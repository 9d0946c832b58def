"""Kinds of miss engineers found with their own trial sentences: diplomats counted by their
plural demonym ("expelling two Estonians", "ordered three Russians to leave"). The texts are
the project's own, about an Estonia – Russia pair declared by code with no aliases."""

from __future__ import annotations

from chancery.domain.dates import UncertainDate
from chancery.domain.parties import Channel, Party
from chancery.extraction.extract import Article, extract
from chancery.extraction.mentions import Lexicon

PARTIES = [Party.model_validate({"code": c}) for c in ("EE", "RU")]


def _embassy(sending: str, receiving: str, city: str) -> Channel:
    return Channel.model_validate(
        {"kind": "embassy", "sending": sending, "receiving": receiving, "city": city}
    )


CHANNELS = [_embassy("EE", "RU", "Moscow"), _embassy("RU", "EE", "Tallinn")]
LEXICON = Lexicon.build({c.slug: c for c in CHANNELS}, {p.slug: p for p in PARTIES})


def _proposed(text: str) -> list[tuple[str, str, int | None]]:
    article = Article(text, "report.txt", UncertainDate(edtf="2024-02-07"))
    return sorted((p.type, p.channel, p.count) for p in extract(article, LEXICON))


def test_diplomats_counted_by_their_plural_demonym_serve_at_their_embassy() -> None:
    in_moscow, in_tallinn = "estonia-embassy-russia", "russia-embassy-estonia"
    for sentence, post, count in (
        ("Moscow responded on Wednesday by expelling two Estonians.", in_moscow, 2),
        ("Tallinn ordered three Russians to leave the country by Friday.", in_tallinn, 3),
        ("Russia declared four Estonians persona non grata on Wednesday.", in_moscow, 4),
        ("Estonia expelled 5 Russians from the embassy on Wednesday.", in_tallinn, 5),
    ):
        assert _proposed(sentence) == [("accreditation_withdrawn", post, count)], sentence


def test_a_demonym_not_counted_or_people_not_expelled_name_no_post() -> None:
    for sentence in (
        "Three Russians were arrested in Tallinn on Wednesday.",
        "Many Estonians protested outside the Russian embassy on Wednesday.",
        "Two Estonians were among the guests at the Russian embassy on Wednesday.",
    ):
        assert [p for p in _proposed(sentence) if p[2] is not None] == [], sentence


CONSULATE = Channel.model_validate(
    {"kind": "consulate-general", "sending": "RU", "receiving": "EE", "city": "Narva"}
)
WITH_CONSULATE = Lexicon.build(
    {c.slug: c for c in [*CHANNELS, CONSULATE]}, {p.slug: p for p in PARTIES}
)


def _dated(text: str) -> list[tuple[str, str]]:
    article = Article(text, "report.txt", UncertainDate(edtf="2024-02-07"))
    return sorted((p.type, p.date.edtf) for p in extract(article, WITH_CONSULATE))


def test_a_state_that_no_longer_consents_to_a_post_withdraws_its_consent_that_day() -> None:
    for sentence in (
        "Estonia no longer consents to the Russian consulate general in Narva operating, the"
        " ministry said on Wednesday.",
        "Tallinn said on Wednesday it no longer agrees to host the Russian consulate in Narva.",
        "Estonia said on Wednesday that it no longer agreed to the consulate in Narva operating.",
    ):
        assert ("post_consent_withdrawn", "2024-02-07") in _dated(sentence), sentence
    for sentence in (
        "Estonia has never agreed to host a Russian consulate in Narva.",
        "Estonia would no longer agree to host the Russian consulate in Narva if it went on.",
    ):
        assert _dated(sentence) == [], sentence


def test_the_day_time_is_given_until_is_a_deadline_not_a_day_gone_by() -> None:
    for sentence in (
        "Estonia withdrew its consent to the Russian consulate in Narva on Wednesday, giving"
        " its staff until the end of June to leave.",
        "Estonia withdrew its consent to the Russian consulate in Narva on Wednesday and gave"
        " the consul until 1 March to wind up.",
    ):
        assert ("post_consent_withdrawn", "2024-02-07") in _dated(sentence), sentence
        assert all(not d.startswith("2023") for _, d in _dated(sentence)), sentence


def test_a_post_told_to_wind_down_or_cease_its_work_is_closed_the_day_it_is_told() -> None:
    for sentence in (
        "The Russian consulate general in Narva has been ordered to wind down its work by the"
        " end of the month, the ministry in Tallinn said on Wednesday.",
        "The Russian consulate general in Narva was told by Tallinn on Wednesday to cease its"
        " activities by 1 March.",
        "Estonia told the Russian consulate in Narva on Wednesday to cease its work within a"
        " month.",
        "Estonia on Wednesday ordered the consulate in Narva to wind down its operations.",
    ):
        assert _dated(sentence) == [("post_closed", "2024-02-07")], sentence
    told = "The minister told reporters on Wednesday that Estonia had closed the Russian consulate."
    assert [t for t, d in _dated(told) if d != "2024-02-07"] == ["post_closed"]


def _actors(text: str) -> list[tuple[str, str]]:
    article = Article(text, "report.txt", UncertainDate(edtf="2024-02-07"))
    return sorted((p.type, p.actor) for p in extract(article, WITH_CONSULATE))


def test_the_party_that_announces_after_the_clause_acts_where_the_clause_names_no_doer() -> None:
    for sentence in (
        "The Russian consulate general in Narva will close, Tallinn announced on Wednesday.",
        "The Russian consulate in Narva must close within a month, the Foreign Ministry in"
        " Tallinn said on Wednesday.",
        "The Russian consulate in Narva is to be shut, the Estonian foreign ministry stated.",
        "The Russian consulate general in Narva was told by Tallinn on Wednesday to cease its"
        " work.",
    ):
        assert _actors(sentence) == [("post_closed", "estonia")], sentence
    own = "Russia closed its consulate general in Narva, Estonia said on Wednesday."
    assert _actors(own) == [("post_closed", "russia")]


def _returned(text: str, published: str = "2026-01-20") -> list[tuple[str, str]]:
    article = Article(text, "report.txt", UncertainDate(edtf=published))
    return sorted(
        (p.channel, p.date.edtf)
        for p in extract(article, LEXICON)
        if p.type == "head_of_mission_returned"
    )


def test_the_envoy_returning_in_a_month_goes_on_from_the_paragraphs_dated_story() -> None:
    home = "estonia-embassy-russia"
    for text in (
        "In the spring of 2024, Estonia recalled its ambassador from Moscow for two months after"
        " Russian ministers accused Tallinn of backing smugglers, and the envoy returned only in"
        " December, when the two presidents met at a summit.\n",
        "Estonia recalled its ambassador from Moscow in the spring of 2024; the envoy returned in"
        " December.\n",
        "Tallinn recalled its ambassador from Moscow in the spring of 2024.\n\nThe envoy returned"
        " only in December, after the ministers met.\n",
    ):
        assert _returned(text) == [(home, "2024-12")], text
    later = (
        "Tallinn recalled its ambassador from Moscow in the spring of 2024.\n\nTrade fell.\n\n"
        "The envoy returned in December.\n"
    )
    assert _returned(later) == [(home, "2025-12")]  # two paragraphs on: of the article's time


def test_a_head_of_mission_going_home_returns_to_no_post() -> None:
    for text in (
        "Russia recalled its ambassador from Tallinn on Tuesday.\n\nThe ambassador, a former"
        " deputy minister who took up the post in 2023, flew back to Moscow that night.\n",
        "Russia's ambassador in Tallinn went back home to Russia on Tuesday at the end of his"
        " posting.\n",
        "The Russian ambassador, who had taken up the post in 2021, returned to Moscow on"
        " Tuesday.\n",
    ):
        assert _returned(text) == [], text
    back = "Russia recalled its ambassador from Tallinn in May. He flew back to Tallinn on Tuesday."
    assert _returned(back, "2025-10-17") == [("russia-embassy-estonia", "2025-10-14")]


def test_the_ambassador_is_the_one_last_named_whatever_posts_are_named_between() -> None:
    text = (
        "Russia recalled its ambassador from Tallinn on Monday, and Moscow expelled three"
        " Estonian diplomats the same day.\n\nThe ambassador flew back to Tallinn on Tuesday.\n"
    )
    assert _returned(text, "2025-10-17") == [("russia-embassy-estonia", "2025-10-14")]


def test_time_given_the_staff_of_a_post_whose_consent_is_withdrawn_is_no_expulsion() -> None:
    for sentence in (
        "Estonia withdrew its consent to the Russian consulate in Narva on Wednesday, giving"
        " its staff until the end of June to leave.",
        "Estonia no longer consents to the Russian consulate in Narva, the ministry said on"
        " Wednesday, and gave the consulate's staff a month to leave.",
    ):
        assert [t for t, _ in _dated(sentence)] == ["post_consent_withdrawn"], sentence
    both = (
        "Estonia withdrew its consent to the Russian consulate in Narva on Wednesday and"
        " expelled two Russians from the embassy."
    )
    assert [t for t, _ in _dated(both)] == ["accreditation_withdrawn", "post_consent_withdrawn"]


def test_each_decision_of_a_statements_colon_list_is_its_own_of_the_statements_day() -> None:
    for text in (
        "Moscow, 7 February 2024\n\nThe Russian side has decided: to declare two employees of"
        " the Estonian Embassy in Moscow persona non grata; to reduce the staff of the Estonian"
        " Embassy to ten persons.\n",
        "Moscow, 7 February 2024\n\nThe Russian Foreign Ministry has taken the following"
        " decisions:\n- to declare two staff of the Estonian Embassy persona non grata;\n- to"
        " limit the staff of the Estonian Embassy in Moscow to ten persons.\n",
    ):
        assert _dated(text) == [
            ("accreditation_withdrawn", "2024-02-07"),
            ("staff_cap_changed", "2024-02-07"),
        ], text
    listed = (
        "TALLINN, 7 February 2024\n\nThe Government of Estonia has decided the following: to"
        " expel three diplomats of the Russian Embassy in Tallinn; to withdraw its consent to"
        " the Russian consulate general in Narva.\n"
    )
    assert _dated(listed) == [
        ("accreditation_withdrawn", "2024-02-07"),
        ("post_consent_withdrawn", "2024-02-07"),
    ]
