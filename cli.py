"""The `chancery` command: typer for the arguments, rich for the tables, `--json` for machines."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from chancery.domain.errors import (
    ChanceryError,
    InvalidRecordError,
    classify_database_error,
    postgres_errors,
    redact_text,
)
from chancery.domain.progress import Progress, no_progress
from chancery.reports import EXPORT_FORMATS
from chancery.terminal.safe import clean
from typer.core import TyperGroup

if TYPE_CHECKING:  # the command modules are imported by the commands that use them
    from chancery.domain.dataset import LoadedFile
    from chancery.domain.ledger import ImportReport, Ledger
    from chancery.domain.reader import PostgresReader, SQLiteReader
    from chancery.projections.readmodel import ReadModel
    from chancery.reports.files import Output
    from pydantic import BaseModel

_CLICK_ERRORS = {c.__name__: c for c in typer.BadParameter.__mro__}
"""typer 0.26 vendors click and exports only some of its exceptions: their bases are found
from the one it exports."""
ClickException: type[Exception] = _CLICK_ERRORS["ClickException"]
UsageError: type[Exception] = _CLICK_ERRORS["UsageError"]


class _OneLineErrors(TyperGroup):
    """Usage errors (unknown command or option, missing argument) as one line on stderr, with
    whatever the user typed shown escaped: click would echo it raw, so an escape sequence in
    an option name would reach the terminal."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as exc:
            hint = ""
            context = getattr(exc, "ctx", None)
            if isinstance(exc, UsageError) and context is not None:
                hint = f" (see '{context.command_path} --help')"
            given = sys.argv[1:] if args is None else list(args)
            if isinstance(exc, UsageError) and "diff" in given and "--known-at" in given:
                hint = f" ({DIFF_KNOWN_HINT})"  # the old on/off form of diff --known-at
            message = clean(exc.format_message() + hint, single_line=True)  # type: ignore[attr-defined]
            typer.echo(f"chancery: error: {message}", err=True)
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        except typer.Abort:
            typer.echo("chancery: aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    help="Chancery: what was the state of each diplomatic channel on a date, and who says so.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib import metadata

        typer.echo(f"chancery {metadata.version('chancery')}")
        raise typer.Exit()


@app.callback()
def _global_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Chancery: what was the state of each diplomatic channel on a date, and who says so."""


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=(
            "The ledger: a SQLite file path, or a PostgreSQL URL "
            "postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?schema=NAME]. "
            "Default: CHANCERY_DB, else chancery/ledger.sqlite in your user data directory."
        ),
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print plain JSON on stdout.")]
KnownAtOption = Annotated[
    str | None,
    typer.Option("--known-at", help="Only use what had been reported by this date."),
]

T = TypeVar("T")


def _fail(message: str) -> typer.Exit:
    """One paragraph on stderr; whatever the message quotes is shown, never obeyed."""
    typer.echo(f"chancery: error: {clean(message, single_line=True)}", err=True)
    return typer.Exit(code=1)


_OPENED: list[Ledger | SQLiteReader | PostgresReader] = []
"""Ledgers a command opened: closed (and so checkpointed) when its work is done."""


def _database_errors() -> tuple[type[Exception], ...]:
    """The errors of a database failing under a command. Evaluated in `except` clauses only,
    when something was raised: a query that succeeds never loads eventsourcing."""
    from eventsourcing.persistence import PersistenceError

    return (PersistenceError, sqlite3.Error, *postgres_errors())


@contextmanager
def _reported_errors() -> Iterator[None]:
    """Turn every error Chancery anticipates into one line on stderr and exit status 1, and
    close the ledgers the command opened, whatever happened."""
    try:
        yield
    except ChanceryError as exc:
        raise _fail(redact_text(str(exc))) from None
    except _database_errors() as exc:
        # The database failed under us: a lost server, a full disk, a lock held too long.
        problem = classify_database_error(exc)
        message = str(problem) if problem else f"the ledger's database failed: {exc}"
        raise _fail(redact_text(" ".join(message.split()))) from None
    finally:
        while _OPENED:
            _OPENED.pop().close()


def _date(option: str, text: str | None, *, first_day: bool = False) -> date | None:
    from chancery.domain.days import parse_query_date

    if text is None:
        return None
    try:
        return parse_query_date(text, first_day=first_day)
    except ValueError as exc:
        raise ChanceryError(f"{option}: {exc}") from None


def _import_into(
    location: str,
    loaded: list[LoadedFile],
    progress: Progress = no_progress,
    streamed: list[Path] | None = None,
) -> tuple[Ledger, ImportReport]:
    """Import into the ledger at `location` (the `streamed` files read as streams instead of
    `loaded`). A new ledger comes into being only if the import succeeds
    (store.write_ledger): a failed first import leaves nothing behind, and never removes a
    ledger another process created meanwhile."""
    from chancery.domain.store import write_ledger

    ledger, report = write_ledger(
        location, lambda ledger: _import_and_catch_up(ledger, loaded, progress, streamed)
    )
    _OPENED.append(ledger)
    return ledger, report


def _import_and_catch_up(
    ledger: Ledger, loaded: list[LoadedFile], progress: Progress, streamed: list[Path] | None
) -> ImportReport:
    """The import, then the read model brought up to date in the same ledger, so that a new
    ledger is published with its read model."""
    from chancery.projections.readmodel import ReadModel

    if streamed:
        from chancery.domain.streamimport import import_streamed

        report = import_streamed(ledger, streamed, progress)
    else:
        report = ledger.import_files(loaded, progress)
    ReadModel(ledger).catch_up(progress)
    return report


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


def _ledger(db: str | None) -> Ledger:
    """Open the ledger for a query (read-only); the default one is created and filled with the
    bundled data once. A named ledger that holds no events is an error, not an empty answer."""
    from chancery.domain.store import configured_location, open_ledger

    location, is_default = configured_location(db)
    if is_default and not os.path.exists(location):
        from chancery.domain.dataset import load_file
        from chancery.seeds import bundled_paths

        ledger, report = _import_into(location, [load_file(path) for path in bundled_paths()])
        typer.echo(
            f"chancery: created the default ledger at {location} and imported the bundled "
            f"NATO–Russia dataset ({report.added['events']} events).",
            err=True,
        )
        return ledger
    ledger = open_ledger(location, create=False)
    _OPENED.append(ledger)
    if ledger.is_empty():
        raise _holds_no_events(location)
    return ledger


def _holds_no_events(location: str) -> ChanceryError:
    return ChanceryError(
        f"the ledger at '{location}' holds no events (a first import that failed or was "
        "interrupted?): import data into it first"
    )


def _read(db: str | None, *, snapshot: bool = True) -> ReadModel:
    """The read side of a query. The ledger is read through one plain read-only connection
    (`domain/reader.py`), and its application opened only if the query needs events. A query
    writes nothing (a read model behind the events is folded in memory where it is behind),
    except once on a ledger of an older release, whose read model it writes.
    With `snapshot`, every read of the read model's tables in this command sees one snapshot
    (one read transaction), so that a listing read a page at a time never sees a writer's
    commit half-way; `verify`, which compares those tables with the events as they are now,
    reads without one."""
    from chancery.domain.store import configured_location, open_ledger, open_reader
    from chancery.projections.readmodel import ReadModel

    location, is_default = configured_location(db)

    def opened(create: bool) -> Callable[[], Ledger]:
        def open_() -> Ledger:
            ledger = open_ledger(location, create=create)
            _OPENED.append(ledger)
            return ledger

        return open_

    if is_default and not os.path.exists(location):
        read = ReadModel(_ledger(db), writer=opened(create=True))
    else:
        tables = open_reader(location)
        _OPENED.append(tables)
        if snapshot:
            tables.snapshot()
        if not tables.max_notification_id():
            raise _holds_no_events(location)
        read = ReadModel(tables=tables, opener=opened(create=False), writer=opened(create=True))
    read.catch_up()
    return read


def _check_channel(read: ReadModel, channel: str | None) -> None:
    if channel is None or read.declares(channel):
        return
    known = ", ".join(read.channels()) or "none"
    raise ChanceryError(f"unknown channel '{channel}' (channels in this ledger: {known})")


def _print_json(model: BaseModel | dict[str, object]) -> None:
    from pydantic import BaseModel

    text = (
        model.model_dump_json(indent=2)
        if isinstance(model, BaseModel)
        else json.dumps(model, indent=2)
    )
    sys.stdout.write(text + "\n")


def _print_json_list(key: str, items: Iterable[BaseModel]) -> None:
    """`{key: [items]}` written item by item, laid out as `_print_json` lays out the whole
    object: a command listing every event of a large ledger never holds the list. The text
    goes to a spooled temporary file first (memory up to 8 MiB, then disk), and to stdout
    only once every item was read: a row that cannot be read half-way stops the command
    with its one-line error, never after half a JSON document."""
    import shutil
    import tempfile

    with tempfile.SpooledTemporaryFile(
        max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8"
    ) as out:
        out.write("{\n  " + json.dumps(key) + ": [")
        separator = "\n"
        for item in items:
            out.write(separator + textwrap.indent(item.model_dump_json(indent=2), "    "))
            separator = ",\n"
        out.write("\n  ]\n}\n" if separator != "\n" else "]\n}\n")
        out.seek(0)
        shutil.copyfileobj(out, sys.stdout)


def _print_json_form(data: dict[str, Any]) -> None:
    """A read model's JSON form, printed exactly as its model's `model_dump_json(indent=2)`
    would print it (non-ASCII kept), without building the model."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _count(count: int, collection: str) -> str:
    """'1 event', '2 events', '1 party', '3 parties' from the report's plural collection names."""
    from chancery.terminal.words import plural

    singular = {"parties": "party"}.get(collection, collection.removesuffix("s"))
    return plural(count, singular, collection)


@app.command()
def state(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="YYYY, YYYY-MM or YYYY-MM-DD; a partial date means its last day. Default: today.",
        ),
    ] = None,
    known_at: KnownAtOption = None,
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """State of every channel on a date, with certainty, staff caps and pending invitations."""
    with _reported_errors():
        day = _date("--as-of", as_of) or date.today()
        known = _date("--known-at", known_at)
        read = _read(db)
        _check_channel(read, channel)
        report = read.state_data(day, known, channel)
    if as_json:
        _print_json_form(report)
        return
    from chancery.terminal.sheet import render
    from chancery.terminal.views import state_sheet

    render(state_sheet(report))


