"""`chancery extract` from the command line: the round trip (extract, import, replay) on the five
seed articles, the JSON contract, and one-paragraph errors whatever the input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.cli import app
from chancery.extraction.extract import MAX_ARTICLE_BYTES
from chancery.storage.readmodel import ReadModel
from chancery.storage.store import open_ledger
from typer.testing import CliRunner

from tests.conftest import ARTICLES, contents, needs_articles
from tests.integration.test_replay import (
    COUNCIL_TIMELINE,
    MISSION,
    MISSION_TIMELINE,
    OTHER_TIMELINES,
    project,
    test_known_at_shows_only_what_had_been_reported,
    test_nothing_is_known_before_the_first_report,
)

runner = CliRunner()


PUBLISHED = {
    "000_17514ccb42175d7f.txt": "2021-10-07",
    "001_a75a0214ed203a89.txt": "2021-10-07",
    "002_35abae1301d9072f.txt": "2020-12-01/2021-10-18",
    "003_1336be3508277bde.txt": "2021-10-21",
    "004_8b4104287ca5076d.txt": "2021-11-29",
}
EVENT_KEYS = {
    "type",
    "channel",
    "actor",
    "target",
    "date",
    "effective",
    "count",
    "from_cap",
    "to_cap",
    "quote",
    "start",
    "end",
    "confidence",
    "match",
}


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("extract") / "bundled.sqlite"
    assert invoke("import", "--bundled", "--db", str(db)).exit_code == 0
    return db


@needs_articles
def test_drafts_of_the_seed_articles_import_without_duplicates_or_broken_replay(
    tmp_path: Path,
) -> None:
    """The round trip: extract each article, import its draft unreviewed after
    `import --bundled` into a fresh ledger; no event is added (the articles' reports of
    recorded events come as corroborations and refinements) and every replay expectation
    written from the articles still holds."""
    assert ARTICLES is not None
    db = tmp_path / "ledger.sqlite"
    assert invoke("import", "--bundled", "--db", str(db)).exit_code == 0
    before = contents(open_ledger(str(db), create=False))
    for name, published in PUBLISHED.items():
        result = invoke("extract", str(ARTICLES / name), "--published", published, "--db", str(db))
        assert result.exit_code == 0, result.output
        draft = tmp_path / f"{name}.yaml"
        draft.write_text(result.stdout, encoding="utf-8")
        assert "# corroborates" in result.stdout  # every article reports recorded events
        imported = invoke("import", str(draft), "--db", str(db), "--json")
        assert imported.exit_code == 0, imported.output
        entries = yaml.safe_load(result.stdout)["events"]
        # every report of a recorded event is drafted as its corroboration or refinement
        assert {e["type"] for e in entries} <= {"corroboration", "refinement"}
        assert json.loads(imported.stdout)["added"].get("events", 0) == len(entries)
    ledger = open_ledger(str(db), create=False)
    after = ReadModel(ledger)
    held = contents(ledger)
    events = sum(len(held.actions(slug)) for slug in held.channels)
    assert events == sum(len(before.actions(slug)) for slug in before.channels)
    assert len(held.sources) == len(before.sources) + len(PUBLISHED)
    for as_of, expected in MISSION_TIMELINE:
        assert project(after, MISSION, as_of) == expected, as_of
    for as_of, expected in COUNCIL_TIMELINE:
        assert project(after, "nato-russia-council", as_of) == expected, as_of
    for slug, as_of, expected in OTHER_TIMELINES:
        assert project(after, slug, as_of) == expected, (slug, as_of)
    test_known_at_shows_only_what_had_been_reported(after)
    test_nothing_is_known_before_the_first_report(after)


@needs_articles
def test_json_has_every_key_and_verbatim_quotes(bundled_db: Path) -> None:
    assert ARTICLES is not None
    for name, published in PUBLISHED.items():
        path = ARTICLES / name
        result = invoke(
            "extract", str(path), "--published", published, "--db", str(bundled_db), "--json"
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert set(data) == {"source", "sources", "events"}
        assert data["sources"] == [data["source"]]
        assert data["source"]["published"]["edtf"] == published
        text = path.read_text(encoding="utf-8")
        assert data["events"]
        for event in data["events"]:
            assert set(event) >= EVENT_KEYS
            assert event["source"] == data["source"]["id"]
            assert text[event["start"] : event["end"]] == event["quote"]
            assert set(event["match"]) >= {"kind", "event"}
            kinds = ("corroborates", "refines", "disputes", "conflicts", "new")
            assert event["match"]["kind"] in kinds
            assert 0 < event["confidence"] < 1
            for key in ("earliest", "latest", "edtf", "wording", "resolved_against", "resolution"):
                assert key in event["date"]


def test_a_new_report_becomes_a_live_event_that_imports(bundled_db: Path, tmp_path: Path) -> None:
    article = tmp_path / "report.txt"
    article.write_text(
        "BRUSSELS, March 3 - On 2 March 2022, NATO expelled three more members of the "
        "Russian mission, officials said.\n",
        encoding="utf-8",
    )
    result = invoke(
        "extract",
        str(article),
        "--published",
        "2022-03-03",
        "--outlet",
        "Wire",
        "--db",
        str(bundled_db),
        "--json",
    )
    assert result.exit_code == 0, result.output
    (event,) = json.loads(result.stdout)["events"]
    assert (event["type"], event["count"], event["date"]["edtf"]) == (
        "accreditation_withdrawn",
        3,
        "2022-03-02",
    )
    # The mission's suspension was announced on 2021-10-18 and no source says when it took
    # effect: an expulsion after the announcement is evidence, not a broken rule.
    assert event["match"] == {"kind": "new", "event": None, "rule": None, "detail": ""}
    draft = tmp_path / "draft.yaml"
    draft.write_text(
        invoke(
            "extract", str(article), "--published", "2022-03-03", "--db", str(bundled_db)
        ).stdout,
        encoding="utf-8",
    )
    ledger = tmp_path / "ledger.sqlite"
    shutil.copy(bundled_db, ledger)
    imported = invoke("import", str(draft), "--db", str(ledger))
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.startswith("added 1 source, 1 event;")


@pytest.mark.parametrize(
    ("text", "ended_by"),
    [
        (
            "MOSCOW, March 3 - On 2 March 2022, Russia expelled two members of the NATO "
            "Information Office in Moscow, officials said.\n",
            "nato-information-office-moscow-closed-2021-10-18",
        ),
        (
            "On 2 March 2022, Moscow expelled three staff of the NATO military liaison mission "
            "in Moscow.\n",
            "nato-mlm-moscow-suspended-2021-10-18",
        ),
    ],
)
def test_an_action_on_a_post_ended_in_effect_conflicts(
    bundled_db: Path, tmp_path: Path, text: str, ended_by: str
) -> None:
    """Both posts were reported closed or suspended (done) by 29 November 2021: an action on
    them after that breaks the rule, and the draft says which event ended them."""
    article = tmp_path / "report.txt"
    article.write_text(text, encoding="utf-8")
    result = invoke(
        "extract", str(article), "--published", "2022-03-03", "--db", str(bundled_db), "--json"
    )
    assert result.exit_code == 0, result.output
    (event,) = json.loads(result.stdout)["events"]
    assert event["type"] == "accreditation_withdrawn"
    assert (event["match"]["kind"], event["match"]["rule"], event["match"]["event"]) == (
        "conflicts",
        "no-action-on-ended-channel",
        ended_by,
    )


def test_an_undated_article_takes_a_publication_interval(bundled_db: Path, tmp_path: Path) -> None:
    article = tmp_path / "undated.txt"
    article.write_text(
        "Stoltenberg said on Tuesday that Moscow has not responded to the invitation to the "
        "NATO-Russia Council.\n",
        encoding="utf-8",
    )
    result = invoke(
        "extract",
        str(article),
        "--published",
        "2020-12-01/2021-10-18",
        "--db",
        str(bundled_db),
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"]["published"]["earliest"] == "2020-12-01"
    (event,) = data["events"]
    assert event["date"]["earliest"] == "2020-12-01" and event["date"]["latest"] == "2021-10-12"
    assert event["match"] == {
        "kind": "refines",
        "event": "nrc-invitation-unanswered-dpa-interview",
        "rule": None,
        "detail": event["match"]["detail"],
    }


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_an_article_that_is_not_a_file_is_refused_without_waiting(
    bundled_db: Path, tmp_path: Path, kind: str
) -> None:
    """A named pipe nobody writes to used to hang `extract` for ever; a device was read."""
    article = tmp_path / "article"
    if kind == "fifo":
        os.mkfifo(article)
    elif kind == "directory":
        article.mkdir()
    else:
        article = Path("/dev/zero")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "chancery",
            "extract",
            str(article),
            "--published",
            "2021-10-07",
            "--db",
            str(bundled_db),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done
    assert "not a regular file" in done.stderr or "is a directory" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL"),
        (b"x" * (MAX_ARTICLE_BYTES + 1), "larger than"),
        (bytes(range(1, 32)) * 40, "control bytes"),
    ],
    ids=["empty", "blank", "binary", "huge", "control-bytes"],
)
def test_unreadable_articles_are_one_line_errors(
    bundled_db: Path, tmp_path: Path, content: bytes, fragment: str
) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    result = invoke("extract", str(article), "--published", "2021-10-07", "--db", str(bundled_db))
    assert result.exit_code == 1
    assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_latin1_article_is_read(bundled_db: Path, tmp_path: Path) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes(
        "On 6 October, NATO expelled eight members of the Russian mission, said "
        "the Secrétaire général.\n".encode("latin-1")
    )
    result = invoke(
        "extract", str(article), "--published", "2021-10-07", "--db", str(bundled_db), "--json"
    )
    assert result.exit_code == 0, result.output
    (event,) = json.loads(result.stdout)["events"]
    assert event["match"] == {
        "kind": "corroborates",
        "event": "russia-mission-accreditations-withdrawn-2021-10-06",
        "rule": None,
        "detail": "",
    }


@pytest.mark.parametrize(
    "published", ["yesterday", "2021-13-01", "2021-10-18/2021-10-01", "", "2021-10-07\n--db"]
)
def test_a_bad_published_date_is_an_error(bundled_db: Path, tmp_path: Path, published: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text("NATO expelled eight members of the Russian mission.", encoding="utf-8")
    result = invoke("extract", str(article), "--published", published, "--db", str(bundled_db))
    assert result.exit_code == 2
    assert "--published" in result.stderr
    assert "Traceback" not in result.output


def test_article_text_is_data_in_the_yaml(bundled_db: Path, tmp_path: Path) -> None:
    """Quotes with YAML syntax, comment markers and line separators stay inside the quote."""
    article = tmp_path / "tricky.txt"
    article.write_text(
        "On 2 March 2022, Russia expelled two members of the NATO Information Office in "
        'Moscow: "a: b" # not a comment\u2028{ [ & * ! | > \' % @ `.\n',
        encoding="utf-8",
    )
    result = invoke("extract", str(article), "--published", "2022-03-03", "--db", str(bundled_db))
    assert result.exit_code == 0, result.output
    import yaml

    loaded = yaml.safe_load(result.stdout)
    assert loaded["chancery"] == 1 and loaded["events"] == []  # the office closed in 2021
    commented = [line for line in result.stdout.splitlines() if "quote:" in line]
    assert commented and all(line.startswith("#") for line in commented)


# ------------------------------------------------------------------ templates and hints


def test_new_prints_an_importable_template_with_every_field() -> None:
    import yaml
    from chancery.domain.actions import StaffCapChanged

    result = invoke("new", "staff_cap_changed")
    assert result.exit_code == 0, result.output
    (record,) = yaml.safe_load(result.stdout)["events"]
    assert set(record) == set(StaffCapChanged.model_fields)
    assert "# optional: Cap after" in result.stdout


def test_new_with_a_slip_suggests_the_type() -> None:
    result = invoke("new", "staff_cap_change")
    assert result.exit_code == 2
    assert "did you mean 'staff_cap_changed'?" in result.stderr


def _file(tmp_path: Path, **fields: Any) -> Path:
    import yaml

    record = {
        "id": "e1",
        "type": "staff_cap_changed",
        "channel": "russia-mission-to-nato",
        "actor": "nato",
        "date": "2022-01-10",
        "citations": [{"source": "art-000-2021-10-07", "quote": "q"}],
        **fields,
    }
    path = tmp_path / "slip.yaml"
    path.write_text(yaml.safe_dump({"chancery": 1, "events": [record]}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fields", "hint"),
    [
        ({"actor": "Nato"}, "did you mean 'nato'?"),  # NATO itself is a party's code
        ({"to": 20}, "did you mean 'to_cap'?"),
        ({"channel": "russia-misison-to-nato"}, "did you mean 'russia-mission-to-nato'?"),
    ],
    ids=["capitalised-slug", "short-field", "channel-typo"],
)
def test_slips_get_did_you_mean_hints(
    bundled_db: Path, tmp_path: Path, fields: dict[str, Any], hint: str
) -> None:
    result = invoke("import", str(_file(tmp_path, **fields)), "--db", str(bundled_db))
    assert result.exit_code == 1
    assert hint in result.stderr


def test_an_empty_ledger_is_told_to_import_the_bundled_data_first(tmp_path: Path) -> None:
    db = tmp_path / "empty.sqlite"
    result = invoke("import", str(_file(tmp_path)), "--db", str(db))
    assert result.exit_code == 1
    assert "import --bundled" in result.stderr


def _declarations(tmp_path: Path, aliases: list[str] | None) -> Path:
    import yaml

    party: dict[str, Any] = {"slug": "nato", "name": "North Atlantic Treaty Organization"}
    party["kind"] = "organisation"
    if aliases is not None:
        party["aliases"] = aliases
    path = tmp_path / "declarations.yaml"
    path.write_text(yaml.safe_dump({"chancery": 1, "parties": [party]}), encoding="utf-8")
    return path


def test_a_redeclaration_without_aliases_keeps_the_recorded_ones(
    bundled_db: Path, tmp_path: Path
) -> None:
    result = invoke("import", str(_declarations(tmp_path, None)), "--db", str(bundled_db))
    assert result.exit_code == 0, result.output
    assert "already recorded: 1 party" in result.stdout  # unchanged
    ledger = open_ledger(str(bundled_db), create=False)
    assert "NRC" in ledger.channels()["nato-russia-council"].aliases
    assert "North Atlantic Alliance" in ledger.parties()["nato"].aliases


def test_a_redeclaration_with_other_aliases_is_refused(bundled_db: Path, tmp_path: Path) -> None:
    result = invoke("import", str(_declarations(tmp_path, ["OTAN"])), "--db", str(bundled_db))
    assert result.exit_code == 1
    assert "different content" in result.stderr


def test_a_source_id_that_is_not_a_slug_gets_a_suggestion(bundled_db: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("NATO expelled eight members of the Russian mission.", encoding="utf-8")
    result = invoke(
        "extract",
        str(article),
        "--published",
        "2021-10-07",
        "--source-id",
        "Reuters 7 Oct",
        "--db",
        str(bundled_db),
    )
    assert result.exit_code == 2
    assert "did you mean 'reuters-7-oct'?" in result.stderr


# ------------------------------------------------------------------ hostile input


EDGE = {
    "chancery": 1,
    "parties": [
        {"slug": "edgeland", "name": "Edgeland", "kind": "state"},
        {"slug": "borderia", "name": "Borderia", "kind": "state"},
    ],
    "channels": [
        {
            "slug": "edge-mission",
            "name": "Edge Mission",
            "kind": "mission",
            "parties": ["edgeland", "borderia"],
            "host": "borderia",
        }
    ],
}


@pytest.fixture
def edge_db(tmp_path: Path) -> Path:
    """A ledger that declares one mission and holds no events: every proposal is live."""
    import yaml

    declarations = tmp_path / "declarations.yaml"
    declarations.write_text(yaml.safe_dump(EDGE), encoding="utf-8")
    db = tmp_path / "edge.sqlite"
    result = invoke("import", str(declarations), "--db", str(db))
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\r", "\n"])
def test_line_separators_in_names_and_quotes_stay_one_scalar(
    edge_db: Path, tmp_path: Path, separator: str
) -> None:
    """A NEL or any other line separator in the file name, the outlet or the article never
    starts a line of live YAML: the draft parses back to exactly the values given."""
    import yaml

    injected = f"{separator}events: []{separator}- id: evil{separator}#"
    name = f"wire{injected}.txt"
    outlet = f"Wire{injected}"
    sentence = f"On 2 March 2022, Borderia expelled two members of the Edge Mission{injected}."
    article = tmp_path / name
    article.write_text(sentence + "\n", encoding="utf-8")
    result = invoke(
        "extract", str(article), "--published", "2022-03-03", "--outlet", outlet,
        "--db", str(edge_db),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    draft = yaml.safe_load(result.stdout)
    assert set(draft) == {"chancery", "sources", "events"}
    (source,) = draft["sources"]
    assert (source["file"], source["outlet"]) == (name, outlet)
    (event,) = draft["events"]
    assert event["type"] == "accreditation_withdrawn"
    assert (
        event["citations"][0]["quote"] in sentence
        and "Edge Mission" in event["citations"][0]["quote"]
    )
    comments = [line for line in result.stdout.split("\n") if line.startswith("#")]
    assert all(separator not in line for line in comments)


def test_an_open_ended_publication_date_is_refused_as_the_import_refuses_it(
    edge_db: Path, tmp_path: Path
) -> None:
    from chancery.domain.dates import import_edtf

    article = tmp_path / "a.txt"
    article.write_text("Borderia expelled two members of the Edge Mission.", encoding="utf-8")
    for published in ("2021-10-21/", "/2021-10-21", "2021/..", "../2021"):
        result = invoke("extract", str(article), "--published", published, "--db", str(edge_db))
        assert result.exit_code == 2
        with pytest.raises(ValueError) as refusal:
            import_edtf(published)
        assert f"--published: {refusal.value}" == " ".join(result.stderr.split()).removeprefix(
            "chancery: error: "
        )
        assert "Traceback" not in result.output


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31"])
def test_the_calendar_ends_extract_import_and_report(
    edge_db: Path, tmp_path: Path, published: str
) -> None:
    """An article of year 1 or 9999 is extracted, its draft imported, and every view of the
    ledger (state, history, events, timeline, report, verify) still answers."""
    article = tmp_path / "ends.txt"
    article.write_text(
        "Borderia expelled two members of the Edge Mission two years ago. Last month Borderia "
        "cut the Edge Mission's staff from 20 to 10. On 5 May, Borderia expelled three members "
        "of the Edge Mission, with effect from 1 June.\n",
        encoding="utf-8",
    )
    result = invoke("extract", str(article), "--published", published, "--db", str(edge_db))
    assert result.exit_code == 0, result.output
    draft = tmp_path / "draft.yaml"
    draft.write_text(result.stdout, encoding="utf-8")
    imported = invoke("import", str(draft), "--db", str(edge_db))
    assert imported.exit_code == 0, imported.output
    for args in (
        ["state", "--as-of", published],
        ["state", "--as-of", "9999-12-31", "--json"],
        ["history", "edge-mission"],
        ["events"],
        ["timeline", "--out", str(tmp_path / "t.svg")],
        ["report", "--out", str(tmp_path / "r.html")],
        ["verify"],
    ):
        shown = invoke(*args, "--db", str(edge_db))
        assert shown.exit_code == 0, (args, shown.output)
        assert "Traceback" not in shown.output


def test_events_on_the_first_and_last_days_leave_every_view_working(
    edge_db: Path, tmp_path: Path
) -> None:
    import yaml

    events = {
        "chancery": 1,
        "sources": [
            {"id": "first", "outlet": "First", "published": "0001-01-01"},
            {"id": "last", "outlet": "Last", "published": "9999-12-31"},
        ],
        "events": [
            {
                "id": f"expelled-{source}",
                "type": "accreditation_withdrawn",
                "channel": "edge-mission",
                "actor": "borderia",
                "target": "edgeland",
                "date": day,
                "count": 1,
                "citations": [{"source": source, "quote": "One member was expelled."}],
            }
            for source, day in (("first", "0001-01-01"), ("last", "9999-12-31"))
        ],
    }
    path = tmp_path / "ends.yaml"
    path.write_text(yaml.safe_dump(events), encoding="utf-8")
    assert invoke("import", str(path), "--db", str(edge_db)).exit_code == 0
    for args in (
        ["state", "--as-of", "9999-12-31"],
        ["state", "--as-of", "0001-01-01", "--json"],
        ["timeline", "--out", str(tmp_path / "t.png")],
        ["timeline", "--channel", "edge-mission", "--out", str(tmp_path / "t.svg")],
        ["report", "--out", str(tmp_path / "r.html")],
        ["report", "--as-of", "9999-12-31", "--out", str(tmp_path / "r2.html")],
        ["history", "edge-mission"],
    ):
        shown = invoke(*args, "--db", str(edge_db))
        assert shown.exit_code == 0, (args, shown.output)
        assert "Traceback" not in shown.output
    state = json.loads(
        invoke("state", "--as-of", "9999-12-31", "--json", "--db", str(edge_db)).stdout
    )
    assert "edge-mission" in json.dumps(state) and '"accreditations_withdrawn": 2' in json.dumps(
        state
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_draft_is_utf8_whatever_the_terminal_encoding(
    edge_db: Path, tmp_path: Path, encoding: str
) -> None:
    """Under a narrow encoding the draft's quotes were written with `\\u2019` escapes in
    plain YAML scalars, which read back as backslashes: no quote was verbatim any more. The
    draft, like `show`'s YAML, is the UTF-8 file it would be on any terminal."""
    article = tmp_path / "wire.txt"
    quote = "On 2 March 2022, Borderia expelled two members of the Edge Mission’s “staff”."
    article.write_text(quote + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "chancery", "extract", str(article)]
    command += ["--published", "2022-03-03", "--db", str(edge_db)]

    def draft(environment: dict[str, str]) -> bytes:
        done = subprocess.run(command, capture_output=True, env=environment, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    narrow = draft({**os.environ, "PYTHONIOENCODING": encoding})
    assert narrow == draft({**os.environ, "PYTHONIOENCODING": "utf-8"})
    (event,) = yaml.safe_load(narrow.decode("utf-8"))["events"]
    assert event["citations"][0]["quote"] == quote


def test_a_repaired_article_says_so_in_the_draft(edge_db: Path, tmp_path: Path) -> None:
    """One Windows-1252 byte in UTF-8 text: the quote keeps every other character as written,
    and the draft (comment and source note) says bytes were repaired."""
    import yaml

    article = tmp_path / "wire.txt"
    article.write_bytes(
        "On 2 March 2022, Borderia expelled two members of the Edge Mission’s “staff”".encode()
        + b" \x96 Mr. M\xfcller said.\n"
    )
    result = invoke("extract", str(article), "--published", "2022-03-03", "--db", str(edge_db))
    assert result.exit_code == 0, result.output
    assert "# Encoding: 2 byte(s) of the file were not UTF-8" in result.stdout
    draft = yaml.safe_load(result.stdout)
    assert "repaired" in draft["sources"][0]["note"]
    (event,) = draft["events"]
    assert event["citations"][0]["quote"] == (
        "On 2 March 2022, Borderia expelled two members of the Edge Mission’s “staff” – "
        "Mr. Müller said."
    )
