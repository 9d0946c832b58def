"""`chancery extract` end to end, without the CLI: read, extract, match, render."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from chancery.domain.actions import Action
from chancery.domain.errors import ArgumentError, ChanceryError
from chancery.domain.parties import Channel, Party
from chancery.domain.sources import Source
from chancery.extraction.draft import (
    build_draft,
    default_source_id,
    make_source,
    parse_published,
    render_json,
    render_yaml,
    slugify,
)
from chancery.extraction.extract import Article, Lexicon, extract, read_article_text
from chancery.extraction.match import match_proposals
from pydantic import ValidationError


def extract_report(
    path: Path,
    published: str,
    *,
    channels: Mapping[str, Channel],
    parties: Mapping[str, Party],
    recorded: Callable[[set[str]], Sequence[Action]],
    source_named: Callable[[str], Source | None],
    source_id: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    as_json: bool = False,
) -> str | dict[str, Any]:
    """The draft for one article: YAML text, or the JSON contract as a dict.

    `recorded` gives the ledger's actions as they now read on the channels named, and
    `source_named` the ledger's source of an id, so that only what the article is about is
    read, however large the ledger.
    """
    try:
        day = parse_published(published)
    except ValueError as exc:
        raise ArgumentError(str(exc)) from None
    if not channels:
        raise ChanceryError(
            "the ledger declares no channels, so there is nothing to extract for: "
            "run `chancery import --bundled` (or import your declarations) first"
        )
    lexicon = Lexicon.build(channels, parties)
    unknown = lexicon.unknown_trigger_types()
    if unknown:
        raise ChanceryError(f"channel triggers name unknown action types: {', '.join(unknown)}")
    text, repaired = read_article_text(path)
    article = Article(text, path.name, day, repaired)
    if source_id is not None and slugify(source_id, 120) != source_id:
        raise ArgumentError(
            f"--source-id: '{source_id}' is not a slug (lowercase letters, digits, hyphens); "
            f"did you mean '{slugify(source_id, 120)}'?"
        )
    try:
        source = make_source(article, source_id or default_source_id(article, outlet), outlet, url)
    except ValidationError as exc:
        raise ChanceryError(f"the source cannot be declared: {exc.errors()[0]['msg']}") from None
    known = source_named(source.id)
    if known is not None and known != source:
        raise ChanceryError(
            f"source '{source.id}' is already in the ledger with other details (published "
            f"{known.published.edtf}, outlet {known.outlet or 'not named'}); give another "
            "--source-id, or the same --outlet and --url as before"
        )
    proposals = extract(article, lexicon)
    actions = recorded({p.channel for p in proposals})
    matches = match_proposals(proposals, actions, channels)
    entries = build_draft(article, source, proposals, matches, actions)
    if as_json:
        return render_json(source, entries)
    return render_yaml(article, source, entries)
