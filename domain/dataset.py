"""The import format, and reading it from YAML or JSON with errors that name file, line and field.

One file may declare parties, channels and sources and record events; the bundled dataset is
such a file and is validated by exactly these models.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from chancery.domain.actions import ACTION_TYPES, AMENDMENT_TYPES, LedgerEntry
from chancery.domain.errors import InvalidRecordError
from chancery.domain.parties import Channel, Party
from chancery.domain.sources import Source
from pydantic import BaseModel, ConfigDict, Field, ValidationError

FORMAT_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are refused before parsing: a ledger import is a set of reports, not a dump."""

SECTIONS = ("parties", "channels", "sources", "events")


class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's when installed: ten times faster), with dates as text.

    The stock loader builds `date` objects itself and fails on 2021-02-30 with an error that
    names no field; as text, pydantic validates the date and the message names the record.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Refuse duplicate keys: PyYAML would silently keep the last value."""
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key '{key}' (each key may appear once)",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


_SafeLoader.yaml_implicit_resolvers = {
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
class LoadedFile:
    """A validated import file, with what is needed to point back into it in error messages."""

    name: str
    dataset: Dataset
    lines: dict[tuple[str, int], int]

    def where(self, section: str, index: int) -> str:
        line = self.lines.get((section, index))
        place = f"{self.name}: {section}[{index}]"
        return f"{place} (line {line})" if line else place


def _yaml_line_map(text: str) -> tuple[yaml.Node | None, dict[tuple[str, int], int]]:
    """Compose the YAML once more to learn the line of every record (PyYAML keeps marks only
    on nodes, not on loaded values)."""
    root = yaml.compose(text, Loader=_SafeLoader)
    lines: dict[tuple[str, int], int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(value, yaml.SequenceNode):
                for index, item in enumerate(value.value):
                    lines[(key.value, index)] = item.start_mark.line + 1
    return root, lines


def _node_line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest YAML node on a pydantic error location."""
    node, line = root, None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            match = node.value[part] if part < len(node.value) else None
        else:
            match = None
        if match is None:
            continue  # pydantic adds union tags such as 'staff_cap_changed' to locations
        node, line = match, match.start_mark.line + 1
    return line


def _describe(name: str, raw: Any, root: yaml.Node | None, error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:10]:
        loc = item["loc"]
        where = name
        if len(loc) >= 2 and loc[0] in SECTIONS and isinstance(loc[1], int):
            section, index = loc[0], loc[1]
            where += f": {section}[{index}]"
            try:
                record_id = raw[section][index].get("id") or raw[section][index].get("slug")
            except (AttributeError, LookupError, TypeError):
                record_id = None
            if record_id:
                where += f" (id '{record_id}')"
        line = _node_line(root, loc)
        if line:
            where += f", line {line}"
        in_record = len(loc) >= 2 and loc[0] in SECTIONS
        parts = loc[2:] if in_record else loc
        field = ".".join(str(part) for part in parts if not _is_union_tag(part))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] in ("union_tag_not_found", "union_tag_invalid"):
            field = f"{field}.type" if field else "type"
            if item["type"] == "union_tag_not_found":
                message = "missing: every event needs a type"
            message = f"{message} (event types: {', '.join(sorted(ENTRY_TYPES))})"
        label = f"field '{field}'" if field else "record"
        message += _hint(item, raw, loc)
        problems.append(f"{where}: {label}: {message}")
    more = len(error.errors()) - len(problems)
    if more > 0:
        problems.append(f"... and {more} more problem(s)")
    return "; ".join(problems)


ENTRY_TYPES = frozenset(ACTION_TYPES) | frozenset(AMENDMENT_TYPES)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the nearest choice, or '' when none is near: slips such as
    'NATO' for 'nato', 'to' for 'to_cap' or a misspelt channel slug."""
    options = sorted(set(choices))
    lowered = value.strip().lower()
    if lowered in options and lowered != value:
        return f" (did you mean '{lowered}'?)"
    prefixed = [o for o in options if o.startswith(lowered + "_") or o.startswith(lowered + "-")]
    close = prefixed or difflib.get_close_matches(lowered, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


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
    if item["type"] == "string_pattern_mismatch" and isinstance(item.get("input"), str):
        slug = re.sub(r"[^a-z0-9]+", "-", item["input"].lower()).strip("-")
        return f" (did you mean '{slug}'?)" if slug and slug != item["input"] else ""
    return ""


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and part in ENTRY_TYPES


MAX_NESTING = 100
"""Import records nest a few levels deep; libyaml's parser crashes the process (segmentation
fault) on tens of thousands of levels, so deeper input is refused before parsing."""


def _check_nesting(name: str, text: str) -> None:
    """Refuse absurdly deep brackets or indentation, counted without parsing."""
    depth = deepest = 0
    brackets = text.count("[") + text.count("{")
    for char in text if brackets > MAX_NESTING else "":
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    if deepest > MAX_NESTING or indent > 4 * MAX_NESTING:
        raise InvalidRecordError(
            f"{name}: nested more than {MAX_NESTING} levels deep; an import file holds flat "
            "lists of records"
        )


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    if duplicated:
        raise ValueError(f"duplicate key(s) {', '.join(duplicated)} (each key may appear once)")
    return dict(pairs)


def parse_text(name: str, text: str, *, is_json: bool) -> LoadedFile:
    """Parse and validate one file's text; raise InvalidRecordError naming what is wrong."""
    root: yaml.Node | None = None
    lines: dict[tuple[str, int], int] = {}
    _check_nesting(name, text)
    try:
        if is_json:
            raw = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        else:
            root, lines = _yaml_line_map(text)
            raw = yaml.load(text, Loader=_SafeLoader)
    except json.JSONDecodeError as exc:
        raise InvalidRecordError(
            f"{name}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    except ValueError as exc:  # a duplicate JSON key
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
    try:
        dataset = Dataset.model_validate(raw)
    except ValidationError as exc:
        raise InvalidRecordError(_describe(name, raw, root, exc)) from None
    return LoadedFile(name=name, dataset=dataset, lines=lines)


def load_file(path: Path) -> LoadedFile:
    """Read one import file (YAML, or JSON by its .json suffix)."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidRecordError(
                f"{name}: {size} bytes is larger than the {MAX_FILE_BYTES} bytes an import "
                "file may have; split it into several files"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidRecordError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InvalidRecordError(f"{name}: is a directory, not an import file") from None
    except PermissionError:
        raise InvalidRecordError(f"{name}: permission denied") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRecordError(
            f"{name}: not UTF-8 text (byte {exc.start} is {data[exc.start]:#04x}); "
            "save the file as UTF-8"
        ) from None
    return parse_text(name, text, is_json=path.suffix.lower() == ".json")
