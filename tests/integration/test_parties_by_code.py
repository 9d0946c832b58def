"""Parties by code: `- code: GB` declares a party whose slug, name and kind
follow from the code; a code stands for its slug wherever a party is named; ledgers and files
written before codes keep importing; the registry says which party a word names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.domain import countries
from chancery.domain.actions import IMPORT
from chancery.domain.errors import ConflictingRecordError, InvalidRecordError
from chancery.domain.parties import Party
from chancery.domain.registry import Registry
from chancery.importing.dataset import load_file, parse_text
from chancery.importing.plan import import_files
from chancery.seeds import bundled_paths
from chancery.storage.ledger import Ledger
from pydantic import ValidationError

from tests.conftest import contents, import_streamed


def party(**fields: Any) -> Party:
    return Party.model_validate(fields, context=IMPORT)


def bundled_without_codes(tmp_path: Path) -> Path:
    """The bundled file as it was before parties had codes: a ledger from an older release."""
    text = bundled_paths()[0].read_text(encoding="utf-8")
    old = re.sub(r"^    code: [A-Z]+\n", "", text, flags=re.MULTILINE)
    assert old != text and "code:" not in old.split("channels:")[0]
    path = tmp_path / "old-bundled.yaml"
    path.write_text(old, encoding="utf-8")
    return path


def do_import(ledger: Ledger, *paths: Path) -> Any:
    return import_files(ledger, [load_file(path) for path in paths])


# ---------------------------------------------------------------------- the declaration


@pytest.mark.parametrize(
    ("code", "slug", "name", "kind"),
    [
        ("GB", "united-kingdom", "United Kingdom", "state"),
        ("RU", "russia", "Russia", "state"),
        ("US", "united-states", "United States", "state"),
        ("CZ", "czechia", "Czechia", "state"),
        ("NATO", "nato", "North Atlantic Treaty Organization", "organisation"),
        ("CoE", "council-of-europe", "Council of Europe", "organisation"),
    ],
)
def test_a_code_alone_declares_the_party(code: str, slug: str, name: str, kind: str) -> None:
    declared = party(code=code)
    assert (declared.slug, declared.name, declared.kind.value, declared.code) == (
        slug,
        name,
        kind,
        code,
    )


def test_written_fields_are_kept_and_the_slug_must_be_the_codes() -> None:
    declared = party(code="RU", slug="russia", name="Russian Federation", aliases=["Moscow"])
    assert declared.name == "Russian Federation" and declared.aliases == ["Moscow"]
    with pytest.raises(ValidationError, match=r"not the slug of code GB \('united-kingdom'\)"):
        party(code="GB", slug="uk")
    with pytest.raises(ValidationError, match="code NATO names an organisation, not a state"):
        party(code="NATO", kind="state")


@pytest.mark.parametrize(
    ("code", "hint"), [("UK", "GB"), ("Nato", "nato"), ("usa", "US"), ("XQ", None)]
)
def test_an_unknown_code_is_refused_with_the_nearest(code: str, hint: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        party(code=code)
    message = str(caught.value)
    assert f"'{code}' is neither a slug" in message
    assert (f"did you mean '{hint}'?" in message) if hint else ("did you mean" not in message)


def test_codes_and_slugs_are_one_to_one() -> None:
    """Identity by code is identity by slug only if no two codes share a slug."""
    entries = [countries.by_code(code) for code in ("GB", "RU", "NATO")]
    assert all(entries)
    slugs = {}
    for line in countries._STATES.splitlines():
        code = line.split("\t")[0]
        entry = countries.by_code(code)
        assert entry is not None
        assert slugs.setdefault(entry.slug, code) == code
        assert countries.by_slug(entry.slug) == entry
    for organisation in countries.ORGANISATIONS:
        entry = countries.by_code(organisation.code)
        assert entry is not None and slugs.setdefault(entry.slug, entry.code) == entry.code
    assert len(slugs) == 249 + len(countries.ORGANISATIONS)


def test_a_code_stands_for_its_slug_in_every_reference(tmp_path: Path) -> None:
    text = """
chancery: 1
parties:
  - code: GB
  - code: RU
channels:
  - slug: gb-ru-talks
    name: UK-Russia talks
    kind: dialogue
    parties: [GB, RU]
sources:
  - {id: wire, outlet: Wire, published: "2018-03-20"}
events:
  - id: talks-held
    type: meeting_held
    channel: gb-ru-talks
    actor: GB
    target: RU
    date: "2018-03-14"
    citations: [{source: wire, quote: "They met."}]
    reasons:
      - says: a reason
        party: RU
        citations: [{source: wire, quote: "They met."}]
