"""`--workers K`: virtual users spread over K processes, histograms merged exactly.

Each worker is `python -m replay.load.workers` with its share of the plan on stdin: every
K-th virtual user (so ids never collide) and 1/K of the arrival rate. Workers report progress
and, at the end, their raw metrics (HdrHistograms encoded) as JSON lines on stdout; the parent
adds the histograms together, which is exact, unlike averaging percentiles.

On SQLite each worker has a sandbox of its own. With `--database-url` the workers share one
throwaway database: the parent creates it, runs the app factory once to create the schema and
seed it, and the workers' factories get `ctx.prepared = True` to skip that part.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from pyinstrument.session import Session

from replay.capture.profile import combine
from replay.errors import ReplayError
from replay.load.driver import Progress
from replay.load.metrics import LoadMetrics
from replay.load.plan import LoadPlan
from replay.options import RunOptions
from replay.project import Project
from replay.result import RunResult
from replay.scenario.model import Scenario


def share(plan: LoadPlan, worker: int, workers: int) -> LoadPlan:
    """Worker `worker`'s part of the plan (0-based)."""
    users = plan.users // workers + (1 if worker < plan.users % workers else 0)
    iterations = plan.iterations
    rate = plan.arrival_rate
    if plan.open_model:
        rate = (plan.arrival_rate or 1.0) / workers
        if iterations is not None:
            iterations = iterations // workers + (1 if worker < iterations % workers else 0)
        users = max(users, 1)
    return dataclasses.replace(
        plan,
        users=users,
        iterations=iterations,
        arrival_rate=rate,
        workers=1,
        vu_offset=plan.vu_offset + worker,
        vu_stride=plan.vu_stride * workers,
        min_throughput=None,
    )


