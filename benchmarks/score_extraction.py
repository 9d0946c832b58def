"""Score `chancery extract`, set by set: the five source articles and the project's own corpus.

Sets:
- `source-articles`: the five articles the bundled dataset was built from; the gold events of
  an article are the bundled events whose own citations quote it.
- one set per folder of `benchmarks/corpus/` (reports of the project's own writing, with
  `declarations.yaml` and `gold.yaml`; see `corpus_sets.py`). Each set is read against a fresh
  ledger holding only its declarations (and the bundled data, for a set whose gold says
  `bundled: true`), so a set's words cannot help another's.

Each text's proposals are matched one to one to gold events of the same channel and type
whose date intervals overlap (an exact date first, then the closest). Reported per set: texts,
gold, proposed, matched, recall, precision; "exact day": of the matched gold events whose
text gives the day (`day_given`; for the source articles, a one-day gold date), how many
proposals give exactly that day; "numbers right": matched proposals giving a number (count,
from_cap, to_cap) whose numbers all equal the gold's (a number the gold lacks counts as
wrong: the text does not give it); "quotes verbatim": quotes equal to the text at their
offsets. The matching ignores what the ledger holds: it measures reading, not deduplication.

Run: python benchmarks/score_extraction.py [ARTICLES_DIR] [--set NAME ...] [--check]
     [--corpus DIR]
(ARTICLES_DIR default: $CHANCERY_ARTICLES, else ../shared/seeds beside the repository; without
it the source-articles set is left out, said on stderr). With one --set, each text's row, the
set's, and every miss and spurious proposal are printed. Targets, per set: the source articles
recall >= 0.9, precision >= 0.85, every quote verbatim; the project's own sets recall >= 0.85,
precision >= 0.85, exact day >= 0.8. --check exits 1 when a set is below its targets.
`--corpus benchmarks/heldout` scores the held-out sets instead (same format, same targets:
written to measure whether the extractor's rules reach texts they were not tuned on).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chancery.domain.actions import Action
from chancery.domain.errors import ChanceryError
from chancery.extraction import Article, Lexicon, Proposal, extract, read_article
from chancery.extraction.draft import parse_published
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.seeds import bundled_paths
from chancery.storage.store import open_ledger
from corpus_sets import NUMBERED, CorpusError, CorpusSet, GoldEvent, load_set, set_folders

REPO = Path(__file__).resolve().parents[1]
SOURCE_ARTICLES = "source-articles"
TARGETS: dict[str, dict[str, float]] = {
    SOURCE_ARTICLES: {"recall": 0.9, "precision": 0.85, "verbatim": 1.0},
    "own": {"recall": 0.85, "precision": 0.85, "exact day": 0.8},
}
SAME_ACTION = {
    "office_closed": "post_closed",
    "channel_reopened": "post_reopened",
    "mission_suspended": "post_operations_suspended",
}
"""Today's names of actions that the post model names anew for every post kind (an office
closed is a post closed): a proposal under one name matches gold under the other."""


def _same_type(a: str, b: str) -> bool:
    return SAME_ACTION.get(a, a) == SAME_ACTION.get(b, b)


@dataclass
class Row:
    name: str
    texts: int = 0
    gold: int = 0
    proposed: int = 0
    matched: int = 0
    days_given: int = 0
    exact_days: int = 0
    with_numbers: int = 0
    numbers_right: int = 0
    quotes: int = 0
    verbatim: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    problem: str | None = None
    """Why the set could not be scored (its declarations do not import, ...)."""

    def add(self, other: Row) -> None:
        for name in (
            "texts",
            "gold",
            "proposed",
            "matched",
            "days_given",
            "exact_days",
            "with_numbers",
            "numbers_right",
            "quotes",
            "verbatim",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed += other.missed
        self.spurious += other.spurious

    def rates(self) -> dict[str, float]:
        return {
            "recall": _ratio(self.matched, self.gold),
            "precision": _ratio(self.matched, self.proposed),
            "exact day": _ratio(self.exact_days, self.days_given),
            "verbatim": _ratio(self.verbatim, self.quotes),
        }


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _overlaps(p: Proposal, g: GoldEvent) -> bool:
    return p.date.earliest <= g.latest and g.earliest <= p.date.latest


def _closeness(p: Proposal, g: GoldEvent) -> float:
    lo, hi = max(p.date.earliest, g.earliest), min(p.date.latest, g.latest)
    union = max(p.date.latest, g.latest) - min(p.date.earliest, g.earliest)
    return ((hi - lo).days + 1) / (union.days + 1)


def _label(g: GoldEvent) -> str:
    numbers = " ".join(f"{n}={getattr(g, n)}" for n in NUMBERED if getattr(g, n) is not None)
    return f"{g.type}@{g.channel} {g.edtf}" + (f" {numbers}" if numbers else "")


def score_text(text: str, name: str, gold: Sequence[GoldEvent], proposals: list[Proposal]) -> Row:
    """Match one text's proposals to its gold, one to one, and count."""
    row = Row(name=name, texts=1, gold=len(gold), proposed=len(proposals))
    free = list(gold)
    for p in proposals:
        for q in p.quotes:
            row.quotes += 1
            row.verbatim += int(text[q.start : q.end] == q.text and bool(q.text))
        fits = [g for g in free if g.channel == p.channel and _same_type(g.type, p.type)]
        fits = [g for g in fits if _overlaps(p, g)]
        if not fits:
            row.spurious.append(f"{name}: {p.type}@{p.channel} {p.date.edtf}")
            continue
        same = (p.date.earliest, p.date.latest)
        best = max(fits, key=lambda g: ((g.earliest, g.latest) == same, _closeness(p, g)))
        free.remove(best)
        row.matched += 1
        if best.day_given:
            row.days_given += 1
            row.exact_days += int(p.date.earliest == p.date.latest == best.earliest == best.latest)
        given = [(getattr(p, n), getattr(best, n)) for n in NUMBERED if getattr(p, n) is not None]
        if given:
            row.with_numbers += 1
            row.numbers_right += int(all(ours == theirs for ours, theirs in given))
    row.missed = [f"{name}: {_label(g)}" for g in free]
    return row


