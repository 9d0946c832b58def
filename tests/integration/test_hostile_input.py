"""Hostile input to the parsers: nothing lost, nothing hung, nothing injected.

Regressions for what hostile testing found in the file reader, the import format and
`verify --articles`. Refusals of single files live in the bad-input corpus
(tests/bad_inputs/cases.yaml); here are what the corpus cannot express: files that must be
accepted, pipes and FIFOs, the articles folder, and the pure checks the ledger calls.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.application.verification import read_article
from chancery.cli import app
from chancery.domain.actions import (
    ENTRY_ADAPTER,
    IMPORT,
    check_action_parties,
    check_citation_dates,
)
from chancery.domain.dates import UncertainDate
from chancery.domain.errors import InvalidRecordError
from chancery.domain.parties import Channel
from chancery.domain.sources import Source
from chancery.domain.text import text_problem
from chancery.importing import dataset
from chancery.importing.dataset import MAX_FILE_BYTES, MAX_NESTING, MAX_NODES, load_file, parse_text
from typer.testing import CliRunner

from tests.conftest import BASE_DECLARATIONS, REPO, event
from tests.integration.test_bad_inputs import VALID_REPORT, alias_bomb

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args), env={"CHANCERY_DB": None})


def events_json(location: str) -> str:
    result = run("events", "--json", "--db", location)
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_one_paragraph_refusal(result: Any, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    stderr = result.stderr.strip()
    assert stderr.startswith("chancery: error: ") and "\n\n" not in stderr, stderr
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in stderr, stderr


# Item 3: alias amplification ------------------------------------------------------------


def test_alias_amplification_is_refused_past_the_node_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb(levels=7), encoding="utf-8")  # 10**7 citations in 1 KB
    with pytest.raises(InvalidRecordError, match=f"expands to more than {MAX_NODES} values"):
        load_file(bomb)


def test_aliases_within_the_limit_still_work(tmp_path: Path) -> None:
    text = (
        "chancery: 1\nparties:\n  - &p {slug: nato, name: NATO, kind: organisation}\nchannels: []\n"
    )
    loaded = parse_text("small.yaml", text, is_json=False)
    assert loaded.dataset.parties[0].slug == "nato"


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(InvalidRecordError, match="contains itself"):
        parse_text("loop.yaml", "chancery: 1\nparties: &a [*a]\n", is_json=False)


# Items 4 and 19: nesting measured on the parser's events, not on brackets ---------------


@pytest.mark.parametrize("prefix", ["- ", "? ", "- ? "])
def test_deep_block_nesting_is_refused_without_crashing(tmp_path: Path, prefix: str) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("chancery: 1\nevents:\n  " + prefix * 30_000 + "x\n", encoding="utf-8")
    code = (
        "import sys, pathlib; from chancery.importing.dataset import load_file as f; "
        "f(pathlib.Path(sys.argv[1]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(deep)], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 1, done  # a SIGSEGV would be -11
    assert f"nested more than {MAX_NESTING} levels deep" in done.stderr


def test_nesting_counts_aliases_expanded() -> None:
    inner = "[" * 40 + "1" + "]" * 40
    text = f"chancery: 1\na: &a {inner}\nb: " + "[" * 30 + "*a" + "]" * 30 + "\n"
    with pytest.raises(InvalidRecordError, match="nested more than"):
        parse_text("alias-deep.yaml", text, is_json=False)


def test_brackets_inside_text_are_not_nesting(tmp_path: Path) -> None:
    report = VALID_REPORT.replace("outlet: Example Wire", "outlet: 'Example [Wire' ")
    report = report.replace(
        "url: https://example.org/nato-russia-2021-11-16",
        "url: https://example.org/nato-russia-2021-11-16\n    note: '" + "[{" * 300 + "'",
    )
    loaded = parse_text("brackets.yaml", report, is_json=False)
    assert loaded.dataset.sources[0].outlet == "Example [Wire"
    as_json = {"chancery": 1, "parties": [], "sources": [], "x": "[" * 5000}
    with pytest.raises(InvalidRecordError, match="unknown top-level key"):  # not depth
        parse_text("brackets.json", json.dumps(as_json), is_json=True)


def test_a_block_scalar_indented_400_spaces_is_accepted() -> None:
    report = VALID_REPORT.replace(
        "    url: https://example.org/nato-russia-2021-11-16\n",
        "    url: https://example.org/nato-russia-2021-11-16\n    note: |\n"
        + " " * 400
        + "an indented note\n",
    )
    loaded = parse_text("indented.yaml", report, is_json=False)
    assert loaded.dataset.sources[0].note == "an indented note\n"


def test_deep_json_is_refused_but_brackets_in_json_strings_are_not_counted() -> None:
    with pytest.raises(InvalidRecordError, match="nested more than"):
        parse_text("deep.json", '{"a": ' + "[" * 100 + "]" * 100 + "}", is_json=True)
    text = '{"chancery": 1, "parties": [{"slug": "x", "name": "' + '[\\"' * 50 + '", '
    text += '"kind": "state"}]}'
    assert parse_text("ok.json", text, is_json=True).dataset.parties[0].slug == "x"


# Item 5: bounded reads ------------------------------------------------------------------


def test_dev_zero_is_refused_as_a_device() -> None:
    with pytest.raises(InvalidRecordError, match="is a device"):
        load_file(Path("/dev/zero"))


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidRecordError, match="is a directory"):
        load_file(tmp_path)


def test_an_endless_pipe_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    """`yes | chancery import /dev/stdin`: refused after MAX_FILE_BYTES + 1 bytes."""
    db = tmp_path / "ledger.sqlite"
    yes = subprocess.Popen(["yes"], stdout=subprocess.PIPE)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "chancery", "import", "/dev/stdin", "--db", str(db)],
            stdin=yes.stdout,
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
    finally:
        yes.kill()
        yes.wait()
    assert done.returncode == 1, done
    assert f"larger than the {MAX_FILE_BYTES} bytes" in done.stderr
    assert "Traceback" not in done.stderr
    assert not db.exists()


def test_a_report_piped_on_stdin_is_imported(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    env = {**os.environ, "CHANCERY_DB": ""}
    base = [sys.executable, "-m", "chancery"]
    assert subprocess.run([*base, "import", "--bundled", "--db", str(db)], env=env).returncode == 0
    done = subprocess.run(
        [*base, "import", "/dev/stdin", "--db", str(db)],
        input=VALID_REPORT,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "added 1 source, 1 event" in done.stdout


def test_a_fifo_that_never_sends_is_refused_not_waited_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dataset, "STDIN_IDLE_SECONDS", 0.3)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR)  # a writer that holds the pipe open and sends nothing
    try:
        with pytest.raises(InvalidRecordError, match="sent nothing"):
            load_file(fifo)
    finally:
        os.close(writer)


def test_a_fifo_that_sends_a_report_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    loaded: list[Any] = []
    reader = threading.Thread(target=lambda: loaded.append(load_file(fifo)))
    reader.start()
    with open(fifo, "w", encoding="utf-8") as out:  # blocks until the reader has opened it
        out.write(VALID_REPORT)
    reader.join(timeout=20)
    assert [e.id for e in loaded[0].dataset.events] == ["russia-mission-staff-cap-cut-2021-10-12"]


# Items 6 and 20: tracebacks, BOM --------------------------------------------------------


def test_a_lone_surrogate_in_json_leaves_no_ledger_behind(tmp_path: Path) -> None:
    bad = tmp_path / "surrogate.json"
    party = '{"slug": "x", "name": "\\ud800", "kind": "state"}'
    bad.write_text('{"chancery": 1, "parties": [' + party + "]}")
    db = tmp_path / "new.sqlite"
    result = run("import", str(bad), "--db", str(db))
    assert_one_paragraph_refusal(result, "surrogate.json", "parties[0].name", "surrogate")
    assert not db.exists()


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_byte_order_mark_is_accepted_in_yaml_and_json(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bom{suffix}"
    body = yaml.safe_load(VALID_REPORT)
    text = VALID_REPORT if suffix == ".yaml" else json.dumps(body)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert len(load_file(path).dataset.events) == 1


def test_a_merge_key_is_refused_naming_its_line() -> None:
    text = "chancery: 1\nparties:\n  - &p {slug: x, name: X, kind: state}\n  - <<: *p\n"
    with pytest.raises(InvalidRecordError, match=r"line 4.*merge keys") as refused:
        parse_text("merge.yaml", text, is_json=False)
    assert "tag:yaml.org" not in str(refused.value)


@pytest.mark.parametrize(
    "key", ["? [x]\n: 1\n", "? {a: 1}\n: 1\n", "parties:\n  - ? [x]\n    : 1\n"]
)
def test_unhashable_keys_are_refused_in_one_line(key: str) -> None:
    with pytest.raises(InvalidRecordError, match="mapping key must be a plain word"):
        parse_text("keys.yaml", "chancery: 1\n" + key, is_json=False)


# Item 11: EDTF -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2021/..", "../2021", "2021/", "/2021", "2021-10/..", "[..2021]"])
def test_open_ended_edtf_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="open or unknown end"):
        UncertainDate.model_validate(text, context=IMPORT)


@pytest.mark.parametrize("text", ["2021-10-12\n", " 2021-10-12", "\t2021-10-12 "])
def test_edtf_is_stored_canonically(text: str) -> None:
    stored = UncertainDate.model_validate({"edtf": text}, context=IMPORT)
    assert stored.edtf == "2021-10-12"
    assert (stored.earliest, stored.latest) == (date(2021, 10, 12), date(2021, 10, 12))


@pytest.mark.parametrize("text", ["2021-10-\n12", "2021 10 12", "2021\x00"])
def test_edtf_with_inner_blanks_or_controls_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a valid EDTF"):
        UncertainDate.model_validate({"edtf": text}, context=IMPORT)


# Item 18: text rules and cross-record checks ------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("   ", "must contain words"),
        ("\u200b\u200d\ufeff", "must contain words"),
        ("\u00a0\u3000", "must contain words"),
        ("abc\u202edef", "U+202E"),
        ("abc\u2066def", "U+2066"),
        ("abc\x1b[31mred", "U+001B"),
        ("abc\x9bdef", "U+009B"),
        ("abc\ud800", "surrogate"),
    ],
)
def test_text_rules(text: str, fragment: str) -> None:
    problem = text_problem(text)
    assert problem is not None and fragment in problem


@pytest.mark.parametrize("text", ["Ukraine — Україна", "مرحبا\u200f", "a\tb\nc", "[/] [link=x]"])
def test_text_rules_accept_real_text(text: str) -> None:
    assert text_problem(text) is None


MISSION = Channel.model_validate(BASE_DECLARATIONS["channels"][0])


def _action(**fields: Any) -> Any:
    record = event("cut", "staff_cap_changed", MISSION.slug, "2021-10-06", **fields)
    return ENTRY_ADAPTER.validate_python(record, context=IMPORT)


def test_check_action_parties_refuses_an_outsider_and_accepts_the_parties() -> None:
    assert MISSION.slug == "mission" and set(MISSION.parties) == {"nato", "russia"}
    check_action_parties(_action(target="russia"), MISSION, "f.yaml: events[0]")
    with pytest.raises(InvalidRecordError, match="field 'actor': 'belgium' is not a party"):
        check_action_parties(_action(actor="belgium"), MISSION, "f.yaml: events[0]")
    with pytest.raises(InvalidRecordError, match=r"field 'replacement\.target'"):
        check_action_parties(_action(target="usa"), MISSION, "f.yaml: events[0]", "replacement.")


def test_check_citation_dates_refuses_a_source_published_before_the_event() -> None:
    early = Source.model_validate({"id": "src", "published": "2015"})
    same_day = Source.model_validate({"id": "src", "published": "2021-10-06"})
    undated = Source.model_validate({"id": "src", "published": "2021/2022"})
    check_citation_dates(_action(), {"src": same_day}, "f")
    check_citation_dates(_action(), {"src": undated}, "f")
    check_citation_dates(_action(), {}, "f")  # an unknown source is the caller's to report
    with pytest.raises(InvalidRecordError, match=r"citations\.0\.source': 'src' was published"):
        check_citation_dates(_action(), {"src": early}, "f")


def test_target_equal_to_actor_and_a_repeated_party_are_refused() -> None:
    with pytest.raises(ValueError, match="is the actor"):
        _action(actor="nato", target="nato")
    with pytest.raises(ValueError, match="listed twice"):
        Channel.model_validate(
            {**BASE_DECLARATIONS["channels"][0], "parties": ["nato", "nato"]}, context=IMPORT
        )


def test_rows_read_back_from_a_ledger_are_not_rejudged() -> None:
    """The new rules hold for import files; a row an older release recorded still reads (and
    `2021/` keeps the bounds it was recorded with), so no ledger becomes unreadable."""
    old = UncertainDate.model_validate({"edtf": "2021/"})
    assert (old.earliest, old.latest) == (date(2021, 1, 1), date(2021, 12, 31))
    record = event("cut", "staff_cap_changed", MISSION.slug, "2021-10-06", target="nato")
    record.update(from_cap=10**9, note="\u202e")
    assert ENTRY_ADAPTER.validate_python(record).from_cap == 10**9
    channel = {**BASE_DECLARATIONS["channels"][0], "parties": ["nato", "nato"], "name": " "}
    assert Channel.model_validate(channel).parties == ["nato", "nato"]


# Item 6 and 17: verify --articles -------------------------------------------------------


ARTICLE_REPORT = """\
chancery: 1
sources:
  - id: {id}
    outlet: Example Wire
    published: "2021-11-16"
    file: {file!r}
