"""The `chancery` command: a thin adapter over the application layer (`application/`).

Each command parses its arguments, calls one use case of `chancery.Ledger`, and renders the
result: typer for the arguments, rich for the tables, `--json` for machines. Errors Chancery
anticipates become one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from chancery.application import names
from chancery.application.ledger import DEFAULT_HITS
from chancery.domain.errors import ArgumentError
from chancery.reports import EXPORT_FORMATS
from chancery.terminal.arguments import completions, one_channel
from chancery.terminal.failures import USAGE_EXIT, parser_failure
from chancery.terminal.failures import fail as _fail
from chancery.terminal.failures import opened_ledger as _ledger
from chancery.terminal.failures import reported_errors as _reported_errors
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
    """The parser's errors (unknown command or option, missing argument) as one line on
    stderr (`failures.parser_failure`), whatever the user typed shown escaped: click would
    echo it raw, so an escape sequence in an option name would reach the terminal."""

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
            context = getattr(exc, "ctx", None)
            path = context.command_path if isinstance(exc, UsageError) and context else None
            given = sys.argv[1:] if args is None else list(args)
            # ClickException is found at run time (typer does not export it), so the checker
            # knows it only as an Exception; it has what `ParserError` asks for.
            parser_failure(exc, given, path)  # type: ignore[arg-type]
        except typer.Abort:
            _fail("aborted")
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


def _completing(
    found: Callable[[str | None], list[str]],
) -> Callable[[typer.Context, str], list[str]]:
    """A completion of the names `found` reads from the ledger the command line names so far
    (its --db, else CHANCERY_DB, else the default ledger)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        return completions(lambda: found(ctx.params.get("db")), incomplete)

    return complete


_CHANNELS = _completing(names.channel_slugs)


def _party_code(metavar: str, help_text: str) -> Any:
    """A party-code argument, completed with the ledger's parties' codes, then every code."""
    every = _completing(lambda db: names.party_codes(db) + names.every_party_code())
    return typer.Argument(metavar=metavar, help=help_text, autocompletion=every)


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
ChannelOption = Annotated[
    str | None,
    typer.Option("--channel", help="Only this channel (its slug).", autocompletion=_CHANNELS),
]
ChannelArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[CHANNEL]",
        help="The channel's slug: the older form of --channel.",
        show_default=False,
        autocompletion=_CHANNELS,
    ),
]
OneChannelOption = Annotated[
    str | None,
    typer.Option(
        "--channel",
        help="The channel's slug, e.g. russia-mission-to-nato.",
        autocompletion=_CHANNELS,
        show_default=False,
    ),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write to this file instead of stdout (- is stdout).")
]


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
    channel: ChannelOption = None,
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
def series(
    start: Annotated[
        str,
        typer.Option(
            "--from", help="First day of the range (YYYY, YYYY-MM or YYYY-MM-DD: its first day)."
        ),
    ],
    end: Annotated[
        str,
        typer.Option("--to", help="Last day of the range (a partial date: its last day)."),
    ],
    every: Annotated[
        str,
        typer.Option(
            "--every",
            help="day, or week, month or year: the last day of each that ends in the range.",
        ),
    ] = "month",
    channels: Annotated[
        list[str] | None,
        typer.Option(
            "--channel",
            help="Only this channel (repeat for several). Default: all.",
            autocompletion=_CHANNELS,
        ),
    ] = None,
    known_at: KnownAtOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print CSV (the table's columns) on stdout.")
    ] = False,
) -> None:
    """Each channel's state at every step of a date range, as `state` says it on each date."""
    from chancery.terminal.output import print_whole

    if as_json and as_csv:
        raise UsageError("--json and --csv: choose one")
    with _ledger(db) as ledger:
        head, read = ledger.series_channels(start, end, every, channels or (), known_at)
        if as_json:
            print_json_list("channels", read, head=head, by_alias=True)
        elif as_csv:
            from chancery.reports.series import series_csv

            print_whole(series_csv(read))
        else:
            from chancery.terminal.sheet import render
            from chancery.terminal.views import series_sheets

            for channel in read:
                for sheet in series_sheets(head, channel):
                    render(sheet)


