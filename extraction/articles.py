"""Opening an article file: the one reader behind `extract` (an article the analyst names) and
`verify --articles` (the articles a ledger's sources name, inside one folder).

Each caller decodes by its own policy (extraction accepts older wire copy in Windows-1252;
verification needs the exact UTF-8 the quotes were taken from), but both open the file the same
way: without following it out of its folder when confined, without blocking on a named pipe or
a device, and without reading more than a bound.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from chancery.domain.errors import ChanceryError, printable


class ArticleError(ChanceryError):
    """The article cannot be read as text."""


def inside(folder: Path, name: str) -> Path:
    """The article `name` resolved inside `folder`; refused if it would lead out (an absolute
    path, `..`, a symbolic link), before anything is opened."""
    shown = printable(repr(name))
    try:
        root = folder.resolve(strict=True)
        path = (root / name).resolve(strict=False)
    except (OSError, ValueError, RuntimeError) as exc:
        raise ArticleError(
            f"article file {shown} cannot be located ({printable(str(exc))})"
        ) from None
    if Path(name).is_absolute() or not path.is_relative_to(root):
        raise ArticleError(
            f"article file {shown} lies outside the articles folder {root} "
            "(absolute path, '..' or a link leading out); not read"
        )
    return path


def read_bytes(path: Path, limit: int, shown: str | None = None) -> bytes:
    """At most `limit` bytes of a regular file; anything else (a directory, a named pipe, a
    device, a socket) is refused without reading, so no article can hang a command."""
    where = shown or printable(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ArticleError(f"article file '{where}' not found") from None
    except PermissionError:
        raise ArticleError(f"article file '{where}': permission denied") from None
    except IsADirectoryError:
        raise ArticleError(f"article file '{where}' is a directory, not an article") from None
    except (OSError, ValueError) as exc:
        raise ArticleError(
            f"article file '{where}' cannot be opened ({printable(str(exc))})"
        ) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ArticleError(f"article file '{where}' is a directory, not an article")
        if not stat.S_ISREG(info.st_mode):
            raise ArticleError(
                f"article file '{where}' is not a regular file (a pipe or a device); not read"
            )
        if info.st_size > limit:
            raise ArticleError(
                f"article file '{where}' is larger than the {limit} bytes an article may have "
                f"({info.st_size} bytes; a news report is a few kilobytes); not read"
            )
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ArticleError(f"article file '{where}' cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise ArticleError(f"article file '{where}' is larger than the {limit} bytes allowed")
    return data
