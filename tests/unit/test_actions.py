"""Every reported action type: its record shape, its event codes, and its effect on a channel.

The projections are nothing but these effects folded in valid time, so each type's effect on
ChannelFacts is asserted on its own; the envelope checks keep malformed reports out of the ledger.
"""

from __future__ import annotations

from typing import Any

import pytest
from chancery.domain.actions import (
    ACTION_TYPES,
    ENTRY_ADAPTER,
    Action,
    Correction,
    InvitationExtended,
    Retraction,
)
from chancery.domain.errors import InvariantViolation
from chancery.domain.facts import Basis, ChannelFacts, InvitationFacts, Response, Status
from chancery.domain.parties import ChannelKind
from pydantic import ValidationError

from tests.conftest import event

CITATIONS = [{"source": "src", "quote": "as reported"}]

# The fields each type needs beyond the envelope, and a channel kind it can happen on.
SAMPLES: dict[str, tuple[ChannelKind, dict[str, Any]]] = {
    "invitation_extended": (ChannelKind.COUNCIL, {"target": "russia"}),
    "invitation_reiterated": (ChannelKind.COUNCIL, {"invitation": "inv"}),
    "invitation_unanswered": (ChannelKind.COUNCIL, {"invitation": "inv"}),
    "invitation_declined": (ChannelKind.COUNCIL, {"invitation": "inv"}),
    "meeting_held": (ChannelKind.COUNCIL, {}),
    "meeting_proposal_not_agreed": (ChannelKind.DIALOGUE, {"venue": "OSCE"}),
    "accreditation_withdrawn": (ChannelKind.MISSION, {"count": 8}),
    "staff_cap_changed": (ChannelKind.MISSION, {"from_cap": 20, "to_cap": 10}),
    "mission_suspended": (ChannelKind.MISSION, {}),
    "office_closed": (ChannelKind.OFFICE, {}),
    "cooperation_suspended": (ChannelKind.COOPERATION, {}),
    "cooperation_resumed": (ChannelKind.COOPERATION, {}),
    "contacts_maintained": (ChannelKind.MILITARY_CONTACTS, {}),
    "contacts_suspended": (ChannelKind.MILITARY_CONTACTS, {}),
    "contact_point_designated": (ChannelKind.CONTACT_POINT, {}),
    "channel_established": (ChannelKind.DIALOGUE, {}),
    "channel_reopened": (ChannelKind.OFFICE, {}),
    "invitation_revoked": (ChannelKind.COUNCIL, {"invitation": "inv"}),
    "head_of_mission_recalled": (ChannelKind.EMBASSY, {"for_consultations": True}),
    "head_of_mission_returned": (ChannelKind.EMBASSY, {}),
    "head_of_mission_summoned": (ChannelKind.EMBASSY, {}),
    "relations_downgraded": (ChannelKind.RELATIONS, {"level": "chargé d'affaires"}),
    "relations_severed": (ChannelKind.RELATIONS, {}),
    "relations_restored": (ChannelKind.RELATIONS, {}),
    "post_consent_withdrawn": (ChannelKind.CONSULATE, {}),
    "post_closed": (ChannelKind.CONSULATE_GENERAL, {}),
    "post_reopened": (ChannelKind.CULTURAL_INSTITUTE, {}),
    "post_operations_suspended": (ChannelKind.CONSULATE_GENERAL, {}),
}

SANCTION_MODES = {"expel", "withdraw", "discontinue"}
PLOVER_TYPES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
# CAMEO's two-digit root decides the PLOVER type it maps to (PLOVER's CAMEO crosswalk).
CAMEO_ROOT_TO_PLOVER = {
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "11": "ACCUSE",
    "12": "REJECT",
    "16": "SANCTION",
}


def build(type_: str, event_id: str = "ev", date: Any = "2021-10-06", **fields: Any) -> Action:
    """A validated action of the given type, with the sample fields it needs."""
    _, extra = SAMPLES[type_]
    record = event(event_id, type_, "chan", date, **{**extra, **fields})
    action = ENTRY_ADAPTER.validate_python(record)
    assert isinstance(action, Action)
    return action


def applied(*actions: Action, facts: ChannelFacts | None = None) -> ChannelFacts:
    facts = facts or ChannelFacts()
    for action in actions:
        action.apply(facts)
    return facts


# --------------------------------------------------------------------------- every type


def test_samples_cover_every_action_type() -> None:
    """A new action type must come with a sample here, so that its effect gets a test."""
    assert set(SAMPLES) == set(ACTION_TYPES)
    assert len(ACTION_TYPES) == 28