@app.command()
def history(
    positional: ChannelArgument = None,
    channel: OneChannelOption = None,
    known_at: KnownAtOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every change on one channel, in valid-time order, with certainty and sources."""
    from chancery.terminal.sheet import render
    from chancery.terminal.views import history_sheet

    with _ledger(db) as ledger:
        result = ledger.history(one_channel(positional, channel), known_at)
    if as_json:
        print_json(result)
        return
    render(history_sheet(result))


@app.command()
def events(
    channel: ChannelOption = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Events overlapping this date or later.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Events overlapping this date or earlier.")
    ] = None,
    known_at: KnownAtOption = None,
    action_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="Only this action type: its name or words ('meeting held').",
            autocompletion=_completing(lambda _: names.action_types()),
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            help="Only events by this party (slug or code).",
            autocompletion=_completing(names.party_codes),
        ),
    ] = None,
    party: Annotated[
        str | None,
        typer.Option(
            "--party",
            help="Only events with this party as actor or target (slug or code).",
            autocompletion=_completing(names.party_codes),
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only events citing this source (its id).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Recorded events in valid-time order, with their citations."""
    from chancery.terminal.sheet import render
    from chancery.terminal.views import events_sheet, paged_sheets

    with _ledger(db) as ledger:
        pages = ledger.event_pages(
            channel,
            start,
            end,
            known_at,
            action_type=action_type,
            actor=actor,
            party=party,
            source=source,
        )
        if as_json:
            print_json_list("events", (event for page in pages for event in page))
        else:
            for sheet in paged_sheets(pages, events_sheet, "events"):
                render(sheet)


@app.command()
def search(
    words: Annotated[
        list[str], typer.Argument(help="The words to find: every hit holds each of them.")
    ],
    known_at: KnownAtOption = None,
    channel: ChannelOption = None,
    limit: Annotated[int, typer.Option("--limit", help="The most hits to give.")] = DEFAULT_HITS,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find the quotes, outlets and event notes that hold some words, best match first."""
    from chancery.terminal.search import search_lines
    from chancery.terminal.sheet import render_lines

    with _ledger(db) as ledger:
        result = ledger.search(" ".join(words), known_at=known_at, channel=channel, limit=limit)
    if as_json:
        print_json(result)
        return
    render_lines(list(search_lines(result)))


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
    positional: ChannelArgument = None,
    channel: OneChannelOption = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Default: today.")] = None,
    known_at: KnownAtOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The cited events that make a channel's state on a date."""
    from chancery.terminal.sheet import render_lines
    from chancery.terminal.views import why_lines

    with _ledger(db) as ledger:
        result = ledger.why(one_channel(positional, channel), as_of, known_at)
    if as_json:
        print_json(result)
        return
    render_lines(list(why_lines(result)))


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
    channel: ChannelOption = None,
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
            raise ArgumentError(
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
        typer.Option(
            "--channel",
            help="A channel to draw (repeat for several). Default: all.",
            autocompletion=_CHANNELS,
        ),
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
            raise ArgumentError(
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
        _fail("give one or more FILE arguments, or --bundled", USAGE_EXIT)
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
def log(
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the N newest entries.")
    ] = None,
    ids: Annotated[
        bool, typer.Option("--ids", help="Also list the id of everything each import added.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The imports, newest first: when, who, which files (SHA-256), what each added."""
    from chancery.terminal.sheet import render
    from chancery.terminal.views import import_log_sheet

    with _ledger(db) as ledger:
        result = ledger.import_log(limit, ids=ids)
    if as_json:
        print_json(result)
        return
    render(import_log_sheet(result))


@app.command()
def retract(
    number: Annotated[
        int, typer.Option("--import", min=1, help="The import number `chancery log` gives.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why it is withdrawn (recorded).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Withdraw every event an import added, in one step: retractions giving the reason."""
    from chancery.terminal.output import retraction_summary

    with _ledger(db) as ledger:
        entry = ledger.retract_import(number, reason)
    if as_json:
        print_json(entry)
        return
    typer.echo(retraction_summary(entry))


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
    from chancery.projections.words import plural

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
    type_name: Annotated[
        str,
        typer.Argument(
            metavar="TYPE",
            help="An action type.",
            autocompletion=_completing(lambda _: names.action_types()),
        ),
    ],
) -> None:
    """Print a commented template of one action type, with every field, to fill in."""
    from chancery.domain.templates import action_template

    with _reported_errors():
        sys.stdout.write(action_template(type_name))


@app.command()
def dyad(
    first: Annotated[str, _party_code("A", "A party's code: GB, RU, NATO.")],
    second: Annotated[str, _party_code("B", "The other party's code.")],
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
