"""The `chancery` command: typer for the arguments, rich for the tables, `--json` for machines."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Annotated, TypeVar

import psycopg
import typer
from chancery.domain.dataset import LoadedFile, import_schema, load_file
from chancery.domain.dates import parse_query_date
from chancery.domain.errors import ChanceryError, classify_database_error, redact_text
from chancery.domain.ledger import ImportReport, Ledger, LedgerContents
from chancery.domain.store import configured_location, open_ledger, write_ledger
from chancery.domain.verification import verify as verify_ledger
from chancery.projections.events import list_disputes, list_events, list_sources
from chancery.projections.history import channel_history
from chancery.projections.models import ChannelState, EventView, StateReport
from chancery.projections.state import state_as_of
from chancery.projections.why import explain
from chancery.seeds import bundled_paths
from eventsourcing.persistence import PersistenceError
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="Chancery: what was the state of each diplomatic channel on a date, and who says so.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
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
        help="Ledger: a SQLite file path (default: CHANCERY_DB, else your user data directory).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print plain JSON on stdout.")]
KnownAtOption = Annotated[
    str | None,
    typer.Option("--known-at", help="Only use what had been reported by this date."),
]

T = TypeVar("T")


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 160, highlight=False)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"chancery: error: {message}", err=True)
    return typer.Exit(code=1)


@contextmanager
def _reported_errors() -> Iterator[None]:
    """Turn every error Chancery anticipates into one line on stderr and exit status 1."""
    try:
        yield
    except ChanceryError as exc:
        raise _fail(redact_text(" ".join(str(exc).split()))) from None
    except (PersistenceError, sqlite3.Error, psycopg.Error) as exc:
        # The database failed under us: a lost server, a full disk, a lock held too long.
        problem = classify_database_error(exc)
        message = str(problem) if problem else f"the ledger's database failed: {exc}"
        raise _fail(redact_text(" ".join(message.split()))) from None


def _date(option: str, text: str | None, *, first_day: bool = False) -> date | None:
    if text is None:
        return None
    try:
        return parse_query_date(text, first_day=first_day)
    except ValueError as exc:
        raise ChanceryError(f"{option}: {exc}") from None


def _import_into(location: str, loaded: list[LoadedFile]) -> tuple[Ledger, ImportReport]:
    """Import into the ledger at `location`. A new ledger comes into being only if the import
    succeeds (store.write_ledger): a failed first import leaves nothing behind, and never
    removes a ledger another process created meanwhile."""
    return write_ledger(location, lambda ledger: ledger.import_files(loaded))


def _refuse_special_file(path: Path) -> None:
    """A FIFO would block the import and a device (/dev/zero) never end: only regular files
    (and folders, which load_file names as such) go further."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # load_file says what is wrong with it
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise ChanceryError(
            f"{path}: not a regular file (a FIFO, device or socket); give a YAML or JSON file"
        )


def _ledger(db: str | None) -> Ledger:
    """Open the ledger for a query (read-only); the default one is created and filled with the
    bundled data once. A named ledger that holds no events is an error, not an empty answer."""
    location, is_default = configured_location(db)
    if is_default and not os.path.exists(location):
        ledger, report = _import_into(location, [load_file(path) for path in bundled_paths()])
        typer.echo(
            f"chancery: created the default ledger at {location} and imported the bundled "
            f"NATO–Russia dataset ({report.added['events']} events).",
            err=True,
        )
        return ledger
    ledger = open_ledger(location, create=False)
    if ledger.is_empty():
        ledger.close()
        raise ChanceryError(
            f"the ledger at '{location}' holds no events (a first import that failed or was "
            "interrupted?): import data into it first"
        )
    return ledger


def _contents(db: str | None) -> LedgerContents:
    return _ledger(db).contents()


def _check_channel(contents: LedgerContents, channel: str | None) -> None:
    if channel is not None and channel not in contents.channels:
        known = ", ".join(contents.channels) or "none"
        raise ChanceryError(f"unknown channel '{channel}' (channels in this ledger: {known})")


def _print_json(model: BaseModel | dict[str, object]) -> None:
    text = (
        model.model_dump_json(indent=2)
        if isinstance(model, BaseModel)
        else json.dumps(model, indent=2)
    )
    sys.stdout.write(text + "\n")


