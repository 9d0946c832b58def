"""The extraction test corpus (`benchmarks/corpus/SET/`), read into plain records.

A set is a folder holding `declarations.yaml` (an import file of the set's parties and
channels, nothing else), reports of the project's own writing (`NNN-slug.txt`) and
`gold.yaml`, which says for each report its publication date, its outlet and every action it
reports as done (see `corpus/gb-ru/gold.yaml` for the conventions). The scorer and
`tests/integration/test_corpus.py` both read the sets through this module, so that what a gold entry
means is written once. A gold file that breaks the format is refused with the file, the text
and the field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent / "corpus"
NUMBERED = ("count", "from_cap", "to_cap")
EVENT_KEYS = frozenset({"type", "channel", "actor", "target", "date", "day_given", *NUMBERED})
TEXT_KEYS = frozenset({"published", "outlet", "events"})


class CorpusError(ValueError):
    """A corpus file that does not follow the format; the message names file and field."""


@dataclass(frozen=True)
class GoldEvent:
    """One action a report gives as done, as the gold file states it."""

    type: str
    channel: str
    actor: str
    target: str | None
    edtf: str
    earliest: date
    latest: date
    day_given: bool
    count: int | None = None
    from_cap: int | None = None
    to_cap: int | None = None
    where: str = ""
    """Where the entry is written ("gb-ru/gold.yaml: 001-wire.txt, event 2"), for messages."""


@dataclass(frozen=True)
class Text:
    """One report of a set, with its gold."""

    path: Path
    published: str
    """EDTF: a day, or an interval for an undated report."""
    outlet: str | None
    events: tuple[GoldEvent, ...]


@dataclass(frozen=True)
class CorpusSet:
    name: str
    folder: Path
    declarations: Path
    bundled: bool
    """True when the set reads against the bundled data too (its channels are declared there)."""
    texts: tuple[Text, ...]


def bounds(edtf: str) -> tuple[date, date]:
    """The earliest and latest day of an EDTF date, by the domain's own reading."""
    from chancery.domain.dates import parse_edtf_bounds

    lo, hi, _, _ = parse_edtf_bounds(edtf)
    return lo, hi


def _number(value: Any, where: str, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CorpusError(f"{where}: '{key}' must be a whole number, not {value!r}")
    return value


def _event(raw: Any, where: str) -> GoldEvent:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: an event is a mapping of {', '.join(sorted(EVENT_KEYS))}")
    unknown = sorted(set(raw) - EVENT_KEYS)
    if unknown:
        raise CorpusError(f"{where}: unknown field(s) {', '.join(unknown)}")
    for key in ("type", "channel", "actor", "date"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise CorpusError(f"{where}: '{key}' is required (text)")
    if not isinstance(raw.get("day_given"), bool):
        raise CorpusError(f"{where}: 'day_given' is required (true or false)")
    if raw.get("target") is not None and not isinstance(raw["target"], str):
        raise CorpusError(f"{where}: 'target' is a party (text) or absent")
    try:
        lo, hi = bounds(raw["date"])
    except ValueError as exc:
        raise CorpusError(f"{where}: 'date': {exc}") from None
    return GoldEvent(
        type=raw["type"],
        channel=raw["channel"],
        actor=raw["actor"],
        target=raw.get("target"),
        edtf=raw["date"],
        earliest=lo,
        latest=hi,
        day_given=raw["day_given"],
        where=where,
        **{key: _number(raw.get(key), where, key) for key in NUMBERED},
    )


def _text(folder: Path, name: str, raw: Any, where: str) -> Text:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: a text's entry is a mapping of published, outlet, events")
    unknown = sorted(set(raw) - TEXT_KEYS)
    if unknown:
        raise CorpusError(f"{where}: unknown field(s) {', '.join(unknown)}")
    path = folder / name
    if not path.is_file():
        raise CorpusError(f"{where}: there is no file {name} in {folder}")
    published = raw.get("published")
    if not isinstance(published, str):
        raise CorpusError(f"{where}: 'published' is required, a quoted EDTF date")
    try:
        bounds(published)
    except ValueError as exc:
        raise CorpusError(f"{where}: 'published': {exc}") from None
    outlet = raw.get("outlet")
    if outlet is not None and not isinstance(outlet, str):
        raise CorpusError(f"{where}: 'outlet' is a name or null")
    events = raw.get("events")
    if not isinstance(events, list):
        raise CorpusError(f"{where}: 'events' is required, a list (empty when none)")
    return Text(
        path=path,
        published=published,
        outlet=outlet,
        events=tuple(_event(e, f"{where}, event {i}") for i, e in enumerate(events, 1)),
    )


def load_set(folder: Path) -> CorpusSet:
    """Read one set folder; raises CorpusError naming the file and field at fault."""
    gold_path = folder / "gold.yaml"
    declarations = folder / "declarations.yaml"
    for needed in (gold_path, declarations):
        if not needed.is_file():
            raise CorpusError(f"{folder.name}: {needed.name} is missing")
    try:
        raw = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CorpusError(f"{gold_path}: not YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("texts"), dict):
        raise CorpusError(f"{gold_path}: 'texts' is required, a mapping of file name to entry")
    unknown = sorted(set(raw) - {"texts", "bundled"})
    if unknown:
        raise CorpusError(f"{gold_path}: unknown field(s) {', '.join(unknown)}")
    bundled = raw.get("bundled", False)
    if not isinstance(bundled, bool):
        raise CorpusError(f"{gold_path}: 'bundled' is true or false")
    texts = tuple(
        _text(folder, name, entry, f"{folder.name}/gold.yaml: {name}")
        for name, entry in sorted(raw["texts"].items())
    )
    listed = {t.path.name for t in texts}
    unlisted = sorted(p.name for p in folder.glob("*.txt") if p.name not in listed)
    if unlisted:
        raise CorpusError(f"{gold_path}: no entry for {', '.join(unlisted)}")
    return CorpusSet(folder.name, folder, declarations, bundled, texts)


def set_folders(root: Path = CORPUS) -> list[Path]:
    """Every set folder under the corpus root, by name."""
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "gold.yaml").exists())
