"""A progress bar on stderr for commands that run long (large imports, a first catch-up).

Shown only on a terminal, and only once the command has run for about a second: a quick
import prints nothing, and a pipe or a log file never receives the bar's control sequences.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

DELAY_SECONDS = 1.0


class StderrProgress:
    """Called as (stage, done, total) by the ledger and the read model; draws one bar a stage."""

    def __init__(self, *, delay: float = DELAY_SECONDS, enabled: bool | None = None) -> None:
        self.started = time.monotonic()
        self.delay = delay
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.bar: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < self.delay:
            return
        if self.bar is None:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def __enter__(self) -> StderrProgress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.stop()