@pytest.mark.parametrize("type_", sorted(ACTION_TYPES))
def test_each_type_is_read_into_its_own_model(type_: str) -> None:
    action = build(type_)
    assert type(action) is ACTION_TYPES[type_]
    assert action.type == type_
    assert action.summary, f"{type_} has no summary for listings"


@pytest.mark.parametrize("type_", sorted(ACTION_TYPES))
def test_each_type_fits_the_channel_kind_of_its_sample(type_: str) -> None:
    kind, _ = SAMPLES[type_]
    assert kind in ACTION_TYPES[type_].kinds


@pytest.mark.parametrize("type_", sorted(ACTION_TYPES))
def test_codes_are_consistent_with_plover_and_cameo(type_: str) -> None:
    """Codes let the data be compared with other event datasets, so they must be coherent."""
    codes = ACTION_TYPES[type_].codes
    assert (codes.plover is None) == (codes.cameo is None), "a PLOVER type needs a CAMEO code"
    assert (codes.cameo is None) == (codes.cameo_label is None)
    if codes.plover is None:
        assert codes.plover_mode is None
        return
    assert codes.plover in PLOVER_TYPES
    assert codes.cameo is not None and len(codes.cameo) == 3 and codes.cameo.isdigit()
    assert CAMEO_ROOT_TO_PLOVER[codes.cameo[:2]] == codes.plover
    if codes.plover == "SANCTION":
        assert codes.plover_mode in SANCTION_MODES


@pytest.mark.parametrize(
    ("type_", "plover", "mode", "cameo"),
    [
        ("invitation_extended", "AGREE", None, "036"),
        ("invitation_reiterated", "AGREE", None, "036"),
        ("invitation_declined", "REJECT", "meet", "125"),
        ("meeting_held", "CONSULT", "multilateral", "040"),
        ("accreditation_withdrawn", "SANCTION", "expel", "161"),
        ("staff_cap_changed", "SANCTION", "discontinue", "161"),
        ("mission_suspended", "SANCTION", "withdraw", "161"),
        ("office_closed", "SANCTION", "expel", "161"),
        ("cooperation_suspended", "SANCTION", "discontinue", "160"),
        ("cooperation_resumed", "COOPERATE", None, "060"),
        ("channel_established", "SUPPORT", None, "050"),
    ],
)
def test_specific_codes(type_: str, plover: str, mode: str | None, cameo: str) -> None:
    codes = ACTION_TYPES[type_].codes
    assert (codes.plover, codes.plover_mode, codes.cameo) == (plover, mode, cameo)


def test_codes_for_declined_invitation_carry_the_cameo_label() -> None:
    assert ACTION_TYPES["invitation_declined"].codes.cameo_label == (
        "Reject proposal to meet, discuss, or negotiate"
    )


# --------------------------------------------------------------------------- effects: invitations


def test_invitation_extended_opens_a_pending_invitation() -> None:
    facts = applied(build("invitation_extended", "inv"))
    assert facts.invitations == {"inv": InvitationFacts(event_id="inv")}
    assert facts.invitations["inv"].response is Response.NONE
    assert facts.status is Status.UNKNOWN, "an invitation says nothing about the council's status"


@pytest.mark.parametrize(
    ("type_", "list_name", "response"),
    [
        ("invitation_reiterated", "reiterated_by", Response.NONE),
        ("invitation_unanswered", "unanswered_by", Response.NONE),
        ("invitation_declined", "declined_by", Response.DECLINED),
    ],
)
def test_invitation_follow_up_lands_in_its_own_list(
    type_: str, list_name: str, response: Response
) -> None:
    """Each follow-up goes to its list only; only a refusal makes the response 'declined'."""
    facts = applied(build("invitation_extended", "inv"), build(type_, "follow"))
    invitation = facts.invitations["inv"]
    for name in ("reiterated_by", "unanswered_by", "declined_by"):
        assert getattr(invitation, name) == (["follow"] if name == list_name else [])
    assert invitation.response is response


def test_invitation_follow_ups_accumulate_in_order() -> None:
    facts = applied(
        build("invitation_extended", "inv"),
        build("invitation_reiterated", "again-1"),
        build("invitation_reiterated", "again-2"),
    )
    assert facts.invitations["inv"].reiterated_by == ["again-1", "again-2"]


def test_follow_up_on_an_invitation_no_longer_pending_changes_nothing() -> None:
    """A meeting closed the invitation; a late 'still stands' must not reopen it."""
    facts = applied(build("invitation_extended", "inv"), build("meeting_held", "met"))
    applied(build("invitation_reiterated", "again"), facts=facts)
    assert facts.invitations == {}


