"""The load driver: virtual users through one Dispatcher, one sandbox, one offline Telegram.

Closed model: `users` VUs start over the ramp and each repeats the scenario (iterations or
until the duration is over), thinking between steps. Open model: a VU arrives every 1/rate
seconds on a fixed schedule, whatever the bot's speed, and runs the scenario once; a slow bot
then shows growing latency instead of hiding it by slowing the arrivals down.

Latency is measured from when a step was *due* (the arrival, or the end of the previous step
plus think time) to when it finished; service time from when it actually started. The
difference is time spent waiting for the event loop, which the loop-lag monitor also samples.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from replay.capture.profile import StepProfiler, combine
from replay.engine import ScenarioRun
from replay.load.metrics import LoadMetrics, record
from replay.load.plan import LoadPlan
from replay.load.vu import run_lean_step
from replay.scenario.model import Expect, Step, merged_expect, step_timeout
from replay.steps import step_label, unrolled_steps

LAG_INTERVAL = 0.02
PROGRESS_INTERVAL = 1.0


@dataclass(frozen=True, slots=True)
class Progress:
    elapsed: float
    active: int
    updates: int
    rate: float  # updates per second over the last interval
    p95_ms: float
    errors: int


@dataclass(frozen=True, slots=True)
class _PlannedStep:
    index: int
    step: Step
    name: str
    expect: Expect
    timeout: float


class LoadDriver:
    def __init__(
        self,
        run: ScenarioRun,
        plan: LoadPlan,
        *,
        stop: asyncio.Event | None = None,
        progress: Callable[[Progress], None] | None = None,
        seed: int = 0,
    ) -> None:
        self.run_env = run
        self.plan = plan
        self.stop = stop or asyncio.Event()
        self.progress = progress
        self.metrics = LoadMetrics()
        self.active = 0
        self._random = random.Random(seed)
        self._profiling = False  # one sampled profile at a time: one async profiler per thread
        self.sessions: dict[int, list[Any]] = {}
        shared = frozenset(plan.shared)
        self._shared = shared
        scenario = run.scenario
        self.steps = [
            _PlannedStep(
                index,
                step,
                (step.name or step_label(index, step)) + (suffix or ""),
                merged_expect(step, scenario),
                step_timeout(step, scenario, run.options.timeout),
            )
            for index, (step, suffix) in enumerate(unrolled_steps(scenario))
        ]

    # -- the run ---------------------------------------------------------------------------

    async def execute(self) -> LoadMetrics:
        loop = asyncio.get_running_loop()
        self._start = loop.time()
        self._end = self._start + self.plan.duration if self.plan.duration is not None else None
        helpers = [asyncio.create_task(self._monitor_lag())]
        if self.progress is not None:
            helpers.append(asyncio.create_task(self._report_progress()))
        users: set[asyncio.Task[None]] = set()
        try:
            if self.plan.open_model:
                await self._arrivals(users)
            else:
                await self._closed(users)
            await self._wait_for(users)
        finally:
            if self.stop.is_set():
                self.metrics.interrupted = True
            for task in [*users, *helpers]:
                task.cancel()
            await asyncio.gather(*users, *helpers, return_exceptions=True)
            self.metrics.elapsed = loop.time() - self._start
        return self.metrics

    def _time_left(self) -> bool:
        if self.stop.is_set():
            return False
        return self._end is None or asyncio.get_running_loop().time() < self._end

    async def _sleep_until(self, moment: float) -> bool:
        """Sleep until `moment` (loop time); False when stopped meanwhile."""
        delay = moment - asyncio.get_running_loop().time()
        if delay > 0:
            try:
                await asyncio.wait_for(self.stop.wait(), delay)
            except TimeoutError:
                return True
            return False
        return not self.stop.is_set()

    async def _closed(self, users: set[asyncio.Task[None]]) -> None:
        count = self.plan.users
        for number in range(count):
            due = self._start + (self.plan.ramp * number / count if count else 0)
            if not await self._sleep_until(due) or not self._time_left():
                break
            task = asyncio.create_task(self._user(number, due, self.plan.iterations))
            users.add(task)
            task.add_done_callback(users.discard)

    async def _arrivals(self, users: set[asyncio.Task[None]]) -> None:
        rate = self.plan.arrival_rate or 1.0
        slots = asyncio.Semaphore(self.plan.users)
        number = 0
        while self._time_left():
            if self.plan.iterations is not None and number >= self.plan.iterations:
                break
            due = self._start + number / rate
            if self._end is not None and due >= self._end:
                break
            if not await self._sleep_until(due):
                break
            task = asyncio.create_task(self._arrival(number, due, slots))
            users.add(task)
            task.add_done_callback(users.discard)
            number += 1

    async def _arrival(self, number: int, due: float, slots: asyncio.Semaphore) -> None:
        async with slots:  # time spent waiting for a free slot counts as latency
            await self._user(number, due, 1)

    async def _wait_for(self, users: set[asyncio.Task[None]]) -> None:
        while users and not self.stop.is_set():
            stopper = asyncio.create_task(self.stop.wait())
            await asyncio.wait({*users, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()

    # -- one virtual user ------------------------------------------------------------------

    async def _user(self, number: int, due: float, iterations: int | None) -> None:
        vu = 1 + self.plan.vu_offset + number * self.plan.vu_stride
        me = self.run_env.fork(vu, self._shared)
        loop = asyncio.get_running_loop()
        self.metrics.vus_started += 1
        self.active += 1
        try:
            done = 0
            while (iterations is None or done < iterations) and self._time_left():
                for planned in self.steps:
                    if not self._time_left():
                        return
                    started = loop.time()
                    profiler = self._maybe_profiler()
                    try:
                        outcome = await run_lean_step(
                            me,
                            planned.index,
                            planned.step,
                            planned.expect,
                            planned.timeout,
                            profiler,
                        )
                    finally:
                        if profiler is not None:
                            self._profiling = False
                    finished = loop.time()
                    if outcome.session is not None:
                        self.sessions.setdefault(planned.index, []).append(outcome.session)
                    self.metrics.record(
                        planned.index,
                        planned.name,
                        planned.step.verb,
                        at=finished - self._start,
                        latency_us=(finished - due - outcome.preparation) * 1_000_000,
                        service_us=(finished - started - outcome.preparation) * 1_000_000,
                        statements=outcome.statements,
                        error=outcome.error,
                        failure=outcome.failure,
                        active=self.active,
                    )
                    due = finished + self.plan.think
                    if self.plan.think and not await self._sleep_until(due):
                        return
                    if outcome.error is not None:
                        break  # later steps build on this one: start the next iteration
                done += 1
                self.metrics.iterations += 1
        finally:
            self.active -= 1
            self.metrics.vus_finished += 1

    def _maybe_profiler(self) -> StepProfiler | None:
        sample = self.plan.profile_sample
        if sample <= 0 or self._profiling or self._random.random() >= sample:
            return None
        self._profiling = True
        return StepProfiler(self.run_env.options.interval)

    def combined_sessions(self) -> dict[int, Any]:
        return {index: combine(sessions) for index, sessions in self.sessions.items()}

    # -- helpers ---------------------------------------------------------------------------

    async def _monitor_lag(self) -> None:
        """How late the event loop wakes a sleeper: time updates spend queueing."""
        loop = asyncio.get_running_loop()
        while True:
            expected = loop.time() + LAG_INTERVAL
            await asyncio.sleep(LAG_INTERVAL)
            record(self.metrics.loop_lag, max(loop.time() - expected, 0) * 1_000_000)

    async def _report_progress(self) -> None:
        assert self.progress is not None
        last_updates, last_time = 0, perf_counter()
        while True:
            await asyncio.sleep(PROGRESS_INTERVAL)
            now = perf_counter()
            updates = self.metrics.updates
            overall = self.metrics.overall
            p95 = overall.get_value_at_percentile(95) / 1000 if overall.get_total_count() else 0
            self.progress(
                Progress(
                    elapsed=now - self._start_perf(),
                    active=self.active,
                    updates=updates,
                    rate=(updates - last_updates) / max(now - last_time, 1e-9),
                    p95_ms=p95,
                    errors=self.metrics.failed,
                )
            )
            last_updates, last_time = updates, now

    def _start_perf(self) -> float:
        loop = asyncio.get_running_loop()
        return perf_counter() - (loop.time() - self._start)
