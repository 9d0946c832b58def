"""Reading a file someone hands Chancery (an import file, an article), whatever it turns out
to be, in bounded time and memory.

One reader for every caller: it never reads more than the caller's limit plus one byte, never
blocks on a named pipe or a device, and never reads a directory; what it refuses, it refuses
in the caller's words (each caller names its files its own way: "article file 'x' ...",
"x: ..."). The policy (the limit, whether a pipe is read, the words) is the caller's; so is
decoding, beyond exact UTF-8 (`read_text`). It lives in the import pipeline, the layer that
takes files in; the extractor reads its articles through it.
"""

from __future__ import annotations

import os
import select
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, auto
from pathlib import Path

from chancery.domain.errors import ChanceryError, printable

CHUNK = 1 << 20
"""Bytes read at a time."""


class Refusal(Enum):
    """Why a file is not read. Each caller's wording says it with these fields (str.format):
    {name} the file as the caller names it, {limit} the limit, {size} the file's size,
    {reason} the system's reason, {seconds} the pipe's idle limit, {offset} and {byte} the
    first byte that is not UTF-8."""

    MISSING = auto()
    DENIED = auto()
    DIRECTORY = auto()
    NOT_OPENED = auto()
    DEVICE = auto()
    """A character or block device."""
    NOT_A_FILE = auto()
    """A socket, or a pipe when the policy reads none."""
    TOO_LARGE = auto()
    """A regular file whose size is above the limit, refused before reading."""
    GREW = auto()
    """More than the limit came: a pipe, or a file that grew while being read."""
    IDLE = auto()
    """A pipe that sent nothing for the policy's `pipe_idle_seconds` and did not end."""
    NOT_READ = auto()
    NOT_UTF8 = auto()
    """Bytes that are not UTF-8 text (`read_text`)."""


@dataclass(frozen=True)
class ReadPolicy:
    """How one caller reads its files."""

    limit: int
    """Bytes a file may have; at most one more is ever read."""
    wording: Mapping[Refusal, str]
    """The caller's message for each refusal (see `Refusal` for the fields)."""
    error: type[ChanceryError]
    pipe_idle_seconds: float | None = None
    """None: a named pipe is refused unread, like a device. Else a pipe (`/dev/stdin`) is read,
    and refused if it sends nothing for this many seconds."""

    def refuse(self, refusal: Refusal, name: str, **fields: object) -> ChanceryError:
        """The caller's error saying `refusal` about the file `name`."""
        return self.error(self.wording[refusal].format(name=name, limit=self.limit, **fields))


def read_bounded(path: Path, name: str, policy: ReadPolicy) -> bytes:
    """At most `policy.limit` bytes of `path` (a regular file, or a pipe if the policy reads
    pipes); anything else (a directory, a device, a socket) is refused without reading."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise policy.refuse(Refusal.MISSING, name) from None
    except PermissionError:
        raise policy.refuse(Refusal.DENIED, name) from None
    except IsADirectoryError:
        raise policy.refuse(Refusal.DIRECTORY, name) from None
    except (OSError, ValueError) as exc:
        raise policy.refuse(Refusal.NOT_OPENED, name, reason=_reason(exc)) from None
    try:
        info = os.fstat(fd)
        pipe = stat.S_ISFIFO(info.st_mode) and policy.pipe_idle_seconds is not None
        _check_kind(info, pipe, name, policy)
        data = _read_all(fd, pipe, name, policy)
    except IsADirectoryError:
        raise policy.refuse(Refusal.DIRECTORY, name) from None
    except OSError as exc:
        raise policy.refuse(Refusal.NOT_READ, name, reason=_reason(exc)) from None
    finally:
        os.close(fd)
    if len(data) > policy.limit:
        raise policy.refuse(Refusal.GREW, name)
    return data


def read_text(path: Path, name: str, policy: ReadPolicy) -> tuple[bytes, str]:
    """The file's bytes (`read_bounded`) and their text, for callers that take exact UTF-8
    only (an import file; the article a quote is checked against): refused, naming the first
    byte that is not UTF-8, otherwise. A caller that repairs stray bytes decodes
    `read_bounded`'s bytes by its own rule; a byte-order mark is the caller's to drop."""
    data = read_bounded(path, name, policy)
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise policy.refuse(
            Refusal.NOT_UTF8, name, offset=exc.start, byte=f"{data[exc.start]:#04x}"
        ) from None


def _reason(exc: Exception) -> str:
    return printable(getattr(exc, "strerror", None) or str(exc))


def _check_kind(info: os.stat_result, pipe: bool, name: str, policy: ReadPolicy) -> None:
    """Refuse what is not read at all: a directory, a device, a socket, a pipe the policy does
    not read, a regular file above the limit."""
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise policy.refuse(Refusal.DIRECTORY, name)
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise policy.refuse(Refusal.DEVICE, name)
    if not (stat.S_ISREG(mode) or pipe):
        raise policy.refuse(Refusal.NOT_A_FILE, name)
    if stat.S_ISREG(mode) and info.st_size > policy.limit:
        raise policy.refuse(Refusal.TOO_LARGE, name, size=info.st_size)


def _read_all(fd: int, pipe: bool, name: str, policy: ReadPolicy) -> bytes:
    """Up to `policy.limit` + 1 bytes, a chunk at a time; a pipe is waited on at most
    `policy.pipe_idle_seconds` between chunks."""
    chunks: list[bytes] = []
    size = 0
    while size <= policy.limit:
        if pipe:
            ready, _, _ = select.select([fd], [], [], policy.pipe_idle_seconds)
            if not ready:
                raise policy.refuse(Refusal.IDLE, name, seconds=policy.pipe_idle_seconds)
        try:
            chunk = os.read(fd, min(CHUNK, policy.limit + 1 - size))
        except BlockingIOError:
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