def test_meeting_held_clears_invitations_and_sets_last_meeting() -> None:
    facts = applied(
        build("invitation_extended", "inv-a"),
        build("invitation_extended", "inv-b"),
        build("meeting_held", "met"),
    )
    assert facts.invitations == {}
    assert facts["last_meeting"].event == "met"
    assert (facts.status, facts["status"].basis, facts["status"].event) == (
        Status.ACTIVE,
        Basis.REPORTED,
        "met",
    )


def test_meeting_proposal_not_agreed_changes_no_fact() -> None:
    """Talking about convening is not a meeting: status and invitations stay as they were."""
    action = build("meeting_proposal_not_agreed", "talk")
    assert action.model_dump()["venue"] == "OSCE"
    assert applied(action) == ChannelFacts()


# --------------------------------------------------------------------------- effects: missions


def test_accreditation_withdrawn_adds_count_and_implies_an_operating_mission() -> None:
    facts = applied(build("accreditation_withdrawn", "exp-1", count=8))
    assert facts["accreditations_withdrawn"].value == 8
    assert (facts.status, facts["status"].basis, facts["status"].event) == (
        Status.ACTIVE,
        Basis.INFERRED,
        "exp-1",
    )
    applied(build("accreditation_withdrawn", "exp-2", count=2), facts=facts)
    assert facts["accreditations_withdrawn"].value == 10
    assert facts["status"].event == "exp-1", "the first operating sign stays the status basis"


def test_accreditation_withdrawn_without_count_leaves_the_total_unknown() -> None:
    """No source gave a number: the total is unknown (None), not zero (principle 5)."""
    facts = applied(build("accreditation_withdrawn", "exp", count=None))
    assert facts["accreditations_withdrawn"].value is None
    assert (facts.status, facts["status"].event) == (Status.ACTIVE, "exp")


def test_a_withdrawal_of_unreported_size_makes_the_total_unknown_for_good() -> None:
    """Principle 5: after a withdrawal nobody counted, any total would understate it."""
    facts = applied(
        build("accreditation_withdrawn", "exp-1", count=8),
        build("accreditation_withdrawn", "exp-2", count=None),
    )
    assert facts["accreditations_withdrawn"].value is None
    applied(build("accreditation_withdrawn", "exp-3", count=2), facts=facts)
    assert facts["accreditations_withdrawn"].value is None


def test_accreditation_withdrawn_keeps_a_reported_status() -> None:
    facts = applied(build("channel_established", "open"))
    applied(build("accreditation_withdrawn", "exp", count=1), facts=facts)
    assert (facts.status, facts["status"].basis, facts["status"].event) == (
        Status.ACTIVE,
        Basis.REPORTED,
        "open",
    )


def test_staff_cap_changed_sets_cap_basis_and_event() -> None:
    facts = applied(build("staff_cap_changed", "cut", from_cap=20, to_cap=10))
    assert (facts["staff_cap"].value, facts["staff_cap"].basis, facts["staff_cap"].event) == (
        10,
        Basis.REPORTED,
        "cut",
    )
    assert (facts.status, facts["status"].basis) == (Status.ACTIVE, Basis.INFERRED)


def test_staff_cap_changed_without_numbers_makes_the_cap_unknown() -> None:
    """The 2015 and 2018 cuts have no numbers: the cap after them is unknown, not kept."""
    facts = applied(
        build("staff_cap_changed", "cut-1", from_cap=20, to_cap=10),
        build("staff_cap_changed", "cut-2", from_cap=None, to_cap=None),
    )
    assert (facts["staff_cap"].value, facts["staff_cap"].basis, facts["staff_cap"].event) == (
        None,
        Basis.UNKNOWN,
        "cut-2",
    )


# --------------------------------------------------------------------------- effects: statuses


@pytest.mark.parametrize(
    ("type_", "status"),
    [
        ("mission_suspended", Status.SUSPENDED),
        ("office_closed", Status.CLOSED),
        ("cooperation_suspended", Status.SUSPENDED),
        ("cooperation_resumed", Status.ACTIVE),
        ("contacts_maintained", Status.ACTIVE),
        ("contacts_suspended", Status.SUSPENDED),
        ("contact_point_designated", Status.ACTIVE),
        ("channel_established", Status.ACTIVE),
        ("channel_reopened", Status.ACTIVE),
    ],
)
def test_status_change_sets_a_reported_status(type_: str, status: Status) -> None:
    facts = applied(build(type_, "change"))
    assert (facts.status, facts["status"].basis, facts["status"].event) == (
        status,
        Basis.REPORTED,
        "change",
    )
    assert (
        facts["staff_cap"].value is None
        and facts.invitations == {}
        and facts["last_meeting"].event is None
    )


