"""The HTML report: one self-contained file that works offline.

Everything is inline (styles, the little script, the call trees as nested `<details>`), no
fonts, images or scripts are fetched, so the file can be attached to a CI run or sent in a
chat. A step's details are a native `<details>` element, open without any script.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from replay import __version__
from replay.capture.fingerprint import short_sql
from replay.reporters.base import Reporter
from replay.reporters.charts import distribution_chart, time_chart
from replay.reporters.console import shown_name, summary_line
from replay.result import RunResult, StepResult

_environment: Environment | None = None


def environment() -> Environment:
    global _environment  # noqa: PLW0603 - one template environment per process
    if _environment is None:
        _environment = Environment(
            loader=PackageLoader("replay", "reporters/templates"),
            autoescape=select_autoescape(["html", "j2"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _environment.filters["ms"] = format_ms
        _environment.filters["short"] = short_sql
        _environment.filters["shown_name"] = lambda step: shown_name(step.index, step.name)
    return _environment


def format_ms(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def step_totals(result: RunResult) -> dict[str, Any]:
    steps = result.steps
    return {
        "steps": len(steps),
        "passed": sum(1 for s in steps if s.passed),
        "queries": sum(s.queries.count for s in steps),
        "sql_ms": sum(s.queries.time_ms for s in steps),
        "wall_ms": sum(s.wall_ms for s in steps),
        "findings": sum(1 for s in steps for f in s.n_plus_one if f.severity != "allowed"),
    }


def slowest(result: RunResult) -> float:
    return max((s.wall_ms for s in result.steps), default=0.0) or 1.0


def finding_sites(step: StepResult) -> set[str]:
    return {f.call_site for f in step.n_plus_one if f.severity != "allowed"}


class HtmlReporter(Reporter):
    extension = ".html"

    def render(self, result: RunResult) -> str:
        return self.render_many([result])

    def render_many(self, results: Sequence[RunResult]) -> str:
        template = environment().get_template("report.html.j2")
        return template.render(
            results=results,
            version=__version__,
            totals=step_totals,
            slowest=slowest,
            summary=summary_line,
            finding_sites=finding_sites,
            charts=Charts,
        )


class Charts:
    """The chart functions the template calls."""

    time = staticmethod(time_chart)
    distribution = staticmethod(distribution_chart)