@app.command()
def history(
    channel: Annotated[str, typer.Argument(help="Channel slug, e.g. russia-mission-to-nato.")],
    known_at: KnownAtOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every change on one channel, in valid-time order, with certainty and sources."""
    from chancery.projections.history import channel_history
    from chancery.terminal.sheet import render
    from chancery.terminal.views import history_sheet

    with _reported_errors():
        known = _date("--known-at", known_at)
        read = _read(db)
        _check_channel(read, channel)
        result = channel_history(read, channel, known)
    if as_json:
        _print_json(result)
        return
    render(history_sheet(result))


@app.command()
def events(
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Events overlapping this date or later.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Events overlapping this date or earlier.")
    ] = None,
    known_at: KnownAtOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Recorded events in valid-time order, with their citations."""
    from chancery.projections.events import event_pages
    from chancery.terminal.sheet import render
    from chancery.terminal.views import events_sheet, paged_sheets

    with _reported_errors():
        first = _date("--from", start, first_day=True)
        last, known = _date("--to", end), _date("--known-at", known_at)
        if first and last and first > last:
            raise ChanceryError(f"--from {start} is after --to {end}: no date can be in that range")
        read = _read(db)
        _check_channel(read, channel)
        pages = (
            page
            for page, _ in event_pages(read, channel=channel, start=first, end=last, known_at=known)
        )
        if as_json:
            _print_json_list("events", (event for page in pages for event in page))
        else:
            for sheet in paged_sheets(pages, events_sheet, "events"):
                render(sheet)


@app.command()
def sources(
    known_at: KnownAtOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """The sources, with the events each supports."""
    from chancery.projections.events import source_pages
    from chancery.terminal.sheet import render
    from chancery.terminal.views import paged_sheets, sources_sheet

    with _reported_errors():
        known = _date("--known-at", known_at)
        pages = source_pages(_read(db), known)
        if as_json:
            _print_json_list("sources", (source for page in pages for source in page))
        else:
            for sheet in paged_sheets(pages, sources_sheet, "sources"):
                render(sheet)


@app.command()
def disputes(
    known_at: KnownAtOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Every point on which the sources disagree, each side with its sources."""
    from chancery.projections.events import list_disputes
    from chancery.terminal.sheet import render
    from chancery.terminal.views import disputes_sheet

    with _reported_errors():
        known = _date("--known-at", known_at)
        result = list_disputes(_read(db), known)
    if as_json:
        _print_json(result)
        return
    render(disputes_sheet(result))


@app.command()
def why(
    channel: Annotated[str, typer.Argument(help="Channel slug.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Default: today.")] = None,
    known_at: KnownAtOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The cited events that make a channel's state on a date."""
    from chancery.projections.why import explain
    from chancery.terminal.sheet import render_lines
    from chancery.terminal.views import why_lines

    with _reported_errors():
        day = _date("--as-of", as_of) or date.today()
        known = _date("--known-at", known_at)
        read = _read(db)
        _check_channel(read, channel)
        result = explain(read, channel, day, known)
    if as_json:
        _print_json(result)
        return
    render_lines(list(why_lines(result)))


DIFF_KNOWN_HINT = (
    "--known-at takes a date: compare two dates of knowledge with "
    "`chancery diff --axis known K1 K2 [--as-of D]`, or two dates in the world as known at K "
    "with `chancery diff D1 D2 --known-at K`"
)


@app.command()
def diff(
    first: Annotated[str, typer.Argument(help="The earlier date (YYYY, YYYY-MM or YYYY-MM-DD).")],
    second: Annotated[
        str | None, typer.Argument(help="The later date.", show_default=False)
    ] = None,
    axis: Annotated[
        str,
        typer.Option(
            "--axis",
            help="valid: two dates in the world; known: two dates of knowledge (what was "
            "learned between them about the state on --as-of).",
        ),
    ] = "valid",
    known_at: KnownAtOption = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="With --axis known: the state on this date. Default: today."),
    ] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """What changed between two dates, per channel and field, with the events behind it."""
    from chancery.projections.diff import known_diff, valid_diff
    from chancery.terminal.sheet import render
    from chancery.terminal.views import diff_sheet

    if axis not in ("valid", "known"):
        raise typer.BadParameter(f"'{axis}' is not one of: valid, known", param_hint="--axis")
    if second is None or (known_at is not None and not known_at[:1].isdigit()):
        # The old form, `diff --known-at K1 K2`, where --known-at was an on/off switch.
        raise UsageError(
            "diff --known-at takes a date" if known_at is not None else "Missing argument 'SECOND'."
        )
    with _reported_errors():
        start, end = _date("FIRST", first), _date("SECOND", second)
        assert start is not None and end is not None
        if start > end:
            raise ChanceryError(f"FIRST {first} is after SECOND {second}: give the earlier first")
        if as_of is not None and axis == "valid":
            raise ChanceryError(
                "--as-of applies with --axis known only (diff A B compares A and B)"
            )
        if known_at is not None and axis == "known":
            raise ChanceryError(
                "--known-at applies with --axis valid only (--axis known K1 K2 compares two "
                "dates of knowledge)"
            )
        known = _date("--known-at", known_at)
        day = _date("--as-of", as_of) or date.today()
        contents = _read(db)
        _check_channel(contents, channel)
        if axis == "known":
            result = known_diff(contents, start, end, day, channel)
        else:
            result = valid_diff(contents, start, end, known, channel=channel)
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2, by_alias=True) + "\n")
    else:
        render(diff_sheet(result))


OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write to this file instead of stdout (- is stdout).")
]


def _output(out: Path, db: str | None) -> Output:
    """`--out` checked before any work: never the ledger the command reads (README, 'Reports
    and exports on disk')."""
    from chancery.domain.store import configured_location, is_sqlite, sqlite_path
    from chancery.reports.files import output_target

    location, _ = configured_location(db)
    return output_target(out, sqlite_path(location) if is_sqlite(location) else None)


@app.command()
def export(
    format_: Annotated[
        str,
        typer.Option("--format", help=f"One of: {', '.join(EXPORT_FORMATS)}.", show_default=False),
    ],
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """The ledger as CSV, JSON lines, PLOVER records, a TimelineJS sheet, or a YAML backup."""
    from chancery.reports.export import FORMATS as EXPORT_FORMATS

    with _reported_errors():
        if format_ not in EXPORT_FORMATS:
            raise ChanceryError(
                f"--format: unknown format '{format_}' (choose {', '.join(EXPORT_FORMATS)})"
            )
        target = _output(out or Path("-"), db)
        target.write(EXPORT_FORMATS[format_](_read(db)))


@app.command()
def timeline(
    out: Annotated[
        Path, typer.Option("--out", help="The chart file: FILE.png or FILE.svg (- is stdout).")
    ],
    channels: Annotated[
        list[str] | None,
        typer.Option("--channel", help="A channel to draw (repeat for several). Default: all."),
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="First date shown.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last date shown.")] = None,
    known_at: KnownAtOption = None,
    format_: Annotated[
        str | None,
        typer.Option("--format", help="png or svg. Default: the --out file's ending."),
    ] = None,
    db: DbOption = None,
) -> None:
    """A chart of every channel's status, staff cap and events over time (PNG or SVG)."""
    from chancery.reports.timeline import TimelineRequest, output_format, render_timeline

    with _reported_errors():
        fmt = (format_ or output_format(out)).lower()
        if fmt not in ("png", "svg"):
            raise ChanceryError(
                f"--format: '{format_}' is not png or svg"
                if format_
                else f"--out: '{out}' must end in .png or .svg (or give --format)"
            )
        target = _output(out, db)
        first = _date("--from", start, first_day=True)
        last, known = _date("--to", end), _date("--known-at", known_at)
        if first and last and first >= last:
            raise ChanceryError(f"--from {start} is not before --to {end}: nothing to draw")
        contents = _read(db)
        lanes = list(dict.fromkeys(channels or []))  # a channel named twice is one lane
        for slug in lanes:
            _check_channel(contents, slug)
        request = TimelineRequest(
            lanes or list(contents.ledger.index.keys("channels")), first, last, known
        )
        target.write(render_timeline(contents, request, fmt))
    _wrote(target)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write (- is stdout).")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The date the report opens at. Default: today."),
    ] = None,
    known_at: KnownAtOption = None,
    db: DbOption = None,
) -> None:
    """One self-contained HTML file: state at any date, timeline, histories, sources, disputes."""
    from chancery.reports.html import render_report

    with _reported_errors():
        day = _date("--as-of", as_of) or date.today()
        known = _date("--known-at", known_at)
        target = _output(out, db)
        target.write(render_report(_read(db), day, known))
    _wrote(target)


