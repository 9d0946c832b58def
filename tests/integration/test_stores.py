"""Where the ledger lives and how it is opened: regression tests of the store's defects
(first-import races, non-ledger databases, read-only ledgers, the environment, schema names,
passwords, symlinks, :memory:, file order)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import unquote

import psycopg
import pytest
from chancery.domain.errors import (
    DiskFullError,
    LedgerLockedError,
    LedgerUnavailableError,
    classify_database_error,
)
from chancery.importing.dataset import load_file
from chancery.importing.plan import import_files
from chancery.storage.store import open_ledger
from eventsourcing.persistence import IntegrityError, OperationalError
from psycopg import sql

from tests.conftest import POSTGRES_SERVER, Locations
from tests.store_helpers import (
    cli,
    events_json,
    extra_file,
    failing_file,
    ledger_appeared,
    pg_has_events_table,
    pg_schema_exists,
    resume,
    run,
    schema_of,
    spawn,
    stop,
    wait_until,
)


def _one_paragraph(stderr: str) -> None:
    assert stderr.strip(), "nothing on stderr"
    assert "Traceback" not in stderr
    assert "\n\n" not in stderr.strip()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- 1. a failed first import never removes another process's committed ledger ------------


def test_a_failed_first_import_never_removes_a_ledger_another_process_committed(
    locations: Locations, tmp_path: Path
) -> None:
    """B starts a failing first import and is frozen (SIGSTOP) as soon as it has begun
    creating the ledger; A then imports --bundled into the same location; B is thawed and
    fails. A must succeed and its ledger survive whole. (On SQLite A does not wait for B;
    on PostgreSQL A waits for B's first import to end, then creates the ledger itself.)"""
    folder = tmp_path / "ledgers"
    folder.mkdir()
    location = locations.new() if locations.store == "postgres" else str(folder / "l.sqlite")
    failing = failing_file(tmp_path, bulk=1500)
    before = set(os.listdir(folder))
    b = spawn("import", "--db", location, str(failing))
    try:
        assert wait_until(lambda: ledger_appeared(location, folder, before), b), (
            "B ended before it began creating the ledger: " + str(b.communicate())
        )
        stop(b)
        a = spawn("import", "--bundled", "--db", location)
        with suppress(subprocess.TimeoutExpired):
            a.wait(timeout=3 if locations.store == "postgres" else 60)
        if locations.store == "sqlite":
            assert a.returncode == 0, a.communicate()
    finally:
        resume(b)
    _, b_err = b.communicate(timeout=120)
    _, a_err = a.communicate(timeout=120)
    assert a.returncode == 0, a_err
    assert b.returncode == 1, b_err
    _one_paragraph(b_err)
    committed = events_json(location)
    assert committed is not None and len(committed["events"]) == 23


# --- 12. non-ledger databases, queries that write, read-only ledgers ------------------------


@pytest.mark.parametrize("command", [["state"], ["import", "--bundled"]])
def test_an_empty_file_is_refused_and_left_as_it_was(tmp_path: Path, command: list[str]) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    result = cli(*command, "--db", str(empty))
    assert result.exit_code == 1
    assert "empty file, not a Chancery ledger" in result.stderr
    _one_paragraph(result.stderr)
    assert empty.read_bytes() == b""
    assert sorted(os.listdir(tmp_path)) == ["empty.sqlite"]


@pytest.mark.parametrize("command", [["state"], ["events", "--json"], ["import", "--bundled"]])
def test_another_applications_database_is_refused_and_left_untouched(
    tmp_path: Path, command: list[str]
) -> None:
    other = tmp_path / "notes.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    digest = _sha(other)
    result = cli(*command, "--db", str(other))
    assert result.exit_code == 1
    assert "not a Chancery ledger" in result.stderr
    _one_paragraph(result.stderr)
    assert _sha(other) == digest
    with sqlite3.connect(other) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    conn.close()
    assert tables == ["notes"]


def test_a_refused_first_import_leaves_nothing_and_a_query_still_says_no_ledger(
    locations: Locations, tmp_path: Path
) -> None:
    location = locations.new()
    failed = cli("import", "--db", location, str(failing_file(tmp_path)))
    assert failed.exit_code == 1
    assert "no-action-on-ended-channel" in failed.stderr
    if locations.store == "sqlite":
        assert sorted(p.name for p in tmp_path.iterdir()) == ["failing-0.yaml"]
    else:
        assert not pg_schema_exists(schema_of(location))
    query = cli("state", "--db", location)
    assert query.exit_code == 1
    assert "no ledger" in query.stderr


@pytest.fixture
def existing_schema() -> Iterator[str]:
    """A PostgreSQL schema that exists before Chancery is pointed at it, with a table of its own."""
    if not _postgres():
        pytest.skip("no PostgreSQL server")
    name = f"chancery_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE TABLE {}.other (x int)").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def _postgres() -> bool:
    try:
        with psycopg.connect(POSTGRES_SERVER, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def test_a_refused_first_import_into_an_existing_schema_drops_only_what_it_made(
    existing_schema: str, tmp_path: Path
) -> None:
    location = f"{POSTGRES_SERVER}?schema={existing_schema}"
    failed = cli("import", "--db", location, str(failing_file(tmp_path)))
    assert failed.exit_code == 1
    assert pg_schema_exists(existing_schema)
    assert not pg_has_events_table(existing_schema)
    with psycopg.connect(POSTGRES_SERVER) as conn:
        left = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'c') "
            "UNION SELECT p.proname FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = %s",
            (existing_schema, existing_schema),
        ).fetchall()
    assert [r[0] for r in left] == ["other"]