def _gold_of(action: Action) -> GoldEvent:
    """A bundled event as gold; its text gives a day when its date is one day."""
    d = action.date
    return GoldEvent(
        type=action.type,
        channel=action.channel,
        actor=action.actor,
        target=action.target,
        edtf=d.edtf,
        earliest=d.earliest,
        latest=d.latest,
        day_given=d.earliest == d.latest,
        **{n: getattr(action, n, None) for n in NUMBERED},
    )


def score_source_articles(articles: Path) -> list[Row]:
    """The five articles against the bundled dataset, one row per article."""
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
            _gold_of(e)
            for e in dataset.events
            if isinstance(e, Action) and any(c.source == source.id for c in e.citations)
        ]
        proposals = extract(Article(text, path.name, source.published), lexicon)
        rows.append(score_text(text, source.file, gold, proposals))
    return rows


def _lexicon_for(corpus_set: CorpusSet, folder: Path) -> Lexicon:
    """A fresh ledger in `folder` holding the set's declarations (after the bundled data when
    the set reads against it), and the lexicon `chancery extract` would build from it."""
    ledger = open_ledger(str(folder / "ledger.sqlite"), create=True)
    try:
        files = [*(bundled_paths() if corpus_set.bundled else []), corpus_set.declarations]
        for path in files:
            import_files(ledger, [load_file(path)])
        return Lexicon.build(ledger.channels(), ledger.parties())
    finally:
        ledger.close()


def score_set(corpus_set: CorpusSet) -> list[Row]:
    """One row per text of a corpus set; raises ChanceryError when its declarations do not
    import."""
    with tempfile.TemporaryDirectory(prefix="chancery-score-") as folder:
        lexicon = _lexicon_for(corpus_set, Path(folder))
    rows = []
    for item in corpus_set.texts:
        text = read_article(item.path)
        article = Article(text, item.path.name, parse_published(item.published))
        rows.append(score_text(text, item.path.name, item.events, extract(article, lexicon)))
    return rows


def total(name: str, rows: Sequence[Row]) -> Row:
    summed = Row(name=name)
    for row in rows:
        summed.add(row)
    return summed