def _wrote(target: Output) -> None:
    if target.path is not None:
        typer.echo(f"chancery: wrote {clean(target.shown, single_line=True)}", err=True)


def _declared(location: str, loaded: list[LoadedFile]) -> dict[str, set[str]]:
    """Channel and party slugs the ledger and the files declare, for did-you-mean hints."""
    from chancery.domain.store import is_sqlite, open_ledger, sqlite_path

    known: dict[str, set[str]] = {"channel": set(), "party": set()}
    path = sqlite_path(location) if is_sqlite(location) else None
    if path is None or path.exists():
        try:
            ledger = open_ledger(location, create=False)
            _OPENED.append(ledger)
            known["channel"].update(ledger.index.keys("channels"))
            known["party"].update(ledger.index.keys("parties"))
        except (ChanceryError, *_database_errors()):
            pass  # a new or unreadable ledger: the import said what is wrong with it
    for file in loaded:
        known["channel"].update(c.slug for c in file.dataset.channels)
        known["party"].update(p.slug for p in file.dataset.parties)
    return known


def _unknown_name_hint(message: str, known: dict[str, set[str]]) -> str:
    """The nearest declared slug for an unknown channel or party, or the advice to import the
    bundled declarations into an empty ledger."""
    from chancery.domain.dataset import did_you_mean

    match = re.search(r"unknown (channel|party) '([^']+)'", message)
    if match is None:
        return ""
    what, name = match.groups()
    if not known[what]:
        return (
            f"; this ledger declares no {'channels' if what == 'channel' else 'parties'}: "
            "run `chancery import --bundled` first, or declare them in the file"
        )
    return did_you_mean(name, known[what])


