"""`RunResult`: the JSON form (schema 1) round-trips, has the documented keys, and iterations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from replay import ReplayError, RunResult

from .conftest import RunSteps

PLANTED = "app: tests.bots.planted:create_app\nactors: {alice: {}}\n"


def _round_trip(result: RunResult) -> RunResult:
    return RunResult.from_json(json.loads(json.dumps(result.to_json())))


def test_json_round_trip_of_a_run_with_every_verb(run: RunSteps) -> None:
    result = run(
        """\
        - send: /start
        - click: Yes
        - send: {photo: true}
        - join: vip
        - member: {chat: vip, status: kicked}
        - set_state: 'Survey:age'
          data: {name: Zed}
        - advance: 1h
        - job: ping
        - send: /menu
        - click: Nope
        """,
        profile=True,
    )
    assert _round_trip(result) == result


def test_json_round_trip_of_a_run_with_sql_profile_and_iterations(run: RunSteps) -> None:
    result = run(
        "- send: /lazy\n- send: /spawn\n- send: /fail\n",
        PLANTED,
        profile=True,
        iterations=2,
    )
    assert result.steps[0].n_plus_one
    assert result.steps[1].queries.late
    assert result.steps[0].profile is not None
    assert _round_trip(result) == result


def test_json_has_the_documented_schema_1_keys(run: RunSteps) -> None:
    data: dict[str, Any] = json.loads(
        json.dumps(run("- send: /lazy\n", PLANTED, profile=True).to_json())
    )
    assert data["schema"] == 1
    assert {"schema", "scenario", "status", "started_at", "duration_ms", "steps", "load"} <= set(
        data
    )
    assert data["load"] is None
    assert (data["scenario"], data["status"]) == ("s", "failed")
    (step,) = data["steps"]
    assert {
        "index",
        "name",
        "actor",
        "verb",
        "status",
        "failures",
        "wall_ms",
        "queries",
        "n_plus_one",
        "calls",
        "replies",
        "state",
        "profile",
    } <= set(step)
    assert {"count", "time_ms", "statements"} <= set(step["queries"])
    for statement in step["queries"]["statements"]:
        assert {"sql", "fingerprint", "count", "time_ms", "call_site"} <= set(statement)
    (finding,) = step["n_plus_one"]
    assert {"fingerprint", "count", "call_site", "kind", "message"} <= set(finding)
    assert {"method", "params"} <= set(step["calls"][0])
    assert "top" in step["profile"]
    for top in step["profile"]["top"]:
        assert set(top) == {"function", "file", "line", "ms"}


def test_paths_in_results_are_relative_to_the_project(run: RunSteps) -> None:
    result = run("- send: /lazy\n", PLANTED, profile=True)
    step = result.steps[0]
    sites = [g.call_site for g in step.queries.statements] + [f.call_site for f in step.n_plus_one]
    assert sites
    assert all(site.startswith("tests/bots/planted.py:") for site in sites)
    assert step.profile is not None
    assert all(not top.file.startswith("/") for top in step.profile.top)
    assert step.source == "s.yaml:4"


def test_from_json_rejects_another_schema(run: RunSteps) -> None:
    data = run("- send: /start\n").to_json()
    data["schema"] = 2
    with pytest.raises(ReplayError, match="unsupported result schema 2; this replay reads"):
        RunResult.from_json(data)


def test_iterations_give_min_median_max_per_step(run: RunSteps) -> None:
    result = run("- send: /start\n- send: /many\n", iterations=3)
    assert result.iterations == 3
    for step in result.steps:
        assert step.timing is not None
        assert step.timing.runs == 3
        assert step.timing.min_ms <= step.timing.median_ms <= step.timing.max_ms
        assert step.wall_ms == step.timing.median_ms
    assert [s.replies for s in result.steps] == [
        ("Hello, Alice! Ready?",),
        ("message 0", "message 1", "message 2"),
    ]


def test_a_single_run_has_no_timing(run: RunSteps) -> None:
    result = run("- send: /start\n")
    assert (result.iterations, result.steps[0].timing) == (1, None)


def test_iterations_report_a_failure_of_any_iteration(run: RunSteps) -> None:
    result = run("- send: /start\n  expect: {replies: 2}\n", iterations=2)
    assert (result.steps[0].status, result.steps[0].failures) == (
        "failed",
        ("expected 2 message(s) to alice, got 1",),
    )


def test_overall_status_is_the_worst_step(run: RunSteps) -> None:
    passed = run("- send: /start\n")
    failed = run("- send: /start\n  expect: {replies: 2}\n")
    errored = run("- send: /hang\n  timeout: 100ms\n- send: /start\n  expect: {replies: 2}\n")
    assert [r.status for r in (passed, failed, errored)] == ["passed", "failed", "error"]
    assert [r.passed for r in (passed, failed, errored)] == [True, False, False]
