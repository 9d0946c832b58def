"""Replay of the bundled dataset against expectations written from the five articles.

Each expectation is the whole projected state of one channel on one date, written by reading
the articles (the dates, numbers and disputes they give), not by copying the code's output.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from chancery.domain.tracked import STAFF_CAP
from chancery.projections.history import channel_history
from chancery.projections.models import ChannelState
from chancery.storage.readmodel import ReadModel

MISSION = "russia-mission-to-nato"
COUNCIL = "nato-russia-council"
MLM = "nato-military-liaison-mission-moscow"
OFFICE = "nato-information-office-moscow"
COOPERATION = "nato-russia-practical-cooperation"
CONTACTS = "nato-russia-military-contacts"
OSCE = "allies-russia-osce"
AMBASSADOR = "russia-ambassador-to-belgium-contact-point"

CUT_2015 = "russia-mission-staff-cap-cut-2015"
CUT_2018 = "russia-mission-staff-cap-cut-2018"
CUT_2021 = "russia-mission-staff-cap-cut-2021-10-06"
EXPELLED = "russia-mission-accreditations-withdrawn-2021-10-06"
SUSPENDED = "russia-mission-suspended-2021-10-18"
INVITATION = "nrc-invitation-2020"
SECRETARIAT_TALKS = "nrc-convening-not-agreed-secretariat"  # 002: undated, "Earlier"
WHO_THE_EIGHT_WERE = "who the eight were"

NOTHING_KNOWN: dict[str, Any] = {
    "status": "unknown",
    "status_basis": "unknown",
    "certainty": "unknown",
    "since": None,
    "status_event": None,
    "staff_cap": None,
    "staff_cap_basis": None,
    "staff_cap_event": None,
    "accreditations_withdrawn": None,
    "invitations": [],
    "last_meeting": None,
    "possible_changes": [],
    "disputes": [],
}
UNKNOWN_CAP = {"staff_cap": None, "staff_cap_basis": "unknown", "staff_cap_event": None}


def expect(**fields: Any) -> dict[str, Any]:
    """NOTHING_KNOWN with these fields; a known status is 'certain' unless the fields say."""
    assert set(fields) <= set(NOTHING_KNOWN), set(fields) - set(NOTHING_KNOWN)
    if fields.get("status", "unknown") != "unknown":
        fields.setdefault("certainty", "certain")
    return {**NOTHING_KNOWN, **fields}


def whole_state(state: ChannelState) -> dict[str, Any]:
    """Every field of a channel's state, in a form an expectation can be written in."""
    data = state.model_dump(mode="json")
    return {
        **{key: data[key] for key in NOTHING_KNOWN if key in data},
        "invitations": [
            (i["id"], i["response"], i["last_reiterated"], i["certainty"])
            for i in data["pending_invitations"]
        ],
        "last_meeting": data["last_meeting"]["id"] if data["last_meeting"] else None,
        "possible_changes": sorted(data["possible_changes"]),
        "disputes": sorted(d["about"] for d in data["disputes"]),
    }


def project(contents: ReadModel, slug: str, as_of: str, known_at: str | None = None) -> Any:
    report = contents.state(
        date.fromisoformat(as_of),
        date.fromisoformat(known_at) if known_at else None,
        slug,
    )
    return whole_state(report.channels[0])


