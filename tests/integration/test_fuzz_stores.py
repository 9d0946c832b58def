"""Fuzz and fault tests (hypothesis) of where the ledger lives: ledger URLs and --db values,
paths of every kind, and the environment.

Properties, for every generated case: the exit code is 0, 1 or 2; stderr is one paragraph
and never a traceback; no password appears in any output; after a failed command the ledger
holds the same events as before (`chancery events --json`) and nothing was created at the
path or schema it named; every command ends in bounded time.

Example counts come from a hypothesis profile chosen by CHANCERY_FUZZ: unset (CI) runs a few
dozen cases per surface, `CHANCERY_FUZZ=long` a few hundred.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import string
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from tests.conftest import POSTGRES_SERVER, Locations
from tests.store_helpers import Outcome, cli, extra_file, failing_file, pg_schema_exists

_COMMON = {
    "deadline": None,
    "derandomize": False,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "print_blob": True,
}
settings.register_profile("chancery-fuzz-ci", max_examples=30, **_COMMON)
settings.register_profile("chancery-fuzz-long", max_examples=400, **_COMMON)
PROFILE = settings.get_profile(
    "chancery-fuzz-long" if os.environ.get("CHANCERY_FUZZ") == "long" else "chancery-fuzz-ci"
)
"""Applied per test (not loaded globally, so other hypothesis tests keep their settings)."""

SECRET = "Pw7x-"
"""Every generated password starts with this marker, which must never be printed."""
LIMIT_SECONDS = 30
STATS: dict[str, int] = {}


def _check(result: Outcome, took: float, *, secrets: tuple[str, ...] = ()) -> None:
    shown = f"exit {result.exit_code}\nstdout: {result.stdout[:500]}\nstderr: {result.stderr}"
    assert result.exception is None, f"{shown}\nraised {result.exception!r}"
    assert result.exit_code in (0, 1, 2), shown
    assert "Traceback" not in result.output, shown
    if result.exit_code:
        assert result.stderr.strip(), shown
        assert "\n\n" not in result.stderr.strip(), shown
    for secret in secrets:
        assert secret not in result.output, shown
    assert took < LIMIT_SECONDS, f"{shown}\ntook {took:.1f}s"


def _timed(*args: str, env: dict[str, str | None] | None = None) -> tuple[Outcome, float]:
    started = time.monotonic()
    result = cli(*args, env=env)
    return result, time.monotonic() - started


def _count(surface: str) -> None:
    STATS[surface] = STATS.get(surface, 0) + 1


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    yield
    print(f"\nfuzz examples per surface: {json.dumps(STATS)}")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fuzz-files")
    bundled = folder / "bundled.sqlite"
    assert cli("import", "--bundled", "--db", str(bundled)).exit_code == 0
    expected = folder / "expected.sqlite"
    shutil.copyfile(bundled, expected)
    assert cli("import", "--db", str(expected), str(extra_file(folder))).exit_code == 0
    return {
        "bundled": bundled,
        "expected": expected,
        "extra": extra_file(folder),
        "failing": failing_file(folder),
    }


def _events(location: str) -> Any:
    """The events, without the ledger clock (when each was written differs between ledgers)."""
    result = cli("events", "--json", "--db", location)
    if result.exit_code:
        return None
    return _without_recorded_at(json.loads(result.stdout))


def _without_recorded_at(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_recorded_at(v) for k, v in value.items() if k != "recorded_at"}
    if isinstance(value, list):
        return [_without_recorded_at(v) for v in value]
    return value


# --- ledger URLs and --db values ----------------------------------------------------------

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=12
)
_passwords = st.builds(
    lambda tail: SECRET + tail,
    st.text(alphabet=string.ascii_letters + string.digits + "@:/%?#&=+ é", max_size=10),
)
_hosts = st.one_of(
    st.sampled_from(["127.0.0.1", "localhost", "[::1]", "", "[::1", "127.0.0.1:5432"]),
    st.builds(lambda label: f"{label}.invalid", st.from_regex(r"[a-zé0-9-]{1,10}", fullmatch=True)),
)
_ports = st.sampled_from(["", ":1", ":9", ":5432", ":0", ":65536", ":99999", ":abc", ":-1"])
_schemas = st.one_of(
    st.builds(lambda n: f"chancery_fuzz_{n}", st.from_regex(r"[a-z0-9_]{0,8}", fullmatch=True)),
    _text,
    st.sampled_from(["MySchema", "%20", "public", "pg_x", "a" * 64, "a%2Fb", "x%00y"]),
)


@st.composite
def ledger_urls(draw: st.DrawFn) -> tuple[str, str | None, str | None]:
    """A ledger location, the password in it (if any) and the schema it names (if any)."""
    scheme = draw(st.sampled_from(["postgresql", "postgres", "mysql", "sqlite", "http", "pg"]))
    user = draw(st.sampled_from(["postgres", "", "nobody", "ü ser"]))
    password = draw(st.none() | _passwords)
    encode = draw(st.booleans())
    userinfo = user
    if password is not None:
        userinfo += ":" + (quote(password, safe="") if encode else password)
    if userinfo:
        userinfo += "@"
    host = draw(_hosts)
    port = draw(_ports)
    dbname = draw(st.sampled_from(["test", "", "no_such_db", "a/b", "tést"]))
    params: list[str] = []
    schema = None
    if draw(st.booleans()):
        schema = draw(_schemas)
        params.append(f"schema={schema}")
    if draw(st.booleans()):
        extra = draw(st.sampled_from(["password", "sslmode", "schema", "user", "options"]))
        value = draw(_passwords) if extra == "password" else draw(_text)
        password = value if extra == "password" else password
        params.append(f"{extra}={value}")
    query = ("?" + "&".join(params)) if params else ""
    return f"{scheme}://{userinfo}{host}{port}/{dbname}{query}", password, schema


def _schemas_now(names: set[str]) -> dict[str, bool]:
    try:
        return {n: pg_schema_exists(n) for n in names if n and "\x00" not in n}
    except psycopg.Error:
        return {}


@PROFILE
@given(case=ledger_urls(), command=st.sampled_from(["state", "events", "import-failing"]))
def test_fuzz_ledger_urls(
    case: tuple[str, str | None, str | None], command: str, files: dict[str, Path]
) -> None:
    _count("urls")
    url, password, schema = case
    names = {schema, (schema or "").lower(), (schema or "")[:63]} - {None, ""}
    before = _schemas_now(names)  # type: ignore[arg-type]
    args = ["import", str(files["failing"])] if command == "import-failing" else [command]
    result, took = _timed(*args, "--db", url)
    secrets = (password,) if password else ()
    _check(result, took, secrets=secrets)
    if password:
        assert quote(password, safe="") not in result.output
    if result.exit_code:
        assert _schemas_now(names) == before, f"{url}: a failed command created a schema"


@PROFILE
@given(value=_text | st.sampled_from([":memory:", "file::memory:", "sqlite://", "sqlite:///"]))
def test_fuzz_db_values_for_queries(value: str) -> None:
    """Any --db value: a query never creates anything, wherever the value points."""
    _count("db-values")
    with tempfile.TemporaryDirectory() as folder:
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            result, took = _timed("state", "--db", value)
            left = os.listdir(folder)
        finally:
            os.chdir(cwd)
    _check(result, took)
    assert result.exit_code != 0  # there is no ledger anywhere here
    assert left == [], f"--db {value!r}: a query created {left}"


# --- paths ---------------------------------------------------------------------------------

PATH_KINDS = [
    "missing",
    "missing-in-missing-folder",
    "directory",
    "fifo",
    "dev-null",
    "dev-zero",
    "symlink-dangling",
    "symlink-loop",
    "symlink-to-ledger",
    "under-a-file",
    "empty-file",
    "random-bytes",
    "other-sqlite",
    "ledger",
    "truncated-ledger",
    "unwritable-folder",
    "in-proc",
    "long-name",
]


def _make(kind: str, folder: Path, name: str, data: bytes, bundled: Path) -> Path:
    path = folder / name
    if kind == "missing-in-missing-folder":
        return folder / "new" / "deeper" / name
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-null":
        return Path("/dev/null")
    elif kind == "dev-zero":
        return Path("/dev/zero")
    elif kind == "symlink-dangling":
        path.symlink_to(folder / "target-folder" / "target.sqlite")
    elif kind == "symlink-loop":
        path.symlink_to(folder / "loop")
        (folder / "loop").symlink_to(path)
    elif kind == "symlink-to-ledger":
        shutil.copyfile(bundled, folder / "real.sqlite")
        path.symlink_to(folder / "real.sqlite")
    elif kind == "under-a-file":
        (folder / "a-file").write_bytes(b"x")
        return folder / "a-file" / name
    elif kind == "empty-file":
        path.touch()
    elif kind == "random-bytes":
        path.write_bytes(data)
    elif kind == "other-sqlite":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (x)")
        conn.close()
    elif kind == "ledger":
        shutil.copyfile(bundled, path)
    elif kind == "truncated-ledger":
        path.write_bytes(bundled.read_bytes()[: max(1, len(data)) * 512])
    elif kind == "unwritable-folder":
        sub = folder / "ro"
        sub.mkdir()
        sub.chmod(0o500)
        return (Path("/proc") if os.geteuid() == 0 else sub) / name
    elif kind == "in-proc":
        return Path("/proc/self") / name
    elif kind == "long-name":
        return folder / ((name or "x") * 300)[:300]
    return path


def _tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder`, with file contents (SQLite's -wal/-shm aside)."""
    found: dict[str, bytes | str] = {}
    for root, dirs, names in os.walk(folder):
        for entry in dirs + names:
            full = Path(root) / entry
            key = str(full.relative_to(folder))
            if entry.endswith(("-wal", "-shm")):
                continue
            if full.is_symlink():
                found[key] = "-> " + os.readlink(full)
            elif full.is_file():
                found[key] = full.read_bytes()
            else:
                found[key] = "dir" if full.is_dir() else "special"
    return found


