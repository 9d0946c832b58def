"""The use cases of Chancery, as methods of one `Ledger`: what the command line, the HTML report
and a Python user call.

A `Ledger` is a unit of work over one ledger location: it opens the stores a use case needs
(a plain read-only connection for queries, the eventsourcing application for imports and for
queries that need events) and closes every one of them when it is closed, so nothing global
outlives it. Results are the projections' pydantic models, which `--json` prints.

    from chancery import Ledger

    with Ledger.open("ledger.sqlite") as ledger:
        ledger.import_bundled()
        state = ledger.state(as_of="2021-10-20", channel="russia-mission-to-nato")
        print(state.channels[0].staff_cap)

Modules that only some use cases need (eventsourcing, the event models, matplotlib) are
imported by the methods that use them: a `chancery state` query must not pay for an import.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from chancery.domain.days import parse_query_date
from chancery.domain.errors import (
    ArgumentError,
    ChanceryError,
    InvalidRecordError,
    did_you_mean,
    unknown_channel,
)
from chancery.domain.progress import Progress, no_progress

if TYPE_CHECKING:
    import pandas
    from chancery.application.dryrun import DryRun
    from chancery.application.verification import Verification
    from chancery.domain.importlog import ImportLogView, LoggedImport
    from chancery.domain.sources import Source
    from chancery.importing.dataset import LoadedFile
    from chancery.importing.plan import ImportFile
    from chancery.projections.diff import StateDiff
    from chancery.projections.models import (
        ChannelHistory,
        DisputeList,
        EventView,
        SourceView,
        StateReport,
        Why,
    )
    from chancery.projections.ports import EventMatch
    from chancery.projections.search import SearchResult
    from chancery.projections.series import ChannelSeries, StateSeries
    from chancery.reports.files import Output
    from chancery.storage.importlog import Origin
    from chancery.storage.ledger import ImportReport
    from chancery.storage.ledger import Ledger as EventLedger
    from chancery.storage.reader import PostgresReader, SQLiteReader
    from chancery.storage.readmodel import ReadModel

DEFAULT_HITS = 20
"""How many hits a search gives unless told."""
MAX_HITS = 1000
"""The most hits one search gives: a search is read, not exported."""
DateLike = date | str | None
"""A date as a use case takes it: a `date`, or `YYYY`, `YYYY-MM` or `YYYY-MM-DD` text."""


def as_date(name: str, value: DateLike, *, first_day: bool = False) -> date | None:
    """A date argument as a `date`; text in a partial form means its last day (its first day
    for the start of a range). A bad date is an error naming the argument."""
    if value is None or isinstance(value, date):
        return value
    try:
        return parse_query_date(value, first_day=first_day)
    except ValueError as exc:
        raise ArgumentError(f"{name}: {exc}") from None


@dataclass(frozen=True)
class Created:
    """A default ledger created by this call, filled with the bundled data."""

    location: str
    events: int


class Ledger:
    """One ledger location and the use cases on it; a context manager that closes what it
    opened. Construct it with `Ledger.open()`."""

    def __init__(self, location: str, *, is_default: bool = False) -> None:
        self.location = location
        self.is_default = is_default
        self.created: Created | None = None
        """Set when opening the default ledger created it (the CLI says so on stderr)."""
        self._opened: list[EventLedger | SQLiteReader | PostgresReader] = []
        self._read: ReadModel | None = None

    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None) -> Ledger:
        """The ledger at `location` (a SQLite path or a PostgreSQL URL), else `CHANCERY_DB`,
        else the user's default ledger, which is created with the bundled data on first use.
        Nothing is opened until a use case needs it."""
        from chancery.storage.store import configured_location

        named = None if location is None else os.fspath(location)
        where, is_default = configured_location(named)
        return cls(where, is_default=is_default)

    # -- the unit of work ----------------------------------------------------------------

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close (and so checkpoint) every store this ledger opened, newest first."""
        self._read = None
        while self._opened:
            self._opened.pop().close()

    def _keep(self, store: Any) -> Any:
        self._opened.append(store)
        return store

    def _open_events(self, *, create: bool) -> EventLedger:
        from chancery.storage.store import open_ledger

        ledger: EventLedger = self._keep(open_ledger(self.location, create=create))
        return ledger

    def _default_missing(self) -> bool:
        return self.is_default and not os.path.exists(self.location)

    def _bootstrap_default(self) -> None:
        """Create the default ledger with the bundled data, once."""
        from chancery.application.importlog import import_origin
        from chancery.importing.dataset import load_file
        from chancery.seeds import bundled_paths

        paths = bundled_paths()
        loaded = [load_file(path) for path in paths]
        report = self._write(loaded, import_origin(paths, loaded, paths))
        self.created = Created(self.location, report.added["events"])

    def _holds_no_events(self) -> ChanceryError:
        return ChanceryError(
            f"the ledger at '{self.location}' holds no events (a first import that failed or "
            "was interrupted?): import data into it first"
        )

    # -- the read side -------------------------------------------------------------------

    @property
    def read(self) -> ReadModel:
        """The read model of this ledger, brought up to date once per unit of work. It reads
        through one plain read-only connection; the eventsourcing application is opened only
        if a query needs events, and a writable opening only to catch the read model up."""
        if self._read is None:
            self._read = self._open_read_model(snapshot=True)
            self._read.catch_up()
        return self._read

    def _open_read_model(self, *, snapshot: bool) -> ReadModel:
        """With `snapshot`, every read of the read model's tables in this unit of work sees one
        snapshot (one read transaction), so a listing read a page at a time never sees a
        writer's commit half-way. A query writes nothing: a read model behind the events is
        folded in memory where it is behind (except once on a ledger of an older release)."""
        from chancery.storage.readmodel import ReadModel
        from chancery.storage.store import open_reader

        def opener(create: bool) -> Callable[[], EventLedger]:
            return lambda: self._open_events(create=create)

        if self._default_missing():
            self._bootstrap_default()
            return ReadModel(self._open_events(create=False), writer=opener(True))
        tables = self._keep(open_reader(self.location))
        if snapshot:
            tables.snapshot()
        if not tables.max_notification_id():
            raise self._holds_no_events()
        return ReadModel(tables=tables, opener=opener(False), writer=opener(True))

    def channels(self) -> list[str]:
        """The declared channels' slugs, in declaration order."""
        return self.read.channels()

    def check_channel(self, channel: str | None) -> None:
        """Refuse a channel this ledger does not declare: the nearest slug when one is near,
        else those it declares."""
        if channel is None or self.read.declares(channel):
            return
        raise ArgumentError(unknown_channel(channel, self.read.channels()))

    def state(
        self, as_of: DateLike = None, known_at: DateLike = None, channel: str | None = None
    ) -> StateReport:
        """Every channel's state on `as_of` (default today), as known at `known_at`."""
        day, known = self._as_of(as_of), as_date("--known-at", known_at)
        self.check_channel(channel)
        return self.read.state(day, known, channel)

    def state_data(
        self, as_of: DateLike = None, known_at: DateLike = None, channel: str | None = None
    ) -> dict[str, Any]:
        """`state` in its JSON form, without building models (the command line's fast path)."""
        day, known = self._as_of(as_of), as_date("--known-at", known_at)
        self.check_channel(channel)
        return self.read.state_data(day, known, channel)

    def series(
        self,
        start: DateLike,
        end: DateLike,
        every: str = "month",
        channels: Sequence[str] | str = (),
        known_at: DateLike = None,
    ) -> StateSeries:
        """Each channel's (or each named channel's) tracked facts at every step from `start`
        to `end`: every day, or the last day of every week, month or year, as known at
        `known_at`. Each point is what `state --as-of STEP` says of the channel."""
        head, read = self.series_channels(start, end, every, channels, known_at)
        return head.model_copy(update={"channels": list(read)})

    def series_channels(
        self,
        start: DateLike,
        end: DateLike,
        every: str = "month",
        channels: Sequence[str] | str = (),
        known_at: DateLike = None,
    ) -> tuple[StateSeries, Iterator[ChannelSeries]]:
        """`series` read a channel at a time, so that a long series of many channels is never
        held whole: its range and steps (with no channels), and each channel's series as it
        is read. The arguments are checked before this returns; what cannot be answered is a
        `ArgumentError`."""
        from chancery.projections.series import StateSeries, channel_series, series_steps

        first = as_date("--from", start, first_day=True)
        last, known = as_date("--to", end), as_date("--known-at", known_at)
        named = [channels] if isinstance(channels, str) else list(dict.fromkeys(channels))
        for slug in named:
            self.check_channel(slug)
        if first is None or last is None:
            raise ArgumentError("a series needs --from and --to dates")
        slugs = named or self.read.channels()
        steps = series_steps(first, last, every, len(slugs))
        head = StateSeries(
            from_=first, to=last, every=every, known_at=known, steps=steps, channels=[]
        )
        read = self.read
        return head, (channel_series(read, slug, steps, known) for slug in slugs)

    def state_frame(
        self,
        start: DateLike,
        end: DateLike,
        every: str = "month",
        channel: str | None = None,
        known_at: DateLike = None,
    ) -> pandas.DataFrame:
        """`series` as a pandas DataFrame (`chancery[pandas]`), one row per channel and step."""
        from chancery.application.frames import state_frame

        return state_frame(self, start, end, every, channel, known_at)

    def events_frame(self, **filters: Any) -> pandas.DataFrame:
        """The events (filtered as `event_pages` is) as a pandas DataFrame, one row each."""
        from chancery.application.frames import events_frame

        return events_frame(self, **filters)

    def history(self, channel: str, known_at: DateLike = None) -> ChannelHistory:
        """Every change on one channel, in valid-time order."""
        from chancery.projections.history import channel_history

        known = as_date("--known-at", known_at)
        self.check_channel(channel)
        return channel_history(self.read, channel, known)

    def why(self, channel: str, as_of: DateLike = None, known_at: DateLike = None) -> Why:
        """The cited events a channel's state on a date rests on."""
        from chancery.projections.why import explain

        day, known = self._as_of(as_of), as_date("--known-at", known_at)
        self.check_channel(channel)
        return explain(self.read, channel, day, known)

    def event_pages(
        self,
        channel: str | None = None,
        start: DateLike = None,
        end: DateLike = None,
        known_at: DateLike = None,
        *,
        action_type: str | None = None,
        actor: str | None = None,
        party: str | None = None,
        source: str | None = None,
    ) -> Iterator[list[EventView]]:
        """The events in valid-time order, a page at a time (a listing of the whole ledger
        never holds it); only those of an `action_type` (its name or its words), by an
        `actor`, with a `party` as actor or target (a slug or a code), or citing a `source`,
        when given. The filters are conditions of the read model's query."""
        from chancery.projections.events import event_pages

        first = as_date("--from", start, first_day=True)
        last, known = as_date("--to", end), as_date("--known-at", known_at)
        if first and last and first > last:
            raise ArgumentError(f"--from {start} is after --to {end}: no date can be in that range")
        self.check_channel(channel)
        match = self._event_match(action_type, actor, party, source)
        pages = event_pages(
            self.read, channel=channel, start=first, end=last, known_at=known, match=match
        )
        return (page for page, _ in pages)

    def _event_match(
        self, action_type: str | None, actor: str | None, party: str | None, source: str | None
    ) -> EventMatch | None:
        """The filters of `event_pages` as the read model takes them, each value checked."""
        from chancery.application import filters
        from chancery.projections.ports import EventMatch

        if action_type is None and actor is None and party is None and source is None:
            return None
        return EventMatch(
            types=filters.action_types(action_type) if action_type is not None else None,
            actor=filters.party(self.read, "--actor", actor) if actor is not None else None,
            party=filters.party(self.read, "--party", party) if party is not None else None,
            source=filters.source(self.read, source) if source is not None else None,
        )

    def search(
        self,
        words: str,
        *,
        known_at: DateLike = None,
        channel: str | None = None,
        limit: int = DEFAULT_HITS,
    ) -> SearchResult:
        """The quotes (and event notes) that hold every one of `words`, best first, with the
        event each supports and its source; matched words marked. Quotes, outlets and notes
        are searched; as known at `known_at`, only what sources had published by then."""
        from chancery.projections.search import SearchResult, query_terms, search_hit

        terms = query_terms(words)
        if not 1 <= limit <= MAX_HITS:
            raise ArgumentError(f"--limit: give a number of hits from 1 to {MAX_HITS}, not {limit}")
        known = as_date("--known-at", known_at)
        self.check_channel(channel)
        rows = self.read.search(terms, known, channel, limit)
        return SearchResult(
            query=words,
            terms=terms,
            channel=channel,
            known_at=known,
            limit=limit,
            hits=[search_hit(row) for row in rows],
        )

    def events(self, **filters: Any) -> list[EventView]:
        """The events as one list (`event_pages` for a large ledger)."""
        return [event for page in self.event_pages(**filters) for event in page]

    def source_pages(self, known_at: DateLike = None) -> Iterator[list[SourceView]]:
        """Every source (published by `known_at`), in declaration order, with the events it
        supports, a page at a time."""
        from chancery.projections.events import source_pages

        return source_pages(self.read, as_date("--known-at", known_at))

    def sources(self, known_at: DateLike = None) -> list[SourceView]:
        return [source for page in self.source_pages(known_at) for source in page]

    def disputes(self, known_at: DateLike = None) -> DisputeList:
        """Every point on which the sources disagree, each side cited (as known at
        `known_at`)."""
        from chancery.projections.events import list_disputes

        return list_disputes(self.read, as_date("--known-at", known_at))

    def diff(
        self,
        first: DateLike,
        second: DateLike,
        *,
        axis: str = "valid",
        known_at: DateLike = None,
        as_of: DateLike = None,
        channel: str | None = None,
    ) -> StateDiff:
        """What changed between two dates: in the world (`axis="valid"`, as known at
        `known_at`), or between two dates of knowledge about the state on `as_of`
        (`axis="known"`)."""
        from chancery.projections.diff import known_diff, valid_diff

        if axis not in ("valid", "known"):
            raise ArgumentError(f"--axis: '{axis}' is not one of: valid, known")
        start, end = as_date("FIRST", first), as_date("SECOND", second)
        if start is None or end is None:
            raise ArgumentError("diff compares two dates: give both")
        if start > end:
            raise ArgumentError(f"FIRST {first} is after SECOND {second}: give the earlier first")
        if as_of is not None and axis == "valid":
            raise ArgumentError(
                "--as-of applies with --axis known only (diff A B compares A and B)"
            )
        if known_at is not None and axis == "known":
            raise ArgumentError(
                "--known-at applies with --axis valid only (--axis known K1 K2 compares two "
                "dates of knowledge)"
            )
        known = as_date("--known-at", known_at)
        self.check_channel(channel)
        if axis == "known":
            return known_diff(self.read, start, end, self._as_of(as_of), channel)
        return valid_diff(self.read, start, end, known, channel=channel)

    def event_document(self, event_id: str) -> dict[str, Any]:
        """A recorded event as it now reads, with its sources, as an import file: the start of
        an amendment."""
        read = self.read
        found = read.ledger.index.recorded_entries([event_id])
        if event_id not in found:
            raise ArgumentError(f"no event '{event_id}' is recorded in this ledger")
        channel = found[event_id][0]
        readings, _ = read.channel_versions(channel)
        current = [v.action for v in readings if v.known_to is None and v.action.id == event_id]
        if not current:
            raise ChanceryError(
                f"'{event_id}' is an amendment or was retracted: "
                f"`chancery history --channel {channel}` shows what it did"
            )
        action = current[0]
        cited = {c.source for c in action.all_citations()}
        return {
            "chancery": 1,
            "sources": [
                s.model_dump(mode="json", exclude_none=True) for s in read.sources(cited).values()
            ],
            "events": [action.model_dump(mode="json", exclude_none=True)],
        }

    # -- things people take away ---------------------------------------------------------

    def export(self, format_: str) -> Iterator[str]:
        """The ledger in one of `reports.EXPORT_FORMATS`, chunk by chunk."""
        from chancery.reports import export_format
        from chancery.reports.export import FORMATS

        return FORMATS[export_format(format_)](self.read)

    def report_html(self, as_of: DateLike = None, known_at: DateLike = None) -> Iterator[str]:
        """The offline HTML report, opening at `as_of` (default today), as known at
        `known_at`; written as a stream."""
        from chancery.reports.html import render_report

        day, known = self._as_of(as_of), as_date("--known-at", known_at)
        return render_report(self.read, day, known)

    def timeline(
        self,
        fmt: str,
        channels: Sequence[str] = (),
        start: DateLike = None,
        end: DateLike = None,
        known_at: DateLike = None,
    ) -> bytes:
        """The timeline chart as PNG or SVG bytes."""
        from chancery.reports import CHART_FORMATS
        from chancery.reports.timeline import TimelineRequest, render_timeline

        if fmt not in CHART_FORMATS:
            raise ArgumentError(f"the timeline is drawn as png or svg, not '{fmt}'")
        first = as_date("--from", start, first_day=True)
        last, known = as_date("--to", end), as_date("--known-at", known_at)
        if first and last and first >= last:
            raise ArgumentError(f"--from {start} is not before --to {end}: nothing to draw")
        lanes = list(dict.fromkeys(channels))  # a channel named twice is one lane
        for slug in lanes:
            self.check_channel(slug)
        request = TimelineRequest(lanes or self.read.channels(), first, last, known)
        return render_timeline(self.read, request, fmt)

    def extract(
        self,
        articles: Path | Sequence[Path],
        published: str | Sequence[str],
        *,
        source_id: str | Sequence[str] | None = None,
        outlet: str | Sequence[str] | None = None,
        url: str | Sequence[str] | None = None,
        as_json: bool = False,
    ) -> str | dict[str, Any]:
        """One draft import file of the actions one or several articles report (YAML text,
        or the JSON contract), matched against what this ledger holds and against each
        other: an action several articles report is one event, the later reports its
        corroborations, refinements or disputes. `published`, `outlet`, `url` and
        `source_id` are given once for every article or once per article, in order (a
        source id or URL names one article, so with several articles it is given per
        article)."""
        from chancery.domain.actions import Action
        from chancery.extraction.service import Report, extract_reports, per_article

        paths = [articles] if isinstance(articles, Path) else list(articles)
        dates = [d or "" for d in per_article("--published", published, len(paths), shared=True)]
        ids = per_article("--source-id", source_id, len(paths), shared=False)
        outlets = per_article("--outlet", outlet, len(paths), shared=True)
        urls = per_article("--url", url, len(paths), shared=False)
        reports = [Report(*given) for given in zip(paths, dates, ids, outlets, urls, strict=True)]
        read = self.read

        def recorded(channels: set[str]) -> list[Action]:
            return [
                v.action
                for slug in sorted(channels)
                for v in read.channel_versions(slug)[0]
                if v.known_to is None
            ]

        def source_named(key: str) -> Source | None:
            return read.sources({key}).get(key)

        return extract_reports(
            reports,
            channels=read.ledger.channels(),
            parties=read.ledger.parties(),
            recorded=recorded,
            source_named=source_named,
            as_json=as_json,
        )

    # -- the write side ------------------------------------------------------------------

    def import_bundled(self, progress: Progress = no_progress) -> ImportReport:
        """Import the bundled NATO–Russia dataset (re-importing adds nothing)."""
        return self.import_files([], bundled=True, progress=progress)

    def import_files(
        self,
        paths: Iterable[Path | str],
        *,
        bundled: bool = False,
        progress: Progress = no_progress,
    ) -> ImportReport:
        """Import files atomically (all of them or nothing); the bundled files first when
        asked, since they declare what the others may name. Files too large to hold
        together are read as streams (`dataset.streams`), every file of the import; either way
        the import plans and writes one stream of records (`importing/plan.py`)."""
        from chancery.application.importlog import import_origin
        from chancery.importing.dataset import streams
        from chancery.importing.streaming import StreamedFile
        from chancery.seeds import bundled_paths

        files = self._import_paths(paths, bundled)
        streamed = [StreamedFile(path) for path in files] if streams(files) else None
        loaded = [] if streamed else self._load(files, progress)
        if self._default_missing():
            self._bootstrap_default()  # the default ledger starts with the bundled data
        origin = import_origin(files, loaded, bundled_paths() if bundled else [])
        with self._naming_the_nearest(loaded):
            return self._write(streamed or loaded, origin, progress)

    def plan_import(self, paths: Iterable[Path | str], *, bundled: bool = False) -> DryRun:
        """What importing these files would add and change; writes nothing (planned against an
        empty ledger when none exists yet, on either store)."""
        import tempfile

        from chancery.application.dryrun import preview
        from chancery.importing.dataset import MAX_FILE_BYTES, streams
        from chancery.importing.plan import dry_run
        from chancery.storage.store import open_to_plan

        files = self._import_paths(paths, bundled)
        if streams(files):
            raise ChanceryError(f"--dry-run reads files of at most {MAX_FILE_BYTES} bytes in all")
        loaded = self._load(files, no_progress)
        with self._naming_the_nearest(loaded), tempfile.TemporaryDirectory() as scratch:
            ledger = open_to_plan(self.location, Path(scratch))
            try:
                return dry_run(ledger, loaded, preview)
            finally:
                ledger.close()

    def import_log(self, limit: int | None = None, *, ids: bool = False) -> ImportLogView:
        """The import log, newest entry first (the `limit` newest): who imported which files
        when, what each added, and which were retracted; with `ids`, the id of everything
        each added too."""
        from chancery.domain.importlog import ImportLogView
        from chancery.storage.importlog import (
            added_declarations,
            added_entries,
            log_entries,
            log_size,
        )

        if limit is not None and limit < 1:
            raise ArgumentError(f"--limit: {limit} is not a positive number of entries")
        ledger = self.read.ledger
        total = log_size(ledger)
        entries = log_entries(ledger, newest=limit or total)
        retracted_by = {e.retracts: e.number for e in entries if e.retracts is not None}
        for entry in entries:
            entry.retracted_by = retracted_by.get(entry.number)
            if ids:
                entry.ids = [event_id for event_id, _ in added_entries(ledger, entry.number)]
                entry.declarations = [
                    f"{section}:{key}" for section, key in added_declarations(ledger, entry.number)
                ]
        return ImportLogView(imports=entries, total=total)

    def retract_import(self, number: int, reason: str) -> LoggedImport:
        """Withdraw every event import `number` added, in one transaction, cited with
        `reason`; refused, with nothing written, where later events depend on them
        (`application/importlog.py`). Returns the retraction's own log entry."""
        from chancery.application.importlog import retract_import
        from chancery.storage.readmodel import ReadModel

        if not reason.strip():
            raise ArgumentError("--reason: say why the import is retracted")
        # The checks of a query first (a ledger, with events), without holding a snapshot
        # open: SQLite could not checkpoint the retraction's writes past it on closing.
        self._open_read_model(snapshot=False)
        ledger = self._open_events(create=True)
        entry = retract_import(ledger, number, reason)
        ReadModel(ledger).catch_up()
        self._read = None  # the next query reads what this wrote
        return entry

    def output(self, path: Path) -> Output:
        """Where a report or export is written (`-` is stdout), checked before any work: never
        the ledger itself or its journals."""
        from chancery.reports.files import output_target
        from chancery.storage.store import is_sqlite, sqlite_path

        ledger_file = sqlite_path(self.location) if is_sqlite(self.location) else None
        return output_target(path, ledger_file)

    def reindex(self) -> int:
        """Rebuild the read model from the events; the number of channels folded."""
        from chancery.storage.readmodel import ReadModel

        self._open_read_model(snapshot=False)  # as `retract_import` checks first, and why
        self._close_readers()  # an earlier query's snapshot would hold the tables it drops
        read = ReadModel(self._open_events(create=True))
        read.rebuild()
        return len(read.ledger.channels())

    def _close_readers(self) -> None:
        """End the queries' read-only connections (and their snapshots) opened so far; the
        next query opens a new one."""
        from chancery.storage.reader import PostgresReader, SQLiteReader

        readers = [s for s in self._opened if isinstance(s, SQLiteReader | PostgresReader)]
        for reader in readers:
            self._opened.remove(reader)
            reader.close()
        self._read = None

    def verify(self, articles: Path | None = None) -> Verification:
        """Replay the whole ledger and re-check every rule, reference and citation (and, with
        `articles`, every quote against the article files)."""
        from chancery.application.verification import verify
        from chancery.storage.importlog import log_problems

        if articles is not None and not articles.is_dir():
            raise ArgumentError(f"--articles: '{articles}' is not a folder")
        # verify compares the read model's tables with the events as they are now: no snapshot.
        read = self._open_read_model(snapshot=False)
        read.catch_up()
        result = verify(read.ledger, articles)
        result.problems.extend(read.problems())
        result.problems.extend(log_problems(read.ledger))
        return result

    def _write(
        self, files: Sequence[ImportFile], origin: Origin, progress: Progress = no_progress
    ) -> ImportReport:
        """Import into this location, logged as from `origin` in the import's transaction, and
        bring the read model up to date in the same ledger, so a new ledger is published with
        its read model. A new ledger comes into being only if the import succeeds
        (store.write_ledger)."""
        from chancery.importing.plan import import_files
        from chancery.storage.importlog import logging_to
        from chancery.storage.readmodel import ReadModel
        from chancery.storage.store import write_ledger

        def import_and_catch_up(ledger: EventLedger) -> ImportReport:
            with logging_to(ledger, origin):
                report = import_files(ledger, files, progress)
            ReadModel(ledger).catch_up(progress)
            return report

        ledger, report = write_ledger(self.location, import_and_catch_up)
        self._keep(ledger)
        self._read = None  # the next query reads what this import wrote
        return report

    @staticmethod
    def _import_paths(paths: Iterable[Path | str], bundled: bool) -> list[Path]:
        from chancery.seeds import bundled_paths

        files = _distinct_files((bundled_paths() if bundled else []) + [Path(p) for p in paths])
        if not files:
            raise ArgumentError("give one or more FILE arguments, or --bundled")
        for path in files:
            _refuse_special_file(path)
        return files

    @staticmethod
    def _load(files: list[Path], progress: Progress) -> list[LoadedFile]:
        from chancery.importing.dataset import load_file

        loaded = []
        for done, path in enumerate(files, start=1):
            loaded.append(load_file(path))
            progress("reading files", done, len(files))
        return loaded

    @contextmanager
    def _naming_the_nearest(self, loaded: list[LoadedFile]) -> Iterator[None]:
        """An import (or its dry run) refused for an unknown channel or party says the nearest
        declared slug, as an unknown option value does."""
        try:
            yield
        except InvalidRecordError as exc:
            hint = self._unknown_name_hint(str(exc), loaded)
            raise InvalidRecordError(str(exc) + hint) from None

    def _unknown_name_hint(self, message: str, loaded: list[LoadedFile]) -> str:
        """The nearest declared slug for an unknown channel or party, or the advice to import
        the bundled declarations into an empty ledger."""
        import re

        match = re.search(r"unknown (channel|party) '([^']+)'", message)
        if match is None:
            return ""
        what, name = match.groups()
        known = self._declared(loaded)[what]
        if not known:
            return (
                f"; this ledger declares no {'channels' if what == 'channel' else 'parties'}: "
                "run `chancery import --bundled` first, or declare them in the file"
            )
        return did_you_mean(name, known)

    def _declared(self, loaded: list[LoadedFile]) -> dict[str, set[str]]:
        """Channel and party slugs the ledger and the files declare."""
        from chancery.domain.errors import database_errors
        from chancery.storage.store import is_sqlite, sqlite_path

        known: dict[str, set[str]] = {"channel": set(), "party": set()}
        path = sqlite_path(self.location) if is_sqlite(self.location) else None
        if path is None or path.exists():
            try:
                ledger = self._open_events(create=False)
                known["channel"].update(ledger.index.keys("channels"))
                known["party"].update(ledger.index.keys("parties"))
            except ChanceryError:
                pass  # a new or unreadable ledger: the import said what is wrong with it
            except database_errors():
                pass
        for file in loaded:
            known["channel"].update(c.slug for c in file.dataset.channels)
            known["party"].update(p.slug for p in file.dataset.parties)
        return known

    def _as_of(self, value: DateLike) -> date:
        return as_date("--as-of", value) or date.today()


