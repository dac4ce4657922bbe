"""The throwaway PostgreSQL database of a run exists while it runs and is gone afterwards,
however the run ended: passed, a failed step, an app factory that raised, Ctrl-C.

Each case uses a scenario of its own name and compares the server's `replay_<name>_*`
databases before and after, so runs of other tests at the same time do not interfere.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from replay import run_scenario
from replay.errors import SetupError

from .conftest import ROOT, SCENARIOS, sandbox_databases


def test_a_passing_run_drops_its_database(postgres_url: str) -> None:
    before = sandbox_databases(postgres_url, "svc_pg_passing")
    result = run_scenario(SCENARIOS / "pg_passing.yaml", profile=False, database_url=postgres_url)
    assert result.passed, [s.failures for s in result.steps]
    # The app really used the sandbox: it wrote a row and read its own seeding back.
    assert [s.queries.count for s in result.steps] == [1, 1]
    assert sandbox_databases(postgres_url, "svc_pg_passing") == before


def test_a_run_with_a_failing_step_drops_its_database(postgres_url: str) -> None:
    before = sandbox_databases(postgres_url, "svc_pg_failing")
    result = run_scenario(SCENARIOS / "pg_failing.yaml", profile=False, database_url=postgres_url)
    assert [s.status for s in result.steps] == ["passed", "failed"]
    assert sandbox_databases(postgres_url, "svc_pg_failing") == before


def test_a_failing_app_factory_drops_its_database(postgres_url: str) -> None:
    # The factory created a table and keeps its pooled connection open: the DROP must force.
    before = sandbox_databases(postgres_url, "svc_pg_factory_raises")
    with pytest.raises(SetupError, match="the bot's settings are broken"):
        run_scenario(
            SCENARIOS / "pg_factory_raises.yaml", profile=False, database_url=postgres_url
        )
    assert sandbox_databases(postgres_url, "svc_pg_factory_raises") == before


@dataclass(frozen=True)
class Interrupted:
    """`replay run` of a hanging scenario, stopped with SIGINT while its database existed."""

    seen: set[str]  # the run's databases while it ran
    left: set[str]  # the scenario's databases after it ended, minus those there before
    returncode: int
    stderr: str


@pytest.fixture(scope="module")
def interrupted(postgres_url: str) -> Iterator[Interrupted]:
    name = "svc_pg_hanging"
    before = sandbox_databases(postgres_url, name)
    command = [
        sys.executable,
        "-m",
        "replay",
        "run",
        str(SCENARIOS / "pg_hanging.yaml"),
        "--database-url",
        postgres_url,
        "--no-profile",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("REPLAY_FSM_STORAGE", None)
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        seen: set[str] = set()
        deadline = time.monotonic() + 60
        while not seen and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            seen = sandbox_databases(postgres_url, name) - before
        assert seen, f"the run never created its database: {process.poll()=}"
        # The database exists before the app factory ran; let the step start and hang.
        time.sleep(1.5)
        assert process.poll() is None, "the hanging run ended by itself"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    left = sandbox_databases(postgres_url, name) - before
    yield Interrupted(seen, left, process.returncode, stderr)


def test_ctrl_c_drops_the_database(interrupted: Interrupted) -> None:
    assert len(interrupted.seen) == 1
    assert interrupted.left == set(), interrupted.stderr
    assert "Traceback" not in interrupted.stderr


def test_ctrl_c_exits_with_status_130(interrupted: Interrupted) -> None:
    assert interrupted.returncode == 130, interrupted.stderr
    assert "interrupted" in interrupted.stderr
