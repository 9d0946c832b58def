"""The `chancery` command: typer for the arguments, rich for the tables, `--json` for machines."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from chancery.domain.dataset import LoadedFile, did_you_mean, import_schema, load_file
from chancery.domain.dates import parse_query_date
from chancery.domain.errors import ChanceryError, InvalidRecordError
from chancery.domain.ledger import ImportReport, Ledger, LedgerContents
from chancery.domain.store import (
    configured_location,
    is_sqlite,
    open_ledger,
    remove_new_sqlite_ledger,
    sqlite_path,
)
from chancery.domain.templates import action_template
from chancery.domain.verification import verify as verify_ledger
from chancery.extraction.service import extract_report
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
        raise _fail(str(exc)) from None
    except PersistenceError as exc:  # the database failed under us: lost server, full disk
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise _fail(f"the ledger's database failed: {detail}") from None


def _date(option: str, text: str | None, *, first_day: bool = False) -> date | None:
    if text is None:
        return None
    try:
        return parse_query_date(text, first_day=first_day)
    except ValueError as exc:
        raise ChanceryError(f"{option}: {exc}") from None


def _import_into(location: str, loaded: list[LoadedFile]) -> tuple[Ledger, ImportReport]:
    """Import into the ledger at `location`; a SQLite ledger file that this import created is
    removed again if the import fails, so that a refused first import leaves nothing behind."""
    path = sqlite_path(location) if is_sqlite(location) else None
    new_file = path if path is not None and not path.exists() else None
    try:
        ledger = open_ledger(location, create=True)
        return ledger, ledger.import_files(loaded)
    except ChanceryError:
        if new_file is not None:
            remove_new_sqlite_ledger(new_file)
        raise


def _ledger(db: str | None, *, create: bool = False) -> Ledger:
    """Open the ledger; the default one is created and filled with the bundled data once."""
    location, is_default = configured_location(db)
    if is_default and not Path(location).exists():
        ledger, report = _import_into(location, [load_file(path) for path in bundled_paths()])
        typer.echo(
            f"chancery: created the default ledger at {location} and imported the bundled "
            f"NATO–Russia dataset ({report.added['events']} events).",
            err=True,
        )
        return ledger
    return open_ledger(location, create=create)


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


def _recorded_declarations(location: str) -> LedgerContents | None:
    """The ledger's declarations before an import, or None for a new or unreadable ledger
    (the import itself reports what is wrong with it)."""
    path = sqlite_path(location) if is_sqlite(location) else None
    if path is not None and not path.exists():
        return None
    try:
        return open_ledger(location, create=False).contents()
    except (ChanceryError, PersistenceError):
        return None


def _keep_recorded_aliases(file: LoadedFile, recorded: LedgerContents | None) -> LoadedFile:
    """A file that declares a recorded party or channel again without `aliases` or
    `triggers` (optional lists) keeps the recorded ones, so that a file written before the
    bundled declarations had aliases, or one that copies only the required fields, still
    matches them; a declaration that gives other aliases is still refused as a change."""
    if recorded is None:
        return file
    data = file.dataset

    def keep(record: Any, stored: Any) -> Any:
        if stored is None:
            return record
        update = {
            name: getattr(stored, name)
            for name in ("aliases", "triggers")
            if hasattr(record, name) and not getattr(record, name) and getattr(stored, name)
        }
        return record.model_copy(update=update) if update else record

    parties = [keep(p, recorded.parties.get(p.slug)) for p in data.parties]
    channels = [keep(c, recorded.channels.get(c.slug)) for c in data.channels]
    if parties == data.parties and channels == data.channels:
        return file
    return replace(file, dataset=data.model_copy(update={"parties": parties, "channels": channels}))


def _declared(recorded: LedgerContents | None, loaded: list[LoadedFile]) -> dict[str, set[str]]:
    """Channel and party slugs the ledger and the files declare, for did-you-mean hints."""
    known: dict[str, set[str]] = {"channel": set(), "party": set()}
    if recorded is not None:
        known["channel"].update(recorded.channels)
        known["party"].update(recorded.parties)
    for file in loaded:
        known["channel"].update(c.slug for c in file.dataset.channels)
        known["party"].update(p.slug for p in file.dataset.parties)
    return known


def _unknown_name_hint(message: str, known: dict[str, set[str]]) -> str:
    """The nearest declared slug for an unknown channel or party, or the advice to import the
    bundled declarations into an empty ledger."""
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


@app.command(name="import")
def import_(
    files: Annotated[list[Path] | None, typer.Argument(help="YAML or JSON import files.")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Import the bundled dataset.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import files atomically: all of them or nothing; re-importing adds nothing."""
    paths = list(files or []) + (bundled_paths() if bundled else [])
    if not paths:
        raise _fail("give one or more FILE arguments, or --bundled")
    with _reported_errors():
        loaded = [load_file(path) for path in paths]
        location, is_default = configured_location(db)
        if is_default:
            _ledger(db)  # the default ledger starts with the bundled data, whatever comes first
        recorded = _recorded_declarations(location)
        loaded = [_keep_recorded_aliases(file, recorded) for file in loaded]
        known = _declared(recorded, loaded)
        try:
            _, report = _import_into(location, loaded)
        except InvalidRecordError as exc:
            raise InvalidRecordError(str(exc) + _unknown_name_hint(str(exc), known)) from None
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
    with _reported_errors():
        contents = _contents(db)
        result = extract_report(
            article,
            published,
            channels=contents.channels,
            parties=contents.parties,
            recorded=contents.all_actions(),
            sources=contents.sources,
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
    with _reported_errors():
        sys.stdout.write(action_template(type_name))


@app.command()
def schema() -> None:
    """Print the JSON Schema of an import file (for editor validation of YAML)."""
    _print_json(import_schema())


def main() -> None:
    """Entry point of the `chancery` script and `python -m chancery`."""
    app(prog_name="chancery")
