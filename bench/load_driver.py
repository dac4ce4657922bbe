"""The load driver's own ceiling, and how latency grows with virtual users on the example bot.

1. Driver ceiling: a trivial handler (it answers the text it got) through
   - a bare loop of `await dp.feed_update(bot, update)` over pre-built updates, and
   - the load driver with many virtual users and no think time.
   The ratio driver/bare is what replay's load machinery costs per update.
2. Latency vs VUs: a read-mostly scenario of the example bot (`/start`, `/status`, `/vip`)
   for a few seconds at each number of virtual users: throughput and p50/p95/p99.

    .venv/bin/python bench/load_driver.py                     # both, writes bench/results/
    .venv/bin/python bench/load_driver.py --ceiling-only
    .venv/bin/python bench/load_driver.py --latency-only \
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path
from time import perf_counter

from replay.engine import ScenarioRun
from replay.load.plan import make_plan
from replay.load.runner import run_load_async
from replay.options import RunOptions
from replay.project import Project
from replay.reporters.charts import time_chart
from replay.scenario.loader import load_scenario
from replay.target import find_project_root, load_factory

RESULTS = Path(__file__).resolve().parent / "results"
TRIVIAL = """\
name: trivial
app: tests.bots.sleepy:create_app
actors: { alice: {} }
steps:
  - send: hello
"""
EXAMPLE = """\
name: read_mostly
description: A user opens the bot and checks their state, as most traffic does.
actors: { alice: {} }
seed: { users: 200, vip_subscribers: 40 }
steps:
  - send: /start
  - send: /status
  - send: /vip
"""
OFF = RunOptions(profile=False, capture_sql=False)


def _scenario(text: str, directory: Path) -> object:
    path = directory / "bench.yaml"
    path.write_text(text)
    return load_scenario(path)


async def bare_rate(
    scenario: object, project: Project, updates: int, *, build: bool = False
) -> float:
    """Updates per second of a bare feed_update loop; the updates are built before the clock
    starts, or inside the loop with `build` (what any driver has to do)."""
    factory = load_factory("tests.bots.sleepy:create_app", project.root)
    async with ScenarioRun(scenario, OFF, project, factory, "sleepy") as run:  # type: ignore[arg-type]
        user = run.users["alice"]
        dispatcher, bot, make = run.dispatcher, run.telegram.bot, run.telegram.updates.message
        if build:
            started = perf_counter()
            for _ in range(updates):
                await dispatcher.feed_update(bot, make(user, "hello"))
            return updates / (perf_counter() - started)
        batch = [make(user, "hello") for _ in range(updates)]
        started = perf_counter()
        for update in batch:
            await dispatcher.feed_update(bot, update)
        return updates / (perf_counter() - started)


async def driver_rate(scenario: object, users: int, iterations: int) -> float:
    plan = make_plan(scenario, {"users": users, "iterations": iterations})  # type: ignore[arg-type]
    result = await run_load_async(scenario, plan, OFF)  # type: ignore[arg-type]
    assert result.load is not None and result.load["failed"] == 0, result.load
    return float(result.load["throughput"])


async def ceiling(project: Project, directory: Path, rounds: int) -> dict[str, float]:
    scenario = _scenario(TRIVIAL, directory)
    await bare_rate(scenario, project, 500)  # warm-up
    await driver_rate(scenario, 50, 10)
    bare, built, driver = [], [], []
    for _ in range(rounds):
        bare.append(await bare_rate(scenario, project, 5000))
        built.append(await bare_rate(scenario, project, 5000, build=True))
        driver.append(await driver_rate(scenario, 50, 100))
    result = {
        "bare_updates_per_s": statistics.median(bare),
        "bare_building_updates_per_s": statistics.median(built),
        "driver_updates_per_s": statistics.median(driver),
    }
    result["ratio"] = result["driver_updates_per_s"] / result["bare_updates_per_s"]
    result["ratio_to_building"] = (
        result["driver_updates_per_s"] / result["bare_building_updates_per_s"]
    )
    return result


async def latency_vs_users(
    directory: Path, counts: list[int], seconds: float, database_url: str | None
) -> list[dict]:  # type: ignore[type-arg]
    scenario = _scenario(EXAMPLE, directory)
    options = RunOptions(profile=False, database_url=database_url)
    rows = []
    for users in counts:
        plan = make_plan(scenario, {"users": users, "duration": seconds})  # type: ignore[arg-type]
        result = await run_load_async(scenario, plan, options)  # type: ignore[arg-type]
        load = result.load
        assert load is not None
        rows.append(
            {
                "users": users,
                "throughput": load["throughput"],
                "p50_ms": load["latency"].get("p50_ms", 0.0),
                "p95_ms": load["latency"].get("p95_ms", 0.0),
                "p99_ms": load["latency"].get("p99_ms", 0.0),
                "loop_lag_p99_ms": load["loop_lag"].get("p99_ms", 0.0),
                "errors": load["failed"],
                "updates": load["updates"],
            }
        )
        print(json.dumps(rows[-1]))
    return rows


def chart(rows: list[dict]) -> str:  # type: ignore[type-arg]
    # time_chart draws over "second"; here the x axis is the number of users.
    points = [
        {
            "second": row["users"] - 0.5,
            "span": 1.0,
            **{k: row[k] for k in ("p50_ms", "p95_ms", "p99_ms")},
        }
        for row in rows
    ]
    svg = str(time_chart(points, ["p50_ms", "p95_ms", "p99_ms"], "latency ms"))
    svg = svg.replace(">seconds<", ">virtual users<")
    return svg.replace("<title>latency ms over time</title>", "<title>latency by users</title>")


async def main(arguments: argparse.Namespace) -> None:
    project = Project(find_project_root())
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        previous = RESULTS / "load_driver.json"
        report: dict[str, object] = json.loads(previous.read_text()) if previous.exists() else {}
        if not arguments.latency_only:
            report["ceiling"] = await ceiling(project, directory, arguments.rounds)
            print(json.dumps(report["ceiling"]))
        if not arguments.ceiling_only:
            database = arguments.database_url
            rows = await latency_vs_users(directory, arguments.users, arguments.seconds, database)
            label = "postgresql" if database else "sqlite"
            report[f"latency_vs_users_{label}"] = rows
            (RESULTS / f"latency_vs_users_{label}.svg").write_text(chart(rows))
    (RESULTS / "load_driver.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--users", type=int, nargs="*", default=[1, 2, 5, 10, 25, 50, 100])
    parser.add_argument("--ceiling-only", action="store_true")
    parser.add_argument("--latency-only", action="store_true")
    parser.add_argument(
        "--database-url", help="run the latency part on PostgreSQL (a throwaway database)"
    )
    sys.path.insert(0, str(find_project_root()))
    asyncio.run(main(parser.parse_args()))
