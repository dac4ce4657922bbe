"""Compare two saved runs: what got worse between BASE and HEAD.

Query counts are deterministic on seeded data, so any change is reported exactly and an
increase is a regression. Times are noisy: a step is flagged slower only when it is both
`threshold` slower relatively and `floor_ms` slower absolutely. New N+1 findings and steps that
stopped passing are regressions too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from replay.result import RunResult, StepResult

DEFAULT_TIME_THRESHOLD = 0.5
DEFAULT_TIME_FLOOR_MS = 5.0


@dataclass(frozen=True, slots=True)
class StepChange:
    scenario: str
    step: str
    base_queries: int | None
    head_queries: int | None
    base_ms: float | None
    head_ms: float | None
    new_findings: tuple[str, ...] = ()
    gone_findings: tuple[str, ...] = ()
    base_status: str | None = None
    head_status: str | None = None
    slower: bool = False
    faster: bool = False

    @property
    def query_delta(self) -> int:
        return (self.head_queries or 0) - (self.base_queries or 0)

    @property
    def regressed(self) -> bool:
        broke = self.base_status == "passed" and self.head_status not in (None, "passed")
        more = (
            self.base_queries is not None
            and self.head_queries is not None
            and (self.query_delta > 0)
        )
        return broke or more or self.slower or bool(self.new_findings)

    @property
    def changed(self) -> bool:
        return (
            self.regressed
            or self.query_delta != 0
            or self.faster
            or bool(self.gone_findings)
            or self.base_status != self.head_status
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "step": self.step,
            "queries": {"base": self.base_queries, "head": self.head_queries},
            "ms": {"base": self.base_ms, "head": self.head_ms},
            "status": {"base": self.base_status, "head": self.head_status},
            "new_n_plus_one": list(self.new_findings),
            "gone_n_plus_one": list(self.gone_findings),
            "slower": self.slower,
            "faster": self.faster,
            "regressed": self.regressed,
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    changes: tuple[StepChange, ...]
    missing_scenarios: tuple[str, ...] = ()
    new_scenarios: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def regressed(self) -> bool:
        return any(change.regressed for change in self.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "regressed": self.regressed,
            "changes": [c.to_json() for c in self.changes if c.changed],
            "missing_scenarios": list(self.missing_scenarios),
            "new_scenarios": list(self.new_scenarios),
        }


def _finding_keys(step: StepResult | None) -> dict[tuple[str, str], str]:
    if step is None:
        return {}
    return {
        (f.fingerprint, f.call_site): f"{f.kind} at {f.call_site}: {f.fingerprint[:80]}"
        for f in step.n_plus_one
        if f.severity != "allowed"
    }


def _pair_steps(
    base: RunResult, head: RunResult
) -> list[tuple[StepResult | None, StepResult | None]]:
    """Steps matched by name (and by occurrence for repeated names), in HEAD's order."""
    pool: dict[str, list[StepResult]] = {}
    for step in base.steps:
        pool.setdefault(step.name, []).append(step)
    pairs: list[tuple[StepResult | None, StepResult | None]] = []
    for step in head.steps:
        candidates = pool.get(step.name)
        pairs.append((candidates.pop(0) if candidates else None, step))
    pairs.extend((step, None) for steps in pool.values() for step in steps)
    return pairs


def compare_runs(
    base: Sequence[RunResult],
    head: Sequence[RunResult],
    *,
    threshold: float = DEFAULT_TIME_THRESHOLD,
    floor_ms: float = DEFAULT_TIME_FLOOR_MS,
) -> Comparison:
    base_by_name = {run.scenario: run for run in base}
    head_by_name = {run.scenario: run for run in head}
    changes: list[StepChange] = []
    for name, head_run in head_by_name.items():
        base_run = base_by_name.get(name)
        if base_run is None:
            continue
        for old, new in _pair_steps(base_run, head_run):
            either = new or old
            old_keys, new_keys = _finding_keys(old), _finding_keys(new)
            base_ms = old.wall_ms if old else None
            head_ms = new.wall_ms if new else None
            slower = faster = False
            if base_ms is not None and head_ms is not None:
                delta = head_ms - base_ms
                relative = delta / base_ms if base_ms > 0 else 0.0
                slower = delta > floor_ms and relative > threshold
                faster = -delta > floor_ms and -relative > threshold / (1 + threshold)
            changes.append(
                StepChange(
                    scenario=name,
                    step=either.name if either else "?",
                    base_queries=old.queries.count if old else None,
                    head_queries=new.queries.count if new else None,
                    base_ms=base_ms,
                    head_ms=head_ms,
                    new_findings=tuple(v for k, v in new_keys.items() if k not in old_keys),
                    gone_findings=tuple(v for k, v in old_keys.items() if k not in new_keys),
                    base_status=old.status if old else None,
                    head_status=new.status if new else None,
                    slower=slower,
                    faster=faster,
                )
            )
    return Comparison(
        changes=tuple(changes),
        missing_scenarios=tuple(sorted(set(base_by_name) - set(head_by_name))),
        new_scenarios=tuple(sorted(set(head_by_name) - set(base_by_name))),
    )


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def format_comparison(comparison: Comparison, *, show_all: bool = False) -> str:
    """The comparison as text: one line per changed step, regressions first marked `!`."""
    lines: list[str] = []
    shown = [c for c in comparison.changes if show_all or c.changed]
    for change in shown:
        mark = "!" if change.regressed else ("+" if change.changed else " ")
        queries = f"{change.base_queries if change.base_queries is not None else '-'}"
        queries += f" -> {change.head_queries if change.head_queries is not None else '-'}"
        if change.query_delta:
            queries += f" ({change.query_delta:+d})"
        timing = f"{_ms(change.base_ms)} -> {_ms(change.head_ms)} ms"
        if change.slower:
            timing += " SLOWER"
        elif change.faster:
            timing += " faster"
        status = ""
        if change.base_status != change.head_status:
            status = (
                f"  status {change.base_status or 'absent'} -> {change.head_status or 'absent'}"
            )
        lines.append(
            f"{mark} {change.scenario} · {change.step}: queries {queries}; {timing}{status}"
        )
        lines.extend(f"    new N+1: {text}" for text in change.new_findings)
        lines.extend(f"    gone N+1: {text}" for text in change.gone_findings)
    lines.extend(f"- scenario {name} is in BASE only" for name in comparison.missing_scenarios)
    lines.extend(f"+ scenario {name} is new in HEAD" for name in comparison.new_scenarios)
    if not lines:
        lines.append("no changes in queries, N+1 findings or status; no time change beyond noise")
    verdict = "REGRESSION" if comparison.regressed else "no regression"
    regressions = sum(1 for c in comparison.changes if c.regressed)
    lines.append(f"{verdict}: {regressions} step(s) got worse")
    return "\n".join(lines) + "\n"


def format_comparison_json(comparison: Comparison) -> str:
    return json.dumps(comparison.to_json(), indent=2)
