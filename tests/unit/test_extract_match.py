"""Matching the proposals of one extract run against each other and against the ledger: a
second report of an action (another article, another sentence) is a corroboration, a
refinement or a dispute of the first, never a second event.

The reports are the project's own short texts about pairs declared by code only (France and
Algeria, Kenya and Somalia, Japan and South Korea), so the rules are exercised on wording and
states the dev corpus does not hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from chancery.domain.actions import ENTRY_ADAPTER, Action
from chancery.domain.errors import ChanceryError
from chancery.domain.parties import Channel, Party
from chancery.extraction.service import Report, extract_reports, per_article


def _post(sending: str, receiving: str, city: str) -> Channel:
    return Channel.model_validate(
        {"kind": "embassy", "sending": sending, "receiving": receiving, "city": city}
    )


PAIRS = (("FR", "DZ", "Paris", "Algiers"), ("KE", "SO", "Nairobi", "Mogadishu"))
PAIRS += (("JP", "KR", "Tokyo", "Seoul"),)
PARTIES = {
    party.slug: party
    for a, b, _, _ in PAIRS
    for party in (Party.model_validate({"code": a}), Party.model_validate({"code": b}))
}
CHANNELS = {
    channel.slug: channel
    for a, b, city_a, city_b in PAIRS
    for channel in (_post(a, b, city_b), _post(b, a, city_a))
}
FR_IN_ALGERIA = "france-embassy-algeria"
KENYA_IN_SOMALIA = "kenya-embassy-somalia"
JAPAN_IN_KOREA = "japan-embassy-south-korea"

ALGIERS_WIRE = (
    "ALGIERS, May 6 (Wire) - Algeria expelled twelve French diplomats on Tuesday in a row "
    "over the arrest of a consular official.\n"
)
PARIS_STATEMENT = (
    "The French foreign ministry said on Wednesday that Algeria had declared 12 members of "
    "the French embassy persona non grata on Tuesday.\n"
)
STATE_MEDIA = "Algeria expelled 15 French diplomats on Tuesday, state media reported on Thursday.\n"


def draft(
    tmp_path: Path, *texts: tuple[str, str], recorded: list[Action] | None = None
) -> dict[str, Any]:
    """The JSON draft of one run over these (text, published) reports, in this order."""
    reports = []
    for number, (text, published) in enumerate(texts, start=1):
        path = tmp_path / f"report-{number}.txt"
        path.write_text(text, encoding="utf-8")
        reports.append(Report(path, published))
    result = extract_reports(
        reports,
        channels=CHANNELS,
        parties=PARTIES,
        recorded=lambda channels: [a for a in recorded or [] if a.channel in channels],
        source_named=lambda key: None,
        as_json=True,
    )
    assert isinstance(result, dict)
    return result


def kinds(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(e["source"], e["channel"], e["match"]["kind"]) for e in result["events"]]


def test_two_articles_of_one_expulsion_give_one_event_and_a_corroboration(
    tmp_path: Path,
) -> None:
    result = draft(tmp_path, (ALGIERS_WIRE, "2025-05-06"), (PARIS_STATEMENT, "2025-05-07"))
    first, second = result["events"]
    assert (first["channel"], first["match"]["kind"]) == (FR_IN_ALGERIA, "new")
    assert second["match"]["kind"] == "corroborates"
    assert second["source"] != first["source"]
    first_id = f"{first['source']}-01-accreditation-withdrawn"
    assert second["match"]["event"] == first_id


def test_the_earliest_published_article_gives_the_event_whatever_the_order_given(
    tmp_path: Path,
) -> None:
    result = draft(tmp_path, (PARIS_STATEMENT, "2025-05-07"), (ALGIERS_WIRE, "2025-05-06"))
    assert [e["source"] for e in result["events"]] == ["report-2-2025-05-06", "report-1-2025-05-07"]
    assert [e["match"]["kind"] for e in result["events"]] == ["new", "corroborates"]
    assert [s["id"] for s in result["sources"]] == ["report-2-2025-05-06", "report-1-2025-05-07"]


def test_a_later_article_with_the_day_and_the_number_refines_the_first(tmp_path: Path) -> None:
    vague = "Somalia expelled Kenyan diplomats this week, officials said.\n"
    precise = (
        "MOGADISHU, Dec 17 (Wire) - On Tuesday, Somalia expelled three Kenyan diplomats and "
        "gave them a week to leave.\n"
    )
    result = draft(tmp_path, (vague, "2020-12-16"), (precise, "2020-12-17"))
    first, second = result["events"]
    assert (first["channel"], first["match"]["kind"], first["count"]) == (
        KENYA_IN_SOMALIA,
        "new",
        None,
    )
    assert second["match"]["kind"] == "refines"
    assert "date 2020-12-15 inside" in second["match"]["detail"]
    assert "count 3" in second["match"]["detail"]


def test_articles_giving_different_numbers_are_kept_as_a_dispute(tmp_path: Path) -> None:
    result = draft(
        tmp_path,
        (ALGIERS_WIRE, "2025-05-06"),
        (PARIS_STATEMENT, "2025-05-07"),
        (STATE_MEDIA, "2025-05-08"),
    )
    assert [e["match"]["kind"] for e in result["events"]] == ["new", "corroborates", "disputes"]
    detail = result["events"][2]["match"]["detail"]
    assert "count 15 here, 12 in" in detail


def test_the_dispute_entry_keeps_each_claim_with_its_own_citations(tmp_path: Path) -> None:
    import yaml

    paths = []
    for number, text in enumerate((ALGIERS_WIRE, STATE_MEDIA), start=1):
        paths.append(tmp_path / f"r{number}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    text = extract_reports(
        [Report(paths[0], "2025-05-06"), Report(paths[1], "2025-05-08")],
        channels=CHANNELS,
        parties=PARTIES,
        recorded=lambda channels: [],
        source_named=lambda key: None,
    )
    assert isinstance(text, str)
    event, dispute = yaml.safe_load(text)["events"]
    assert event["type"] == "accreditation_withdrawn" and event["count"] == 12
    assert (dispute["type"], dispute["disputes"], dispute["about"]) == (
        "dispute",
        event["id"],
        "count",
    )
    says = {claim["says"]: {c["source"] for c in claim["citations"]} for claim in dispute["claims"]}
    assert says == {"count 12": {"r1-2025-05-06"}, "count 15": {"r2-2025-05-08"}}


def test_one_article_giving_two_numbers_is_left_for_review_with_the_reason(
    tmp_path: Path,
) -> None:
    text = (
        "South Korea expelled two Japanese diplomats on Monday.\n\n"
        "The foreign ministry in Seoul said on Tuesday that five Japanese diplomats had been "
        "expelled.\n"
    )
    result = draft(tmp_path, (text, "2019-07-24"))
    matches = [e["match"] for e in result["events"] if e["channel"] == JAPAN_IN_KOREA]
    assert [m["kind"] for m in matches] == ["new", "conflicts"]
    assert matches[1]["rule"] == "numbers-agree"
    assert "count 5 here, 2 in" in matches[1]["detail"]


def test_retaliation_on_the_other_post_and_actions_months_apart_stay_apart(
    tmp_path: Path,
) -> None:
    first = "Japan expelled four South Korean diplomats on 3 March.\n"
    second = "Seoul answered on 28 April by expelling four Japanese diplomats.\n"
    third = "South Korea expelled four more Japanese diplomats on 2 September.\n"
    result = draft(tmp_path, (first, "2019-03-04"), (second, "2019-04-29"), (third, "2019-09-03"))
    assert [e["match"]["kind"] for e in result["events"]] == ["new", "new", "new"]
    assert len({e["channel"] for e in result["events"]}) == 2


def test_a_different_day_inside_a_refined_interval_is_not_a_second_refinement(
    tmp_path: Path,
) -> None:
    """Once a report has narrowed the first report's week to a day, another report giving
    another day of that week is left for review: two refinements would contradict."""
    vague = "Somalia expelled three Kenyan diplomats this week, officials said.\n"
    tuesday = "On Tuesday, Somalia expelled three Kenyan diplomats.\n"
    monday = "On Monday, Somalia expelled three Kenyan diplomats.\n"
    result = draft(tmp_path, (vague, "2020-12-16"), (tuesday, "2020-12-17"), (monday, "2020-12-18"))
    assert [e["match"]["kind"] for e in result["events"]] == ["new", "refines", "conflicts"]
    assert result["events"][2]["match"]["rule"] == "date-within-recorded-interval"


def _recorded(**fields: Any) -> Action:
    record = {
        "id": "somalia-expels-kenyans",
        "type": "accreditation_withdrawn",
        "channel": KENYA_IN_SOMALIA,
        "actor": "somalia",
        "target": "kenya",
        "date": "2020-12",
        "citations": [{"source": "desk", "quote": "q"}],
        **fields,
    }
    entry = ENTRY_ADAPTER.validate_python(record)
    assert isinstance(entry, Action)
    return entry


LEDGER_REPORT = "On Tuesday, Somalia expelled three Kenyan diplomats.\n"


@pytest.mark.parametrize(
    ("recorded", "kind"),
    [
        ({"count": 3, "date": "2020-12-15"}, "corroborates"),
        ({"count": None}, "refines"),  # the day and the count the event lacked
        ({"count": 4}, "conflicts"),  # the ledger's number: the analyst's call, not a dispute
        ({"count": 3, "date": "2020-12-20"}, "conflicts"),  # just outside: a date to check
        ({"count": 3, "date": "2019"}, "new"),
    ],
)
def test_matching_against_the_ledger(tmp_path: Path, recorded: dict[str, Any], kind: str) -> None:
    result = draft(tmp_path, (LEDGER_REPORT, "2020-12-17"), recorded=[_recorded(**recorded)])
    (event,) = result["events"]
    assert event["match"]["kind"] == kind
    assert (event["match"]["event"] == "somalia-expels-kenyans") == (kind != "new")


def test_a_ledger_event_and_a_run_event_each_take_their_own_reports(tmp_path: Path) -> None:
    """The run's first report of the recorded action corroborates it; another article's
    report of it then corroborates the same recorded event, not the first report."""
    recorded = [_recorded(count=3, date="2020-12-15")]
    again = "Kenya said on Thursday that three of its diplomats were expelled on Tuesday.\n"
    result = draft(
        tmp_path, (LEDGER_REPORT, "2020-12-17"), (again, "2020-12-18"), recorded=recorded
    )
    assert [(e["match"]["kind"], e["match"]["event"]) for e in result["events"]] == [
        ("corroborates", "somalia-expels-kenyans"),
        ("corroborates", "somalia-expels-kenyans"),
    ]


@pytest.mark.parametrize(
    ("given", "articles", "shared", "expected"),
    [
        ("2021-01-01", 3, True, ["2021-01-01"] * 3),
        (["a", "b"], 2, False, ["a", "b"]),
        (None, 2, False, [None, None]),
        ("only", 1, False, ["only"]),
    ],
)
def test_an_option_is_given_once_for_all_or_once_per_article(
    given: Any, articles: int, shared: bool, expected: list[str | None]
) -> None:
    assert per_article("--x", given, articles, shared=shared) == expected


@pytest.mark.parametrize(
    ("given", "articles", "shared", "says"),
    [
        ("my-id", 2, False, "once per article"),
        (["a", "b"], 3, True, "given 2 times for 3 articles"),
    ],
)
def test_an_option_given_the_wrong_number_of_times_is_refused(
    given: Any, articles: int, shared: bool, says: str
) -> None:
    with pytest.raises(ChanceryError, match=says):
        per_article("--x", given, articles, shared=shared)


def test_two_articles_that_would_be_one_source_are_refused_naming_both(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "report.txt").write_text(ALGIERS_WIRE, encoding="utf-8")
    with pytest.raises(ChanceryError, match="--source-id"):
        extract_reports(
            [Report(tmp_path / f / "report.txt", "2025-05-06") for f in ("a", "b")],
            channels=CHANNELS,
            parties=PARTIES,
            recorded=lambda channels: [],
            source_named=lambda key: None,
        )


def test_a_proposal_dated_after_its_article_is_left_for_review_as_the_import_would_refuse() -> None:
    """A date after the article's own (a deadline or a plan read as the act) would make the
    import refuse the draft: the proposal is a conflict naming the import's rule."""
    from dataclasses import replace

    from chancery.domain.dates import UncertainDate
    from chancery.domain.sources import Source
    from chancery.extraction import Article, Lexicon, extract, match_proposals

    published = UncertainDate(edtf="2020-12-17")
    article = Article(LEDGER_REPORT, "report.txt", published)
    (read,) = extract(article, Lexicon.build(CHANNELS, PARTIES))
    ahead = replace(read, date=UncertainDate(edtf="2020-12-20"), date_assumed=False)
    source = Source(id="desk", published=published)
    (match,) = match_proposals([ahead], [], CHANNELS, sources=["desk"], declared={"desk": source})
    assert (match.kind, match.rule) == ("conflicts", "source-not-before-event")


