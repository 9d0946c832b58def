"""Fuzzing the article-file surface: `chancery verify --articles FOLDER`.

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
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from chancery.cli import app
from chancery.domain.verification import read_article
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.fuzzing import HOSTILE_PIECES, UNSAFE, check_refusal_or_success, examples

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