async def run_workers(
    scenario: Scenario,
    plan: LoadPlan,
    options: RunOptions,
    *,
    project: Project,
    stop: asyncio.Event | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> RunResult:
    from replay.load.runner import load_result

    if not scenario.file:
        msg = "--workers needs a scenario file (the workers load it by its path)"
        raise ReplayError(msg)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    started = perf_counter()
    prepared = None
    if options.database_url:
        prepared = await _prepare_shared_database(scenario, options, project)
    try:
        worker_options = options
        if prepared is not None:
            worker_options = dataclasses.replace(options, database_url=None)
        processes = [
            await _spawn(scenario, share(plan, w, plan.workers), worker_options, project, prepared)
            for w in range(plan.workers)
        ]
        outcomes = await _collect(processes, stop, progress)
    finally:
        if prepared is not None:
            await prepared.close()
    metrics = LoadMetrics()
    sessions: dict[int, list[Session | None]] = {}
    setup_ms = 0.0
    for outcome in outcomes:
        metrics.merge(LoadMetrics.from_json(outcome["metrics"]))
        setup_ms = max(setup_ms, outcome["setup_ms"])
        for index, data in outcome.get("sessions", {}).items():
            sessions.setdefault(int(index), []).append(Session.from_json(data))
    profiles = {index: combine(found) for index, found in sessions.items()}
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


async def _prepare_shared_database(
    scenario: Scenario, options: RunOptions, project: Project
) -> Any:
    """Create the server database and let the app create its schema and seed it, once."""
    from replay.postgres import PostgresSandbox
    from replay.target import build_app, load_factory, resolve_app_ref

    assert options.database_url is not None
    sandbox = PostgresSandbox(options.database_url, scenario.name or "load")
    await sandbox.create()
    try:
        from replay.engine import ScenarioRun

        ref = resolve_app_ref(options.app, scenario.app, project.root)
        factory = load_factory(ref, project.root)
        run = ScenarioRun(scenario, options, project, factory, ref)
        run._sandbox = sandbox
        app = await build_app(factory, run._context(), ref)
        if app.shutdown is not None:
            result = app.shutdown()
            if asyncio.iscoroutine(result):
                await result
    except BaseException:
        await sandbox.close()
        raise
    return sandbox


async def _spawn(
    scenario: Scenario,
    plan: LoadPlan,
    options: RunOptions,
    project: Project,
    prepared: Any,
) -> asyncio.subprocess.Process:
    job = {
        "scenario": scenario.file,
        "plan": plan.to_json(),
        "options": dataclasses.asdict(options),
        "attach": prepared.database_url if prepared is not None else None,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "replay.load.workers",
        cwd=project.root,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        limit=64 * 1024 * 1024,
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps(job).encode() + b"\n")
    await process.stdin.drain()
    process.stdin.close()
    return process


async def _collect(
    processes: list[asyncio.subprocess.Process],
    stop: asyncio.Event | None,
    progress: Callable[[Progress], None] | None,
) -> list[dict[str, Any]]:
    latest: dict[int, Progress] = {}

    async def read(number: int, process: asyncio.subprocess.Process) -> dict[str, Any]:
        assert process.stdout is not None and process.stderr is not None
        result: dict[str, Any] | None = None
        async for line in process.stdout:
            message = json.loads(line)
            if message["type"] == "progress" and progress is not None:
                latest[number] = Progress(**message["progress"])
                progress(_sum(latest.values()))
            elif message["type"] == "result":
                result = message
        errors = (await process.stderr.read()).decode(errors="replace").strip()
        await process.wait()
        if result is None:
            last = errors.splitlines()[-1] if errors else f"exit status {process.returncode}"
            msg = f"load worker {number} ended without a result: {last}"
            raise ReplayError(msg)
        return result

    readers = [asyncio.create_task(read(n, p)) for n, p in enumerate(processes)]
    if stop is not None:
        waiter = asyncio.create_task(stop.wait())
        pending: set[asyncio.Task[Any]] = set(readers)
        while pending:
            done, pending = await asyncio.wait(
                {*pending, waiter}, return_when=asyncio.FIRST_COMPLETED
            )
            if waiter in done:
                for process in processes:  # they stop, then report what they measured
                    with contextlib.suppress(ProcessLookupError):
                        process.send_signal(signal.SIGINT)
                pending.discard(waiter)
                await asyncio.wait(pending)
                break
            pending.discard(waiter)
        waiter.cancel()
    return list(await asyncio.gather(*readers))


def _sum(progresses: Any) -> Progress:
    items = list(progresses)
    return Progress(
        elapsed=max(p.elapsed for p in items),
        active=sum(p.active for p in items),
        updates=sum(p.updates for p in items),
        rate=sum(p.rate for p in items),
        p95_ms=max(p.p95_ms for p in items),  # live display only; the report merges exactly
        errors=sum(p.errors for p in items),
    )


# -- the worker process -------------------------------------------------------------------


def _emit(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def _work(job: dict[str, Any]) -> None:
    from replay.load.runner import measure
    from replay.scenario.loader import load_scenario
    from replay.target import find_project_root

    scenario = load_scenario(job["scenario"])
    plan = LoadPlan.from_json(job["plan"])
    options = RunOptions(**job["options"])
    if job.get("attach"):
        options = dataclasses.replace(options, attach_database_url=job["attach"])
    project = Project(find_project_root(Path.cwd()))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, stop.set)
    metrics, sessions, setup_ms = await measure(
        scenario,
        plan,
        options,
        project,
        stop,
        lambda p: _emit({"type": "progress", "progress": dataclasses.asdict(p)}),
    )
    _emit(
        {
            "type": "result",
            "metrics": metrics.to_json(raw=True),
            "setup_ms": setup_ms,
            "sessions": {
                str(index): session.to_json()
                for index, session in sessions.items()
                if session is not None
            },
        }
    )


def main() -> None:
    job = json.loads(sys.stdin.readline())
    try:
        asyncio.run(_work(job))
    except ReplayError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
