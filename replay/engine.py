"""One run of one scenario: sandbox, app, offline Telegram, then every step in order.

Each step runs in a task of its own, with its probe set in that task's context and a fresh
profiler started inside it; the runner waits for it with the step's timeout. What the step
did is checked against its expectations and budgets right away (so `--fail-fast` can stop),
and statements or calls that arrive after it ended are attached to it at the end of the run.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import Iterator
from time import perf_counter
from types import TracebackType
from typing import Any

from aiogram import Dispatcher
from aiogram.fsm.context import FSMContext
from faker import Faker
from pyinstrument.session import Session

from replay import actions
from replay.budgets import judge
from replay.capture import sql as sql_capture
from replay.capture.aggregate import group_statements, query_stats
from replay.capture.nplusone import find_n_plus_one
from replay.capture.profile import StepProfiler, summarize
from replay.cast import Cast, build_cast
from replay.clock import Clock
from replay.errors import ReplayError, SetupError
from replay.expectations import Observation, check
from replay.fsm import RedisFsm
from replay.observe import (
    call_records,
    capture_values,
    describe_error,
    error_location,
    message_views,
    transcript,
)
from replay.options import RunOptions
from replay.probe import StepProbe, current_probe
from replay.project import Project
from replay.result import ERROR, FAILED, PASSED, StepResult
from replay.sandbox import Sandbox, open_sandbox
from replay.scenario.checks import ACTOR_VERBS
from replay.scenario.errors import Issue, ScenarioError, did_you_mean, known
from replay.scenario.model import Expect, Scenario, Step, merged_expect, step_timeout
from replay.scenario.templates import UndefinedVariable, render
from replay.target import App, AppFactory, SandboxContext, build_app
from replay.telegram import OfflineTelegram, network_guard
from replay.telegram.world import TgChat, TgUser
from replay.watchdog import StepBlocked, watch

_RECORDER_FLAG = "_replay_error_recorder"
LATE_TASKS_GRACE = 2.0


@dataclasses.dataclass(slots=True)
class StepRecord:
    """A step's result plus what only the runner needs (the raw profile, the probe)."""

    result: StepResult
    session: Session | None
    probe: StepProbe | None


@dataclasses.dataclass(slots=True)
class _Outcome:
    action: actions.ActionOutcome | None = None
    raised: BaseException | None = None
    wall: float = 0.0
    session: Session | None = None
    timed_out: bool = False
    hung_at: str = ""


async def _record_errors(handler: Any, event: Any, data: dict[str, Any]) -> Any:
    """Outer middleware on `dp.errors`: errors that error routers swallow still count."""
    probe = current_probe.get()
    if probe is not None:
        probe.handled_errors.append(event.exception)
    return await handler(event, data)


def install_error_recorder(dispatcher: Dispatcher) -> None:
    if not getattr(dispatcher, _RECORDER_FLAG, False):
        dispatcher.errors.outer_middleware(_record_errors)
        setattr(dispatcher, _RECORDER_FLAG, True)


def step_label(index: int, step: Step) -> str:
    """The default step name: `<index> <verb> <argument>`."""
    argument = step.argument
    if isinstance(argument, str | int | float):
        shown = str(argument)
    elif hasattr(argument, "model_dump"):
        shown = " ".join(f"{k}={v}" for k, v in argument.model_dump(exclude_none=True).items())
    else:
        shown = ""
    return f"{index} {step.verb} {shown}".strip()