def test_a_killed_first_import_leaves_no_ledger_to_query(
    locations: Locations, tmp_path: Path
) -> None:
    folder = tmp_path / "ledgers"
    folder.mkdir()
    location = locations.new() if locations.store == "postgres" else str(folder / "l.sqlite")
    before = set(os.listdir(folder))
    victim = spawn("import", "--db", location, str(failing_file(tmp_path, bulk=1500)))
    assert wait_until(lambda: ledger_appeared(location, folder, before), victim)
    victim.kill()
    victim.wait(timeout=60)
    if locations.store == "sqlite":
        assert not Path(location).exists()
    query = cli("state", "--db", location)
    assert query.exit_code == 1
    _one_paragraph(query.stderr)
    assert "no ledger" in query.stderr or "holds no events" in query.stderr
    if locations.store == "sqlite":  # the query created nothing
        assert not Path(location).exists()


def test_a_query_writes_nothing_into_the_ledger(bundled_location: str, tmp_path: Path) -> None:
    if "://" in bundled_location:
        pytest.skip("SQLite file check; PostgreSQL queries are checked with a read-only role")
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(bundled_location, copy)
    digest = _sha(copy)
    assert cli("state", "--as-of", "2021", "--db", str(copy), "--json").exit_code == 0
    assert _sha(copy) == digest


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root")
@pytest.mark.parametrize("folder_writable", [True, False])
def test_a_read_only_ledger_file_can_be_queried(folder_writable: bool) -> None:
    """The ledger belongs to root; `nobody` may read it (and, in one case, write its folder)."""
    folder = Path(tempfile.mkdtemp(prefix="chancery-ro-"))
    try:
        folder.chmod(0o755)
        ledger = folder / "ledger.sqlite"
        assert cli("import", "--bundled", "--db", str(ledger)).exit_code == 0
        ledger.chmod(0o444)
        if folder_writable:
            os.chown(folder, 65534, 65534)
        digest = _sha(ledger)
        query = run("events", "--json", "--db", str(ledger), user=65534)
        assert query.exit_code == 0, query.stderr
        assert query.stdout.count('"id"') >= 23
        refused = run("import", "--db", str(ledger), str(extra_file(folder)), user=65534)
        assert refused.exit_code == 1
        _one_paragraph(refused.stderr)
        assert _sha(ledger) == digest
    finally:
        shutil.rmtree(folder, ignore_errors=True)


