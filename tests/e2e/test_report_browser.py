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
from datetime import date, timedelta
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


def state_table(driver: Any) -> dict[str, dict[str, str]]:
    """The page's state table as shown: each channel's cells by column heading (the text
    the page holds, newlines kept), plus its `data-status` and `data-certainty`."""
    return driver.execute_script(
        """
        var heads = Array.from(document.querySelectorAll('#state thead th'), function (h) {
          return h.textContent;
        });
        var table = {};
        document.querySelectorAll('#state tr[data-channel]').forEach(function (row) {
          var cells = {};
          Array.from(row.children).forEach(function (td, i) { cells[heads[i]] = td.textContent; });
          cells['data-status'] = row.getAttribute('data-status');
          cells['data-certainty'] = row.getAttribute('data-certainty');
          table[row.getAttribute('data-channel')] = cells;
        });
        return table;
        """
    )


def mission_row(driver: Any) -> dict[str, str]:
    return state_table(driver)[MISSION]


def choose_date(driver: Any, day: str) -> None:
    """Set the page's date control as a reader does, firing its change event."""
    control = driver.find_element("id", "as-of")
    driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
        control,
        day,
    )


def printed_state(location: str, day: str) -> dict[str, dict[str, str]]:
    """What `chancery state --as-of DAY` prints, piped (each channel a block of `label: value`
    lines, a cell's further lines indented under its first): {slug: {label: cell}}."""
    result = runner.invoke(app, ["state", "--db", location, "--as-of", day], env={"COLUMNS": ""})
    assert result.exit_code == 0, result.output
    table: dict[str, dict[str, str]] = {}
    cells: dict[str, str] = {}
    label = ""
    for line in result.stdout.split("\n\n", 1)[1].splitlines():
        if line and not line.startswith(" ") and not line.startswith("["):
            cells = table.setdefault(line.split(" ")[0], {})
        elif line.startswith("  ") and not line.startswith("   ") and ":" in line:
            label, _, value = line.strip().partition(":")
            cells[label] = value.strip()
        elif line.startswith("   "):
            cells[label] += "\n" + line.strip()
    return table


def console_errors(driver: Any) -> list[Any]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_report_recomputes_the_state_for_any_date_in_the_browser(
    browser: Any, bundled_location: str, tmp_path: Path
) -> None:
    page = write_report(bundled_location, tmp_path / "report.html", "--as-of", "2021-10-20")
    html = page.read_text(encoding="utf-8")
    assert "http://" not in html.replace('"http://www.w3.org', "") and "https://" not in html
    # The suspension was only announced, and the page says how old the evidence is.
    announced = "suspended (announced 2021-10-18; effective date not reported)"
    withdrawn = "10\n8 accreditations withdrawn in all"
    expected = {
        # The latest event by 5 October 2021 is the 2018 cut: "2018" ends 2 years before.
        "2021-10-05": (
            "active",
            "20 (inferred)",
            "certain",
            "active (inferred), certain\nlast reported 2018, 2 years before",
        ),
        "2021-10-07": ("active", withdrawn, "certain", "active (inferred), certain"),
        "2021-10-20": ("suspended", withdrawn, "announced", announced),
        "2026-12-01": (
            "suspended",
            withdrawn,
            "announced",
            announced + "\nlast reported 2021-10-18, 5 years before",
        ),
    }
    for day, (status, cap, certainty, said) in expected.items():
        browser.get(f"{page.as_uri()}#as-of={day}")
        browser.refresh()  # a new fragment on the same file is not a new load without it
        row = mission_row(browser)
        assert (row["data-status"], row["Staff cap"], row["data-certainty"]) == (
            status,
            cap,
            certainty,
        ), (day, row)
        assert row["Status"] == said, (day, row)
        assert browser.find_element("id", "as-of-label").text == day
    # The cap and the running total of withdrawals, as the terminal says them.
    browser.get(page.as_uri())
    shown = browser.find_elements("css selector", f'tr[data-channel="{MISSION}"] td')
    assert "10\n8 accreditations withdrawn in all" in [cell.text for cell in shown]  # as drawn
    assert "(reported)" not in html
    choose_date(browser, "2019-06-30")
    row = mission_row(browser)
    assert (row["data-status"], row["Staff cap"]) == ("active", "20 (inferred)")
    assert row["Status"] == "active (inferred), certain"  # "2018" is not a year old yet
    assert browser.execute_script("return window.location.hash") == "#as-of=2019-06-30"
    assert console_errors(browser) == []
    ARTIFACTS.mkdir(exist_ok=True)
    store = "postgres" if bundled_location.startswith("postgresql") else "sqlite"
    shot = ARTIFACTS / f"report-{store}.png"
    assert browser.save_screenshot(str(shot))
    print(f"screenshot: {shot}")