HEADER = (
    "| {what} | texts | gold | proposed | matched | recall | precision | exact day "
    "| numbers right | quotes verbatim |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def table(rows: Sequence[Row], what: str = "set") -> str:
    """A Markdown table, one row per set (or per text); a set that could not be scored says
    why on its own line."""
    lines = [HEADER.format(what=what)]
    for row in rows:
        if row.problem:
            lines.append(f"| {row.name} | not scored: {row.problem} |||||||||")
            continue
        r = row.rates()
        precision = f"{r['precision']:.2f}" if row.proposed else "–"  # nothing proposed
        lines.append(
            f"| {row.name} | {row.texts} | {row.gold} | {row.proposed} | {row.matched} "
            f"| {r['recall']:.2f} | {precision} "
            f"| {row.exact_days}/{row.days_given} ({r['exact day']:.2f}) "
            f"| {row.numbers_right}/{row.with_numbers} | {row.verbatim}/{row.quotes} |"
        )
    return "\n".join(lines)


def shortfalls(row: Row) -> list[str]:
    """The targets a set's row is below, as "recall 0.40 < 0.85"."""
    if row.problem:
        return [row.problem]
    targets = TARGETS[SOURCE_ARTICLES if row.name == SOURCE_ARTICLES else "own"]
    reached = row.rates()
    return [f"{k} {reached[k]:.2f} < {v}" for k, v in targets.items() if reached[k] < v]


def _articles_folder(given: Path | None) -> Path:
    default = os.environ.get("CHANCERY_ARTICLES") or str(REPO.parent / "shared" / "seeds")
    return given or Path(default)


def _score(name: str, articles: Path, folders: dict[str, Path]) -> list[Row]:
    """One set's rows (one per text); raises CorpusError or ChanceryError when it cannot be
    scored."""
    if name == SOURCE_ARTICLES:
        return score_source_articles(articles)
    return score_set(load_set(folders[name]))


def _unscored(name: str, exc: Exception) -> Row:
    """A set that could not be scored: the whole reason on stderr, its first part in the
    table."""
    said = " ".join(str(exc).split())
    print(f"score_extraction: set {name} not scored: {said}", file=sys.stderr)
    first = said.split("; ")[0]
    return Row(name=name, problem=first if len(first) < 160 else first[:157] + "...")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=Path, help="the source articles' folder")
    parser.add_argument(
        "--set", dest="sets", action="append", metavar="NAME", help="score only this set"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 below the targets")
    parser.add_argument(
        "--corpus",
        type=Path,
        metavar="DIR",
        help="score the sets under DIR instead of benchmarks/corpus (benchmarks/heldout: "
        "the held-out sets; the source articles are then left out)",
    )
    args = parser.parse_args(argv)
    if args.corpus is not None and not args.corpus.is_dir():
        print(f"score_extraction: no corpus folder at {args.corpus}", file=sys.stderr)
        return 1
    folders = {f.name: f for f in set_folders(*([args.corpus] if args.corpus else []))}
    known = [*([] if args.corpus else [SOURCE_ARTICLES]), *folders]
    wanted = args.sets or known
    unknown = [s for s in wanted if s not in known]
    if unknown:
        print(
            f"score_extraction: no set {', '.join(unknown)}; the sets are {', '.join(known)}",
            file=sys.stderr,
        )
        return 1
    articles = _articles_folder(args.articles)
    if SOURCE_ARTICLES in wanted and not articles.is_dir():
        if args.articles is not None or args.sets:
            print(f"score_extraction: no articles folder at {articles}", file=sys.stderr)
            return 1
        print(
            f"score_extraction: no articles folder at {articles} (give ARTICLES_DIR or set "
            "CHANCERY_ARTICLES): the source-articles set is left out",
            file=sys.stderr,
        )
        wanted.remove(SOURCE_ARTICLES)

    sets: list[Row] = []
    texts: list[Row] = []
    for name in wanted:
        try:
            rows = _score(name, articles, folders)
        except (CorpusError, ChanceryError) as exc:
            sets.append(_unscored(name, exc))
            continue
        texts += rows
        sets.append(total(name, rows))
    if len(wanted) == 1 and texts:
        print(table([*texts, *sets], what="text"))
        for row in sets:
            for line in row.missed:
                print(f"missed   {line}")
            for line in row.spurious:
                print(f"spurious {line}")
    else:
        print(table(sets))
    short = {row.name: s for row in sets if (s := shortfalls(row))}
    for row in sets:
        if row.name in short and not row.problem:
            print(f"below target: {row.name}: {'; '.join(short[row.name])}", file=sys.stderr)
    return 1 if short and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
