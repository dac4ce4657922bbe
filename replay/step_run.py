"""Running one step and judging it: its own task, probe, profiler, timeout and watchdog,
then expectations, captures and budgets into a `StepResult`.

Each step runs in a task of its own, with its probe set in that task's context and a fresh
profiler started inside it; the run waits for it with the step's timeout. What the step did
is checked right away (so `--fail-fast` can stop); statements or calls that arrive after it
ended are attached by the run at its end.
"""

from __future__ import annotations

import asyncio
import dataclasses
from time import perf_counter
from typing import TYPE_CHECKING, Any

from pyinstrument.session import Session

from replay import actions
from replay.budgets import judge
from replay.capture.aggregate import query_stats
from replay.capture.nplusone import find_n_plus_one
from replay.capture.profile import StepProfiler, summarize
from replay.expectations import Observation, check
from replay.observe import (
    call_records,
    capture_values,
    describe_error,
    error_location,
    message_views,
    transcript,
)
from replay.probe import StepProbe, current_probe
from replay.project import Project
from replay.result import ERROR, FAILED, PASSED, StepResult
from replay.scenario.model import Expect, Step
from replay.watchdog import StepBlocked, watch

if TYPE_CHECKING:
    from replay.engine import ScenarioRun


@dataclasses.dataclass(slots=True)
class StepRecord:
    """A step's result plus what only the runner needs (the raw profile, the probe)."""

    result: StepResult
    session: Session | None
    probe: StepProbe | None


@dataclasses.dataclass(slots=True)
class Outcome:
    """How a step's task ended."""

    action: actions.ActionOutcome | None = None
    raised: BaseException | None = None
    wall: float = 0.0
    session: Session | None = None
    timed_out: bool = False
    hung_at: str = ""


async def execute(
    run: ScenarioRun,
    step: Step,
    argument: Any,
    actor: str | None,
    probe: StepProbe,
    timeout: float,
) -> Outcome:
    outcome = Outcome()
    profiler = StepProfiler(run.options.interval) if run.options.profile else None

    async def body() -> None:
        current_probe.set(probe)
        try:
            # Building the update (and finding a button) is replay's work, not the bot's:
            # it happens before the clock and the profiler start.
            prepared = actions.prepare(run, step, argument, actor)
        except Exception as exc:  # noqa: BLE001 - a missing button, an unknown chat
            outcome.raised = exc
            probe.closed = True
            return
        if profiler is not None:
            profiler.start()
        started = perf_counter()
        try:
            outcome.action = await actions.carry_out(run, prepared)
        except Exception as exc:  # noqa: BLE001 - whatever the bot raises is the result
            outcome.raised = exc
        finally:
            outcome.wall = perf_counter() - started
            if profiler is not None:
                outcome.session = profiler.stop()
            probe.closed = True

    task = asyncio.create_task(body(), name=f"replay-step-{probe.index}")
    with watch(timeout):
        done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        outcome.timed_out = True
        outcome.hung_at = where_waiting(task, run.project)
        task.cancel()
        await asyncio.wait({task}, timeout=1.0)
        probe.closed = True
    return outcome


def classify(
    outcome: Outcome, probe: StepProbe, expect: Expect, timeout: float, project: Project
) -> tuple[str, list[str], str | None, BaseException | None]:
    """(status, failures, error text, the error expectations see) from how the step ended.

    A step that could not be performed, raised, hung or blocked gets status and failure
    here; its expectations are then not checked (they would only repeat the problem).
    """
    raised = outcome.raised
    handled_error = next((e for e in probe.handled_errors if e is not raised), None)
    blocked = next(
        (e for e in (raised, *probe.handled_errors) if isinstance(e, StepBlocked)), None
    )
    if blocked is not None:
        where = error_location(blocked, project)
        text = (
            f"{blocked}"
            + (f", at {where}" if where else "")
            + ": a synchronous call (time.sleep, a blocking HTTP client, heavy CPU work) "
            "stops every other update; use its async form or run it in a thread"
        )
        return ERROR, [text], None, None
    if outcome.timed_out:
        where = f"; it was waiting at {outcome.hung_at}" if outcome.hung_at else ""
        text = f"step did not finish within {timeout:g} s and was cancelled{where}"
        return ERROR, [text], None, None
    if isinstance(raised, actions.StepProblem):
        return FAILED, [str(raised)], None, None
    if raised is not None and expect.error is None:
        error_text = describe_error(raised, project)
        return ERROR, [f"raised {error_text}"], error_text, raised
    if handled_error is not None and expect.error is None:
        text = (
            f"a handler raised {describe_error(handled_error, project)}; "
            "an error handler caught it (add expect: {error: ...} if that is intended)"
        )
        return FAILED, [text], None, handled_error
    return PASSED, [], None, raised or handled_error


