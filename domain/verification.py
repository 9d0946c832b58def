"""`chancery verify`: replay the whole ledger and re-check everything a write once checked.

A ledger can only be written through imports that check all this, so a problem found here means
the store was altered behind Chancery's back, or a rule was tightened since: either way the
analyst must hear of it before trusting a report.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from chancery.domain.actions import Action
from chancery.domain.errors import ChanceryError, printable
from chancery.domain.ledger import Ledger, digest
from chancery.domain.timeline import fold_all, resolve


@dataclass
class Verification:
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(ledger: Ledger, articles: Path | None = None) -> Verification:
    """Re-check every rule, reference and digest; with `articles`, every quote too."""
    result = Verification()
    contents = ledger.contents()
    index = ledger.entry_index()
    problems = result.problems
    texts: dict[str, str | None] = {}
    for channel in contents.channels.values():
        for party in channel.parties:
            if party not in contents.parties:
                problems.append(f"channel '{channel.slug}' names unknown party '{party}'")
        recorded = contents.entries.get(channel.slug, [])
        for item in recorded:
            entry = item.entry
            expected = (channel.slug, digest(entry))
            if index.get(entry.id) != expected or item.digest != expected[1]:
                problems.append(
                    f"event '{entry.id}' on '{channel.slug}' does not match its digest or the "
                    "ledger's index (altered outside Chancery?)"
                )
        try:
            actions = resolve(item.entry for item in recorded)
            fold_all(channel, actions)
        except ChanceryError as exc:
            problems.append(f"channel '{channel.slug}': {exc}")
            continue
        for action in actions:
            problems.extend(_citation_problems(action, contents.sources, articles, texts))
    stored = sum(len(entries) for entries in contents.entries.values())
    if stored != len(index):
        problems.append(f"the index lists {len(index)} events but the channels hold {stored}")
    actions = contents.all_actions()
    result.counts = {
        "parties": len(contents.parties),
        "channels": len(contents.channels),
        "sources": len(contents.sources),
        "events": len(actions),
        "entries": stored,
        "citations": sum(len(a.all_citations()) for a in actions),
        "disputes": sum(len(a.disputes) for a in actions),
    }
    return result


MAX_ARTICLE_BYTES = 20 * 1024 * 1024
"""Article files larger than this are reported, not read."""


def _citation_problems(
    action: Action, sources: dict, articles: Path | None, texts: dict[str, str | None] | None = None
) -> list[str]:
    problems = []
    texts = {} if texts is None else texts
    for citation in action.all_citations():
        source = sources.get(citation.source)
        if source is None:
            problems.append(f"event '{action.id}' cites unknown source '{citation.source}'")
            continue
        if articles is None or source.file is None:
            continue
        if source.file not in texts:
            text, problem = read_article(articles, source.file)
            texts[source.file] = text
            if problem:
                problems.append(f"source '{source.id}': {problem}")
        text = texts[source.file]
        if text is not None and citation.quote not in text:
            problems.append(
                f"event '{action.id}': quote not found verbatim in "
                f"{printable(str(articles / source.file))}: {citation.quote[:60]!r}"
            )
    return problems


def read_article(folder: Path, name: str) -> tuple[str | None, str | None]:
    """Read the article `name` inside `folder`: (its text, None), or (None, the problem).

    A name that resolves outside the folder (an absolute path, `..`, a symbolic link leading
    out) is never opened; neither is anything but a regular file, nor more than
    MAX_ARTICLE_BYTES. Text that is not UTF-8 is a problem, not a crash.
    """
    shown = printable(repr(name))
    where = printable(str(folder / name))
    try:
        root = folder.resolve(strict=True)
        path = (root / name).resolve(strict=False)
    except (OSError, ValueError, RuntimeError) as exc:
        return None, f"article file {shown} cannot be located ({printable(str(exc))})"
    if Path(name).is_absolute() or not path.is_relative_to(root):
        return None, (
            f"article file {shown} lies outside the articles folder {root} "
            "(absolute path, '..' or a link leading out); not read"
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return None, f"article file '{where}' not found"
    except (OSError, ValueError) as exc:
        return None, f"article file '{where}' cannot be opened ({printable(str(exc))})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, f"article file '{where}' is not a regular file; not read"
        if info.st_size > MAX_ARTICLE_BYTES:
            return None, (
                f"article file '{where}' has {info.st_size} bytes, more than the "
                f"{MAX_ARTICLE_BYTES} an article may have; not read"
            )
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        return None, f"article file '{where}' cannot be read ({exc.strerror})"
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        return None, (
            f"article file '{where}' is not UTF-8 text (byte {exc.start} is "
            f"{data[exc.start]:#04x}); save it as UTF-8"
        )
