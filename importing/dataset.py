"""The import format, and reading it from YAML or JSON with errors that name file, line and field.

One file may declare parties, channels and sources and record events; the bundled dataset is
such a file and is validated by exactly these models.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
from collections import Counter
from collections.abc import Collection, Hashable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import yaml
from chancery.domain.actions import (
    ACTION_TYPES,
    AMENDMENT_TYPES,
    IMPORT,
    Action,
    Amendment,
    Correction,
    LedgerEntry,
    check_action_parties,
    check_citation_dates,
)
from chancery.domain.errors import InvalidRecordError, did_you_mean, echo
from chancery.domain.parties import Channel, Party
from chancery.domain.sources import Source
from chancery.importing.files import ReadPolicy, Refusal, read_text
from pydantic import BaseModel, ConfigDict, Field, ValidationError

FORMAT_VERSION: Final = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are not read whole: a regular file above it is streamed record by record
(`streaming.py`), a pipe is refused (at most this many bytes plus one are
ever read from it)."""
MAX_NODES = 1_000_000
"""Values (mappings, lists and scalars) one file may expand to, every use of a YAML alias
counting the whole value it names: the bundled dataset has about 1 600, a 20 MB file written
out in full fewer than a million. Bounds the memory of alias amplification ("billion laughs")."""
MAX_NESTING = 64
"""Import records nest a few levels deep (the bundled dataset: 7). Measured on the parser's
events (YAML, aliases expanded) or on the JSON tokens, never by counting brackets in text."""
MAX_NUMBER_DIGITS = 20
"""Longer numbers are refused before conversion (no count in a ledger has more digits)."""
STDIN_IDLE_SECONDS = 30.0
"""A pipe that sends nothing for this long is refused instead of waited on forever."""

SECTIONS = ("parties", "channels", "sources", "events")
_NOT_IMPORTABLE = "{name}: is {kind}, not an import file; give a YAML or JSON file (or a pipe)"
_LARGER = "larger than the {limit} bytes an import file may have; split it into several files"
IMPORT_WORDING: dict[Refusal, str] = {
    Refusal.MISSING: "{name}: no such file",
    Refusal.DENIED: "{name}: permission denied",
    Refusal.DIRECTORY: "{name}: is a directory, not an import file",
    Refusal.NOT_OPENED: "{name}: cannot be opened ({reason})",
    Refusal.DEVICE: _NOT_IMPORTABLE.replace("{kind}", "a device"),
    Refusal.NOT_A_FILE: _NOT_IMPORTABLE.replace("{kind}", "not a file"),
    Refusal.TOO_LARGE: "{name}: {size} bytes is " + _LARGER,
    Refusal.GREW: "{name}: " + _LARGER,
    Refusal.IDLE: (
        "{name}: the pipe sent nothing for {seconds:.0f} seconds and did not end; "
        "refused rather than waited on"
    ),
    Refusal.NOT_READ: "{name}: cannot be read ({reason})",
    Refusal.NOT_UTF8: "{name}: not UTF-8 text (byte {offset} is {byte}); save the file as UTF-8",
}
"""How a refused import file is named (its path as given, then what is wrong)."""


if TYPE_CHECKING:  # libyaml's loader has the pure-Python one's constructor methods
    _Loader = yaml.SafeLoader
