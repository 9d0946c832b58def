"""Flat exports of the ledger, in the shapes other tools read.

- `csv`: one row per event, flat columns as event datasets ship them (ACLED, ICEWS, POLECAT),
  each with its provenance (`provenance`): what was known when, from whom, how certain.
  Like `timelinejs`, a spreadsheet format: cells that start like a formula get a leading `'`
  (`neutralise_formula`); the JSON and YAML formats carry every text unchanged.
- `jsonl`: one event (the `events --json` record) per line: every field, provenance included.
- `plover`: PLOVER-style JSON records, one per event.
- `timelinejs`: the TimelineJS spreadsheet columns, to publish the ledger as a story.
- `yaml`: the whole ledger as an import file; `chancery import` of it into an empty ledger
  projects the same state on every date (the portable backup).

Every format is built from the projections' `EventView` (the current reading: corrections
applied, retracted events left out), except `yaml`, which carries every recorded entry,
corrections and retractions included, so that the backup is the ledger and not one reading.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import yaml
from chancery.domain.parties import Channel, Party
from chancery.domain.sources import Source
from chancery.projections import events as listing
from chancery.projections.events import event_pages
from chancery.projections.models import EventView
from chancery.projections.ports import Readings
from chancery.projections.words import type_words
from chancery.reports import EXPORT_FORMATS
from pydantic import BaseModel

CSV_COLUMNS = [
    "event_id",
    "type",
    "channel",
    "actor",
    "target",
    "date_edtf",
    "date_start",
    "date_end",
    "effective_start",
    "effective_end",
    "plover_type",
    "plover_mode",
    "cameo",
    "count",
    "from_cap",
    "to_cap",
    "sources",
    "urls",
    "quote",
    "certainty",
    "basis",
    "first_reported",
    "recorded_at",
    "outlets",
    "disputed",
    "disputed_about",
    "actor_code",
    "target_code",
]
"""The `csv` columns, in order. The README's export table documents each (a test reads both);
columns are only ever added, never renamed, so that a spreadsheet built on them keeps working."""

TIMELINEJS_COLUMNS = [
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
    *CSV_COLUMNS[CSV_COLUMNS.index("certainty") :],
]
"""TimelineJS's own columns, then the provenance columns of `csv` (TimelineJS ignores columns it
does not name), so a published story can still say what was known when and from whom."""

LIST_SEPARATOR = " | "
"""Joins several sources, URLs or quotes in one CSV cell (a quote rarely holds it)."""


EventPages = Iterable[tuple[list[EventView], Mapping[str, Source]]]


def _urls(event: EventView, sources: Mapping[str, Source]) -> list[str]:
    cited = dict.fromkeys(c.source for c in event.citations)
    return [url for s in cited if (url := sources[s].url)]


def _effective_bounds(event: EventView) -> tuple[str, str]:
    if event.effective_earliest is None or event.effective_latest is None:
        return "", ""
    return event.effective_earliest.isoformat(), event.effective_latest.isoformat()


FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
"""A spreadsheet reads a cell starting with one of these as a formula (or, for tab and CR, may
strip them and then read one): `=`, `+`, `-`, `@`, and their fullwidth forms, which some
spreadsheets fold to ASCII."""
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def neutralise_formula(cell: str) -> str:
    """The cell as a spreadsheet will show it and never run it (OWASP "CSV injection"): a cell
    that starts like a formula gets a leading `'`, which spreadsheets hide and which makes the
    cell text. A cell that is wholly a number (`-12`, `+3.5`) is a number, not a formula, and
    stays as it is; a lone `-` is text either way and is prefixed like any other."""
    if cell[:1] in FORMULA_STARTS and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_text(rows: Iterable[Iterable[str]]) -> str:
    """Rows as RFC 4180 CSV, each cell neutralised against formula injection."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [neutralise_formula(cell) for cell in row] for row in rows
    )
    return buffer.getvalue()


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _json_cell(value: object) -> str:
    """A value as its JSON reads, so that the CSV cell equals the `events --json` value:
    booleans `true`/`false`, times as pydantic writes them, null empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return json.dumps(value)
    return str(value)


def provenance(event: EventView) -> dict[str, object]:
    """What a flat row needs beyond the event to be filtered by what was known when and from
    whom, and joined with other event data: the values of the trailing `csv` columns (also
    the PLOVER record's and the TimelineJS sheet's), each a JSON value."""
    record = event.model_dump(
        mode="json", include={"certainty", "basis", "recorded_at", "actor_code", "target_code"}
    )
    return {
        "certainty": record["certainty"],
        "basis": record["basis"],
        "first_reported": event.first_reported.isoformat(),
        "recorded_at": record["recorded_at"],
        "outlets": LIST_SEPARATOR.join(
            dict.fromkeys(c.outlet for c in event.citations if c.outlet)
        ),
        "disputed": bool(event.disputes),
        "disputed_about": LIST_SEPARATOR.join(dict.fromkeys(d.about for d in event.disputes)),
        "actor_code": record["actor_code"],
        "target_code": record["target_code"],
    }


def _provenance_cells(event: EventView) -> list[str]:
    return [_json_cell(value) for value in provenance(event).values()]


def _csv_row(event: EventView, sources: Mapping[str, Source]) -> list[str]:
    start, end = _effective_bounds(event)
    return [
        event.id,
        event.type,
        event.channel,
        event.actor,
        _cell(event.target),
        event.date,
        event.earliest.isoformat(),
        event.latest.isoformat(),
        start,
        end,
        _cell(event.plover),
        _cell(event.plover_mode),
        _cell(event.cameo),
        _cell(event.details.get("count")),
        _cell(event.details.get("from_cap")),
        _cell(event.details.get("to_cap")),
        LIST_SEPARATOR.join(dict.fromkeys(c.source for c in event.citations)),
        LIST_SEPARATOR.join(_urls(event, sources)),
        LIST_SEPARATOR.join(c.quote for c in event.citations),
        *_provenance_cells(event),
    ]


def to_csv(contents: Readings) -> Iterator[str]:
    yield csv_text([CSV_COLUMNS])
    for page, sources in event_pages(contents):
        yield csv_text(_csv_row(event, sources) for event in page)


def to_jsonl(contents: Readings) -> Iterator[str]:
    for page, _ in event_pages(contents):
        yield "".join(event.model_dump_json() + "\n" for event in page)


def plover_record(event: EventView, sources: Mapping[str, Source]) -> dict[str, object]:
    """A PLOVER-style record: event type and mode, actor and recipient, date, source text and
    id. Event types PLOVER has no category for carry `event: null` (see the README table)."""
    first = event.citations[0]
    return {
        "id": event.id,
        "date": event.earliest.isoformat(),
        "date_end": event.latest.isoformat(),
        "date_edtf": event.date,
        "event": event.plover,
        "mode": event.plover_mode,
        "cameo": event.cameo,
        "actor": event.actor,
        "recipient": event.target,
        "channel": event.channel,
        "text": first.quote,
        "source_id": first.source,
        "source_url": sources[first.source].url,
        "publication_date": first.published,
        "source_urls": _urls(event, sources),
        **provenance(event),
    }


def to_plover(contents: Readings) -> Iterator[str]:
    """A JSON array written record by record, laid out as `json.dumps(records, indent=2)`."""
    opened = False
    for page, sources in event_pages(contents):
        for event in page:
            record = json.dumps(plover_record(event, sources), indent=2, ensure_ascii=False)
            yield ("[\n" if not opened else ",\n") + textwrap.indent(record, "  ")
            opened = True
    yield "\n]\n" if opened else "[]\n"


def _ymd(day: object) -> list[str]:
    text = str(day)
    return [str(int(part)) for part in text.split("-")]


def _timelinejs_row(event: EventView, sources: Mapping[str, Source]) -> list[str]:
    start, end = _ymd(event.earliest), _ymd(event.latest)
    exact = event.earliest == event.latest
    first = event.citations[0]
    return [
        *start,
        "",
        *(["", "", ""] if exact else end),
        "",
        event.wording or event.date,
        f"{type_words(event.type)}: {event.actor} → {event.target or '—'}",
        f"“{first.quote}” ({first.source}, {first.published})",
        sources[first.source].url or "",
        first.outlet or "",
        "",
        "",
        "",
        event.channel,
        "",
        *_provenance_cells(event),
    ]


def to_timelinejs(contents: Readings) -> Iterator[str]:
    yield csv_text([TIMELINEJS_COLUMNS])
    for page, sources in event_pages(contents):
        yield csv_text(_timelinejs_row(event, sources) for event in page)


def _yaml(value: object) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100)


def _dump(model: Any) -> object:
    return model.model_dump(mode="json", exclude_none=True)


def _declared(contents: Readings, section: str, model: type[BaseModel]) -> Iterator[str]:
    """One section of declarations, a page at a time, laid out as one `safe_dump` of the
    whole section would be."""
    after, opened = 0, False
    while page := contents.declarations_after(section, after, listing.PAGE):
        if not opened:
            yield f"{section}:\n"
            opened = True
        yield _yaml([_dump(model.model_validate(record)) for _, record in page])
        after = page[-1][0]
    if not opened:
        yield _yaml({section: []})


def to_yaml(contents: Readings) -> Iterator[str]:
    """The whole ledger as an import document: declarations, then every recorded entry, a
    channel at a time in recording order (so corrections follow what they correct; entries
    never amend another channel's events). One channel's timeline is held at a time."""
    yield "# Chancery ledger export: `chancery import` this file into an empty ledger.\n"
    yield _yaml({"chancery": 1})
    for section, model in (("parties", Party), ("channels", Channel), ("sources", Source)):
        yield from _declared(contents, section, model)
    if not contents.has_entries():
        yield _yaml({"events": []})
        return
    yield "events:\n"
    for slug in contents.channel_slugs():
        for recorded in contents.recorded_entries(slug):
            yield _yaml([_dump(recorded.entry)])


FORMATS: dict[str, Callable[[Readings], Iterator[str]]] = {
    "csv": to_csv,
    "jsonl": to_jsonl,
    "plover": to_plover,
    "timelinejs": to_timelinejs,
    "yaml": to_yaml,
}
assert tuple(FORMATS) == EXPORT_FORMATS, "chancery.reports.EXPORT_FORMATS names these"
