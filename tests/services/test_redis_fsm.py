"""`fsm_storage`: the app's FSM state really lives in Redis during the run, under the run's own
key prefix, and every key of the run is deleted afterwards, after a failed run too."""

from __future__ import annotations

import re

from replay import RunResult, run_scenario

from .conftest import SCENARIOS, redis_keys

PREFIX = re.compile(r"under (replay:[a-z0-9_]+:[0-9a-f]{8})$")


def run_prefix(result: RunResult, step_name: str) -> str:
    """The key prefix a step of the redis_fsm bot reported (`keys N under PREFIX`)."""
    [step] = [s for s in result.steps if s.name == step_name]
    match = PREFIX.search(step.replies[-1])
    assert match, step.replies
    return match.group(1)


def test_fsm_state_lives_in_redis_under_the_runs_prefix(redis_url: str) -> None:
    before = redis_keys(redis_url, "replay:svc_redis_fsm:*")
    result = run_scenario(SCENARIOS / "redis_fsm.yaml", profile=False, fsm_storage=redis_url)
    # The scenario's expectations hold: the handler saw a RedisStorage, `state:` and `data:`
    # were read back through it, and a handler and a job both found keys under the prefix.
    assert result.passed, [(s.name, s.failures) for s in result.steps if not s.passed]
    prefix = run_prefix(result, "keys seen by a handler")
    assert prefix == run_prefix(result, "keys seen by a job")
    assert redis_keys(redis_url, f"{prefix}:*") == set()
    assert redis_keys(redis_url, "replay:svc_redis_fsm:*") == before


def test_without_fsm_storage_the_app_keeps_its_own_storage() -> None:
    # The same scenario without the option (no server needed): the bot falls back to
    # MemoryStorage and finds no Redis, so the expectations that prove Redis fail: they can
    # tell the difference.
    result = run_scenario(SCENARIOS / "redis_fsm.yaml", profile=False)
    failed = [s.name for s in result.steps if not s.passed]
    assert failed == ["storage class", "keys seen by a handler", "keys seen by a job"]
    assert result.steps[0].replies == ("MemoryStorage",)


def test_a_failed_run_deletes_its_keys_too(redis_url: str) -> None:
    before = redis_keys(redis_url, "replay:svc_redis_error:*")
    result = run_scenario(SCENARIOS / "redis_fsm_error.yaml", profile=False, fsm_storage=redis_url)
    assert [s.status for s in result.steps] == ["passed", "passed", "passed", "error"]
    prefix = run_prefix(result, "keys exist")
    assert redis_keys(redis_url, f"{prefix}:*") == set()
    assert redis_keys(redis_url, "replay:svc_redis_error:*") == before
