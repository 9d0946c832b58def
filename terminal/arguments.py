"""The command line's grammar, apart from the parser: how a channel is named, and what the
shell completes.

A channel is named by `--channel SLUG` in every command; the commands that took it as their
first argument before still do, and the two forms must agree.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from chancery.domain.errors import ArgumentError

COMPLETION_SECONDS = 2.0
"""The longest a completion waits for the ledger (a PostgreSQL server that does not answer):
after that the shell offers nothing rather than hang the user's tab key."""


def one_channel(argument: str | None, option: str | None) -> str:
    """The channel a command is about, given as `--channel` or in the older positional form."""
    if argument is not None and option is not None and argument != option:
        raise ArgumentError(
            f"two channels named: '{argument}' and --channel '{option}'; give one (--channel)"
        )
    channel = option if option is not None else argument
    if channel is None:
        raise ArgumentError("name a channel: --channel SLUG (`chancery state` lists them)")
    return channel


def completions(names: Callable[[], list[str]], incomplete: str) -> list[str]:
    """The names that start with what the user typed so far. Whatever goes wrong (no ledger,
    a locked or unreachable one, a broken file) offers nothing: a completion never prints an
    error or waits on the ledger longer than `COMPLETION_SECONDS`."""
    found: list[str] = []

    def look_up() -> None:
        try:
            found.extend(names())
        except Exception:  # a completion offers nothing rather than fail
            found.clear()

    worker = threading.Thread(target=look_up, daemon=True)
    worker.start()
    worker.join(COMPLETION_SECONDS)
    if worker.is_alive():
        return []
    return [name for name in dict.fromkeys(found) if name.startswith(incomplete)]