"""
    loaded = parse_text("codes.yaml", text, is_json=False)
    data = loaded.dataset
    assert [p.slug for p in data.parties] == ["united-kingdom", "russia"]
    assert data.channels[0].parties == ["united-kingdom", "russia"]
    event = data.events[0]
    assert (event.actor, event.target, event.reasons[0].party) == (
        "united-kingdom",
        "russia",
        "russia",
    )


def test_a_misspelt_code_in_a_reference_names_file_record_and_field() -> None:
    text = "chancery: 1\nchannels:\n  - {slug: x, name: X, kind: dialogue, parties: [UK, RU]}\n"
    with pytest.raises(InvalidRecordError) as caught:
        parse_text("slip.yaml", text, is_json=False)
    message = str(caught.value)
    assert "slip.yaml: channels[0]" in message and "line 3" in message
    assert "field 'parties.0'" in message and "did you mean 'GB'?" in message


def test_the_schema_takes_a_party_by_code_alone() -> None:
    from chancery.importing.dataset import import_schema

    schema = import_schema()["$defs"]["Party"]
    assert {"required": ["code"]} in schema["anyOf"] and schema["required"] == []
    reference = import_schema()["$defs"]["Channel"]["properties"]["parties"]["items"]
    assert re.fullmatch(reference["pattern"], "GB") and re.fullmatch(reference["pattern"], "nato")
    assert not re.fullmatch(reference["pattern"], "Not a party")


# ------------------------------------------------------------------- ledgers and files


def test_a_ledger_from_before_codes_takes_the_bundled_file_as_unchanged(
    ledger: Ledger, tmp_path: Path
) -> None:
    do_import(ledger, bundled_without_codes(tmp_path))
    before = contents(ledger)
    report = do_import(ledger, *bundled_paths())
    assert report.total_added == 0
    assert contents(ledger).parties == before.parties


def test_a_file_from_before_codes_is_unchanged_in_a_ledger_with_codes(
    ledger: Ledger, tmp_path: Path
) -> None:
    do_import(ledger, *bundled_paths())
    assert ledger.parties()["russia"].code == "RU"
    report = do_import(ledger, bundled_without_codes(tmp_path))
    assert report.total_added == 0
    assert ledger.parties()["russia"].code == "RU"


def test_a_party_by_code_names_the_party_declared_by_slug(
    ledger: Ledger, write_file: Any, tmp_path: Path
) -> None:
    """`- code: RU` is the bundled `russia` ("Russian Federation"), in a ledger from before
    codes too; `- code: GB` is a new party; events may name both by code."""
    do_import(ledger, bundled_without_codes(tmp_path))
    path = write_file(
        {
            "parties": [{"code": "RU"}, {"code": "NATO"}, {"code": "GB"}],
            "channels": [
                {
                    "slug": "uk-russia-dialogue",
                    "name": "UK-Russia dialogue",
                    "kind": "dialogue",
                    "parties": ["GB", "russia"],
                }
            ],
        }
    )
    report = do_import(ledger, path)
    assert dict(report.added) == {"parties": 1, "channels": 1}
    assert dict(report.unchanged) == {"parties": 2}
    parties = ledger.parties()
    assert parties["russia"].name == "Russian Federation"
    assert parties["united-kingdom"].model_dump(mode="json") == {
        "slug": "united-kingdom",
        "code": "GB",
        "name": "United Kingdom",
        "kind": "state",
    }
    assert do_import(ledger, path).total_added == 0


def test_a_code_does_not_change_a_party_declared_otherwise(ledger: Ledger, write_file: Any) -> None:
    do_import(ledger, *bundled_paths())
    path = write_file({"parties": [{"code": "RU", "kind": "organisation"}]})
    with pytest.raises(InvalidRecordError, match="names a state, not an organisation"):
        do_import(ledger, path)
    renamed = write_file({"parties": [{"code": "RU", "name": "Muscovy"}]})
    with pytest.raises(ConflictingRecordError, match="'russia' is already in the ledger"):
        do_import(ledger, renamed)


# ------------------------------------------------------------------------- the registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    parties = [
        party(code="GB"),
        party(code="US"),
        party(slug="russia", name="Russian Federation", kind="state", aliases=["Lavrov"]),
        party(code="NATO"),
        party(slug="acme-league", name="Acme League", kind="organisation", aliases=["ACL"]),
    ]
    return Registry.build(parties, [])


@pytest.mark.parametrize(
    ("word", "slug", "how"),
    [
        ("United Kingdom", "united-kingdom", "name"),
        ("Britain", "united-kingdom", "short name"),
        ("British", "united-kingdom", "demonym"),
        ("Britons", "united-kingdom", "demonym"),
        ("London", "united-kingdom", "capital"),
        ("Whitehall", "united-kingdom", "metonym"),
        ("the Kremlin", "russia", "metonym"),
        ("Russia's", "russia", "short name"),
        ("RUSSIANS", "russia", "demonym"),
        ("Lavrov", "russia", "alias"),
        ("Foggy Bottom", "united-states", "metonym"),
        ("U.S.", "united-states", "short name"),
        ("the Alliance", "nato", "short name"),
        ("ACL", "acme-league", "alias"),
    ],
)
def test_the_registry_says_which_party_a_word_names(
    registry: Registry, word: str, slug: str, how: str
) -> None:
    assert registry.party(word) == slug
    assert registry.named(word)[0].how == how


def test_the_registry_names_only_declared_parties_and_says_when_a_word_is_ambiguous() -> None:
    assert Registry.build([party(code="GB")], []).party("the Kremlin") is None
    assert Registry.build([party(code="CD")], []).party("Congolese") == (
        "democratic-republic-of-the-congo"
    )
    both = Registry.build([party(code="CD"), party(code="CG")], [])
    assert both.party("Congolese") is None
    assert {n.party for n in both.named("Congolese")} == {
        "democratic-republic-of-the-congo",
        "republic-of-the-congo",
    }
    assert both.party("Kinshasa") == "democratic-republic-of-the-congo"


def test_state_startup_does_not_load_the_country_libraries(tmp_path: Path) -> None:
    """The libraries behind the registry are loaded by questions about coded parties, never by
    importing the domain or validating a declaration."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from chancery.domain.parties import Party\n"
        "import chancery.domain.registry, chancery.importing.dataset\n"
        "from chancery.domain.actions import IMPORT\n"
        "Party.model_validate({'code': 'GB'}, context=IMPORT)\n"
        "print(sorted(m for m in ('pycountry', 'countryinfo') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_import_file_may_declare_parties_only_by_code(tmp_path: Path) -> None:
    path = tmp_path / "parties.yaml"
    path.write_text(yaml.safe_dump({"parties": [{"code": "GB"}, {"code": "EU"}]}), "utf-8")
    slugs = [p.slug for p in load_file(path).dataset.parties]
    assert slugs == ["united-kingdom", "european-union"]


