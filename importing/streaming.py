"""Reading one import file record by record, for files too large to hold in memory.

`read_records` yields the records of the sections asked for, in file order, each one parsed,
guarded and validated on its own: memory holds one record (and one read chunk), never the file.
The rules are those of the whole-file reader (`dataset.py`): the same models, the same
nesting depth, alias and number guards, text rules and error messages naming file, record,
line and field. What changes is the scope of two limits: there is no total file size for a
regular file, and the expanded-values count (MAX_NODES) and a byte size (MAX_RECORD_BYTES)
bound each record instead of the file. What aliases expand to is the exception: anchors live
for the whole file, so their uses count against one total for the file, as when read whole.

YAML goes through libyaml's event parser (C) and PyYAML's composer one record at a time, with
the guards counted while composing; JSON through the standard library's decoder, one record
(one `raw_decode`) at a time over a sliding buffer. YAML anchors stay defined for the rest of
the file, as in the whole-file reader, so the values they name stay in memory.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import yaml
from chancery.domain.actions import ENTRY_ADAPTER, IMPORT
from chancery.domain.errors import InvalidRecordError, echo
from chancery.domain.parties import Channel, Party
from chancery.domain.sources import Source
from chancery.importing.dataset import (
    MAX_NESTING,
    MAX_NODES,
    SECTIONS,
    BoundedLoader,
    Dataset,
    Record,
    check_json_nesting,
    check_values,
    describe,
    json_constant,
    json_int,
    no_duplicate_keys,
    too_deep,
    too_many_nodes,
)
from pydantic import TypeAdapter, ValidationError

MAX_RECORD_BYTES = 8 * 1024 * 1024
"""One record of a streamed JSON file may take at most this much text (the largest valid
record, with every text at its limit, takes well under 1 MB)."""
CHUNK_CHARS = 1 << 20
"""Text read from the file at a time."""

_VALIDATORS: dict[str, Any] = {
    "parties": TypeAdapter(Party),
    "channels": TypeAdapter(Channel),
    "sources": TypeAdapter(Source),
    "events": ENTRY_ADAPTER,
}


_BLANK = re.compile(r"[ \t\r\n]*")


def read_records(path: Path, sections: Collection[str]) -> Iterator[Record]:
    """The validated records of `sections` in one file (YAML, or JSON by its suffix), in
    file order; records of other sections are parsed and guarded, then skipped."""
    name = str(path)
    try:
        with open(path, "rb") as raw:
            if path.suffix.lower() == ".json":
                yield from _JsonReader(name, codecs.getreader("utf-8")(raw)).records(sections)
            else:  # libyaml reads the bytes itself, and says where they are not UTF-8
                yield from _YamlReader(name, raw).records(sections)
    except UnicodeDecodeError as exc:
        raise InvalidRecordError(
            f"{name}: not UTF-8 text (a byte {exc.object[exc.start]:#04x}); save the file as UTF-8"
        ) from None
    except OSError as exc:
        raise InvalidRecordError(f"{name}: cannot be read ({exc.strerror})") from None


@dataclass(frozen=True)
class StreamedFile:
    """An import file read as a stream each time its records are asked for: memory holds one
    record, never the file (`read_records`)."""

    path: Path

    @property
    def name(self) -> str:
        return str(self.path)

    def records(self, sections: Collection[str]) -> Iterator[Record]:
        return read_records(self.path, sections)


def _validate(name: str, section: str, index: int, raw: Any, node: Any, line: int | None) -> Any:
    """The record as its model, or the whole-file reader's error for it."""
    check_values(name, raw)
    try:
        return _VALIDATORS[section].validate_python(raw, context=IMPORT)
    except ValidationError as exc:
        wrapped_node = None
        if node is not None:
            wrapped_node = yaml.MappingNode(
                "tag:yaml.org,2002:map",
                [(yaml.ScalarNode("tag:yaml.org,2002:str", section), _At(index, node))],
                node.start_mark,
            )
        raw_file = {section: _AtList(index, raw)}
        message = describe(name, raw_file, wrapped_node, exc, (section, index))
        raise InvalidRecordError(message) from None


