"""Load-mode fixtures: scenarios against the sleepy fixture bot, written to tmp files."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from replay.load.plan import make_plan
from replay.load.runner import run_load_async
from replay.result import RunResult
from replay.scenario.loader import load_scenario

HEADER = "app: tests.bots.sleepy:create_app\n"

LoadRun = Callable[..., RunResult]


@pytest.fixture
def load_run(tmp_path: Path) -> LoadRun:
    """`load_run(yaml_body, **plan_overrides)` -> RunResult of a load run in this process."""

    def run(body: str, stop_after: float | None = None, **overrides: Any) -> RunResult:
        path = tmp_path / "load.yaml"
        path.write_text(HEADER + body)
        scenario = load_scenario(path)
        plan = make_plan(scenario, overrides)

        async def main() -> RunResult:
            stop = asyncio.Event()
            if stop_after is not None:
                asyncio.get_running_loop().call_later(stop_after, stop.set)
            return await run_load_async(scenario, plan, stop=stop)

        return asyncio.run(main())

    return run