def test_a_report_that_an_announced_action_is_done_gives_its_effective_date(
    tmp_path: Path,
) -> None:
    """An announced closure, then a report that it is done on a later day: not a second
    closure (which the channel's rules would refuse) but the effective date the first lacked;
    a later report that agrees with it only corroborates."""
    announced = (
        "NAIROBI, Dec 14 (Wire) - Kenya announced on Monday that its embassy in Mogadishu will "
        "close.\n"
    )
    done = "Kenya closed its embassy in Mogadishu on 28 December, officials said.\n"
    again = (
        "MOGADISHU, Jan 5 (Agency) - The Kenyan embassy in Mogadishu was closed on 28 December.\n"
    )
    result = draft(tmp_path, (announced, "2020-12-14"), (done, "2020-12-30"), (again, "2021-01-05"))
    closures = [e for e in result["events"] if e["type"] == "post_closed"]
    assert closures[0]["announced"] and closures[0]["match"]["kind"] == "new"
    assert closures[1]["match"]["kind"] == "refines"
    assert closures[1]["match"]["detail"] == "effective 2020-12-28"
    assert [c["match"]["kind"] for c in closures[2:]] == ["corroborates"]


def test_another_number_than_the_ledgers_is_commented_out_as_a_ready_dispute(
    tmp_path: Path,
) -> None:
    import yaml

    path = tmp_path / "report.txt"
    path.write_text(LEDGER_REPORT, encoding="utf-8")
    recorded = [_recorded(count=4, date="2020-12-15")]
    text = extract_reports(
        [Report(path, "2020-12-17")],
        channels=CHANNELS,
        parties=PARTIES,
        recorded=lambda channels: recorded,
        source_named=lambda key: None,
    )
    assert isinstance(text, str)
    assert yaml.safe_load(text)["events"] == []  # nothing live: the analyst decides
    commented = "\n".join(
        line[2:] for line in text.splitlines() if line.startswith(("# - ", "#   "))
    )
    (dispute,) = yaml.safe_load(commented)
    assert (dispute["type"], dispute["disputes"]) == ("dispute", "somalia-expels-kenyans")
    says = [claim["says"] for claim in dispute["claims"]]
    assert says == ["count 4", "count 3"]