MISSION_TIMELINE = [
    # 003: "reduced twice unilaterally by NATO in 2015 and 2018" — no numbers, no exact dates.
    ("2014-06-30", expect(**UNKNOWN_CAP)),
    (
        "2015-06-30",
        expect(
            status="active",
            status_basis="inferred",
            certainty="possible",
            since="2015",
            status_event=CUT_2015,
            staff_cap=None,
            staff_cap_basis="unknown",
            staff_cap_event=CUT_2015,
            possible_changes=[CUT_2015],
        ),
    ),
    (
        "2016-06-30",
        expect(
            status="active",
            status_basis="inferred",
            since="2015",
            status_event=CUT_2015,
            staff_cap=None,
            staff_cap_basis="unknown",
            staff_cap_event=CUT_2015,
        ),
    ),
    (
        "2018-06-30",
        expect(
            status="active",
            status_basis="inferred",
            certainty="possible",
            since="2015",
            status_event=CUT_2015,
            staff_cap=None,
            staff_cap_basis="unknown",
            staff_cap_event=CUT_2018,
            possible_changes=[CUT_2018],
        ),
    ),
    # 003: "reduced by half from 20 to 10" on Oct 6: 20 is implied (inferred) after 2018.
    (
        "2019-06-30",
        expect(
            status="active",
            status_basis="inferred",
            since="2015",
            status_event=CUT_2015,
            staff_cap=20,
            staff_cap_basis="inferred",
            staff_cap_event=CUT_2021,
        ),
    ),
    (
        "2021-10-05",
        expect(
            status="active",
            status_basis="inferred",
            since="2015",
            status_event=CUT_2015,
            staff_cap=20,
            staff_cap_basis="inferred",
            staff_cap_event=CUT_2021,
        ),
    ),
    # 000/001/003/004: eight accreditations withdrawn on 6 October; cap 20 -> 10.
    (
        "2021-10-06",
        expect(
            status="active",
            status_basis="inferred",
            since="2015",
            status_event=CUT_2015,
            staff_cap=10,
            staff_cap_basis="reported",
            staff_cap_event=CUT_2021,
            accreditations_withdrawn=8,
            disputes=[WHO_THE_EIGHT_WERE],
        ),
    ),
    (
        "2021-10-17",
        expect(
            status="active",
            status_basis="inferred",
            since="2015",
            status_event=CUT_2015,
            staff_cap=10,
            staff_cap_basis="reported",
            staff_cap_event=CUT_2021,
            accreditations_withdrawn=8,
            disputes=[WHO_THE_EIGHT_WERE],
        ),
    ),
    # 003: "On Monday [18 Oct], the Russian Foreign Ministry announced ... suspend"; no
    # source says when the suspension took effect: announced, never plain certain.
    (
        "2021-10-18",
        expect(
            status="suspended",
            status_basis="announced",
            certainty="announced",
            since="2021-10-18",
            status_event=SUSPENDED,
            staff_cap=10,
            staff_cap_basis="reported",
            staff_cap_event=CUT_2021,
            accreditations_withdrawn=8,
            disputes=[WHO_THE_EIGHT_WERE],
        ),
    ),
]


@pytest.mark.parametrize(
    ("as_of", "expected"), MISSION_TIMELINE, ids=[d for d, _ in MISSION_TIMELINE]
)
def test_russian_mission_to_nato(
    bundled_contents: ReadModel, as_of: str, expected: dict[str, Any]
) -> None:
    assert project(bundled_contents, MISSION, as_of) == expected


COUNCIL_TIMELINE = [
    ("2019-12-31", expect()),
    # 002 "At the beginning of 2020" vs 004 "18 months ago" (said 2021-11-29): both kept, so
    # the invitation is possible anywhere in January–June 2020.
    (
        "2020-02-15",
        expect(
            certainty="possible",
            invitations=[(INVITATION, "none", None, "possible")],
            possible_changes=[SECRETARIAT_TALKS, INVITATION],
            disputes=["date"],
        ),
    ),
    (
        "2020-07-01",
        expect(
            invitations=[(INVITATION, "none", None, "certain")],
            possible_changes=[SECRETARIAT_TALKS],
            disputes=["date"],
        ),
    ),
    # 000/001 (7 Oct 2021): "So far, Russia has not replied positively", invitation stands.
    (
        "2021-10-08",
        expect(
            invitations=[(INVITATION, "none", "2021-10-07", "certain")],
            possible_changes=[
                SECRETARIAT_TALKS,
                "nrc-invitation-reiterated-dpa-interview",
                "nrc-invitation-unanswered-dpa-interview",
            ],
            disputes=["date"],
        ),
    ),
    # 004: Lavrov, end of October: "the question is closed"; NATO on 29 Nov: still valid.
    (
        "2021-11-30",
        expect(
            invitations=[(INVITATION, "declined", "2021-11-29", "certain")],
            disputes=["date", "whether Russia has answered the invitation"],
        ),
    ),
]


