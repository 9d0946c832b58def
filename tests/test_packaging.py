"""The wheel installs one top-level name, `chancery`, so it can live beside any other package."""

from __future__ import annotations

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
        "chancery/domain/ledger.py",
        "chancery/extraction/extract.py",
        "chancery/projections/state.py",
        "chancery/seeds/nato-russia.yaml",
        "chancery/terminal/safe.py",
        "chancery/reports/html.py",
        "chancery/reports/assets/report.js",  # the HTML report's script and style ship too
        "chancery/reports/assets/report.css",
    } <= set(names)
    assert not [name for name in names if name.startswith("chancery/tests/")]


def test_python_dash_m_and_version_report_the_installed_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chancery", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"chancery {metadata.version('chancery')}"