_names = st.sampled_from(["l.sqlite", "ledger", "a b.sqlite", "é?#%.db", "x%3Fmode=ro", "-db"])


@PROFILE
@given(
    kind=st.sampled_from(PATH_KINDS),
    name=_names,
    data=st.binary(max_size=64),
    command=st.sampled_from(["state", "events", "import-failing", "import-good", "verify"]),
)
def test_fuzz_paths(
    kind: str, name: str, data: bytes, command: str, files: dict[str, Path]
) -> None:
    _count("paths")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = _make(kind, folder, name, data, files["bundled"])
        before_tree = _tree(folder)
        before_events = _events(str(path)) if kind in ("ledger", "symlink-to-ledger") else None
        args = {
            "import-failing": ["import", str(files["failing"])],
            "import-good": ["import", str(files["extra"])],
        }.get(command, [command])
        result, took = _timed(*args, "--db", str(path))
        _check(result, took)
        if result.exit_code:
            assert _tree(folder) == before_tree, f"{kind} {command}: a failed command left files"
            if before_events is not None:
                assert _events(str(path)) == before_events
        elif command == "import-good":
            assert _events(str(path)) == _events(str(files["expected"])), kind
        for sub in folder.rglob("*"):
            if sub.is_dir() and not sub.is_symlink():
                sub.chmod(0o700)


