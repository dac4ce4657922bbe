"""How a run is carried out: every knob the CLI, the pytest plugin and `/profile` share."""

from __future__ import annotations

from dataclasses import dataclass

from replay.capture.nplusone import DEFAULT_THRESHOLD
from replay.capture.profile import DEFAULT_INTERVAL

DEFAULT_STEP_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Options of a run; the defaults are what `replay run` does without flags."""

    app: str | None = None  # module:function, overrides the scenario and pyproject.toml
    timeout: float = DEFAULT_STEP_TIMEOUT  # seconds per step, unless a step says otherwise
    fail_fast: bool = False
    faker_seed: int | None = None  # overrides the scenario's faker_seed
    iterations: int = 1
    profile: bool = True
    capture_sql: bool = True
    interval: float = DEFAULT_INTERVAL  # pyinstrument sampling interval, seconds
    n_plus_one_threshold: int = DEFAULT_THRESHOLD
    database_url: str | None = None  # a server to create the throwaway database on
    fsm_storage: str | None = None  # redis://... for aiogram's RedisStorage
    # A database another process created and prepared (load workers on a shared server).
    attach_database_url: str | None = None
