"""The `chancery` command: a thin adapter over the application layer (`application/`).

Each command parses its arguments, calls one use case of `chancery.Ledger`, and renders the
result: typer for the arguments, rich for the tables, `--json` for machines. Errors Chancery
anticipates become one line on stderr and a non-zero exit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from chancery.application.ledger import DEFAULT_HITS
from chancery.reports import EXPORT_FORMATS, chart_format, export_format
from chancery.terminal.arguments import one_channel
from chancery.terminal.failures import USAGE_EXIT
from chancery.terminal.failures import fail as _fail
from chancery.terminal.failures import opened_ledger as _ledger
from chancery.terminal.failures import reported_errors as _reported_errors
from chancery.terminal.options import (
    ActionTypeArgument,
    ActionTypeOption,
    ActorOption,
    AsOfOption,
    ChannelArgument,
    ChannelOption,
    ChannelsOption,
    DbOption,
    FirstPartyArgument,
    FromOption,
    JsonOption,
    KnownAtOption,
    OneChannelOption,
    OneLineErrors,
    OutOption,
    PartyOption,
    SecondPartyArgument,
    SourceOption,
    ToOption,
    VersionOption,
)
from chancery.terminal.output import (
    print_document,
    print_dry_run,
    print_event_document,
    print_import,
    print_import_file,
    print_json,
    print_json_form,
    print_json_list,
    print_verification,
    print_wrote,
    printable_streams,
    retraction_summary,
)

app = typer.Typer(
    cls=OneLineErrors,
    help="Chancery: what was the state of each diplomatic channel on a date, and who says so.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(version: VersionOption = False) -> None:
    """Chancery: what was the state of each diplomatic channel on a date, and who says so."""


@app.command()
def state(
    as_of: AsOfOption = None,
    known_at: KnownAtOption = None,
    channel: ChannelOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """State of every channel on a date, with certainty, staff caps and pending invitations."""
    with _ledger(db) as ledger:
        report = ledger.state_data(as_of, known_at, channel)
    if as_json:
        return print_json_form(report)
    from chancery.terminal import sheet, views

    sheet.render(views.state_sheet(report))


@app.command()
def series(
    start: FromOption = None,
    end: ToOption = None,
    every: Annotated[
        str,
        typer.Option(
            "--every",
            help="day, or week, month or year: the last day of each that ends in the range.",
        ),
    ] = "month",
    channels: ChannelsOption = None,
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
        _fail("--json and --csv: choose one", USAGE_EXIT)
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
    with _ledger(db) as ledger:
        result = ledger.history(one_channel(positional, channel), known_at)
    if as_json:
        return print_json(result)
    from chancery.terminal import sheet, views

    sheet.render(views.history_sheet(result))


@app.command()
def events(
    channel: ChannelOption = None,
    start: FromOption = None,
    end: ToOption = None,
    known_at: KnownAtOption = None,
    action_type: ActionTypeOption = None,
    actor: ActorOption = None,
    party: PartyOption = None,
    source: SourceOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Recorded events overlapping the dates, in valid-time order, with their citations."""
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
            return print_json_list("events", (event for page in pages for event in page))
        from chancery.terminal.views import events_sheet, render_pages

        render_pages(pages, events_sheet, "events")


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
    with _ledger(db) as ledger:
        result = ledger.search(" ".join(words), known_at=known_at, channel=channel, limit=limit)
    if as_json:
        return print_json(result)
    from chancery.terminal import search, sheet

    sheet.render_lines(list(search.search_lines(result)))