# --- the environment -------------------------------------------------------------------------

_VARIABLES = [
    "CHANCERY_DB",
    "CHANCERY_SQLITE_DBNAME",
    "CHANCERY_PERSISTENCE_MODULE",
    "CHANCERY_POSTGRES_SCHEMA",
    "CHANCERY_POSTGRES_DBNAME",
    "CHANCERY_COMPRESSOR_TOPIC",
    "CHANCERY_CREATE_TABLE",
    "PERSISTENCE_MODULE",
    "SQLITE_DBNAME",
    "SQLITE_LOCK_TIMEOUT",
    "POSTGRES_HOST",
    "POSTGRES_PORT",
    "POSTGRES_SCHEMA",
    "POSTGRES_PASSWORD",
    "POSTGRES_LOCK_TIMEOUT",
    "COMPRESSOR_TOPIC",
    "CIPHER_TOPIC",
    "CIPHER_KEY",
    "CREATE_TABLE",
    "APPLICATION_RECORDER_TOPIC",
    "ORIGINATOR_ID_TYPE",
    "IS_SNAPSHOTTING_ENABLED",
    "MAPPER_TOPIC",
    "TRANSCODER_TOPIC",
]
_VALUES = st.one_of(
    _text,
    st.sampled_from(
        [
            "zlib",
            "eventsourcing.compressor:ZlibCompressor",
            "eventsourcing.cipher:AESCipher",
            "eventsourcing.popo",
            "eventsourcing.sqlite",
            "eventsourcing.postgres",
            "/tmp/chancery-fuzz-elsewhere/ledger.sqlite",
            "text",
            "no",
            "y",
            "0",
            "-1",
            "chancery_fuzz_elsewhere",
        ]
    ),
)
_environments = st.dictionaries(
    st.sampled_from(_VARIABLES)
    | st.builds(lambda s: f"CHANCERY_{s}", st.from_regex(r"[A-Z_]{1,12}", fullmatch=True)),
    _VALUES,
    max_size=6,
)