def _distinct_files(paths: list[Path]) -> list[Path]:
    """Each file once, at its first mention: a file named twice (`import F F`, or through a
    link) is one file, whose events are not "already recorded" by themselves."""
    seen: set[tuple[int, int] | str] = set()
    distinct = []
    for path in paths:
        try:
            info = path.stat()
            key: tuple[int, int] | str = (info.st_dev, info.st_ino)
        except OSError:
            key = str(path)  # load_file says what is wrong with it
        if key not in seen:
            seen.add(key)
            distinct.append(path)
    return distinct


def _refuse_special_file(path: Path) -> None:
    """A device (/dev/zero) never ends, a named pipe may never be written, a socket is no
    file: only regular files, folders (which load_file names as such) and the standard input
    when it is a pipe (`cat report.yaml | chancery import /dev/stdin`: the loader bounds what it
    reads and how long it waits) go further."""
    try:
        info = path.stat()
    except OSError:
        return  # load_file says what is wrong with it
    mode = info.st_mode
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode) or _is_standard_input(info):
        return
    kind = (
        "is a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "is a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "is a socket"
    )
    raise ChanceryError(
        f"{path}: {kind}, not a regular file (it may never end); give a YAML or JSON file, or "
        "pipe one into /dev/stdin"
    )


def _is_standard_input(info: os.stat_result) -> bool:
    try:
        own = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(own.st_mode) and (own.st_dev, own.st_ino) == (info.st_dev, info.st_ino)
