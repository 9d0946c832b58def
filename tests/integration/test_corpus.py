"""The extraction test corpus (benchmarks/corpus/) is data the benchmark trusts: these tests
check that every file parses, that the gold names what the set declares, that every gold date
and number could come from its text, and that no text copies the five source articles. The
scorer's matching is checked on proposals made by hand."""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from chancery.domain import countries
from chancery.domain.actions import ACTION_TYPES
from chancery.domain.dates import UncertainDate
from chancery.extraction import Proposal
from chancery.extraction.extract import Quote
from chancery.extraction.numbers import numbers_in
from chancery.importing.dataset import load_file
from chancery.importing.plan import dry_run, import_files
from chancery.seeds import bundled_paths
from chancery.storage.store import open_ledger

from tests.conftest import ARTICLES, REPO, needs_articles

BENCHMARKS = REPO / "benchmarks"


def _module(name: str) -> ModuleType:
    """A module of benchmarks/ (a folder of scripts, not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


corpus_sets = _module("corpus_sets")
score_extraction = _module("score_extraction")

HELDOUT = BENCHMARKS / "heldout"
"""Held-out sets (same format): dyads the corpus does not have, written to measure whether
the extractor's rules reach texts they were not tuned on. Every check below holds for them."""

TUNED = [corpus_sets.load_set(folder) for folder in corpus_sets.set_folders()]
HELD = [corpus_sets.load_set(folder) for folder in corpus_sets.set_folders(HELDOUT)]
SETS = TUNED + HELD
SET_IDS = [("heldout/" if s in HELD else "") + s.name for s in SETS]

OLDEST = 60
"""Years before publication a report may look back (a feature on a quarter century of
NATO–Russia relations reaches 1997; one on the Maghreb's closed border, 1976)."""


def _bundled() -> dict[str, Any]:
    data = load_file(bundled_paths()[0]).dataset
    return {
        "channels": {c.slug for c in data.channels},
        "parties": {p.slug for p in data.parties} | {"NATO", "RU"},
    }


def _declared(corpus_set: Any) -> tuple[set[str], set[str]]:
    """The channel slugs and party references (codes, slugs) a set's gold may use."""
    raw = yaml.safe_load(corpus_set.declarations.read_text(encoding="utf-8"))
    channels = {c["slug"] for c in raw.get("channels") or []}
    parties = {p.get("code") or p.get("slug") for p in raw.get("parties") or []}
    if corpus_set.bundled:
        bundled = _bundled()
        channels |= bundled["channels"]
        parties |= bundled["parties"]
    return channels, parties


def test_the_corpus_has_every_set_it_promises() -> None:
    """NATO–Russia with at least 8 texts; six other dyads (or more) with 4 to 6; each set has
    a text with no event (a report of words alone must give nothing)."""
    sizes = {s.name: len(s.texts) for s in TUNED}
    asked = {"nato-russia", "gb-ru", "us-ru", "cz-ru", "cn-lt", "ca-in", "de-ru"}
    assert asked <= sizes.keys() and len(sizes) >= 7
    assert sizes["nato-russia"] >= 8
    assert all(4 <= n <= 6 for name, n in sizes.items() if name != "nato-russia"), sizes
    for corpus_set in TUNED:
        assert any(not t.events for t in corpus_set.texts), corpus_set.name
        assert any(t.events for t in corpus_set.texts), corpus_set.name


def test_the_held_out_sets_are_other_dyads_of_three_to_five_texts() -> None:
    """About fifty texts, 3 to 5 per set, no dyad the tuned corpus has (a second NATO–Russia
    set, under its own name, reads against the bundled data); every set gives events."""
    sizes = {s.name: len(s.texts) for s in HELD}
    assert not sizes.keys() & {s.name for s in TUNED}
    assert {"fr-ml", "pl-by", "us-ve", "nato-russia-2"} <= sizes.keys()
    assert len(sizes) >= 13
    assert all(3 <= n <= 5 for n in sizes.values()), sizes
    assert 45 <= sum(sizes.values()) <= 60
    assert all(any(t.events for t in s.texts) for s in HELD)
    assert [s.name for s in HELD if s.bundled] == ["nato-russia-2"]


