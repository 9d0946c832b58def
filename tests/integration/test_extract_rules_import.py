"""A draft whose proposals would break a channel rule imports as it stands: the proposal is
left for review, commented out, and the live entries are what the import accepts.

Portugal and Angola, declared by code; the reports are the project's own short texts (those of
tests/unit/test_extract_rules.py, which checks what the draft says of each proposal).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from chancery.application.ledger import Ledger

from tests.unit.test_extract_rules import CLOSED_ON_5_APRIL, EXPELLED_TUESDAY, WILL_CLOSE

DECLARATIONS = """\
chancery: 1
parties:
  - code: PT
  - code: AO
channels:
  - slug: portugal-embassy-angola
    name: Embassy of Portugal in Luanda
    kind: embassy
    sending: PT
    receiving: AO
    city: Luanda
  - slug: angola-embassy-portugal
    name: Embassy of Angola in Lisbon
    kind: embassy
    sending: AO
    receiving: PT
    city: Lisbon
"""


def _ledger(tmp_path: Path) -> Ledger:
    declarations = tmp_path / "declarations.yaml"
    declarations.write_text(DECLARATIONS, encoding="utf-8")
    ledger = Ledger.open(tmp_path / "ledger.sqlite")
    ledger.import_files([declarations])
    return ledger


def _articles(tmp_path: Path, *texts: str) -> list[Path]:
    paths = []
    for number, text in enumerate(texts, start=1):
        paths.append(tmp_path / f"article-{number}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    return paths


def _draft_and_import(ledger: Ledger, tmp_path: Path, paths: list[Path], dates: list[str]) -> str:
    draft = ledger.extract(paths, dates)
    assert isinstance(draft, str)
    path = tmp_path / f"draft-{len(list(tmp_path.glob('draft-*')))}.yaml"
    path.write_text(draft, encoding="utf-8")
    ledger.import_files([path])
    return draft


def test_a_run_whose_last_report_contradicts_an_earlier_one_imports_the_rest(
    tmp_path: Path,
) -> None:
    with _ledger(tmp_path) as ledger:
        paths = _articles(tmp_path, WILL_CLOSE, EXPELLED_TUESDAY, CLOSED_ON_5_APRIL)
        dates = ["2024-04-02", "2024-04-10", "2024-04-20"]
        draft = _draft_and_import(ledger, tmp_path, paths, dates)
        assert "(rule no-action-on-ended-channel)" in draft
        types = sorted(e.type for e in ledger.events())
        assert types == ["accreditation_withdrawn", "post_closed"]


def test_a_report_contradicting_the_ledger_is_left_out_and_the_rest_imports(
    tmp_path: Path,
) -> None:
    with _ledger(tmp_path) as ledger:
        first = _articles(tmp_path, WILL_CLOSE, EXPELLED_TUESDAY)
        _draft_and_import(ledger, tmp_path, first, ["2024-04-02", "2024-04-10"])
        recorded = {e.id for e in ledger.events()}
        later = tmp_path / "later.txt"
        retaliation = "In response, Portugal expelled two Angolan diplomats on 18 April.\n"
        later.write_text(CLOSED_ON_5_APRIL + retaliation, encoding="utf-8")
        draft = _draft_and_import(ledger, tmp_path, [later], ["2024-04-20"])
        live = yaml.safe_load(draft)["events"]
        assert [(e["type"], e["channel"]) for e in live] == [
            ("accreditation_withdrawn", "angola-embassy-portugal")
        ]
        assert {e.id for e in ledger.events()} == recorded | {live[0]["id"]}
        closure = next(e for e in ledger.events() if e.type == "post_closed")
        assert closure.effective is None, "the effective date was left for review"
