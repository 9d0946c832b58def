"""The `chancery` command: a thin adapter over the application layer (`application/`).

Each command parses its arguments, calls one use case of `chancery.Ledger`, and renders the
result: typer for the arguments, rich for the tables, `--json` for machines. Errors Chancery
anticipates become one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from chancery.application.ledger import Ledger
from chancery.domain.errors import (
    ChanceryError,
    classify_database_error,
    database_errors,
    redact_text,
)
from chancery.reports import EXPORT_FORMATS
from chancery.terminal.output import (
    print_json,
    print_json_form,
    print_json_list,
    printable_streams,
)
from chancery.terminal.safe import clean
from typer.core import TyperGroup

if TYPE_CHECKING:
    from chancery.reports.files import Output

_CLICK_ERRORS = {c.__name__: c for c in typer.BadParameter.__mro__}
"""typer 0.26 vendors click and exports only some of its exceptions: their bases are found
from the one it exports."""
ClickException: type[Exception] = _CLICK_ERRORS["ClickException"]
UsageError: type[Exception] = _CLICK_ERRORS["UsageError"]


class _OneLineErrors(TyperGroup):
    """Usage errors (unknown command or option, missing argument) as one line on stderr, with
    whatever the user typed shown escaped: click would echo it raw, so an escape sequence in
    an option name would reach the terminal."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        passed = {"windows_expand_args": windows_expand_args, **extra}
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **passed)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **passed)
        except ClickException as exc:
            hint = ""
            context = getattr(exc, "ctx", None)
            if isinstance(exc, UsageError) and context is not None:
                hint = f" (see '{context.command_path} --help')"
            given = sys.argv[1:] if args is None else list(args)
            if isinstance(exc, UsageError) and "diff" in given and "--known-at" in given:
                hint = f" ({DIFF_KNOWN_HINT})"  # the old on/off form of diff --known-at
            # ClickException is found at run time (typer does not export it), so the checker
            # knows it only as an Exception: format_message and exit_code are click's.
            message = clean(exc.format_message() + hint, single_line=True)  # type: ignore[attr-defined]
            typer.echo(f"chancery: error: {message}", err=True)
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]  # click's, as above
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


def _fail(message: str) -> typer.Exit:
    """One paragraph on stderr; whatever the message quotes is shown, never obeyed."""
    typer.echo(f"chancery: error: {clean(message, single_line=True)}", err=True)
    return typer.Exit(code=1)


@contextmanager
def _reported_errors() -> Iterator[None]:
    """Turn every error Chancery anticipates into one line on stderr and exit status 1."""
    try:
        yield
    except ChanceryError as exc:
        raise _fail(redact_text(str(exc))) from None
    except database_errors() as exc:
        # The database failed under us: a lost server, a full disk, a lock held too long.
        problem = classify_database_error(exc)
        message = str(problem) if problem else f"the ledger's database failed: {exc}"
        raise _fail(redact_text(" ".join(message.split()))) from None


@contextmanager
def _ledger(db: str | None) -> Iterator[Ledger]:
    """The ledger a command works on, closed (and so checkpointed) when its work is done,
    whatever happened; errors reported as one line. Says so when it created the default
    ledger."""
    with _reported_errors():
        ledger = Ledger.open(db)
        try:
            yield ledger
        finally:
            ledger.close()
            if ledger.created is not None:
                typer.echo(
                    f"chancery: created the default ledger at {ledger.created.location} and "
                    "imported the bundled NATO–Russia dataset "
                    f"({ledger.created.events} events).",
                    err=True,
                )


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
    with _ledger(db) as ledger:
        report = ledger.state_data(as_of, known_at, channel)
    if as_json:
        print_json_form(report)
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
    from chancery.terminal.sheet import render
    from chancery.terminal.views import history_sheet

    with _ledger(db) as ledger:
        result = ledger.history(channel, known_at)
    if as_json:
        print_json(result)
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
    from chancery.terminal.sheet import render
    from chancery.terminal.views import events_sheet, paged_sheets

    with _ledger(db) as ledger:
        pages = ledger.event_pages(channel, start, end, known_at)
        if as_json:
            print_json_list("events", (event for page in pages for event in page))
        else:
            for sheet in paged_sheets(pages, events_sheet, "events"):
                render(sheet)