else:
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class BoundedLoader(_Loader):
    """PyYAML's safe loader (libyaml's when installed: ten times faster), with dates as text.

    The stock loader builds `date` objects itself and fails on 2021-02-30 with an error that
    names no field; as text, pydantic validates the date and the message names the record.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Refuse duplicate keys (PyYAML would silently keep the last value), merge keys and
        keys that are not plain values."""
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "YAML merge keys ('<<') are not supported: write the keys out "
                    "(an alias of a whole value, such as '*name', is allowed)",
                    key_node.start_mark,
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "a mapping key must be a plain word, not a list or a mapping",
                    key_node.start_mark,
                )
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key '{echo(key)}' (each key may appear once)",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """Refuse numbers longer than any count Chancery records, before converting them."""
        if len(str(node.value)) > MAX_NUMBER_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, _too_many_digits(len(str(node.value))), node.start_mark
            )
        return super().construct_yaml_int(node)


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)
BoundedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Dataset(BaseModel):
    """An import file: declarations and events, each list optional."""

    model_config = ConfigDict(extra="forbid", title="Chancery import file")

    chancery: Literal[1] = Field(
        default=FORMAT_VERSION, description="Import format version (currently 1)"
    )
    parties: list[Party] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    events: list[LedgerEntry] = Field(default_factory=list)


def import_schema() -> dict[str, Any]:
    """JSON Schema of an import file, for editors that validate YAML while typing."""
    return Dataset.model_json_schema()


@dataclass(frozen=True)
class Record:
    """One validated record, and where it is in its file."""

    section: str
    index: int
    line: int | None
    model: Any
    """The record's model (a Party, Channel, Source or entry)."""

    @property
    def entry(self) -> Action | Amendment:
        """The model of an `events` record: what that section's adapter validates."""
        assert isinstance(self.model, Action | Amendment)
        return self.model

    def where(self, name: str) -> str:
        place = f"{name}: {self.section}[{self.index}]"
        return f"{place} (line {self.line})" if self.line else place


@dataclass(frozen=True)
class LoadedFile:
    """A validated import file, with what is needed to point back into it in error messages."""

    name: str
    dataset: Dataset
    lines: dict[tuple[str, int], int]
    sha256: str = ""
    """The SHA-256 digest of the file's bytes (the import log names files by it)."""

    def where(self, section: str, index: int) -> str:
        return Record(section, index, self.lines.get((section, index)), None).where(self.name)

    def records(self, sections: Collection[str]) -> Iterator[Record]:
        """The file's records of `sections`, section by section: an import plans a file read
        whole as it plans one read as a stream (`streaming.StreamedFile`)."""
        for section in SECTIONS:
            if section in sections:
                for index, model in enumerate(getattr(self.dataset, section)):
                    yield Record(section, index, self.lines.get((section, index)), model)


def _yaml_line_map(root: yaml.Node | None) -> dict[tuple[str, int], int]:
    """The line of every record (PyYAML keeps marks only on nodes, not on loaded values)."""
    lines: dict[tuple[str, int], int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.SequenceNode):
                for index, item in enumerate(value.value):
                    lines[(key.value, index)] = item.start_mark.line + 1
    return lines


