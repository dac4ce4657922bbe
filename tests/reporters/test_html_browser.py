"""The HTML report in a real headless Chromium: it loads with no console errors and no
network requests, and a step's details open.

Chromium is Debian's package (`apt-get install chromium`), driven with Playwright's Python API
(not a browser Playwright downloads). CI sets REPLAY_REQUIRE_BROWSER=1 so the check cannot
silently skip there; elsewhere a missing browser skips with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from replay.reporters.base import reporter_for
from replay.result import RunResult

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("REPLAY_REQUIRE_BROWSER"):
            pytest.fail("REPLAY_REQUIRE_BROWSER is set but chromium is not installed")
        pytest.skip("chromium is not installed (apt-get install chromium) to check the report")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report(twenty_step_run: RunResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(reporter_for("html").render(twenty_step_run), encoding="utf-8")
    return path


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    opened = browser.new_page()
    yield opened
    opened.close()


def test_report_loads_offline_and_opens_a_step(page: Any, report: Path) -> None:
    errors: list[str] = []
    requests: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")

    assert errors == []
    assert requests == [report.as_uri()]
    assert page.evaluate("document.getElementById('r1-s3').open") is False
    page.click("#r1-s3 > summary")
    assert page.evaluate("document.getElementById('r1-s3').open") is True
    assert page.is_visible("#r1-s3 .chat")


def test_failed_only_filter_hides_passing_steps(page: Any, report: Path) -> None:
    page.goto(report.as_uri())
    page.click("text=Failed only")
    visible = page.evaluate(
        "Array.from(document.querySelectorAll('details.step')).filter(d => !d.hidden).length"
    )
    assert visible == 1


def test_link_in_the_summary_opens_its_step(page: Any, report: Path) -> None:
    page.goto(report.as_uri())
    page.click("a[data-step='r1-s19']")
    assert page.evaluate("document.getElementById('r1-s19').open") is True
