"""`replay compare`: exact query changes, noise-tolerant time changes, N+1 appearing."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from click.testing import CliRunner

from replay.cli import cli
from replay.compare import compare_runs, format_comparison
from replay.result import NPlusOne, QueryStats, RunResult


def _with_step(run: RunResult, index: int, **changes: object) -> RunResult:
    steps = list(run.steps)
    steps[index] = dataclasses.replace(steps[index], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(run, steps=tuple(steps))


def test_identical_runs_do_not_regress(planted_run: RunResult) -> None:
    comparison = compare_runs([planted_run], [planted_run])
    assert not comparison.regressed
    assert "no regression" in format_comparison(comparison)


def test_one_more_query_is_a_regression(planted_run: RunResult) -> None:
    step = planted_run.steps[2]
    head = _with_step(
        planted_run, 2, queries=dataclasses.replace(step.queries, count=step.queries.count + 1)
    )
    comparison = compare_runs([planted_run], [head])
    assert comparison.regressed
    changed = [c for c in comparison.changes if c.changed]
    assert [(c.step, c.query_delta) for c in changed] == [(step.name, 1)]
    assert "(+1)" in format_comparison(comparison)


def test_fewer_queries_is_not_a_regression(planted_run: RunResult) -> None:
    step = planted_run.steps[0]
    head = _with_step(planted_run, 0, queries=QueryStats(count=step.queries.count - 5))
    assert not compare_runs([planted_run], [head]).regressed


def test_time_is_flagged_only_beyond_the_noise_threshold(planted_run: RunResult) -> None:
    step = planted_run.steps[1]
    base = _with_step(planted_run, 1, wall_ms=10.0)
    noisy = _with_step(planted_run, 1, wall_ms=14.0)  # +40%, +4 ms: noise
    slower = _with_step(planted_run, 1, wall_ms=30.0)  # +200%, +20 ms
    assert not compare_runs([base], [noisy]).regressed
    comparison = compare_runs([base], [slower])
    assert comparison.regressed
    assert [c.step for c in comparison.changes if c.slower] == [step.name]


def test_new_finding_is_a_regression_and_a_gone_one_is_reported(planted_run: RunResult) -> None:
    finding = NPlusOne("SELECT x FROM y WHERE id = ?", 4, "bot/x.py:3", "repeated_query", "m")
    head = _with_step(planted_run, 2, n_plus_one=(finding,))
    comparison = compare_runs([planted_run], [head])
    assert comparison.regressed
    text = format_comparison(comparison)
    assert "new N+1: repeated_query at bot/x.py:3" in text
    assert "gone N+1" not in text
    back = compare_runs([head], [planted_run])
    assert not back.regressed
    assert "gone N+1: repeated_query at bot/x.py:3" in format_comparison(back)


def test_step_that_stops_passing_is_a_regression(planted_run: RunResult) -> None:
    head = _with_step(planted_run, 0, status="failed", failures=("boom",))
    assert compare_runs([planted_run], [head]).regressed


def test_cli_compare_exit_codes(planted_run: RunResult, tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    head = tmp_path / "head.json"
    base.write_text(json.dumps(planted_run.to_json()))
    step = planted_run.steps[3]
    worse = _with_step(
        planted_run, 3, queries=dataclasses.replace(step.queries, count=step.queries.count + 2)
    )
    head.write_text(json.dumps(worse.to_json()))
    runner = CliRunner()
    same = runner.invoke(cli, ["compare", str(base), str(base)])
    assert same.exit_code == 0, same.output
    result = runner.invoke(cli, ["compare", str(base), str(head)])
    assert result.exit_code == 1
    assert "REGRESSION" in result.output
    as_json = runner.invoke(cli, ["compare", str(base), str(head), "--format", "json"])
    assert json.loads(as_json.output)["regressed"] is True


def test_cli_compare_rejects_a_file_that_is_not_a_run(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"hello": 1}')
    result = CliRunner().invoke(cli, ["compare", str(bogus), str(bogus)])
    assert result.exit_code == 2
    assert "not a replay result file" in result.output
    assert "Traceback" not in result.output
