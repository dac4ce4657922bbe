"""The steps of a scenario as they run: `repeat:` expanded, default names, template checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from replay.scenario.model import Scenario, Step


def step_label(index: int, step: Step) -> str:
    """The default step name: `<index> <verb> <argument>`."""
    argument = step.argument
    if isinstance(argument, str | int | float):
        shown = str(argument)
    elif hasattr(argument, "model_dump"):
        shown = " ".join(f"{k}={v}" for k, v in argument.model_dump(exclude_none=True).items())
    else:
        shown = ""
    return f"{index} {step.verb} {shown}".strip()


def unrolled_steps(scenario: Scenario) -> Iterator[tuple[Step, str | None]]:
    """The steps of `scenario` in the order they run, `repeat:` expanded."""
    return _unroll(scenario.steps, "")


def _unroll(steps: list[Step], suffix: str) -> Iterator[tuple[Step, str | None]]:
    for step in steps:
        if step.repeat is not None and step.steps is not None:
            for turn in range(1, step.repeat + 1):
                yield from _unroll(step.steps, f"{suffix} [{turn}/{step.repeat}]")
        else:
            yield step, suffix or None


def all_steps(steps: list[Step]) -> Iterator[Step]:
    for step in steps:
        yield step
        if step.steps:
            yield from all_steps(step.steps)


def has_templates(model: Any) -> bool:
    return "{{" in model.model_dump_json(warnings=False)