BEHIND_QUERIES = [
    ("state", "--as-of", "2022-03-01", "--json"),
    ("events", "--json"),
    ("history", "nato-russia-military-contacts", "--json"),
    ("sources", "--json"),
]


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root")
@pytest.mark.parametrize("folder_writable", [True, False])
def test_a_read_only_ledger_behind_its_events_answers_as_if_caught_up(
    folder_writable: bool,
) -> None:
    """An import killed between its commit and its catch-up leaves
    the read model behind; `nobody`, who may only read the ledger (and, in one case, write its
    folder), gets the answers of a caught-up ledger, with no retry, no stale row, no
    traceback, and nothing written."""
    folder = Path(tempfile.mkdtemp(prefix="chancery-ro-behind-"))
    try:
        folder.chmod(0o755)
        ledger = folder / "ledger.sqlite"
        assert cli("import", "--bundled", "--db", str(ledger)).exit_code == 0
        with open_ledger(str(ledger), create=True) as writable:  # killed before its catch-up
            import_files(writable, [load_file(extra_file(folder))])
        caught = folder / "caught.sqlite"
        shutil.copyfile(ledger, caught)
        assert cli("reindex", "--db", str(caught)).exit_code == 0
        ledger.chmod(0o444)
        if folder_writable:
            os.chown(folder, 65534, 65534)
        digest = _sha(ledger)
        for args in BEHIND_QUERIES:
            started = time.monotonic()
            found = run(*args, "--db", str(ledger), user=65534)
            assert found.exit_code == 0, found.stderr
            assert found.stderr == ""
            assert found.stdout == cli(*args, "--db", str(caught)).stdout, args
            assert time.monotonic() - started < 20
        assert "extra-0" in run("events", "--json", "--db", str(ledger), user=65534).stdout
        assert _sha(ledger) == digest
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _read_only_role(location: str) -> Iterator[str]:
    """A new login role that may only read the ledger's schema: the location as that role,
    the role dropped afterwards."""
    role = f"chancery_reader_{uuid.uuid4().hex[:8]}"
    schema = sql.Identifier(schema_of(location))
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    try:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
            for grant in (
                "GRANT USAGE ON SCHEMA {} TO {}",
                "GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}",
            ):
                conn.execute(sql.SQL(grant).format(schema, sql.Identifier(role)))
        yield location.replace("postgres@", f"{role}@", 1)
    finally:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))  # its grants
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_a_read_only_postgres_role_can_query(tmp_path: Path) -> None:
    if not _postgres():
        pytest.skip("no PostgreSQL server")
    made = Locations("postgres", tmp_path)
    location = made.new()
    try:
        assert cli("import", "--bundled", "--db", location).exit_code == 0
        with _read_only_role(location) as reader:
            assert reader != location
            assert events_json(reader) == events_json(location)
            refused = cli("import", "--db", reader, str(extra_file(tmp_path)))
            assert refused.exit_code == 1
            _one_paragraph(refused.stderr)
            assert events_json(reader) == events_json(location)
    finally:
        made.drop()


def test_a_read_only_postgres_role_answers_a_read_model_behind_as_if_caught_up(
    tmp_path: Path,
) -> None:
    """The PostgreSQL side of the read-only ledger behind its events: a role that may only
    read gets, before anyone catches up, the answers the caught-up ledger gives."""
    if not _postgres():
        pytest.skip("no PostgreSQL server")
    made = Locations("postgres", tmp_path)
    location = made.new()
    try:
        assert cli("import", "--bundled", "--db", location).exit_code == 0
        with open_ledger(location, create=True) as writable:  # killed before its catch-up
            import_files(writable, [load_file(extra_file(tmp_path))])
        with _read_only_role(location) as reader:
            behind = {}
            for args in BEHIND_QUERIES:
                found = cli(*args, "--db", reader)
                assert found.exit_code == 0 and found.stderr == "", found.stderr
                behind[args] = found.stdout
        assert "extra-0" in behind[("events", "--json")]
        for args in BEHIND_QUERIES:  # the owner's query catches the read model up
            assert cli(*args, "--db", location).stdout == behind[args], args
    finally:
        made.drop()


