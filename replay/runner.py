"""The public API: run a scenario, get a `RunResult`.

The CLI, the pytest plugin and the bot's `/profile` command all call `run_scenario` (or its
async twin), so all three give the same numbers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import statistics
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from replay.capture import sql as sql_capture
from replay.capture.profile import combine, summarize
from replay.engine import ScenarioRun
from replay.options import RunOptions
from replay.project import Project
from replay.result import ERROR, FAILED, PASSED, RunResult, StepResult, Timing, overall_status
from replay.scenario.loader import load_scenario
from replay.scenario.model import Scenario
from replay.step_run import StepRecord
from replay.target import find_project_root, load_factory, resolve_app_ref


def _project(project: Project | None) -> Project:
    return project or Project(find_project_root())


async def run_scenario_async(
    scenario: Scenario | str | Path,
    options: RunOptions | None = None,
    *,
    project: Project | None = None,
    **overrides: Any,
) -> RunResult:
    """Run `scenario` (a loaded one, or a path) and return its result.

    `overrides` are `RunOptions` fields, e.g. `run_scenario_async(path, iterations=3)`.
    Raises `ScenarioError` for a bad scenario and `ReplayError` for a bad app reference.
    """
    project = _project(project)
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    options = dataclasses.replace(options or RunOptions(), **overrides)
    sql_capture.set_project(project)
    ref = resolve_app_ref(options.app, scenario.app, project.root)
    factory = load_factory(ref, project.root)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    started = perf_counter()
    runs: list[list[StepRecord]] = []
    setup_ms = 0.0
    for _ in range(max(options.iterations, 1)):
        async with ScenarioRun(scenario, options, project, factory, ref) as run:
            records = await run.run_steps()
        setup_ms = setup_ms or run.setup_ms
        runs.append(records)
    steps = merge_iterations(runs, project)
    return RunResult(
        scenario=scenario.name or "",
        status=overall_status(steps),
        started_at=started_at,
        duration_ms=(perf_counter() - started) * 1000,
        steps=tuple(steps),
        path=scenario.path,
        description=scenario.description,
        iterations=len(runs),
        setup_ms=setup_ms,
    )


def run_scenario(
    scenario: Scenario | str | Path,
    options: RunOptions | None = None,
    *,
    project: Project | None = None,
    **overrides: Any,
) -> RunResult:
    """Synchronous `run_scenario_async` (starts its own event loop)."""
    return asyncio.run(run_scenario_async(scenario, options, project=project, **overrides))


def merge_iterations(runs: list[list[StepRecord]], project: Project) -> list[StepResult]:
    """One result per step over all iterations: min/median/max time, combined profile."""
    if len(runs) == 1:
        return [record.result for record in runs[0]]
    merged = []
    longest = max(len(records) for records in runs)
    for index in range(longest):
        records = [records[index] for records in runs if index < len(records)]
        merged.append(_merge_step(records, project))
    return merged


def _merge_step(records: list[StepRecord], project: Project) -> StepResult:
    results = [record.result for record in records]
    walls = [result.wall_ms for result in results]
    statuses = {result.status for result in results}
    status = ERROR if ERROR in statuses else FAILED if FAILED in statuses else PASSED
    failures = tuple(dict.fromkeys(f for result in results for f in result.failures))
    warnings = list(dict.fromkeys(w for result in results for w in result.warnings))
    counts = sorted({result.queries.count for result in results})
    if len(counts) > 1:
        warnings.append(
            f"the query count changed between iterations ({counts[0]}..{counts[-1]}): "
            "something in the bot depends on more than the seeded data"
        )
    sessions = [record.session for record in records]
    combined = combine(sessions)
    profile = summarize(combined, project, runs=len([s for s in sessions if s]))
    median = statistics.median(walls)
    return dataclasses.replace(
        results[-1],
        status=status,
        failures=failures,
        warnings=tuple(warnings),
        wall_ms=median,
        timing=Timing(min(walls), median, max(walls), len(walls)),
        profile=profile if combined else results[-1].profile,
    )