class ScenarioRun:
    """Set up with `async with`, then `await run.run_steps()`."""

    def __init__(
        self,
        scenario: Scenario,
        options: RunOptions,
        project: Project,
        factory: AppFactory,
        app_ref: str,
        *,
        vu: int = 0,
        shared: frozenset[str] = frozenset(),
        extra_admin_ids: tuple[int, ...] = (),
    ) -> None:
        self.scenario = scenario
        self.options = options
        self.project = project
        self.factory = factory
        self.app_ref = app_ref
        self.vu = vu
        self.extra_admin_ids = extra_admin_ids
        seed = options.faker_seed if options.faker_seed is not None else scenario.faker_seed
        self.faker_seed = seed
        self.cast: Cast = build_cast(scenario.actors, scenario.chats, seed, vu=vu, shared=shared)
        self.users: dict[str, TgUser] = {name: self.cast.user(name) for name in self.cast.actors}
        self.chats: dict[str, TgChat] = {name: self.cast.chat(name) for name in self.cast.chats}
        self.clock = Clock()
        self.captures: dict[str, Any] = {}
        self.records: list[StepRecord] = []
        self.setup_ms = 0.0
        self._guard: Any = None
        self._sandbox: Sandbox | None = None
        self._fsm: RedisFsm | None = None
        self._template_faker = Faker()
        self._template_faker.seed_instance(seed)
        self._first_actor = next(iter(scenario.actors), None)
        self._tasks_before: set[asyncio.Task[Any]] = set()
        self._templated: dict[int, bool] = {}
        defaults = scenario.defaults.expect if scenario.defaults else None
        self._defaults_templated = defaults is not None and _has_templates(defaults)

    # -- set-up and tear-down --------------------------------------------------------------

    async def __aenter__(self) -> ScenarioRun:
        started = perf_counter()
        self._tasks_before = asyncio.all_tasks()
        sql_capture.install()
        label = self.scenario.name or "run"
        self._sandbox = await open_sandbox(
            self.options.database_url, label, self.options.attach_database_url
        )
        try:
            if self.options.fsm_storage:
                self._fsm = RedisFsm(self.options.fsm_storage, label)
                await self._fsm.check()
            self.app: App = await build_app(self.factory, self._context(), self.app_ref)
            self._check_jobs()
        except BaseException as exc:
            await self._release()
            if isinstance(exc, ReplayError | asyncio.CancelledError | KeyboardInterrupt):
                raise
            where = describe_error(exc, self.project) if isinstance(exc, Exception) else str(exc)
            msg = f"the app factory {self.app_ref} failed: {where}"
            raise SetupError(msg) from exc
        self.dispatcher = self.app.dispatcher
        install_error_recorder(self.dispatcher)
        self.telegram = OfflineTelegram.attach(self.app.bot)
        self._populate_world()
        self._guard = network_guard(self.telegram.session)
        self._guard.__enter__()
        self.setup_ms = (perf_counter() - started) * 1000
        return self

    def _context(self) -> SandboxContext:
        assert self._sandbox is not None
        faker = Faker()
        faker.seed_instance(self.faker_seed)
        return SandboxContext(
            database_url=self._sandbox.database_url,
            admin_ids=self.cast.admin_ids + self.extra_admin_ids,
            seed=dict(self.scenario.seed),
            faker=faker,
            actors=self.cast.actors,
            chats=self.cast.chats,
            scenario=self.scenario.name or "",
            workdir=self._sandbox.workdir,
            fsm_storage=self._fsm.storage if self._fsm else None,
            prepared=self._sandbox.prepared,
        )

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self._settle_spawned_tasks()
            self._attach_late()
            if self.app.shutdown is not None:
                result = self.app.shutdown()
                if asyncio.iscoroutine(result):
                    await result
        finally:
            self.clock.stop()
            if self._guard is not None:
                self._guard.__exit__(None, None, None)
            await self._release()

    async def _release(self) -> None:
        """Remove what replay created for the run: FSM keys, then the sandbox database."""
        try:
            if self._fsm is not None:
                await self._fsm.close()
        finally:
            if self._sandbox is not None:
                await self._sandbox.close()
                self._sandbox = None

    def _populate_world(self, *, chats: bool = True, skip: frozenset[str] = frozenset()) -> None:
        """Actors (but `skip`), chats and scripted failures into the offline world."""
        world, session = self.telegram.world, self.telegram.session
        for name, user in self.users.items():
            if name in skip:
                continue
            world.add_user(user)
            if self.scenario.actors[name].blocked:
                session.fail("blocked", chat_id=user.id)
        if chats:
            for chat in self.chats.values():
                world.add_chat(chat)
        for rule in self.scenario.api_errors:
            target = None
            if rule.actor is not None:
                if rule.actor in skip:
                    continue
                target = self.users[rule.actor].id
            elif rule.chat is not None:
                if not chats:
                    continue  # chat rules were added once, by the run itself
                target = self.chats[rule.chat].id
            elif not chats:
                continue
            session.fail(
                rule.error,
                method=rule.method,
                chat_id=target,
                description=rule.description,
                times=rule.times,
                retry_after=rule.retry_after,
            )

    def fork(self, vu: int, shared: frozenset[str]) -> ScenarioRun:
        """A virtual user of this run: the same app, world, sandbox and clock, but actors of
        its own (except `shared` ones), its own captures and its own Faker for templates."""
        clone = copy.copy(self)
        clone.vu = vu
        clone.cast = build_cast(
            self.scenario.actors, self.scenario.chats, self.faker_seed, vu=vu, shared=shared
        )
        clone.users = {name: clone.cast.user(name) for name in clone.cast.actors}
        clone.captures = {}
        clone.records = []
        clone._template_faker = Faker()
        clone._template_faker.seed_instance(self.faker_seed * 1_000_003 + vu)
        clone._populate_world(chats=False, skip=shared)
        return clone

    def _check_jobs(self) -> None:
        issues = []
        for step in _all_steps(self.scenario.steps):
            if step.job is not None and step.job not in self.app.jobs:
                file, line, column = step.verb_source
                hint = did_you_mean(step.job, self.app.jobs) or known("jobs", self.app.jobs)
                issues.append(Issue(file, line, column, f"the app has no job {step.job!r}", hint))
        if issues:
            raise ScenarioError(issues)

    async def _settle_spawned_tasks(self) -> None:
        """Let tasks the bot spawned finish (their late work is recorded), then cancel them."""
        current = asyncio.current_task()
        pending = [
            task
            for task in asyncio.all_tasks() - self._tasks_before
            if task is not current and not task.done()
        ]
        if not pending:
            return
        _, still = await asyncio.wait(pending, timeout=LATE_TASKS_GRACE)
        for task in still:
            task.cancel()

    def _attach_late(self) -> None:
        for position, record in enumerate(self.records):
            probe = record.probe
            if probe is None or not (probe.late_statements or probe.late_calls):
                continue
            result = record.result
            warnings = list(result.warnings)
            if probe.late_statements:
                sites = sorted({s.call_site or "?" for s in probe.late_statements})
                warnings.append(
                    f"{len(probe.late_statements)} SQL statement(s) ran after the step ended, "
                    f"from a task it started (at {', '.join(sites)}); not counted in any step"
                )
            if probe.late_calls:
                methods = sorted({c.method for c in probe.late_calls})
                warnings.append(
                    f"{len(probe.late_calls)} Bot API call(s) came after the step ended: "
                    + ", ".join(methods)
                )
            queries = dataclasses.replace(
                result.queries, late=group_statements(probe.late_statements)
            )
            calls = result.calls + call_records(probe.late_calls)
            self.records[position].result = dataclasses.replace(
                result, queries=queries, warnings=tuple(warnings), calls=calls
            )

    # -- steps -----------------------------------------------------------------------------

    def fsm_context(self, actor: str) -> FSMContext:
        user_id = self.users[actor].id
        context = self.dispatcher.fsm.resolve_context(
            bot=self.telegram.bot, chat_id=user_id, user_id=user_id
        )
        if context is None:  # pragma: no cover - private chats always resolve
            msg = f"no FSM context for {actor}"
            raise RuntimeError(msg)
        return context

    def template_context(self) -> dict[str, Any]:
        actors = {
            name: {
                "id": info.id,
                "first_name": info.first_name,
                "last_name": info.last_name,
                "username": info.username,
                "language_code": info.language_code,
                "full_name": self.users[name].full_name,
            }
            for name, info in self.cast.actors.items()
        }
        chats = {
            name: {"id": c.id, "title": c.title, "username": None, "type": c.type}
            for name, c in self.cast.chats.items()
        }
        return {
            **self.scenario.vars,
            **self.captures,
            "actors": actors,
            "chats": chats,
            "faker": self._template_faker,
            "vu": self.vu,
        }

    def unrolled(self) -> Iterator[tuple[Step, str | None]]:
        """Steps in the order they run; repeated ones with an `[i/n]` suffix."""
        return unrolled_steps(self.scenario)

    async def run_steps(self) -> list[StepRecord]:
        for index, (step, suffix) in enumerate(self.unrolled()):
            record = await self.run_step(index, step, suffix)
            self.records.append(record)
            if self.options.fail_fast and not record.result.passed:
                break
        return self.records

    def actor_of(self, step: Step) -> str | None:
        if step.actor is not None:
            return step.actor
        return self._first_actor if step.verb in ACTOR_VERBS else None

    async def run_step(self, index: int, step: Step, suffix: str | None = None) -> StepRecord:
        name = (step.name or step_label(index, step)) + (suffix or "")
        actor = self.actor_of(step)
        file, line = step.source
        base = StepResult(
            index=index,
            name=name,
            actor=actor,
            verb=step.verb,
            status=PASSED,
            source=f"{file}:{line}" if file else "",
        )
        expect = merged_expect(step, self.scenario)
        try:
            argument, expect = self.render_step(step, expect)
        except UndefinedVariable as exc:
            result = dataclasses.replace(base, status=FAILED, failures=(str(exc),))
            return StepRecord(result, None, None)
        timeout = step_timeout(step, self.scenario, self.options.timeout)
        probe = StepProbe(index, capture_sql=self.options.capture_sql)
        outcome = await self._execute(step, argument, actor, probe, timeout)
        return await self._finish(base, step, expect, actor, probe, outcome, timeout)

    def render_step(self, step: Step, expect: Expect) -> tuple[Any, Expect]:
        argument = step.argument
        templated = self._templated.get(id(step))
        if templated is None:
            templated = self._templated[id(step)] = _has_templates(step)
        if not templated and not self._defaults_templated:
            return argument, expect
        context = self.template_context()
        if isinstance(argument, str):
            argument = render(argument, context)
        elif hasattr(argument, "model_dump"):
            argument = type(argument).model_validate(render(argument.model_dump(), context))
        if _has_templates(expect):
            rendered = render(expect.model_dump(exclude_unset=True), context)
            expect = Expect.model_validate(rendered)
        return argument, expect

    async def _execute(
        self, step: Step, argument: Any, actor: str | None, probe: StepProbe, timeout: float
    ) -> _Outcome:
        outcome = _Outcome()
        profiler = StepProfiler(self.options.interval) if self.options.profile else None

        async def body() -> None:
            current_probe.set(probe)
            if profiler is not None:
                profiler.start()
            started = perf_counter()
            try:
                outcome.action = await actions.perform(self, step, argument, actor)
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
            outcome.hung_at = _where_waiting(task, self.project)
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
            probe.closed = True
        return outcome

    def _classify(
        self, outcome: _Outcome, probe: StepProbe, expect: Expect, timeout: float
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
            where = error_location(blocked, self.project)
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
            error_text = describe_error(raised, self.project)
            return ERROR, [f"raised {error_text}"], error_text, raised
        if handled_error is not None and expect.error is None:
            text = (
                f"a handler raised {describe_error(handled_error, self.project)}; "
                "an error handler caught it (add expect: {error: ...} if that is intended)"
            )
            return FAILED, [text], None, handled_error
        return PASSED, [], None, raised or handled_error

    async def _finish(
        self,
        base: StepResult,
        step: Step,
        expect: Expect,
        actor: str | None,
        probe: StepProbe,
        outcome: _Outcome,
        timeout: float,
    ) -> StepRecord:
        status, failures, error_text, observed_error = self._classify(
            outcome, probe, expect, timeout
        )
        performed = status != ERROR and not isinstance(outcome.raised, actions.StepProblem)
        chat_id = self.users[actor].id if actor else None
        state, data = None, {}
        if actor is not None and not outcome.timed_out:
            context = self.fsm_context(actor)
            state, data = await context.get_state(), await context.get_data()
        views = message_views(probe.calls)
        handled = outcome.action.handled if outcome.action else None
        observation = Observation(
            actor=actor,
            chat_id=chat_id,
            views=views,
            calls=probe.calls,
            state=state,
            data=data,
            handled=handled,
            error=observed_error,
        )
        if performed:
            if handled is False and expect.handled is None:
                failures.append(
                    "no handler matched this update (the bot ignored it); if that is intended, "
                    "add  expect: { handled: false }"
                )
            failures.extend(check(expect, observation))
        replies = [v.text for v in observation.messages_to_actor()]
        if step.capture and performed and outcome.raised is None:
            values, problems = capture_values(step.capture, replies, views, probe.calls)
            self.captures.update(values)
            failures.extend(problems)
        queries = query_stats(probe.statements, probe.late_statements)
        findings = find_n_plus_one(probe.statements, self.options.n_plus_one_threshold)
        profile = summarize(outcome.session, self.project) if outcome.session else None
        verdict = judge(
            expect, queries, outcome.wall * 1000, findings, self.scenario.allow_n_plus_one, profile
        )
        failures.extend(verdict.failures)
        if failures and status == PASSED:
            status = FAILED
        chat_names = {user.id: name for name, user in self.users.items()}
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
            state=state,
            profile=profile,
            warnings=verdict.warnings,
            transcript=transcript(action_line, probe.calls, chat_names),
            error=error_text,
        )
        return StepRecord(result, outcome.session, probe)


def unrolled_steps(scenario: Scenario) -> Iterator[tuple[Step, str | None]]:
    """The steps of `scenario` in the order they run, `repeat:` expanded."""
    return _unroll(scenario.steps, "")


def _unroll(steps: list[Step], suffix: str) -> Iterator[tuple[Step, str | None]]:
    for step in steps:
        if step.repeat is not None and step.steps is not None:
            for turn in range(1, step.repeat + 1):
                yield from _unroll(step.steps, f"{suffix} [{turn}/{step.repeat}]")
        else:
            yield step, suffix or None


def _all_steps(steps: list[Step]) -> Iterator[Step]:
    for step in steps:
        yield step
        if step.steps:
            yield from _all_steps(step.steps)


def _has_templates(model: Any) -> bool:
    return "{{" in model.model_dump_json(warnings=False)


def _where_waiting(task: asyncio.Task[Any], project: Project) -> str:
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
