"""Imports are atomic and idempotent, and every refusal says where the fault is.

An analyst re-runs imports, fixes files by hand and feeds the ledger whatever a colleague sent:
re-importing must add nothing, a bad record must leave the ledger untouched, and the message
must name the file, the record and the field (or line) to fix.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import chancery.importing.dataset
import pytest
import yaml
from chancery.domain.errors import ConflictingRecordError, InvalidRecordError, InvariantViolation
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.projections.events import list_events
from chancery.storage.ledger import Ledger
from chancery.storage.readmodel import ReadModel

from tests.conftest import BASE_DECLARATIONS, contents, event

World = Callable[..., Path]
WriteFile = Callable[..., Path]

CUT = event("cut", "staff_cap_changed", "mission", "2021-10-06", from_cap=20, to_cap=10)
MEETING = event("met", "meeting_held", "council", "2021-10-06", target="russia")
SUSPENSION = event("suspended", "mission_suspended", "mission", "2021-10-18")


def do_import(ledger: Ledger, *paths: Path) -> Any:
    return import_files(ledger, [load_file(path) for path in paths])


def snapshot(ledger: Ledger) -> dict[str, Any]:
    """Everything recorded (with recording times), to prove an import wrote nothing."""
    held = contents(ledger)
    return {
        "parties": sorted(held.parties),
        "channels": sorted(held.channels),
        "sources": sorted(held.sources),
        "entries": {
            k: [(e.entry.model_dump(), e.digest) for e in v] for k, v in held.entries.items()
        },
    }


def recorded_ids(ledger: Ledger) -> set[str]:
    return {e.entry.id for entries in contents(ledger).entries.values() for e in entries}


def declarations_text(*events_yaml: str) -> str:
    """The synthetic declarations as YAML text, followed by hand-written event records."""
    head = yaml.safe_dump({k: v for k, v in BASE_DECLARATIONS.items()}, sort_keys=False)
    return head + "events:\n" + "".join(events_yaml)


def line_of(text: str, needle: str) -> int:
    """1-based line number of the first line containing `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# --------------------------------------------------------------------------- idempotence


def test_first_import_reports_what_it_added(ledger: Ledger, world: World) -> None:
    report = do_import(ledger, world(CUT, MEETING))
    assert dict(report.added) == {"parties": 2, "channels": 5, "sources": 2, "events": 2}
    assert report.total_added == 11
    assert dict(report.unchanged) == {}
    assert recorded_ids(ledger) == {"cut", "met"}


def test_reimporting_the_same_file_adds_nothing(ledger: Ledger, world: World) -> None:
    path = world(CUT, MEETING)
    do_import(ledger, path)
    before = snapshot(ledger)
    report = do_import(ledger, path)
    assert dict(report.added) == {}
    assert report.total_added == 0
    assert dict(report.unchanged) == {"parties": 2, "channels": 5, "sources": 2, "events": 2}
    assert snapshot(ledger) == before, "not even the recording times may change"


def test_json_and_yaml_of_the_same_records_are_the_same_content(
    ledger: Ledger, write_file: WriteFile
) -> None:
    content = {**BASE_DECLARATIONS, "events": [CUT]}
    do_import(ledger, write_file(content, ".yaml"))
    report = do_import(ledger, write_file(content, ".json"))
    assert report.total_added == 0
    assert report.unchanged["events"] == 1


@pytest.mark.parametrize(
    "long_form",
    [
        {"edtf": "2021-10-06"},
        {"edtf": "2021-10-06", "earliest": "2021-10-06", "latest": "2021-10-06"},
    ],
)
def test_short_and_long_date_forms_are_the_same_content(
    ledger: Ledger, world: World, long_form: dict[str, str]
) -> None:
    """'2021-10-06' and {edtf: '2021-10-06'} must not count as a conflicting edit."""
    do_import(ledger, world(CUT))
    before = snapshot(ledger)
    report = do_import(ledger, world({**CUT, "date": long_form}))
    assert report.total_added == 0
    assert report.unchanged["events"] == 1
    assert snapshot(ledger) == before


def test_unquoted_yaml_date_is_the_same_content_as_a_quoted_one(
    ledger: Ledger, write_file: WriteFile
) -> None:
    """YAML reads `date: 2021-10-06` as a date object; it is the same record as the string."""
    record = (
        "  - id: cut\n    type: staff_cap_changed\n    channel: mission\n    actor: nato\n"
        "    date: {date}\n    from_cap: 20\n    to_cap: 10\n"
        "    citations:\n      - source: src\n        quote: cut quote\n"
    )
    do_import(ledger, write_file(declarations_text(record.format(date='"2021-10-06"'))))
    report = do_import(ledger, write_file(declarations_text(record.format(date="2021-10-06"))))
    assert report.total_added == 0


def test_the_same_event_in_two_files_of_one_import_is_added_once(
    ledger: Ledger, world: World
) -> None:
    """Declarations repeated across files of one import are fine; identical events should be too."""
    report = do_import(ledger, world(CUT), world(CUT))
    assert report.added["events"] == 1
    assert recorded_ids(ledger) == {"cut"}


# --------------------------------------------------------------------------- conflicts


def test_same_id_with_other_content_is_refused(ledger: Ledger, world: World) -> None:
    do_import(ledger, world(CUT))
    before = snapshot(ledger)
    changed = world(SUSPENSION, {**CUT, "to_cap": 11})
    with pytest.raises(ConflictingRecordError) as caught:
        do_import(ledger, changed)
    message = str(caught.value)
    assert str(changed) in message
    assert "events[1]" in message
    assert "event id 'cut' is already recorded with different content" in message
    assert "correction" in message, "the message says how to change a recorded event"
    assert snapshot(ledger) == before, "the good suspension in the same file is not written"


def test_same_id_reused_on_another_channel_is_refused(ledger: Ledger, world: World) -> None:
    """Ids are global: a council event cannot reuse the id of a mission event."""
    do_import(ledger, world(CUT))
    with pytest.raises(ConflictingRecordError, match="event id 'cut'"):
        do_import(ledger, world({**MEETING, "id": "cut"}))
    assert recorded_ids(ledger) == {"cut"}


def test_same_id_twice_in_one_file_with_other_content_is_refused(
    ledger: Ledger, world: World
) -> None:
    path = world(CUT, {**CUT, "to_cap": 9})
    with pytest.raises(ConflictingRecordError, match=r"events\[1\].*event id 'cut'"):
        do_import(ledger, path)
    assert ledger.is_empty()


def test_changed_declaration_is_refused(ledger: Ledger, world: World) -> None:
    do_import(ledger, world())
    declarations = copy.deepcopy(BASE_DECLARATIONS)
    declarations["parties"][1]["name"] = "Russia"
    with pytest.raises(ConflictingRecordError) as caught:
        do_import(ledger, world(**declarations))
    assert "parties[1]" in str(caught.value)
    assert "'russia' is already in the ledger with different content" in str(caught.value)
    assert contents(ledger).parties["russia"].name == "Russian Federation"


# --------------------------------------------------------------------------- atomicity


def test_one_bad_event_keeps_the_good_one_out(ledger: Ledger, world: World) -> None:
    """All or nothing: a refused record takes the whole file with it."""
    late_cut = event("cut-late", "staff_cap_changed", "mission", "2021-11-01", to_cap=5)
    with pytest.raises(InvariantViolation):
        do_import(ledger, world(MEETING, SUSPENSION, late_cut))
    assert ledger.is_empty()
    assert contents(ledger).entries == {}


def test_bad_second_file_keeps_the_first_file_out(ledger: Ledger, world: World) -> None:
    good = world(CUT, MEETING)
    bad = world(event("lost", "meeting_held", "nowhere", "2021-10-06"))
    with pytest.raises(InvalidRecordError, match="unknown channel 'nowhere'"):
        do_import(ledger, good, bad)
    assert ledger.is_empty()


def test_bad_second_file_keeps_the_first_out_of_an_existing_ledger(
    ledger: Ledger, world: World
) -> None:
    do_import(ledger, world(CUT))
    before = snapshot(ledger)
    good = world(MEETING)
    bad = world({**CUT, "to_cap": 1})
    with pytest.raises(ConflictingRecordError):
        do_import(ledger, good, bad)
    assert snapshot(ledger) == before
    assert "met" not in recorded_ids(ledger)


def test_a_refused_import_can_be_fixed_and_rerun(ledger: Ledger, world: World) -> None:
    late_cut = event("cut-late", "staff_cap_changed", "mission", "2021-11-01", to_cap=5)
    with pytest.raises(InvariantViolation):
        do_import(ledger, world(SUSPENSION, late_cut))
    report = do_import(ledger, world(SUSPENSION, {**late_cut, "date": "2021-10-01"}))
    assert report.added["events"] == 2
    assert recorded_ids(ledger) == {"suspended", "cut-late"}


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("changes", "field", "what"),
    [
        ({"channel": "embassy"}, "channel", "unknown channel 'embassy'"),
        ({"actor": "martians"}, "actor", "unknown party 'martians'"),
        ({"target": "venus"}, "target", "unknown party 'venus'"),
        (
            {"citations": [{"source": "rumour", "quote": "they say"}]},
            "citations.source",
            "unknown source 'rumour'",
        ),
        (
            {
                "reasons": [
                    {"says": "spies", "citations": [{"source": "blog", "quote": "spies"}]},
                ]
            },
            "citations.source",
            "unknown source 'blog'",
        ),
    ],
)
def test_unknown_reference_is_refused_naming_file_record_and_field(
    ledger: Ledger, world: World, changes: dict[str, Any], field: str, what: str
) -> None:
    path = world(MEETING, {**CUT, **changes})
    with pytest.raises(InvalidRecordError) as caught:
        do_import(ledger, path)
    message = str(caught.value)
    assert message.startswith(f"{path}: events[1] (line ")
    assert f"field '{field}': {what}" in message
    assert ledger.is_empty()


def test_unknown_party_in_a_channel_is_refused(ledger: Ledger, world: World) -> None:
    declarations = copy.deepcopy(BASE_DECLARATIONS)
    declarations["channels"].append(
        {"slug": "us-russia", "name": "US–Russia", "kind": "dialogue", "parties": ["us", "russia"]}
    )
    path = world(**declarations)
    with pytest.raises(InvalidRecordError) as caught:
        do_import(ledger, path)
    assert f"{path}: channels[5]" in str(caught.value)
    assert "field 'parties': unknown party 'us'" in str(caught.value)
    assert ledger.is_empty()


def test_channel_host_must_be_one_of_its_parties(ledger: Ledger, world: World) -> None:
    declarations = copy.deepcopy(BASE_DECLARATIONS)
    declarations["channels"][0]["host"] = "belgium"
    with pytest.raises(InvalidRecordError, match="field 'host': 'belgium' is not one of"):
        do_import(ledger, world(**declarations))


def test_events_may_use_declarations_already_in_the_ledger(
    ledger: Ledger, write_file: WriteFile
) -> None:
    """A second file needs no declarations of its own."""
    do_import(ledger, write_file(BASE_DECLARATIONS))
    report = do_import(ledger, write_file({"events": [CUT]}))
    assert dict(report.added) == {"events": 1}


def test_correction_replacement_with_an_unknown_source_is_refused(
    ledger: Ledger, world: World
) -> None:
    do_import(ledger, world(CUT))
    fix = {
        "id": "fix-cut",
        "type": "correction",
        "corrects": "cut",
        "reason": "misreported",
        "replacement": {**CUT, "citations": [{"source": "nosuch", "quote": "twelve"}]},
    }
    with pytest.raises(InvalidRecordError, match="unknown source 'nosuch'"):
        do_import(ledger, world(fix))
    list_events(ReadModel(ledger))  # the ledger must stay readable


# --------------------------------------------------------------------------- loader errors


def test_malformed_yaml_names_the_line(write_file: WriteFile) -> None:
    text = "chancery: 1\nparties:\n  - slug: nato\n    name: [unclosed\n  - slug: russia\n"
    path = write_file(text)
    with pytest.raises(InvalidRecordError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: line ")
    assert "not valid YAML" in message
    assert "line 5" in message, "the flow sequence opened on line 4 breaks on line 5"


def test_yaml_syntax_error_points_to_its_line(write_file: WriteFile) -> None:
    text = "chancery: 1\nsources:\n  - id: src\n    outlet: a: b\n"
    with pytest.raises(InvalidRecordError, match=r"line 4, column \d+: not valid YAML"):
        load_file(write_file(text))


def test_malformed_json_names_line_and_column(write_file: WriteFile) -> None:
    path = write_file('{\n  "chancery": 1,\n  "parties": [,]\n}\n', ".json")
    with pytest.raises(InvalidRecordError) as caught:
        load_file(path)
    assert str(caught.value).startswith(
        f"{path}: line 3, column 15: not valid JSON (Expecting value)"
    )


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_yaml_file_is_refused(write_file: WriteFile, text: str) -> None:
    path = write_file(text)
    with pytest.raises(InvalidRecordError, match="the file is empty"):
        load_file(path)


def test_empty_json_file_is_refused(write_file: WriteFile) -> None:
    path = write_file("", ".json")
    with pytest.raises(
        InvalidRecordError, match=re.escape(f"{path}: line 1, column 1: not valid JSON")
    ):
        load_file(path)


def test_non_utf8_bytes_are_refused_with_the_offending_byte(write_file: WriteFile) -> None:
    path = write_file("chancery: 1\n# Müller\n".encode("latin-1"))
    with pytest.raises(InvalidRecordError) as caught:
        load_file(path)
    assert str(caught.value) == (
        f"{path}: not UTF-8 text (byte 15 is 0xfc); save the file as UTF-8"
    )


@pytest.mark.parametrize(
    ("text", "suffix", "found"),
    [("- a\n- b\n", ".yaml", "list"), ('"just text"', ".json", "str"), ("42\n", ".yaml", "int")],
)
def test_top_level_must_be_a_mapping(
    write_file: WriteFile, text: str, suffix: str, found: str
) -> None:
    with pytest.raises(
        InvalidRecordError, match=f"the top level must be a mapping .* not a {found}"
    ):
        load_file(write_file(text, suffix))


def test_python_tags_are_not_executed(write_file: WriteFile, tmp_path: Path) -> None:
    """Safe loading: an import file must never run code."""
    marker = tmp_path / "pwned"
    text = f"chancery: 1\nnote: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(InvalidRecordError, match="line 2, column 7: not valid YAML"):
        load_file(write_file(text))
    assert not marker.exists()


def test_unknown_top_level_section_is_refused(write_file: WriteFile) -> None:
    with pytest.raises(InvalidRecordError, match=r"unknown top-level key\(s\) 'actions'"):
        load_file(write_file({"chancery": 1, "actions": []}))


def test_unsupported_format_version_is_refused(write_file: WriteFile) -> None:
    with pytest.raises(InvalidRecordError, match="field 'chancery'"):
        load_file(write_file({"chancery": 2}))


def test_file_over_the_size_limit_is_refused_before_parsing(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chancery.importing.dataset, "MAX_FILE_BYTES", 64)
    path = write_file("chancery: 1\n" + "# padding\n" * 10)
    with pytest.raises(InvalidRecordError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}: 112 bytes is larger than the 64 bytes")
    assert "split it into several files" in str(caught.value)


def test_file_at_the_size_limit_is_read(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "chancery: 1\n"
    monkeypatch.setattr(chancery.importing.dataset, "MAX_FILE_BYTES", len(text))
    assert load_file(write_file(text)).dataset.chancery == 1


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidRecordError, match=f"^{re.escape(str(tmp_path))}: is a directory"):
        load_file(tmp_path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(InvalidRecordError, match=f"^{re.escape(str(missing))}: no such file$"):
        load_file(missing)


# --------------------------------------------------------------------------- line numbers


GOOD_RECORD = (
    "  - id: met\n    type: meeting_held\n    channel: council\n    actor: nato\n"
    '    date: "2021-10-06"\n    citations:\n      - source: src\n        quote: met\n'
)


def test_validation_error_points_to_the_line_of_the_bad_field(write_file: WriteFile) -> None:
    bad = (
        "  - id: cut\n    type: staff_cap_changed\n    channel: mission\n    actor: nato\n"
        '    date: "2021-13-40"\n    citations:\n      - source: src\n        quote: cut\n'
    )
    text = declarations_text(GOOD_RECORD, bad)
    path = write_file(text)
    with pytest.raises(InvalidRecordError) as caught:
        load_file(path)
    message = str(caught.value)
    expected = line_of(text, '"2021-13-40"')
    assert f"{path}: events[1] (id 'cut'), line {expected}: field 'date'" in message
    assert "'2021-13-40' is not a valid EDTF date" in message


def test_validation_error_points_to_the_offending_record(write_file: WriteFile) -> None:
    bad = (
        "  - id: cut\n    type: staff_cap_changed\n    channel: mission\n    actor: nato\n"
        '    date: "2021-10-06"\n    to_cap: -4\n'
        "    citations:\n      - source: src\n        quote: cut\n"
    )
    text = declarations_text(GOOD_RECORD, bad)
    with pytest.raises(InvalidRecordError) as caught:
        load_file(write_file(text))
    expected = line_of(text, "to_cap: -4")
    assert f"events[1] (id 'cut'), line {expected}: field 'to_cap'" in str(caught.value)


def test_unknown_reference_names_the_line_of_its_record(
    ledger: Ledger, write_file: WriteFile
) -> None:
    lost = GOOD_RECORD.replace("id: met", "id: lost").replace("council", "embassy")
    text = declarations_text(GOOD_RECORD, lost)
    path = write_file(text)
    with pytest.raises(InvalidRecordError) as caught:
        do_import(ledger, path)
    expected = line_of(text, "id: lost")
    assert str(caught.value).startswith(f"{path}: events[1] (line {expected}): field 'channel'")


def test_unquoted_impossible_yaml_date_is_an_invalid_record(write_file: WriteFile) -> None:
    """PyYAML builds date objects itself; an impossible one must still be a clean refusal."""
    bad = GOOD_RECORD.replace('"2021-10-06"', "2021-02-30")
    text = declarations_text(bad)
    with pytest.raises(InvalidRecordError, match=f"line {line_of(text, '2021-02-30')}"):
        load_file(write_file(text))


def test_loaded_file_remembers_record_lines(write_file: WriteFile) -> None:
    """`where` is what refusals use to send the analyst to the right place."""
    text = declarations_text(GOOD_RECORD, GOOD_RECORD.replace("id: met", "id: met-2"))
    path = write_file(text)
    loaded = load_file(path)
    assert loaded.where("events", 1) == f"{path}: events[1] (line {line_of(text, 'id: met-2')})"
    assert loaded.where("events", 9) == f"{path}: events[9]"
    assert json.loads(json.dumps(loaded.dataset.model_dump(mode="json")))["events"][0]["date"][
        "earliest"
    ] == str(date(2021, 10, 6))


# -------------------------------------------------------------- one action reported twice

EXPULSION = event(
    "expelled-wire",
    "accreditation_withdrawn",
    "mission",
    "2021-10-06",
    count=8,
    target="russia",
)
SECOND_DRAFT = event(
    "expelled-paper",
    "accreditation_withdrawn",
    "mission",
    "2021-10",
    target="russia",
    citations=[{"source": "late", "quote": "The alliance sent eight diplomats home."}],
)


def _refused_twice(ledger: Ledger, *paths: Path) -> str:
    before = snapshot(ledger)
    with pytest.raises(InvariantViolation) as caught:
        do_import(ledger, *paths)
    assert caught.value.rule == "reported-once"
    assert snapshot(ledger) == before, "nothing of a refused import is written"
    return str(caught.value)


def test_two_drafts_of_one_expulsion_in_one_file_are_refused(ledger: Ledger, world: World) -> None:
    path = world(EXPULSION, SECOND_DRAFT)
    message = _refused_twice(ledger, path)
    # The later entry of the file is the second report; the message names both and where.
    assert f"{path}: events[1]" in message and f"{path}: events[0]" in message
    assert "'expelled-paper'" in message and "'expelled-wire' (in this import)" in message
    assert "'corroboration' of 'expelled-wire'" in message and "distinct: true" in message
    assert "\n" not in message


def test_a_second_report_in_another_file_names_the_operation_that_fits(
    ledger: Ledger, world: World
) -> None:
    # The wider, numberless report first: the exact one gives a narrower date and a count.
    first, second = world(SECOND_DRAFT), world(EXPULSION)
    message = _refused_twice(ledger, first, second)
    assert f"{second}: events[0]" in message and f"{first}: events[0]" in message
    assert "'refinement' of 'expelled-paper'" in message
    assert "it adds date, count" in message


def test_a_second_report_of_a_recorded_event_is_refused(ledger: Ledger, world: World) -> None:
    do_import(ledger, world(EXPULSION))
    message = _refused_twice(ledger, world(SECOND_DRAFT))
    assert "'expelled-wire' (already recorded)" in message
    assert "'corroboration' of 'expelled-wire'" in message
    # The operation it advises is accepted, and counts the expulsion once.
    corroboration = {
        "id": "expelled-paper",
        "type": "corroboration",
        "corroborates": "expelled-wire",
        "channel": "mission",
        "citations": SECOND_DRAFT["citations"],
    }
    do_import(ledger, world(corroboration))
    assert recorded_ids(ledger) == {"expelled-wire", "expelled-paper"}


@pytest.mark.parametrize(
    ("one", "two"),
    [
        # Exact days that differ are two actions, a week apart or a day apart.
        ({"date": "2021-10-06"}, {"date": "2021-10-13"}),
        ({"date": "2021-10-06"}, {"date": "2021-10-07"}),
        # Numbers that differ are two actions, whatever the dates.
        ({"date": "2021", "count": 8}, {"date": "2021-10", "count": 2}),
        # Effective dates that cannot be the same day.
        (
            {"date": "2021-10", "effective": "2021-11-01"},
            {"date": "2021-10", "effective": "2021-12-01"},
        ),
    ],
)
def test_distinct_actions_are_not_taken_for_one(
    ledger: Ledger, world: World, one: dict[str, Any], two: dict[str, Any]
) -> None:
    first = event("first", "accreditation_withdrawn", "mission", target="russia", **one)
    second = event("second", "accreditation_withdrawn", "mission", target="russia", **two)
    assert do_import(ledger, world(first, second)).added["events"] == 2


def test_overlapping_undated_meetings_need_distinct_with_a_reason(
    ledger: Ledger, world: World, write_file: WriteFile
) -> None:
    """Two meetings of one year, each dated only by the year, cannot be told apart by their
    dates: the second is refused until the file says it is another meeting, and why."""
    spring = event("met-spring", "meeting_held", "council", "2019", target="russia")
    autumn = event("met-autumn", "meeting_held", "council", "2019", target="russia")
    assert "'corroboration' of 'met-spring'" in _refused_twice(ledger, world(spring, autumn))
    with pytest.raises(InvalidRecordError, match="distinct_reason"):
        load_file(world(spring, {**autumn, "distinct": True}))
    marked = {**autumn, "distinct": True, "distinct_reason": "The autumn session, not May's."}
    assert do_import(ledger, world(spring, marked)).added["events"] == 2
    # Marked on the entry already recorded, it does not cover a third report of it.
    third = event("met-again", "meeting_held", "council", "2019", target="russia")
    assert "'met-again'" in _refused_twice(ledger, world(third))


def test_unmarked_events_keep_their_content_digest(ledger: Ledger, world: World) -> None:
    """`distinct` left unset is not part of an event's content: ledgers written before it
    existed re-import their files as unchanged."""
    from chancery.domain.actions import ENTRY_ADAPTER
    from chancery.storage.ledger import digest

    plain = ENTRY_ADAPTER.validate_python(EXPULSION)
    assert "distinct" not in plain.model_dump(mode="json")
    marked = ENTRY_ADAPTER.validate_python({**EXPULSION, "distinct": True, "distinct_reason": "x"})
    assert digest(marked) != digest(plain)


def test_statements_repeat_and_are_one_only_on_one_day(ledger: Ledger, world: World) -> None:
    """An invitation said to stand in an undated interview and again at a dated press
    conference is said twice; two reports of the same day's statement are one."""
    invited = event("invited", "invitation_extended", "council", "2020-05", target="russia")
    interview = event(
        "stands-interview",
        "invitation_reiterated",
        "council",
        "2020-12-01/2021-10-18",
        target="russia",
        invitation="invited",
    )
    briefing = {**interview, "id": "stands-briefing", "date": "2021-10-07"}
    assert do_import(ledger, world(invited, interview, briefing)).added["events"] == 3
    again = {**briefing, "id": "stands-briefing-again"}
    assert "'stands-briefing' (already recorded)" in _refused_twice(ledger, world(again))


@pytest.mark.parametrize(
    ("type_", "channel"),
    [("office_closed", "office"), ("mission_suspended", "mission")],
)
def test_a_post_ends_once_on_one_day(
    ledger: Ledger, world: World, type_: str, channel: str
) -> None:
    first = event("ended", type_, channel, "2021-10-18", target="russia")
    again = {
        **first,
        "id": "ended-again",
        "distinct": True,
        "distinct_reason": "said to be another",
    }
    before = snapshot(ledger)
    with pytest.raises(InvariantViolation) as caught:
        do_import(ledger, world(first, again))
    assert caught.value.rule == "ends-once" and "'ended'" in str(caught.value)
    assert snapshot(ledger) == before


def test_an_amendment_cannot_cite_a_source_older_than_the_event(
    ledger: Ledger, world: World
) -> None:
    """A corroboration or refinement adds citations that `verify` checks against the event's
    date: the import checks them first, so `verify` never fails for good."""
    old = {
        "sources": [
            *BASE_DECLARATIONS["sources"],
            {"id": "old", "outlet": "Old", "published": "2020-01-01"},
        ]
    }
    do_import(ledger, world(EXPULSION, **old))
    citing_old = [{"source": "old", "quote": "An earlier story."}]
    corroboration = {
        "id": "old-story",
        "type": "corroboration",
        "corroborates": "expelled-wire",
        "channel": "mission",
        "citations": citing_old,
    }
    refinement = {**corroboration, "type": "refinement", "refines": "expelled-wire"}
    del refinement["corroborates"]
    refinement["count"] = 8
    for amendment in (corroboration, refinement):
        before = snapshot(ledger)
        path = world(amendment, **old)
        with pytest.raises(InvariantViolation) as caught:
            do_import(ledger, path)
        message = str(caught.value)
        assert caught.value.rule == "source-not-before-event"
        assert f"{path}: events[0]" in message and "'old' was published by 2020-01-01" in message
        assert snapshot(ledger) == before
    from chancery.application.verification import verify

    assert verify(ledger).problems == []


def test_dry_run_refuses_a_second_report_as_the_import_would(world: World, tmp_path: Path) -> None:
    from chancery.cli import app
    from typer.testing import CliRunner

    location = str(tmp_path / "ledger.sqlite")
    first, second = world(EXPULSION), world(SECOND_DRAFT)
    for args in (["--dry-run"], []):
        result = CliRunner().invoke(
            app, ["import", str(first), str(second), "--db", location, *args]
        )
        assert result.exit_code == 1, result.output
        stderr = result.stderr.strip()
        assert stderr.startswith("chancery: error: ") and "\n" not in stderr
        assert "rule 'reported-once'" in stderr and "'expelled-wire'" in stderr
        assert "Traceback" not in stderr
    assert not Path(location).exists()


def test_dry_run_refuses_a_second_report_of_a_recorded_event_on_either_store(
    ledger_location: str, world: World
) -> None:
    """The dry run plans against what the ledger holds, on both stores: a second report of a
    recorded expulsion is refused with the operation that fits, and nothing is written."""
    assert _cli("import", str(world(EXPULSION)), "--db", ledger_location).exit_code == 0
    second = world(SECOND_DRAFT)
    for args in (["--dry-run"], []):
        result = _cli("import", str(second), "--db", ledger_location, *args)
        assert result.exit_code == 1, result.output
        assert "'expelled-wire' (already recorded)" in result.stderr
        assert "'corroboration' of 'expelled-wire'" in result.stderr
    listed = _cli("events", "--db", ledger_location, "--json")
    assert [e["id"] for e in json.loads(listed.stdout)["events"]] == ["expelled-wire"]


def _cli(*args: str) -> Any:
    from chancery.cli import app
    from typer.testing import CliRunner

    return CliRunner().invoke(app, list(args), env={"CHANCERY_DB": None})


def test_dry_run_of_a_first_import_plans_on_either_store(
    ledger_location: str, world: World
) -> None:
    """A dry run into a new SQLite file or a new PostgreSQL schema plans against an empty
    ledger, and creates neither (on PostgreSQL too, which once refused it)."""
    result = _cli("import", str(world(EXPULSION)), "--dry-run", "--db", ledger_location)
    assert result.exit_code == 0, result.output
    assert "would add" in result.stdout and "expelled-wire" in result.stdout
    query = _cli("events", "--db", ledger_location)
    assert query.exit_code == 1 and "no ledger" in query.stderr, "the dry run created nothing"


def test_a_dry_run_plans_inside_a_transaction_it_rolls_back(
    ledger_location: str, world: World
) -> None:
    """The dry run plans as the import does, writing its batches inside the transaction, and
    then rolls them back: the ledger holds what it held, and the import then adds the same."""
    from chancery.storage.store import open_ledger

    assert _cli("import", str(world()), "--db", ledger_location).exit_code == 0
    with open_ledger(ledger_location, create=False) as ledger:
        before = contents(ledger)
    planned = _cli("import", str(world(EXPULSION)), "--dry-run", "--db", ledger_location)
    assert planned.exit_code == 0, planned.output
    assert "would add 1 event" in planned.stdout
    with open_ledger(ledger_location, create=False) as ledger:
        assert contents(ledger) == before
    done = _cli("import", str(world(EXPULSION)), "--db", ledger_location)
    assert done.exit_code == 0 and "added 1 event" in done.stdout, done.output


def test_a_dry_run_on_a_ledger_this_user_may_only_read_plans_on_a_copy(
    tmp_path: Path, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SQLite ledger (or its folder) this user cannot write is copied into a scratch folder
    and planned there: the dry run answers as on a writable ledger, and touches neither."""
    import chancery.storage.store

    location = str(tmp_path / "ledger.sqlite")
    assert _cli("import", str(world()), "--db", location).exit_code == 0
    size = Path(location).stat().st_size
    opened: list[str] = []
    real_open = chancery.storage.store.open_ledger

    def recording(place: str, *, create: bool) -> Any:
        opened.append(place)
        return real_open(place, create=create)

    real_access = chancery.storage.store.os.access
    read_only = {Path(location), tmp_path}
    monkeypatch.setattr(
        chancery.storage.store.os,
        "access",
        lambda path, mode: Path(path) not in read_only and real_access(path, mode),
    )
    monkeypatch.setattr(chancery.storage.store, "open_ledger", recording)
    planned = _cli("import", str(world(EXPULSION)), "--dry-run", "--db", location)
    assert planned.exit_code == 0, planned.output
    assert "would add 1 event" in planned.stdout
    assert opened[-1].endswith("copy.sqlite") and not Path(opened[-1]).exists()
    assert Path(location).stat().st_size == size


def test_a_file_named_twice_is_one_file(ledger_location: str, world: World) -> None:
    path = world(EXPULSION)
    assert _cli("import", str(world()), "--db", ledger_location).exit_code == 0
    for args in (["--dry-run"], []):
        result = _cli("import", str(path), str(path), "--db", ledger_location, *args)
        assert result.exit_code == 0, result.output
        assert "would add 1 event" in result.stdout if args else "added 1 event" in result.stdout
        assert re.search(r"already recorded: [^\n]*event", result.stdout) is None, result.stdout


def test_no_error_sends_the_reader_to_pydantic_s_web_pages(ledger: Ledger, world: World) -> None:
    """A dispute that does not fit its event is refused in the project's words: pydantic's
    input repr, error codes and "For further information visit" link are left out."""
    do_import(ledger, world(EXPULSION))
    claim = {"says": "in 2019", "date": "2019", "citations": [{"source": "src", "quote": "q"}]}
    dispute = {
        "id": "when",
        "type": "dispute",
        "disputes": "expelled-wire",
        "channel": "mission",
        "about": "date",
        "claims": [claim, {**claim, "says": "in 2021", "date": "2021-10-06"}],
    }
    with pytest.raises(InvariantViolation) as caught:
        do_import(ledger, world(dispute))
    message = str(caught.value)
    assert "must span every disputed date" in message
    for noise in ("For further information", "pydantic.dev", "input_value", "type=value_error"):
        assert noise not in message


# ------------------------------------- extraction's vocabulary follows the text rules


def _channel_with(**vocabulary: Any) -> dict[str, Any]:
    council = next(c for c in BASE_DECLARATIONS["channels"] if c["slug"] == "council")
    return {**council, **vocabulary}


@pytest.mark.parametrize(
    ("vocabulary", "fragments"),
    [
        (
            {"triggers": {"office_close": ["mothballed"]}},
            ["triggers", "did you mean 'office_closed'"],
        ),
        ({"aliases": ["*"]}, ["aliases.0", "no letter"]),
        ({"aliases": ["--"]}, ["aliases.0", "no letter"]),
        ({"aliases": ["x"]}, ["aliases.0", "2 to 100 characters"]),
        ({"aliases": ["NRC " * 30]}, ["aliases.0", "2 to 100 characters"]),
        ({"aliases": ["the \x1b[31mcouncil"]}, ["aliases.0", "U+001B"]),
        ({"aliases": ["the \u202ecouncil"]}, ["aliases.0", "U+202E"]),
        ({"aliases": [f"council {n}" for n in range(51)]}, ["aliases", "at most 50"]),
        ({"triggers": {"meeting_held": ["*"]}}, ["triggers.meeting_held.0", "no letter"]),
        (
            {"triggers": {"meeting_held": [f"sat {n}" for n in range(51)]}},
            ["triggers.meeting_held", "at most 50"],
        ),
    ],
)
def test_extraction_vocabulary_is_held_to_the_text_rules(
    write_file: WriteFile, vocabulary: dict[str, Any], fragments: list[str]
) -> None:
    """Aliases and trigger words are matched against every article by `extract`:
    an alias '*' moved every action onto one channel, 20,000 aliases made every extract slow,
    a misspelt action type under `triggers` broke extract for the ledger for good."""
    path = write_file({**BASE_DECLARATIONS, "channels": [_channel_with(**vocabulary)]})
    with pytest.raises(InvalidRecordError) as caught:
        load_file(path)
    message = str(caught.value)
    assert "channels[0]" in message and "\x1b" not in message and "\u202e" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_extraction_vocabulary_within_the_limits_is_accepted(
    ledger: Ledger, write_file: WriteFile
) -> None:
    vocabulary = {
        "aliases": ["EU", "NATO-Russia Council", *(f"council {n}" for n in range(48))],
        "triggers": {"meeting_held": ["sat", "gather*"]},
    }
    path = write_file({**BASE_DECLARATIONS, "channels": [_channel_with(**vocabulary)]})
    assert do_import(ledger, path).added["channels"] == 1