events:
  - id: cut-{id}
    type: accreditation_withdrawn
    channel: russia-mission-to-nato
    actor: nato
    target: russia
    date: "2021-10-{day}"
    count: 1
    citations:
      - source: {id}
        quote: "root:x:0:0"
"""


@pytest.fixture
def articles_ledger(locations: Any, tmp_path: Path) -> tuple[str, Path]:
    """A ledger with the bundled data plus sources whose files are hostile, and a folder."""
    location = locations.new()
    assert run("import", "--bundled", "--db", location).exit_code == 0
    folder = tmp_path / "articles"
    folder.mkdir()
    (tmp_path / "outside.txt").write_text("root:x:0:0 secret", encoding="utf-8")
    (folder / "link.txt").symlink_to(tmp_path / "outside.txt")
    (folder / "binary.txt").write_bytes(b"\x00\xff\xfe\x89PNG")
    (folder / "latin1.txt").write_bytes("Déclaration root:x:0:0".encode("latin-1"))
    os.mkfifo(folder / "fifo.txt")
    hostile = {
        "dotdot": "../../../../../../etc/passwd",
        "absolute": "/etc/passwd",
        "outside": "../outside.txt",
        "link": "link.txt",
        "binary": "binary.txt",
        "latin1": "latin1.txt",
        "fifo": "fifo.txt",
        "nul": "a\x00b",
    }
    for day, (key, name) in enumerate(hostile.items(), start=10):  # one withdrawal a day
        report = tmp_path / f"{key}.yaml"
        text = ARTICLE_REPORT.format(id=f"wire-{key}", file=name, day=day)
        if key == "nul":
            text = text.replace("'a\\x00b'", '"a\\0b"')
        report.write_text(text, encoding="utf-8")
        result = run("import", str(report), "--db", location)
        if key == "nul":  # a NUL is a control character: refused at import
            assert result.exit_code == 1 and "U+0000" in result.stderr, result.output
        else:
            assert result.exit_code == 0, result.output
    return location, folder


def test_verify_never_reads_an_article_outside_the_folder(articles_ledger: Any) -> None:
    location, folder = articles_ledger
    result = run("verify", "--articles", str(folder), "--db", location)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    for key in ("dotdot", "absolute", "outside", "link"):
        mine = [line for line in lines if f"'wire-{key}'" in line]
        assert mine and all("outside the articles folder" in line for line in mine), lines
    assert not [line for line in lines if f"event 'cut-wire-{key}'" in line]  # never compared
    assert any("'wire-binary'" in line and "not UTF-8" in line for line in lines)
    assert any("'wire-latin1'" in line and "not UTF-8" in line for line in lines)
    assert any("'wire-fifo'" in line and "not a regular file" in line for line in lines)


def test_read_article_reads_a_file_inside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("\ufeffthe text", encoding="utf-8")
    assert read_article(tmp_path, "sub/a.txt") == ("the text", None)
    text, problem = read_article(tmp_path, "sub/../../x")
    assert text is None and "outside the articles folder" in str(problem)


def test_a_failed_import_leaves_events_unchanged(locations: Any, tmp_path: Path) -> None:
    location = locations.new()
    assert run("import", "--bundled", "--db", location).exit_code == 0
    before = events_json(location)
    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID_REPORT.replace('published: "2021-11-16"', 'published: "2015"'))
    result = run("import", str(bad), "--db", location)
    assert_one_paragraph_refusal(result, "bad.yaml", "events[0]", "before the event's date")
    assert events_json(location) == before


@pytest.mark.parametrize("topic", ["junk", "os:system", "datetime:timezone.utc"])
def test_an_eventsourcing_timezone_setting_is_ignored(tmp_path: Path, topic: str) -> None:
    """eventsourcing imports whatever module TZINFO_TOPIC names when it is first imported;
    Chancery stamps recording times in UTC and drops the setting instead of crashing on it."""
    db = tmp_path / "ledger.sqlite"
    env = {**os.environ, "TZINFO_TOPIC": topic}
    base = [sys.executable, "-m", "chancery"]
    imported = subprocess.run(
        [*base, "import", "--bundled", "--db", str(db)], env=env, capture_output=True, text=True
    )
    assert imported.returncode == 0, imported.stderr
    done = subprocess.run(
        [*base, "events", "--json", "--db", str(db)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    recorded = [e["recorded_at"] for e in json.loads(done.stdout)["events"]]
    assert recorded and all(r.endswith(("Z", "+00:00")) for r in recorded), recorded[:3]


# An output encoding that cannot carry the text -----------------------------------------

ENCODED_COMMANDS = [
    ("state", "--as-of", "2021-10-20"),
    ("why", "russia-mission-to-nato", "--as-of", "2021-10-20"),
    ("sources",),
    ("history", "russia-mission-to-nato"),
]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_every_command_prints_under_a_narrow_encoding(
    bundled_location: str, tmp_path: Path, encoding: str
) -> None:
    """`→`, curly quotes and Cyrillic reach an ASCII or latin-1 stdout as backslash escapes,
    never a UnicodeEncodeError traceback; what the encoding can carry is printed as it is.
    `extract`'s draft is a YAML file, written as UTF-8 (an escape in a plain scalar would
    read back as a backslash)."""
    if not bundled_location.endswith(".sqlite"):
        pytest.skip("the output encoding is the same on either store")
    article = tmp_path / "article.txt"
    article.write_text(
        "BRUSSELS — NATO withdrew the accreditation of eight members of Russia’s mission "
        "on Wednesday, cutting its staff cap from 20 to 10. «Élan» → Москва.\n",
        encoding="utf-8",
    )
    extract = ("extract", str(article), "--published", "2021-10-21")
    environment = {**os.environ, "PYTHONIOENCODING": encoding, "CHANCERY_DB": bundled_location}
    printed = {}
    for command in [*ENCODED_COMMANDS, extract]:
        done = subprocess.run(
            [sys.executable, "-m", "chancery", *command],
            capture_output=True,
            env=environment,
            cwd=REPO,
            timeout=120,
        )
        assert done.returncode == 0, (command, done.stderr.decode(encoding))
        assert b"Traceback" not in done.stderr, done.stderr
        document = command[0] == "extract"
        printed[command[0]] = done.stdout.decode("utf-8" if document else encoding)
    assert "\\u201c" in printed["why"]  # the quotes' curly marks, escaped
    assert "\\u2192" in printed["history"]  # "20 → 10"
    assert "russia-mission-to-nato" in printed["state"] and "art-000" in printed["sources"]
    assert "Russia’s" in printed["extract"]  # the draft's quote, verbatim
    json_command = [sys.executable, "-m", "chancery", "why", "russia-mission-to-nato"]
    json_command += ["--as-of", "2021-10-20", "--json"]
    narrow = subprocess.run(json_command, capture_output=True, env=environment, timeout=120)
    utf8 = {**environment, "PYTHONIOENCODING": "utf-8"}
    wide = subprocess.run(json_command, capture_output=True, env=utf8, timeout=120)
    assert narrow.returncode == wide.returncode == 0, narrow.stderr
    assert json.loads(narrow.stdout.decode(encoding)) == json.loads(wide.stdout.decode("utf-8"))


def test_what_an_encoding_cannot_carry_is_written_asjson_escapes() -> None:
    """`é`, `→` and `😀` on an ASCII stream: JSON's escapes (a surrogate pair beyond the BMP),
    so a `--json` document read back is the same text."""
    import codecs

    from chancery.terminal.output import json_escapes

    codecs.register_error("chancery-json-escapes", json_escapes)
    text = '{"quote": "é → 😀 ok"}'
    written = text.encode("ascii", "chancery-json-escapes").decode("ascii")
    assert written == '{"quote": "\\u00e9 \\u2192 \\ud83d\\ude00 ok"}'
    assert json.loads(written) == json.loads(text)
    assert text.encode("latin-1", "chancery-json-escapes") == (
        '{"quote": "é \\u2192 \\ud83d\\ude00 ok"}'.encode("latin-1")
    )
