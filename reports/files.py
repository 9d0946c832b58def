"""Writing a report, chart or export to the file the user named (`--out`), the one way all
three commands do it.

- `--out -` is standard output, written the bytes the file would hold (UTF-8).
- The file is written whole or not at all: into a temporary file created beside the target
  with O_CREAT|O_EXCL|O_NOFOLLOW (`tempfile.mkstemp`), so a symlink planted at a guessable
  name cannot redirect the write, then renamed over the target.
- A symbolic link named by `--out` is followed deliberately, as the ledger's own path is: the
  file it points to is replaced and the link stays a link. What the link (or the name itself)
  reaches must be a regular file or nothing: a folder, device node, FIFO or socket is refused,
  never replaced.
- An existing file keeps its permission bits (a 600 export stays 600); a new one gets the
  mode the umask gives any new file.
- The ledger is never a target: the same file (by real path or by inode, so a hard link or a
  symlink to it counts) or its SQLite companions (`-wal`, `-shm`, `-journal`) are refused
  before anything is rendered.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from chancery.domain.errors import ChanceryError

STDOUT = "-"
SPOOL_BYTES = 8 * 1024 * 1024
"""Standard output's content is held in memory up to this size, then in a temporary file."""
LEDGER_COMPANIONS = ("", "-wal", "-shm", "-journal")
"""The SQLite files that together are a ledger: the database and its journals."""


@dataclass(frozen=True)
class Output:
    """Where `--out` writes: `path` is None for standard output, else the real path of the
    file to replace (symlinks resolved), and `shown` is what the user typed, for messages."""

    path: Path | None
    shown: str
    option: str = "--out"

    def write(self, content: str | bytes | Iterable[str]) -> None:
        """Write `content` (whole, or chunk by chunk as an export streams it)."""
        if self.path is None:
            _write_stdout(content)
        else:
            _replace(self.path, self.shown, self.option, content)


def _write_stdout(content: str | bytes | Iterable[str]) -> None:
    """The same bytes the file would hold: exports, reports and charts are UTF-8 documents
    (the HTML and SVG say so), whatever encoding the terminal's text stream has. An export
    streamed a page at a time is gathered first (in memory up to `SPOOL_BYTES`, then in a
    temporary file), so that one failing half-way (a damaged read-model row) writes nothing,
    as it leaves a file untouched."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        if isinstance(content, bytes):
            spool.write(content)
        else:
            for chunk in [content] if isinstance(content, str) else content:
                spool.write(chunk.encode("utf-8"))
        spool.seek(0)
        sys.stdout.flush()
        shutil.copyfileobj(spool, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _ledger_files(ledger: Path) -> list[Path]:
    real = Path(os.path.realpath(ledger))
    names = {ledger, real}
    return [name.with_name(name.name + suffix) for name in names for suffix in LEDGER_COMPANIONS]


def output_target(out: Path | str, ledger: Path | None = None, option: str = "--out") -> Output:
    """Check `--out` before any work is done: standard output, or a file that may be replaced.

    `ledger` is the SQLite ledger the command reads (None for PostgreSQL): naming it, or one
    of its journals, is refused, since replacing it would destroy every recorded event.
    """
    shown = str(out)
    if shown == STDOUT:
        return Output(None, shown, option)
    if not shown.strip():
        raise ChanceryError(f"{option}: the file name is empty; give a file name, or - for stdout")
    real = Path(os.path.realpath(out))
    try:
        found = os.stat(real)
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise ChanceryError(f"{option}: cannot use '{shown}': {exc.strerror}") from None
    if ledger is not None:
        for name in _ledger_files(ledger):
            same_name = os.path.realpath(name) == str(real)
            try:
                same_inode = found is not None and _same_file(found, os.stat(name))
            except OSError:
                same_inode = False
            if same_name or same_inode:
                raise ChanceryError(
                    f"{option}: '{shown}' is the ledger's own file {name}; writing there "
                    "would destroy every recorded event. Choose another file; nothing was written"
                )
    if found is not None and not stat.S_ISREG(found.st_mode):
        kind = "a folder" if stat.S_ISDIR(found.st_mode) else "not a regular file"
        raise ChanceryError(
            f"{option}: '{shown}' is {kind}; give the name of a file to write (or - for stdout)"
        )
    if not real.parent.is_dir():
        raise ChanceryError(f"{option}: cannot write '{shown}': its folder does not exist")
    return Output(real, shown, option)


def _new_file_mode() -> int:
    """The mode `open()` would give a new file under the current umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _replace(target: Path, shown: str, option: str, content: str | bytes | Iterable[str]) -> None:
    try:
        descriptor, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as exc:
        raise ChanceryError(f"{option}: cannot write '{shown}': {exc.strerror}") from None
    temporary = Path(name)
    binary = isinstance(content, bytes)
    try:
        with open(
            descriptor,
            "wb" if binary else "w",
            encoding=None if binary else "utf-8",
            newline=None if binary else "",
        ) as file:
            try:
                mode = stat.S_IMODE(os.stat(target).st_mode)
            except FileNotFoundError:
                mode = _new_file_mode()
            os.fchmod(file.fileno(), mode)
            file.writelines([content] if isinstance(content, (str, bytes)) else content)
        found = os.lstat(target) if os.path.lexists(target) else None
        if found is not None and not stat.S_ISREG(found.st_mode):
            raise ChanceryError(
                f"{option}: '{shown}' became something other than a regular file while it "
                "was being written; nothing was replaced"
            )
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ChanceryError(
            f"{option}: cannot write '{shown}': {exc.strerror or type(exc).__name__}"
        ) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
