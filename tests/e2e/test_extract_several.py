"""`chancery extract` over several articles at once, then `import` of the draft as it stands:
an expulsion two articles report is one event and a corroboration, never two events, and the
import neither refuses the draft (`reported-once`) nor counts the expulsion twice. Articles
that give different numbers leave a dispute with both claims. The texts are the project's own:
a United Kingdom–Russia expulsion and a Canada–India one, on pairs declared by `chancery dyad`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from chancery.cli import app
from typer.testing import CliRunner

LONDON_WIRE = (
    "Britain orders 23 Russian diplomats out\n\n"
    "LONDON, March 14 (Wire) - Britain expelled 23 Russian diplomats on Wednesday, the "
    "largest such step in three decades, after a nerve agent attack in the south of England. "
    "The prime minister said the diplomats had a week to leave.\n"
)
FOREIGN_OFFICE = (
    "Foreign Office statement\n\n"
    "The United Kingdom yesterday declared 23 members of the Russian Embassy in London persona "
    "non grata. They must leave the country by 21 March.\n"
)
MOSCOW_AGENCY = (
    "Moscow weighs its reply\n\n"
    "MOSCOW, March 16 (Agency) - Britain expelled 20 Russian diplomats on Wednesday, Russian "
    "officials said on Friday, adding that a response was being prepared.\n"
)
OTTAWA_WIRE = (
    "Canada and India trade expulsions\n\n"
    "OTTAWA, Sept 19 (Wire) - Canada expelled a senior Indian diplomat on Monday after the "
    "prime minister told parliament of allegations linking agents of India to a killing in "
    "British Columbia. On Tuesday India expelled a senior Canadian diplomat in return and gave "
    "him five days to leave.\n"
)
DELHI_RELEASE = (
    "Press release of the Ministry of External Affairs\n\n"
    "The High Commissioner of Canada in New Delhi was summoned today and informed of the "
    "decision of the Government of India to expel a senior Canadian diplomat based in India.\n"
)
RUSSIA_IN_LONDON = "russia-embassy-united-kingdom"
INDIA_IN_OTTAWA = "india-embassy-canada"
CANADA_IN_DELHI = "canada-embassy-india"


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def declared_ledger(tmp_path: Path) -> str:
    db = str(tmp_path / "ledger.sqlite")
    for first, second in (("GB", "RU"), ("CA", "IN")):
        declarations = tmp_path / f"{first}-{second}.yaml"
        declarations.write_text(invoke("dyad", first, second), encoding="utf-8")
        invoke("import", str(declarations), "--db", db)
    return db


def write(tmp_path: Path, **texts: str) -> list[str]:
    paths = []
    for name, text in texts.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def events_on(db: str, channel: str) -> list[dict[str, Any]]:
    listed = json.loads(invoke("events", "--channel", channel, "--db", db, "--json"))
    events: list[dict[str, Any]] = listed["events"]
    return events


def test_two_articles_on_each_expulsion_import_as_one_event_each(tmp_path: Path) -> None:
    db = declared_ledger(tmp_path)
    articles = write(
        tmp_path, london=LONDON_WIRE, fco=FOREIGN_OFFICE, ottawa=OTTAWA_WIRE, delhi=DELHI_RELEASE
    )
    dates = ("2018-03-14", "2018-03-15", "2023-09-19", "2023-09-19")
    published = [arg for day in dates for arg in ("--published", day)]
    draft = invoke("extract", *articles, *published, "--db", db)
    entries = yaml.safe_load(draft)["events"]
    by_type = [(e["type"], e.get("channel")) for e in entries]
    assert by_type.count(("accreditation_withdrawn", RUSSIA_IN_LONDON)) == 1
    assert by_type.count(("corroboration", RUSSIA_IN_LONDON)) == 1
    assert by_type.count(("accreditation_withdrawn", CANADA_IN_DELHI)) == 1
    assert by_type.count(("corroboration", CANADA_IN_DELHI)) == 1
    path = tmp_path / "draft.yaml"
    path.write_text(draft, encoding="utf-8")
    invoke("import", str(path), "--db", db)
    [london] = events_on(db, RUSSIA_IN_LONDON)
    assert (london["date"], london["details"]) == ("2018-03-14", {"count": 23})
    assert {c["source"] for c in london["citations"]} == {
        "london-2018-03-14",
        "fco-2018-03-15",
    }
    [delhi] = [e for e in events_on(db, CANADA_IN_DELHI) if e["type"] == "accreditation_withdrawn"]
    assert delhi["date"] == "2023-09-19" and len(delhi["citations"]) == 2
    [ottawa] = events_on(db, INDIA_IN_OTTAWA)
    assert ottawa["date"] == "2023-09-18"


def test_the_same_articles_extracted_one_by_one_make_drafts_the_import_refuses(
    tmp_path: Path,
) -> None:
    """What the single run prevents: two separate drafts each propose the expulsion as new,
    and importing them together is refused as one action reported twice."""
    db = declared_ledger(tmp_path)
    drafts = []
    for article, published in zip(
        write(tmp_path, london=LONDON_WIRE, fco=FOREIGN_OFFICE),
        ("2018-03-14", "2018-03-15"),
        strict=True,
    ):
        drafts.append(Path(f"{article}.yaml"))
        drafts[-1].write_text(
            invoke("extract", article, "--published", published, "--db", db), encoding="utf-8"
        )
    result = CliRunner().invoke(app, ["import", *map(str, drafts), "--db", db])
    assert result.exit_code == 1 and "reported-once" in result.stderr


def test_articles_giving_different_numbers_leave_a_dispute_not_a_second_event(
    tmp_path: Path,
) -> None:
    db = declared_ledger(tmp_path)
    articles = write(tmp_path, london=LONDON_WIRE, moscow=MOSCOW_AGENCY)
    draft = invoke(
        "extract", *articles, "--published", "2018-03-14", "--published", "2018-03-16", "--db", db
    )
    path = tmp_path / "draft.yaml"
    path.write_text(draft, encoding="utf-8")
    invoke("import", str(path), "--db", db)
    [london] = events_on(db, RUSSIA_IN_LONDON)
    [dispute] = london["disputes"]
    assert dispute["about"] == "count"
    assert sorted(claim["says"] for claim in dispute["claims"]) == ["count 20", "count 23"]
    assert "count 20" in invoke("disputes", "--db", db)


SUNDAY_PAPER = (
    "Twenty-five Russians sent home\n\n"
    "Britain expelled 25 Russian diplomats on Wednesday, a Sunday paper said, citing a "
    "security source.\n"
)
DELHI_DAILY = (
    "A senior Canadian diplomat was ordered out of India on Thursday, a New Delhi daily "
    "reported on Saturday.\n"
)


def test_a_third_number_and_a_disputed_day_import_as_one_event_each(tmp_path: Path) -> None:
    """Three articles with three numbers: one event, one dispute of three claims. Two that
    place India's expulsion on Tuesday and on Thursday: one event spanning both days, its
    date disputed. The draft imports as it stands."""
    db = declared_ledger(tmp_path)
    articles = write(
        tmp_path,
        london=LONDON_WIRE,
        moscow=MOSCOW_AGENCY,
        sunday=SUNDAY_PAPER,
        ottawa=OTTAWA_WIRE,
        daily=DELHI_DAILY,
    )
    dates = ("2018-03-14", "2018-03-16", "2018-03-18", "2023-09-19", "2023-09-23")
    published = [arg for day in dates for arg in ("--published", day)]
    draft = invoke("extract", *articles, *published, "--db", db)
    path = tmp_path / "draft.yaml"
    path.write_text(draft, encoding="utf-8")
    invoke("import", str(path), "--db", db)
    [london] = events_on(db, RUSSIA_IN_LONDON)
    [count] = london["disputes"]
    assert sorted(claim["says"] for claim in count["claims"]) == [
        "count 20",
        "count 23",
        "count 25",
    ]
    [delhi] = events_on(db, CANADA_IN_DELHI)
    assert delhi["date"] == "2023-09-19/2023-09-21"
    [day] = delhi["disputes"]
    assert day["about"] == "date" and len(day["claims"]) == 2


def test_the_mission_caps_refine_the_bundled_cuts_in_one_run(tmp_path: Path) -> None:
    """The 2015 and 2018 reports extracted together refine the bundled cuts as they do one
    at a time: `history` shows the cap set to 30, cut to 20, then to 10."""
    db = str(tmp_path / "ledger.sqlite")
    invoke("import", "--bundled", "--db", db)
    articles = write(
        tmp_path,
        wire=(
            "BRUSSELS, Aug 20 (Wire) - NATO has limited the number of accredited staff at "
            "Russia's mission to the alliance to 30, officials told reporters on Thursday.\n"
        ),
        press=(
            "SECRETARY GENERAL: Today I have withdrawn the accreditation of seven members of the "
            "Russian mission to NATO. We have also cut the maximum size of the Russian mission "
            "by ten, from 30 to 20.\n"
        ),
    )
    draft = invoke(
        "extract", *articles, "--published", "2015-08-21", "--published", "2018-03-27", "--db", db
    )
    entries = yaml.safe_load(draft)["events"]
    assert not any(e["type"] == "staff_cap_changed" for e in entries)
    path = tmp_path / "draft.yaml"
    path.write_text(draft, encoding="utf-8")
    invoke("import", str(path), "--db", db)
    history = invoke("history", "russia-mission-to-nato", "--db", db)
    steps = [
        line.split("staff cap:")[1].strip() for line in history.splitlines() if "staff cap:" in line
    ]
    assert steps == ["unknown → 30", "30 → 20", "20 → 10"]


def test_an_option_given_the_wrong_number_of_times_is_a_usage_error(tmp_path: Path) -> None:
    db = declared_ledger(tmp_path)
    articles = write(tmp_path, london=LONDON_WIRE, fco=FOREIGN_OFFICE)
    for wrong in (
        ["--published", "2018-03-14", "--source-id", "one"],
        ["--published", "2018-03-14", "--published", "2018-03-15", "--published", "2018-03-16"],
    ):
        result = CliRunner().invoke(app, ["extract", *articles, *wrong, "--db", db])
        assert result.exit_code == 2, result.output
        assert result.stdout == "" and "once per article" in result.stderr
        assert "Traceback" not in result.output