def _node_line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest YAML node on a pydantic error location."""
    node, line = root, None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(
                (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part),
                None,
            )
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            match = node.value[part] if part < len(node.value) else None
        else:
            match = None
        if match is None:
            continue  # pydantic adds union tags such as 'staff_cap_changed' to locations
        node, line = match, match.start_mark.line + 1
    return line


def describe(
    name: str,
    raw: Any,
    root: yaml.Node | None,
    error: ValidationError,
    prefix: tuple[str | int, ...] = (),
) -> str:
    """The problems of a validation error, each with its record, line and field; `prefix` is
    the location of what was validated in the file (a streamed record: section and index)."""
    problems = []
    for item in error.errors(include_url=False, include_input=False)[:10]:
        loc = (*prefix, *item["loc"])
        where = name
        if len(loc) >= 2 and loc[0] in SECTIONS and isinstance(loc[1], int):
            section, index = loc[0], loc[1]
            where += f": {section}[{index}]"
            try:
                record_id = raw[section][index].get("id") or raw[section][index].get("slug")
            except (AttributeError, LookupError, TypeError):
                record_id = None
            if record_id:
                where += f" (id '{echo(record_id)}')"
        line = _node_line(root, loc)
        if line:
            where += f", line {line}"
        in_record = len(loc) >= 2 and loc[0] in SECTIONS
        field = ".".join(
            str(part)
            for index, part in enumerate(loc)
            if index >= (2 if in_record else 0) and not _is_tag_at(loc, index)
        )
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] in ("union_tag_not_found", "union_tag_invalid"):
            field = f"{field}.type" if field else "type"
            if item["type"] == "union_tag_not_found":
                message = "missing: every event needs a type"
            message = f"{message} (event types: {', '.join(sorted(ENTRY_TYPES))})"
        label = f"field '{field}'" if field else "record"
        message += _hint(item, raw, loc)
        problems.append(f"{where}: {label}: {message}")
    more = error.error_count() - len(problems)
    if more > 0:
        problems.append(f"... and {more} more problem(s)")
    return "; ".join(problems)


ENTRY_TYPES = frozenset(ACTION_TYPES) | frozenset(AMENDMENT_TYPES)


def _hint(item: Any, raw: Any, loc: tuple[Any, ...]) -> str:
    """A did-you-mean for a pydantic error: a misspelt field, or a slug with capitals."""
    if item["type"] == "extra_forbidden" and loc:
        record = raw
        for part in loc[:-1]:
            if _is_union_tag(part):
                continue
            try:
                record = record[part]
            except (LookupError, TypeError):
                return ""
        type_name = record.get("type") if isinstance(record, dict) else None
        model = ACTION_TYPES.get(type_name) if isinstance(type_name, str) else None
        if model is None:
            return ""
        return did_you_mean(str(loc[-1]), model.model_fields)
    value = _value_at(raw, loc)
    if item["type"] == "string_pattern_mismatch" and isinstance(value, str) and len(value) < 200:
        slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        return f" (did you mean '{slug}'?)" if slug and slug != value else ""
    return ""


def _value_at(raw: Any, loc: tuple[Any, ...]) -> Any:
    """The value a validation error points at, found in the raw document (errors are listed
    without their input, which may be huge or hostile)."""
    for part in loc:
        if _is_union_tag(part):
            continue
        try:
            raw = raw[part]
        except (LookupError, TypeError):
            return None
    return raw


def _is_tag_at(loc: tuple[Any, ...], index: int) -> bool:
    """Whether `loc[index]` is the union tag pydantic adds after a record or a correction's
    replacement (`events.3.staff_cap_changed.to_cap`), not a key that happens to be spelt as
    an action type (`triggers.meeting_held.0`)."""
    before = loc[index - 1] if index else None
    return _is_union_tag(loc[index]) and (isinstance(before, int) or before == "replacement")


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and part in ENTRY_TYPES


def _too_many_digits(digits: int) -> str:
    return f"a number with {digits} digits (at most {MAX_NUMBER_DIGITS} are accepted)"


def too_deep(name: str, line: int | None = None) -> InvalidRecordError:
    place = f"line {line}: " if line else ""
    return InvalidRecordError(
        f"{name}: {place}nested more than {MAX_NESTING} levels deep; an import file holds "
        "flat lists of records"
    )


def too_many_nodes(name: str, line: int | None = None) -> InvalidRecordError:
    place = f" (reached at line {line})" if line else ""
    return InvalidRecordError(
        f"{name}: expands to more than {MAX_NODES} values{place}, every use of a YAML alias "
        "counting the whole value it names; split the file, or write the records out instead "
        "of repeating them through aliases"
    )


def _scan_yaml(name: str, text: str) -> None:
    """Measure nesting depth and expanded size on the parser's event stream, before any node is
    built: libyaml's composer recurses in C and crashes the process on deep input, and aliases
    can multiply a small file into millions of records.

    Each alias counts the expanded size of the value it names; an alias used inside the value
    its anchor names (a recursive structure) is refused.
    """
    # Per open collection: [expanded size, deepest child (levels below it), anchor].
    stack: list[list[Any]] = []
    sizes: dict[str, tuple[int, int]] = {}
    total = 0
    for event in yaml.parse(text, Loader=BoundedLoader):
        if isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
            if isinstance(event, yaml.AliasEvent):
                if any(frame[2] == event.anchor for frame in stack):
                    raise InvalidRecordError(
                        f"{name}: line {_event_line(event)}: the alias '*{event.anchor}' "
                        "is used inside the value its anchor names (a structure that contains "
                        "itself)"
                    )
                size, depth = sizes.get(event.anchor or "", (1, 0))
            else:
                size, depth = 1, 0
                if event.anchor:
                    sizes[event.anchor] = (1, 0)
            total += size
            if len(stack) + depth > MAX_NESTING:
                raise too_deep(name, _event_line(event))
            if stack:
                stack[-1][0] += size
                stack[-1][1] = max(stack[-1][1], depth)
        elif isinstance(event, yaml.CollectionStartEvent):
            total += 1
            stack.append([1, 0, event.anchor])
            if len(stack) > MAX_NESTING:
                raise too_deep(name, _event_line(event))
        elif isinstance(event, yaml.CollectionEndEvent):
            size, below, anchor = stack.pop()
            if anchor:
                sizes[anchor] = (size, below + 1)
            if stack:
                stack[-1][0] += size
                stack[-1][1] = max(stack[-1][1], below + 1)
        if total > MAX_NODES:
            raise too_many_nodes(name, _event_line(event))


def _event_line(event: yaml.Event) -> int:
    """The line (from 1) an event of the parser starts on: the parser marks every event."""
    assert event.start_mark is not None
    return event.start_mark.line + 1


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def check_json_nesting(name: str, text: str) -> None:
    """Measure the nesting of JSON arrays and objects, skipping brackets inside strings."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise too_deep(name, text.count("\n", 0, match.start()) + 1)
        elif token in "]}":
            depth -= 1


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    counts = Counter(key for key, _ in pairs)  # linear: a mapping may have a million keys
    duplicated = sorted(key for key, seen in counts.items() if seen > 1)
    shown = ", ".join(echo(key) for key in duplicated[:5]) + (" ..." if duplicated[5:] else "")
    raise ValueError(f"duplicate key(s) {shown} (each key may appear once)")