class _AtList:
    """A stand-in for a section's list that holds only the record at `index`: the error
    describer looks records up by their index in the file."""

    def __init__(self, index: int, item: Any) -> None:
        self.index, self.item = index, item

    def __getitem__(self, index: int) -> Any:
        if index != self.index:
            raise IndexError(index)
        return self.item

    def __len__(self) -> int:
        return self.index + 1


class _At(yaml.SequenceNode):
    """The section's sequence node, holding only the record's node at its index."""

    def __init__(self, index: int, node: yaml.Node) -> None:
        super().__init__("tag:yaml.org,2002:seq", _AtList(index, node), node.start_mark)


def _check_header(name: str, key: Any, value: Any) -> None:
    """A top-level key other than a section: only `chancery` (the format version)."""
    if not isinstance(key, str) or key != "chancery":
        raise InvalidRecordError(
            f"{name}: unknown top-level key(s) '{echo(key)}' (1 in all); an import file has only "
            f"chancery, {', '.join(SECTIONS)}"
        )
    try:
        Dataset.model_validate({"chancery": value}, context=IMPORT)
    except ValidationError as exc:
        raise InvalidRecordError(describe(name, {"chancery": value}, None, exc)) from None


def _check_section(name: str, key: str, value: Any) -> None:
    """A section that is not a list (`events:` left empty, a mapping, a number): refused as
    the whole-file reader refuses it, by the same model."""
    try:
        Dataset.model_validate({key: value}, context=IMPORT)
    except ValidationError as exc:
        raise InvalidRecordError(describe(name, {key: value}, None, exc)) from None


class _YamlReader(BoundedLoader):
    """libyaml's events, composed into one record's nodes at a time by PyYAML's composer,
    with depth, expanded size and recursive aliases counted while composing."""

    def __init__(self, name: str, stream: IO[bytes]) -> None:
        super().__init__(stream)
        yaml.composer.Composer.__init__(self)
        self.name = name
        self._depth = 0
        self._count = 0
        self._aliased = 0
        """Values every alias of the file stands for, all records together."""
        self._deepest = 0
        self._sizes: dict[str, tuple[int, int]] = {}
        self._open: list[str | None] = []

    compose_scalar_node = yaml.composer.Composer.compose_scalar_node
    compose_sequence_node = yaml.composer.Composer.compose_sequence_node
    compose_mapping_node = yaml.composer.Composer.compose_mapping_node

    def compose_node(self, parent: Any, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise InvalidRecordError(
                    f"{self.name}: line {line}: the alias '*{event.anchor}' is used inside the "
                    "value its anchor names (a structure that contains itself)"
                )
            size, below = self._sizes.get(event.anchor or "", (1, 0))
            self._count += size
            # Anchors live for the whole file, so what aliases add is counted for the whole
            # file too: the whole-file reader's bound on amplification, however the file is cut.
            self._aliased += size
            if self._aliased > MAX_NODES:
                raise too_many_nodes(self.name, line)
            self._deepest = max(self._deepest, self._depth + 1 + below)
        else:
            self._count += 1
            self._deepest = max(self._deepest, self._depth + 1)
        if self._deepest > MAX_NESTING:
            raise too_deep(self.name, line)
        if self._count > MAX_NODES:
            raise too_many_nodes(self.name, line)
        anchor = None if isinstance(event, yaml.AliasEvent) else event.anchor
        before, deepest = self._count, self._deepest
        self._depth += 1
        self._deepest = self._depth
        self._open.append(anchor)
        try:
            node = yaml.composer.Composer.compose_node(self, parent, index)
        finally:
            self._open.pop()
            self._depth -= 1
        if anchor is not None:
            self._sizes[anchor] = (self._count - before + 1, self._deepest - self._depth - 1)
        self._deepest = max(deepest, self._deepest)
        return node

    def records(self, sections: Collection[str]) -> Iterator[Record]:
        try:
            yield from self._records(sections)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            place = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise InvalidRecordError(f"{self.name}: {place}not valid YAML ({reason})") from None
        finally:
            self.dispose()

    def _records(self, sections: Collection[str]) -> Iterator[Record]:
        self.get_event()  # the stream's start
        if self.check_event(yaml.StreamEndEvent):
            raise InvalidRecordError(
                f"{self.name}: the file is empty; expected parties/channels/events"
            )
        self.get_event()  # the document's start
        if not self.check_event(yaml.MappingStartEvent):
            value = self._one_value()
            if value is None:
                raise InvalidRecordError(
                    f"{self.name}: the file is empty; expected parties/channels/events"
                )
            raise InvalidRecordError(
                f"{self.name}: the top level must be a mapping with keys {', '.join(SECTIONS)}, "
                f"not a {type(value).__name__}"
            )
        self.get_event()
        self._depth = 1
        seen: set[str] = set()
        while not self.check_event(yaml.MappingEndEvent):
            key = self._one_value()
            if isinstance(key, str) and key in seen:
                raise InvalidRecordError(
                    f"{self.name}: duplicate top-level key '{echo(key)}' (each key may appear once)"
                )
            if isinstance(key, str):
                seen.add(key)
            if key in SECTIONS and self.check_event(yaml.SequenceStartEvent):
                self.get_event()
                self._depth = 2
                index = 0
                while not self.check_event(yaml.SequenceEndEvent):
                    line = self.peek_event().start_mark.line + 1
                    self._count = 0
                    node = self.compose_node(None, None)
                    if key in sections:
                        raw = self.construct_document(node)
                        model = _validate(self.name, key, index, raw, node, line)
                        yield Record(key, index, line, model)
                    index += 1
                self.get_event()
                self._depth = 1
            elif key in SECTIONS:
                _check_section(self.name, key, self._one_value())
            else:
                _check_header(self.name, key, self._one_value())
        self.get_event()  # the mapping's end
        document = self.get_event()
        if not self.check_event(yaml.StreamEndEvent):  # as PyYAML's get_single_node says it
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                document.start_mark,
                "but found another document",
                self.get_event().start_mark,
            )

    def _one_value(self) -> Any:
        self._count = 0
        return self.construct_document(self.compose_node(None, None))