# ------------------------------------------- a third report, and days told a few days apart

OFFICIALS_TEN = (
    "Ten French diplomats were expelled by Algeria on Tuesday, officials in Paris told "
    "reporters on Friday.\n"
)


def _yaml_draft(tmp_path: Path, *texts: tuple[str, str]) -> list[dict[str, Any]]:
    import yaml

    reports = []
    for number, (text, published) in enumerate(texts, start=1):
        path = tmp_path / f"r{number}.txt"
        path.write_text(text, encoding="utf-8")
        reports.append(Report(path, published))
    drafted = extract_reports(
        reports,
        channels=CHANNELS,
        parties=PARTIES,
        recorded=lambda channels: [],
        source_named=lambda key: None,
    )
    assert isinstance(drafted, str)
    entries: list[dict[str, Any]] = yaml.safe_load(drafted)["events"]
    return entries


def _claims(dispute: dict[str, Any]) -> dict[str, set[str]]:
    return {c["says"]: {q["source"] for q in c["citations"]} for c in dispute["claims"]}


def test_a_third_number_joins_the_dispute_the_second_opened(tmp_path: Path) -> None:
    entries = _yaml_draft(
        tmp_path,
        (ALGIERS_WIRE, "2025-05-06"),
        (STATE_MEDIA, "2025-05-08"),
        (OFFICIALS_TEN, "2025-05-09"),
    )
    event, dispute = entries
    assert event["type"] == "accreditation_withdrawn"
    assert (dispute["type"], dispute["disputes"], dispute["about"]) == (
        "dispute",
        event["id"],
        "count",
    )
    assert _claims(dispute) == {
        "count 12": {"r1-2025-05-06"},
        "count 15": {"r2-2025-05-08"},
        "count 10": {"r3-2025-05-09"},
    }