def json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(_too_many_digits(len(text.lstrip("-"))))
    return int(text)


def json_constant(text: str) -> Any:
    raise ValueError(f"{text} is not a JSON number (JSON has no NaN or Infinity)")


def check_values(name: str, raw: Any, json_text: str | None = None) -> None:
    """Walk the loaded values once: count them, and refuse text Python cannot even write out
    (lone UTF-16 surrogates, which JSON's \\ud800 escapes produce) before it reaches a model.
    Given the JSON text they were read from, also measure their nesting (a deeper one is then
    found in the text, to say on which line).

    A value's path (`events[3].citations`) is spelt out only for an error: each node keeps its
    parent and key instead, which halves the walk.
    """
    # (value, its parent's entry, its key or index in the parent, its depth)
    todo: list[tuple[Any, Any, Any, int]] = [(raw, None, None, 0)]
    count = 0
    while todo:
        entry = todo.pop()
        value, _, _, depth = entry
        count += 1
        if count > MAX_NODES:
            raise too_many_nodes(name)
        if isinstance(value, dict | list) and json_text is not None and depth >= MAX_NESTING:
            check_json_nesting(name, json_text)  # raises, naming the line
            raise too_deep(name)
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    parent = _path(entry)
                    shown = f"{parent}.{key}" if parent else str(key)
                    raise InvalidRecordError(
                        f"{name}: key '{shown}': keys must be text, not {type(key).__name__}"
                    )
                _check_text(name, entry, key)
                todo.append((item, entry, key, depth + 1))
        elif isinstance(value, list):
            todo.extend((item, entry, index, depth + 1) for index, item in enumerate(value))
        elif isinstance(value, str):
            _check_text(name, entry, value)


def _path(entry: tuple[Any, Any, Any, int]) -> str:
    """A walked value's path in the document, as `check_values` keeps it."""
    parts: list[Any] = []
    while entry is not None and entry[1] is not None:
        parts.append(entry[2])
        entry = entry[1]
    path = ""
    for part in reversed(parts):
        path = f"{path}[{part}]" if isinstance(part, int) else (f"{path}.{part}" if path else part)
    return path


