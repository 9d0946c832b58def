"""Helpers shared by the store, fault and fuzz tests: run chancery, snapshot a ledger, probe
PostgreSQL schemas."""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psycopg
import yaml
from chancery.cli import app
from typer.testing import CliRunner

from tests.conftest import BASE_DECLARATIONS, POSTGRES_SERVER, event

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def cli(*args: str, env: dict[str, str | None] | None = None) -> Outcome:
    """Run chancery in-process, with CHANCERY_DB unset unless `env` sets it."""
    result = runner.invoke(app, list(args), env={"CHANCERY_DB": None, **(env or {})})
    exception = None if isinstance(result.exception, SystemExit) else result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr, exception)


def command(*args: str, user: int | None = None) -> list[str]:
    """The command line of `chancery ARGS`; as `user`, through the interpreter itself (not the
    checkout's virtual environment) over `readable_copy`."""
    if user is None:
        return [sys.executable, "-m", "chancery", *args]
    return [
        *("setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"),
        os.path.realpath(sys.executable),
        "-s",  # no user site folder: the copy alone supplies the packages
        "-m",
        "chancery",
        *args,
    ]


def process_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CHANCERY_DB"}
    return {**env, **extra}


def _where(user: int | None) -> tuple[Path, dict[str, str]]:
    """The working folder and environment of a command run as `user`."""
    if user is None:
        return REPO, process_env()
    copy = readable_copy()
    return copy, process_env(PYTHONPATH=str(copy))


def spawn(*args: str, user: int | None = None) -> subprocess.Popen[str]:
    cwd, env = _where(user)
    return subprocess.Popen(
        command(*args, user=user),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=env,
    )


def run(*args: str, user: int | None = None, timeout: float = 120) -> Outcome:
    cwd, env = _where(user)
    done = subprocess.run(
        command(*args, user=user),
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


_PROBE = """
import sys, tempfile
from pathlib import Path
from typer.testing import CliRunner
from chancery.cli import app
runner = CliRunner()
with tempfile.TemporaryDirectory() as folder:
    db = str(Path(folder) / "ledger.sqlite")
    for args in (["import", "--bundled"], ["events", "--json"], ["state", "--json"],
                 ["history", "nato-russia-council", "--json"], ["sources", "--json"],
                 ["disputes", "--json"], ["verify"]):
        runner.invoke(app, [*args, "--db", db])
for module in list(sys.modules.values()):
    print(getattr(module, "__file__", None) or "")
"""


@functools.cache
def readable_copy() -> Path:
    """Chancery and the third-party modules its commands load, copied to a folder that every
    user may read. A test that runs a command as another user (`nobody`) must not depend on
    that user reading the checkout or its virtual environment: a checkout in a folder of mode
    700 (a home folder) is out of `nobody`'s reach. Removed when the test session ends."""
    target = Path(tempfile.mkdtemp(prefix="chancery-readable-"))
    atexit.register(shutil.rmtree, target, True)
    skipped = shutil.ignore_patterns(".*", "tests", "__pycache__", "*.egg-info", "benchmarks")
    shutil.copytree(REPO, target / "chancery", ignore=skipped)
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, cwd=REPO
    )
    roots = [Path(folder) for folder in site.getsitepackages()]
    for name in filter(None, probe.stdout.splitlines()):
        path = Path(name)
        root = next((r for r in roots if r in path.parents), None)
        if root is None:
            continue  # the standard library, or chancery itself
        top = root / path.relative_to(root).parts[0]
        for found in (top, root / f"{top.name}.libs"):
            if not found.exists() or (target / found.name).exists():
                continue
            if found.is_dir():
                shutil.copytree(found, target / found.name, ignore=skipped)
            else:
                shutil.copy2(found, target / found.name)
    for folder, _, files in os.walk(target):
        os.chmod(folder, 0o755)
        for file in files:
            os.chmod(os.path.join(folder, file), 0o644)
    return target


def events_json(location: str) -> Any:
    """What `chancery events --json` says the ledger holds, or None if it cannot be read."""
    result = cli("events", "--json", "--db", location)
    return json.loads(result.stdout) if result.exit_code == 0 else None


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def failing_file(folder: Path, bulk: int = 0) -> Path:
    """An import that validates but breaks a rule at the end (cooperation suspended twice),
    after `bulk` good events: it fails only once its whole plan is built."""
    events = [
        event(
            f"bulk-{i}",
            "contacts_maintained",
            "contacts",
            str(date(2000, 1, 1) + timedelta(days=i)),
        )  # one statement a day: none reported twice
        for i in range(bulk)
    ]
    events += [
        event("coop-off", "cooperation_suspended", "cooperation", "2014"),
        event("coop-off-again", "cooperation_suspended", "cooperation", "2018"),
    ]
    return write_yaml(folder / f"failing-{bulk}.yaml", {**BASE_DECLARATIONS, "events": events})


def good_file(folder: Path, name: str = "good") -> Path:
    events = [event(f"{name}-contact", "contacts_maintained", "contacts", "2021-01-01")]
    return write_yaml(folder / f"{name}.yaml", {**BASE_DECLARATIONS, "events": events})


def schema_of(location: str) -> str:
    return parse_qs(urlsplit(location).query).get("schema", ["public"])[0]


def pg_schema_exists(name: str) -> bool:
    with psycopg.connect(POSTGRES_SERVER, connect_timeout=5) as conn:
        row = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (name,)).fetchone()
    return row is not None


def pg_has_events_table(name: str) -> bool:
    with psycopg.connect(POSTGRES_SERVER, connect_timeout=5) as conn:
        row = conn.execute("SELECT to_regclass(%s)", (f'"{name}".chancery_events',)).fetchone()
    return bool(row and row[0])


def pg_schemas() -> set[str]:
    with psycopg.connect(POSTGRES_SERVER, connect_timeout=5) as conn:
        return {row[0] for row in conn.execute("SELECT nspname FROM pg_namespace").fetchall()}


def ledger_appeared(location: str, folder: Path, before: set[str]) -> bool:
    """Whether an importer has started creating the ledger: a new file in the folder (the
    ledger itself, or its temporary file), or the PostgreSQL events table."""
    if "://" in location:
        return pg_has_events_table(schema_of(location))
    return bool(set(os.listdir(folder)) - before)


def wait_until(predicate: Any, process: subprocess.Popen[str], limit: float = 60) -> bool:
    """Poll `predicate` until it holds (True) or `process` ended or time ran out (False)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.002)
    return False


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGSTOP)


def resume(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGCONT)


def extra_file(folder: Path, name: str = "extra", count: int = 1) -> Path:
    """New events on a channel of the bundled dataset: a write, on a bundled ledger."""
    source = {"id": f"{name}-src", "outlet": "Wire", "published": "2022-02-01"}
    events = [
        event(
            f"{name}-{i}",
            "contacts_maintained",
            "nato-russia-military-contacts",
            "2022-01",
            citations=[{"source": f"{name}-src", "quote": f"quote {i}"}],
        )
        for i in range(count)
    ]
    return write_yaml(
        folder / f"{name}.yaml", {"chancery": 1, "sources": [source], "events": events}
    )