@app.command()
def sources(
    known_at: KnownAtOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """The sources, with the events each supports."""
    with _ledger(db) as ledger:
        pages = ledger.source_pages(known_at)
        if as_json:
            return print_json_list("sources", (source for page in pages for source in page))
        from chancery.terminal.views import render_pages, sources_sheet

        render_pages(pages, sources_sheet, "sources")


@app.command()
def disputes(
    known_at: KnownAtOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Every point on which the sources disagree, each side with its sources."""
    with _ledger(db) as ledger:
        result = ledger.disputes(known_at)
    if as_json:
        return print_json(result)
    from chancery.terminal import sheet, views

    sheet.render(views.disputes_sheet(result))


@app.command()
def why(
    positional: ChannelArgument = None,
    channel: OneChannelOption = None,
    as_of: AsOfOption = None,
    known_at: KnownAtOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The cited events that make a channel's state on a date."""
    with _ledger(db) as ledger:
        result = ledger.why(one_channel(positional, channel), as_of, known_at)
    if as_json:
        return print_json(result)
    from chancery.terminal import sheet, views

    sheet.render_lines(list(views.why_lines(result)))


@app.command()
def diff(
    first: Annotated[str, typer.Argument(help="The earlier date (YYYY, YYYY-MM or YYYY-MM-DD).")],
    second: Annotated[str, typer.Argument(help="The later date.")],
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
    with _ledger(db) as ledger:
        result = ledger.diff(
            first, second, axis=axis, known_at=known_at, as_of=as_of, channel=channel
        )
    if as_json:
        return print_json(result, by_alias=True)
    from chancery.terminal import sheet, views

    sheet.render(views.diff_sheet(result))


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
        chosen = export_format(format_)
        ledger.output(out or Path("-")).write(ledger.export(chosen))


@app.command()
def timeline(
    out: Annotated[
        Path, typer.Option("--out", help="The chart file: FILE.png or FILE.svg (- is stdout).")
    ],
    channels: ChannelsOption = None,
    start: FromOption = None,
    end: ToOption = None,
    known_at: KnownAtOption = None,
    format_: Annotated[
        str | None,
        typer.Option("--format", help="png or svg. Default: the --out file's ending."),
    ] = None,
    db: DbOption = None,
) -> None:
    """A chart of every channel's status, staff cap and events over time (PNG or SVG)."""
    with _ledger(db) as ledger:
        chosen = chart_format(out, format_)
        target = ledger.output(out)
        target.write(ledger.timeline(chosen, channels or (), start, end, known_at))
    print_wrote(target)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write (- is stdout).")],
    as_of: AsOfOption = None,
    known_at: KnownAtOption = None,
    db: DbOption = None,
) -> None:
    """One self-contained HTML file: state at any date, timeline, histories, sources, disputes."""
    with _ledger(db) as ledger:
        target = ledger.output(out)
        target.write(ledger.report_html(as_of, known_at))
    print_wrote(target)


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
    from chancery.terminal.progress import StderrProgress

    if not files and not bundled:
        _fail("give one or more FILE arguments, or --bundled", USAGE_EXIT)
    with _ledger(db) as ledger, StderrProgress() as progress:
        if dry_run:
            return print_dry_run(ledger.plan_import(files or [], bundled=bundled), as_json)
        report = ledger.import_files(files or [], bundled=bundled, progress=progress)
    print_import(report, as_json)


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
    with _ledger(db) as ledger:
        result = ledger.import_log(limit, ids=ids)
    if as_json:
        return print_json(result)
    from chancery.terminal import sheet, views

    sheet.render(views.import_log_sheet(result))


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
    with _ledger(db) as ledger:
        entry = ledger.retract_import(number, reason)
    if as_json:
        return print_json(entry)
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
    with _ledger(db) as ledger:
        result = ledger.verify(articles)
    print_verification(result, as_json)
    if not result.ok:
        raise typer.Exit(code=1)


@app.command()
def reindex(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Rebuild the read model from the events (after an upgrade, or when verify asks for it)."""
    from chancery.projections.words import plural

    with _ledger(db) as ledger:
        channels = ledger.reindex()
    if as_json:
        return print_json({"channels": channels})
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
        return print_json(result)
    print_document(result)


@app.command()
def new(
    type_name: ActionTypeArgument,
    as_json: JsonOption = False,
) -> None:
    """Print a commented template of one action type, with every field, to fill in (--json:
    the same import file in JSON, without the comments)."""
    from chancery.domain.templates import action_template

    with _reported_errors():
        print_import_file(action_template(type_name), as_json)


@app.command()
def dyad(
    first: FirstPartyArgument,
    second: SecondPartyArgument,
    as_json: JsonOption = False,
) -> None:
    """Print a commented import file of a pair: both parties by code, their embassies (or a
    state's mission to an organisation), their relations and a dialogue channel, and
    consulates to fill in. It imports as it stands (--json: the same file in JSON)."""
    from chancery.domain.dyad import dyad_file

    with _reported_errors():
        print_import_file(dyad_file(first, second), as_json)


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
    with _ledger(db) as ledger:
        document = ledger.event_document(event_id)
    print_event_document(event_id, document, as_json)


@app.command()
def schema(
    as_json: Annotated[
        bool, typer.Option("--json", help="Accepted: it always prints JSON.")
    ] = False,
) -> None:
    """Print the JSON Schema of an import file (for editor validation of YAML)."""
    from chancery.importing.dataset import import_schema

    print_json(import_schema())


def main() -> None:
    """Entry point of the `chancery` script and `python -m chancery`."""
    printable_streams()
    app(prog_name="chancery")
