"""Checks of single values the models accept as plain text: FSM states, Bot API method names.

The models cannot judge these alone: a state is any string to pydantic, and the method names
come from aiogram, which the models do not import. Without these checks a typo surfaces late
(a `calls:` count that fails at run time) or never (an `api_errors:` rule for a method that
does not exist simply never fires). A state holding a template is left to run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from replay.scenario.errors import Issue, did_you_mean
from replay.scenario.source import Path, Positions

STATE_HINT = "FSM states are written 'Group:state', e.g. 'Survey:name'"


def _templated(value: str) -> bool:
    return "{{" in value


def check_state(value: Any, key: str, positions: Positions, where: Path) -> Iterable[Issue]:
    """`set_state:` and `expect.state` name a state as aiogram spells it: `Group:state`."""
    if isinstance(value, str) and not _templated(value) and ":" not in value:
        yield positions.issue(where, f"{key}: {value!r} is not an FSM state", STATE_HINT)


def check_method(name: Any, positions: Positions, where: Path, *, key: bool) -> Iterable[Issue]:
    """A Bot API method name as the Bot API (`sendMessage`) or aiogram (`send_message`) has it."""
    # No template exemption: `calls:` keys and `api_errors:` are never rendered.
    if not isinstance(name, str):
        return
    # Imported here: the method names come from aiogram, which only this check needs.
    from replay.expectations import api_method_name, known_methods

    methods = known_methods()
    if api_method_name(name) in methods:
        return
    hint = did_you_mean(api_method_name(name), methods) or (
        "write the method as the Bot API names it (sendMessage) or as aiogram does (send_message)"
    )
    yield positions.issue(where, f"unknown Bot API method {name!r}", hint, key=key)


def check_expect(raw: Any, positions: Positions, where: Path) -> Iterable[Issue]:
    """The values of one `expect:` mapping (a step's or `defaults.expect`)."""
    if not isinstance(raw, dict):
        return
    if "state" in raw:
        yield from check_state(raw["state"], "state", positions, (*where, "state"))
    calls = raw.get("calls")
    if isinstance(calls, dict):
        for name in calls:
            yield from check_method(name, positions, (*where, "calls", name), key=True)