@pytest.mark.parametrize(
    ("as_of", "expected"), COUNCIL_TIMELINE, ids=[d for d, _ in COUNCIL_TIMELINE]
)
def test_nato_russia_council(
    bundled_contents: ReadModel, as_of: str, expected: dict[str, Any]
) -> None:
    assert project(bundled_contents, COUNCIL, as_of) == expected


COOPERATION_SUSPENDED = "practical-cooperation-suspended-2014"
MLM_SUSPENDED = "nato-mlm-moscow-suspended-2021-10-18"
OFFICE_CLOSED = "nato-information-office-moscow-closed-2021-10-18"
IN_EFFECT_BY_004 = "2021-10-18/2021-11-29"
OTHER_TIMELINES = [
    # 000: "NATO terminated all practical cooperation with Russia in 2014".
    (COOPERATION, "2013-12-31", expect()),
    (
        COOPERATION,
        "2014-06-30",
        expect(
            status="suspended",
            status_basis="reported",
            certainty="possible",
            since="2014",
            status_event=COOPERATION_SUSPENDED,
            possible_changes=[COOPERATION_SUSPENDED],
        ),
    ),
    (
        COOPERATION,
        "2015-01-01",
        expect(
            status="suspended",
            status_basis="reported",
            since="2014",
            status_event=COOPERATION_SUSPENDED,
        ),
    ),
    # 003/004: Russia suspended (or terminated) the Military Liaison Mission: 003 reports it
    # as announced on Monday 18 Oct ("is also suspending"); 004 (29 Nov) as done ("were
    # terminated"), without saying since when. In effect somewhere in 18 Oct–29 Nov: possible
    # within that interval, certain after it.
    (MLM, "2021-10-17", expect(**UNKNOWN_CAP)),
    (
        MLM,
        "2021-10-18",
        expect(
            status="suspended",
            status_basis="reported",
            certainty="possible",
            since=IN_EFFECT_BY_004,
            status_event=MLM_SUSPENDED,
            **UNKNOWN_CAP,
            possible_changes=[MLM_SUSPENDED],
            disputes=["whether the mission was suspended or terminated"],
        ),
    ),
    (
        MLM,
        "2021-11-30",
        expect(
            status="suspended",
            status_basis="reported",
            since=IN_EFFECT_BY_004,
            status_event=MLM_SUSPENDED,
            **UNKNOWN_CAP,
            disputes=["whether the mission was suspended or terminated"],
        ),
    ),
    # 003: "terminating the work of the NATO Information Office" (announced, 18 Oct); 004:
    # "was closed" (done by 29 Nov).
    (OFFICE, "2021-10-17", expect(**UNKNOWN_CAP)),
    (
        OFFICE,
        "2021-10-18",
        expect(
            status="closed",
            status_basis="reported",
            certainty="possible",
            since=IN_EFFECT_BY_004,
            status_event=OFFICE_CLOSED,
            **UNKNOWN_CAP,
            possible_changes=[OFFICE_CLOSED],
        ),
    ),
    (
        OFFICE,
        "2021-11-30",
        expect(
            status="closed",
            status_basis="reported",
            since=IN_EFFECT_BY_004,
            status_event=OFFICE_CLOSED,
            **UNKNOWN_CAP,
        ),
    ),
    # 000: "maintain open military-to-military lines of contact" vs 002: NATO's "rejection".
    (CONTACTS, "2021-10-06", expect()),
    (
        CONTACTS,
        "2021-10-07",
        expect(
            status="active",
            status_basis="reported",
            since="2021-10-07",
            status_event="military-contacts-maintained-2021-10-07",
            disputes=["whether military-to-military contacts are open"],
        ),
    ),
    (
        OSCE,
        "2021-10-07",
        expect(
            status="active",
            status_basis="reported",
            since="2021-10-07",
            status_event="allies-russia-meetings-maintained-2021-10-07",
        ),
    ),
    # 004: Lavrov "at the end of October": turn to Moscow through the ambassador to Belgium.
    (
        AMBASSADOR,
        "2021-10-25",
        expect(
            status="active",
            status_basis="reported",
            certainty="possible",
            since="2021-10-21/2021-10-31",
            status_event="russia-ambassador-to-belgium-designated-contact-point",
            possible_changes=["russia-ambassador-to-belgium-designated-contact-point"],
        ),
    ),
]