# --- 13. only real conflicts are retried; a full disk and a lock are said as such ---------


def _sqlite_error(make: str) -> sqlite3.Error:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (k PRIMARY KEY, v)")
    try:
        if make == "full":
            conn.execute("PRAGMA max_page_count = 2")
            for _ in range(100):
                conn.execute("INSERT INTO t VALUES (randomblob(16), randomblob(4000))")
        elif make == "conflict":
            conn.execute("INSERT INTO t VALUES (1, 1)")
            conn.execute("INSERT INTO t VALUES (1, 2)")
        elif make == "readonly":
            conn.execute("PRAGMA query_only = 1")
            conn.execute("INSERT INTO t VALUES (1, 1)")
    except sqlite3.Error as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError(f"no error for {make}")


def _locked_error(tmp_path: Path) -> sqlite3.Error:
    path = tmp_path / "locked.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("INSERT INTO t VALUES (1)")
    except sqlite3.Error as exc:
        return exc
    finally:
        other.close()
        holder.close()
    raise AssertionError("no lock error")


def _wrapped(error: BaseException, wrapper: type[Exception]) -> Exception:
    """As eventsourcing raises it: its own class, the driver's error as the cause."""
    try:
        raise wrapper(str(error)) from error
    except wrapper as exc:
        return exc


def test_classify_database_error_retries_only_real_conflicts(tmp_path: Path) -> None:
    conflict = _sqlite_error("conflict")
    assert classify_database_error(_wrapped(conflict, IntegrityError)) is None
    assert classify_database_error(IntegrityError("version taken")) is None
    for cls in (psycopg.errors.UniqueViolation, psycopg.errors.SerializationFailure):
        assert classify_database_error(_wrapped(cls("x"), OperationalError)) is None
    assert classify_database_error(psycopg.errors.DeadlockDetected("x")) is None

    full = classify_database_error(_wrapped(_sqlite_error("full"), OperationalError))
    assert isinstance(full, DiskFullError)
    assert "disk holding the ledger is full" in str(full)
    assert isinstance(classify_database_error(psycopg.errors.DiskFull("x")), DiskFullError)

    locked = classify_database_error(_wrapped(_locked_error(tmp_path), OperationalError))
    assert isinstance(locked, LedgerLockedError)
    assert "locked by another process" in str(locked)
    pg_locked = classify_database_error(psycopg.errors.LockNotAvailable("x"))
    assert isinstance(pg_locked, LedgerLockedError)

    readonly = classify_database_error(_wrapped(_sqlite_error("readonly"), OperationalError))
    assert isinstance(readonly, LedgerUnavailableError)
    assert "cannot be written" in str(readonly)
    other = classify_database_error(OperationalError("server closed the connection"))
    assert isinstance(other, LedgerUnavailableError)
    assert "gave up" not in str(other)


