"""Fuzzing the article-file surface: `chancery verify --articles FOLDER`, and the extractor's
date and mention finders on adversarial text (long runs of the tokens they look for).

The articles are files the analyst downloaded: any bytes, any encoding, and file names that
come from import files (`file:` of a source). Properties: verify exits 0 or 1 with no
traceback, every problem is one line, nothing it prints carries a raw control or bidi
character, and no file outside FOLDER is ever read (a secret placed beside the folder never
shows up, whatever the name: `..`, absolute, symlinks, NUL, long names). Counts:
tests/fuzzing.py (`CHANCERY_FUZZ=long` for many more).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.application.verification import read_article
from chancery.cli import app
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.fuzzing import HOSTILE_PIECES, UNSAFE, check_refusal_or_success, examples

# Imported once at collection: importing a module with its own @given tests inside a @given
# trips hypothesis's nested-given health check when this file runs alone.
from tests.unit.test_extract import LEXICON

runner = CliRunner()
SECRET = "TOP-SECRET-" + uuid.uuid4().hex
QUOTE = "NATO lowered the cap again."

REPORT = {
    "chancery": 1,
    "parties": [
        {"slug": "nato", "name": "NATO", "kind": "organisation"},
        {"slug": "russia", "name": "Russia", "kind": "state"},
    ],
    "channels": [
        {
            "slug": "mission",
            "name": "Mission",
            "kind": "mission",
            "parties": ["russia", "nato"],
            "host": "nato",
        }
    ],
    "sources": [{"id": "wire", "outlet": "Wire", "published": "2021-11-16", "file": "a.txt"}],
    "events": [
        {
            "id": "withdrawal",
            "type": "accreditation_withdrawn",
            "channel": "mission",
            "actor": "nato",
            "target": "russia",
            "date": "2021-10-12",
            "count": 1,
            "citations": [{"source": "wire", "quote": QUOTE}],
        }
    ],
}


def verify(location: str, folder: Path) -> Any:
    result = runner.invoke(app, ["verify", "--articles", str(folder), "--db", location])
    shown = f"chancery verify --articles {folder}"
    check_refusal_or_success(result, shown)
    output = result.stdout + result.stderr
    assert SECRET not in output, f"{shown}\nread a file outside the folder:\n{output}"
    assert not UNSAFE.search(output.replace("\n", "")), f"{shown}\n{output!r}"
    for line in result.stderr.splitlines():
        assert line.startswith(("problem: ", "chancery: error: ")), f"{shown}\n{line!r}"
    return result


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A tiny ledger whose one source is `a.txt`, an articles folder, a secret beside it."""
    root = tmp_path_factory.mktemp("fuzz-articles")
    (root / "secret.txt").write_text(f"{SECRET} {QUOTE}", encoding="utf-8")
    (root / "secret-dir").mkdir()
    (root / "secret-dir" / "a.txt").write_text(f"{SECRET} {QUOTE}", encoding="utf-8")
    folder = root / "articles"
    folder.mkdir()
    (folder / "inside.txt").write_text(QUOTE, encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "b.txt").write_text(QUOTE, encoding="utf-8")
    (folder / "link-out").symlink_to(root / "secret.txt")
    (folder / "dir-out").symlink_to(root / "secret-dir")
    (folder / "link-in").symlink_to(folder / "inside.txt")
    (folder / "loop").symlink_to(folder / "loop")
    report = root / "report.yaml"
    report.write_text(yaml.safe_dump(REPORT), encoding="utf-8")
    location = str(root / "ledger.sqlite")
    result = runner.invoke(app, ["import", str(report), "--db", location])
    assert result.exit_code == 0, result.output
    yield location, folder


ARTICLE_KINDS = ["bytes", "text", "symlink-out", "symlink-dir", "directory", "fifo", "missing"]


@examples(40)
@given(
    kind=st.sampled_from(ARTICLE_KINDS),
    data=st.binary(max_size=2000),
    text=st.text(max_size=200),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1251"]),
    with_quote=st.booleans(),
)
def test_any_article_content_is_a_problem_or_a_match(
    world: tuple[str, Path], kind: str, data: bytes, text: str, encoding: str, with_quote: bool
) -> None:
    location, folder = world
    article = folder / "a.txt"
    if article.is_symlink() or (article.exists() and not article.is_dir()):
        article.unlink()
    elif article.is_dir():
        shutil.rmtree(article)
    if kind == "bytes":
        article.write_bytes(data + (QUOTE.encode() if with_quote else b""))
    elif kind == "text":
        body = text + (QUOTE if with_quote else "")
        article.write_bytes(body.encode(encoding, errors="replace"))
    elif kind == "symlink-out":
        article.symlink_to(folder.parent / "secret.txt")
    elif kind == "symlink-dir":
        article.symlink_to(folder.parent / "secret-dir")
    elif kind == "directory":
        article.mkdir()
    elif kind == "fifo":
        os.mkfifo(article)
    result = verify(location, folder)
    if kind == "text" and with_quote and encoding in ("utf-8", "utf-8-sig"):
        assert result.exit_code == 0, result.stderr
    if kind in ("symlink-out", "symlink-dir", "directory", "fifo", "missing"):
        assert result.exit_code == 1