def test_the_scorer_takes_another_corpus_folder_and_refuses_a_missing_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert score_extraction.main(["--corpus", str(tmp_path / "nowhere")]) == 1
    assert "no corpus folder at" in capsys.readouterr().err
    # A held-out set name is known only under its own root.
    assert score_extraction.main(["--set", "fr-ml"]) == 1
    assert "no set fr-ml" in capsys.readouterr().err
    assert score_extraction.main(["--corpus", str(HELDOUT), "--set", "se-ir"]) == 0
    out = capsys.readouterr().out
    assert "| se-ir | 3 | 3 |" in out
    assert "source-articles" not in out


@pytest.mark.parametrize("corpus_set", SETS, ids=SET_IDS)
def test_declarations_hold_only_parties_and_channels(corpus_set: Any) -> None:
    raw = yaml.safe_load(corpus_set.declarations.read_text(encoding="utf-8"))
    assert raw["chancery"] == 1
    assert set(raw) <= {"chancery", "parties", "channels"}
    for party in raw["parties"]:
        assert party["code"] in countries.codes(), party
    slugs = [c["slug"] for c in raw.get("channels") or []]
    assert len(slugs) == len(set(slugs))
    codes = {p["code"] for p in raw["parties"]}
    for channel in raw.get("channels") or []:
        refs = [channel[k] for k in ("sending", "receiving") if k in channel]
        refs += channel.get("parties", [])
        assert refs and set(refs) <= codes, channel["slug"]
        assert ("sending" in channel) == ("receiving" in channel), channel["slug"]


@pytest.mark.parametrize("corpus_set", SETS, ids=SET_IDS)
def test_gold_names_declared_channels_parties_and_known_types(corpus_set: Any) -> None:
    channels, parties = _declared(corpus_set)
    for text in corpus_set.texts:
        for event in text.events:
            assert event.channel in channels, event.where
            assert event.actor in parties, event.where
            assert event.target is None or event.target in parties - {event.actor}, event.where
            assert event.type in ACTION_TYPES, event.where


@pytest.mark.parametrize("corpus_set", SETS, ids=SET_IDS)
def test_gold_dates_lie_in_the_texts_plausible_range(corpus_set: Any) -> None:
    """Gold lists done actions: on or before publication, not before OLDEST years earlier; a
    day the text gives is one day."""
    for text in corpus_set.texts:
        first, last = corpus_sets.bounds(text.published)
        floor = date(first.year - OLDEST, 1, 1)
        for event in text.events:
            assert floor <= event.earliest <= event.latest <= last, event.where
            if event.day_given:
                assert event.earliest == event.latest, event.where


@pytest.mark.parametrize("corpus_set", SETS, ids=SET_IDS)
def test_gold_numbers_are_written_in_their_text(corpus_set: Any) -> None:
    """A count or cap in the gold is a number the text gives (digits or words)."""
    for text in corpus_set.texts:
        written = {n.value for n in numbers_in(text.path.read_text(encoding="utf-8"))}
        for event in text.events:
            for name in corpus_sets.NUMBERED:
                value = getattr(event, name)
                assert value is None or value in written, f"{event.where}: {name} {value}"


@pytest.mark.parametrize("corpus_set", SETS, ids=SET_IDS)
def test_each_set_imports_into_a_fresh_ledger_that_holds_its_gold_channels(
    corpus_set: Any, tmp_path: Path
) -> None:
    """The scorer's ledger: the set's declarations (on the bundled data for a set that reads
    against it, where they add nothing to the bundled pair: a code names the bundled party, and
    a channel it adds is another pair's) declare every channel the gold names, and every gold
    party, given by code, is one of its parties."""
    ledger = open_ledger(str(tmp_path / "ledger.sqlite"), create=True)
    try:
        if corpus_set.bundled:
            import_files(ledger, [load_file(bundled_paths()[0])])
        bundled_parties, bundled_channels = ledger.parties(), ledger.channels()
        import_files(ledger, [load_file(corpus_set.declarations)])
        channels, parties = ledger.channels(), ledger.parties()
    finally:
        ledger.close()
    assert all(parties[slug] == party for slug, party in bundled_parties.items())
    assert all(channels[slug] == channel for slug, channel in bundled_channels.items())
    added = [c for slug, c in channels.items() if slug not in bundled_channels]
    assert not any(bundled_parties and set(c.parties) <= set(bundled_parties) for c in added)
    codes = {p.code: slug for slug, p in parties.items()}
    for text in corpus_set.texts:
        for event in text.events:
            assert event.channel in channels, event.where
            actor = codes.get(event.actor, event.actor)
            assert actor in channels[event.channel].parties, event.where
            assert event.target is None or codes.get(event.target, event.target) in parties


