"""Writing a report or export to the file the user named, with one-line errors."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from chancery.domain.errors import ChanceryError


def write_output(path: Path, content: str | bytes | Iterable[str], option: str = "--out") -> None:
    """Write `content` (whole, or chunk by chunk as an export streams it) to a temporary file
    beside `path`, then rename it, so an interrupted or failed write never leaves half a
    report under the user's name."""
    if path.is_dir():
        raise ChanceryError(f"{option}: '{path}' is a folder; give a file name")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        if isinstance(content, bytes):
            temporary.write_bytes(content)
        else:
            with temporary.open("w", encoding="utf-8", newline="") as file:
                file.writelines([content] if isinstance(content, str) else content)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ChanceryError(
            f"{option}: cannot write '{path}': {exc.strerror or type(exc).__name__}"
        ) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
