"""The wheel installs one top-level name, `chancery`, so it can live beside any other package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from tests.conftest import REPO


def test_the_wheel_installs_only_the_chancery_package(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), "."],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("chancery-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {
        name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
    }
    assert top_level == {"chancery"}
    assert {
        "chancery/__main__.py",
        "chancery/cli.py",
        "chancery/application/ledger.py",
        "chancery/domain/aggregates.py",
        "chancery/importing/dataset.py",
        "chancery/storage/ledger.py",
        "chancery/extraction/extract.py",
        "chancery/projections/state.py",
        "chancery/seeds/nato-russia.yaml",
        "chancery/terminal/safe.py",
        "chancery/reports/html.py",
        "chancery/reports/assets/report.js",  # the HTML report's script and style ship too
        "chancery/reports/assets/report.css",
    } <= set(names)
    assert not [name for name in names if name.startswith("chancery/tests/")]
    shipped = {name.rsplit("/", 1)[0] for name in names if name.endswith("/__init__.py")}
    assert shipped >= {f"chancery/{package}" for package in _source_packages()}


def _source_packages() -> set[str]:
    """Every folder of the checkout that holds Python modules of the package (a package the
    wheel's list forgot would install a `chancery` that fails on import)."""
    left_out = {"tests", "benchmarks", "build", "docs"}
    return {
        str(init.parent.relative_to(REPO))
        for init in REPO.glob("*/__init__.py")
        if init.parent.name not in left_out and not init.parent.name.startswith(".")
    }


def test_python_dash_m_and_version_report_the_installed_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chancery", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"chancery {metadata.version('chancery')}"


HEAVY = (
    "psycopg",
    "edtf",
    "chancery.domain.actions",
    "matplotlib",
    "pysbd",
    "yaml",
    "pycountry",
    "countryinfo",
)
"""Modules a query on a SQLite ledger, or --help, has no use for (each costs start-up time)."""


def _loaded_by(*args: str, watched: tuple[str, ...] = HEAVY) -> list[str]:
    """The modules whose names start with one of `watched` that the command loaded."""
    script = (
        "import json, runpy, sys\n"
        f"sys.argv = ['chancery', *{list(args)!r}]\n"
        "try:\n    runpy.run_module('chancery', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"loaded = sorted(m for m in sys.modules if m.startswith({watched!r}))\n"
        "print(json.dumps(loaded), file=sys.stderr)\n"
    )
    piped = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # output to a pipe
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=piped)
    return json.loads(done.stderr.strip().splitlines()[-1])  # the list printed last


def test_help_and_a_query_load_no_heavy_module(bundled_location: str) -> None:
    assert _loaded_by("--help") == []
    if "://" not in bundled_location:  # a PostgreSQL ledger needs psycopg, of course
        assert _loaded_by("state", "--as-of", "2021-10-20", "--db", bundled_location) == []


STATE_NEEDS_NONE_OF = (
    "eventsourcing",
    "pydantic",
    "rich",
    "chancery.storage.ledger",
    "chancery.domain.dates",
    "chancery.projections.models",
)
"""What `state --json` answers without, on either store (start-up is to stay within 1.5× of
importing typer, rich, pydantic and eventsourcing): the ledger application and its
persistence, pydantic models (each costs start-up time to build), rich's console. Importing
the bare `pydantic`, `rich` and `eventsourcing` packages loads none of these submodules."""


def test_state_json_loads_no_application_model_or_console(bundled_location: str) -> None:
    db = ("--db", bundled_location)
    for args in (
        ("state", "--json", "--as-of", "2021-10-20", *db),
        ("state", "--json", "--channel", "russia-mission-to-nato", *db),
        ("state", "--json", "--known-at", "2021-10-10", "--as-of", "2021-10-20", *db),
    ):
        assert _loaded_by(*args, watched=STATE_NEEDS_NONE_OF) == [], args


def test_the_piped_state_table_is_drawn_without_models_or_console(bundled_location: str) -> None:
    """The table is drawn from the rows' JSON form, as `--json` prints them (rich's character
    widths, a small table module, are all it takes of rich when the output is piped)."""
    watched = (*(m for m in STATE_NEEDS_NONE_OF if m != "rich"), "rich.console", "rich.table")
    for args in (
        ("state", "--as-of", "2021-10-20", "--db", bundled_location),
        ("state", "--channel", "russia-mission-to-nato", "--db", bundled_location),
    ):
        assert _loaded_by(*args, watched=watched) == [], args
