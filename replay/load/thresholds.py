"""Load thresholds: per-step `p95_ms`/`p99_ms` in `expect:`, `max_error_rate` and
`min_throughput` in `load:`. A breach fails the run (exit status 1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from replay.load.metrics import LoadMetrics
from replay.load.plan import LoadPlan
from replay.scenario.model import Expect


@dataclass(frozen=True, slots=True)
class Threshold:
    name: str
    limit: float
    value: float
    passed: bool
    step: int | None = None
    minimum: bool = False  # the value must reach the limit (throughput), not stay under it

    @property
    def message(self) -> str:
        if self.passed:
            verdict = "meets" if self.minimum else "within"
        else:
            verdict = "under" if self.minimum else "over"
        return f"{self.name} is {self.value:g}, {verdict} the threshold of {self.limit:g}"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "limit": self.limit,
            "value": self.value,
            "passed": self.passed,
            "step": self.step,
            "message": self.message,
        }


def evaluate(
    metrics: LoadMetrics, plan: LoadPlan, expects: dict[int, tuple[str, Expect]]
) -> list[Threshold]:
    results: list[Threshold] = []
    for index, (name, expect) in sorted(expects.items()):
        step = metrics.steps.get(index)
        if step is None or not step.count:
            continue
        for key, percentile in (("p95_ms", 95.0), ("p99_ms", 99.0)):
            limit = getattr(expect, key)
            if limit is None:
                continue
            value = round(step.latency.get_value_at_percentile(percentile) / 1000, 3)
            label = f"step {index} ({name}) {key}"
            results.append(Threshold(label, limit, value, value <= limit, index))
    updates = metrics.updates
    if plan.max_error_rate is not None and updates:
        rate = round(metrics.failed / updates, 6)
        results.append(
            Threshold("error rate", plan.max_error_rate, rate, rate <= plan.max_error_rate)
        )
    if plan.min_throughput is not None:
        throughput = round(updates / metrics.elapsed, 3) if metrics.elapsed else 0.0
        results.append(
            Threshold(
                "throughput (updates/s)",
                plan.min_throughput,
                throughput,
                throughput >= plan.min_throughput,
                minimum=True,
            )
        )
    return results
