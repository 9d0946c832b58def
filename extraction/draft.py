"""The draft import file `chancery extract` prints: YAML to review and import, or JSON.

Proposals matched as `new` are live events in the YAML. A proposal that corroborates or
refines an event (recorded, or drafted from an earlier report of the same run) is a live
`corroboration` or `refinement` of that event (its citations; the narrower date or the
numbers the event lacked), and one that gives another number than an earlier report of the
run, or another day a few days off, is a live `dispute` of it (both claims cited; the event
then spans the disputed days), never a second event; a later report giving yet another number
or day is a third claim of that dispute, said in a comment where the report stands. So
importing the draft as it stands adds what the reports add, once. A proposal that conflicts with a
recorded event, or whose entry would break a channel's rule after the ledger's events and
the run's earlier entries, is printed commented out, with the rule and the event it
conflicts with: the analyst decides (a dispute, a correction, or the other report misread).
Article text only ever enters the output through YAML/JSON serialisers, never as markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from chancery.domain.actions import Action, Amendment
from chancery.domain.dates import UncertainDate, import_edtf
from chancery.domain.sources import Source
from chancery.extraction.extract import Article, Proposal
from chancery.extraction.match import Match


def slugify(text: str, limit: int = 80) -> str:
    """A ledger slug from free text: lowercase letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-") or "article"


def default_source_id(article: Article, outlet: str | None) -> str:
    stem = slugify(outlet or Path(article.name).stem, 60)
    return f"{stem}-{slugify(article.published.edtf, 30)}"


def repair_note(article: Article) -> str | None:
    """What the draft must say when the file was not all UTF-8: which text its quotes are
    verbatim to, and that `verify --articles` will want the file saved as UTF-8."""
    if not article.repaired:
        return None
    return (
        f"{article.repaired} byte(s) of the file were not UTF-8 and were read as Windows-1252 "
        "where they stand (repaired); the quotes are verbatim to the text so decoded. Save the "
        "file as UTF-8 before `chancery verify --articles`."
    )


def make_source(article: Article, source_id: str, outlet: str | None, url: str | None) -> Source:
    note = "Declared by `chancery extract`; check the outlet and the date against the text."
    repaired = repair_note(article)
    return Source(
        id=source_id,
        outlet=outlet,
        file=Path(article.name).name or None,
        published=article.published,
        url=url,
        note=f"{note} {repaired}" if repaired else note,
    )


def entry_id(source_id: str, number: int, type_name: str) -> str:
    """The draft's id for an article's `number`th proposal: the source's id makes it unique
    in the ledger, and the same article extracted again gives the same ids."""
    return f"{source_id}-{number:02d}-{type_name.replace('_', '-')}"[:120].strip("-")


@dataclass(frozen=True)
class DraftEntry:
    proposal: Proposal
    match: Match
    source: str
    """The id of the source (article) the proposal comes from."""
    record: dict[str, Any] | None
    """The entry as import YAML would hold it; None for a claim added to a dispute drafted
    from an earlier report (that entry holds it)."""

    @property
    def live(self) -> bool:
        return self.match.kind != "conflicts"


FIRST_KEYS = ("id", "type", "refines", "corroborates", "disputes", "channel")
"""The keys an entry of the draft begins with: what it is and which event it concerns."""


def _as_record(entry: Action | Amendment, note: str) -> dict[str, Any]:
    """An event or amendment as an import file holds it, `id` and `type` first, with the
    extractor's note where the entry takes one (a dispute's claims speak for themselves)."""
    if "note" in type(entry).model_fields:
        entry = entry.model_copy(update={"note": note})
    record = entry.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    first = [key for key in FIRST_KEYS if key in record]
    return {**{key: record.pop(key) for key in first}, **record}


def build_draft(
    proposals: Sequence[Proposal],
    matches: Sequence[Match],
    sources: Sequence[str],
    entry_ids: Sequence[str],
) -> list[DraftEntry]:
    """One draft entry per proposal: the new event, or the corroboration, refinement or
    dispute its match found, or (for a conflict the draft cannot record) what is wrong."""
    entries = []
    for proposal, match, source, key in zip(proposals, matches, sources, entry_ids, strict=True):
        note = f"Proposed by chancery extract (confidence {proposal.confidence}); review first."
        drafted = match.amendment or match.action
        if match.joins is not None:
            record = None
        elif drafted is not None:
            record = _as_record(drafted, note)
        else:
            record = {"id": key, "type": proposal.type, "problem": match.detail}
        entries.append(DraftEntry(proposal, match, source, record))
    return entries


def _date_json(day: UncertainDate | None) -> dict[str, Any] | None:
    if day is None:
        return None
    return {
        "edtf": day.edtf,
        "earliest": day.earliest.isoformat(),
        "latest": day.latest.isoformat(),
        "wording": day.wording,
        "resolved_against": day.resolved_against.isoformat() if day.resolved_against else None,
        "resolution": day.resolution,
    }


def render_json(sources: Sequence[Source], entries: Sequence[DraftEntry]) -> dict[str, Any]:
    """`{"source": {...}, "sources": [...], "events": [...]}` with every key present (null
    where it does not apply), the contract of `chancery extract --json`: `source` is the
    first article's, `sources` every article's, and each event names its own `source`."""
    events = []
    for entry in entries:
        p, m = entry.proposal, entry.match
        parties = m.action if m.action is not None else p
        events.append(
            {
                "type": p.type,
                "source": entry.source,
                "channel": p.channel,
                "actor": parties.actor,
                "target": parties.target,
                "date": _date_json(p.date),
                "effective": _date_json(p.effective),
                "count": p.count,
                "from_cap": p.from_cap,
                "to_cap": p.to_cap,
                "quote": p.quote.text,
                "start": p.quote.start,
                "end": p.quote.end,
                "confidence": p.confidence,
                "match": {"kind": m.kind, "event": m.event, "rule": m.rule, "detail": m.detail},
                "invitation": m.invitation,
                "date_assumed": p.date_assumed,
                "announced": p.announced,
                "quotes": [{"quote": q.text, "start": q.start, "end": q.end} for q in p.quotes],
            }
        )
    declared = [source.model_dump(mode="json") for source in sources]
    return {"source": declared[0], "sources": declared, "events": events}


