"""The draft import file `chancery extract` prints: YAML to review and import, or JSON.

Only proposals matched as `new` are live events in the YAML. A proposal that corroborates,
refines or conflicts with a recorded event is printed commented out, with the event it
concerns, so that importing the draft as it stands never duplicates a recorded event; the
analyst turns it into the fitting operation (a further citation, a refinement, a dispute).
Article text only ever enters the output through YAML/JSON serialisers, never as markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from chancery.domain.actions import Action
from chancery.domain.dates import UncertainDate
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


def make_source(article: Article, source_id: str, outlet: str | None, url: str | None) -> Source:
    return Source(
        id=source_id,
        outlet=outlet,
        file=Path(article.name).name or None,
        published=article.published,
        url=url,
        note="Declared by `chancery extract`; check the outlet and the date against the text.",
    )


@dataclass(frozen=True)
class DraftEntry:
    proposal: Proposal
    match: Match
    record: dict[str, Any]
    """The event as import YAML would hold it."""

    @property
    def live(self) -> bool:
        return self.match.kind == "new"


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
        entries.append(DraftEntry(proposal, match, record))
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
                "quotes": [{"quote": q.text, "start": q.start, "end": q.end} for q in p.quotes],
            }
        )
    return {"source": source.model_dump(mode="json"), "events": events}


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _comment(text: str) -> str:
    """One comment line: control characters and line breaks from the article are removed."""
    clean = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", text)
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
        "# decides. Live events below are new to the ledger; reports of recorded events are",
        "# commented out at the end with the event they corroborate, refine or conflict with.",
        "",
        _dump({"chancery": 1}).rstrip(),
        _dump({"sources": [source.model_dump(mode="json", exclude_none=True)]}).rstrip(),
    ]
    if live:
        lines.append("events:")
        for entry in live:
            lines.append(_comment(_describe(entry)))
            lines.extend("  " + line for line in _dump([entry.record]).rstrip().splitlines())
    else:
        lines.append("events: []")
    if matched:
        lines.append("")
        lines.append("# Reports of events the ledger already holds (not imported as they stand):")
        for entry in matched:
            lines.append("#")
            lines.append(_comment(_describe(entry)))
            lines.extend(_comment(line) for line in _dump([entry.record]).rstrip().splitlines())
    return "\n".join(lines) + "\n"


def parse_published(text: str) -> UncertainDate:
    """`--published`: a day, month or year, or an interval for an undated article
    (`2020-12-01/2021-10-18`), in EDTF; an interval keeps the reason it is one."""
    cleaned = text.strip()
    try:
        day = UncertainDate(edtf=cleaned)
    except ValueError as exc:
        reason = str(exc).splitlines()[-1] if str(exc) else "not a date"
        raise ValueError(
            f"--published: '{text}' is not a date; give YYYY-MM-DD, or an interval "
            f"YYYY-MM-DD/YYYY-MM-DD for an undated article ({reason})"
        ) from None
    if day.is_exact:
        return UncertainDate(edtf=cleaned, wording=None)
    return UncertainDate(
        edtf=cleaned,
        resolution="The article is undated; the analyst gave this publication interval.",
    )
