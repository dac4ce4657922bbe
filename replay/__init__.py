"""replay: a declarative scenario-replay load profiler for aiogram 3 bots.

The public API: `run_scenario(path, **options) -> RunResult`, `load_scenario(path)`, and the
app factory contract (`App`, `SandboxContext`) a bot implements to be driven by replay.
"""

from replay.errors import ReplayError
from replay.options import RunOptions
from replay.result import RunResult, StepResult
from replay.runner import run_scenario, run_scenario_async
from replay.scenario import Scenario, ScenarioError, load_scenario
from replay.target import App, SandboxContext

__version__ = "0.1.0"

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