def test_an_undeclared_party_named_by_code_is_explained_by_its_code(
    ledger: Ledger, write_file: Any
) -> None:
    """The file says GB, the ledger knows slugs: the message names both, and how to declare."""

    do_import(ledger, *bundled_paths())
    channel = {"slug": "gb-ru", "name": "GB-RU", "kind": "dialogue", "parties": ["GB", "RU"]}
    path = write_file({"channels": [channel]})
    expected = (
        "field 'parties': unknown party 'united-kingdom' (GB's slug; declare it under "
        "'parties' first: `- code: GB`)"
    )
    with pytest.raises(InvalidRecordError) as whole:
        do_import(ledger, path)
    with pytest.raises(InvalidRecordError) as streamed:
        import_streamed(ledger, [path])
    assert expected in str(whole.value) and expected in str(streamed.value)
    other = write_file({"channels": [{**channel, "parties": ["acme", "RU"]}]})
    with pytest.raises(InvalidRecordError, match=r"unknown party 'acme' \(declare it under"):
        do_import(ledger, other)


def test_the_registry_finds_every_party_mention_in_a_text(registry: Registry) -> None:
    text = (
        "The U.S.-Russian talks stalled. Britain's Foreign Office said the Kremlin had "
        "expelled two British diplomats; Washington and the United Kingdom protested to Russia."
    )
    found = [(text[m.start : m.end], m.party) for m in registry.mentions(text)]
    assert found == [
        ("The U.S.", "united-states"),
        ("Russian", "russia"),
        ("Britain's", "united-kingdom"),
        ("Foreign Office", "united-kingdom"),
        ("the Kremlin", "russia"),
        ("British", "united-kingdom"),
        ("Washington", "united-states"),
        ("the United Kingdom", "united-kingdom"),
        ("Russia.", "russia"),
    ]
    both = Registry.build([party(code="CD"), party(code="CG")], [])
    (mention,) = both.mentions("Congolese officials left.")
    assert mention.party is None and len(mention.namings) == 2


def test_finding_mentions_is_linear_in_the_text(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text from articles is untrusted: however it repeats the start of a name, each word
    starts a bounded number of lookups."""
    from chancery.domain import registry as module

    calls = 0
    real = module.word_key

    def counted(word: str) -> str:
        nonlocal calls
        calls += 1
        return real(word)

    monkeypatch.setattr(module, "word_key", counted)
    for filler in ("the united ", "the ", "united states of ", "word "):
        calls = 0
        words = 4000 * len(filler.split())
        assert registry.mentions(filler * 4000) == [] or filler == "united states of "
        assert calls <= 3 * words, (filler, calls, words)
