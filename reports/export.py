"""Flat exports of the ledger, in the shapes other tools read.

- `csv`: one row per event, flat columns as event datasets ship them (ACLED, ICEWS, POLECAT).
- `jsonl`: one event (the `events --json` record) per line.
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
from collections.abc import Callable

import yaml
from chancery.projections.events import list_events
from chancery.projections.models import EventView
from chancery.projections.readmodel import ReadModel
from chancery.reports import EXPORT_FORMATS

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
]

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
]

LIST_SEPARATOR = " | "
"""Joins several sources, URLs or quotes in one CSV cell (a quote rarely holds it)."""


def _events(contents: ReadModel) -> list[EventView]:
    return list_events(contents).events


def _urls(event: EventView, urls: dict[str, str | None]) -> list[str]:
    sources = dict.fromkeys(c.source for c in event.citations)
    return [url for s in sources if (url := urls[s])]


def _source_urls(contents: ReadModel) -> dict[str, str | None]:
    return {key: source.url for key, source in contents.sources().items()}


def _effective_bounds(event: EventView) -> tuple[str, str]:
    if event.effective_earliest is None or event.effective_latest is None:
        return "", ""
    return event.effective_earliest.isoformat(), event.effective_latest.isoformat()


def _csv_text(rows: list[list[str]], header: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def to_csv(contents: ReadModel) -> str:
    rows = []
    urls = _source_urls(contents)
    for event in _events(contents):
        start, end = _effective_bounds(event)
        rows.append(
            [
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
                LIST_SEPARATOR.join(_urls(event, urls)),
                LIST_SEPARATOR.join(c.quote for c in event.citations),
            ]
        )
    return _csv_text(rows, CSV_COLUMNS)


def to_jsonl(contents: ReadModel) -> str:
    return "".join(event.model_dump_json() + "\n" for event in _events(contents))


def plover_records(contents: ReadModel) -> list[dict[str, object]]:
    """PLOVER-style records: event type and mode, actor and recipient, date, source text and
    id. Event types PLOVER has no category for carry `event: null` (see the README table)."""
    records = []
    urls = _source_urls(contents)
    for event in _events(contents):
        first = event.citations[0]
        records.append(
            {
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
                "source_url": urls[first.source],
                "publication_date": first.published,
            }
        )
    return records


def to_plover(contents: ReadModel) -> str:
    return json.dumps(plover_records(contents), indent=2, ensure_ascii=False) + "\n"


def _ymd(day: object) -> list[str]:
    text = str(day)
    return [str(int(part)) for part in text.split("-")]


def to_timelinejs(contents: ReadModel) -> str:
    rows = []
    urls = _source_urls(contents)
    for event in _events(contents):
        start, end = _ymd(event.earliest), _ymd(event.latest)
        exact = event.earliest == event.latest
        first = event.citations[0]
        text = f"“{first.quote}” ({first.source}, {first.published})"
        rows.append(
            [
                *start,
                "",
                *(["", "", ""] if exact else end),
                "",
                event.wording or event.date,
                f"{event.type.replace('_', ' ')}: {event.actor} → {event.target or '—'}",
                text,
                urls[first.source] or "",
                first.outlet or "",
                "",
                "",
                "",
                event.channel,
                "",
            ]
        )
    return _csv_text(rows, TIMELINEJS_COLUMNS)


def ledger_document(contents: ReadModel) -> dict[str, object]:
    """The whole ledger as an import document: declarations, then every recorded entry in
    recording order (so corrections follow what they correct)."""
    ledger = contents.ledger
    entries = sorted(
        (recorded for slug in ledger.index.keys("channels") for recorded in ledger.timeline(slug)),
        key=lambda r: r.recorded_at,
    )

    def dump(model: object) -> object:
        return model.model_dump(mode="json", exclude_none=True)  # type: ignore[attr-defined]

    return {
        "chancery": 1,
        "parties": [dump(p) for p in ledger.parties().values()],
        "channels": [dump(c) for c in ledger.channels().values()],
        "sources": [dump(s) for s in ledger.sources().values()],
        "events": [dump(r.entry) for r in entries],
    }


def to_yaml(contents: ReadModel) -> str:
    header = "# Chancery ledger export: `chancery import` this file into an empty ledger.\n"
    return header + yaml.safe_dump(
        ledger_document(contents), sort_keys=False, allow_unicode=True, width=100
    )


FORMATS: dict[str, Callable[[ReadModel], str]] = {
    "csv": to_csv,
    "jsonl": to_jsonl,
    "plover": to_plover,
    "timelinejs": to_timelinejs,
    "yaml": to_yaml,
}
assert tuple(FORMATS) == EXPORT_FORMATS, "chancery.reports.EXPORT_FORMATS names these"
