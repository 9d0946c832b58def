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
