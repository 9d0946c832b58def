"""Opening an article file: the policy behind `extract` (an article the analyst names) and
`verify --articles` (the articles a ledger's sources name, inside one folder).

Each caller decodes by its own rule (extraction accepts older wire copy in Windows-1252;
verification needs the exact UTF-8 the quotes were taken from), but both open the file the same
way: without following it out of its folder when confined, and through the bounded reader
(`importing.files`) with the articles' words, reading no pipe or device.
"""

from __future__ import annotations

from pathlib import Path

from chancery.domain.errors import ChanceryError, printable
from chancery.importing.files import ReadPolicy, Refusal, read_bounded


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


_NOT_REGULAR = "article file '{name}' is not a regular file (a pipe or a device); not read"
ARTICLE_WORDING: dict[Refusal, str] = {
    Refusal.MISSING: "article file '{name}' not found",
    Refusal.DENIED: "article file '{name}': permission denied",
    Refusal.DIRECTORY: "article file '{name}' is a directory, not an article",
    Refusal.NOT_OPENED: "article file '{name}' cannot be opened ({reason})",
    Refusal.DEVICE: _NOT_REGULAR,
    Refusal.NOT_A_FILE: _NOT_REGULAR,
    Refusal.TOO_LARGE: (
        "article file '{name}' is larger than the {limit} bytes an article may have "
        "({size} bytes; a news report is a few kilobytes); not read"
    ),
    Refusal.GREW: "article file '{name}' is larger than the {limit} bytes allowed",
    Refusal.NOT_READ: "article file '{name}' cannot be read ({reason})",
    Refusal.NOT_UTF8: (
        "article file '{name}' is not UTF-8 text (byte {offset} is {byte}); save it as UTF-8"
    ),
}
"""How a refused article is named; a pipe is refused as a device is (no article is read
from one, so none can hang a command)."""


def article_policy(limit: int) -> ReadPolicy:
    """Articles of at most `limit` bytes, from regular files only."""
    return ReadPolicy(limit=limit, wording=ARTICLE_WORDING, error=ArticleError)


def read_bytes(path: Path, limit: int, shown: str | None = None) -> bytes:
    """At most `limit` bytes of a regular file; anything else (a directory, a named pipe, a
    device, a socket) is refused without reading, so no article can hang a command."""
    return read_bounded(path, shown or printable(str(path)), article_policy(limit))
