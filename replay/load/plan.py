"""The load plan: the scenario's `load:` section with the command line's overrides applied."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from replay.errors import ReplayError
from replay.scenario.durations import parse_duration, parse_rate
from replay.scenario.model import LoadSpec, Scenario

DEFAULT_USERS = 10
DEFAULT_ITERATIONS = 1
MAX_OPEN_USERS = 10_000  # a ceiling on concurrent users in the open model


@dataclass(frozen=True, slots=True)
class LoadPlan:
    """How many virtual users (VUs), how they arrive, and for how long.

    Closed model: `users` VUs, started over `ramp` seconds, each repeating the scenario until
    `duration` is over or it has run `iterations` times. Open model (`arrival_rate` set): a
    new VU every 1/rate seconds, each running the scenario once, whatever the bot's speed,
    for `duration` (or until `iterations` VUs arrived); `users` caps how many are in flight.
    """

    users: int = DEFAULT_USERS
    shared: tuple[str, ...] = ()
    ramp: float = 0.0
    duration: float | None = None
    iterations: int | None = None
    think: float = 0.0
    arrival_rate: float | None = None
    max_error_rate: float | None = None
    min_throughput: float | None = None
    profile_sample: float = 0.0
    workers: int = 1
    vu_offset: int = 0  # the first VU number of this process (workers split the VUs)
    vu_stride: int = 1

    @property
    def open_model(self) -> bool:
        return self.arrival_rate is not None

    def describe(self) -> str:
        parts = []
        if self.open_model:
            parts.append(f"{self.arrival_rate:g} new users/s")
            if self.users:
                parts.append(f"at most {self.users} at once")
        else:
            parts.append(f"{self.users} users")
            if self.ramp:
                parts.append(f"ramp {self.ramp:g}s")
        if self.duration is not None:
            parts.append(f"for {self.duration:g}s")
        if self.iterations is not None:
            what = "arrivals" if self.open_model else "iterations each"
            parts.append(f"{self.iterations} {what}")
        if self.think:
            parts.append(f"think {self.think * 1000:g}ms")
        if self.workers > 1:
            parts.append(f"{self.workers} workers")
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"shared": list(self.shared)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LoadPlan:
        return cls(**{**data, "shared": tuple(data.get("shared", ()))})


def _seconds(value: Any) -> float | None:
    return None if value is None else parse_duration(value).total_seconds()


def make_plan(scenario: Scenario, overrides: dict[str, Any]) -> LoadPlan:
    """The plan from `scenario.load`, with CLI values (not None) taking precedence."""
    spec = scenario.load or LoadSpec()
    values: dict[str, Any] = {
        "users": spec.users,
        "shared": tuple(spec.shared),
        "ramp": _seconds(spec.ramp) or 0.0,
        "duration": _seconds(spec.duration),
        "iterations": spec.iterations,
        "think": _seconds(spec.think) or 0.0,
        "arrival_rate": parse_rate(spec.arrival_rate) if spec.arrival_rate is not None else None,
        "max_error_rate": spec.max_error_rate,
        "min_throughput": spec.min_throughput,
    }
    values.update({key: value for key, value in overrides.items() if value is not None})
    if values["duration"] is not None and values["iterations"] is not None:
        # The command line may give one of them to override the scenario's other.
        if overrides.get("duration") is not None and overrides.get("iterations") is None:
            values["iterations"] = None
        elif overrides.get("iterations") is not None and overrides.get("duration") is None:
            values["duration"] = None
    if values["duration"] is None and values["iterations"] is None:
        values["iterations"] = DEFAULT_ITERATIONS
    if values["users"] is None:
        values["users"] = MAX_OPEN_USERS if values["arrival_rate"] else DEFAULT_USERS
    unknown = [name for name in values["shared"] if name not in scenario.actors]
    if unknown:
        msg = f"load: shared names unknown actor(s) {', '.join(unknown)}"
        raise ReplayError(msg)
    if values["users"] < 1 or values.get("workers", 1) < 1:
        msg = "load: --users and --workers must be at least 1"
        raise ReplayError(msg)
    return LoadPlan(**values)
