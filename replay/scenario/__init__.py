"""The scenario language: models, loading with positions, and errors."""

from replay.scenario.errors import Issue, ScenarioError
from replay.scenario.loader import load_scenario
from replay.scenario.model import Expect, Scenario, Step

__all__ = ["Expect", "Issue", "Scenario", "ScenarioError", "Step", "load_scenario"]