def _dry_run(location: str, loaded: list[LoadedFile], as_json: bool) -> None:
    """Plan the import against the ledger (an empty one if there is none yet), print what it
    would do, write nothing."""
    import tempfile

    from chancery.domain.errors import NoLedgerError
    from chancery.domain.store import open_ledger
    from chancery.projections.dryrun import preview

    with tempfile.TemporaryDirectory() as scratch:
        try:
            ledger = open_ledger(location, create=False)
        except NoLedgerError:  # nothing recorded yet, on either store: plan on an empty one
            ledger = open_ledger(str(Path(scratch) / "empty.sqlite"), create=True)
        _OPENED.append(ledger)
        result = preview(ledger, ledger.plan_import(loaded))
        _OPENED.remove(ledger)
        ledger.close()
    if as_json:
        _print_json(result)
        return
    added = ", ".join(_count(n, k) for k, n in result.added.items()) or "nothing"
    unchanged = ", ".join(_count(n, k) for k, n in result.unchanged.items()) or "nothing"
    lines = [f"dry run, nothing written: would add {added}; already recorded: {unchanged}"]
    for channel in result.channels:
        lines.append(f"{channel.channel}: {', '.join(channel.new_events)}")
        for moment in channel.changes:
            for change in moment.changes:
                lines.append(f"  {moment.date}  {change.field}: {change.before} → {change.after}")
        if not channel.changes:
            lines.append("  no change of state on the dates these events touch")
    typer.echo("\n".join(clean(line) for line in lines))


