"""replay's own overhead against a bare `dp.feed_update` loop, on the example bot's scenarios.

For every scenario the same updates go through the same Dispatcher four ways:

    bare       a loop of `await dp.feed_update(bot, update)` (jobs awaited directly); the
               updates are built before the clock starts
    off        replay with SQL capture and profiling off
    sql        replay with SQL capture (the default minus profiling)
    profile    replay with SQL capture and pyinstrument at the default 0.1 ms interval

Every way gets a fresh sandbox and app (set-up is not timed). The modes are interleaved round
after round, and each mode's total is the median over the rounds, so a noisy machine skews
all four alike; what is reported are the ratios to bare, measured in the same run.

    .venv/bin/python bench/overhead.py                 # all scenarios, 7 rounds
    .venv/bin/python bench/overhead.py --rounds 15 scenarios/vip_flow.yaml
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
from pathlib import Path
from time import perf_counter

from aiogram.methods import TelegramMethod

from replay import actions
from replay.engine import ScenarioRun
from replay.observe import capture_values, message_views
from replay.options import RunOptions
from replay.project import Project
from replay.scenario.loader import load_scenario
from replay.scenario.model import Scenario, merged_expect
from replay.steps import unrolled_steps
from replay.target import find_project_root, load_factory, resolve_app_ref

MODES = {
    "off": RunOptions(profile=False, capture_sql=False),
    "sql": RunOptions(profile=False, capture_sql=True),
    "profile": RunOptions(profile=True, capture_sql=True),
}


async def bare(run: ScenarioRun) -> float:
    """Seconds spent in feed_update (and jobs) alone, for the scenario's steps."""
    bot, dispatcher, session = run.telegram.bot, run.dispatcher, run.telegram.session
    total = 0.0
    for step, _ in run.unrolled():
        argument, _expect = run.render_step(step, merged_expect(step, run.scenario))
        actor = run.actor_of(step)
        prepared = actions.prepare(run, step, argument, actor)
        mark = len(session.calls)
        started = perf_counter()
        if prepared.update is not None:
            result = await dispatcher.feed_update(bot, prepared.update)
            if isinstance(result, TelegramMethod):
                await bot(result)
        elif step.verb == "job":
            await prepared.direct()  # type: ignore[misc]
        total += perf_counter() - started
        if prepared.direct is not None and step.verb != "job":
            await prepared.direct()  # advance, set_state: state changes, not measured
        if step.capture:
            calls = list(session.calls)[mark:]
            chat = run.users[actor].id if actor else None
            views = [v for v in message_views(calls) if chat is None or v.chat_id == chat]
            values, _ = capture_values(step.capture, [v.text for v in views], views, calls)
            run.captures.update(values)
    return total


async def through_replay(run: ScenarioRun) -> float:
    started = perf_counter()
    await run.run_steps()
    return perf_counter() - started


async def measure(scenario: Scenario, mode: str, project: Project) -> float:
    ref = resolve_app_ref(None, scenario.app, project.root)
    factory = load_factory(ref, project.root)
    options = MODES.get(mode, MODES["off"])
    async with ScenarioRun(scenario, options, project, factory, ref) as run:
        gc.collect()
        return await (bare(run) if mode == "bare" else through_replay(run))


async def main(paths: list[Path], rounds: int) -> None:
    project = Project(find_project_root())
    scenarios = [load_scenario(path) for path in paths]
    modes = ["bare", *MODES]
    samples = {(s.name, m): [] for s in scenarios for m in modes}  # type: dict[tuple[str | None, str], list[float]]
    for _ in range(2):  # warm-up: imports, pydantic schemas, SQLite
        for scenario in scenarios:
            await measure(scenario, "sql", project)
    for round_ in range(rounds):
        for mode in modes if round_ % 2 == 0 else list(reversed(modes)):
            for scenario in scenarios:
                samples[(scenario.name, mode)].append(await measure(scenario, mode, project))
    print(f"{rounds} rounds; per scenario the median total in ms, and the ratio to bare")
    print(
        f"{'scenario':<16} {'steps':>5} "
        + " ".join(f"{m:>9}" for m in modes)
        + "   off/bare sql/bare profile/bare"
    )
    ratios: dict[str, list[float]] = {mode: [] for mode in MODES}
    for scenario in scenarios:
        steps = sum(1 for _ in unrolled_steps(scenario))
        medians = {m: statistics.median(samples[(scenario.name, m)]) for m in modes}
        line = f"{scenario.name or '?':<16} {steps:>5} "
        line += " ".join(f"{medians[m] * 1000:>9.1f}" for m in modes)
        for mode in MODES:
            ratio = medians[mode] / medians["bare"]
            ratios[mode].append(ratio)
            line += f" {ratio:>9.2f}"
        print(line)
    means = "  ".join(
        f"{mode}/bare {statistics.geometric_mean(values):.2f}" for mode, values in ratios.items()
    )
    print(f"geometric mean of the ratios: {means}")


def _paths(arguments: list[str]) -> list[Path]:
    if arguments:
        return [Path(a) for a in arguments]
    return sorted(p for p in Path("scenarios").glob("*.yaml") if not p.name.startswith("_"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("scenarios", nargs="*", help="scenario files (default: scenarios/*.yaml)")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(find_project_root()))
    asyncio.run(main(_paths(args.scenarios), args.rounds))
