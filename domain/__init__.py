"""Chancery's domain: what a reported diplomatic action is, and the rules its timeline obeys.

Knows nothing of projections, typer or rich: everything here is usable from any front end.
"""

import os

# eventsourcing resolves TZINFO_TOPIC when it is first imported: it imports whatever module the
# variable names, and a bad value ends every command in a traceback before Chancery runs.
# Chancery stamps the time an event was written in UTC, always, so the setting is dropped here,
# before any module of this package imports eventsourcing.
os.environ.pop("TZINFO_TOPIC", None)
