"""One run of one scenario: sandbox, app, offline Telegram, then every step in order.

`ScenarioRun` owns what lives as long as the run: the sandbox database (and FSM storage),
the app the factory built, the offline world, the network guard and the clock. It hands each
step to `step_run` and, at the end, attaches to each step what arrived after it ended (SQL
and calls from tasks it spawned). Load runs `fork` it into virtual users that share all of
that but the actors and captures.
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

from replay.capture import sql as sql_capture
from replay.capture.aggregate import group_statements
from replay.cast import Cast, build_cast
from replay.clock import Clock
from replay.errors import ReplayError, SetupError
from replay.fsm import RedisFsm
from replay.observe import (
    call_records,
    describe_error,
)
from replay.options import RunOptions
from replay.probe import StepProbe, current_probe
from replay.project import Project
from replay.result import FAILED, PASSED, StepResult
from replay.sandbox import Sandbox, open_sandbox
from replay.scenario.checks import ACTOR_VERBS
from replay.scenario.errors import Issue, ScenarioError, did_you_mean, known
from replay.scenario.model import Expect, Scenario, Step, merged_expect, step_timeout
from replay.scenario.templates import UndefinedVariable, render
from replay.step_run import StepRecord, execute, finish
from replay.steps import all_steps, has_templates, step_label, unrolled_steps
from replay.target import App, AppFactory, SandboxContext, build_app
from replay.telegram import OfflineTelegram, network_guard
from replay.telegram.world import TgChat, TgUser

_RECORDER_FLAG = "_replay_error_recorder"
LATE_TASKS_GRACE = 2.0


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
        self._defaults_templated = defaults is not None and has_templates(defaults)

    # -- set-up and tear-down --------------------------------------------------------------

    async def __aenter__(self) -> ScenarioRun:
        started = perf_counter()
        self._tasks_before = asyncio.all_tasks()
        sql_capture.install()
        if any(step.advance is not None for step in all_steps(self.scenario.steps)):
            import time_machine  # noqa: F401 - imported now, not inside the first advance step
        label = self.scenario.name or "run"
        self._sandbox = await open_sandbox(
            self.options.database_url, label, self.options.attach_database_url
        )
        # The app factory is the bot's code too: guarded before it runs. Until the offline
        # Telegram exists (it needs the app's Bot) a Bot API call fails loudly.
        self._setup_guard = network_guard(None)
        self._setup_guard.__enter__()
        try:
            if self.options.fsm_storage:
                self._fsm = RedisFsm(self.options.fsm_storage, label)
                await self._fsm.check()
            self.app: App = await build_app(self.factory, self._context(), self.app_ref)
            self._check_jobs()
        except BaseException as exc:
            self._setup_guard.__exit__(None, None, None)
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
            self._setup_guard.__exit__(None, None, None)
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
        for step in all_steps(self.scenario.steps):
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
        outcome = await execute(self, step, argument, actor, probe, timeout)
        return await finish(self, base, step, expect, actor, probe, outcome, timeout)

    def render_step(self, step: Step, expect: Expect) -> tuple[Any, Expect]:
        argument = step.argument
        templated = self._templated.get(id(step))
        if templated is None:
            templated = self._templated[id(step)] = has_templates(step)
        if not templated and not self._defaults_templated:
            return argument, expect
        context = self.template_context()
        if isinstance(argument, str):
            argument = render(argument, context)
        elif hasattr(argument, "model_dump"):
            argument = type(argument).model_validate(render(argument.model_dump(), context))
        if has_templates(expect):
            rendered = render(expect.model_dump(exclude_unset=True), context)
            expect = Expect.model_validate(rendered)
        return argument, expect
