"""A file too large to read whole is imported as a stream, with memory that
does not grow with the file, and every guarantee of the whole-file import: atomic (an error at
the very end writes nothing), idempotent, the same id with other content refused, errors that
name file, record, line and field."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chancery.importing.dataset
import pytest
import yaml
from chancery.domain.errors import (
    ChanceryError,
    ConflictingRecordError,
    InvalidRecordError,
    InvariantViolation,
)
from chancery.importing import streaming
from chancery.importing.dataset import MAX_FILE_BYTES, load_file
from chancery.importing.plan import import_files
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger

from tests.conftest import BASE_DECLARATIONS, Locations, contents, event, import_streamed

CHANNELS = 50
QUOTE = "A long enough quote to make the statement large. " * 40
_RSS = """
import resource, runpy, sys
import chancery.importing.dataset
# Every file read whole, or every file streamed, whatever its size.
chancery.importing.dataset.MAX_FILE_BYTES = 10**12 if sys.argv[1] == "whole" else 0
sys.argv = ["chancery", *sys.argv[2:]]
try:
    runpy.run_module("chancery", run_name="__main__")
    code = 0
except SystemExit as exc:
    code = exc.code
# The peak of this program, not of the test process it was forked from (ru_maxrss keeps the
# parent's across exec on Linux; VmHWM starts again with the new program).
try:
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak, file=sys.stderr)
sys.exit(code)
"""


def _declarations() -> dict[str, Any]:
    data = json.loads(json.dumps(BASE_DECLARATIONS))
    data["channels"] += [
        {
            "slug": f"contacts-{c}",
            "name": f"Contacts {c}",
            "kind": "military-contacts",
            "parties": ["nato", "russia"],
        }
        for c in range(CHANNELS)
    ]
    return data


def _events(count: int, quote: str = QUOTE, channels: int = CHANNELS) -> list[dict[str, Any]]:
    """`count` events spread over the first `channels` declared channels."""
    return [
        event(
            f"contact-{i}",
            "contacts_maintained",
            f"contacts-{i % channels}",
            str(date(1990, 1, 1) + timedelta(days=i)),  # no action reported twice
            citations=[{"source": "src", "quote": quote}],
        )
        for i in range(count)
    ]


def _write(path: Path, events: list[dict[str, Any]], *, events_first: bool = False) -> Path:
    declarations = _declarations()
    document = (
        {"chancery": 1, "events": events, **declarations}
        if events_first
        else {**declarations, "events": events}
    )
    if path.suffix == ".json":
        path.write_text(json.dumps(document), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file above the size a file may have to be read whole: 10,000 events of 2 KB."""
    path = _write(tmp_path_factory.mktemp("big") / "big.json", _events(10_000))
    assert path.stat().st_size > MAX_FILE_BYTES
    return path


def _recorded(ledger: Any) -> tuple[Any, ...]:
    """The ledger's contents, but for when each entry was written."""
    snapshot = contents(ledger)
    entries = {
        slug: [(item.entry, item.digest) for item in items]
        for slug, items in snapshot.entries.items()
    }
    return snapshot.parties, snapshot.channels, snapshot.sources, entries


def _peak_kib(mode: str, location: str, path: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _RSS, mode, "import", "--db", location, str(path)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stderr.strip().splitlines()[-1])


