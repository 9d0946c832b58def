"""`chancery extract` end to end, without the CLI: read, extract, match, render."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chancery.domain.actions import Action
from chancery.domain.errors import ArgumentError, ChanceryError, printable
from chancery.domain.parties import Channel, Party
from chancery.domain.sources import Source
from chancery.extraction.draft import (
    build_draft,
    default_source_id,
    entry_id,
    make_source,
    parse_published,
    render_json,
    render_yaml,
    slugify,
)
from chancery.extraction.extract import Article, Lexicon, Proposal, extract, read_article_text
from chancery.extraction.match import match_proposals
from pydantic import ValidationError


@dataclass(frozen=True)
class Report:
    """One article to extract, with what the analyst says of it: its publication date (an
    interval if undated) and, optionally, its source id, outlet and URL."""

    path: Path
    published: str
    source_id: str | None = None
    outlet: str | None = None
    url: str | None = None


def per_article(
    option: str, given: str | Sequence[str] | None, articles: int, *, shared: bool
) -> list[str | None]:
    """An option's value for each article: given once per article, in order; or, where
    one value can hold for all (`shared`: a publication date, an outlet), given once."""
    if given is None:
        return [None] * articles
    values: list[str | None] = [given] if isinstance(given, str) else [*given]
    if len(values) == articles:
        return values
    if len(values) == 1 and (shared or articles == 1):
        return values * articles
    if len(values) == 1:
        raise ArgumentError(
            f"{option} names one article: with {articles} articles, give it once per article "
            "(in the order of the articles) or not at all"
        )
    rule = "once, or once per article" if shared else "once per article"
    raise ArgumentError(
        f"{option} is given {len(values)} times for {articles} articles: give it {rule}, in "
        "the order of the articles"
    )


def _lexicon(channels: Mapping[str, Channel], parties: Mapping[str, Party]) -> Lexicon:
    if not channels:
        raise ChanceryError(
            "the ledger declares no channels, so there is nothing to extract for: "
            "run `chancery import --bundled` (or import your declarations) first"
        )
    lexicon = Lexicon.build(channels, parties)
    unknown = lexicon.unknown_trigger_types()
    if unknown:
        raise ChanceryError(f"channel triggers name unknown action types: {', '.join(unknown)}")
    return lexicon


def read_report(
    report: Report, source_named: Callable[[str], Source | None], where: str = ""
) -> tuple[Article, Source]:
    """The article and the source it declares, refused (the message starting with `where`,
    the file's name when there are several) when its date, its source id or its details do
    not hold. Every file is read before anything is extracted."""
    try:
        day = parse_published(report.published)
    except ValueError as exc:
        raise ArgumentError(f"{where}{exc}") from None
    if report.source_id is not None and slugify(report.source_id, 120) != report.source_id:
        raise ArgumentError(
            f"{where}--source-id: '{report.source_id}' is not a slug (lowercase letters, digits, "
            f"hyphens); did you mean '{slugify(report.source_id, 120)}'?"
        )
    text, repaired = read_article_text(report.path)
    article = Article(text, report.path.name, day, repaired)
    key = report.source_id or default_source_id(article, report.outlet)
    try:
        source = make_source(article, key, report.outlet, report.url)
    except ValidationError as exc:
        raise ChanceryError(
            f"{where}the source cannot be declared: {exc.errors()[0]['msg']}"
        ) from None
    known = source_named(source.id)
    if known is not None and known != source:
        raise ChanceryError(
            f"source '{source.id}' is already in the ledger with other details (published "
            f"{known.published.edtf}, outlet {known.outlet or 'not named'}); give another "
            "--source-id, or the same --outlet and --url as before"
        )
    return article, source


def _distinct_sources(read: Sequence[tuple[Article, Source]]) -> None:
    seen: dict[str, str] = {}
    for article, source in read:
        if source.id in seen:
            raise ArgumentError(
                f"{printable(article.name)} and {printable(seen[source.id])} would both be "
                f"source '{source.id}' (the same file name and date): give each its own "
                "--source-id"
            )
        seen[source.id] = article.name


def extract_reports(
    reports: Sequence[Report],
    *,
    channels: Mapping[str, Channel],
    parties: Mapping[str, Party],
    recorded: Callable[[set[str]], Sequence[Action]],
    source_named: Callable[[str], Source | None],
    as_json: bool = False,
) -> str | dict[str, Any]:
    """One draft for one or several articles: YAML text, or the JSON contract as a dict.

    The articles are read in order of publication, and every proposal is matched against
    the ledger and against the proposals before it: the first report of an action is its
    event, a later one (another article, or another sentence) corroborates, refines or
    disputes it. `recorded` gives the ledger's actions as they now read on the channels
    named, and `source_named` the ledger's source of an id, so that only what the articles
    are about is read, however large the ledger.
    """
    if not reports:
        raise ArgumentError("give at least one article to extract")
    lexicon = _lexicon(channels, parties)
    read = [
        read_report(report, source_named, f"{printable(str(report.path))}: " * (len(reports) > 1))
        for report in reports
    ]
    _distinct_sources(read)
    read.sort(key=lambda pair: (pair[0].published.earliest, pair[0].published.latest))
    proposals: list[Proposal] = []
    sources: list[str] = []
    entry_ids: list[str] = []
    for article, source in read:
        for number, proposal in enumerate(extract(article, lexicon), start=1):
            proposals.append(proposal)
            sources.append(source.id)
            entry_ids.append(entry_id(source.id, number, proposal.type))
    actions = recorded({p.channel for p in proposals})
    declared = [source for _, source in read]
    matches = match_proposals(
        proposals,
        actions,
        channels,
        entry_ids=entry_ids,
        sources=sources,
        declared={source.id: source for source in declared},
        source_named=source_named,
    )
    entries = build_draft(proposals, matches, sources, entry_ids)
    if as_json:
        return render_json(declared, entries)
    return render_yaml([article for article, _ in read], declared, entries)
