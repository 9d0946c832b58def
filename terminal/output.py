"""What a command prints besides tables: `--json` documents, and the one-line summaries of an
import or a dry run."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from chancery.projections.words import plural
from chancery.terminal.safe import clean

if TYPE_CHECKING:
    from chancery.application.dryrun import DryRun
    from chancery.application.verification import Verification
    from chancery.domain.importlog import LoggedImport
    from chancery.reports.files import Output
    from chancery.storage.ledger import ImportReport
    from pydantic import BaseModel

SPOOL_BYTES = 8 * 1024 * 1024
"""A streamed JSON list is held in memory up to this size, then on disk, until it is whole."""


def print_json(model: BaseModel | Mapping[str, object], **dump: Any) -> None:
    """A model (as `model_dump_json(indent=2)` writes it) or a plain mapping, on stdout."""
    from pydantic import BaseModel

    text = (
        model.model_dump_json(indent=2, **dump)
        if isinstance(model, BaseModel)
        else json.dumps(model, indent=2)
    )
    sys.stdout.write(text + "\n")


def print_json_form(data: Mapping[str, Any]) -> None:
    """A read model's JSON form, printed exactly as its model's `model_dump_json(indent=2)`
    would print it (non-ASCII kept), without building the model."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def print_json_list(
    key: str, items: Iterable[BaseModel], head: BaseModel | None = None, **dump: Any
) -> None:
    """`{key: [items]}` written item by item, laid out as `print_json` lays out the whole
    object: a command listing every event of a large ledger never holds the list. With
    `head`, a model whose field `key` is the list: its other fields come first, and the text
    is `print_json(head with the items, **dump)`'s. Printed whole or not at all
    (`print_whole`)."""
    print_whole(_json_list(key, items, head, **dump))


def _json_list(
    key: str, items: Iterable[BaseModel], head: BaseModel | None, **dump: Any
) -> Iterator[str]:
    if head is None:
        yield "{\n  " + json.dumps(key) + ": ["
    else:
        fields = head.model_dump_json(indent=2, exclude={key}, **dump).removesuffix("\n}")
        yield fields + ",\n  " + json.dumps(key) + ": ["
    separator = "\n"
    for item in items:
        yield separator + textwrap.indent(item.model_dump_json(indent=2, **dump), "    ")
        separator = ",\n"
    yield "\n  ]\n}\n" if separator != "\n" else "]\n}\n"


def print_whole(chunks: Iterable[str]) -> None:
    """Text written as it is made, to stdout only once all of it was made: it goes to a
    spooled temporary file first (memory up to `SPOOL_BYTES`, then disk), so a row that
    cannot be read half-way stops the command with its one-line error, never after half a
    document."""
    import shutil
    import tempfile

    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(chunk)
        out.seek(0)
        shutil.copyfileobj(out, sys.stdout)


def counted(counts: Mapping[str, int]) -> str:
    """'2 parties, 1 event' from a report's counts by plural collection name; 'nothing'."""
    said = []
    for collection, count in counts.items():
        singular = {"parties": "party"}.get(collection, collection.removesuffix("s"))
        said.append(plural(count, singular, collection))
    return ", ".join(said) or "nothing"


def import_summary(added: Mapping[str, int], unchanged: Mapping[str, int]) -> str:
    return f"added {counted(added)}; already recorded: {counted(unchanged)}"


def retraction_summary(entry: LoggedImport) -> str:
    """What `chancery retract --import` did, in one line."""
    withdrawn = plural(entry.added.get("amendments", 0), "event")
    return (
        f"retracted import {entry.retracts}: {withdrawn} withdrawn, each by a retraction giving "
        f"the reason (import log entry {entry.number})"
    )


def dry_run_lines(result: DryRun) -> list[str]:
    """What an import would add and change, channel by channel, each line safe to print."""
    lines = [
        f"dry run, nothing written: would add {counted(result.added)}; "
        f"already recorded: {counted(result.unchanged)}"
    ]
    for channel in result.channels:
        lines.append(f"{channel.channel}: {', '.join(channel.new_events)}")
        for moment in channel.changes:
            for change in moment.changes:
                lines.append(f"  {moment.date}  {change.field}: {change.before} → {change.after}")
        if not channel.changes:
            lines.append("  no change of state on the dates these events touch")
    return [clean(line) for line in lines]


def print_import(report: ImportReport, as_json: bool) -> None:
    """What an import added and found already recorded, and how many attempts it took."""
    if as_json:
        added, unchanged = dict(report.added), dict(report.unchanged)
        print_json({"added": added, "unchanged": unchanged, "attempts": report.attempts})
    else:
        sys.stdout.write(import_summary(report.added, report.unchanged) + "\n")


def print_dry_run(plan: DryRun, as_json: bool) -> None:
    if as_json:
        print_json(plan)
    else:
        sys.stdout.write("\n".join(dry_run_lines(plan)) + "\n")


def print_verification(result: Verification, as_json: bool) -> None:
    """The counts checked on stdout, each problem on its own line on stderr."""
    if as_json:
        print_json({"ok": result.ok, "counts": result.counts, "problems": result.problems})
        return
    sys.stdout.write(f"{'ok' if result.ok else 'PROBLEMS FOUND'}: {counted(result.counts)}\n")
    for problem in result.problems:
        sys.stderr.write(f"problem: {clean(problem, single_line=True)}\n")


def print_wrote(target: Output) -> None:
    """Say on stderr which file a report, chart or export was written to (not stdout)."""
    if target.path is not None:
        sys.stderr.write(f"chancery: wrote {clean(target.shown, single_line=True)}\n")


SHOW_HEADER = (
    "# '{event}' as the ledger now reads it.\n"
    "# To amend it, give the entry a new id and a type: refinement (refines:),\n"
    "# corroboration (corroborates:), dispute (disputes:) or correction (corrects:,\n"
    "# with the whole event as `replacement`).\n"
)


def print_event_document(event_id: str, document: Mapping[str, Any], as_json: bool) -> None:
    """A recorded event as an import file: YAML headed by how to amend it, or JSON."""
    if as_json:
        print_json(document)
        return
    import yaml

    text = yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True)
    print_document(SHOW_HEADER.format(event=event_id) + text)


def print_import_file(text: str, as_json: bool) -> None:
    """A commented YAML import file as it is, or the same document in JSON (which `chancery
    import` takes as well), its comments left out."""
    if not as_json:
        print_document(text)
        return
    import yaml

    print_json(yaml.safe_load(text))


def print_document(text: str) -> None:
    """A YAML import file (a draft, a template) on stdout as the UTF-8 file it is, whatever
    the terminal's encoding: the escape `printable_streams` writes for a character the
    encoding lacks (`\\u2019`) reads back from a plain YAML scalar as a backslash and five
    characters, and a draft's quote would no longer be verbatim."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def json_escapes(error: UnicodeError) -> tuple[str, int]:
    """What an encoding cannot carry, as JSON's own escapes: `\\u00e9`, and a surrogate
    pair `\\ud83d\\ude00` beyond the BMP. Inside a JSON string that is the same text, so
    `--json` stays exact under any encoding; in a table it reads like any other escape."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


def printable_streams() -> None:
    """Whatever encoding stdout and stderr have (`PYTHONIOENCODING=ascii`, a latin-1 locale),
    a character it cannot carry is printed as an escape (`\\u2192`, `json_escapes`), never a
    traceback; the text is still all there."""
    import codecs

    codecs.register_error("chancery-json-escapes", json_escapes)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="chancery-json-escapes")