def test_a_report_repeating_a_disputed_number_cites_that_claim(tmp_path: Path) -> None:
    again = (
        "State television repeated on Friday that 15 French diplomats were expelled on Tuesday.\n"
    )
    result = draft(
        tmp_path,
        (ALGIERS_WIRE, "2025-05-06"),
        (STATE_MEDIA, "2025-05-08"),
        (OFFICIALS_TEN, "2025-05-09"),
        (again, "2025-05-09"),
    )
    matches = [e["match"] for e in result["events"]]
    assert [m["kind"] for m in matches] == ["new", "disputes", "disputes", "disputes"]
    dispute_id = f"{result['events'][1]['source']}-01-accreditation-withdrawn"
    assert all(f"dispute drafted as '{dispute_id}'" in m["detail"] for m in matches[2:])
    entries = _yaml_draft(
        tmp_path,
        (ALGIERS_WIRE, "2025-05-06"),
        (STATE_MEDIA, "2025-05-08"),
        (OFFICIALS_TEN, "2025-05-09"),
        (again, "2025-05-09"),
    )
    [dispute] = [e for e in entries if e["type"] == "dispute"]
    assert _claims(dispute)["count 15"] == {"r2-2025-05-08", "r4-2025-05-09"}
    assert len(dispute["claims"]) == 3


