"""Run a scenario in load mode and shape the outcome as a `RunResult` with a `load` section."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

from replay.capture import sql as sql_capture
from replay.capture.profile import summarize
from replay.engine import ScenarioRun
from replay.load.driver import LoadDriver, Progress
from replay.load.metrics import LoadMetrics
from replay.load.plan import LoadPlan
from replay.load.thresholds import evaluate
from replay.options import RunOptions
from replay.project import Project
from replay.result import FAILED, PASSED, RunResult, StepResult
from replay.scenario.model import Scenario, merged_expect
from replay.steps import step_label, unrolled_steps
from replay.target import find_project_root, load_factory, resolve_app_ref


async def run_load_async(
    scenario: Scenario,
    plan: LoadPlan,
    options: RunOptions | None = None,
    *,
    project: Project | None = None,
    stop: asyncio.Event | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> RunResult:
    """Run `scenario` as virtual users according to `plan` (in this process, or in workers)."""
    options = options or RunOptions()
    project = project or Project(find_project_root())
    if plan.workers > 1:
        from replay.load.workers import run_workers

        return await run_workers(
            scenario, plan, options, project=project, stop=stop, progress=progress
        )
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    started = perf_counter()
    metrics, profiles, setup_ms = await measure(scenario, plan, options, project, stop, progress)
    return load_result(
        scenario,
        plan,
        metrics,
        profiles,
        started_at,
        (perf_counter() - started) * 1000,
        setup_ms,
        project,
    )


async def measure(
    scenario: Scenario,
    plan: LoadPlan,
    options: RunOptions,
    project: Project,
    stop: asyncio.Event | None,
    progress: Callable[[Progress], None] | None,
) -> tuple[LoadMetrics, dict[int, Any], float]:
    """The raw metrics of one process's share of the virtual users."""
    sql_capture.set_project(project)
    ref = resolve_app_ref(options.app, scenario.app, project.root)
    factory = load_factory(ref, project.root)
    env = ScenarioRun(scenario, options, project, factory, ref)
    shared = frozenset(plan.shared)
    last_vu = plan.vu_offset + plan.vu_stride * max(expected_users(plan) - 1, 0) + 1
    env.extra_admin_ids = env.cast.admin_ids_of_vus(last_vu, shared)
    async with env:
        driver = LoadDriver(env, plan, stop=stop, progress=progress, seed=scenario.faker_seed)
        metrics = await driver.execute()
        profiles = driver.combined_sessions()
    return metrics, profiles, env.setup_ms


def expected_users(plan: LoadPlan) -> int:
    """How many virtual users this process will start (the most it can)."""
    if not plan.open_model:
        return plan.users
    arrivals = plan.iterations
    if plan.duration is not None:
        by_time = int(plan.duration * (plan.arrival_rate or 1.0)) + 1
        arrivals = by_time if arrivals is None else min(arrivals, by_time)
    return arrivals or 1


def load_result(
    scenario: Scenario,
    plan: LoadPlan,
    metrics: LoadMetrics,
    profiles: dict[int, Any],
    started_at: str,
    duration_ms: float,
    setup_ms: float,
    project: Project,
) -> RunResult:
    expects = {
        index: (
            (step.name or step_label(index, step)) + (suffix or ""),
            merged_expect(step, scenario),
        )
        for index, (step, suffix) in enumerate(unrolled_steps(scenario))
    }
    thresholds = evaluate(metrics, plan, expects)
    load: dict[str, Any] = {
        "plan": plan.to_json(),
        **metrics.to_json(),
        "thresholds": [t.to_json() for t in thresholds],
    }
    steps = []
    for index in sorted(metrics.steps):
        step_metrics = metrics.steps[index]
        breaches = tuple(t.message for t in thresholds if t.step == index and not t.passed)
        errors = ", ".join(f"{name} ×{count}" for name, count in step_metrics.errors.items())
        warnings = (
            (f"{step_metrics.failed} of {step_metrics.count} failed: {errors}",) if errors else ()
        )
        profile = summarize(profiles.get(index), project) if profiles.get(index) else None
        latency = step_metrics.latency
        steps.append(
            StepResult(
                index=index,
                name=step_metrics.name,
                actor=None,
                verb=step_metrics.verb,
                status=FAILED if breaches else PASSED,
                failures=breaches,
                wall_ms=round(latency.get_value_at_percentile(50) / 1000, 3),
                warnings=warnings + tuple(step_metrics.samples[:1]),
                profile=profile,
            )
        )
    run_breaches = [t for t in thresholds if t.step is None and not t.passed]
    failed = run_breaches or any(not step.passed for step in steps)
    return RunResult(
        scenario=scenario.name or "",
        status=FAILED if failed else PASSED,
        started_at=started_at,
        duration_ms=duration_ms,
        steps=tuple(steps),
        path=scenario.path,
        description=scenario.description,
        iterations=metrics.iterations,
        load=load,
        setup_ms=setup_ms,
    )
