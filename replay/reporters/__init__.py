"""Reporters render a `RunResult` to text; they never write files (the CLI does)."""

from replay.reporters.base import Reporter, reporter_for

__all__ = ["Reporter", "reporter_for"]