@app.command()
def sources(
    known_at: KnownAtOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """The sources, with the events each supports."""
    from chancery.terminal.sheet import render
    from chancery.terminal.views import paged_sheets, sources_sheet

    with _ledger(db) as ledger:
        pages = ledger.source_pages(known_at)
        if as_json:
            print_json_list("sources", (source for page in pages for source in page))
        else:
            for sheet in paged_sheets(pages, sources_sheet, "sources"):
                render(sheet)


@app.command()
def disputes(
    known_at: KnownAtOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Every point on which the sources disagree, each side with its sources."""
    from chancery.terminal.sheet import render
    from chancery.terminal.views import disputes_sheet

    with _ledger(db) as ledger:
        result = ledger.disputes(known_at)
    if as_json:
        print_json(result)
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
    from chancery.terminal.sheet import render_lines
    from chancery.terminal.views import why_lines

    with _ledger(db) as ledger:
        result = ledger.why(channel, as_of, known_at)
    if as_json:
        print_json(result)
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
    from chancery.terminal.sheet import render
    from chancery.terminal.views import diff_sheet

    if axis not in ("valid", "known"):
        raise typer.BadParameter(f"'{axis}' is not one of: valid, known", param_hint="--axis")
    if second is None or (known_at is not None and not known_at[:1].isdigit()):
        # The old form, `diff --known-at K1 K2`, where --known-at was an on/off switch.
        raise UsageError(
            "diff --known-at takes a date" if known_at is not None else "Missing argument 'SECOND'."
        )
    with _ledger(db) as ledger:
        result = ledger.diff(
            first, second, axis=axis, known_at=known_at, as_of=as_of, channel=channel
        )
    if as_json:
        print_json(result, by_alias=True)
    else:
        render(diff_sheet(result))


OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write to this file instead of stdout (- is stdout).")
]


def _wrote(target: Output) -> None:
    if target.path is not None:
        typer.echo(f"chancery: wrote {clean(target.shown, single_line=True)}", err=True)


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
    with _ledger(db) as ledger:
        if format_ not in EXPORT_FORMATS:
            raise ChanceryError(
                f"--format: unknown format '{format_}' (choose {', '.join(EXPORT_FORMATS)})"
            )
        target = ledger.output(out or Path("-"))
        target.write(ledger.export(format_))


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
    from chancery.reports.timeline import output_format

    with _ledger(db) as ledger:
        fmt = (format_ or output_format(out)).lower()
        if fmt not in ("png", "svg"):
            raise ChanceryError(
                f"--format: '{format_}' is not png or svg"
                if format_
                else f"--out: '{out}' must end in .png or .svg (or give --format)"
            )
        target = ledger.output(out)
        target.write(ledger.timeline(fmt, channels or (), start, end, known_at))
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
    with _ledger(db) as ledger:
        target = ledger.output(out)
        target.write(ledger.report_html(as_of, known_at))
    _wrote(target)


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
    from chancery.terminal.output import dry_run_lines, import_summary
    from chancery.terminal.progress import StderrProgress

    if not files and not bundled:
        raise _fail("give one or more FILE arguments, or --bundled")
    with _ledger(db) as ledger, StderrProgress() as progress:
        if dry_run:
            plan = ledger.plan_import(files or [], bundled=bundled)
        else:
            report = ledger.import_files(files or [], bundled=bundled, progress=progress)
    if dry_run:
        if as_json:
            print_json(plan)
        else:
            typer.echo("\n".join(dry_run_lines(plan)))
        return
    if as_json:
        print_json(
            {
                "added": dict(report.added),
                "unchanged": dict(report.unchanged),
                "attempts": report.attempts,
            }
        )
        return
    typer.echo(import_summary(report.added, report.unchanged))


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
    from chancery.terminal.output import counted

    with _ledger(db) as ledger:
        result = ledger.verify(articles)
    if as_json:
        print_json({"ok": result.ok, "counts": result.counts, "problems": result.problems})
    else:
        typer.echo(f"{'ok' if result.ok else 'PROBLEMS FOUND'}: {counted(result.counts)}")
        for problem in result.problems:
            typer.echo(f"problem: {clean(problem, single_line=True)}", err=True)
    if not result.ok:
        raise typer.Exit(code=1)


@app.command()
def reindex(db: DbOption = None) -> None:
    """Rebuild the read model from the events (after an upgrade, or when verify asks for it)."""
    from chancery.terminal.words import plural

    with _ledger(db) as ledger:
        channels = ledger.reindex()
    typer.echo(f"rebuilt the read model of {plural(channels, 'channel')}")


@app.command()
def extract(
    articles: Annotated[
        list[Path],
        typer.Argument(
            metavar="ARTICLE...",
            help="Plain-text news articles: one draft, each action they report once.",
        ),
    ],
    published: Annotated[
        list[str],
        typer.Option(
            "--published",
            help="Publication date YYYY-MM-DD, or an interval YYYY-MM-DD/YYYY-MM-DD if "
            "undated: once for all the articles, or once per article in their order.",
        ),
    ],
    source_id: Annotated[
        list[str] | None,
        typer.Option("--source-id", help="Source id, once per article (default: file, date)."),
    ] = None,
    outlet: Annotated[
        list[str] | None,
        typer.Option("--outlet", help="The outlet's name: once, or once per article."),
    ] = None,
    url: Annotated[
        list[str] | None, typer.Option("--url", help="The article's URL, once per article.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Propose the actions articles report, as one draft import file to review."""
    with _ledger(db) as ledger:
        result = ledger.extract(
            articles,
            published,
            source_id=source_id or None,
            outlet=outlet or None,
            url=url or None,
            as_json=as_json,
        )
    if isinstance(result, dict):
        print_json(result)
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


SHOW_HEADER = (
    "# '{event}' as the ledger now reads it.\n"
    "# To amend it, give the entry a new id and a type: refinement (refines:),\n"
    "# corroboration (corroborates:), dispute (disputes:) or correction (corrects:,\n"
    "# with the whole event as `replacement`).\n"
)


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

    with _ledger(db) as ledger:
        document = ledger.event_document(event_id)
    if as_json:
        print_json(document)
        return
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    sys.stdout.write(SHOW_HEADER.format(event=event_id) + text)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an import file (for editor validation of YAML)."""
    from chancery.importing.dataset import import_schema

    print_json(import_schema())


def main() -> None:
    """Entry point of the `chancery` script and `python -m chancery`."""
    printable_streams()
    app(prog_name="chancery")
