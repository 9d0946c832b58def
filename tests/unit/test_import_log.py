"""The import log's small rules: who an import is logged as, the ids a retraction takes, and
how an amendment's target is read from its stored JSON."""

from __future__ import annotations

import re

import pytest
from chancery.application.importlog import current_user, retraction_id
from chancery.domain.actions import AMENDMENT_TYPES
from chancery.domain.errors import ChanceryError
from chancery.storage.importlog import TARGET_FIELDS, references_in


def test_chancery_user_names_the_importer_and_is_held_to_the_text_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHANCERY_USER", "  desk 7  ")
    assert current_user() == "desk 7"
    monkeypatch.setenv("CHANCERY_USER", "evil\u202eresu")
    with pytest.raises(ChanceryError, match="CHANCERY_USER: character 5"):
        current_user()
    monkeypatch.setenv("CHANCERY_USER", "")
    assert current_user()  # the operating-system user, or the uid where there is none


def test_a_retraction_id_is_a_slug_of_at_most_120_characters_and_unique_per_event() -> None:
    short = retraction_id(3, "met-1")
    assert short == "import-3-retracts-met-1"
    long_ids = ["x" * 110 + "-a", "x" * 110 + "-b"]
    taken = {retraction_id(12, event_id) for event_id in long_ids}
    assert len(taken) == 2
    for taken_id in taken:
        assert len(taken_id) <= 120
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", taken_id)


def test_every_amendment_type_names_its_event_by_the_field_the_log_reads() -> None:
    assert set(TARGET_FIELDS) == set(AMENDMENT_TYPES)
    for tag, field_name in TARGET_FIELDS.items():
        assert field_name in AMENDMENT_TYPES[tag].model_fields, tag


def test_answers_and_amendments_are_found_in_stored_json_and_other_lists_are_not() -> None:
    ids = {"met-1"}
    answer = {"id": "a", "type": "meeting_held", "channel": "c", "in_response_to": "met-1"}
    corrected = {
        "id": "fix",
        "type": "correction",
        "corrects": "other",
        "replacement": {"id": "other", "channel": "c", "in_response_to": "met-1"},
    }
    disputed_action = {"id": "b", "type": "meeting_held", "channel": "c", "disputes": []}
    refined = {"id": "r", "type": "refinement", "channel": "c", "refines": "met-1"}
    found = [
        (r.event_id, r.kind, r.names)
        for entry in (answer, corrected, disputed_action, refined)
        for r in references_in(entry, ids)
    ]
    assert found == [
        ("a", "answers", "met-1"),
        ("fix", "answers", "met-1"),
        ("r", "refines", "met-1"),
    ]
