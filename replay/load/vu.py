"""One step of one virtual user: the lean path for load runs.

A functional run builds a full report for each step (transcript, grouped SQL, N+1 findings, a
call tree). Under load that would cost more than many handlers, so a virtual user keeps only
what load metrics need: did the step fail and why, and how many SQL statements it ran. The
step still goes through the same `actions.perform` and the same expectations, in the VU's own
task, with its probe set in the task's context (no task per step).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from time import perf_counter
from typing import TYPE_CHECKING

from aiogram.exceptions import TelegramAPIError

from replay import actions
from replay.capture.profile import StepProfiler
from replay.probe import StepProbe, current_probe
from replay.scenario.model import Expect, Step
from replay.scenario.templates import UndefinedVariable
from replay.step_run import check_and_capture, observe

if TYPE_CHECKING:
    from pyinstrument.session import Session

    from replay.engine import ScenarioRun

EXPECTATION_FAILED = "ExpectationFailed"
UNHANDLED = "Unhandled"
TIMEOUT = "Timeout"


@dataclass(slots=True)
class LeanOutcome:
    error: str | None = None  # the error type, counted per step
    failure: str | None = None  # one line of detail, kept for a few samples
    statements: int = 0
    session: Session | None = None
    preparation: float = 0.0  # seconds spent building the update, before the bot got it


def _error_name(error: BaseException) -> str:
    name = type(error).__name__
    if isinstance(error, TelegramAPIError):
        return name
    text = str(error)
    # "database is locked" and friends are told apart from other OperationalErrors.
    if "database is locked" in text:
        return f"{name}: database is locked"
    return name


async def run_lean_step(
    run: ScenarioRun,
    index: int,
    step: Step,
    expect: Expect,
    timeout: float,
    profiler: StepProfiler | None = None,
) -> LeanOutcome:
    actor = run.actor_of(step)
    try:
        argument, expect = run.render_step(step, expect)
    except UndefinedVariable as exc:
        return LeanOutcome("UndefinedVariable", str(exc))
    probe = StepProbe(index)
    token = current_probe.set(probe)
    outcome = LeanOutcome()
    handled: bool | None = None
    raised: BaseException | None = None
    began = perf_counter()
    try:
        prepared = actions.prepare(run, step, argument, actor)
    except Exception as exc:  # noqa: BLE001 - a missing button: judged below
        prepared, raised = None, exc
    # Building the update is the driver's work, not the bot's: it is left out of the times.
    outcome.preparation = perf_counter() - began
    if profiler is not None:
        profiler.start()
    try:
        if prepared is not None:
            async with asyncio.timeout(timeout):
                result = await actions.carry_out(run, prepared)
            handled = result.handled
    except TimeoutError:
        outcome.error, outcome.failure = TIMEOUT, f"did not finish within {timeout:g} s"
    except Exception as exc:  # noqa: BLE001 - the bot's errors are what load runs count
        raised = exc
    finally:
        if profiler is not None:
            outcome.session = profiler.stop()
        probe.closed = True
        current_probe.reset(token)
    outcome.statements = len(probe.statements)
    if outcome.error is None:
        outcome.error, outcome.failure = await _judge(
            run, step, expect, actor, probe, handled, raised
        )
    return outcome


async def _judge(
    run: ScenarioRun,
    step: Step,
    expect: Expect,
    actor: str | None,
    probe: StepProbe,
    handled: bool | None,
    raised: BaseException | None,
) -> tuple[str | None, str | None]:
    """(error type, detail) of a finished step, or (None, None) when it did what it should."""
    error = raised or next(iter(probe.handled_errors), None)
    if isinstance(raised, actions.StepProblem):
        return "StepProblem", str(raised)
    if error is not None and expect.error is None:
        return _error_name(error), f"{type(error).__name__}: {error}"
    if handled is False and expect.handled is None:
        return UNHANDLED, "no handler matched the update"
    needs_state = "state" in expect.model_fields_set or expect.data is not None
    observation = await observe(run, actor, probe, handled, error, read_state=needs_state)
    failures = check_and_capture(run, step, expect, observation, capture=raised is None)
    statements = len(probe.statements)
    if expect.max_queries is not None and statements > expect.max_queries:
        failures.append(f"{statements} SQL queries, over {expect.max_queries}")
    if failures:
        return EXPECTATION_FAILED, failures[0]
    return None, None
