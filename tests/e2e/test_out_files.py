"""`--out` of `export`, `report` and `timeline` (one function, `reports/files.py`): never the
ledger, never through or over something that is not a regular file, the file's mode kept,
`-` for standard output."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from chancery.cli import app
from chancery.domain.errors import ChanceryError
from chancery.reports.files import output_target
from typer.testing import CliRunner

runner = CliRunner()

COMMANDS = {
    "export": ["export", "--format", "csv"],
    "report": ["report", "--as-of", "2021-10-20"],
    "timeline": ["timeline", "--format", "png"],
}


@pytest.fixture(scope="module")
def sqlite_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A SQLite ledger of the bundled data, with its -wal and -shm files present."""
    path = tmp_path_factory.mktemp("out") / "ledger.sqlite"
    result = runner.invoke(app, ["import", "--bundled", "--db", str(path)])
    assert result.exit_code == 0, result.output
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").touch()
    yield path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(command: str, ledger: Path, out: str | Path) -> object:
    return runner.invoke(app, [*COMMANDS[command], "--db", str(ledger), "--out", str(out)])


def assert_refused(result: object, *fragments: str, code: int = 1) -> None:
    assert result.exit_code == code, result.output  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output  # type: ignore[attr-defined]
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_the_ledger_and_its_journals_are_never_the_output(
    sqlite_ledger: Path, command: str, suffix: str
) -> None:
    target = Path(f"{sqlite_ledger}{suffix}")
    before = digest(target)
    assert_refused(write(command, sqlite_ledger, target), "--out", "is the ledger")
    assert digest(target) == before
    after = runner.invoke(app, ["state", "--db", str(sqlite_ledger), "--as-of", "2021-10-20"])
    assert after.exit_code == 0 and "russia-mission-to-nato" in after.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_a_symlink_or_hard_link_to_the_ledger_is_the_ledger(
    sqlite_ledger: Path, tmp_path: Path, command: str
) -> None:
    before = digest(sqlite_ledger)
    symlink, hard = tmp_path / "out.csv", tmp_path / "hard.csv"
    symlink.symlink_to(sqlite_ledger)
    try:
        os.link(sqlite_ledger, hard)
    except OSError:  # another file system
        hard = symlink
    for name in (symlink, hard, tmp_path / ".." / tmp_path.name / "out.csv"):
        assert_refused(write(command, sqlite_ledger, name), "is the ledger")
    assert digest(sqlite_ledger) == before and symlink.is_symlink()


def test_a_ledger_named_through_a_symlink_is_still_protected(
    sqlite_ledger: Path, tmp_path: Path
) -> None:
    alias = tmp_path / "alias.sqlite"
    alias.symlink_to(sqlite_ledger)
    result = runner.invoke(
        app, ["export", "--format", "csv", "--db", str(alias), "--out", str(sqlite_ledger)]
    )
    assert_refused(result, "is the ledger")
    with pytest.raises(ChanceryError, match="is the ledger"):
        output_target(Path(f"{sqlite_ledger}-wal"), alias)


@pytest.mark.parametrize("command", COMMANDS)
def test_devices_fifos_and_folders_are_refused_not_replaced(
    sqlite_ledger: Path, tmp_path: Path, command: str
) -> None:
    fifo = tmp_path / "fifo.png"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.png"
    folder.mkdir()
    link_to_device = tmp_path / "null.png"
    link_to_device.symlink_to("/dev/null")
    for target, complaint in (
        (Path("/dev/null"), "not a regular file"),
        (fifo, "not a regular file"),
        (link_to_device, "not a regular file"),
        (folder, "is a folder"),
    ):
        assert_refused(write(command, sqlite_ledger, target), complaint)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and folder.is_dir()
    assert os.readlink(link_to_device) == "/dev/null"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.png", "folder.png", "null.png"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_symlink_is_followed_deliberately_and_stays_a_link(
    sqlite_ledger: Path, tmp_path: Path, command: str
) -> None:
    real = tmp_path / "real" / "latest.out"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.out"
    link.symlink_to(real)
    result = write(command, sqlite_ledger, link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() != b"old" and len(real.read_bytes()) > 100
    assert sorted(p.name for p in real.parent.iterdir()) == ["latest.out"]  # no temporary left


@pytest.mark.parametrize("command", COMMANDS)
def test_an_existing_file_keeps_its_mode_and_a_new_one_follows_the_umask(
    sqlite_ledger: Path, tmp_path: Path, command: str
) -> None:
    private = tmp_path / "private.out"
    private.write_text("secret")
    private.chmod(0o600)
    assert write(command, sqlite_ledger, private).exit_code == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_bytes() != b"secret"
    old_mask = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.out"
        assert write(command, sqlite_ledger, fresh).exit_code == 0
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_is_standard_output(
    sqlite_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = write(command, sqlite_ledger, "-")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists() and list(tmp_path.iterdir()) == []
    head = result.stdout_bytes[:64]  # type: ignore[attr-defined]
    expected = {"export": b"event_id,", "report": b"<!DOCTYPE html>", "timeline": b"\x89PNG"}
    assert head.startswith(expected[command])


def test_timeline_to_stdout_needs_a_format(sqlite_ledger: Path) -> None:
    result = runner.invoke(app, ["timeline", "--db", str(sqlite_ledger), "--out", "-"])
    assert_refused(result, "must end in .png or .svg (or give --format)", code=2)
    result = runner.invoke(
        app, ["timeline", "--db", str(sqlite_ledger), "--out", "-", "--format", "pdf"]
    )
    assert_refused(result, "--format: 'pdf' is not png or svg", code=2)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    sqlite_ledger: Path, tmp_path: Path
) -> None:
    """The export streams: an error half-way must leave the previous file as it was."""
    target = tmp_path / "events.csv"
    target.write_text("previous")

    def chunks() -> Iterator[str]:
        yield "half,"
        raise ChanceryError("the ledger failed half-way")

    with pytest.raises(ChanceryError, match="half-way"):
        output_target(target, sqlite_ledger).write(chunks())
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]


def test_a_symlink_planted_at_a_temporary_name_is_never_written_through(
    sqlite_ledger: Path, tmp_path: Path
) -> None:
    """The old temporary name was guessable (`.NAME.PID.part`): a link planted there must not
    redirect the write; the temporary file is created with O_EXCL|O_NOFOLLOW at a new name."""
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    target = tmp_path / "events.csv"
    planted = [tmp_path / f".events.csv.{os.getpid()}.part", tmp_path / ".events.csv.part"]
    for link in planted:
        link.symlink_to(victim)
    assert write("export", sqlite_ledger, target).exit_code == 0
    assert victim.read_text() == "keep me" and all(link.is_symlink() for link in planted)
    assert target.read_text(encoding="utf-8").startswith("event_id,")


def test_dash_writes_utf8_whatever_the_terminal_encoding(sqlite_ledger: Path) -> None:
    """An export or report on stdout is the file's bytes: UTF-8, never backslash escapes, even
    under PYTHONIOENCODING=ascii (where terminal text is escaped instead)."""
    import subprocess
    import sys

    environment = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for command in (["export", "--format", "csv"], ["report", "--out", "-"]):
        done = subprocess.run(
            [sys.executable, "-m", "chancery", *command, "--db", str(sqlite_ledger)],
            capture_output=True,
            env=environment,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        text = done.stdout.decode("utf-8")
        assert "’" in text or "“" in text or "—" in text, text[:200]
        assert "\\u2019" not in text and "\\u201c" not in text