def _cap(state: ChannelState) -> str:
    if state.staff_cap_basis is None:
        return "—"
    if state.staff_cap is None:
        return "unknown"
    return f"{state.staff_cap} ({state.staff_cap_basis.value})"


def _invitations(state: ChannelState, note: Callable[[str], str]) -> str:
    lines = []
    for invitation in state.pending_invitations:
        text = f"{invitation.date} {invitation.inviter}→{invitation.invitee}"
        if invitation.disputed:
            claims = " vs ".join(
                f"{c.date} ({', '.join(c.sources)})" for c in invitation.date_claims
            )
            text += note(f"date disputed: {claims}")
        text += f", response: {invitation.response}"
        if invitation.last_reiterated:
            text += f", reiterated {invitation.last_reiterated}"
        lines.append(text)
    return "\n".join(lines) or "—"


def _render_state(report: StateReport) -> None:
    known = f"known at {report.known_at}" if report.known_at else "everything recorded"
    table = Table(title=f"Channels as of {report.as_of} ({known})", show_lines=True)
    table.add_column("Channel", no_wrap=True)
    for column in ("Status", "Certainty", "Staff cap", "Since", "Pending invitations"):
        table.add_column(column, overflow="fold")
    table.add_column("Latest event", overflow="fold", max_width=34)
    footnotes: list[str] = []

    def note(text: str) -> str:
        footnotes.append(text)
        return f" [{len(footnotes)}]"

    for state in report.channels:
        status = state.status.value
        if state.status_basis.value == "inferred":
            status += " (inferred)"
        marks = "".join(
            note(
                f"{d.event}: {d.about}: "
                + " vs ".join(f"{c.says} ({', '.join(c.sources)})" for c in d.claims)
            )
            for d in state.disputes
            if d.about != "date"
        )
        latest = state.latest_event
        table.add_row(
            f"{state.id}{marks}",
            status,
            state.certainty,
            _cap(state),
            state.since or "—",
            _invitations(state, note),
            f"{latest.type} ({latest.date})" if latest else "—",
        )
    console = _console()
    console.print(table)
    for number, text in enumerate(footnotes, start=1):
        console.print(f"[{number}] {text}", markup=False)


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
        contents = _contents(db)
        _check_channel(contents, channel)
        report = state_as_of(contents, day, known, channel)
    if as_json:
        _print_json(report)
    else:
        _render_state(report)


def _event_table(title: str, events: list[EventView]) -> Table:
    table = Table(title=title, show_lines=True)
    for column in ("Date", "Event", "Channel", "Actor → target", "Sources"):
        table.add_column(column, overflow="fold")
    for event in events:
        table.add_row(
            event.date,
            f"{event.type}\n{event.id}",
            event.channel,
            f"{event.actor} → {event.target or '—'}",
            ", ".join(dict.fromkeys(c.source for c in event.citations)),
        )
    return table


