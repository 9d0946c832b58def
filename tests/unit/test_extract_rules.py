"""`extract` checks every entry it drafts live by the channel rules the import applies, after
the ledger's events and the run's earlier entries (in publication order): a proposal that
would break one is drafted for review, commented out, with the rule and the event it
conflicts with named, so the rest of the draft imports as it stands.

The reports are the project's own short texts about Portugal and Angola (each side's embassy),
declared by code only: a pair no corpus set holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.domain.actions import ENTRY_ADAPTER, Action
from chancery.domain.parties import Channel, Party
from chancery.extraction.service import Report, extract_reports


def _embassy(sending: str, receiving: str, city: str) -> Channel:
    return Channel.model_validate(
        {"kind": "embassy", "sending": sending, "receiving": receiving, "city": city}
    )


PARTIES = {p.slug: p for p in (Party.model_validate({"code": code}) for code in ("PT", "AO"))}
CHANNELS = {
    channel.slug: channel
    for channel in (_embassy("PT", "AO", "Luanda"), _embassy("AO", "PT", "Lisbon"))
}
IN_LUANDA = "portugal-embassy-angola"
IN_LISBON = "angola-embassy-portugal"

WILL_CLOSE = (
    "LUANDA, April 2 (Wire) - Angola said on Tuesday it will close the Portuguese embassy.\n"
)
EXPELLED_TUESDAY = (
    "Angola expelled two Portuguese diplomats on Tuesday, the foreign ministry in Luanda said.\n"
)
CLOSED_ON_5_APRIL = (
    "LISBON, April 20 (Wire) - The Portuguese embassy in Luanda closed on 5 April, the "
    "foreign ministry said.\n"
)


def recorded_event(event_id: str, type_: str, channel: str, date: str, **fields: Any) -> Action:
    actor, target = ("angola", "portugal") if channel == IN_LUANDA else ("portugal", "angola")
    record = {
        "id": event_id,
        "type": type_,
        "channel": channel,
        "actor": actor,
        "target": target,
        "date": date,
        "citations": [{"source": "desk", "quote": "as the desk recorded it"}],
        **fields,
    }
    action = ENTRY_ADAPTER.validate_python(record)
    assert isinstance(action, Action)
    return action


ANNOUNCED_CLOSURE = recorded_event(
    "closing", "post_closed", IN_LUANDA, "2024-04-02", status="announced"
)
RECORDED_EXPULSION = recorded_event(
    "expelled", "accreditation_withdrawn", IN_LUANDA, "2024-04-09", count=2
)


def extracted(
    tmp_path: Path, *texts: tuple[str, str], recorded: list[Action] | None = None, json: bool
) -> Any:
    """The draft of one run over these (text, published) reports, against `recorded`."""
    reports = []
    for number, (text, published) in enumerate(texts, start=1):
        path = tmp_path / f"report-{number}.txt"
        path.write_text(text, encoding="utf-8")
        reports.append(Report(path, published))
    return extract_reports(
        reports,
        channels=CHANNELS,
        parties=PARTIES,
        recorded=lambda channels: [a for a in recorded or [] if a.channel in channels],
        source_named=lambda key: None,
        as_json=json,
    )


def matches(result: dict[str, Any]) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (e["type"], e["match"]["kind"], e["match"]["rule"], e["match"]["event"])
        for e in result["events"]
    ]


def test_an_effective_date_before_a_recorded_action_is_left_for_review(tmp_path: Path) -> None:
    """The ledger holds a closure announced on 2 April (no effective date: it refuses
    nothing) and an expulsion on 9 April; a report that the embassy closed on 5 April would
    give the closure an effective date before that expulsion."""
    result = extracted(
        tmp_path,
        (CLOSED_ON_5_APRIL, "2024-04-20"),
        recorded=[ANNOUNCED_CLOSURE, RECORDED_EXPULSION],
        json=True,
    )
    assert matches(result) == [
        ("post_closed", "conflicts", "no-action-on-ended-channel", "expelled")
    ]
    assert "'closing' (2024-04-05)" in result["events"][0]["match"]["detail"]


def test_an_action_after_a_recorded_end_in_effect_conflicts_with_it(tmp_path: Path) -> None:
    closed = recorded_event("closed", "post_closed", IN_LUANDA, "2024-04-05")
    later = "Angola expelled three Portuguese diplomats on 10 April, state television reported.\n"
    result = extracted(tmp_path, (later, "2024-04-11"), recorded=[closed], json=True)
    assert matches(result) == [
        ("accreditation_withdrawn", "conflicts", "no-action-on-ended-channel", "closed")
    ]


def test_a_cut_from_another_cap_than_the_recorded_one_conflicts_with_it(tmp_path: Path) -> None:
    cap = recorded_event(
        "cap", "staff_cap_changed", IN_LISBON, "2024-02-01", from_cap=40, to_cap=20
    )
    cut = (
        "Portugal cut the number of staff allowed at the Angolan embassy in Lisbon from 30 "
        "to 12 on Monday, officials said.\n"
    )
    result = extracted(tmp_path, (cut, "2024-04-16"), recorded=[cap], json=True)
    assert matches(result) == [
        ("staff_cap_changed", "conflicts", "cap-from-matches-known-cap", "cap")
    ]


def test_an_effective_date_before_an_earlier_report_of_the_run_is_left_for_review(
    tmp_path: Path,
) -> None:
    """Announced on 2 April, an expulsion reported on 10 April (evidence, since nothing says
    the closure had taken effect), then a report that the embassy closed on 5 April: the
    refinement that would date the closure before the expulsion is the one left for review,
    naming the expulsion."""
    result = extracted(
        tmp_path,
        (WILL_CLOSE, "2024-04-02"),
        (EXPELLED_TUESDAY, "2024-04-10"),
        (CLOSED_ON_5_APRIL, "2024-04-20"),
        json=True,
    )
    expulsion = f"{result['sources'][1]['id']}-01-accreditation-withdrawn"
    assert matches(result) == [
        ("post_closed", "new", None, None),
        ("accreditation_withdrawn", "new", None, None),
        ("post_closed", "conflicts", "no-action-on-ended-channel", expulsion),
    ]
    assert result["events"][0]["announced"]


@pytest.mark.parametrize(
    "closed",
    [
        "Angola closed the Portuguese embassy in Luanda on Monday, the foreign ministry said.\n",
        "The Portuguese embassy in Luanda was shut on Monday after Angola ordered it closed.\n",
    ],
)
def test_an_action_after_an_end_an_earlier_report_of_the_run_gives_conflicts(
    tmp_path: Path, closed: str
) -> None:
    result = extracted(
        tmp_path, (closed, "2024-05-07"), (EXPELLED_TUESDAY, "2024-05-15"), json=True
    )
    closure = f"{result['sources'][0]['id']}-01-post-closed"
    assert matches(result) == [
        ("post_closed", "new", None, None),
        ("accreditation_withdrawn", "conflicts", "no-action-on-ended-channel", closure),
    ]


def test_the_entry_left_for_review_is_commented_out_with_the_rule_and_the_event(
    tmp_path: Path,
) -> None:
    text = extracted(
        tmp_path,
        (WILL_CLOSE, "2024-04-02"),
        (EXPELLED_TUESDAY, "2024-04-10"),
        (CLOSED_ON_5_APRIL, "2024-04-20"),
        json=False,
    )
    live = yaml.safe_load(text)["events"]
    assert [e["type"] for e in live] == ["post_closed", "accreditation_withdrawn"]
    review = text.split("# Reports for review")[1]
    expulsion = live[1]["id"]
    assert f"# conflicts {expulsion} (rule no-action-on-ended-channel)" in review
    assert "#   type: refinement" in review and f"#   refines: {live[0]['id']}" in review