name_piece = st.sampled_from(
    [
        "..",
        "../",
        "/",
        "//",
        ".",
        "./",
        "a.txt",
        "inside.txt",
        "sub",
        "sub/b.txt",
        "link-out",
        "dir-out",
        "dir-out/a.txt",
        "link-in",
        "loop",
        "secret.txt",
        "secret-dir/a.txt",
        "/etc/passwd",
        "~",
        "%2e%2e",
        "\x00",
        "\\",
        "x" * 300,
        *HOSTILE_PIECES,
    ]
)


@examples(200)
@given(name=st.lists(name_piece, min_size=1, max_size=6).map("".join) | st.text(max_size=30))
def test_read_article_never_leaves_the_folder(world: tuple[str, Path], name: str) -> None:
    _, folder = world
    text, problem = read_article(folder, name)
    assert (text is None) != (problem is None)
    if text is not None:
        assert SECRET not in text
        resolved = (folder / name).resolve()
        assert resolved.is_relative_to(folder.resolve()), name
    else:
        assert "\n" not in str(problem)


@examples(20)
@given(name=st.lists(name_piece, min_size=1, max_size=4).map("".join))
def test_hostile_file_names_through_import_and_verify(
    tmp_path_factory: pytest.TempPathFactory, world: tuple[str, Path], name: str
) -> None:
    """The name comes from an import file: refused by the text rules, or stored and then
    refused by verify if it leads out of the folder; never read outside it."""
    _, folder = world
    root = tmp_path_factory.mktemp("fuzz-names")
    report = root / "report.yaml"
    document = {**REPORT, "sources": [{**REPORT["sources"][0], "file": name}]}
    try:
        text = yaml.safe_dump(document, allow_unicode=True)
    except yaml.YAMLError:
        text = json.dumps(document)  # JSON is YAML; \ud800 escapes for what PyYAML cannot write
    report.write_text(text, encoding="utf-8", errors="surrogatepass")
    location = str(root / "ledger.sqlite")
    imported = runner.invoke(app, ["import", str(report), "--db", location])
    check_refusal_or_success(imported, f"import with file: {name!r}")
    if imported.exit_code == 0:
        verify(location, folder)
    shutil.rmtree(root)


# ------------------------------------------------------- the extractor on adversarial text
#
# The extractor's date finder, mention finder and the whole pipeline on text built from long
# runs of the very tokens their patterns look for (digits, month and weekday names, "of",
# "the", years joined by "and", blanks of every kind, sentence ends after abbreviations,
# aliases and trigger words), each run repeated up to thousands of times: every pass must stay
# linear, so each example has a time bound, and its answers must stay well formed.

EXTRACT_SECONDS = 10.0
"""Per example of at most ~48 KB: linear passes take well under a second even on a loaded
2-core machine; a quadratic pass (as the date and sentence finders once had) took tens of seconds at
this size."""

DATE_TOKENS = [
    "6", "31", "2014", "2021-10-07", "October", "Oct.", "May", "march", "Monday", "of", "the",
    "beginning", "end", "mid", "in", "since", "by", "and", ",", "&", "last", "this", "past",
    "week", "weeks", "months", "ago", "a", "long", "time", "not", "so", "same", "day", "from",
    "effective", "with effect from", "said", "date", "published:", "10:30", "20th", "%", "$",
    "Mr.", "Ab", ".", "-", "—", " ", "  ", "\u00a0", "\t", "\n", "\u2028", "\x85",
]  # fmt: skip
MENTION_TOKENS = [
    "Russian", "embassy", "Russian embassy", "Moscow's", "Moscow’s", "the", "its", "mission",
    "office", "council", "permanent", "delegation", "SSD", "stability", "talks", "Vladivostok",
    "consulate", "US", "Washington", "Kremlin", "expelled", "mothballed", "closed", "capped",
    "reduced", "cut", "from", "to", "eight", "diplomats", "20", "not", "will", "-", "—", "'",
    "’", " ", "   ", "\u00a0", ".", ",", "\n", "WASHINGTON", "Mr.",
]  # fmt: skip