def test_a_full_disk_is_reported_as_such_and_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every connection to the ledger may not grow the file (SQLite's max_page_count): what a
    full disk looks like to SQLite, without filling a disk (test_store_faults does that)."""
    import eventsourcing.sqlite

    ledger = tmp_path / "ledger.sqlite"
    assert cli("import", "--bundled", "--db", str(ledger)).exit_code == 0
    before = events_json(str(ledger))
    real_connect = sqlite3.connect
    opened: list[int] = []

    def connect_full(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        opened.append(pages)
        return conn

    monkeypatch.setattr(eventsourcing.sqlite.sqlite3, "connect", connect_full)
    path = extra_file(tmp_path, "big", count=300)
    started = time.monotonic()
    result = cli("import", "--json", "--db", str(ledger), str(path))
    assert result.exit_code == 1, result.output
    assert "disk holding the ledger is full" in result.stderr
    assert "gave up" not in result.stderr
    _one_paragraph(result.stderr)
    assert time.monotonic() - started < 30
    monkeypatch.undo()
    assert events_json(str(ledger)) == before


# --- 14. settings come from Chancery's options only --------------------------------------


@pytest.mark.parametrize(
    "variables",
    [
        {"CHANCERY_SQLITE_DBNAME": "{elsewhere}"},
        {"SQLITE_DBNAME": "{elsewhere}", "PERSISTENCE_MODULE": "eventsourcing.popo"},
        {"CHANCERY_PERSISTENCE_MODULE": "eventsourcing.popo"},
        {"CHANCERY_POSTGRES_SCHEMA": "{elsewhere_schema}", "POSTGRES_SCHEMA": "{elsewhere_schema}"},
        {"COMPRESSOR_TOPIC": "zlib"},
        {"CHANCERY_COMPRESSOR_TOPIC": "zlib"},
        {"CIPHER_TOPIC": "eventsourcing.cipher:AESCipher", "CIPHER_KEY": "not-a-key"},
        {"SQLITE_LOCK_TIMEOUT": "not-a-number", "CREATE_TABLE": "no"},
    ],
    ids=lambda v: ",".join(v),
)
def test_the_environment_does_not_override_the_ledger(
    locations: Locations, tmp_path: Path, variables: dict[str, str]
) -> None:
    location = locations.new()
    elsewhere = tmp_path / "elsewhere" / "ledger.sqlite"
    elsewhere_schema = f"chancery_test_elsewhere_{uuid.uuid4().hex[:8]}"
    env = {
        k: v.replace("{elsewhere}", str(elsewhere)).replace("{elsewhere_schema}", elsewhere_schema)
        for k, v in variables.items()
    }
    first = cli("import", "--bundled", "--db", location, env=env)
    assert first.exit_code == 0, first.output
    assert "28 events" in first.stdout  # 23 events and 5 amendments: the entries recorded
    assert not elsewhere.exists() and not elsewhere.parent.exists()
    if locations.store == "postgres":
        assert not pg_schema_exists(elsewhere_schema)
    plain = events_json(location)  # without the variables: the rows are plain
    assert plain is not None and len(plain["events"]) == 23
    again = cli("events", "--json", "--db", location, env=env)
    assert again.exit_code == 0, again.output


# --- 15. PostgreSQL schema names and passwords -------------------------------------------


@pytest.mark.parametrize(
    "schema",
    ["MySchema", "%20", "", "a-b", "pg_chancery", "1abc", "x" * 64, "é", "a%22b", "a;drop"],
)
def test_a_schema_name_postgres_would_fold_truncate_or_quote_is_refused(schema: str) -> None:
    postgres = _postgres()
    decoded = unquote(schema)
    # What PostgreSQL could have made of the name (other engineers' tests share the server,
    # so only these names are compared).
    names = {decoded, decoded.lower(), decoded.strip(), decoded[:63]} - {"", "public"}

    def present() -> dict[str, bool]:
        return {n: pg_schema_exists(n) for n in names} | {"": pg_has_events_table("public")}

    before = present() if postgres else {}
    for command in (["import", "--bundled"], ["state"]):
        result = cli(*command, "--db", f"{POSTGRES_SERVER}?schema={schema}")
        assert result.exit_code == 1
        assert "schema name" in result.stderr
        _one_paragraph(result.stderr)
    if postgres:
        assert present() == before


def test_two_long_schema_names_with_a_common_prefix_do_not_share_a_ledger() -> None:
    prefix = "chancery_" + "x" * 54  # 63 bytes: PostgreSQL would truncate the longer names to it
    for suffix in ("_one", "_two"):
        result = cli("import", "--bundled", "--db", f"{POSTGRES_SERVER}?schema={prefix}{suffix}")
        assert result.exit_code == 1
        assert "schema name" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres:{pw}@127.0.0.1:1/test",
        "postgresql://postgres:{pw_encoded}@127.0.0.1:1/test",
        "postgresql://postgres@127.0.0.1:1/test?password={pw}",
        "postgresql://postgres@127.0.0.1:5432/test?password={pw}&schema=x",
        "postgresql://postgres:{pw}@127.0.0.1:99999/test",
        "postgresql://postgres:{pw}@127.0.0.1:5432/test?schema=Bad",
        "postgresql://postgres:{pw}@[::1/test",
        "mysql://root:{pw}@localhost/db",
        "postgresql://postgres:{pw}@127.0.0.1:5432/test?sslmode={pw}",
    ],
)
def test_no_form_of_password_is_echoed(url: str) -> None:
    password = "Zx9-s3cr3t@w/rd"
    shown = url.replace("{pw_encoded}", "Zx9-s3cr3t%40w%2Frd").replace("{pw}", password)
    for command in (["state"], ["import", "--bundled"]):
        result = cli(*command, "--db", shown)
        assert result.exit_code == 1
        _one_paragraph(result.stderr)
        for secret in ("Zx9-s3cr3t", "s3cr3t%40", "w%2Frd"):
            assert secret not in result.output, result.output


# --- 16. symlinks, :memory:, file order ---------------------------------------------------


def test_a_dangling_symlink_keeps_pointing_and_a_failed_import_creates_nothing(
    tmp_path: Path,
) -> None:
    target = tmp_path / "real" / "ledger.sqlite"
    link = tmp_path / "link.sqlite"
    link.symlink_to(target)
    failed = cli("import", "--db", str(link), str(failing_file(tmp_path)))
    assert failed.exit_code == 1
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert not target.exists() and not target.parent.exists()
    done = cli("import", "--bundled", "--db", str(link))
    assert done.exit_code == 0, done.output
    assert link.is_symlink() and target.is_file()
    assert len(events_json(str(link))["events"]) == 23


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    for command in (["state"], ["import", "--bundled"]):
        result = cli(*command, "--db", str(tmp_path / "a"))
        assert result.exit_code == 1
        assert "loops" in result.stderr


@pytest.mark.parametrize("location", [":memory:", "sqlite:///:memory:", "file:x?mode=memory"])
def test_an_in_memory_ledger_is_refused(location: str) -> None:
    result = cli("import", "--bundled", "--db", location)
    assert result.exit_code == 1
    assert "in-memory" in result.stderr
    assert "added" not in result.output


def test_bundled_files_are_imported_before_the_users_on_a_new_ledger(tmp_path: Path) -> None:
    """The user's file records an event on a channel the bundled dataset declares."""
    report = extra_file(tmp_path)
    ledger = tmp_path / "ledger.sqlite"
    result = cli("import", str(report), "--bundled", "--db", str(ledger))
    assert result.exit_code == 0, result.output
    assert "29 events" in result.stdout  # 23 bundled events, 5 amendments of them, and the user's


def test_open_ledger_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for create in (False, True):
        with pytest.raises(LedgerUnavailableError, match="not a regular file"):
            open_ledger(str(fifo), create=create)


@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_an_import_file_that_is_a_fifo_or_device_is_refused_at_once(
    tmp_path: Path, special: str
) -> None:
    path = tmp_path / "fifo"
    if special == "fifo":
        os.mkfifo(path)
    else:
        path = Path(special)
    started = time.monotonic()
    result = cli("import", str(path), "--db", str(tmp_path / "l.sqlite"))
    assert result.exit_code == 1
    assert "not a regular file" in result.stderr
    assert time.monotonic() - started < 10
    assert not (tmp_path / "l.sqlite").exists()
