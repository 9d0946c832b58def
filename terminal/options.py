"""The command line's shared parts that belong to its parser (typer): the option and argument
types every command spells the same way, what the shell completes for them, and the parser's
own errors as one line.

This is the one module of `terminal/` that knows typer: the rest renders, and would serve
another front end as it is. What the grammar means apart from the parser (one channel named
two ways, a bounded completion) is in `terminal/arguments.py`; how a command fails, in
`terminal/failures.py`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from chancery.application import names
from chancery.terminal.arguments import completions
from chancery.terminal.failures import fail, parser_failure
from typer.core import TyperGroup

_CLICK_ERRORS = {c.__name__: c for c in typer.BadParameter.__mro__}
"""typer 0.26 vendors click and exports only some of its exceptions: their bases are found
from the one it exports."""
ClickException: type[Exception] = _CLICK_ERRORS["ClickException"]
UsageError: type[Exception] = _CLICK_ERRORS["UsageError"]


class OneLineErrors(TyperGroup):
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
            fail("aborted")
        sys.exit(result if isinstance(result, int) else 0)


def _print_version(value: bool) -> None:
    """`--version`: print it and stop, before any command runs."""
    if value:
        from importlib import metadata

        typer.echo(f"chancery {metadata.version('chancery')}")
        raise typer.Exit()


VersionOption = Annotated[
    bool,
    typer.Option(
        "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
]


def _completing(
    found: Callable[[str | None], list[str]],
) -> Callable[[typer.Context, str], list[str]]:
    """A completion of the names `found` reads from the ledger the command line names so far
    (its --db, else CHANCERY_DB, else the default ledger)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        return completions(lambda: found(ctx.params.get("db")), incomplete)

    return complete


CHANNELS = _completing(names.channel_slugs)
"""Completes a channel slug the ledger declares."""
PARTY_CODES = _completing(names.party_codes)
"""Completes a party code the ledger declares."""
EVERY_PARTY_CODE = _completing(lambda db: names.party_codes(db) + names.every_party_code())
"""Completes a party code: the ledger's parties' codes, and every code a party may have."""
ACTION_TYPES = _completing(lambda _: names.action_types())
"""Completes an action type."""

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
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="YYYY, YYYY-MM or YYYY-MM-DD; a partial date means its last day. Default: today.",
    ),
]
KnownAtOption = Annotated[
    str | None,
    typer.Option("--known-at", help="Only use what had been reported by this date."),
]
FromOption = Annotated[
    str | None, typer.Option("--from", help="From this date (a partial date: its first day).")
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="Up to this date (a partial date: its last day).")
]
ChannelOption = Annotated[
    str | None,
    typer.Option("--channel", help="Only this channel (its slug).", autocompletion=CHANNELS),
]
ChannelsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--channel",
        help="Only this channel (repeat for several). Default: all.",
        autocompletion=CHANNELS,
    ),
]
OneChannelOption = Annotated[
    str | None,
    typer.Option(
        "--channel",
        help="The channel's slug, e.g. russia-mission-to-nato.",
        autocompletion=CHANNELS,
    ),
]
ChannelArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[CHANNEL]",
        help="The channel's slug: the older form of --channel.",
        show_default=False,
        autocompletion=CHANNELS,
    ),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write to this file instead of stdout (- is stdout).")
]


ActionTypeArgument = Annotated[
    str, typer.Argument(metavar="TYPE", help="An action type.", autocompletion=ACTION_TYPES)
]
ActionTypeOption = Annotated[
    str | None,
    typer.Option(
        "--type",
        help="Only this action type: its name or words ('meeting held').",
        autocompletion=ACTION_TYPES,
    ),
]
ActorOption = Annotated[
    str | None,
    typer.Option(
        "--actor", help="Only events by this party (slug or code).", autocompletion=PARTY_CODES
    ),
]
PartyOption = Annotated[
    str | None,
    typer.Option(
        "--party",
        help="Only events with this party as actor or target (slug or code).",
        autocompletion=PARTY_CODES,
    ),
]
SourceOption = Annotated[
    str | None, typer.Option("--source", help="Only events citing this source (its id).")
]
FirstPartyArgument = Annotated[
    str,
    typer.Argument(
        metavar="A", help="A party's code: GB, RU, NATO.", autocompletion=EVERY_PARTY_CODE
    ),
]
SecondPartyArgument = Annotated[
    str,
    typer.Argument(metavar="B", help="The other party's code.", autocompletion=EVERY_PARTY_CODE),
]
