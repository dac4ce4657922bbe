"""The example bot on PostgreSQL and Redis, as most bots run in production: its scenarios
pass on the throwaway database with FSM state in Redis, and leave nothing behind."""

from __future__ import annotations

import pytest

from replay import run_scenario

from .conftest import ROOT, redis_keys, sandbox_databases


@pytest.mark.parametrize("name", ["plans_admin", "expiry"])
def test_scenario_passes_on_postgres_with_redis_fsm(
    name: str, postgres_url: str, redis_url: str
) -> None:
    databases = sandbox_databases(postgres_url, name)
    keys = redis_keys(redis_url, f"replay:{name}:*")
    result = run_scenario(
        ROOT / "scenarios" / f"{name}.yaml",
        profile=False,
        database_url=postgres_url,
        fsm_storage=redis_url,
    )
    assert result.passed, [(s.name, s.failures) for s in result.steps if not s.passed]
    assert sum(s.queries.count for s in result.steps) > 0
    assert sandbox_databases(postgres_url, name) == databases
    assert redis_keys(redis_url, f"replay:{name}:*") == keys