@app.command(name="import")
def import_(
    files: Annotated[list[Path] | None, typer.Argument(help="YAML or JSON import files.")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Import the bundled dataset.")] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Say what the import would add and change, and write nothing."
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import files atomically: all of them or nothing; re-importing adds nothing."""
    from chancery.domain.dataset import MAX_FILE_BYTES, load_file, streams
    from chancery.domain.store import configured_location
    from chancery.seeds import bundled_paths
    from chancery.terminal.progress import StderrProgress

    # The bundled files come first: they declare the channels that the user's files may use.
    paths = _distinct_files((bundled_paths() if bundled else []) + list(files or []))
    if not paths:
        raise _fail("give one or more FILE arguments, or --bundled")
    with _reported_errors(), StderrProgress() as progress:
        for path in paths:
            _refuse_special_file(path)
        # Files too large to hold are streamed, and then all of them, in one transaction.
        streamed = paths if any(streams(path) for path in paths) else None
        if streamed and dry_run:
            raise _fail(f"--dry-run reads files of at most {MAX_FILE_BYTES} bytes")
        loaded = []
        for done, path in enumerate([] if streamed else paths, start=1):
            loaded.append(load_file(path))
            progress("reading files", done, len(paths))
        location, is_default = configured_location(db)
        if dry_run:
            _dry_run(location, loaded, as_json)
            return
        if is_default:
            _ledger(db)  # the default ledger starts with the bundled data, whatever comes first
        try:
            _, report = _import_into(location, loaded, progress, streamed)
        except InvalidRecordError as exc:
            known = _declared(location, loaded)
            raise InvalidRecordError(str(exc) + _unknown_name_hint(str(exc), known)) from None
    summary = {
        "added": dict(report.added),
        "unchanged": dict(report.unchanged),
        "attempts": report.attempts,
    }
    if as_json:
        _print_json(summary)
        return
    added = ", ".join(_count(n, k) for k, n in report.added.items()) or "nothing"
    unchanged = ", ".join(_count(n, k) for k, n in report.unchanged.items()) or "nothing"
    typer.echo(f"added {added}; already recorded: {unchanged}")


@app.command()
def verify(
    articles: Annotated[
        Path | None,
        typer.Option("--articles", help="Folder of the source articles: check every quote too."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Replay the whole ledger and re-check every rule, reference and citation."""
    from chancery.domain.verification import verify as verify_ledger

    with _reported_errors():
        if articles is not None and not articles.is_dir():
            raise ChanceryError(f"--articles: '{articles}' is not a folder")
        read = _read(db, snapshot=False)
        result = verify_ledger(read.ledger, articles)
        result.problems.extend(read.problems())
    if as_json:
        _print_json({"ok": result.ok, "counts": result.counts, "problems": result.problems})
    else:
        counts = ", ".join(_count(n, name) for name, n in result.counts.items())
        typer.echo(f"{'ok' if result.ok else 'PROBLEMS FOUND'}: {counts}")
        for problem in result.problems:
            typer.echo(f"problem: {clean(problem, single_line=True)}", err=True)
    if not result.ok:
        raise typer.Exit(code=1)


@app.command()
def reindex(db: DbOption = None) -> None:
    """Rebuild the read model from the events (after an upgrade, or when verify asks for it)."""
    from chancery.domain.store import configured_location, open_ledger
    from chancery.projections.readmodel import ReadModel

    with _reported_errors():
        _ledger(db)  # the same checks as a query: a ledger, with events
        ledger = open_ledger(configured_location(db)[0], create=True)
        _OPENED.append(ledger)
        read = ReadModel(ledger)
        read.rebuild()
        channels = len(read.ledger.channels())
    typer.echo(f"rebuilt the read model of {channels} channel{'s' if channels != 1 else ''}")


@app.command()
def extract(
    article: Annotated[Path, typer.Argument(help="A plain-text news article.")],
    published: Annotated[
        str,
        typer.Option(
            "--published",
            help="Publication date YYYY-MM-DD, or an interval YYYY-MM-DD/YYYY-MM-DD if undated.",
        ),
    ],
    source_id: Annotated[
        str | None, typer.Option("--source-id", help="Source id (default: from file and date).")
    ] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="The outlet's name.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="The article's URL.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Propose the actions an article reports, as a draft import file to review."""
    from chancery.extraction.service import extract_report

    with _reported_errors():
        read = _read(db)

        def recorded(channels: set[str]) -> list[Any]:
            return [
                v.action
                for slug in sorted(channels)
                for v in read.channel_versions(slug)[0]
                if v.known_to is None
            ]

        result = extract_report(
            article,
            published,
            channels=read.ledger.channels(),
            parties=read.ledger.parties(),
            recorded=recorded,
            source_named=lambda key: read.sources({key}).get(key),
            source_id=source_id,
            outlet=outlet,
            url=url,
            as_json=as_json,
        )
    if isinstance(result, dict):
        _print_json(result)
    else:
        sys.stdout.write(result)


@app.command()
def new(
    type_name: Annotated[str, typer.Argument(metavar="TYPE", help="An action type.")],
) -> None:
    """Print a commented template of one action type, with every field, to fill in."""
    from chancery.domain.templates import action_template

    with _reported_errors():
        sys.stdout.write(action_template(type_name))


@app.command()
def dyad(
    first: Annotated[str, typer.Argument(metavar="A", help="A party's code: GB, RU, NATO.")],
    second: Annotated[str, typer.Argument(metavar="B", help="The other party's code.")],
) -> None:
    """Print a commented import file of a pair: both parties by code, their embassies (or a
    state's mission to an organisation), their relations and a dialogue channel, and
    consulates to fill in. It imports as it stands."""
    from chancery.domain.dyad import dyad_file

    with _reported_errors():
        sys.stdout.write(dyad_file(first, second))


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(metavar="EVENT", help="A recorded event's id.")],
    as_yaml: Annotated[
        bool, typer.Option("--yaml", help="Importable YAML: what it prints without --json.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print a recorded event as it now reads, as an import file: the start of a correction,
    refinement, corroboration or dispute (give the new entry its own id)."""
    import yaml

    with _reported_errors():
        read = _read(db)
        found = read.ledger.index.recorded_entries([event_id])
        if event_id not in found:
            raise ChanceryError(f"no event '{event_id}' is recorded in this ledger")
        channel = found[event_id][0]
        readings, _ = read.channel_versions(channel)
        current = [v.action for v in readings if v.known_to is None and v.action.id == event_id]
        if not current:
            raise ChanceryError(
                f"'{event_id}' is an amendment or was retracted: `chancery history {channel}` "
                "shows what it did"
            )
        action = current[0]
        cited = {c.source for c in action.all_citations()}
        document = {
            "chancery": 1,
            "sources": [
                s.model_dump(mode="json", exclude_none=True) for s in read.sources(cited).values()
            ],
            "events": [action.model_dump(mode="json", exclude_none=True)],
        }
    if as_json:
        _print_json(document)
        return
    header = (
        f"# '{event_id}' as the ledger now reads it.\n"
        "# To amend it, give the entry a new id and a type: refinement (refines:),\n"
        "# corroboration (corroborates:), dispute (disputes:) or correction (corrects:,\n"
        "# with the whole event as `replacement`).\n"
    )
    sys.stdout.write(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True))


@app.command()
def schema() -> None:
    """Print the JSON Schema of an import file (for editor validation of YAML)."""
    from chancery.domain.dataset import import_schema

    _print_json(import_schema())


def _json_escapes(error: UnicodeError) -> tuple[str, int]:
    """What an encoding cannot carry, as JSON's own escapes: `\\u00e9`, and a surrogate
    pair `\\ud83d\\ude00` beyond the BMP. Inside a JSON string that is the same text, so
    `--json` stays exact under any encoding; in a table it reads like any other escape."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


def _printable_streams() -> None:
    """Whatever encoding stdout and stderr have (`PYTHONIOENCODING=ascii`, a latin-1 locale),
    a character it cannot carry is printed as an escape (`\\u2192`, `_json_escapes`), never a
    traceback; the text is still all there."""
    import codecs

    codecs.register_error("chancery-json-escapes", _json_escapes)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="chancery-json-escapes")


def main() -> None:
    """Entry point of the `chancery` script and `python -m chancery`."""
    _printable_streams()
    app(prog_name="chancery")