def _declarations_only(path: Path, folder: Path) -> Path:
    """The bundled file's parties and channels without its events, so that a text's gold is
    checked against the channels, not against the bundled data's own reading of them."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    kept = {key: raw[key] for key in ("chancery", "parties", "channels")}
    target = folder / "bundled-declarations.yaml"
    target.write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    return target


@pytest.mark.parametrize("corpus_set", SETS, ids=SET_IDS)
def test_each_texts_gold_passes_every_import_rule(corpus_set: Any, tmp_path: Path) -> None:
    """Each text's gold, written as an import file (its source and its events), passes the
    import's dry run on a ledger of the set's declarations: every type fits its channel's kind,
    the acting side of a post, the text's publication date and the channel's timeline."""
    ledger = open_ledger(str(tmp_path / "ledger.sqlite"), create=True)
    try:
        if corpus_set.bundled:
            bundled = _declarations_only(bundled_paths()[0], tmp_path)
            import_files(ledger, [load_file(bundled)])
        import_files(ledger, [load_file(corpus_set.declarations)])
        for text in corpus_set.texts:
            first_line = text.path.read_text(encoding="utf-8").strip().splitlines()[0]
            source = {"id": "gold-source", "outlet": text.outlet, "published": text.published}
            events = [
                {
                    "id": f"gold-{number}",
                    "type": event.type,
                    "channel": event.channel,
                    "actor": event.actor,
                    "target": event.target,
                    "date": event.edtf,
                    "citations": [{"source": "gold-source", "quote": first_line}],
                    **{n: getattr(event, n) for n in corpus_sets.NUMBERED if getattr(event, n)},
                }
                for number, event in enumerate(text.events, 1)
            ]
            for event in list(events):
                if "invitation" in ACTION_TYPES[event["type"]].model_fields:
                    # A follow-up names the invitation it is about; the text need not report
                    # when that was extended, so a stand-in of the same date serves the check.
                    stand_in = {**event, "id": f"{event['id']}-invitation"}
                    stand_in["type"] = "invitation_extended"
                    events.insert(events.index(event), stand_in)
                    event["invitation"] = stand_in["id"]
            path = tmp_path / f"{text.path.stem}.yaml"
            content = {"chancery": 1, "sources": [source], "events": events}
            path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
            dry_run(ledger, [load_file(path)], lambda plan: plan.report)
    finally:
        ledger.close()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@needs_articles
def test_no_text_copies_the_source_articles() -> None:
    """No run of 12 words is shared with any of the five source articles."""
    assert ARTICLES is not None
    sources = sorted(ARTICLES.glob("*.txt"))
    assert len(sources) == 5
    theirs = set().union(*(_runs(_words(p.read_text(encoding="utf-8")), 12) for p in sources))
    for corpus_set in SETS:
        for text in corpus_set.texts:
            shared = _runs(_words(text.path.read_text(encoding="utf-8")), 12) & theirs
            assert not shared, f"{text.path}: {' '.join(sorted(shared)[0])}"


def test_the_run_check_would_see_a_copied_sentence() -> None:
    """The 12-word check itself: a copied run is found, a reworded one is not."""
    original = "The alliance withdrew the accreditation of eight members of the mission today."
    source = _runs(_words(original), 12)
    copied = f"Reports said {original.lower()} Again."
    reworded = "Reports said the alliance took away the accreditation of eight people there."
    assert _runs(_words(copied), 12) & source
    assert not _runs(_words(reworded), 12) & source


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda e: e.pop("day_given"), "day_given"),
        (lambda e: e.update(date="the spring"), "'date'"),
        (lambda e: e.update(count=-3), "'count'"),
        (lambda e: e.update(when="2021"), "unknown field(s) when"),
    ],
)
def test_a_bad_gold_entry_is_refused_naming_file_text_and_field(
    tmp_path: Path, change: Any, field: str
) -> None:
    folder = tmp_path / "xx-yy"
    folder.mkdir()
    (folder / "declarations.yaml").write_text("chancery: 1\nparties: [{code: XX}]\n")
    (folder / "001-a.txt").write_text("A report of my own.\n")
    event = {
        "type": "post_closed",
        "channel": "c",
        "actor": "XX",
        "date": "2021-05-02",
        "day_given": True,
    }
    change(event)
    gold = {"texts": {"001-a.txt": {"published": "2021-05-03", "outlet": None, "events": [event]}}}
    (folder / "gold.yaml").write_text(yaml.safe_dump(gold))
    with pytest.raises(corpus_sets.CorpusError) as raised:
        corpus_sets.load_set(folder)
    assert "xx-yy/gold.yaml: 001-a.txt, event 1" in str(raised.value)
    assert field in str(raised.value)


def test_a_text_without_gold_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "xx-yy"
    folder.mkdir()
    (folder / "declarations.yaml").write_text("chancery: 1\n")
    (folder / "001-a.txt").write_text("One.\n")
    (folder / "002-b.txt").write_text("Two.\n")
    gold = {"texts": {"001-a.txt": {"published": "2021-05-03", "outlet": None, "events": []}}}
    (folder / "gold.yaml").write_text(yaml.safe_dump(gold))
    with pytest.raises(corpus_sets.CorpusError, match=r"no entry for 002-b\.txt"):
        corpus_sets.load_set(folder)


# --------------------------------------------------------------------------- the scorer


def _gold(type_: str, channel: str, edtf: str, day: bool, **numbers: int) -> Any:
    lo, hi = corpus_sets.bounds(edtf)
    return corpus_sets.GoldEvent(type_, channel, "AA", "BB", edtf, lo, hi, day, **numbers)


def _proposal(type_: str, channel: str, edtf: str, **numbers: int) -> Proposal:
    quote = Quote("Words", 0, 5)
    return Proposal(
        type_, channel, "aa", "bb", UncertainDate(edtf=edtf), quote, 0.9, quotes=[quote], **numbers
    )


def test_scoring_matches_one_to_one_by_channel_type_and_overlapping_dates() -> None:
    gold = [
        _gold("accreditation_withdrawn", "embassy", "2018-03-14", True, count=23),
        _gold("accreditation_withdrawn", "embassy", "2018-03", False, count=23),
        _gold("head_of_mission_summoned", "embassy", "2018-03-17", True),
        _gold("office_closed", "office", "2021-10-18", True),
    ]
    proposals = [
        _proposal("accreditation_withdrawn", "embassy", "2018-03-14", count=23),  # exact
        _proposal("accreditation_withdrawn", "embassy", "2018-03-12", count=25),  # 2nd, wrong n
        _proposal("accreditation_withdrawn", "embassy", "2018-03-13"),  # nothing left to match
        _proposal("head_of_mission_summoned", "embassy", "2018-03-11/2018-03-17"),  # not the day
        _proposal("post_closed", "office", "2021-10-18"),  # the same action under its new name
        _proposal("post_closed", "consulate", "2021-10-18"),  # another channel
    ]
    row = score_extraction.score_text("Words and more.", "t.txt", gold, proposals)
    assert (row.gold, row.proposed, row.matched) == (4, 6, 4)
    assert (row.days_given, row.exact_days) == (3, 2)
    assert (row.with_numbers, row.numbers_right) == (2, 1)
    assert (row.quotes, row.verbatim) == (6, 6)
    assert row.missed == []
    assert len(row.spurious) == 2


def test_a_set_row_is_below_target_on_any_of_its_figures() -> None:
    row = score_extraction.Row(
        name="gb-ru", texts=1, gold=10, proposed=10, matched=9, days_given=5, exact_days=3
    )
    assert score_extraction.shortfalls(row) == ["exact day 0.60 < 0.8"]
    row.exact_days = 5
    assert score_extraction.shortfalls(row) == []
    table = score_extraction.table([row, score_extraction.Row(name="cz-ru", problem="no file")])
    assert "| gb-ru | 1 | 10 | 10 | 9 | 0.90 | 0.90 | 5/5 (1.00) |" in table
    assert "| cz-ru | not scored: no file |" in table