class _Text(Protocol):
    """What the JSON reader reads from: text, a chunk at a time (a decoding stream reader)."""

    def read(self, size: int, /) -> str: ...


class _JsonReader:
    """A JSON import file read through a sliding buffer, one record per `raw_decode`."""

    def __init__(self, name: str, stream: _Text) -> None:
        self.name = name
        self.stream = stream
        self.buffer = ""
        self.position = 0
        self.line = 1  # the line of `position`
        self.ended = False
        self.decoder = json.JSONDecoder(
            object_pairs_hook=no_duplicate_keys,
            parse_int=json_int,
            parse_constant=json_constant,
        )

    def _more(self) -> bool:
        """Read another chunk; False at the end of the file."""
        if self.ended:
            return False
        chunk = self.stream.read(CHUNK_CHARS)
        if not chunk:
            self.ended = True
            return False
        self.buffer = self.buffer[self.position :] + chunk
        self.position = 0
        return True

    def _advance(self, end: int) -> None:
        self.line += self.buffer.count("\n", self.position, end)
        self.position = end

    def _skip_blank(self) -> str:
        """The next significant character ('' at the end of the file)."""
        while True:
            blank = _BLANK.match(self.buffer, self.position)
            assert blank is not None  # the pattern matches the empty string, so it always matches
            self._advance(blank.end())
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if not self._more():
                return ""

    def _expect(self, expected: str) -> str:
        char = self._skip_blank()
        if char not in expected or not char:
            shown = repr(char) if char else "the end of the file"
            raise InvalidRecordError(
                f"{self.name}: line {self.line}: not valid JSON (expected one of "
                f"{' '.join(expected)}, found {shown})"
            )
        self._advance(self.position + 1)
        return char

    def _value(self) -> Any:
        """Decode the value at the current position, reading more until it is whole."""
        self._skip_blank()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as exc:
                needs_more = _may_be_cut(exc, len(self.buffer))
                fits = len(self.buffer) - self.position <= MAX_RECORD_BYTES
                if needs_more and fits and self._more():
                    continue
                if (
                    needs_more
                    and not self.ended
                    and len(self.buffer) - self.position > MAX_RECORD_BYTES
                ):
                    raise InvalidRecordError(
                        f"{self.name}: line {self.line}: a record larger than "
                        f"{MAX_RECORD_BYTES} bytes; records are reports, not dumps"
                    ) from None
                line = self.line + self.buffer.count("\n", self.position, exc.pos)
                column = exc.pos - self.buffer.rfind("\n", 0, exc.pos)
                raise InvalidRecordError(
                    f"{self.name}: line {line}, column {column}: not valid JSON ({exc.msg})"
                ) from None
            except RecursionError:
                raise too_deep(self.name, self.line) from None
            except ValueError as exc:  # a duplicate key, a huge number, NaN
                raise InvalidRecordError(f"{self.name}: not valid import JSON: {exc}") from None
            if end == len(self.buffer) and self._more():
                continue  # a number cut by the chunk's end ('1' of '10'): read on
            text = self.buffer[self.position : end]
            line = self.line
            self._check_nesting(text, line)
            self._advance(end)
            return value

    def _check_nesting(self, text: str, line: int) -> None:
        try:
            check_json_nesting(self.name, text)
        except InvalidRecordError as exc:
            # The record's own lines count from its first one; say where in the file.
            raise too_deep(self.name, line + _line_in(str(exc)) - 1) from None

    def records(self, sections: Collection[str]) -> Iterator[Record]:
        first = self._skip_blank()
        if first == "\ufeff":
            self._advance(self.position + 1)
            first = self._skip_blank()
        if not first:
            raise InvalidRecordError(
                f"{self.name}: the file is empty; expected parties/channels/events"
            )
        if first != "{":
            value = self._value()
            raise InvalidRecordError(
                f"{self.name}: the top level must be a mapping with keys {', '.join(SECTIONS)}, "
                f"not a {type(value).__name__}"
            )
        self._expect("{")
        seen: set[str] = set()
        if self._skip_blank() == "}":
            self._advance(self.position + 1)
            return
        while True:
            if self._skip_blank() != '"':
                self._expect('"')
            key = self._value()
            if key in seen:
                raise InvalidRecordError(
                    f"{self.name}: not valid import JSON: duplicate key(s) {echo(key)} "
                    "(each key may appear once)"
                )
            seen.add(key)
            self._expect(":")
            if key in SECTIONS and self._skip_blank() == "[":
                yield from self._section(key, sections)
            elif key in SECTIONS:
                _check_section(self.name, key, self._value())
            else:
                _check_header(self.name, key, self._value())
            if self._expect(",}") == "}":
                break
        if self._skip_blank():
            raise InvalidRecordError(f"{self.name}: line {self.line}: not valid JSON (Extra data)")

    def _section(self, key: str, sections: Collection[str]) -> Iterator[Record]:
        self._expect("[")
        if self._skip_blank() == "]":
            self._advance(self.position + 1)
            return
        index = 0
        while True:
            self._skip_blank()
            line = self.line
            raw = self._value()
            if key in sections:
                yield Record(key, index, line, _validate(self.name, key, index, raw, None, line))
            index += 1
            if self._expect(",]") == "]":
                return


_LONGEST_ESCAPE = len("\\u0000")


def _may_be_cut(error: json.JSONDecodeError, end: int) -> bool:
    """Whether more text could mend the decoding error: it is at the buffer's end (an escape's
    length from it), or a string runs past it. The decoder reads left to right, so an error
    before that (a trailing comma, a stray character) is the file's, said with its line and
    column at once instead of after reading MAX_RECORD_BYTES more."""
    return error.msg.startswith("Unterminated string") or error.pos >= end - _LONGEST_ESCAPE


def _line_in(message: str) -> int:
    """The line number in a `too_deep` message (1 when it names none)."""
    marker = ": line "
    if marker not in message:
        return 1
    return int(message.split(marker, 1)[1].split(":", 1)[0])
