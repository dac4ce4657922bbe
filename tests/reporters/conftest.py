"""One real run shared by every reporter test (pyinstrument's pattern: one session, all
renderers), so each format is checked against the same data."""

from __future__ import annotations

from pathlib import Path

import pytest

from replay.result import RunResult
from replay.runner import run_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="session")
def twenty_step_run() -> RunResult:
    return run_scenario(SCENARIOS / "twenty_steps.yaml")


@pytest.fixture(scope="session")
def planted_run() -> RunResult:
    return run_scenario(SCENARIOS / "planted_all.yaml")