SEOUL_TUESDAY = "South Korea expelled two Japanese diplomats on Tuesday, the ministry said.\n"
TOKYO_THURSDAY = (
    "Two of Japan's diplomats in Seoul were ordered out by the South Korean government on "
    "Thursday, according to Japanese officials.\n"
)
AGENCY_WEDNESDAY = "Seoul on Wednesday declared two Japanese diplomats persona non grata.\n"


def test_days_told_a_few_days_apart_are_one_event_with_its_date_disputed(
    tmp_path: Path,
) -> None:
    texts = ((SEOUL_TUESDAY, "2019-07-24"), (TOKYO_THURSDAY, "2019-07-26"))
    result = draft(tmp_path, *texts)
    first, second = result["events"]
    assert [first["match"]["kind"], second["match"]["kind"]] == ["new", "disputes"]
    assert "told 2 day(s) apart" in second["match"]["detail"]
    assert "the reports dispute its day" in first["match"]["detail"]
    event, dispute = _yaml_draft(tmp_path, *texts)
    assert event["date"]["edtf"] == "2019-07-23/2019-07-25"
    assert (dispute["type"], dispute["about"], dispute["disputes"]) == (
        "dispute",
        "date",
        event["id"],
    )
    days = {c["date"]["edtf"]: {q["source"] for q in c["citations"]} for c in dispute["claims"]}
    assert days == {"2019-07-23": {"r1-2019-07-24"}, "2019-07-25": {"r2-2019-07-26"}}


