"""Score `chancery extract` against the bundled dataset, read as the gold standard.

For each article the dataset cites (by its source's `file`), the gold events are those whose
own citations quote that article; the extractor's proposals for it are matched one to one to
gold events of the same channel and type whose date intervals overlap (an exact date first,
then the closest). Reported: recall and precision of those matches, the share of matched
proposals with exactly the gold date, how many matched proposals that give numbers (count,
from_cap, to_cap) give exactly the gold's, and how many quotes are verbatim slices of the
article at their offsets. A number the article does not give is not counted against it. The
matching ignores the ledger (no `--db`): it measures reading, not deduplication.

Run: python benchmarks/score_extraction.py [ARTICLES_DIR] [--check]
(default ARTICLES_DIR: $CHANCERY_ARTICLES, else ../shared/seeds beside the repository).
Targets: recall >= 0.9, precision >= 0.85, every quote verbatim; --check exits 1 below them.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from chancery.domain.actions import Action
from chancery.domain.dataset import load_file
from chancery.extraction import Article, Lexicon, Proposal, extract, read_article
from chancery.seeds import bundled_paths

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"recall": 0.9, "precision": 0.85, "verbatim": 1.0}
NUMBERED = ("count", "from_cap", "to_cap")


@dataclass
class Row:
    article: str
    gold: int = 0
    proposed: int = 0
    matched: int = 0
    exact_dates: int = 0
    with_numbers: int = 0
    numbers_right: int = 0
    quotes: int = 0
    verbatim: int = 0
    missed: tuple[str, ...] = ()
    spurious: tuple[str, ...] = ()

    def add(self, other: Row) -> None:
        for name in (
            "gold",
            "proposed",
            "matched",
            "exact_dates",
            "with_numbers",
            "numbers_right",
            "quotes",
            "verbatim",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _overlaps(p: Proposal, g: Action) -> bool:
    return p.date.earliest <= g.date.latest and g.date.earliest <= p.date.latest


def _closeness(p: Proposal, g: Action) -> float:
    lo, hi = max(p.date.earliest, g.date.earliest), min(p.date.latest, g.date.latest)
    union = max(p.date.latest, g.date.latest) - min(p.date.earliest, g.date.earliest)
    return ((hi - lo).days + 1) / (union.days + 1)


def score_article(text: str, name: str, gold: list[Action], proposals: list[Proposal]) -> Row:
    row = Row(article=name, gold=len(gold), proposed=len(proposals))
    free = list(gold)
    spurious = []
    for p in proposals:
        for q in p.quotes:
            row.quotes += 1
            row.verbatim += int(text[q.start : q.end] == q.text and bool(q.text))
        fits = [g for g in free if g.channel == p.channel and g.type == p.type and _overlaps(p, g)]
        if not fits:
            spurious.append(f"{p.type}@{p.channel} {p.date.edtf}")
            continue
        best = max(fits, key=lambda g: (g.date.edtf == p.date.edtf, _closeness(p, g), g.id))
        free.remove(best)
        row.matched += 1
        same_day = (p.date.earliest, p.date.latest) == (best.date.earliest, best.date.latest)
        row.exact_dates += int(same_day)
        given = [(getattr(p, n), getattr(best, n, None)) for n in NUMBERED if getattr(p, n)]
        if given:
            row.with_numbers += 1
            row.numbers_right += int(all(ours == theirs for ours, theirs in given))
    row.missed = tuple(g.id for g in free)
    row.spurious = tuple(spurious)
    return row


def score(articles: Path) -> list[Row]:
    dataset = load_file(bundled_paths()[0]).dataset
    lexicon = Lexicon.build(
        {c.slug: c for c in dataset.channels}, {p.slug: p for p in dataset.parties}
    )
    rows = []
    for source in sorted(dataset.sources, key=lambda s: s.file or ""):
        if not source.file or not (articles / source.file).is_file():
            continue
        path = articles / source.file
        text = read_article(path)
        gold = [
            e
            for e in dataset.events
            if isinstance(e, Action) and any(c.source == source.id for c in e.citations)
        ]
        proposals = extract(Article(text, path.name, source.published), lexicon)
        rows.append(score_article(text, source.file, gold, proposals))
    return rows


def table(rows: list[Row]) -> str:
    total = Row(article="all")
    for row in rows:
        total.add(row)
    lines = [
        "| article | gold | proposed | matched | recall | precision | exact date | numbers right "
        "| quotes verbatim |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in [*rows, total]:
        lines.append(
            f"| {row.article} | {row.gold} | {row.proposed} | {row.matched} "
            f"| {_ratio(row.matched, row.gold):.2f} | {_ratio(row.matched, row.proposed):.2f} "
            f"| {_ratio(row.exact_dates, row.matched):.2f} "
            f"| {row.numbers_right}/{row.with_numbers} | {row.verbatim}/{row.quotes} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("CHANCERY_ARTICLES") or str(REPO.parent / "shared" / "seeds")
    parser.add_argument("articles", nargs="?", default=default, type=Path)
    parser.add_argument("--check", action="store_true", help="exit 1 below the targets")
    args = parser.parse_args(argv)
    if not args.articles.is_dir():
        print(f"score_extraction: no articles folder at {args.articles}", file=sys.stderr)
        return 1
    rows = score(args.articles)
    print(table(rows))
    for row in rows:
        for missed in row.missed:
            print(f"missed   {row.article}: {missed}")
        for spurious in row.spurious:
            print(f"spurious {row.article}: {spurious}")
    total = Row(article="all")
    for row in rows:
        total.add(row)
    reached = {
        "recall": _ratio(total.matched, total.gold),
        "precision": _ratio(total.matched, total.proposed),
        "verbatim": _ratio(total.verbatim, total.quotes),
    }
    short = [f"{k} {v:.2f} < {TARGETS[k]}" for k, v in reached.items() if v < TARGETS[k]]
    if short:
        print("below target: " + "; ".join(short), file=sys.stderr)
        return 1 if args.check else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
