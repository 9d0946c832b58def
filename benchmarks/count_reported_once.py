"""How many events a set of reports becomes: articles extracted one at a time, or in one run.

Several reports of one action (a wire story, the ministry's statement, a feature a year
later) must make one event. For each corpus set (`benchmarks/corpus/SET`), in fresh ledgers
holding the set's declarations (after the bundled data when its gold says so):

- gold actions: the set's gold events, those of several texts that are one action (same
  channel and type, overlapping dates, no number differing) counted once;
- one at a time: each text extracted alone against the declarations (what `chancery extract`
  could do before it took several articles): the events the drafts propose as new, summed,
  and whether importing the drafts together is accepted or refused (and by which rule);
- one run: every text of the set extracted together (`chancery extract A B C ...`): the
  events drafted as new, the corroborations, refinements and disputes, the conflicts left
  for review (commented out), whether the draft imports as it stands, and how many events
  the ledger then holds from it.

Each workflow's drafted events are also given per gold action (1.00: each action once; the
extractor's misses and spurious proposals move both workflows alike).

Run: python benchmarks/count_reported_once.py [--set NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chancery.application.ledger import Ledger
from chancery.domain.actions import ACTION_TYPES
from chancery.domain.errors import ChanceryError
from chancery.seeds import bundled_paths
from corpus_sets import NUMBERED, CorpusSet, GoldEvent, load_set, set_folders
from score_extraction import _same_type


def _one_action(a: GoldEvent, b: GoldEvent) -> bool:
    return (
        a.channel == b.channel
        and _same_type(a.type, b.type)
        and a.earliest <= b.latest
        and b.earliest <= a.latest
        and all(
            getattr(a, n) is None or getattr(b, n) is None or getattr(a, n) == getattr(b, n)
            for n in NUMBERED
        )
    )


def gold_actions(corpus_set: CorpusSet) -> int:
    """The set's gold events, each action several texts report counted once."""
    actions: list[GoldEvent] = []
    for text in corpus_set.texts:
        for event in text.events:
            if not any(_one_action(event, known) for known in actions):
                actions.append(event)
    return len(actions)


@dataclass
class Outcome:
    new: int = 0
    amendments: int = 0
    for_review: int = 0
    imported: str = ""
    events_added: int | None = None


def _tally(draft: str, outcome: Outcome) -> None:
    """Count the draft's live new events and amendments, and the conflicts it comments out
    for review (each introduced by a `# conflicts` line)."""
    outcome.for_review += sum(line.startswith("# conflicts") for line in draft.splitlines())
    for entry in yaml.safe_load(draft).get("events") or []:
        if entry["type"] in ACTION_TYPES:
            outcome.new += 1
        else:
            outcome.amendments += 1


def _fresh(corpus_set: CorpusSet, folder: Path, name: str) -> Ledger:
    ledger = Ledger.open(folder / f"{name}.sqlite")
    files: list[Path | str] = [*(bundled_paths() if corpus_set.bundled else [])]
    ledger.import_files([*files, corpus_set.declarations])
    return ledger


def _import(ledger: Ledger, drafts: list[Path], outcome: Outcome) -> None:
    before = len(ledger.events())
    try:
        ledger.import_files(drafts)
    except ChanceryError as exc:
        rule = (
            str(exc).split("breaks rule '")[1].split("'")[0] if "breaks rule '" in str(exc) else ""
        )
        outcome.imported = f"refused ({rule})" if rule else "refused"
        return
    ledger.close()
    outcome.imported = "accepted"
    outcome.events_added = len(ledger.events()) - before


def one_at_a_time(corpus_set: CorpusSet, folder: Path) -> Outcome:
    outcome = Outcome()
    with _fresh(corpus_set, folder, "alone") as ledger:
        drafts = []
        for text in corpus_set.texts:
            draft = ledger.extract(text.path, text.published, outlet=text.outlet)
            assert isinstance(draft, str)
            _tally(draft, outcome)
            drafts.append(folder / f"alone-{text.path.stem}.yaml")
            drafts[-1].write_text(draft, encoding="utf-8")
        _import(ledger, drafts, outcome)
    return outcome


def one_run(corpus_set: CorpusSet, folder: Path) -> Outcome:
    outcome = Outcome()
    with _fresh(corpus_set, folder, "run") as ledger:
        texts = corpus_set.texts
        outlets = [t.outlet or "" for t in texts]
        draft = ledger.extract(
            [t.path for t in texts],
            [t.published for t in texts],
            outlet=outlets if all(outlets) else None,
        )
        assert isinstance(draft, str)
        _tally(draft, outcome)
        path = folder / "run.yaml"
        path.write_text(draft, encoding="utf-8")
        _import(ledger, [path], outcome)
    return outcome


HEADER = (
    "| set | texts | gold actions | alone: drafted new | alone: import | alone: per action "
    "| run: drafted new | run: amendments | run: for review | run: import | run: events added "
    "| run: per action |\n"
    "|---|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---:|"
)


def row(corpus_set: CorpusSet) -> str:
    with tempfile.TemporaryDirectory(prefix="chancery-once-") as name:
        folder = Path(name)
        alone, run = one_at_a_time(corpus_set, folder), one_run(corpus_set, folder)
    gold = gold_actions(corpus_set)
    cells: list[Any] = [
        corpus_set.name,
        len(corpus_set.texts),
        gold,
        alone.new,
        alone.imported,
        f"{alone.new / gold:.2f}" if gold else "-",
        run.new,
        run.amendments,
        run.for_review,
        run.imported,
        "-" if run.events_added is None else run.events_added,
        f"{run.new / gold:.2f}" if gold else "-",
    ]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", dest="sets", metavar="NAME")
    args = parser.parse_args(argv)
    folders = [f for f in set_folders() if not args.sets or f.name in args.sets]
    print(HEADER)
    for folder in folders:
        print(row(load_set(folder)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
