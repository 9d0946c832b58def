"""`chancery verify`: replay the whole ledger and re-check everything a write once checked.

A ledger can only be written through imports that check all this, so a problem found here means
the store was altered behind Chancery's back, or a rule was tightened since: either way the
analyst must hear of it before trusting a report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from chancery.domain.actions import (
    IMPORT,
    Action,
    answered_events,
    check_action_parties,
    check_citation_dates,
    check_response,
    cited_sources,
)
from chancery.domain.errors import ChanceryError, InvalidRecordError, printable
from chancery.domain.parties import Channel, Party
from chancery.domain.sources import Source
from chancery.domain.timeline import fold_all, resolve
from chancery.extraction.articles import ArticleError, article_policy, inside
from chancery.importing.files import read_text
from chancery.storage.ledger import Ledger, digest
from pydantic import BaseModel, ValidationError


@dataclass
class Verification:
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(ledger: Ledger, articles: Path | None = None) -> Verification:
    """Re-check every rule, reference and digest, one channel at a time; with `articles`,
    every quote too."""
    result = Verification()
    problems = result.problems
    # Imports may run while this reads: what it reads first is the floor of what it may find.
    indexed_before = ledger.index.count_entries()
    parties, channels = ledger.parties(), ledger.channels()
    for section, records in (("party", parties), ("channel", channels)):
        for key, record in records.items():
            problems.extend(_rules_problems(record, f"{section} '{key}'"))
    declared_sources = 0
    for source in _all_sources(ledger):
        declared_sources += 1
        problems.extend(_rules_problems(source, f"source '{source.id}'"))
    counts = {"entries": 0, "events": 0, "citations": 0, "disputes": 0}
    texts: dict[str, str | None] = {}
    answers: list[Action] = []
    """The events that answer another (`in_response_to`): checked once every channel is read."""
    for channel in channels.values():
        missing = set(channel.parties) - set(parties)
        if missing:  # declared by an import that ran since verify began?
            parties.update(
                (key, Party.model_validate(record))
                for key, (_, record) in ledger.index.declared("parties", missing).items()
            )
        for party in channel.parties:
            if party not in parties:
                problems.append(f"channel '{channel.slug}' names unknown party '{party}'")
        try:
            recorded = ledger.timeline(channel.slug)
        except ChanceryError as exc:  # a row altered behind Chancery's back does not decode
            problems.append(f"channel '{channel.slug}': {exc}")
            continue
        index = ledger.index.recorded_entries([item.entry.id for item in recorded])
        sources = {
            key: Source.model_validate(record)
            for key, (_, record) in ledger.index.declared(
                "sources", cited_sources(item.entry for item in recorded)
            ).items()
        }
        for item in recorded:
            entry = item.entry
            problems.extend(_rules_problems(entry, f"event '{entry.id}'"))
            expected = (channel.slug, digest(entry))
            if index.get(entry.id) != expected or item.digest != expected[1]:
                problems.append(
                    f"event '{entry.id}' on '{channel.slug}' does not match its digest or the "
                    "ledger's index (altered outside Chancery?)"
                )
        try:
            actions = resolve(item.entry for item in recorded)
            fold_all(channel, actions)
        except ChanceryError as exc:
            problems.append(f"channel '{channel.slug}': {exc}")
            continue
        counts["entries"] += len(recorded)
        counts["events"] += len(actions)
        for action in actions:
            if action.in_response_to is not None:
                answers.append(action)
            problems.extend(_reference_problems(action, channel, sources))
            counts["citations"] += len(action.all_citations())
            counts["disputes"] += len(action.disputes)
            problems.extend(_citation_problems(action, sources, articles, ledger, texts))
    problems.extend(response_problems(ledger, answers))
    indexed_after = ledger.index.count_entries()
    if not indexed_before <= counts["entries"] <= indexed_after:
        problems.append(
            f"the index lists {indexed_before}–{indexed_after} events but the channels hold "
            f"{counts['entries']}"
        )
    result.counts = {
        "parties": len(parties),
        "channels": len(channels),
        "sources": declared_sources,
        "events": counts["events"],
        "entries": counts["entries"],
        "citations": counts["citations"],
        "disputes": counts["disputes"],
    }
    return result


def response_problems(ledger: Ledger, answers: list[Action]) -> Iterator[str]:
    """Each answer's event (`in_response_to`) is recorded, still stands, and is not later."""
    wanted = {action.in_response_to for action in answers if action.in_response_to}
    found: dict[str, Action] = {}
    recorded = ledger.index.recorded_entries(wanted)
    for slug in sorted({channel for channel, _ in recorded.values()}):
        try:
            entries = [item.entry for item in ledger.timeline(slug)]
            found.update(answered_events(entries, resolve(entries), wanted))
        except ChanceryError:
            continue  # reported with its channel above
    for action in answers:
        try:
            check_response(action, found.get(action.in_response_to or ""), f"event '{action.id}'")
        except InvalidRecordError as exc:
            yield str(exc)


