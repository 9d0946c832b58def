"""Posts as structure and the actions analysts record: a post of a
sending party in a receiving party, `chancery dyad A B`, the registry's post selection, the new
action types and their rules, `in_response_to`, and the `head_of_mission` fact."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.cli import app
from chancery.domain.actions import IMPORT
from chancery.domain.dyad import dyad_file
from chancery.domain.errors import ConflictingRecordError, InvalidRecordError, InvariantViolation
from chancery.domain.parties import Channel, Party
from chancery.domain.registry import Registry
from chancery.importing.dataset import load_file, parse_text
from chancery.importing.plan import import_files
from chancery.projections.history import channel_history
from chancery.projections.why import explain
from chancery.storage.ledger import Ledger
from chancery.storage.readmodel import ReadModel
from chancery.terminal.views import history_sheet, why_lines
from pydantic import ValidationError
from typer.testing import CliRunner

from tests.conftest import import_streamed

runner = CliRunner()


def channel(**fields: Any) -> Channel:
    return Channel.model_validate(fields, context=IMPORT)


# ------------------------------------------------------------------------------- posts


def test_a_post_derives_parties_host_slug_and_name() -> None:
    embassy = channel(kind="embassy", sending="RU", receiving="GB", city="London")
    assert embassy.slug == "russia-embassy-united-kingdom"  # one per pair: no city
    assert embassy.parties == ["russia", "united-kingdom"] and embassy.host == "united-kingdom"
    assert embassy.name == "Embassy of Russia in London, the United Kingdom"
    consulate = channel(
        kind="consulate-general", sending="GB", receiving="russia", city="St. Petersburg"
    )
    assert consulate.slug == "united-kingdom-consulate-general-russia-saint-petersburg"
    mission = channel(kind="permanent-mission", sending="RU", receiving="NATO")
    assert (mission.slug, mission.name) == (
        "russia-permanent-mission-nato",
        "Permanent Mission of Russia to NATO",
    )
    to_eu = channel(kind="permanent-mission", sending="CZ", receiving="EU")
    assert to_eu.name == "Permanent Mission of Czechia to the European Union"


def test_a_post_declared_again_with_a_derived_name_is_the_recorded_post(
    ledger: Ledger, tmp_path: Path
) -> None:
    """A derived name's wording may change between releases; the post it names does not: a
    post whose name is derived compares with the recorded one as unchanged. A name written
    out must still agree."""
    post = {"kind": "embassy", "sending": "GB", "receiving": "RU", "city": "Moscow"}
    first = {
        "parties": [{"code": "GB"}, {"code": "RU"}],
        "channels": [{**post, "name": "Embassy of the UK in Moscow (older wording)"}],
    }
    do_import(ledger, write_yaml(tmp_path / "first.yaml", first))
    again = do_import(ledger, write_yaml(tmp_path / "again.yaml", {"channels": [post]}))
    assert again.total_added == 0 and dict(again.unchanged) == {"channels": 1}
    renamed = {"channels": [{**post, "name": "Another name"}]}
    with pytest.raises(ConflictingRecordError, match="already in the ledger"):
        do_import(ledger, write_yaml(tmp_path / "renamed.yaml", renamed))


def write_yaml(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(content, sort_keys=False), "utf-8")
    return path


def test_what_a_post_writes_out_is_kept() -> None:
    post = channel(
        slug="british-council-russia",
        name="British Council in Russia",
        kind="cultural-institute",
        sending="GB",
        receiving="RU",
        host="russia",
    )
    assert post.slug == "british-council-russia" and post.name == "British Council in Russia"
    assert post.parties == ["united-kingdom", "russia"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"slug": "x", "name": "X", "kind": "embassy", "parties": ["GB", "RU"]},
            "kind 'embassy' is a post of one party in another: give 'sending' and 'receiving'",
        ),
        (
            {"slug": "x", "name": "X", "kind": "dialogue", "parties": ["GB", "RU"], "city": "Oslo"},
            "kind 'dialogue' is not a post: 'city' is for posts",
        ),
        (
            {"kind": "consulate", "sending": "GB", "receiving": "RU", "parties": ["GB", "FR"]},
            "receiving 'russia' is not one of the channel's parties",
        ),
        ({"kind": "embassy", "sending": "GB", "receiving": "GB"}, "is listed twice"),
        ({"kind": "embassy", "sending": "GB"}, "gives both 'sending' and 'receiving'"),
    ],
)
def test_a_malformed_post_is_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        channel(**fields)


def test_a_release_0_1_mission_is_a_post_of_the_party_that_is_not_its_host() -> None:
    mission = channel(
        slug="russia-mission-to-nato",
        name="Russia's mission",
        kind="mission",
        parties=["russia", "nato"],
        host="nato",
    )
    assert (mission.sending_party, mission.receiving_party) == ("russia", "nato")
    assert "sending" not in mission.model_dump(mode="json")  # its digest is unchanged


# ------------------------------------------------------------------------- the registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    parties = [
        Party.model_validate(d, context=IMPORT)
        for d in (
            {"code": "GB"},
            {"code": "US"},
            {"slug": "russia", "name": "Russian Federation", "kind": "state"},
            {"code": "NATO"},
        )
    ]
    posts = [
        channel(kind="embassy", sending="RU", receiving="GB", city="London"),
        channel(kind="embassy", sending="GB", receiving="RU"),
        channel(kind="consulate-general", sending="GB", receiving="RU", city="Saint Petersburg"),
        channel(kind="consulate-general", sending="US", receiving="RU", city="Yekaterinburg"),
        channel(kind="consulate", sending="US", receiving="RU", city="Vladivostok"),
        channel(
            slug="russia-mission-to-nato",
            name="Russia's mission",
            kind="mission",
            parties=["russia", "nato"],
            host="nato",
        ),
        channel(slug="gb-ru-talks", name="Talks", kind="dialogue", parties=["GB", "RU"]),
    ]
    return Registry.build(parties, posts)


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ({"sending": "russia", "receiving": "united-kingdom"}, ["russia-embassy-united-kingdom"]),
        (
            {"kind": "consulate", "receiving": "RU", "city": "St Petersburg"},
            ["united-kingdom-consulate-general-russia-saint-petersburg"],
        ),
        ({"kind": "embassy", "city": "Moscow"}, ["united-kingdom-embassy-russia"]),
        (
            {"kind": "consulate", "sending": "US"},
            [
                "united-states-consulate-general-russia-yekaterinburg",
                "united-states-consulate-russia-vladivostok",
            ],
        ),
        (
            {"kind": "consulate-general", "sending": "US"},
            ["united-states-consulate-general-russia-yekaterinburg"],
        ),
        ({"kind": "permanent-mission", "sending": "RU"}, ["russia-mission-to-nato"]),
        ({"receiving": "NATO", "city": "Brussels"}, ["russia-mission-to-nato"]),
        ({"kind": "embassy", "sending": "US"}, []),
        ({"city": "Murmansk"}, []),
    ],
)
def test_the_registry_selects_posts_by_structure(
    registry: Registry, query: dict[str, Any], slugs: list[str]
) -> None:
    assert [post.slug for post in registry.posts(**query)] == slugs


def test_the_registry_lists_a_pairs_channels(registry: Registry) -> None:
    assert [c.slug for c in registry.channels_between("GB", "russia")] == [
        "gb-ru-talks",
        "russia-embassy-united-kingdom",
        "united-kingdom-consulate-general-russia-saint-petersburg",
        "united-kingdom-embassy-russia",
    ]


# ------------------------------------------------------------------------------ dyad


def test_dyad_declares_both_parties_embassies_relations_and_dialogue() -> None:
    loaded = parse_text("gb-ru.yaml", dyad_file("GB", "RU"), is_json=False)
    data = loaded.dataset
    assert [p.slug for p in data.parties] == ["united-kingdom", "russia"]
    kinds = {c.slug: (c.kind.value, c.city) for c in data.channels}
    assert kinds == {
        "united-kingdom-embassy-russia": ("embassy", "Moscow"),
        "russia-embassy-united-kingdom": ("embassy", "London"),
        "united-kingdom-russia-relations": ("relations", None),
        "united-kingdom-russia-dialogue": ("dialogue", None),
    }
    assert "#   kind: consulate-general" in dyad_file("GB", "RU")  # placeholders, commented


def test_dyad_of_a_state_and_an_organisation_gives_the_states_mission() -> None:
    data = parse_text("x.yaml", dyad_file("NATO", "RU"), is_json=False).dataset
    assert {c.slug: c.kind.value for c in data.channels} == {
        "russia-permanent-mission-nato": "permanent-mission",
        "nato-russia-relations": "relations",
        "nato-russia-dialogue": "dialogue",
    }


@pytest.mark.parametrize("bundled", [False, True], ids=["fresh-ledger", "bundled-ledger"])
def test_dyad_output_imports_as_it_stands(tmp_path: Path, bundled: bool) -> None:
    db = str(tmp_path / "ledger.sqlite")
    if bundled:
        assert runner.invoke(app, ["import", "--bundled", "--db", db]).exit_code == 0
    for pair in (("GB", "RU"), ("NATO", "RU"), ("US", "GB")):
        printed = runner.invoke(app, ["dyad", *pair])
        assert printed.exit_code == 0, printed.output
        path = tmp_path / f"{'-'.join(pair)}.yaml"
        path.write_text(printed.stdout, encoding="utf-8")
        first = runner.invoke(app, ["import", str(path), "--db", db])
        assert first.exit_code == 0, first.output
        again = runner.invoke(app, ["import", str(path), "--db", db])
        assert again.exit_code == 0 and again.stdout.startswith("added nothing")
    state = runner.invoke(app, ["state", "--db", db, "--json"])
    slugs = {c["id"] for c in json.loads(state.stdout)["channels"]}
    assert {"russia-embassy-united-kingdom", "united-kingdom-embassy-russia"} <= slugs
    assert ("russia-mission-to-nato" in slugs) is bundled


@pytest.mark.parametrize(
    ("pair", "message"),
    [(("UK", "RU"), "did you mean 'GB'?"), (("RU", "russia"), "are one party")],
)
def test_dyad_refuses_a_bad_pair_in_one_paragraph(pair: tuple[str, str], message: str) -> None:
    result = runner.invoke(app, ["dyad", *pair])
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------------------- actions

DECLARATIONS: dict[str, Any] = {
    "parties": [{"code": "GB"}, {"code": "RU"}],
    "channels": [
        {"kind": "embassy", "sending": "RU", "receiving": "GB", "city": "London"},
        {"kind": "embassy", "sending": "GB", "receiving": "RU", "city": "Moscow"},
        {"kind": "consulate-general", "sending": "GB", "receiving": "RU", "city": "Yekaterinburg"},
        {
            "slug": "gb-ru-relations",
            "name": "Relations",
            "kind": "relations",
            "parties": ["GB", "RU"],
        },
        {"slug": "gb-ru-talks", "name": "Talks", "kind": "dialogue", "parties": ["GB", "RU"]},
    ],
    "sources": [{"id": "wire", "outlet": "Wire", "published": "2020-12-31"}],
}
RU_EMBASSY = "russia-embassy-united-kingdom"
GB_EMBASSY = "united-kingdom-embassy-russia"
GB_CONSULATE = "united-kingdom-consulate-general-russia-yekaterinburg"


def act(event_id: str, type_: str, channel_slug: str, day: str, actor: str, **more: Any) -> dict:
    return {
        "id": event_id,
        "type": type_,
        "channel": channel_slug,
        "actor": actor,
        "date": day,
        "citations": [{"source": "wire", "quote": f"Text for {event_id}."}],
        **more,
    }


EXPELLED = act(
    "gb-expels-23", "accreditation_withdrawn", RU_EMBASSY, "2018-03-14", "GB", target="RU", count=23
)
ANSWERED = act(
    "ru-expels-23",
    "accreditation_withdrawn",
    GB_EMBASSY,
    "2018-03-17",
    "RU",
    target="GB",
    count=23,
    in_response_to="gb-expels-23",
)


def write(tmp_path: Path, name: str, *events: dict[str, Any], declare: bool = True) -> Path:
    path = tmp_path / name
    content = {**(DECLARATIONS if declare else {}), "events": list(events)}
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def do_import(ledger: Ledger, *paths: Path) -> Any:
    return import_files(ledger, [load_file(path) for path in paths])


def test_an_expulsion_answered_by_another_is_recorded_and_shown(
    ledger: Ledger, tmp_path: Path
) -> None:
    do_import(ledger, write(tmp_path, "a.yaml", EXPELLED, ANSWERED))
    read = ReadModel(ledger)
    read.catch_up()
    history = channel_history(read, GB_EMBASSY)
    (step,) = history.steps
    assert step.event.in_response_to == "gb-expels-23"
    assert "in response to gb-expels-23" in str(history_sheet(history).rows)
    why = explain(read, GB_EMBASSY, date(2020, 12, 31))
    assert "  in response to gb-expels-23" in list(why_lines(why))
    assert why.model_dump(mode="json")["events"][0]["in_response_to"] == "gb-expels-23"
    cut = channel_history(read, RU_EMBASSY).steps[0].event
    assert cut.in_response_to is None and "in_response_to" not in cut.details


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"in_response_to": "no-such-event"}, "no event 'no-such-event' is recorded"),
        ({"date": "2018-03-01"}, "'gb-expels-23' (2018-03-14) is later than this event"),
    ],
)
def test_an_answer_to_a_missing_or_later_event_is_refused(
    ledger: Ledger, tmp_path: Path, answer: dict[str, Any], message: str
) -> None:
    do_import(ledger, write(tmp_path, "first.yaml", EXPELLED))
    path = write(tmp_path, "answer.yaml", {**ANSWERED, **answer}, declare=False)
    with pytest.raises(InvalidRecordError) as caught:
        do_import(ledger, path)
    assert message in str(caught.value) and "field 'in_response_to'" in str(caught.value)
    assert "answer.yaml: events[0]" in str(caught.value)
    assert ledger.index.recorded_entries({"ru-expels-23"}) == {}


def test_an_event_cannot_answer_itself(tmp_path: Path) -> None:
    path = write(tmp_path, "self.yaml", {**EXPELLED, "in_response_to": "gb-expels-23"})
    with pytest.raises(InvalidRecordError, match="in_response_to names the event itself"):
        load_file(path)


def test_the_streamed_import_checks_answers_too(ledger: Ledger, tmp_path: Path) -> None:
    later = write(tmp_path, "later.yaml", EXPELLED, {**ANSWERED, "date": "2018-03-01"})
    with pytest.raises(InvalidRecordError, match="is later than this event"):
        import_streamed(ledger, [later])
    assert ledger.index.recorded_entries({"gb-expels-23"}) == {}
    report = import_streamed(ledger, [write(tmp_path, "ok.yaml", EXPELLED, ANSWERED)])
    assert report.added["events"] == 2


@pytest.mark.parametrize(
    ("event", "side", "acting"),
    [
        (
            act("x", "accreditation_withdrawn", RU_EMBASSY, "2018-03-14", "RU", target="GB"),
            "receiving",
            "united-kingdom",
        ),
        (
            act("x", "head_of_mission_recalled", GB_EMBASSY, "2018-03-14", "RU"),
            "sending",
            "united-kingdom",
        ),
        (
            act("x", "head_of_mission_summoned", GB_EMBASSY, "2018-03-14", "GB"),
            "receiving",
            "russia",
        ),
        (
            act("x", "post_consent_withdrawn", GB_CONSULATE, "2018-03-14", "GB"),
            "receiving",
            "russia",
        ),
    ],
)
def test_the_acting_side_of_a_post_is_checked(
    ledger: Ledger, tmp_path: Path, event: dict[str, Any], side: str, acting: str
) -> None:
    with pytest.raises(InvalidRecordError) as caught:
        do_import(ledger, write(tmp_path, "side.yaml", event))
    assert f"is done by the {side} party of post" in str(caught.value)
    assert f"'{acting}', not" in str(caught.value) and "field 'actor'" in str(caught.value)


def test_an_action_on_a_post_of_the_wrong_kind_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    wrong = act("x", "relations_severed", GB_EMBASSY, "2018-03-14", "GB")
    with pytest.raises(InvariantViolation, match=r"fits-channel-kind|cannot happen on"):
        do_import(ledger, write(tmp_path, "kind.yaml", wrong))


def facts_on(ledger: Ledger, slug: str, day: date) -> dict[str, Any]:
    read = ReadModel(ledger)
    read.catch_up()
    (state,) = read.state(day, None, slug).channels
    return state.model_dump(mode="json")["facts"]


def test_the_head_of_mission_is_recalled_and_returns(ledger: Ledger, tmp_path: Path) -> None:
    recalled = act(
        "recall", "head_of_mission_recalled", GB_EMBASSY, "2018-03-20", "GB", for_consultations=True
    )
    returned = act("back", "head_of_mission_returned", GB_EMBASSY, "2018-06-01", "GB")
    summoned = act(
        "summons", "head_of_mission_summoned", GB_EMBASSY, "2018-03-15", "RU", target="GB"
    )
    do_import(ledger, write(tmp_path, "hom.yaml", summoned, recalled, returned))
    assert "head_of_mission" not in facts_on(ledger, GB_EMBASSY, date(2018, 3, 16)) or (
        facts_on(ledger, GB_EMBASSY, date(2018, 3, 16))["head_of_mission"]["value"] is None
    )
    assert facts_on(ledger, GB_EMBASSY, date(2018, 4, 1))["head_of_mission"]["value"] == "recalled"
    assert facts_on(ledger, GB_EMBASSY, date(2018, 7, 1))["head_of_mission"]["value"] == "in post"
    read = ReadModel(ledger)
    changes = [
        (c.field, c.before, c.after)
        for step in channel_history(read, GB_EMBASSY).steps
        for c in step.changes
    ]
    assert ("head of mission", "unknown", "recalled") in changes
    assert ("head of mission", "recalled", "in post") in changes


def test_relations_severed_end_the_channel_until_restored(ledger: Ledger, tmp_path: Path) -> None:
    downgraded = act(
        "down",
        "relations_downgraded",
        "gb-ru-relations",
        "2018-03-20",
        "GB",
        target="RU",
        level="chargé d'affaires",
    )
    severed = act("cut", "relations_severed", "gb-ru-relations", "2018-04-01", "RU", target="GB")
    restored = act("back", "relations_restored", "gb-ru-relations", "2018-09-01", "GB")
    do_import(ledger, write(tmp_path, "rel.yaml", downgraded, severed, restored))
    assert facts_on(ledger, "gb-ru-relations", date(2018, 3, 25))["status"]["value"] == "active"
    assert facts_on(ledger, "gb-ru-relations", date(2018, 5, 1))["status"]["value"] == "closed"
    assert facts_on(ledger, "gb-ru-relations", date(2018, 10, 1))["status"]["value"] == "active"
    again = act("down-2", "relations_downgraded", "gb-ru-relations", "2018-05-01", "GB")
    with pytest.raises(InvariantViolation, match="no-action-on-ended-channel"):
        do_import(ledger, write(tmp_path, "again.yaml", again, declare=False))


def test_posts_close_reopen_and_pause(ledger: Ledger, tmp_path: Path) -> None:
    paused = act("pause", "post_operations_suspended", GB_CONSULATE, "2018-03-01", "GB")
    consent = act(
        "consent",
        "post_consent_withdrawn",
        GB_CONSULATE,
        "2018-03-17",
        "RU",
        target="GB",
        effective={"edtf": "2018-03-31"},
    )
    reopened = act("reopen", "post_reopened", GB_CONSULATE, "2020-01-10", "GB")
    do_import(ledger, write(tmp_path, "post.yaml", paused, consent, reopened))
    statuses = [
        facts_on(ledger, GB_CONSULATE, date(*day))["status"]["value"]
        for day in ((2018, 3, 5), (2018, 4, 1), (2020, 2, 1))
    ]
    assert statuses == ["suspended", "closed", "active"]
    closed_twice = act("closed", "post_closed", GB_CONSULATE, "2018-06-01", "GB")
    with pytest.raises(InvariantViolation, match="no-action-on-ended-channel"):
        do_import(ledger, write(tmp_path, "twice.yaml", closed_twice, declare=False))


def test_a_revoked_invitation_is_no_longer_pending(ledger: Ledger, tmp_path: Path) -> None:
    invited = act("inv", "invitation_extended", "gb-ru-talks", "2018-01-10", "GB", target="RU")
    revoked = act("rev", "invitation_revoked", "gb-ru-talks", "2018-03-20", "GB", invitation="inv")
    do_import(ledger, write(tmp_path, "inv.yaml", invited, revoked))
    read = ReadModel(ledger)
    read.catch_up()
    (before,) = read.state(date(2018, 2, 1), None, "gb-ru-talks").channels
    (after,) = read.state(date(2018, 4, 1), None, "gb-ru-talks").channels
    assert [i.id for i in before.pending_invitations] == ["inv"]
    assert after.pending_invitations == []
    orphan = act(
        "rev-2", "invitation_revoked", "gb-ru-talks", "2018-03-21", "GB", invitation="none"
    )
    with pytest.raises(InvariantViolation, match="invitation-exists"):
        do_import(ledger, write(tmp_path, "orphan.yaml", orphan, declare=False))


def test_named_diplomats_are_kept_and_unset_additions_change_no_digest() -> None:
    from chancery.domain.actions import ENTRY_ADAPTER

    named = ENTRY_ADAPTER.validate_python({**EXPELLED, "names": ["A. Diplomat"]})
    assert named.model_dump(mode="json")["names"] == ["A. Diplomat"]
    plain = ENTRY_ADAPTER.validate_python(EXPELLED).model_dump(mode="json")
    assert "names" not in plain and "in_response_to" not in plain


def test_the_readme_uk_russia_example_is_what_chancery_does(tmp_path: Path) -> None:
    """The README's example of another dyad, run as written: its file, its commands, its
    output."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Another dyad: the United Kingdom and Russia")[1].split("\n## ")[0]
    blocks = section.split("```")
    shell, events, shown = blocks[1], blocks[3], blocks[5]
    consulate = "\n".join(
        line.removeprefix("# ") for line in shell.splitlines() if line.startswith("#   ")
    )
    declarations = dyad_file("GB", "RU")
    declarations = declarations.replace(
        "\n".join(
            ["  # - slug: united-kingdom-consulate-general-russia-CITY"]
            + [
                f"  #   {key}"
                for key in ("kind: consulate-general", "sending: GB", "receiving: RU", "city: CITY")
            ]
        ),
        consulate.rstrip(),
    )
    assert "kind: consulate-general\n" in declarations.replace("#   kind", "")
    (tmp_path / "gb-ru.yaml").write_text(declarations, encoding="utf-8")
    (tmp_path / "events.yaml").write_text(events.removeprefix("yaml\n"), encoding="utf-8")
    db = str(tmp_path / "ledger.sqlite")
    imported = runner.invoke(
        app, ["import", str(tmp_path / "gb-ru.yaml"), str(tmp_path / "events.yaml"), "--db", db]
    )
    assert imported.exit_code == 0, imported.output
    why = runner.invoke(
        app, ["why", "united-kingdom-embassy-russia", "--as-of", "2018-03-31", "--db", db]
    )
    assert why.stdout.strip() == shown.removeprefix("text\n").strip()
    state = runner.invoke(app, ["state", "--as-of", "2018-03-31", "--db", db, "--json"])
    by_slug = {c["id"]: c for c in json.loads(state.stdout)["channels"]}
    consulate_state = by_slug["united-kingdom-consulate-general-russia-saint-petersburg"]
    assert consulate_state["facts"]["status"]["value"] == "closed"
    assert by_slug["russia-embassy-united-kingdom"]["accreditations_withdrawn"] == 23


