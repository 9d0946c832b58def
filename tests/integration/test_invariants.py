"""Invariants hold in valid time (principle 7), checked through `Ledger.import_files`.

An event that breaks a channel's rules is refused with the rule's name and nothing is written;
the check folds the timeline by when things happened, not by when they were recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from chancery.domain.errors import InvariantViolation
from chancery.domain.timeline import fold_all
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.projections.events import list_events
from chancery.storage.ledger import Ledger
from chancery.storage.readmodel import ReadModel

from tests.conftest import contents, event

World = Callable[..., Path]

SUSPENSION = event("suspended", "mission_suspended", "mission", "2021-10-18", actor="nato")
FIRST_CUT = event("cut-1", "staff_cap_changed", "mission", "2021-10-06", from_cap=20, to_cap=10)


def do_import(ledger: Ledger, *paths: Path) -> None:
    import_files(ledger, [load_file(path) for path in paths])


def snapshot(ledger: Ledger) -> dict[str, list[dict[str, Any]]]:
    """Everything recorded, as plain data, to prove a refused import wrote nothing."""
    held = contents(ledger)
    return {
        slug: [(e.entry.model_dump(), e.digest) for e in entries]
        for slug, entries in held.entries.items()
    }


def refused(ledger: Ledger, path: Path, rule: str) -> InvariantViolation:
    """Import `path`, expect the named rule to refuse it, and check the ledger is unchanged."""
    before = snapshot(ledger)
    with pytest.raises(InvariantViolation) as caught:
        do_import(ledger, path)
    assert caught.value.rule == rule
    assert snapshot(ledger) == before
    return caught.value


def mission(ledger: Ledger, as_of: str) -> Any:
    return ReadModel(ledger).state(date.fromisoformat(as_of), channel="mission").channels[0]


# --------------------------------------------------------------------------- ended channels


def test_staff_cut_after_a_certain_suspension_is_refused(ledger: Ledger, world: World) -> None:
    do_import(ledger, world(SUSPENSION))
    late_cut = event("cut-late", "staff_cap_changed", "mission", "2021-11-01", to_cap=5)
    violation = refused(ledger, world(late_cut), "no-action-on-ended-channel")
    assert violation.event_id == "cut-late"
    assert "'mission' was suspended by 'suspended'" in str(violation)
    assert "import-1.yaml: events[0]" in str(violation), "the message names file and record"
    assert [e.entry.id for e in contents(ledger).entries["mission"]] == ["suspended"]


def test_refusal_in_a_single_import_writes_nothing_at_all(ledger: Ledger, world: World) -> None:
    """Declarations in the same file as a refused event are not written either."""
    late_cut = event("cut-late", "staff_cap_changed", "mission", "2021-11-01", to_cap=5)
    with pytest.raises(InvariantViolation):
        do_import(ledger, world(SUSPENSION, late_cut))
    assert ledger.is_empty()


def test_action_inside_the_suspension_interval_is_not_refused(ledger: Ledger, world: World) -> None:
    """A suspension some time in October 2021 is not certainly before a cut on 2021-10-20."""
    vague = event("suspended", "mission_suspended", "mission", "2021-10")
    cut = event("cut", "staff_cap_changed", "mission", "2021-10-20", to_cap=5)
    do_import(ledger, world(vague, cut))
    assert {e.entry.id for e in contents(ledger).entries["mission"]} == {"suspended", "cut"}


def test_reopening_after_a_suspension_allows_actions_again(ledger: Ledger, world: World) -> None:
    reopened = event("reopened", "channel_reopened", "mission", "2021-11-01")
    cut = event("cut", "staff_cap_changed", "mission", "2021-12-01", to_cap=5)
    do_import(ledger, world(SUSPENSION, reopened, cut))
    state = mission(ledger, "2021-12-31")
    assert (state.status, state.staff_cap) == ("active", 5)


def test_cooperation_cannot_be_suspended_twice_but_can_resume(ledger: Ledger, world: World) -> None:
    suspended = event("coop-off", "cooperation_suspended", "cooperation", "2014")
    resumed = event("coop-on", "cooperation_resumed", "cooperation", "2016")
    do_import(ledger, world(suspended, resumed))
    again = event("coop-off-2", "cooperation_suspended", "cooperation", "2017")
    do_import(ledger, world(again))
    twice = event("coop-off-3", "cooperation_suspended", "cooperation", "2018")
    refused(ledger, world(twice), "no-action-on-ended-channel")


# --------------------------------------------------------------------------- staff caps


def test_cut_whose_from_disagrees_with_the_reported_cap_is_refused(
    ledger: Ledger, world: World
) -> None:
    do_import(ledger, world(FIRST_CUT))
    wrong_from = event("cut-2", "staff_cap_changed", "mission", "2021-10-10", from_cap=12, to_cap=8)
    violation = refused(ledger, world(wrong_from), "cap-from-matches-known-cap")
    assert "went from 12, but 'cut-1' left it at 10" in violation.detail
    assert "from_disputed: true" in violation.detail


def test_cut_whose_from_disagrees_is_accepted_when_flagged_disputed(
    ledger: Ledger, world: World
) -> None:
    do_import(ledger, world(FIRST_CUT))
    flagged = event(
        "cut-2",
        "staff_cap_changed",
        "mission",
        "2021-10-10",
        from_cap=12,
        to_cap=8,
        from_disputed=True,
    )
    do_import(ledger, world(flagged))
    assert mission(ledger, "2021-10-31").staff_cap == 8


def test_cut_whose_from_matches_the_reported_cap_is_accepted(ledger: Ledger, world: World) -> None:
    do_import(ledger, world(FIRST_CUT))
    matching = event("cut-2", "staff_cap_changed", "mission", "2021-10-10", from_cap=10, to_cap=8)
    do_import(ledger, world(matching))
    state = mission(ledger, "2021-10-31")
    assert (state.staff_cap, state.staff_cap_event) == (8, "cut-2")


def test_any_from_is_accepted_after_a_cut_of_unknown_size(ledger: Ledger, world: World) -> None:
    """After the 2018 cut (no numbers) the cap is unknown: nothing to disagree with."""
    unknown = event("cut-2018", "staff_cap_changed", "mission", "2018")
    later = event("cut-2021", "staff_cap_changed", "mission", "2021-10-06", from_cap=20, to_cap=10)
    do_import(ledger, world(unknown, later))
    assert mission(ledger, "2021-10-31").staff_cap == 10


# --------------------------------------------------------------------------- channel kinds


@pytest.mark.parametrize(
    ("type_", "channel", "extra"),
    [
        ("staff_cap_changed", "council", {"to_cap": 5}),
        ("meeting_held", "mission", {}),
        ("invitation_extended", "office", {}),
        ("cooperation_suspended", "mission", {}),
        ("accreditation_withdrawn", "contacts", {"count": 2}),
        ("contact_point_designated", "council", {}),
    ],
)
def test_event_on_the_wrong_kind_of_channel_is_refused(
    ledger: Ledger, world: World, type_: str, channel: str, extra: dict[str, Any]
) -> None:
    do_import(ledger, world())
    misplaced = event("misplaced", type_, channel, "2021-10-06", **extra)
    violation = refused(ledger, world(misplaced), "fits-channel-kind")
    assert f"a {type_} cannot happen on '{channel}'" in violation.detail


# --------------------------------------------------------------------------- invitations


INVITATION = event("inv", "invitation_extended", "council", "2020-01/2020-03", target="russia")


def test_reiteration_of_a_missing_invitation_is_refused(ledger: Ledger, world: World) -> None:
    do_import(ledger, world(INVITATION))
    orphan = event("again", "invitation_reiterated", "council", "2021-10-06", invitation="nope")
    violation = refused(ledger, world(orphan), "invitation-exists")
    assert "no invitation 'nope' was extended on channel 'council'" in violation.detail


def test_reiteration_dated_before_the_invitation_is_refused(ledger: Ledger, world: World) -> None:
    do_import(ledger, world(INVITATION))
    early = event("again", "invitation_reiterated", "council", "2019-12-20", invitation="inv")
    violation = refused(ledger, world(early), "follows-invitation")
    assert "before invitation 'inv'" in violation.detail


def test_reiteration_inside_the_invitation_interval_is_accepted(
    ledger: Ledger, world: World
) -> None:
    """Both dates are uncertain: a reiteration that may follow the invitation is kept."""
    do_import(ledger, world(INVITATION))
    overlapping = event("again", "invitation_reiterated", "council", "2020-02", invitation="inv")
    do_import(ledger, world(overlapping))
    council = ReadModel(ledger).state(date(2020, 12, 31), channel="council").channels[0]
    assert [p.reiterated_by for p in council.pending_invitations] == [["again"]]


# --------------------------------------------------------------------------- amendments


def correction(
    target: dict[str, Any], reason: str = "misreported", **changes: Any
) -> dict[str, Any]:
    return {
        "id": f"fix-{target['id']}",
        "type": "correction",
        "corrects": target["id"],
        "reason": reason,
        "replacement": {**target, **changes},
        "citations": [{"source": "late", "quote": "an earlier report was wrong"}],
    }


def test_correction_of_a_missing_event_is_refused(ledger: Ledger, world: World) -> None:
    do_import(ledger, world(FIRST_CUT))
    ghost = event("ghost", "staff_cap_changed", "mission", "2021-10-06", to_cap=1)
    violation = refused(ledger, world(correction(ghost)), "amends-existing-event")
    assert violation.event_id == "fix-ghost"
    assert "there is no event 'ghost' on channel 'mission'" in violation.detail


def test_retraction_of_a_missing_event_is_refused(ledger: Ledger, world: World) -> None:
    do_import(ledger, world(FIRST_CUT))
    retraction = {
        "id": "drop-ghost",
        "type": "retraction",
        "retracts": "ghost",
        "channel": "mission",
        "reason": "never happened",
    }
    refused(ledger, world(retraction), "amends-existing-event")


def test_correction_changes_the_projection_and_keeps_the_original(
    ledger: Ledger, world: World
) -> None:
    """Append-only (principle 1): the original stays in the ledger, projections read the fix."""
    do_import(ledger, world(FIRST_CUT))
    assert mission(ledger, "2021-10-31").staff_cap == 10
    do_import(ledger, world(correction(FIRST_CUT, to_cap=12)))
    held = contents(ledger)
    recorded = [e.entry for e in held.entries["mission"]]
    assert [e.id for e in recorded] == ["cut-1", "fix-cut-1"]
    assert recorded[0].model_dump()["to_cap"] == 10, "the original is never edited"
    assert [a.model_dump()["to_cap"] for a in held.actions("mission")] == [12]
    state = mission(ledger, "2021-10-31")
    assert (state.staff_cap, state.staff_cap_event) == (12, "cut-1")


def test_correction_that_moves_an_event_is_rechecked(ledger: Ledger, world: World) -> None:
    """Moving the cut after the suspension would break a rule: the correction is refused."""
    do_import(ledger, world(FIRST_CUT, SUSPENSION))
    moved = correction(FIRST_CUT, date="2021-11-01")
    refused(ledger, world(moved), "no-action-on-ended-channel")


def test_retraction_removes_an_event_from_projections(ledger: Ledger, world: World) -> None:
    do_import(ledger, world(FIRST_CUT, SUSPENSION))
    assert mission(ledger, "2021-12-31").status == "suspended"
    retraction = {
        "id": "drop-suspension",
        "type": "retraction",
        "retracts": "suspended",
        "channel": "mission",
        "reason": "the report was denied",
        "citations": [{"source": "late", "quote": "no suspension"}],
    }
    do_import(ledger, world(retraction))
    state = mission(ledger, "2021-12-31")
    assert (state.status, state.status_basis, state.status_event) == (
        "active",
        "inferred",
        "cut-1",
    )
    assert {e.entry.id for e in contents(ledger).entries["mission"]} == {
        "cut-1",
        "suspended",
        "drop-suspension",
    }


def test_retraction_lets_a_previously_refused_event_in(ledger: Ledger, world: World) -> None:
    """The rules are checked on the timeline as it now reads, amendments applied."""
    do_import(ledger, world(SUSPENSION))
    drop = {
        "id": "drop",
        "type": "retraction",
        "retracts": "suspended",
        "channel": "mission",
        "reason": "denied",
    }
    late_cut = event("cut-late", "staff_cap_changed", "mission", "2021-11-01", to_cap=5)
    do_import(ledger, world(drop, late_cut))
    assert mission(ledger, "2021-12-31").staff_cap == 5


# --------------------------------------------------------------------------- valid-time order


def test_invariants_are_checked_in_valid_time_not_recording_order(
    ledger: Ledger, world: World
) -> None:
    """A cut reported late but dated before the suspension is history, not a violation."""
    do_import(ledger, world(SUSPENSION))
    earlier = event("cut-early", "staff_cap_changed", "mission", "2021-10-06", to_cap=10)
    do_import(ledger, world(earlier))
    later = event("cut-late", "staff_cap_changed", "mission", "2021-10-25", to_cap=8)
    refused(ledger, world(later), "no-action-on-ended-channel")
    assert [e.entry.id for e in contents(ledger).entries["mission"]] == [
        "suspended",
        "cut-early",
    ]
    state = mission(ledger, "2021-12-31")
    assert (state.status, state.staff_cap) == ("suspended", 10)


def test_event_recorded_earlier_is_rechecked_when_an_earlier_end_arrives(
    ledger: Ledger, world: World
) -> None:
    """A suspension dated before an already recorded cut makes that cut impossible."""
    late_cut = event("cut-late", "staff_cap_changed", "mission", "2021-11-01", to_cap=5)
    do_import(ledger, world(late_cut))
    violation = refused(ledger, world(SUSPENSION), "no-action-on-ended-channel")
    assert violation.event_id == "cut-late"
    message = str(violation)
    assert "'cut-late' is already recorded" in message, "the offending event was recorded before"
    assert "events[0]" in message, "the blame goes to the new record that causes the breach"


def test_fold_uses_the_effective_date(ledger: Ledger, world: World) -> None:
    """Announced is not effective: a cut announced before, effective after, is refused."""
    do_import(ledger, world(SUSPENSION))
    announced_early = event(
        "cut", "staff_cap_changed", "mission", "2021-10-01", effective="2021-10-30", to_cap=5
    )
    refused(ledger, world(announced_early), "no-action-on-ended-channel")


ANNOUNCED_SUSPENSION = {**SUSPENSION, "status": "announced"}
EXPULSION = event("expelled", "accreditation_withdrawn", "mission", "2021-10-25", count=2)


def test_an_end_announced_without_an_effective_date_refuses_nothing(
    ledger: Ledger, world: World
) -> None:
    """Nothing says when an announced suspension took effect, so an expulsion after the
    announcement is not shown to follow it; the status still reads announced."""
    do_import(ledger, world(ANNOUNCED_SUSPENSION))
    do_import(ledger, world(EXPULSION))
    assert {e.entry.id for e in contents(ledger).entries["mission"]} == {"suspended", "expelled"}
    state = mission(ledger, "2021-12-31")
    assert (state.status, state.status_basis, state.status_event) == (
        "suspended",
        "announced",
        "suspended",
    )


@pytest.mark.parametrize(
    ("type_", "channel"), [("office_closed", "office"), ("mission_suspended", "mission")]
)
def test_an_announced_end_blocks_from_its_effective_date(
    ledger: Ledger, world: World, type_: str, channel: str
) -> None:
    """Announced on one day, effective on a later one: an action between the two is history,
    one after the effective date is refused."""
    closure = event(
        "ended", type_, channel, "2021-10-18", status="announced", effective="2021-11-01"
    )
    between = event("expelled", "accreditation_withdrawn", channel, "2021-10-25", count=2)
    do_import(ledger, world(closure, between))
    after = event("expelled-late", "accreditation_withdrawn", channel, "2021-11-05", count=1)
    violation = refused(ledger, world(after), "no-action-on-ended-channel")
    assert violation.event_id == "expelled-late"


def test_an_effective_date_given_later_blocks_what_follows_it(ledger: Ledger, world: World) -> None:
    """Once a refinement gives the day an announced suspension took effect, an expulsion
    already recorded after that day breaks the rule, and the refinement is refused."""
    do_import(ledger, world(ANNOUNCED_SUSPENSION, EXPULSION))
    took_effect = {
        "id": "took-effect",
        "type": "refinement",
        "refines": "suspended",
        "channel": "mission",
        "effective": "2021-10-20",
        "citations": [{"source": "src", "quote": "took effect on the 20th"}],
    }
    violation = refused(ledger, world(took_effect), "no-action-on-ended-channel")
    assert violation.event_id == "expelled"
    earlier = {**took_effect, "effective": "2021-10-30"}
    do_import(ledger, world(earlier))
    state = mission(ledger, "2021-12-31")
    assert (state.status, state.status_basis) == ("suspended", "reported")


def test_fold_all_refuses_the_first_broken_rule_directly(ledger: Ledger, world: World) -> None:
    """The same rule, at the domain level, without the ledger around it."""
    do_import(ledger, world(SUSPENSION))
    held = contents(ledger)
    actions = held.actions("mission")
    cut = load_file(
        world(event("cut", "staff_cap_changed", "mission", "2021-12-01", to_cap=1))
    ).dataset.events[0]
    with pytest.raises(InvariantViolation) as caught:
        fold_all(held.channels["mission"], [cut, *actions])
    assert (caught.value.rule, caught.value.event_id) == ("no-action-on-ended-channel", "cut")
    facts = fold_all(held.channels["mission"], [cut, *actions], checked=False)
    assert facts.applied == ["suspended", "cut"]


# ------------------------------------------------- amendments: recording order, known time


def test_a_later_correction_wins_whatever_its_id(ledger: Ledger, world: World) -> None:
    """Amendments apply in recording order, not in the order of their ids."""
    do_import(ledger, world(FIRST_CUT))
    first = {**correction(FIRST_CUT, to_cap=12), "id": "zz-first-fix"}
    second = {**correction(FIRST_CUT, to_cap=14), "id": "aa-second-fix"}
    do_import(ledger, world(first))
    do_import(ledger, world(second))
    assert mission(ledger, "2021-12-31").staff_cap == 14


def test_a_retraction_after_a_correction_is_accepted_whatever_the_ids(
    ledger: Ledger, world: World
) -> None:
    do_import(ledger, world(FIRST_CUT))
    do_import(ledger, world({**correction(FIRST_CUT, to_cap=12), "id": "zz-fix"}))
    retraction = {
        "id": "aa-retract",
        "type": "retraction",
        "retracts": "cut-1",
        "channel": "mission",
        "reason": "no cut happened",
        "citations": [{"source": "late", "quote": "there was no cut"}],
    }
    do_import(ledger, world(retraction))
    assert mission(ledger, "2021-12-31").staff_cap is None


def test_known_at_before_a_correction_was_published_shows_the_first_reading(
    ledger: Ledger, world: World
) -> None:
    """A correction published later does not rewrite what was known before."""
    do_import(ledger, world(FIRST_CUT))
    # FIRST_CUT cites 'src' (published 2022-01-31), the correction 'late' (2022-03-01).
    do_import(ledger, world(correction(FIRST_CUT, to_cap=12)))
    read = ReadModel(ledger)
    before = read.state(date(2021, 10, 31), date(2022, 2, 15), "mission").channels[0]
    after = read.state(date(2021, 10, 31), date(2022, 3, 1), "mission").channels[0]
    now = read.state(date(2021, 10, 31), None, "mission").channels[0]
    assert (before.staff_cap, after.staff_cap, now.staff_cap) == (10, 12, 12)
    events = list_events(read, channel="mission", known_at=date(2022, 2, 15)).events
    assert [e.details["to_cap"] for e in events] == [10]
