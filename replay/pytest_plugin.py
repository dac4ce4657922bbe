"""Scenarios as tests: `pytest --replay scenarios/` collects each scenario file as one test.

Expectations and budgets are the assertions: a scenario passes when every step passed. The
plugin is registered through the `pytest11` entry point and stays idle (importing nothing of
replay's engine) unless `--replay` is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SCENARIO_SUFFIXES = {".yaml", ".yml"}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("replay", "replay scenarios as tests")
    group.addoption(
        "--replay",
        action="append",
        default=[],
        metavar="PATH",
        help="Collect the scenario files in PATH (a file or directory) as tests.",
    )
    group.addoption(
        "--replay-app",
        default=None,
        metavar="MODULE:FUNCTION",
        help="App factory for the scenarios (default: the scenario's or pyproject's).",
    )
    group.addoption(
        "--replay-report-dir",
        default=None,
        metavar="DIR",
        help="Also write each scenario's HTML/JSON/JUnit report to DIR.",
    )


def _replay_roots(config: pytest.Config) -> list[Path]:
    return [Path(p).resolve() for p in config.getoption("replay") or []]


def pytest_configure(config: pytest.Config) -> None:
    roots = _replay_roots(config)
    for root in roots:
        if not root.exists():
            msg = f"--replay {root.name}: no such file or directory"
            raise pytest.UsageError(msg)
        # Collect the scenario paths alongside whatever pytest collects anyway (testpaths).
        if str(root) not in config.args:
            config.args.append(str(root))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in SCENARIO_SUFFIXES or file_path.name.startswith("_"):
        return None
    roots = _replay_roots(parent.config)
    resolved = file_path.resolve()
    if any(resolved == root or root in resolved.parents for root in roots):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioFailed(Exception):
    """A scenario with failed steps; carries the rendered report."""


class ScenarioItem(pytest.Item):
    def runtest(self) -> None:
        from replay.options import RunOptions
        from replay.reporters.console import ConsoleReporter
        from replay.runner import run_scenario

        options = RunOptions(app=self.config.getoption("replay_app"))
        result = run_scenario(self.path, options)
        report_dir = self.config.getoption("replay_report_dir")
        if report_dir:
            from replay.reporters.directory import render_directory

            directory = Path(report_dir)
            directory.mkdir(parents=True, exist_ok=True)
            for name, text in render_directory([result]).items():
                if name not in {"index.html", "junit.xml"}:
                    (directory / name).write_text(text, encoding="utf-8")
        self.user_properties.append(("queries", sum(s.queries.count for s in result.steps)))
        if not result.passed:
            raise ScenarioFailed(ConsoleReporter(width=110, table=False).render(result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        from replay.errors import ReplayError

        if isinstance(excinfo.value, ScenarioFailed | ReplayError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario {self.name}"