def test_an_answer_to_a_retracted_event_still_names_it_and_verify_agrees(
    ledger: Ledger, tmp_path: Path
) -> None:
    """A retraction withdraws an event from the views, not from the record: an answer to it,
    recorded before or after, still names an event the ledger holds."""
    from chancery.application.verification import verify

    retraction = {
        "id": "gb-expels-withdrawn",
        "type": "retraction",
        "retracts": "gb-expels-23",
        "channel": RU_EMBASSY,
        "reason": "The wire withdrew its report.",
    }
    do_import(ledger, write(tmp_path, "a.yaml", EXPELLED, ANSWERED))
    assert verify(ledger).ok
    do_import(ledger, write(tmp_path, "b.yaml", retraction, declare=False))
    later = {
        **ANSWERED,
        "id": "ru-closes-consulate",
        "type": "post_consent_withdrawn",
        "channel": GB_CONSULATE,
        "target": "GB",
    }
    later.pop("count")
    do_import(ledger, write(tmp_path, "c.yaml", later, declare=False))
    result = verify(ledger)
    assert result.ok, result.problems
    assert result.counts["events"] == 2  # the retracted expulsion is in no view


def test_verify_reports_an_answer_whose_event_is_gone_or_later(
    ledger: Ledger, tmp_path: Path
) -> None:
    """What verify finds in a ledger altered behind Chancery's back: answers that name no
    recorded event, or a later one (the check itself, on the answers it collected)."""
    from chancery.application.verification import response_problems
    from chancery.domain.actions import ENTRY_ADAPTER

    do_import(ledger, write(tmp_path, "a.yaml", EXPELLED))
    ghost = ENTRY_ADAPTER.validate_python({**ANSWERED, "in_response_to": "ghost"})
    early = ENTRY_ADAPTER.validate_python({**ANSWERED, "date": "2018-03-01"})
    fine = ENTRY_ADAPTER.validate_python(ANSWERED)
    problems = list(response_problems(ledger, [ghost, early, fine]))
    assert len(problems) == 2
    assert "no event 'ghost' is recorded" in problems[0]
    assert "is later than this event" in problems[1]