def test_mission_suspended_then_reopened_is_active_again() -> None:
    facts = applied(build("mission_suspended", "off"), build("channel_reopened", "on"))
    assert (facts.status, facts["status"].event) == (Status.ACTIVE, "on")


def test_contact_point_designated_reports_the_channel_active() -> None:
    """The Russian ambassador to Belgium as contact point: a channel that is open."""
    facts = applied(build("contact_point_designated", "named"))
    assert facts.status is Status.ACTIVE
    assert facts["status"].basis is Basis.REPORTED
    assert facts["status"].event == "named"


@pytest.mark.parametrize(
    ("type_", "allowed"),
    [
        ("accreditation_withdrawn", False),
        ("staff_cap_changed", False),
        ("mission_suspended", False),
        ("office_closed", True),  # a suspended office or mission may still be closed
        ("cooperation_suspended", False),
        ("contacts_maintained", False),
        ("contacts_suspended", False),
        ("cooperation_resumed", True),
        ("contact_point_designated", True),
        ("channel_established", True),
        ("channel_reopened", True),
    ],
)
def test_which_types_may_follow_a_suspension(type_: str, allowed: bool) -> None:
    """After a certain suspension: only (re)opening it, or closing it for good."""
    suspension = build("mission_suspended", "off", date="2021-10-18")
    facts = applied(suspension)
    later = build(type_, "later", date="2021-11-01")
    if allowed:
        later.check(facts, {"off": suspension})
        return
    with pytest.raises(InvariantViolation) as caught:
        later.check(facts, {"off": suspension})
    assert caught.value.rule == "no-action-on-ended-channel"
    assert caught.value.event_id == "later"


@pytest.mark.parametrize("type_", ["staff_cap_changed", "accreditation_withdrawn"])
def test_an_end_announced_with_no_effective_date_refuses_nothing(type_: str) -> None:
    """The announcement day is not when the channel ended, and no day is known that it did."""
    announced = build("mission_suspended", "off", date="2021-10-18", status="announced")
    facts = applied(announced)
    build(type_, "later", date="2021-11-01").check(facts, {"off": announced})
    assert facts.status == "suspended"


def test_a_closed_channel_cannot_be_closed_again() -> None:
    closure = build("office_closed", "shut", date="2021-10-18")
    again = build("office_closed", "again", date="2021-11-01")
    with pytest.raises(InvariantViolation) as caught:
        again.check(applied(closure), {"shut": closure})
    assert caught.value.rule == "no-action-on-ended-channel"


# --------------------------------------------------------------------------- envelope checks


def test_effective_date_is_kept_and_takes_effect() -> None:
    """Announced is not effective (principle 4)."""
    action = build("mission_suspended", date="2021-10-18", effective="2021-11-01")
    assert action.date.edtf == "2021-10-18"
    assert action.takes_effect.edtf == "2021-11-01"


def test_effective_before_the_announcement_is_refused() -> None:
    with pytest.raises(ValidationError, match="effective date 2021-10-17 is before the announce"):
        build("mission_suspended", date="2021-10-18", effective="2021-10-17")


def test_effective_overlapping_an_uncertain_announcement_is_accepted() -> None:
    action = build("mission_suspended", date="2021-10", effective="2021-10-01")
    assert action.takes_effect.edtf == "2021-10-01"


def _date_dispute(first: str, second: str) -> list[dict[str, Any]]:
    return [
        {
            "about": "date",
            "claims": [
                {"says": "early", "date": first, "citations": CITATIONS},
                {"says": "later", "date": second, "citations": CITATIONS},
            ],
        }
    ]


def test_disputed_dates_inside_the_event_date_are_accepted() -> None:
    action = build(
        "invitation_extended",
        date="2020-01/2020-06",
        disputes=_date_dispute("2020-01/2020-03", "2020-05"),
    )
    assert [c.date.edtf for c in action.disputes[0].claims if c.date] == [
        "2020-01/2020-03",
        "2020-05",
    ]
    assert len(action.all_citations()) == 3


def test_disputed_date_outside_the_event_date_is_refused() -> None:
    """The event's date must span every claim, or 'as of' would ignore one side."""
    with pytest.raises(ValidationError) as caught:
        build(
            "invitation_extended",
            date="2020-01/2020-03",
            disputes=_date_dispute("2020-01/2020-03", "2020-05"),
        )
    message = str(caught.value)
    assert "must span every disputed date" in message
    assert "'later' gives 2020-05" in message