@app.command()
def history(
    channel: Annotated[str, typer.Argument(help="Channel slug, e.g. russia-mission-to-nato.")],
    known_at: KnownAtOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every change on one channel, in valid-time order, with certainty and sources."""
    with _reported_errors():
        known = _date("--known-at", known_at)
        contents = _contents(db)
        _check_channel(contents, channel)
        result = channel_history(contents, channel, known)
    if as_json:
        _print_json(result)
        return
    table = Table(title=f"History of {result.name} ({channel})", show_lines=True)
    for column in ("Date", "Certainty", "Event", "Changes", "Sources"):
        table.add_column(column, overflow="fold")
    for step in result.steps:
        event = step.event
        changes = "\n".join(f"{c.field}: {c.before} → {c.after}" for c in step.changes)
        table.add_row(
            event.date + (f"\n({event.wording})" if event.wording else ""),
            step.certainty,
            f"{event.type}\n{event.id}",
            changes or f"({event.summary}: no change of state)",
            ", ".join(dict.fromkeys(c.source for c in event.citations)),
        )
    _console().print(table)


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
    with _reported_errors():
        first = _date("--from", start, first_day=True)
        last, known = _date("--to", end), _date("--known-at", known_at)
        if first and last and first > last:
            raise ChanceryError(f"--from {start} is after --to {end}: no date can be in that range")
        contents = _contents(db)
        _check_channel(contents, channel)
        result = list_events(contents, channel=channel, start=first, end=last, known_at=known)
    if as_json:
        _print_json(result)
    else:
        _console().print(_event_table(f"{len(result.events)} events", result.events))


@app.command()
def sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The sources, with the events each supports."""
    with _reported_errors():
        result = list_sources(_contents(db))
    if as_json:
        _print_json(result)
        return
    table = Table(title="Sources", show_lines=True)
    for column in ("Source", "Outlet", "Published", "File", "Events"):
        table.add_column(column, overflow="fold")
    for source in result.sources:
        table.add_row(
            source.id,
            source.outlet or "(not named)",
            source.published,
            source.file or "—",
            "\n".join(source.events),
        )
    _console().print(table)


@app.command()
def disputes(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every point on which the sources disagree, each side with its sources."""
    with _reported_errors():
        result = list_disputes(_contents(db))
    if as_json:
        _print_json(result)
        return
    table = Table(title="Disputes", show_lines=True)
    for column in ("Event", "About", "Claims"):
        table.add_column(column, overflow="fold")
    for dispute in result.disputes:
        claims = "\n".join(
            f"{c.party or '?'}: {c.says}"
            + (f" [{c.date}]" if c.date else "")
            + f" ({', '.join(c.sources)})"
            for c in dispute.claims
        )
        table.add_row(dispute.event, dispute.about, claims)
    _console().print(table)


@app.command()
def why(
    channel: Annotated[str, typer.Argument(help="Channel slug.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Default: today.")] = None,
    known_at: KnownAtOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The cited events that make a channel's state on a date."""
    with _reported_errors():
        day = _date("--as-of", as_of) or date.today()
        known = _date("--known-at", known_at)
        contents = _contents(db)
        _check_channel(contents, channel)
        result = explain(contents, channel, day, known)
    if as_json:
        _print_json(result)
        return
    console = _console()
    state_ = result.state
    console.print(
        f"{channel} as of {day}: {state_.status.value} ({state_.certainty}), "
        f"staff cap {_cap(state_)}",
        markup=False,
    )
    for event in result.events:
        console.print(f"\n{event.date}  {event.type}  {event.id}", markup=False, style="bold")
        for citation in event.citations:
            console.print(
                f"  {citation.source} ({citation.outlet or 'outlet not named'}, "
                f"{citation.published}): “{citation.quote}”",
                markup=False,
            )


@app.command(name="import")
def import_(
    files: Annotated[list[Path] | None, typer.Argument(help="YAML or JSON import files.")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Import the bundled dataset.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import files atomically: all of them or nothing; re-importing adds nothing."""
    # The bundled files come first: they declare the channels that the user's files may use.
    paths = (bundled_paths() if bundled else []) + list(files or [])
    if not paths:
        raise _fail("give one or more FILE arguments, or --bundled")
    with _reported_errors():
        for path in paths:
            _refuse_special_file(path)
        loaded = [load_file(path) for path in paths]
        location, is_default = configured_location(db)
        if is_default:
            _ledger(db)  # the default ledger starts with the bundled data, whatever comes first
        _, report = _import_into(location, loaded)
    summary = {
        "added": dict(report.added),
        "unchanged": dict(report.unchanged),
        "attempts": report.attempts,
    }
    if as_json:
        _print_json(summary)
        return
    added = ", ".join(f"{n} {k}" for k, n in report.added.items()) or "nothing"
    unchanged = ", ".join(f"{n} {k}" for k, n in report.unchanged.items()) or "nothing"
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
    with _reported_errors():
        if articles is not None and not articles.is_dir():
            raise ChanceryError(f"--articles: '{articles}' is not a folder")
        result = verify_ledger(_ledger(db), articles)
    if as_json:
        _print_json({"ok": result.ok, "counts": result.counts, "problems": result.problems})
    else:
        counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
        typer.echo(f"{'ok' if result.ok else 'PROBLEMS FOUND'}: {counts}")
        for problem in result.problems:
            typer.echo(f"problem: {problem}", err=True)
    if not result.ok:
        raise typer.Exit(code=1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an import file (for editor validation of YAML)."""
    _print_json(import_schema())


def main() -> None:
    """Entry point of the `chancery` script and `python -m chancery`."""
    app(prog_name="chancery")
