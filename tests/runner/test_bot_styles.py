"""Bots written in other styles than the example bot are driven without changing them."""

from __future__ import annotations

from pathlib import Path

from replay.runner import run_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_globals_style_bot_runs_again_and_again() -> None:
    # A module-level Bot, Router and engine: the adapter builds the Dispatcher once per process
    # and the engine, bound to DATABASE_URL at import, reaches every run's fresh database.
    result = run_scenario(SCENARIOS / "globals_style.yaml", profile=False, iterations=3)
    assert result.passed, [s.failures for s in result.steps]
    assert result.iterations == 3
    count = result.steps[2]
    assert count.replies == ("2 notes",)  # fresh database each iteration: never 4 or 6


def test_calls_of_a_module_level_bot_are_recorded_in_the_step() -> None:
    result = run_scenario(SCENARIOS / "globals_style.yaml", profile=False)
    note, _, count, _ = result.steps
    assert [call.method for call in note.calls] == ["sendMessage"]
    assert note.calls[0].params["text"] == "Saved: buy milk"
    assert "sendChatAction" in [call.method for call in count.calls]
