"""Load mode: virtual users, percentiles, thresholds, the open model, workers, partial runs.

No test asserts how fast anything is: only counts, orders and lower bounds that follow from
the fixture bot's sleeps (a handler that sleeps 50 ms cannot answer in less).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from replay.load.metrics import MAX_POINTS, LoadMetrics
from replay.reporters.base import reporter_for
from replay.result import RunResult

from .conftest import LoadRun

ROOT = Path(__file__).resolve().parent.parent.parent


def step(result: RunResult, index: int) -> dict[str, Any]:
    assert result.load is not None
    steps: list[dict[str, Any]] = result.load["steps"]
    return steps[index]


def test_every_virtual_user_is_somebody_else(load_run: LoadRun) -> None:
    result = load_run(
        """
actors:
  alice: {}
steps:
  - send: /whoami
    capture: { me: { reply: 'you are (\\d+)' } }
  - send: "/whoami again"
    expect: { reply: { equals: "you are {{ actors.alice.id }}" }, data: { seen: "{{ me }}" } }
""",
        users=6,
        iterations=2,
    )
    load = result.load
    assert load is not None
    assert load["vus_started"] == 6
    assert load["updates"] == 6 * 2 * 2
    assert load["failed"] == 0, load["errors"]
    assert result.passed


def test_shared_actors_are_the_same_person_for_every_vu(load_run: LoadRun) -> None:
    result = load_run(
        """
actors:
  boss: { id: 4242, admin: true }
  alice: { admin: true }
steps:
  - { as: boss, send: /whoami, expect: { reply: { equals: you are 4242 } } }
  - { as: alice, send: /admin, expect: { reply: { equals: admin } } }
load: { shared: [boss] }
""",
        users=5,
    )
    assert result.load is not None
    assert result.load["failed"] == 0, result.load["errors"]


def test_percentiles_follow_the_handlers_sleeps(load_run: LoadRun) -> None:
    result = load_run(
        """
actors: { alice: {} }
steps:
  - send: /fast
  - send: /slow
""",
        users=4,
        iterations=5,
    )
    fast, slow = step(result, 0), step(result, 1)
    assert fast["count"] == slow["count"] == 20
    assert fast["latency"]["p50_ms"] >= 9.9
    assert slow["latency"]["p50_ms"] >= 49.9
    assert slow["latency"]["p50_ms"] > fast["latency"]["p50_ms"]
    for row in (fast, slow):
        latency = row["latency"]
        assert latency["min_ms"] <= latency["p50_ms"] <= latency["p90_ms"] <= latency["p95_ms"]
        assert latency["p95_ms"] <= latency["p99_ms"] <= latency["max_ms"]


def test_a_step_threshold_fails_the_run(load_run: LoadRun) -> None:
    result = load_run(
        """
actors: { alice: {} }
steps:
  - send: /slow
    expect: { p95_ms: 5 }
  - send: /fast
    expect: { p99_ms: 60000 }
""",
        users=2,
    )
    assert not result.passed
    thresholds = {t["name"]: t["passed"] for t in result.load["thresholds"]}  # type: ignore[index]
    assert thresholds == {
        "step 0 (0 send /slow) p95_ms": False,
        "step 1 (1 send /fast) p99_ms": True,
    }
    assert result.steps[0].status == "failed"
    assert result.steps[1].status == "passed"


def test_error_rate_and_throughput_thresholds(load_run: LoadRun) -> None:
    body = """
actors: { alice: {} }
steps:
  - send: /boom
load: { max_error_rate: 0.5, min_throughput: 1000000 }
"""
    result = load_run(body, users=3)
    assert not result.passed
    load = result.load
    assert load is not None
    assert load["errors"] == {"RuntimeError": 3}
    assert load["error_rate"] == 1.0
    verdicts = {t["name"]: t["passed"] for t in load["thresholds"]}
    assert verdicts == {"error rate": False, "throughput (updates/s)": False}


def test_no_threshold_no_failure_even_with_errors(load_run: LoadRun) -> None:
    result = load_run("actors: { alice: {} }\nsteps:\n  - send: /boom\n", users=2)
    assert result.passed
    assert result.load is not None
    assert result.load["failed"] == 2


def test_a_failed_step_ends_that_iteration(load_run: LoadRun) -> None:
    result = load_run(
        "actors: { alice: {} }\nsteps:\n  - send: /boom\n  - send: /fast\n", users=2, iterations=3
    )
    assert step(result, 0)["count"] == 6
    assert len(result.load["steps"]) == 1  # type: ignore[index]


def test_open_model_arrivals_queue_when_slots_are_few(load_run: LoadRun) -> None:
    # 10 arrivals at 50/s, one at a time, each 50 ms long: later ones wait for the slot, and
    # that wait is latency (what a user feels) but not service time.
    result = load_run(
        "actors: { alice: {} }\nsteps:\n  - send: /slow\n",
        arrival_rate=50.0,
        iterations=10,
        users=1,
    )
    load = result.load
    assert load is not None
    assert load["vus_started"] == 10
    slow = step(result, 0)
    assert slow["count"] == 10
    assert slow["service"]["max_ms"] >= 49.9
    # the 10th arrives at 180 ms but cannot start before 9 x 50 ms = 450 ms
    assert slow["latency"]["max_ms"] >= 300
    assert slow["latency"]["max_ms"] > slow["service"]["max_ms"] + 200


def test_open_model_with_enough_slots_does_not_queue(load_run: LoadRun) -> None:
    result = load_run(
        "actors: { alice: {} }\nsteps:\n  - send: /fast\n", arrival_rate=100.0, iterations=20
    )
    load = result.load
    assert load is not None
    assert load["vus_started"] == 20
    assert load["plan"]["users"] == 10_000  # no cap given: effectively unbounded


def test_sqlite_lock_errors_are_counted_not_fatal(load_run: LoadRun) -> None:
    result = load_run(
        """