def test_a_dispute_needs_two_claims() -> None:
    one_claim = [{"about": "date", "claims": [{"says": "x", "citations": CITATIONS}]}]
    with pytest.raises(ValidationError, match="at least 2 items"):
        build("invitation_extended", disputes=one_claim)


@pytest.mark.parametrize("field", ["from_cap", "to_cap"])
@pytest.mark.parametrize("value", [-1, 10.5, "ten"])
def test_negative_or_non_integer_caps_are_refused(field: str, value: Any) -> None:
    """A cap is a number of people: never negative, never a fraction."""
    with pytest.raises(ValidationError) as caught:
        build("staff_cap_changed", **{field: value})
    assert caught.value.errors()[0]["loc"][-1] == field


@pytest.mark.parametrize("field", ["from_cap", "to_cap", "count"])
def test_boolean_caps_and_counts_are_refused(field: str) -> None:
    """`to_cap: yes` in YAML is a typo, not a cap of 1 person."""
    type_ = "accreditation_withdrawn" if field == "count" else "staff_cap_changed"
    with pytest.raises(ValidationError):
        build(type_, **{field: True})


def test_zero_cap_is_a_real_cap() -> None:
    action = build("staff_cap_changed", from_cap=10, to_cap=0)
    assert applied(action)["staff_cap"].value == 0


@pytest.mark.parametrize("count", [0, -3])
def test_accreditation_count_below_one_is_refused(count: int) -> None:
    """Withdrawing nobody's accreditation is not an action."""
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        build("accreditation_withdrawn", count=count)


@pytest.mark.parametrize("quote", ["", "   ", "\n\t"])
def test_empty_or_blank_quote_is_refused(quote: str) -> None:
    """A citation without the source's words supports nothing."""
    with pytest.raises(ValidationError) as caught:
        build("meeting_held", citations=[{"source": "src", "quote": quote}])
    assert caught.value.errors()[0]["loc"][-1] == "quote"


def test_an_event_needs_a_citation() -> None:
    with pytest.raises(ValidationError, match="at least 1 item"):
        build("meeting_held", citations=[])


def test_unknown_type_is_refused() -> None:
    record = event("ev", "embassy_stormed", "chan", "2021-10-06")
    with pytest.raises(ValidationError) as caught:
        ENTRY_ADAPTER.validate_python(record)
    error = caught.value.errors()[0]
    assert error["type"] == "union_tag_invalid"
    assert "embassy_stormed" in error["msg"]


def test_extra_fields_are_refused() -> None:
    """A misspelt field (to_caps) must not be silently dropped."""
    with pytest.raises(ValidationError) as caught:
        build("staff_cap_changed", to_caps=5)
    error = caught.value.errors()[0]
    assert error["type"] == "extra_forbidden"
    assert error["loc"][-1] == "to_caps"


def test_type_specific_field_on_another_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        build("mission_suspended", count=3)


# --------------------------------------------------------------------------- amendments


def test_correction_with_the_same_id_is_read() -> None:
    replacement = event("inv", "invitation_extended", "council", "2020-02")
    correction = ENTRY_ADAPTER.validate_python(
        {
            "id": "fix",
            "type": "correction",
            "corrects": "inv",
            "reason": "misdated",
            "replacement": replacement,
        }
    )
    assert isinstance(correction, Correction)
    assert isinstance(correction.replacement, InvitationExtended)
    assert correction.channel == "council"


def test_correction_whose_replacement_has_another_id_is_refused() -> None:
    """A correction that swapped ids would silently replace the wrong event."""
    replacement = event("other", "invitation_extended", "council", "2020-02")
    with pytest.raises(ValidationError, match=r"replacement\.id 'other' must equal corrects 'inv'"):
        ENTRY_ADAPTER.validate_python(
            {
                "id": "fix",
                "type": "correction",
                "corrects": "inv",
                "reason": "misdated",
                "replacement": replacement,
            }
        )


def test_retraction_needs_a_reason() -> None:
    record = {"id": "r", "type": "retraction", "retracts": "x", "channel": "c", "reason": ""}
    with pytest.raises(ValidationError, match="at least 1 character"):
        ENTRY_ADAPTER.validate_python(record)
    record["reason"] = "the report was withdrawn"
    assert isinstance(ENTRY_ADAPTER.validate_python(record), Retraction)