def test_a_file_over_the_limit_streams_in_bounded_memory(
    locations: Locations, big_file: Path, tmp_path: Path
) -> None:
    # 4,000 events (8 MB) against 10,000 (21 MB), 200 to a channel in both: past a batch,
    # memory stays flat, where reading a file whole holds it several times over. (A channel's
    # timeline is checked and folded whole, by design, so the files keep its length equal.)
    # Peak RSS varies by a megabyte or two from run to run (allocator and collector timing), as
    # much as the bound: each streamed peak is the least of two imports into fresh ledgers.
    smaller = _write(tmp_path / "smaller.json", _events(4_000, channels=CHANNELS * 2 // 5))
    streamed_smaller = min(_peak_kib("stream", locations.new(), smaller) for _ in range(2))
    location = locations.new()
    streamed = min(
        _peak_kib("stream", location, big_file), _peak_kib("stream", locations.new(), big_file)
    )
    whole = _peak_kib("whole", locations.new(), big_file)
    grown = (big_file.stat().st_size - smaller.stat().st_size) // 1024
    assert streamed - streamed_smaller < grown // 4, (streamed_smaller, streamed, grown)
    # About 0.45 on SQLite, 0.5 on PostgreSQL (whose driver costs 15 MB more to begin with).
    assert streamed < 0.6 * whole, (streamed, whole)
    with open_ledger(location, create=False) as ledger:
        assert ledger.index.count_entries() == 10_000
        assert ReadModel(ledger).problems() == []


def test_an_error_at_the_end_of_a_big_file_writes_nothing(
    locations: Locations, big_file: Path, tmp_path: Path
) -> None:
    location = locations.new()
    with open_ledger(location, create=True) as ledger:
        import_files(ledger, [load_file(_write(tmp_path / "first.json", _events(3)))])
        before = contents(ledger)
    breaking = tmp_path / "breaking.json"
    data = json.loads(big_file.read_text(encoding="utf-8"))
    data["events"].append(event("bad-cut", "staff_cap_changed", "contacts-1", "2021", to_cap=1))
    breaking.write_text(json.dumps(data), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "chancery", "import", "--db", location, str(breaking)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 1
    assert "bad-cut" in done.stderr and "events[10000]" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    with open_ledger(location, create=False) as ledger:
        assert contents(ledger) == before


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_streamed_equals_whole_and_reimport_adds_nothing(
    locations: Locations, tmp_path: Path, suffix: str
) -> None:
    # Events first: a streamed file is read for its declarations before its events.
    path = _write(tmp_path / f"mid{suffix}", _events(300, "short"), events_first=True)
    whole, streamed = locations.new(), locations.new()
    with open_ledger(whole, create=True) as ledger:
        import_files(ledger, [load_file(path)])
        ReadModel(ledger).catch_up()
        expected = _recorded(ledger)
        expected_state = ReadModel(ledger).state(date(2030, 1, 1))
    with open_ledger(streamed, create=True) as ledger:
        report = import_streamed(ledger, [path])
        assert report.added["events"] == 300 and report.added["channels"] == CHANNELS + 5
        assert _recorded(ledger) == expected
        assert ReadModel(ledger).state(date(2030, 1, 1)) == expected_state
        again = import_streamed(ledger, [path])
        assert again.total_added == 0 and again.unchanged["events"] == 300
        assert _recorded(ledger) == expected
        assert ReadModel(ledger).problems() == []


def _refused(location: str, path: Path) -> str:
    with open_ledger(location, create=True) as ledger:
        import_files(ledger, [])
        before = contents(ledger)
        with pytest.raises(ChanceryError) as caught:
            import_streamed(ledger, [path])
        assert contents(ledger) == before
        assert ledger.index.count_entries() == 0
    return str(caught.value)


def test_same_id_with_other_content_is_refused(locations: Locations, tmp_path: Path) -> None:
    events = _events(50, "short")
    events.append({**events[3], "date": "2001-01-01"})
    message = _refused(locations.new(), _write(tmp_path / "twice.json", events))
    assert "events[50]" in message and "'contact-3' is already recorded" in message

    location = locations.new()
    with open_ledger(location, create=True) as ledger:
        import_streamed(ledger, [_write(tmp_path / "first.json", _events(5, "short"))])
        changed = _events(5, "short")
        changed[2]["date"] = "2002-02-02"
        with pytest.raises(ConflictingRecordError, match=r"events\[2\]"):
            import_streamed(ledger, [_write(tmp_path / "changed.json", changed)])
        assert ledger.index.count_entries() == 5


_DEEP_YAML = "events:\n- id: a\n  channel: " + "[" * 70 + "]" * 70 + "\n"
_ALIAS_BOMB = "events:\n- &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    "- &" + new + " [" + ", ".join(["*" + old] * 10) + "]\n"
    for old, new in zip("abcde", "bcdef", strict=True)
)


@pytest.mark.parametrize(
    ("suffix", "text", "expected"),
    [
        (".yaml", _DEEP_YAML, "nested more than 64 levels"),
        (".json", '{"events": [' + "[" * 70 + "]" * 70 + "]}", "nested more than 64 levels"),
        (".json", '{"events": [{"id": "a", "count": 123456789012345678901234}]}', "digits"),
        (".yaml", _ALIAS_BOMB, "expands to more than"),
        (".yaml", "events:\n- &a [*a]\n", "contains itself"),
        (".yaml", "chancery: 1\nsurprise: 1\n", "unknown top-level key"),
        (".json", '{"chancery": 2}', "chancery"),
        (".json", "[1, 2]", "top level must be a mapping"),
        (".json", '{"events": [{"id": "a"}', "not valid JSON"),
        (".yaml", "events: [\n", "not valid YAML"),
    ],
)
def test_hostile_records_are_refused_on_the_stream(
    tmp_path: Path, suffix: str, text: str, expected: str
) -> None:
    path = tmp_path / f"hostile{suffix}"
    path.write_text(text, encoding="utf-8")
    with (
        open_ledger(str(tmp_path / "ledger.sqlite"), create=True) as ledger,
        pytest.raises(InvalidRecordError) as caught,
    ):
        import_streamed(ledger, [path])
    message = str(caught.value)
    assert message.startswith(str(path)) and expected in message, message
    assert "\n" not in message


def test_an_invalid_field_is_named_with_its_record_and_line(
    locations: Locations, tmp_path: Path
) -> None:
    events = _events(40, "short")
    events[37]["citations"][0]["quote"] = "bad \x1b[31m escape"
    path = _write(tmp_path / "bad.yaml", events)
    message = _refused(locations.new(), path)
    with pytest.raises(InvalidRecordError) as whole:
        load_file(path)
    assert message == str(whole.value)  # the whole-file reader's words, line included
    assert "events[37] (id 'contact-37'), line " in message and "\\x1b" not in message


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_json_records_read_across_any_chunk_boundary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(streaming, "CHUNK_CHARS", chunk)
    path = _write(tmp_path / "small.json", _events(12, 'short \u00e9 \\ " [ ] { }'))
    path.write_text(
        path.read_text(encoding="utf-8").replace('"chancery": 1', '"chancery":\n 1'),
        encoding="utf-8",
    )
    expected = load_file(path).dataset
    records = list(streaming.read_records(path, ("parties", "channels", "sources", "events")))
    by_section = {
        section: [r.model for r in records if r.section == section]
        for section in ("parties", "channels", "sources", "events")
    }
    assert by_section == {
        "parties": expected.parties,
        "channels": expected.channels,
        "sources": expected.sources,
        "events": expected.events,
    }
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all(r.line is not None and 1 <= r.line <= len(lines) for r in records)


def test_a_second_report_is_refused_in_the_streamed_import(
    locations: Locations, tmp_path: Path
) -> None:
    """The streamed import applies the whole-file import's rule: one action
    reported twice, in one file, across two files or against the ledger, is refused naming
    both; another action on another day is not."""
    first = event("seen-a", "contacts_suspended", "contacts-1", "2021-10")
    again = event("seen-b", "contacts_suspended", "contacts-1", "2021-10-18")
    message = _refused(locations.new(), _write(tmp_path / "one.json", [first, again]))
    assert "rule 'reported-once'" in message and "'refinement' of 'seen-a'" in message
    assert "one.json: events[1]" in message and "one.json: events[0]" in message

    location = locations.new()
    with open_ledger(location, create=True) as ledger:
        import_streamed(ledger, [_write(tmp_path / "first.yaml", [first])])
        with pytest.raises(InvariantViolation, match=r"'seen-a' \(already recorded\)"):
            import_streamed(ledger, [_write(tmp_path / "second.yaml", [again])])
        with pytest.raises(
            InvariantViolation,
            match=r"three.json: events\[0\].*'c' \(in this import\).*it is at .*two.json",
        ):
            import_streamed(
                ledger,
                [
                    _write(tmp_path / "two.json", [{**again, "id": "c", "channel": "contacts-3"}]),
                    _write(
                        tmp_path / "three.json", [{**again, "id": "d", "channel": "contacts-3"}]
                    ),
                ],
            )
        other = event("seen-later", "contacts_suspended", "contacts-2", "2021-11-02")
        import_streamed(ledger, [_write(tmp_path / "other.yaml", [other])])
        assert ledger.index.count_entries() == 2


# ------------------------------------- the whole-file reader's limits, kept when streamed


def _streamed_refusal(path: Path) -> str:
    with pytest.raises(InvalidRecordError) as caught:
        list(streaming.read_records(path, ("parties", "channels", "sources", "events")))
    return str(caught.value)


def _whole_file_refusal(path: Path) -> str:
    with pytest.raises(InvalidRecordError) as caught:
        load_file(path)
    return str(caught.value)


def test_aliases_are_counted_for_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An anchor lives for the whole file: records that each repeat one anchored list stay
    under the limit one by one, and together amplify the file as a bomb does. The streamed
    reader refuses them as the whole-file reader does."""
    monkeypatch.setattr(streaming, "MAX_NODES", 3_000)
    monkeypatch.setattr(chancery.importing.dataset, "MAX_NODES", 3_000)
    quotes = ", ".join(f"{{source: src, quote: 'quote {n}'}}" for n in range(100))
    first = (
        "  - {id: e0, type: meeting_held, channel: council, actor: nato, date: '2001',"
        f" citations: &many [{quotes}]}}\n"
    )
    more = [
        f"  - {{id: e{n}, type: meeting_held, channel: council, actor: nato,"
        f" date: '20{n:02d}', citations: *many}}\n"
        for n in range(2, 40)
    ]
    path = tmp_path / "aliases.yaml"
    path.write_text(f"chancery: 1\nevents:\n{first}{''.join(more)}", encoding="utf-8")
    # Each record alone is well under the limit: 100 citations of 3 values each.
    streamed, whole = _streamed_refusal(path), _whole_file_refusal(path)
    for message in (streamed, whole):
        assert "expands to more than 3000 values" in message and "aliases.yaml" in message
    # Fewer records using it stay within the limit on both paths.
    path.write_text(f"chancery: 1\nevents:\n{first}{''.join(more[:2])}", encoding="utf-8")
    assert len(list(streaming.read_records(path, ("events",)))) == 3
    assert len(load_file(path).dataset.events) == 3


def test_a_second_yaml_document_is_refused_when_streamed(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text("chancery: 1\nevents: []\n---\nchancery: 1\nparties: []\n", encoding="utf-8")
    streamed, whole = _streamed_refusal(path), _whole_file_refusal(path)
    assert streamed == whole
    assert "line 3" in streamed and "another document" in streamed


def test_a_trailing_comma_is_reported_where_it_is_when_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not as a record too large: the rest of the file (here far more than a record may
    take) is not read before the mistake is said, with its line and column."""
    monkeypatch.setattr(streaming, "MAX_RECORD_BYTES", 2_000)
    monkeypatch.setattr(streaming, "CHUNK_CHARS", 512)
    records = ",\n".join(json.dumps(e) for e in _events(200, "short"))
    text = '{"chancery": 1,\n"parties": [{"slug": "x", "name": "X", "kind": "state"},\n],\n'
    path = tmp_path / "comma.json"
    path.write_text(text + f'"events": [{records}]}}\n', encoding="utf-8")
    message = _streamed_refusal(path)
    assert "line 3, column 1: not valid JSON" in message and "larger than" not in message


CITED = [{"source": "src", "quote": "A quote."}]


def test_a_huge_value_is_named_not_echoed(tmp_path: Path) -> None:
    """A 1 MB id or top-level key is shown by its start and its length, where 25 MB ones
    were printed whole."""
    huge = "a" * 1_000_000
    for suffix in (".json", ".yaml"):
        path = _write(
            tmp_path / f"huge-id{suffix}",
            [event(huge, "meeting_held", "council", "2001", citations=CITED)],
        )
        for message in (_streamed_refusal(path), _whole_file_refusal(path)):
            assert "(1000000 characters)" in message and len(message) < 2_000
    path = tmp_path / "huge-key.json"  # (YAML keys are at most 1024 characters)
    path.write_text(json.dumps({"chancery": 1, huge: []}), encoding="utf-8")
    for message in (_streamed_refusal(path), _whole_file_refusal(path)):
        assert "unknown top-level key" in message and "(1000000 characters)" in message
