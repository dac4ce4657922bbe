"""JSON, schema version 1 (the contract in docs/scenarios.md); `replay report` reads it back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from replay.reporters.base import Reporter
from replay.result import RunResult


class JsonReporter(Reporter):
    extension = ".json"

    def __init__(self, indent: int | None = 2) -> None:
        self.indent = indent

    def render(self, result: RunResult) -> str:
        return json.dumps(result.to_json(), indent=self.indent, ensure_ascii=False, default=str)

    def render_many(self, results: Sequence[RunResult]) -> str:
        if len(results) == 1:
            return self.render(results[0])
        runs: list[dict[str, Any]] = [result.to_json() for result in results]
        return json.dumps(
            {"schema": 1, "runs": runs}, indent=self.indent, ensure_ascii=False, default=str
        )


def load_results(text: str) -> list[RunResult]:
    """Results from a file written by `replay run --format json` (one run or several)."""
    data = json.loads(text)
    if isinstance(data, dict) and "runs" in data:
        return [RunResult.from_json(run) for run in data["runs"]]
    return [RunResult.from_json(data)]