# Days around the bundled data's changes and the anniversaries of its evidence: before any
# event, inside the 2014 and 2015 intervals, the day before and of the 2021 cut, the
# announcements, 004's report, and the evidence a year, and five years, old.
DAYS = (
    "2013-06-01",
    "2014-06-30",
    "2015-12-31",
    "2018-06-30",
    "2019-12-30",
    "2019-12-31",
    "2021-10-05",
    "2021-10-06",
    "2021-10-18",
    "2021-11-29",
    "2022-10-17",
    "2022-10-18",
    "2026-12-01",
)


def test_every_cell_on_every_day_is_what_state_prints(
    browser: Any, bundled_location: str, tmp_path: Path
) -> None:
    """The page's cells, for days chosen with its date control, are the cells `chancery
    state --as-of DAY` prints: every column, every channel (an empty cell is a label the
    terminal leaves out)."""
    page = write_report(bundled_location, tmp_path / "report.html", "--as-of", "2021-10-20")
    browser.get(page.as_uri())
    compared = 0
    for day in DAYS:
        choose_date(browser, day)
        shown = state_table(browser)
        printed = printed_state(bundled_location, day)
        assert set(shown) == set(printed)
        for slug, cells in shown.items():
            columns = {k: v for k, v in cells.items() if k not in ("Channel", "Name")}
            said = {k: v for k, v in columns.items() if v and not k.startswith("data-")}
            terminal = {k: v for k, v in printed[slug].items() if k in columns}
            assert said == terminal, (day, slug)
            compared += len(said)
    assert compared > len(DAYS) * len(shown)  # every channel a status, most of them more
    assert console_errors(browser) == []


def test_a_date_beyond_the_page_says_where_to_ask(
    browser: Any, bundled_location: str, tmp_path: Path
) -> None:
    """The age of the evidence grows for ever, so the page's rows stop at a date; a later
    day shows no stale words but says which command answers it."""
    from chancery.reports.html import page_until

    page = write_report(bundled_location, tmp_path / "report.html", "--as-of", "2021-10-20")
    until = page_until(date(2021, 10, 20))
    browser.get(page.as_uri())
    assert browser.find_element("id", "as-of").get_attribute("max") == until.isoformat()
    choose_date(browser, until.isoformat())
    printed = printed_state(bundled_location, until.isoformat())
    assert mission_row(browser)["Status"] == printed[MISSION]["Status"]
    assert "30 years before" in printed[MISSION]["Status"]
    assert browser.find_element("id", "as-of-note").text == ""
    choose_date(browser, (until + timedelta(days=1)).isoformat())
    row = mission_row(browser)
    assert (row["Status"], row["Since"], row["Staff cap"], row["data-status"]) == ("",) * 4
    note = browser.find_element("id", "as-of-note").text
    assert until.isoformat() in note and "chancery state --as-of" in note
    choose_date(browser, "2021-10-20")
    assert browser.find_element("id", "as-of-note").text == ""
    assert mission_row(browser)["Staff cap"] == "10\n8 accreditations withdrawn in all"


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
    assert state_table(browser)["mission"]["Staff cap"] == "10"
    assert console_errors(browser) == []


def test_report_errors_are_one_line(bundled_location: str) -> None:
    for args, complaint, code in (
        (("--out", "/nonexistent-dir/r.html"), "--out: cannot write", 1),
        (("--out", "r.html", "--as-of", "2021-02-30"), "--as-of", 2),
    ):
        result = runner.invoke(app, ["report", "--db", bundled_location, *args])
        assert result.exit_code == code, result.output
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
    command = ["history", "--channel", "nato-russia-council", "--db", bundled_location]
    history = runner.invoke(app, command)
    steps = json.loads(runner.invoke(app, [*command, "--json"]).stdout)["steps"]
    assert history.exit_code == 0 and len(steps) > 2
    shown = " ".join(command[:3])
    assert f"{len(steps) - 2} more steps: <code>chancery {shown}</code> shows them all" in text
    found = re.search(r'<script type="application/json" id="chancery-data">(.*?)</script>', text)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["as_of"] == "2021-10-20"
    channels = json.loads(runner.invoke(app, ["state", "--db", bundled_location, "--json"]).stdout)
    assert set(data["segments"]) == {c["id"] for c in channels["channels"]}
    assert all(rows and rows[-1]["end"] is None for rows in data["segments"].values())
    assert data["until"] == "2051-12-31" and "chancery state --as-of" in data["beyond"]
