"""How a command ends when something is wrong: one paragraph on stderr, the exit status the
kind of problem calls for, never a traceback.

- A usage error (a bad date, an unknown channel, option or format: what the user typed
  cannot mean anything) exits 2, as the argument parser's own errors do.
- Any other error Chancery anticipates (a file it cannot import, a ledger it cannot open, a
  database failing under it) exits 1.

Nothing here knows the argument parser: the command line hands its errors over by what they
carry (a message, an exit code, the command's path), so the rules are the same for both.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn, Protocol

from chancery.domain.errors import (
    ArgumentError,
    ChanceryError,
    classify_database_error,
    database_errors,
    redact_text,
)
from chancery.terminal.safe import clean

if TYPE_CHECKING:
    from chancery.application.ledger import Ledger

USAGE_EXIT = 2
"""The exit status of a usage error, the argument parser's own."""
FAILURE_EXIT = 1
"""The exit status of any other anticipated failure."""

DIFF_KNOWN_HINT = (
    "--known-at takes a date: compare two dates of knowledge with "
    "`chancery diff --axis known K1 K2 [--as-of D]`, or two dates in the world as known at K "
    "with `chancery diff D1 D2 --known-at K`"
)
"""Advice for the old on/off form of `diff --known-at`, shown with the parser's error."""


class ParserError(Protocol):
    """What the argument parser's errors carry (click's `ClickException` and `UsageError`)."""

    exit_code: int

    def format_message(self) -> str: ...


def fail(message: str, code: int = FAILURE_EXIT) -> NoReturn:
    """Print `chancery: error: MESSAGE` on stderr, on one line whatever the message quotes
    (shown, never obeyed), and end the command with `code`."""
    sys.stderr.write(f"chancery: error: {clean(message, single_line=True)}\n")
    raise SystemExit(code)


def parser_failure(error: ParserError, given: list[str], command_path: str | None) -> NoReturn:
    """The parser's error (unknown command or option, missing argument) as one line, pointing
    at the command's help; its own exit status. An error without a message is the help the
    parser printed for a bare command: nothing more is said and the exit is clean."""
    message = error.format_message().strip()
    if not message or message.startswith("Usage:"):
        sys.stderr.write(message + "\n" if message else "")
        raise SystemExit(0)
    hint = f" (see '{command_path} --help')" if command_path else ""
    if "diff" in given and "--known-at" in given:
        hint = f" ({DIFF_KNOWN_HINT})"
    fail(message + hint, error.exit_code)


def exit_code_of(error: ChanceryError) -> int:
    """2 for what the user typed (a usage error), 1 for anything else."""
    return USAGE_EXIT if isinstance(error, ArgumentError) else FAILURE_EXIT


@contextmanager
def reported_errors() -> Iterator[None]:
    """Every error Chancery anticipates as one paragraph on stderr and its exit status."""
    try:
        yield
    except ChanceryError as exc:
        fail(redact_text(str(exc)), exit_code_of(exc))
    except database_errors() as exc:
        # The database failed under us: a lost server, a full disk, a lock held too long.
        problem = classify_database_error(exc)
        message = str(problem) if problem else f"the ledger's database failed: {exc}"
        fail(redact_text(" ".join(message.split())))


@contextmanager
def opened_ledger(location: str | None) -> Iterator[Ledger]:
    """The ledger a command works on, closed (and so checkpointed) when its work is done,
    whatever happened; errors reported as `reported_errors` does. Says so on stderr when it
    created the default ledger."""
    from chancery.application.ledger import Ledger

    with reported_errors():
        ledger = Ledger.open(location)
        try:
            yield ledger
        finally:
            ledger.close()
            if ledger.created is not None:
                sys.stderr.write(
                    f"chancery: created the default ledger at {ledger.created.location} and "
                    "imported the bundled NATO–Russia dataset "
                    f"({ledger.created.events} events).\n"
                )