actors: { writer: {} }
steps:
  - send: /hold
  - send: /write
""",
        users=6,
        iterations=2,
    )
    load = result.load
    assert load is not None
    locked = {name: n for name, n in load["errors"].items() if "database is locked" in name}
    assert locked, load["errors"]
    assert load["updates"] >= 12


def test_a_thousand_users_in_one_process(load_run: LoadRun) -> None:
    result = load_run("actors: { alice: {} }\nsteps:\n  - send: hi\n", users=1000)
    load = result.load
    assert load is not None
    assert (load["vus_started"], load["vus_finished"], load["updates"]) == (1000, 1000, 1000)
    assert load["failed"] == 0


def test_a_stopped_run_reports_what_it_measured(load_run: LoadRun) -> None:
    result = load_run(
        "actors: { alice: {} }\nsteps:\n  - send: /fast\n",
        users=3,
        duration=30.0,
        stop_after=0.5,
    )
    load = result.load
    assert load is not None
    assert load["interrupted"] is True
    assert load["updates"] > 0
    assert load["elapsed_s"] < 10
    assert "Interrupted" in reporter_for("html").render(result)
    assert "interrupted" in reporter_for("text").render(result)


def test_workers_split_the_users_and_merge_exactly(load_run: LoadRun) -> None:
    result = load_run(
        "actors: { alice: {} }\nsteps:\n  - send: /whoami\n  - send: /fast\n",
        users=5,
        iterations=2,
        workers=2,
    )
    load = result.load
    assert load is not None
    assert load["vus_started"] == 5
    assert load["updates"] == 20
    assert load["latency"]["count"] == 20
    assert [s["count"] for s in load["steps"]] == [10, 10]
    assert load["failed"] == 0, load["errors"]


def test_load_report_renders_in_every_format(load_run: LoadRun) -> None:
    result = load_run("actors: { alice: {} }\nsteps:\n  - send: /fast\n", users=2, iterations=3)
    html = reporter_for("html").render(result)
    assert html.count("<svg") == 3
    assert "Latency per step" in html
    data = json.loads(reporter_for("json").render(result))
    assert data["load"]["updates"] == 6
    assert data["load"]["series"]
    assert "testcase" in reporter_for("junit").render(result)
    assert "6 updates" in reporter_for("text").render(result)


def test_series_memory_is_bounded() -> None:
    metrics = LoadMetrics()
    for second in range(5 * MAX_POINTS):
        metrics.record(
            0, "s", "send", at=second + 0.5, latency_us=1000, service_us=900, statements=1
        )
    assert len(metrics.series) <= MAX_POINTS
    assert sum(point.updates for point in metrics.series.values()) == 5 * MAX_POINTS
    assert metrics.point_seconds > 1


def test_merged_histograms_equal_one_histogram() -> None:
    one, left, right = LoadMetrics(), LoadMetrics(), LoadMetrics()
    for number in range(1, 201):
        one.record(0, "s", "send", at=0.1, latency_us=number * 100, service_us=50, statements=2)
        target = left if number % 2 else right
        target.record(0, "s", "send", at=0.1, latency_us=number * 100, service_us=50, statements=2)
    left.merge(LoadMetrics.from_json(right.to_json(raw=True)))
    assert left.to_json()["latency"] == one.to_json()["latency"]
    assert left.to_json()["steps"][0]["queries_per_update"] == 2.0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_cleanly_and_writes_the_partial_report(tmp_path: Path) -> None:
    scenario = tmp_path / "long.yaml"
    scenario.write_text(
        "app: tests.bots.sleepy:create_app\nactors: { alice: {} }\nsteps:\n  - send: /fast\n"
    )
    report = tmp_path / "out.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "replay",
            "run",
            str(scenario),
            "--users",
            "3",
            "--duration",
            "60s",
            "--json",
            str(report),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stderr is not None
    announced = process.stderr.readline()  # "long: load, 3 users, for 60s": imports are done
    assert b": load, 3 users" in announced
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    stdout, rest = process.communicate(timeout=60)
    stderr = announced + rest
    assert process.returncode == 130, stderr.decode()
    data = json.loads(report.read_text())
    assert data["load"]["interrupted"] is True
    assert data["load"]["updates"] > 0
    assert b"interrupted" in stderr
    assert b"Traceback" not in stderr


def test_profiling_a_sample_of_steps_one_at_a_time(load_run: LoadRun) -> None:
    # Every step asks to be profiled while 5 users run at once: only one async profiler may
    # run per thread, so the others go unprofiled instead of breaking pyinstrument.
    result = load_run(
        "actors: { alice: {} }\nsteps:\n  - send: /slow\n",
        users=5,
        iterations=2,
        profile_sample=1.0,
    )
    load = result.load
    assert load is not None
    assert load["failed"] == 0, load["errors"]
    assert result.steps[0].profile is not None
    assert result.steps[0].profile.samples > 0


def test_without_profile_sample_nothing_is_profiled(load_run: LoadRun) -> None:
    result = load_run("actors: { alice: {} }\nsteps:\n  - send: /slow\n", users=2)
    assert result.steps[0].profile is None
