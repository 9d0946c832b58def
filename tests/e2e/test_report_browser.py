"""`chancery report`: the offline HTML file, checked in a real headless Chromium (Debian's
`chromium` and `chromium-driver`, driven by selenium).

Without a browser these tests skip, saying why; with `CI=true` they fail instead, like the
PostgreSQL tests: CI must exercise the report in a browser. The screenshot of each run is
saved under tests/artifacts/ (ignored by git) and its path printed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from chancery.cli import app
from typer.testing import CliRunner

from tests.conftest import _POSTGRES_PROBLEM, BASE_DECLARATIONS, REPO, event

runner = CliRunner()
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
MISSION = "russia-mission-to-nato"
IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")


def _browser_problem() -> str | None:
    missing = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    if missing:
        return f"{' and '.join(missing)} not found (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    problem = _browser_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"CI requires the browser tests, but: {problem}")
        pytest.skip(problem)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.add_argument("--window-size=1280,1600")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def write_report(location: str, out: Path, *args: str) -> Path:
    result = runner.invoke(app, ["report", "--db", location, "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def mission_row(driver: Any) -> dict[str, str]:
    row = driver.find_element("css selector", f'tr[data-channel="{MISSION}"]')
    return {
        "status": row.get_attribute("data-status"),
        "certainty": row.get_attribute("data-certainty"),
        "cap": row.get_attribute("data-staff-cap"),
        "text": row.text,
    }


def console_errors(driver: Any) -> list[Any]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_report_recomputes_the_state_for_any_date_in_the_browser(
    browser: Any, bundled_location: str, tmp_path: Path
) -> None:
    page = write_report(bundled_location, tmp_path / "report.html", "--as-of", "2021-10-20")
    html = page.read_text(encoding="utf-8")
    assert "http://" not in html.replace('"http://www.w3.org', "") and "https://" not in html
    # Issue 13: the suspension was only announced, and the page says how old the evidence is.
    announced = "suspended (announced 2021-10-18; effective date not reported)"
    expected = {
        # The latest event by 5 October 2021 is the 2018 cut: "2018" ends 2 years before.
        "2021-10-05": ("active", "20", "certain", "certain last reported 2018, 2 years before"),
        "2021-10-07": ("active", "10", "certain", "active (inferred), certain"),
        "2021-10-20": ("suspended", "10", "announced", announced),
        "2026-12-01": ("suspended", "10", "announced", "last reported 2021-10-18, 5 years before"),
    }
    stale = {"2021-10-05", "2026-12-01"}
    for day, (status, cap, certainty, said) in expected.items():
        browser.get(f"{page.as_uri()}#as-of={day}")
        browser.refresh()  # a new fragment on the same file is not a new load without it
        row = mission_row(browser)
        assert (row["status"], row["cap"], row["certainty"]) == (status, cap, certainty), (day, row)
        assert said in " ".join(row["text"].split()), (day, row)
        assert ("last reported" in row["text"]) == (day in stale), (day, row)
        assert browser.find_element("id", "as-of-label").text == day
    control = browser.find_element("id", "as-of")
    browser.execute_script(
        "arguments[0].value = '2021-10-05';"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
        control,
    )
    row = mission_row(browser)
    assert (row["status"], row["cap"]) == ("active", "20")
    assert "active (inferred), certain" in row["text"] and "20 (inferred)" in row["text"]
    assert browser.execute_script("return window.location.hash") == "#as-of=2021-10-05"
    assert console_errors(browser) == []
    ARTIFACTS.mkdir(exist_ok=True)
    store = "postgres" if bundled_location.startswith("postgresql") else "sqlite"
    shot = ARTIFACTS / f"report-{store}.png"
    assert browser.save_screenshot(str(shot))
    print(f"screenshot: {shot}")


def test_hostile_text_in_the_report_is_shown_not_run(
    browser: Any, ledger_location: str, write_file: Callable[..., Path], tmp_path: Path
) -> None:
    payload = "</script><script>window.pwned=1</script><img src=x onerror=window.pwned=2>"
    declarations = {
        **BASE_DECLARATIONS,
        "sources": [
            {
                "id": "src",
                "outlet": payload,
                "headline": "<b>bold?</b>",
                "published": "2021-10-07",
                "url": "javascript:window.pwned=3",
            },
            BASE_DECLARATIONS["sources"][1],
        ],
    }
    record = event(
        "cut",
        "staff_cap_changed",
        "mission",
        "2021-10-06",
        to_cap=10,
        citations=[{"source": "src", "quote": payload}],
    )
    path = write_file({**declarations, "events": [record]})
    assert runner.invoke(app, ["import", str(path), "--db", ledger_location]).exit_code == 0
    page = write_report(ledger_location, tmp_path / "hostile.html", "--as-of", "2021-10-20")
    browser.get(page.as_uri())
    assert browser.execute_script("return window.pwned === undefined")
    body = browser.find_element("tag name", "body").text
    assert payload in body and "<b>bold?</b>" in body
    assert browser.find_elements("css selector", "a[href^='javascript']") == []
    assert (
        browser.find_element("css selector", 'tr[data-channel="mission"]').get_attribute(
            "data-staff-cap"
        )
        == "10"
    )
    assert console_errors(browser) == []


def test_report_errors_are_one_line(bundled_location: str) -> None:
    for args, complaint in (
        (("--out", "/nonexistent-dir/r.html"), "--out: cannot write"),
        (("--out", "r.html", "--as-of", "2021-02-30"), "--as-of"),
    ):
        result = runner.invoke(app, ["report", "--db", bundled_location, *args])
        assert result.exit_code == 1, result.output
        assert complaint in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_without_a_browser_ci_fails_instead_of_skipping(tmp_path: Path) -> None:
    """Run the browser test in a pytest whose PATH holds no chromium, with CI=true."""
    if _POSTGRES_PROBLEM:
        pytest.skip(_POSTGRES_PROBLEM)  # CI=true would stop the inner run for that instead
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/e2e/test_report_browser.py",
            "-k",
            "recomputes and sqlite",
        ],
        cwd=REPO,
        env={**os.environ, "CI": "true", "PATH": str(empty_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CI requires the browser tests, but: chromium and chromedriver not found" in (
        result.stdout
    )
    assert " skipped" not in result.stdout.splitlines()[-1]


def test_the_report_shows_a_bounded_history_per_channel_and_all_its_data(
    bundled_location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each channel's history stops after HISTORY_STEPS steps with the command that shows the
    rest; the page's data, written a channel at a time, is still one JSON object holding every
    channel's segments."""
    import json
    import re

    from chancery.reports import html as report_module

    monkeypatch.setattr(report_module, "HISTORY_STEPS", 2)
    page = write_report(bundled_location, tmp_path / "r.html", "--as-of", "2021-10-20")
    text = page.read_text(encoding="utf-8")
    history = runner.invoke(app, ["history", "--db", bundled_location, "nato-russia-council"])
    steps = json.loads(
        runner.invoke(
            app, ["history", "--db", bundled_location, "nato-russia-council", "--json"]
        ).stdout
    )["steps"]
    assert history.exit_code == 0 and len(steps) > 2
    assert f"{len(steps) - 2} more steps: <code>chancery history nato-russia-council</code>" in (
        text
    )
    found = re.search(r'<script type="application/json" id="chancery-data">(.*?)</script>', text)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["as_of"] == "2021-10-20"
    channels = json.loads(runner.invoke(app, ["state", "--db", bundled_location, "--json"]).stdout)
    assert set(data["segments"]) == {c["id"] for c in channels["channels"]}
    assert all(rows and rows[-1]["end"] is None for rows in data["segments"].values())