def test_a_yaml_backup_of_posts_and_answers_restores_the_same_state(tmp_path: Path) -> None:
    """`export --format yaml` of posts declared by code, answers across channels and the new
    types imports into an empty ledger with the same state."""
    first, second = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    recalled = act(
        "recall",
        "head_of_mission_recalled",
        GB_EMBASSY,
        "2018-03-18",
        "GB",
        in_response_to="ru-expels-23",
    )
    source = write(tmp_path, "events.yaml", EXPELLED, ANSWERED, recalled)
    assert runner.invoke(app, ["import", str(source), "--db", first]).exit_code == 0
    backup = tmp_path / "backup.yaml"
    exported = runner.invoke(
        app, ["export", "--format", "yaml", "--out", str(backup), "--db", first]
    )
    assert exported.exit_code == 0, exported.output
    assert "in_response_to: ru-expels-23" in backup.read_text(encoding="utf-8")
    assert runner.invoke(app, ["import", str(backup), "--db", second]).exit_code == 0
    states = [
        runner.invoke(app, ["state", "--as-of", "2018-12-31", "--json", "--db", db]).stdout
        for db in (first, second)
    ]
    assert states[0] == states[1] and "recalled" in states[0]


def test_the_schema_takes_a_post_by_its_parties_alone() -> None:
    from chancery.importing.dataset import import_schema

    schema = import_schema()["$defs"]["Channel"]
    assert schema["required"] == ["kind"]
    assert {"required": ["sending", "receiving"]} in schema["anyOf"]
    kinds = import_schema()["$defs"]["ChannelKind"]["enum"]
    assert {"embassy", "consulate-general", "relations", "mission", "office"} <= set(kinds)
