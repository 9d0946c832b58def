"""The command line's grammar apart from the parser: one channel named two ways, and a
completion that offers nothing rather than fail or wait."""

from __future__ import annotations

import threading

import pytest
from chancery.domain.errors import ArgumentError
from chancery.terminal import arguments
from chancery.terminal.arguments import completions, one_channel
from chancery.terminal.failures import USAGE_EXIT, exit_code_of


def test_a_channel_is_taken_from_either_form_and_both_must_agree() -> None:
    assert one_channel("a", None) == one_channel(None, "a") == one_channel("a", "a") == "a"
    with pytest.raises(ArgumentError, match="two channels named"):
        one_channel("a", "b")
    with pytest.raises(ArgumentError, match="--channel"):
        one_channel(None, None)
    assert exit_code_of(ArgumentError("x")) == USAGE_EXIT


def test_completion_keeps_the_names_that_start_with_the_word_each_once() -> None:
    found = ["nato-russia-council", "russia-mission", "nato-office", "nato-office"]
    assert completions(lambda: found, "nato") == ["nato-russia-council", "nato-office"]
    assert completions(lambda: found, "") == [
        "nato-russia-council",
        "russia-mission",
        "nato-office",
    ]


def test_completion_offers_nothing_when_the_lookup_fails() -> None:
    def broken() -> list[str]:
        raise OSError("no such ledger")

    assert completions(broken, "") == []


def test_completion_offers_nothing_when_the_ledger_does_not_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(arguments, "COMPLETION_SECONDS", 0.05)
    never = threading.Event()

    def hanging() -> list[str]:
        never.wait()
        return ["late"]

    try:
        assert completions(hanging, "") == []
    finally:
        never.set()
