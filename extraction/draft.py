"""The draft import file `chancery extract` prints: YAML to review and import, or JSON.

Proposals matched as `new` are live events in the YAML. A proposal that corroborates or
refines a recorded event is a live `corroboration` or `refinement` of that event (its
citations; the narrower date or the numbers the event lacked), never a second event, so that
importing the draft as it stands adds what the report adds. A proposal that conflicts with a
recorded event is printed commented out, with the event it concerns: the analyst decides
between a dispute and a correction.
Article text only ever enters the output through YAML/JSON serialisers, never as markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from chancery.domain.actions import Action, Refinement
from chancery.domain.dates import UncertainDate, import_edtf
from chancery.domain.errors import InvariantViolation
from chancery.domain.sources import Source
from chancery.extraction.extract import Article, Proposal, proposal_action
from chancery.extraction.match import FOLLOW_UPS, Match


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


@dataclass(frozen=True)
class DraftEntry:
    proposal: Proposal
    match: Match
    record: dict[str, Any]
    """The event as import YAML would hold it."""

    @property
    def live(self) -> bool:
        return self.match.kind != "conflicts"


def _follow_up_parties(
    proposal: Proposal, match: Match, recorded: Mapping[str, Action]
) -> tuple[str, str | None]:
    """A follow-up's parties come from the invitation it follows: the inviter reiterates, the
    invitee leaves unanswered or declines."""
    invitation = recorded.get(match.invitation or "")
    if proposal.type not in FOLLOW_UPS or invitation is None:
        return proposal.actor, proposal.target
    if proposal.type == "invitation_reiterated":
        return invitation.actor, invitation.target
    return invitation.target or proposal.actor, invitation.actor


def build_draft(
    article: Article,
    source: Source,
    proposals: Sequence[Proposal],
    matches: Sequence[Match],
    recorded: Sequence[Action],
) -> list[DraftEntry]:
    by_id = {a.id: a for a in recorded}
    entries = []
    for number, (proposal, match) in enumerate(zip(proposals, matches, strict=True), start=1):
        actor, target = _follow_up_parties(proposal, match, by_id)
        proposal.actor, proposal.target = actor, target
        event_id = f"{source.id}-{number:02d}-{proposal.type.replace('_', '-')}"[:120]
        extra: dict[str, object] = {}
        if match.invitation:
            extra["invitation"] = match.invitation
        confidence = f"confidence {proposal.confidence}"
        extra["note"] = f"Proposed by chancery extract ({confidence}); review before importing."
        try:
            action = proposal_action(proposal, event_id.strip("-"), source.id, **extra)
            record = action.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            record = {"id": record.pop("id"), "type": record.pop("type"), **record}
        except ValueError as exc:  # e.g. a follow-up with no invitation to follow
            record = {"id": event_id, "type": proposal.type, "problem": str(exc).splitlines()[0]}
        recorded_event = by_id.get(match.event or "")
        if match.kind in ("refines", "corroborates") and recorded_event is not None:
            record = amendment_record(proposal, match, recorded_event, event_id, source.id)
        entries.append(DraftEntry(proposal, match, record))
    return entries


def amendment_record(
    proposal: Proposal, match: Match, event: Action, entry_id: str, source_id: str
) -> dict[str, Any]:
    """A report of a recorded event as the operation that fits: a refinement giving what the
    event lacks (a date inside its interval, an effective date, numbers), else a
    corroboration (the report's quotes join the event's citations)."""
    record: dict[str, Any] = {"id": entry_id.strip("-")}
    citations = [{"source": source_id, "quote": q.text} for q in proposal.quotes]
    gains: dict[str, Any] = {}
    if match.kind == "refines":
        day, known = proposal.date, event.date
        inside = known.earliest <= day.earliest and day.latest <= known.latest
        if (
            not proposal.date_assumed
            and inside
            and (day.earliest, day.latest)
            != (
                known.earliest,
                known.latest,
            )
        ):
            gains["date"] = day.model_dump(mode="json", exclude_none=True)
        if proposal.effective is not None and event.effective is None:
            gains["effective"] = proposal.effective.model_dump(mode="json", exclude_none=True)
        for name in ("count", "from_cap", "to_cap"):
            ours = getattr(proposal, name)
            if ours is not None and getattr(event, name, "absent") is None:
                gains[name] = ours
    if gains and not _applies(event, {**record, "citations": citations, **gains}):
        gains = {k: v for k, v in gains.items() if k not in ("date", "effective")}
        if gains and not _applies(event, {**record, "citations": citations, **gains}):
            gains = {}
    if gains:
        record.update(type="refinement", refines=event.id, channel=event.channel)
    else:
        record.update(type="corroboration", corroborates=event.id, channel=event.channel)
    record["citations"] = citations
    record.update(gains)
    note = f"Proposed by chancery extract (confidence {proposal.confidence}); review first."
    record["note"] = note
    return record


def _applies(event: Action, fields: dict[str, Any]) -> bool:
    """Whether a refinement with these fields applies to the event as recorded (a narrower
    date must still span the dates a dispute on the event gives, for one)."""
    record = {**fields, "type": "refinement", "refines": event.id, "channel": event.channel}
    try:
        Refinement.model_validate(record).amend(event)
    except (ValueError, InvariantViolation):
        return False
    return True


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


def render_json(source: Source, entries: Sequence[DraftEntry]) -> dict[str, Any]:
    """`{"source": {...}, "events": [...]}` with every key present (null where it does not
    apply), the contract of `chancery extract --json`."""
    events = []
    for entry in entries:
        p, m = entry.proposal, entry.match
        events.append(
            {
                "type": p.type,
                "channel": p.channel,
                "actor": p.actor,
                "target": p.target,
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
    return {"source": source.model_dump(mode="json"), "events": events}


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


def _describe(entry: DraftEntry) -> str:
    p, m = entry.proposal, entry.match
    spans = ", ".join(f"{q.start}-{q.end}" for q in p.quotes)
    head = {
        "new": "new",
        "corroborates": f"corroborates {m.event}",
        "refines": f"refines {m.event}",
        "conflicts": f"conflicts {m.event or '(no single event)'}",
    }[m.kind]
    if m.rule:
        head += f" (rule {m.rule})"
    if m.detail:
        head += f": {m.detail}"
    return f"{head}; confidence {p.confidence}; quote at characters {spans}"


def render_yaml(article: Article, source: Source, entries: Sequence[DraftEntry]) -> str:
    live = [e for e in entries if e.live]
    matched = [e for e in entries if not e.live]
    lines = [
        _comment(f"Draft import file written by `chancery extract` from {article.name}."),
        "# Review every event before `chancery import`: the extractor proposes, the analyst",
        "# decides. Live entries below are new events, or corroborations and refinements of",
        "# recorded ones; reports that conflict with a recorded event are commented out at the",
        "# end with the event they conflict with.",
        *([_comment(f"Encoding: {repair_note(article)}")] if article.repaired else []),
        "",
        _dump({"chancery": 1}).rstrip(),
        _dump({"sources": [source.model_dump(mode="json", exclude_none=True)]}).rstrip(),
    ]
    if live:
        lines.append("events:")
        for entry in live:
            lines.append(_comment(_describe(entry)))
            lines.extend("  " + line for line in _lines(_dump([entry.record])))
    else:
        lines.append("events: []")
    if matched:
        lines.append("")
        lines.append(
            "# Reports that conflict with what the ledger holds (not imported as they stand):"
        )
        for entry in matched:
            lines.append("#")
            lines.append(_comment(_describe(entry)))
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