def test_a_third_day_joins_the_date_dispute_and_a_wider_report_corroborates(
    tmp_path: Path,
) -> None:
    wider = "South Korea expelled two Japanese diplomats last week, a columnist wrote.\n"
    texts = (
        (SEOUL_TUESDAY, "2019-07-24"),
        (TOKYO_THURSDAY, "2019-07-26"),
        (AGENCY_WEDNESDAY, "2019-07-27"),
        (wider, "2019-08-01"),
    )
    result = draft(tmp_path, *texts)
    assert [e["match"]["kind"] for e in result["events"]] == [
        "new",
        "disputes",
        "disputes",
        "corroborates",
    ]
    entries = _yaml_draft(tmp_path, *texts)
    [dispute] = [e for e in entries if e["type"] == "dispute"]
    assert sorted(c["date"]["edtf"] for c in dispute["claims"]) == [
        "2019-07-23",
        "2019-07-24",
        "2019-07-25",
    ]


@pytest.mark.parametrize(
    ("second", "published"),
    [
        # ten days off: more than a retelling's slip, left for review
        (
            "South Korea expelled two Japanese diplomats on 2 August, officials said.\n",
            "2019-08-03",
        ),
        # told as a repeat: another summons, another expulsion, not the first retold
        ("Seoul summoned Japan's ambassador again on Thursday.\n", "2019-07-26"),
        ("South Korea expelled two more Japanese diplomats on Thursday.\n", "2019-07-26"),
    ],
)
def test_days_further_apart_or_told_as_a_repeat_are_not_a_date_dispute(
    tmp_path: Path, second: str, published: str
) -> None:
    first = (
        "South Korea expelled two Japanese diplomats on Tuesday and summoned Japan's "
        "ambassador on Tuesday too.\n"
    )
    result = draft(tmp_path, (first, "2019-07-24"), (second, published))
    assert "disputes" not in [e["match"]["kind"] for e in result["events"]]


def test_one_article_giving_two_days_gives_two_actions_not_a_dispute(tmp_path: Path) -> None:
    text = (
        "South Korea expelled two Japanese diplomats on Monday.\n\n"
        "On Thursday it expelled two more, the ministry said.\n"
    )
    result = draft(tmp_path, (text, "2019-07-26"))
    kinds_seen = [e["match"]["kind"] for e in result["events"] if e["channel"] == JAPAN_IN_KOREA]
    assert "disputes" not in kinds_seen


# ------------------------------------------- seasons by the hemisphere of the action's place


@pytest.mark.parametrize(
    ("text", "channel", "edtf"),
    [
        # Somalia's embassy in Nairobi: the place is Kenya, south of the equator
        (
            "Kenya expelled two Somali diplomats in the spring of 2019.\n",
            "somalia-embassy-kenya",
            "2019-09/2019-11",
        ),
        (
            "In the winter of 2019 Nairobi ordered two Somali diplomats to leave.\n",
            "somalia-embassy-kenya",
            "2019-06/2019-08",
        ),
        # Kenya's embassy in Mogadishu: the place is Somalia, north of it
        (
            "Somalia expelled two Kenyan diplomats in the spring of 2019.\n",
            KENYA_IN_SOMALIA,
            "2019-03/2019-05",
        ),
    ],
)
def test_a_season_is_read_in_the_hemisphere_of_the_actions_place(
    tmp_path: Path, text: str, channel: str, edtf: str
) -> None:
    result = draft(tmp_path, (text, "2020-06-01"))
    [event] = [e for e in result["events"] if e["channel"] == channel]
    assert event["date"]["edtf"] == edtf
