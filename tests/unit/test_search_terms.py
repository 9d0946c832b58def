"""A search's words are data, and a hit's marks point into its text exactly (no store)."""

from __future__ import annotations

import pytest
from chancery.domain.errors import ArgumentError
from chancery.projections.search import (
    MARK_END,
    MARK_START,
    MAX_QUERY_CHARACTERS,
    MAX_TERMS,
    marked,
    query_terms,
)
from chancery.terminal.search import CLOSE_MARK, OPEN_MARK, with_marks
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    "query, terms",
    [
        ("Undeclared intelligence OFFICERS", ["undeclared", "intelligence", "officers"]),
        ('"NEAR(a, b)" * -c :d', ["near", "a", "b", "c", "d"]),
        ("x AND y OR z NOT w", ["x", "and", "y", "or", "z", "not", "w"]),
        ("snake_case o'clock e-mail", ["snake", "case", "o", "clock", "e", "mail"]),
        ("Moskva Москва Москва 北京", ["moskva", "москва", "北京"]),
        ("20 diplomats, 2021", ["20", "diplomats", "2021"]),
    ],
)
def test_words_become_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


@given(st.text(max_size=200))
def test_any_text_gives_plain_words_or_a_usage_error(query: str) -> None:
    try:
        terms = query_terms(query)
    except ArgumentError:
        return
    assert 1 <= len(terms) <= MAX_TERMS
    assert len(set(terms)) == len(terms)
    # Nothing a store could read as syntax: no quote, space, operator character or empty term.
    assert all(term and not set(term) & set('"* -:()^{}[]') for term in terms)


def test_bounds() -> None:
    with pytest.raises(ArgumentError, match="at most"):
        query_terms("a" * (MAX_QUERY_CHARACTERS + 1))
    with pytest.raises(ArgumentError, match=f"at most {MAX_TERMS}"):
        query_terms(" ".join(f"w{n}" for n in range(MAX_TERMS + 1)))
    with pytest.raises(ArgumentError, match="nothing to search for"):
        query_terms(" *-:() ")


def _highlight(text: str, spans: list[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in spans:
        out += [text[at:start], MARK_START, text[start:end], MARK_END]
        at = end
    return "".join([*out, text[at:]])


@given(st.text(max_size=60), st.data())
def test_marks_point_into_the_text(text: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6, unique=True)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    result = marked(_highlight(text, spans), text)
    assert result.text == text
    if MARK_START in text or MARK_END in text:
        assert result.marks == []
        return
    assert [text[a:b] for a, b in result.marks] == [text[a:b] for a, b in spans]


def test_a_highlight_that_is_not_the_text_marks_nothing() -> None:
    assert marked(f"{MARK_START}other{MARK_END}", "text").marks == []
    assert marked(f"{MARK_START}text", "text").marks == []
    assert marked(None, "text").marks == []


def test_touching_marks_are_joined_and_shown_between_brackets() -> None:
    text = "eight undeclared officers"
    result = marked(_highlight(text, [(6, 16), (16, 17), (17, 25)]), text)
    assert result.marks == [(6, 25)]
    assert with_marks(result) == f"eight {OPEN_MARK}undeclared officers{CLOSE_MARK}"