def _check_text(name: str, entry: tuple[Any, Any, Any, int], text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        path = _path(entry)
        where = f"field '{path}'" if path else "the file"
        raise InvalidRecordError(
            f"{name}: {where}: character {exc.start + 1} is a lone UTF-16 surrogate "
            f"({ord(text[exc.start]):#06x}), not a character; write the character itself"
        ) from None


def parse_text(name: str, text: str, *, is_json: bool) -> LoadedFile:
    """Parse and validate one file's text; raise InvalidRecordError naming what is wrong.

    Nothing here opens the ledger: a file is refused whole before anything is written.
    """
    root: yaml.Node | None = None
    lines: dict[tuple[str, int], int] = {}
    text = text.removeprefix("\ufeff")  # a byte-order mark, in YAML and JSON alike
    try:
        if is_json:
            try:
                raw = json.loads(
                    text,
                    object_pairs_hook=no_duplicate_keys,
                    parse_int=json_int,
                    parse_constant=json_constant,
                )
            except RecursionError:  # far deeper than allowed: say where it went too deep
                check_json_nesting(name, text)
                raise too_deep(name) from None
            check_values(name, raw, text)  # nesting first, as it was measured on the text
        else:
            _scan_yaml(name, text)
            loader = BoundedLoader(text)
            try:
                root = loader.get_single_node()
                raw = loader.construct_document(root) if root is not None else None
            finally:
                loader.dispose()
            lines = _yaml_line_map(root)
    except json.JSONDecodeError as exc:
        raise InvalidRecordError(
            f"{name}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    except ValueError as exc:  # a duplicate JSON key, a huge number, NaN
        raise InvalidRecordError(f"{name}: not valid import JSON: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidRecordError(f"{name}: {place}not valid YAML ({reason})") from None
    if raw is None:
        raise InvalidRecordError(f"{name}: the file is empty; expected parties/channels/events")
    if not isinstance(raw, dict):
        raise InvalidRecordError(
            f"{name}: the top level must be a mapping with keys {', '.join(SECTIONS)}, "
            f"not a {type(raw).__name__}"
        )
    unknown = [key for key in raw if key not in ("chancery", *SECTIONS)]
    if unknown:
        shown = ", ".join(f"'{echo(key)}'" for key in unknown[:5]) + (" ..." if unknown[5:] else "")
        raise InvalidRecordError(
            f"{name}: unknown top-level key(s) {shown} ({len(unknown)} in all); an import file "
            f"has only chancery, {', '.join(SECTIONS)}"
        )
    if not is_json:
        check_values(name, raw)
    try:
        dataset = Dataset.model_validate(raw, context=IMPORT)
    except ValidationError as exc:
        raise InvalidRecordError(describe(name, raw, root, exc)) from None
    loaded = LoadedFile(name=name, dataset=dataset, lines=lines)
    check_within_file(loaded)
    return loaded


def check_within_file(loaded: LoadedFile) -> None:
    """The cross-record rules a file can be checked against on its own: an event on a channel,
    or citing a source, declared in the same file. The ledger applies the same functions to
    channels and sources it already holds."""
    data = loaded.dataset
    channels = {channel.slug: channel for channel in data.channels}
    sources = {source.id: source for source in data.sources}
    parties = {party.slug for party in data.parties}
    for index, entry in enumerate(data.events):
        where = loaded.where("events", index)
        action = entry.replacement if isinstance(entry, Correction) else entry
        prefix = "replacement." if isinstance(entry, Correction) else ""
        if not isinstance(action, Action):
            continue  # a retraction
        declared = action.actor in parties and action.target in (None, *parties)
        if action.channel in channels and declared:
            # An undeclared party is reported by the ledger as unknown, which says more.
            check_action_parties(action, channels[action.channel], where, prefix)
        check_citation_dates(action, sources, where, prefix)


def _import_policy() -> ReadPolicy:
    """Import files of at most MAX_FILE_BYTES, from a regular file or a pipe (`/dev/stdin`)
    that must end, and send something at least every STDIN_IDLE_SECONDS (both read when a
    file is read, so that a test may lower them)."""
    return ReadPolicy(
        limit=MAX_FILE_BYTES,
        wording=IMPORT_WORDING,
        error=InvalidRecordError,
        pipe_idle_seconds=STDIN_IDLE_SECONDS,
    )


def streams(paths: list[Path]) -> bool:
    """Whether an import of `paths` is too large to read whole: its regular files come to more
    than MAX_FILE_BYTES together (one large file, or many smaller ones: three 12 MB files read
    whole took 841 MiB). Then every file of it is imported as a stream, and the import holds a
    batch of records, whatever the number and size of its files."""
    total = 0
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue  # load_file says what is wrong with it
        if stat.S_ISREG(info.st_mode):
            total += info.st_size
    return total > MAX_FILE_BYTES


def load_file(path: Path) -> LoadedFile:
    """Read one import file (YAML, or JSON by its .json suffix)."""
    name = str(path)
    data, text = read_text(path, name, _import_policy())
    loaded = parse_text(name, text, is_json=path.suffix.lower() == ".json")
    return replace(loaded, sha256=hashlib.sha256(data).hexdigest())