async def finish(
    run: ScenarioRun,
    base: StepResult,
    step: Step,
    expect: Expect,
    actor: str | None,
    probe: StepProbe,
    outcome: Outcome,
    timeout: float,
) -> StepRecord:
    status, failures, error_text, observed_error = classify(
        outcome, probe, expect, timeout, run.project
    )
    performed = status != ERROR and not isinstance(outcome.raised, actions.StepProblem)
    handled = outcome.action.handled if outcome.action else None
    observation = await observe(
        run, actor, probe, handled, observed_error, read_state=not outcome.timed_out
    )
    if performed:
        if handled is False and expect.handled is None:
            failures.append(
                "no handler matched this update (the bot ignored it); if that is intended, "
                "add  expect: { handled: false }"
            )
        failures.extend(
            check_and_capture(run, step, expect, observation, capture=outcome.raised is None)
        )
    replies = [v.text for v in observation.messages_to_actor()]
    queries = query_stats(probe.statements, probe.late_statements)
    findings = find_n_plus_one(probe.statements, run.options.n_plus_one_threshold)
    profile = summarize(outcome.session, run.project) if outcome.session else None
    verdict = judge(
        expect, queries, outcome.wall * 1000, findings, run.scenario.allow_n_plus_one, profile
    )
    failures.extend(verdict.failures)
    if failures and status == PASSED:
        status = FAILED
    chat_names = {user.id: name for name, user in run.users.items()}
    action_line = outcome.action.line if outcome.action else None
    result = dataclasses.replace(
        base,
        status=status,
        failures=tuple(failures),
        wall_ms=round(outcome.wall * 1000, 3),
        queries=queries,
        n_plus_one=verdict.findings,
        calls=call_records(probe.calls),
        replies=tuple(replies),
        state=observation.state,
        profile=profile,
        warnings=verdict.warnings,
        transcript=transcript(action_line, probe.calls, chat_names),
        error=error_text,
    )
    return StepRecord(result, outcome.session, probe)


async def observe(
    run: ScenarioRun,
    actor: str | None,
    probe: StepProbe,
    handled: bool | None,
    error: BaseException | None,
    *,
    read_state: bool,
) -> Observation:
    """What a finished step did, as expectations see it (the actor's FSM read if asked)."""
    state, data = None, {}
    if actor is not None and read_state:
        context = run.fsm_context(actor)
        state, data = await context.get_state(), await context.get_data()
    chat_id = run.users[actor].id if actor else None
    views = message_views(probe.calls)
    return Observation(actor, chat_id, views, probe.calls, state, data, handled, error)


def check_and_capture(
    run: ScenarioRun, step: Step, expect: Expect, observation: Observation, *, capture: bool
) -> list[str]:
    """Failures of the step's expectations and captures; captured values go to the run."""
    failures = check(expect, observation)
    if step.capture and capture:
        replies = [view.text for view in observation.messages_to_actor()]
        values, problems = capture_values(
            step.capture, replies, observation.views, observation.calls
        )
        run.captures.update(values)
        failures.extend(problems)
    return failures


def where_waiting(task: asyncio.Task[Any], project: Project) -> str:
    """The innermost frame of the bot's code that the hung task is suspended in."""
    found = ""
    awaited: Any = task.get_coro()
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is not None and project.is_app_file(frame.f_code.co_filename):
            found = (
                f"{project.relative(frame.f_code.co_filename)}:{frame.f_lineno} "
                f"in {frame.f_code.co_name}"
            )
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    return found
