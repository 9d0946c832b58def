"""Search and the `events` filters, on both stores: the full-text index the read model keeps
(built on import, kept current by the catch-up, rebuilt by `reindex`, checked by `verify`),
queries whose words are data, and filters answered by the read model's query."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from chancery.application.ledger import Ledger
from chancery.domain.errors import ArgumentError, ChanceryError
from chancery.projections.search import SearchResult
from chancery.storage.search import SEARCH
from chancery.storage.store import is_sqlite

from tests.conftest import POSTGRES_SERVER, Locations, event

PHRASE = "undeclared intelligence officers"


def _search(location: str, words: str, **options: Any) -> SearchResult:
    with Ledger.open(location) as ledger:
        return ledger.search(words, **options)


def _marked_words(result: SearchResult) -> set[str]:
    return {
        hit.text.text[start:end].lower() for hit in result.hits for start, end in hit.text.marks
    }


def test_the_phrase_finds_the_6_october_2021_expulsion(bundled_location: str) -> None:
    result = _search(bundled_location, PHRASE)
    assert result.hits
    first = result.hits[0]
    assert (first.date, first.type) == ("2021-10-06", "accreditation_withdrawn")
    assert {hit.event for hit in result.hits} == {first.event}
    assert _marked_words(result) == set(PHRASE.split())
    for hit in result.hits:
        assert all(word in hit.text.text.lower() for word in PHRASE.split())
        if hit.field == "quote":
            assert hit.source and hit.published
    with Ledger.open(bundled_location) as ledger:
        event_ids = {e.id for e in ledger.events(start="2021-10-06", end="2021-10-06")}
    assert first.event in event_ids
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_known_at_hides_sources_published_later(bundled_location: str) -> None:
    with Ledger.open(bundled_location) as ledger:
        published = {s.id: s.published_earliest for s in ledger.sources()}
    everything = _search(bundled_location, PHRASE, limit=1000)
    quoted = sorted({published[h.source] for h in everything.hits if h.source})
    first_day = quoted[0]
    day_before = date.fromordinal(first_day.toordinal() - 1)
    assert _search(bundled_location, PHRASE, known_at=day_before).hits == []
    early = _search(bundled_location, PHRASE, known_at=first_day, limit=1000)
    assert early.hits
    assert all(published[h.source] <= first_day for h in early.hits if h.source)
    assert len(early.hits) < len(everything.hits)


def test_channel_and_limit(bundled_location: str) -> None:
    everything = _search(bundled_location, "NATO", limit=1000)
    channels = {hit.channel for hit in everything.hits}
    assert len(channels) > 1
    one = sorted(channels)[0]
    on_one = _search(bundled_location, "NATO", channel=one, limit=1000)
    assert on_one.hits and {hit.channel for hit in on_one.hits} == {one}
    assert len(_search(bundled_location, "NATO", limit=2).hits) == 2
    for limit in (0, 1001):
        with pytest.raises(ArgumentError, match="--limit"):
            _search(bundled_location, "NATO", limit=limit)


@pytest.mark.parametrize(
    "words",
    [
        "NEAR(undeclared intelligence officers, 2)",
        '"undeclared intelligence officers',
        'undeclared* "intelligence" officers"',
        "-undeclared intelligence:officers",
        "(undeclared) {intelligence} [officers]",
        "undeclared ^intelligence officers' %_\\",
        "officers; DROP TABLE chancery_search; -- undeclared intelligence",
        "undeclared AND intelligence OR officers NOT",
    ],
)
def test_query_syntax_is_data(bundled_location: str, words: str) -> None:
    """Every character is data: the words are searched for as words, whatever surrounds them
    (AND, OR, NOT and NEAR are words too: none of these is in a quote of that event)."""
    result = _search(bundled_location, words)  # never raises
    assert set(PHRASE.split()) <= set(result.terms)
    assert all(term.isalnum() for term in result.terms)
    expected = _search(bundled_location, PHRASE).hits[0].event
    operators = {"and", "or", "not", "near", "drop", "table", "chancery_search"}
    if operators.isdisjoint(result.terms) and "search" not in result.terms:
        assert expected in {hit.event for hit in result.hits}


@pytest.mark.parametrize(
    "words", ["", "   ", "*", '""', "- : ( )", "...", " ".join(f"w{n}" for n in range(40))]
)
def test_a_query_without_words_is_a_usage_error(bundled_location: str, words: str) -> None:
    with pytest.raises(ArgumentError):
        _search(bundled_location, words)


def _tamper(location: str, statement: str) -> None:
    if is_sqlite(location):
        with sqlite3.connect(location) as connection:
            connection.execute(statement)
        return
    schema = location.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as connection:
        connection.execute(f'SET search_path TO "{schema}"')
        connection.execute(statement)


def test_the_index_follows_imports_amendments_and_reindex(
    locations: Locations, world: Callable[..., Path]
) -> None:
    location = locations.new()
    cut = event(
        "cut",
        "staff_cap_changed",
        "mission",
        "2021-10-06",
        to_cap=10,
        citations=[
            {"source": "src", "quote": "The alliance halved the mission's staff <b>[x]</b>."}
        ],
        note="Counted by the analyst's own arithmetic.",
    )
    with Ledger.open(location) as ledger:
        ledger.import_files([world(cut)])
        hit = ledger.search("halved").hits[0]
        assert (hit.event, hit.source, hit.outlet) == ("cut", "src", "Wire")
        assert hit.text.text == "The alliance halved the mission's staff <b>[x]</b>."
        assert [hit.text.text[a:b] for a, b in hit.text.marks] == ["halved"]
        assert ledger.search("arithmetic").hits[0].field == "note"
        assert ledger.search("Wire").hits[0].source == "src"  # the outlet is searched
        fix = {
            "id": "fix-cut",
            "type": "correction",
            "corrects": "cut",
            "reason": "the wire misread it",
            "replacement": {
                **cut,
                "citations": [{"source": "late", "quote": "The alliance trimmed the staff."}],
            },
        }
        ledger.import_files([world(fix)])
        assert ledger.search("halved").hits == []
        assert [h.event for h in ledger.search("trimmed").hits] == ["cut"]
        # The correction is known from its own source's day (2022-03-01): before, the event
        # reads as first reported.
        assert [h.event for h in ledger.search("halved", known_at="2022-02-15").hits] == ["cut"]
        assert ledger.search("trimmed", known_at="2022-02-15").hits == []
        drop = {
            "id": "drop-cut",
            "type": "retraction",
            "retracts": "cut",
            "channel": "mission",
            "reason": "never happened",
        }
        ledger.import_files([world(drop)])
        assert ledger.search("trimmed").hits == []
        assert ledger.verify().problems == []
        ledger.reindex()
        assert ledger.search("trimmed").hits == []
        assert ledger.verify().problems == []


def test_verify_notices_an_index_that_disagrees(
    locations: Locations, world: Callable[..., Path]
) -> None:
    location = locations.new()
    record = event("meet", "meeting_held", "council", "2021-01-12")
    with Ledger.open(location) as ledger:
        ledger.import_files([world(record)])
    _tamper(location, f"UPDATE {SEARCH} SET text = 'something else'")
    with Ledger.open(location) as ledger:
        problems = ledger.verify().problems
        assert any("search rows" in p for p in problems), problems
        ledger.reindex()
        assert ledger.verify().problems == []
        assert ledger.search("quote").hits
    if is_sqlite(location):  # the FTS5 index itself, apart from its rows
        _tamper(
            location,
            "INSERT INTO chancery_search_text (chancery_search_text, rowid, text, outlet) "
            f"SELECT 'delete', id, text, outlet FROM {SEARCH}",
        )
        with Ledger.open(location) as ledger:
            assert any("full-text index" in p for p in ledger.verify().problems)


def test_a_ledger_whose_import_was_cut_before_its_catch_up_has_no_index_damage(
    tmp_path: Path,
) -> None:
    """An import killed between its commit and its read model's catch-up leaves events and no
    read model tables: the next query folds them in memory, and the full-text check has no
    index to judge (it once called the missing table damage)."""
    from chancery.importing.dataset import load_file
    from chancery.importing.plan import import_files
    from chancery.seeds import bundled_paths
    from chancery.storage.readmodel import ReadModel
    from chancery.storage.store import open_ledger

    location = str(tmp_path / "ledger.sqlite")
    with open_ledger(location, create=True) as ledger:
        import_files(ledger, [load_file(path) for path in bundled_paths()])
    with open_ledger(location, create=False) as ledger:
        assert ReadModel(ledger, read_only=True).problems() == []


def test_a_read_model_behind_the_events_is_searched_in_memory(
    locations: Locations, world: Callable[..., Path]
) -> None:
    """A query never writes: the channels whose rows lag the events (an import killed before
    its catch-up) are folded in memory and searched there."""
    location = locations.new()
    with Ledger.open(location) as ledger:
        ledger.import_files([world(event("meet", "meeting_held", "council", "2021-01-12"))])
    from chancery.importing.dataset import load_file
    from chancery.importing.plan import import_files
    from chancery.storage.store import open_ledger

    writer = open_ledger(location, create=True)
    try:
        late = event(
            "late-meet",
            "meeting_held",
            "council",
            "2021-02-12",
            citations=[{"source": "src", "quote": "They met again in haste."}],
        )
        import_files(writer, [load_file(world(late))])  # no catch-up: the read model lags
    finally:
        writer.close()
    assert [h.event for h in _search(location, "haste").hits] == ["late-meet"]
    assert [h.event for h in _search(location, "quote").hits] == ["meet"]


# -- events filters ------------------------------------------------------------------------


def _events(location: str, **filters: Any) -> list[Any]:
    with Ledger.open(location) as ledger:
        return ledger.events(**filters)


def test_each_filter_keeps_what_it_names(bundled_location: str) -> None:
    every = _events(bundled_location)
    some_type = every[0].type
    assert [e.id for e in _events(bundled_location, action_type=some_type)] == [
        e.id for e in every if e.type == some_type
    ]
    said = some_type.replace("_", " ").upper()
    assert _events(bundled_location, action_type=said) == _events(
        bundled_location, action_type=some_type
    )
    assert [e.id for e in _events(bundled_location, actor="RU")] == [
        e.id for e in every if e.actor == "russia"
    ]
    assert [e.id for e in _events(bundled_location, party="NATO")] == [
        e.id for e in every if "nato" in (e.actor, e.target)
    ]
    cited = every[-1].citations[0].source
    assert [e.id for e in _events(bundled_location, source=cited)] == [
        e.id
        for e in every
        if cited
        in {c.source for c in e.citations}
        | {s for r in e.reasons for s in r.sources}
        | {s for d in e.disputes for c in d.claims for s in c.sources}
    ]
    channel = next(e.channel for e in _events(bundled_location, start="2021") if e.actor == "nato")
    combined = _events(bundled_location, channel=channel, actor="nato", start="2021")
    assert combined and [e.id for e in combined] == [
        e.id for e in _events(bundled_location, channel=channel, start="2021") if e.actor == "nato"
    ]


def test_a_type_named_in_the_views_words(bundled_location: str) -> None:
    from chancery.domain.actions import ACTION_TYPES

    every = _events(bundled_location)
    kind = ACTION_TYPES[every[0].type]
    same_words = {n for n, k in ACTION_TYPES.items() if k.summary == kind.summary}
    assert [e.id for e in _events(bundled_location, action_type=kind.summary)] == [
        e.id for e in every if e.type in same_words
    ]


def test_filters_known_at(bundled_location: str) -> None:
    cited = _events(bundled_location)[-1].citations[0]
    with Ledger.open(bundled_location) as ledger:
        day = next(s.published_earliest for s in ledger.sources() if s.id == cited.source)
    before = date.fromordinal(day.toordinal() - 1)
    assert _events(bundled_location, source=cited.source, known_at=before) == []
    assert _events(bundled_location, source=cited.source, known_at=day)


@pytest.mark.parametrize(
    "filters, complaint",
    [
        ({"action_type": "meetng held"}, "(did you mean 'meeting_held'?)"),
        ({"action_type": "nothing like it"}, "is not an action type"),
        ({"actor": "rusia"}, "(did you mean 'russia'?)"),
        ({"party": "RUS"}, "no party 'RUS'"),
        ({"source": "sputnik-2021-10-7"}, "(did you mean 'sputnik-2021-10-07'?)"),
    ],
)
def test_unknown_filter_values_are_usage_errors(
    bundled_location: str, filters: dict[str, str], complaint: str
) -> None:
    with pytest.raises(ArgumentError) as raised:
        _events(bundled_location, **filters)
    assert complaint in str(raised.value)
    assert isinstance(raised.value, ChanceryError)


def test_a_read_model_of_an_older_layout_is_laid_out_again(
    locations: Locations, world: Callable[..., Path]
) -> None:
    """A ledger whose read model an older release wrote (no search index, readings without
    the filters' columns, another format) is answered by its first query as a new one is:
    the tables are dropped and folded again, not kept in their old layout."""
    location = locations.new()
    record = event("meet", "meeting_held", "council", "2021-01-12")
    with Ledger.open(location) as ledger:
        ledger.import_files([world(record)])
    old_layout = (
        ["DROP INDEX chancery_versions_target", "DROP TABLE chancery_search_text"]
        if is_sqlite(location)
        else []
    )
    for statement in [
        *old_layout,
        "ALTER TABLE chancery_versions DROP COLUMN target",
        f"DROP TABLE {SEARCH}",
        "UPDATE chancery_read_position SET position = 1 WHERE name = 'format'",
    ]:
        _tamper(location, statement)
    with Ledger.open(location) as ledger:
        assert [h.event for h in ledger.search("quote").hits] == ["meet"]
        assert [e.id for e in ledger.events(party="RU")] == []
        assert [e.id for e in ledger.events(action_type="meeting held")] == ["meet"]
    with Ledger.open(location) as ledger:
        assert ledger.verify().problems == []
