"""Writing a report or export to the file the user named, with one-line errors."""

from __future__ import annotations

import os
from pathlib import Path

from chancery.domain.errors import ChanceryError


def write_output(path: Path, content: str | bytes, option: str = "--out") -> None:
    """Write `content` to `path` whole: to a temporary file beside it, then renamed, so an
    interrupted write never leaves half a report under the user's name."""
    if path.is_dir():
        raise ChanceryError(f"{option}: '{path}' is a folder; give a file name")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        if isinstance(content, str):
            temporary.write_text(content, encoding="utf-8", newline="")
        else:
            temporary.write_bytes(content)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ChanceryError(
            f"{option}: cannot write '{path}': {exc.strerror or type(exc).__name__}"
        ) from None
