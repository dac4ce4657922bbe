"""A report directory: per scenario its HTML, JSON and JUnit, and an index.html linking them.

`render_directory` returns {file name: text}; the CLI writes them. `make profile-all` uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from replay import __version__
from replay.reporters.html import HtmlReporter, environment, step_totals
from replay.reporters.jsonformat import JsonReporter
from replay.reporters.junit import JunitReporter
from replay.result import RunResult


def render_directory(results: Sequence[RunResult]) -> dict[str, str]:
    files: dict[str, str] = {}
    entries = []
    html, json_, junit = HtmlReporter(), JsonReporter(), JunitReporter()
    for result in results:
        stem = result.scenario or "scenario"
        files[f"{stem}.html"] = html.render(result)
        files[f"{stem}.json"] = json_.render(result)
        files[f"{stem}.junit.xml"] = junit.render(result)
        totals = step_totals(result)
        entries.append(
            {
                "name": stem,
                "status": result.status,
                "steps": totals["steps"],
                "passed": totals["passed"],
                "queries": totals["queries"],
                "findings": totals["findings"],
                "ms": result.duration_ms,
                "description": result.description,
                "html": f"{stem}.html",
                "json": f"{stem}.json",
                "junit": f"{stem}.junit.xml",
            }
        )
    files["junit.xml"] = junit.render_many(results)
    template = environment().get_template("index.html.j2")
    files["index.html"] = template.render(
        entries=entries,
        passed=sum(1 for r in results if r.passed),
        generated=datetime.now(UTC).isoformat(timespec="seconds"),
        version=__version__,
    )
    return files