def _clean_env(env: dict[str, str]) -> dict[str, str | None]:
    return {k: v.replace("\x00", "") for k, v in env.items()}


@PROFILE
@given(env=_environments)
def test_fuzz_environment_sqlite(env: dict[str, str], files: dict[str, Path]) -> None:
    """With any environment, an import lands in the ledger --db names, in the usual form."""
    _count("environment-sqlite")
    with tempfile.TemporaryDirectory() as scratch:
        ledger = Path(scratch) / "ledger.sqlite"
        shutil.copyfile(files["bundled"], ledger)
        result, took = _timed(
            "import", str(files["extra"]), "--db", str(ledger), env=_clean_env(env)
        )
        _check(result, took)
        assert result.exit_code == 0, result.output
        assert _events(str(ledger)) == _events(str(files["expected"]))
        failed, took = _timed(
            "import", str(files["failing"]), "--db", str(ledger), env=_clean_env(env)
        )
        _check(failed, took)
        assert failed.exit_code == 1
        assert _events(str(ledger)) == _events(str(files["expected"]))
    assert not Path("/tmp/chancery-fuzz-elsewhere").exists()


@pytest.fixture(scope="module")
def postgres_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    made = Locations("postgres", tmp_path_factory.mktemp("fuzz-pg"))
    location = made.new()
    assert cli("import", "--bundled", "--db", location).exit_code == 0
    yield location
    made.drop()


@PROFILE
@given(env=_environments)
def test_fuzz_environment_postgres(
    env: dict[str, str], postgres_ledger: str, files: dict[str, Path]
) -> None:
    """With any environment, queries read and failed imports leave the PostgreSQL ledger that
    --db names; no other schema appears."""
    _count("environment-postgres")
    before = _events(postgres_ledger)
    for args in (["events", "--json"], ["import", str(files["failing"])]):
        result, took = _timed(*args, "--db", postgres_ledger, env=_clean_env(env))
        _check(result, took)
        assert result.exit_code == (0 if args[0] == "events" else 1), result.output
        if args[0] == "events":
            assert _without_recorded_at(json.loads(result.stdout)) == before
    assert _events(postgres_ledger) == before
    assert not pg_schema_exists("chancery_fuzz_elsewhere")


def test_the_fuzz_profile_is_chosen_by_chancery_fuzz() -> None:
    expected = 400 if os.environ.get("CHANCERY_FUZZ") == "long" else 30
    assert PROFILE.max_examples == expected


def teardown_module() -> None:
    """Drop any schema a fuzzed import may have created on purpose-built names."""
    try:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True, connect_timeout=3) as conn:
            rows = conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'chancery\\_fuzz\\_%'"
            ).fetchall()
            for (name,) in rows:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))
    except psycopg.Error:
        pass
