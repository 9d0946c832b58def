"""Councils, cooperation and other channels of a pair as reports name them: without the pair
that opens their declared name, and "the council" as the channel its last sentence was about.
The texts are the project's own, about a European Union – China pair declared by code with
no aliases."""

from __future__ import annotations

from chancery.domain.parties import Channel, Party
from chancery.extraction.mentions import Lexicon

PARTIES = [Party.model_validate({"code": c}) for c in ("EU", "CN")]


def _pair(slug: str, name: str, kind: str) -> Channel:
    return Channel.model_validate(
        {"slug": slug, "name": name, "kind": kind, "parties": ["EU", "CN"]}
    )


CHANNELS = [
    _pair("eu-cn-joint-committee", "EU-China Joint Committee", "council"),
    _pair("eu-cn-strategic-council", "EU–China Strategic Council", "council"),
    _pair("eu-cn-summit", "EU-China Summit", "council"),
    _pair("eu-cn-cooperation", "EU-China practical cooperation", "cooperation"),
]
LEXICON = Lexicon.build({c.slug: c for c in CHANNELS}, {p.slug: p for p in PARTIES})


def _named(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.slug) for m in LEXICON.channel_mentions(text)]


def test_a_pair_channel_is_named_without_the_pair_that_opens_its_name() -> None:
    text = "The Joint Committee met in Beijing; the envoys spoke of practical cooperation."
    assert _named(text) == [
        ("Joint Committee", "eu-cn-joint-committee"),
        ("practical cooperation", "eu-cn-cooperation"),
    ]


def test_one_word_left_after_the_pair_is_no_name() -> None:
    assert _named("The summit season began in Brussels.") == []


def test_the_council_is_the_one_its_last_sentence_was_about() -> None:
    text = (
        "The EU-China Strategic Council was established today, replacing the Joint Committee. "
        "The council held its first meeting at once."
    )
    named = _named(text)
    assert named[-1] == ("The council", "eu-cn-strategic-council")
    assert ("Joint Committee", "eu-cn-joint-committee") in named


def test_the_council_later_in_the_same_sentence_is_the_last_named() -> None:
    text = "After the Joint Committee had met, the council adjourned."
    assert _named(text)[-1] == ("the council", "eu-cn-joint-committee")