SOURCE_PAGE = 1000


def _all_sources(ledger: Ledger) -> Iterator[Source]:
    """Every declared source, a page at a time (a ledger may cite a million)."""
    after = 0
    while page := ledger.index.declarations_after("sources", after, SOURCE_PAGE):
        yield from (Source.model_validate(record) for _, record in page)
        after = page[-1][0]


def _rules_problems(record: BaseModel, what: str) -> list[str]:
    """The rules an import file obeys today, applied to a row recorded before one of them was
    added (rows are read back as written, so that a tightened rule never makes a ledger
    unreadable: this is where old rows are judged again)."""
    try:
        type(record).model_validate(
            record.model_dump(mode="json", exclude_none=True), context=IMPORT
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(the record)"
        return [
            f"{what}: field '{field}': {printable(first['msg'])} (a rule added since it was "
            "recorded; record a correction)"
        ]
    return []


def _reference_problems(action: Action, channel: Channel, sources: dict[str, Source]) -> list[str]:
    """The cross-record rules an import checks (actor and target are the channel's parties;
    no source published before the event), for rows recorded before they were checked."""
    try:
        check_action_parties(action, channel, f"event '{action.id}'")
        check_citation_dates(action, sources, f"event '{action.id}'")
    except ChanceryError as exc:
        return [str(exc)]
    return []


MAX_ARTICLE_BYTES = 20 * 1024 * 1024
"""Article files larger than this are reported, not read."""


def _citation_problems(
    action: Action,
    sources: dict[str, Source],
    articles: Path | None,
    ledger: Ledger,
    texts: dict[str, str | None],
) -> list[str]:
    problems = []
    texts = {} if texts is None else texts
    for citation in action.all_citations():
        if citation.source not in sources:  # declared by an import that ran since verify began
            sources.update(
                (key, Source.model_validate(record))
                for key, (_, record) in ledger.index.declared("sources", {citation.source}).items()
            )
        source = sources.get(citation.source)
        if source is None:
            problems.append(f"event '{action.id}' cites unknown source '{citation.source}'")
            continue
        if articles is None or source.file is None:
            continue
        if source.file not in texts:
            text, problem = read_article(articles, source.file)
            texts[source.file] = text
            if problem:
                problems.append(f"source '{source.id}': {problem}")
        text = texts[source.file]
        if text is not None and citation.quote not in text:
            problems.append(
                f"event '{action.id}': quote not found verbatim in "
                f"{printable(str(articles / source.file))}: {citation.quote[:60]!r}"
            )
    return problems


def read_article(folder: Path, name: str) -> tuple[str | None, str | None]:
    """Read the article `name` inside `folder`: (its text, None), or (None, the problem).

    A name that resolves outside the folder is never opened; neither is anything but a regular
    file, nor more than MAX_ARTICLE_BYTES. Quotes are compared with the exact text they were
    taken from, so anything but UTF-8 is a problem, not a guess.
    """
    shown = printable(str(folder / name))
    try:
        _, text = read_text(inside(folder, name), shown, article_policy(MAX_ARTICLE_BYTES))
    except ArticleError as exc:
        return None, str(exc)
    return text.removeprefix("\ufeff"), None