@st.composite
def runs(draw: st.DrawFn, tokens: list[str]) -> str:
    """Up to four runs, each a short phrase of `tokens` (joined by a blank or not) repeated
    up to 4000 times, capped at ~48 KB in all."""
    text: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        phrase = draw(st.lists(st.sampled_from(tokens), min_size=1, max_size=3))
        unit = draw(st.sampled_from(["", " "])).join(phrase) or " "
        # mostly a few times (a name, a header) or thousands of times (the run after it)
        times = draw(st.sampled_from([1, 1, 2, 30, 1000, 4000]) | st.integers(1, 4000))
        text.append(unit * times)
    return "".join(text)[:48_000] or "x"


ANCHORS = [
    "WASHINGTON", "MOSCOW (Wire)", "Brussels", "date", "Published:", "October", "Monday", "6",
    "2014", "in", "the", "Russian embassy", "expelled", "eight", "from 20",
]  # fmt: skip
PUMPS = [" ", "\t", "\u00a0", "  \t", "Mr.Ab", "a. ", "-", "—", ", ", " and 2015", "’s", "..."]


@st.composite
def attacks(draw: st.DrawFn) -> str:
    """The shape of a regular-expression attack: an anchor a pattern starts on, a long pump
    of blanks or punctuation it may backtrack over, a suffix that makes it fail at the end;
    the whole repeated a few times (on new lines, for the patterns anchored at a line)."""
    anchor = " ".join(draw(st.lists(st.sampled_from(ANCHORS), min_size=1, max_size=2)))
    pump = draw(st.sampled_from(PUMPS)) * draw(st.sampled_from([500, 2000, 6000]))
    suffix = draw(st.sampled_from(["", "x", "2021", " —", "."]))
    line = anchor + pump + suffix + draw(st.sampled_from(["\n", " "]))
    return (line * draw(st.sampled_from([1, 1, 4, 40])))[:48_000]


def _timed(what: str, text: str, run: Callable[[], object]) -> object:
    began = time.perf_counter()
    result = run()
    took = time.perf_counter() - began
    assert took < EXTRACT_SECONDS, f"{what}: {took:.1f} s on {len(text)} chars: {text[:120]!r}"
    return result


@examples(12)
@given(
    text=runs(DATE_TOKENS) | attacks(),
    published=st.sampled_from(["2021-10-21", "0001-01-01", "9999"]),
)
def test_the_date_finder_is_linear_and_well_formed(text: str, published: str) -> None:
    from chancery.domain.dates import UncertainDate
    from chancery.extraction.dates import date_spans, find_dates

    found = _timed(
        "find_dates",
        text,
        lambda: find_dates(text, 0, len(text), UncertainDate(edtf=published), None),
    )
    assert isinstance(found, list)
    assert [f.start for f in found] == sorted(f.start for f in found)
    for item in found:
        assert 0 <= item.start < item.end <= len(text)
        assert item.date.earliest <= item.date.latest
    spans = _timed("date_spans", text, lambda: date_spans(text, 0, len(text)))
    assert isinstance(spans, list)
    assert all(0 <= a < b <= len(text) for a, b in spans)


@examples(12)
@given(text=runs(MENTION_TOKENS) | attacks())
def test_the_mention_finder_is_linear_and_never_overlaps(text: str) -> None:
    mentions = _timed("channel_mentions", text, lambda: LEXICON.channel_mentions(text))
    assert isinstance(mentions, list)
    for before, after in pairwise(mentions):
        assert before.end <= after.start
    assert all(m.slug in LEXICON.channels for m in mentions)


@examples(12)
@given(text=runs(MENTION_TOKENS + DATE_TOKENS) | attacks())
def test_the_extractor_is_linear_and_quotes_verbatim(text: str) -> None:
    from chancery.domain.dates import UncertainDate
    from chancery.domain.errors import ChanceryError
    from chancery.extraction import Article, extract

    article = Article(text, "fuzz.txt", UncertainDate(edtf="2021-10-21"))
    try:
        proposals = _timed("extract", text, lambda: extract(article, LEXICON))
    except ChanceryError as exc:  # too many actions for one report: refused in one line
        assert "\n" not in str(exc)
        return
    assert isinstance(proposals, list)
    for p in proposals:
        for quote in p.quotes:
            assert text[quote.start : quote.end] == quote.text
        assert p.count is None or p.count >= 0