@pytest.mark.parametrize(
    ("slug", "as_of", "expected"), OTHER_TIMELINES, ids=[f"{s}@{d}" for s, d, _ in OTHER_TIMELINES]
)
def test_other_channels(
    bundled_contents: ReadModel, slug: str, as_of: str, expected: dict[str, Any]
) -> None:
    assert project(bundled_contents, slug, as_of) == expected


def test_known_at_shows_only_what_had_been_reported(bundled_contents: ReadModel) -> None:
    """On 10 Oct 2021 only the 7 Oct reports existed: the expulsion, not the cap or the cuts,
    and no dispute about who the eight were (Russia's side was published on 29 Nov)."""
    known_early = project(bundled_contents, MISSION, "2021-10-20", known_at="2021-10-10")
    assert known_early == expect(
        status="active",
        status_basis="inferred",
        since="2021-10-06",
        status_event=EXPELLED,
        **UNKNOWN_CAP,
        accreditations_withdrawn=8,
    )
    known_when_disputed = project(bundled_contents, MISSION, "2021-10-20", known_at="2021-11-29")
    assert known_when_disputed["disputes"] == [WHO_THE_EIGHT_WERE]
    known_later = project(bundled_contents, MISSION, "2021-10-20", known_at="2021-10-21")
    now = project(bundled_contents, MISSION, "2021-10-20")
    assert known_later == {**now, "disputes": []}  # the dispute's second side: 29 Nov
    assert known_later["status"] == "suspended"


def test_nothing_is_known_before_the_first_report(bundled_contents: ReadModel) -> None:
    report = bundled_contents.state(date(2021, 12, 31), date(2021, 10, 6))
    assert {c.status for c in report.channels} == {"unknown"}
    assert all(not c.pending_invitations for c in report.channels)


def test_the_measures_of_18_october_read_as_announced_until_a_source_says_more(
    bundled_contents: ReadModel,
) -> None:
    """The mission's suspension was announced, and no source gives when it took
    effect: announced in every reading. Known before 004 (29 Nov), the other two measures read
    announced too; 004 reports them done."""
    announced = {"status_basis": "announced", "certainty": "announced", "since": "2021-10-18"}
    mission = project(bundled_contents, MISSION, "2021-10-20")
    assert {k: mission[k] for k in announced} == announced
    assert project(bundled_contents, MISSION, "2026-12-01")["certainty"] == "announced"
    for slug in (MLM, OFFICE):
        before_004 = project(bundled_contents, slug, "2021-12-31", known_at="2021-11-28")
        assert {k: before_004[k] for k in announced} == announced, slug
        after_004 = project(bundled_contents, slug, "2021-12-31", known_at="2021-11-29")
        assert (after_004["status_basis"], after_004["certainty"]) == ("reported", "certain")


def test_history_shows_the_cap_that_state_infers(bundled_contents: ReadModel) -> None:
    """003: "from 20 to 10" in 2021 implies 20 after the 2018 cut of unreported size: `state`
    infers it for 2019, and `history` shows it at the 2018 step in the same words."""
    (in_2019,) = bundled_contents.state(date(2019, 6, 30), None, MISSION).channels
    assert (in_2019.staff_cap, in_2019.staff_cap_basis) == (20, "inferred")
    steps = {s.event.id: s.changes for s in channel_history(bundled_contents, MISSION).steps}
    cap_2018 = [c for c in steps[CUT_2018] if c.field == STAFF_CAP.label]
    assert [(c.before, c.after) for c in cap_2018] == [
        ("unknown (not reported)", in_2019.facts[STAFF_CAP.name].text)
    ]
    cap_2021 = [c for c in steps[CUT_2021] if c.field == STAFF_CAP.label]
    assert [(c.before, c.after) for c in cap_2021] == [("20 (inferred)", "10")]
