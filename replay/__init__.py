"""replay: a declarative scenario-replay load profiler for aiogram 3 bots.

The public API: `run_scenario(path, **options) -> RunResult`, `load_scenario(path)`, and the
app factory contract (`App`, `SandboxContext`) a bot implements to be driven by replay.

Names are imported on first use: `replay --version` and the pytest plugin must not pay for
importing aiogram and SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "App": "replay.target",
    "ReplayError": "replay.errors",
    "RunOptions": "replay.options",
    "RunResult": "replay.result",
    "SandboxContext": "replay.target",
    "Scenario": "replay.scenario.model",
    "ScenarioError": "replay.scenario.errors",
    "StepResult": "replay.result",
    "load_scenario": "replay.scenario.loader",
    "run_scenario": "replay.runner",
    "run_scenario_async": "replay.runner",
}

if TYPE_CHECKING:
    from replay.errors import ReplayError
    from replay.options import RunOptions
    from replay.result import RunResult, StepResult
    from replay.runner import run_scenario, run_scenario_async
    from replay.scenario.errors import ScenarioError
    from replay.scenario.loader import load_scenario
    from replay.scenario.model import Scenario
    from replay.target import App, SandboxContext


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module 'replay' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(module), name)


__all__ = [
    "App",
    "ReplayError",
    "RunOptions",
    "RunResult",
    "SandboxContext",
    "Scenario",
    "ScenarioError",
    "StepResult",
    "__version__",
    "load_scenario",
    "run_scenario",
    "run_scenario_async",
]
