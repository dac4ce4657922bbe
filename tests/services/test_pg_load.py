"""Load mode on the PostgreSQL sandbox: virtual users share the database through the app's
pool, load workers share one database the parent prepared, and an exhausted pool shows up as
errors of the step that waited for a connection, not as a crash.

No test asserts a speed; the pool test relies only on a handler keeping its connection longer
(0.5 s) than the pool lets others wait for one (0.2 s).
"""

from __future__ import annotations

import asyncio
from typing import Any

from replay.load.plan import make_plan
from replay.load.runner import run_load_async
from replay.options import RunOptions
from replay.result import RunResult
from replay.scenario.loader import load_scenario

from .conftest import SCENARIOS, sandbox_databases


def load(name: str, postgres_url: str, **plan: Any) -> RunResult:
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    return asyncio.run(
        run_load_async(scenario, make_plan(scenario, plan), RunOptions(database_url=postgres_url))
    )


def test_virtual_users_share_the_database_through_the_pool(postgres_url: str) -> None:
    before = sandbox_databases(postgres_url, "svc_load_shared")
    result = load("load_shared", postgres_url, users=5, iterations=2)
    assert result.load is not None
    assert result.load["failed"] == 0, result.load["errors"]
    assert result.load["updates"] == 5 * 2 * 2
    assert [s["count"] for s in result.load["steps"]] == [10, 10]
    # Every write reached the database: one INSERT per /write, one SELECT per /seeded.
    assert [s["queries_per_update"] for s in result.load["steps"]] == [1.0, 1.0]
    assert sandbox_databases(postgres_url, "svc_load_shared") == before


def test_workers_share_one_database_the_parent_prepared(postgres_url: str) -> None:
    # `/seeded` answers `seeded 1` only if each worker sees the parent's seeding (the same
    # database) and did not seed again (its factory got ctx.prepared).
    before = sandbox_databases(postgres_url, "svc_load_workers")
    result = load("load_workers", postgres_url, users=4, iterations=2, workers=2)
    assert result.load is not None
    assert result.load["failed"] == 0, result.load["errors"]
    assert result.load["vus_started"] == 4
    assert result.load["updates"] == 4 * 2 * 2  # both workers' halves
    assert sandbox_databases(postgres_url, "svc_load_workers") == before


def test_pool_exhaustion_is_counted_per_step(postgres_url: str) -> None:
    before = sandbox_databases(postgres_url, "svc_load_pool_exhausted")
    result = load("load_pool_exhausted", postgres_url, users=4)
    assert result.load is not None
    assert result.load["updates"] == 4
    [step] = result.load["steps"]
    assert step["count"] == 4
    # One VU holds the only connection; the others wait 0.2 s and get QueuePool's timeout.
    assert 1 <= step["errors"].get("TimeoutError", 0) == step["failed"] <= 3
    assert "QueuePool limit of size 1 overflow 0 reached" in step["failure_samples"][0]
    assert sandbox_databases(postgres_url, "svc_load_pool_exhausted") == before