if TYPE_CHECKING:  # libyaml's dumper has the pure-Python one's representer methods
    _Dumper = yaml.SafeDumper
else:
    _Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _DraftDumper(_Dumper):
    """The safe dumper (libyaml's when installed: a draft may cite thousands of sentences),
    writing every string that holds a line break or a control character double-quoted, where
    YAML escapes it (`\\N` for NEL, `\\L`, `\\P`, `\\x0b`...): text from a file name, an
    outlet or an article is always one scalar, however it is split into lines afterwards."""


_NEEDS_QUOTES = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
"""Controls (C0, DEL, C1: NEL is U+0085), the Unicode line and paragraph separators, the BOM."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _NEEDS_QUOTES.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_DraftDumper.add_representer(str, _represent_str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_DraftDumper, allow_unicode=True, sort_keys=False, width=100)


def _lines(text: str) -> list[str]:
    """The emitter's own lines: split at "\\n" only (`str.splitlines` also splits at NEL,
    U+2028 and form feeds, which would cut a scalar in two)."""
    return text.rstrip("\n").split("\n")


def _comment(text: str) -> str:
    """One comment line: control characters (C0, DEL, C1) and line breaks are removed."""
    clean = _NEEDS_QUOTES.sub(" ", text)
    return f"# {clean}".rstrip()


def _describe(entry: DraftEntry, several: bool) -> str:
    p, m = entry.proposal, entry.match
    spans = ", ".join(f"{q.start}-{q.end}" for q in p.quotes)
    head = {
        "new": "new",
        "corroborates": f"corroborates {m.event}",
        "refines": f"refines {m.event}",
        "disputes": f"disputes {m.event}",
        "conflicts": f"conflicts {m.event or '(no single event)'}",
    }[m.kind]
    if m.rule:
        head += f" (rule {m.rule})"
    if m.detail:
        head += f": {m.detail}"
    where = f"quote of {entry.source}" if several else "quote"
    return f"{head}; confidence {p.confidence}; {where} at characters {spans}"


def _header(articles: Sequence[Article]) -> list[str]:
    names = ", ".join(article.name for article in articles)
    lines = [
        _comment(f"Draft import file written by `chancery extract` from {names}."),
        "# Review every event before `chancery import`: the extractor proposes, the analyst",
        "# decides. Live entries below are new events, or corroborations, refinements and",
        "# disputes of recorded ones or of an earlier entry (another report of the same action);",
        "# reports that conflict with a recorded event or an earlier entry, or that would break a",
        "# channel's rule, are commented out at the end with the rule and the event they",
        "# conflict with.",
    ]
    for article in articles:
        if article.repaired:
            which = f"Encoding of {article.name}" if len(articles) > 1 else "Encoding"
            lines.append(_comment(f"{which}: {repair_note(article)}"))
    return lines


def render_yaml(
    articles: Sequence[Article], sources: Sequence[Source], entries: Sequence[DraftEntry]
) -> str:
    """The draft import file: the sources, the live entries, the conflicts commented out."""
    several = len(sources) > 1
    declared = [source.model_dump(mode="json", exclude_none=True) for source in sources]
    lines = [
        *_header(articles),
        "",
        _dump({"chancery": 1}).rstrip(),
        _dump({"sources": declared}).rstrip(),
    ]
    live = [e for e in entries if e.live]
    lines.append("events:" if live else "events: []")
    for entry in live:
        lines.append(_comment(_describe(entry, several)))
        if entry.record is not None:
            lines.extend("  " + line for line in _lines(_dump([entry.record])))
    matched = [e for e in entries if not e.live]
    if matched:
        lines.append("")
        lines.append(
            "# Reports for review, not imported as they stand (each names the rule it would"
            " break and the event it conflicts with):"
        )
        for entry in matched:
            lines.append("#")
            lines.append(_comment(_describe(entry, several)))
            lines.extend(_comment(line) for line in _lines(_dump([entry.record])))
    return "\n".join(lines) + "\n"


def parse_published(text: str) -> UncertainDate:
    """`--published`: a day, month or year, or an interval for an undated article
    (`2020-12-01/2021-10-18`), in EDTF; an interval keeps the reason it is one."""
    try:
        # the import's own rule (EDTF characters only, no open or unknown end), so that a
        # draft is never written with a publication date its import would refuse
        cleaned = import_edtf(text)
    except ValueError as exc:
        raise ValueError(f"--published: {exc}") from None
    try:
        day = UncertainDate.from_edtf(cleaned)
    except ValueError as exc:
        reason = str(exc).splitlines()[-1] if str(exc) else "not a date"
        raise ValueError(
            f"--published: '{text}' is not a date; give YYYY-MM-DD, or an interval "
            f"YYYY-MM-DD/YYYY-MM-DD for an undated article ({reason})"
        ) from None
    if day.is_exact:
        return day
    return UncertainDate.from_edtf(
        cleaned,
        resolution="The article is undated; the analyst gave this publication interval.",
    )
