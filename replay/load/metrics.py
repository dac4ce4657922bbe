"""Load metrics: latency histograms per step and overall, errors, SQL, loop lag, a time series.

Latencies go into HdrHistograms (microsecond resolution up to an hour, 3 significant digits):
recording is O(1), memory is fixed whatever the run length, and histograms from several
worker processes merge exactly (`add`), which averaged percentiles never could. The time
series keeps one small histogram per second; past `MAX_POINTS` seconds neighbouring points
merge, so a long run keeps a bounded series.
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hdrh.histogram import HdrHistogram  # type: ignore[import-untyped]

LOWEST_US = 1
HIGHEST_US = 3_600_000_000
DIGITS = 3
SERIES_DIGITS = 2
MAX_POINTS = 600
PERCENTILES = (50.0, 90.0, 95.0, 99.0)
FAILURE_SAMPLES = 5


def new_histogram(digits: int = DIGITS) -> HdrHistogram:
    return HdrHistogram(LOWEST_US, HIGHEST_US, digits)


def record(histogram: HdrHistogram, microseconds: float) -> None:
    histogram.record_value(min(max(int(microseconds), LOWEST_US), HIGHEST_US))


def encode(histogram: HdrHistogram) -> str:
    return base64.b64encode(histogram.encode()).decode("ascii")


def decode(text: str) -> HdrHistogram:
    return HdrHistogram.decode(base64.b64decode(text))


def summary(histogram: HdrHistogram) -> dict[str, float]:
    """Count, mean, max and the percentiles, in milliseconds."""
    count = int(histogram.get_total_count())
    if not count:
        return {"count": 0}
    values: dict[str, float] = {
        "count": count,
        "mean_ms": round(histogram.get_mean_value() / 1000, 3),
        "max_ms": round(histogram.get_max_value() / 1000, 3),
        "min_ms": round(histogram.get_min_value() / 1000, 3),
    }
    for percentile in PERCENTILES:
        key = f"p{percentile:g}_ms"
        values[key] = round(histogram.get_value_at_percentile(percentile) / 1000, 3)
    return values


@dataclass
class StepMetrics:
    """One step of the scenario over every virtual user."""

    name: str
    verb: str
    latency: HdrHistogram = field(default_factory=new_histogram)
    service: HdrHistogram = field(default_factory=new_histogram)
    count: int = 0
    failed: int = 0
    statements: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)

    def add(
        self,
        latency_us: float,
        service_us: float,
        statements: int,
        error: str | None,
        failure: str | None,
    ) -> None:
        record(self.latency, latency_us)
        record(self.service, service_us)
        self.count += 1
        self.statements += statements
        if error is not None:
            self.failed += 1
            self.errors[error] += 1
            if failure and len(self.samples) < FAILURE_SAMPLES:
                self.samples.append(failure)

    def merge(self, other: StepMetrics) -> None:
        self.latency.add(other.latency)
        self.service.add(other.service)
        self.count += other.count
        self.failed += other.failed
        self.statements += other.statements
        self.errors.update(other.errors)
        room = FAILURE_SAMPLES - len(self.samples)
        self.samples.extend(other.samples[:room])

    def to_json(self, *, raw: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "verb": self.verb,
            "count": self.count,
            "failed": self.failed,
            "error_rate": round(self.failed / self.count, 6) if self.count else 0.0,
            "queries_per_update": round(self.statements / self.count, 3) if self.count else 0.0,
            "latency": summary(self.latency),
            "service": summary(self.service),
            "errors": dict(self.errors.most_common()),
            "failure_samples": list(self.samples),
        }
        if raw:
            data["histograms"] = {"latency": encode(self.latency), "service": encode(self.service)}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StepMetrics:
        histograms = data.get("histograms") or {}
        metrics = cls(name=data["name"], verb=data["verb"])
        if histograms:
            metrics.latency = decode(histograms["latency"])
            metrics.service = decode(histograms["service"])
        metrics.count = data["count"]
        metrics.failed = data["failed"]
        metrics.statements = round(data["queries_per_update"] * data["count"])
        metrics.errors = Counter(data.get("errors", {}))
        metrics.samples = list(data.get("failure_samples", []))
        return metrics


@dataclass
class Point:
    """One second (or, in long runs, a few merged seconds) of the run."""

    second: float
    span: float = 1.0
    updates: int = 0
    errors: int = 0
    active_max: int = 0
    latency: HdrHistogram = field(default_factory=lambda: new_histogram(SERIES_DIGITS))

    def merge(self, other: Point) -> None:
        self.span += other.span
        self.updates += other.updates
        self.errors += other.errors
        self.active_max = max(self.active_max, other.active_max)
        self.latency.add(other.latency)

    def to_json(self, *, raw: bool = False, until: float | None = None) -> dict[str, Any]:
        # The last point of a run covers only part of its span: rate it over that part.
        span = self.span
        if until is not None and self.second < until < self.second + self.span:
            span = until - self.second
        data: dict[str, Any] = {
            "second": self.second,
            "span": self.span,
            "updates": self.updates,
            "throughput": round(self.updates / span, 3) if span > 0 else 0.0,
            "errors": self.errors,
            "active": self.active_max,
        }
        if self.updates:
            for percentile in (50.0, 95.0, 99.0):
                value = self.latency.get_value_at_percentile(percentile) / 1000
                data[f"p{percentile:g}_ms"] = round(value, 3)
        if raw:
            data["histogram"] = encode(self.latency)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Point:
        point = cls(
            second=data["second"],
            span=data["span"],
            updates=data["updates"],
            errors=data["errors"],
            active_max=data["active"],
        )
        if "histogram" in data:
            point.latency = decode(data["histogram"])
        return point


@dataclass
class LoadMetrics:
    """Everything a load run measured; mergeable across worker processes."""

    steps: dict[int, StepMetrics] = field(default_factory=dict)
    overall: HdrHistogram = field(default_factory=new_histogram)
    loop_lag: HdrHistogram = field(default_factory=new_histogram)
    series: dict[int, Point] = field(default_factory=dict)
    elapsed: float = 0.0
    vus_started: int = 0
    vus_finished: int = 0
    iterations: int = 0
    interrupted: bool = False
    point_seconds: int = 1

    def step(self, index: int, name: str, verb: str) -> StepMetrics:
        metrics = self.steps.get(index)
        if metrics is None:
            metrics = self.steps[index] = StepMetrics(name, verb)
        return metrics

    def record(
        self,
        index: int,
        name: str,
        verb: str,
        *,
        at: float,
        latency_us: float,
        service_us: float,
        statements: int,
        error: str | None = None,
        failure: str | None = None,
        active: int = 0,
    ) -> None:
        self.step(index, name, verb).add(latency_us, service_us, statements, error, failure)
        record(self.overall, latency_us)
        point = self._point(at)
        point.updates += 1
        point.errors += error is not None
        point.active_max = max(point.active_max, active)
        record(point.latency, latency_us)

    def _point(self, at: float) -> Point:
        slot = int(at) // self.point_seconds
        point = self.series.get(slot)
        if point is None:
            if len(self.series) >= MAX_POINTS:
                self._coarsen()
                slot = int(at) // self.point_seconds
                point = self.series.get(slot)
            if point is None:
                point = Point(second=slot * self.point_seconds, span=float(self.point_seconds))
                self.series[slot] = point
        return point

    def _coarsen(self) -> None:
        """Halve the resolution of the series: bounded memory for long runs."""
        self.point_seconds *= 2
        merged: dict[int, Point] = {}
        for slot, point in sorted(self.series.items()):
            target = slot // 2
            if target in merged:
                merged[target].merge(point)
            else:
                point.second = target * self.point_seconds
                merged[target] = point
        self.series = merged

    @property
    def updates(self) -> int:
        return sum(step.count for step in self.steps.values())

    @property
    def failed(self) -> int:
        return sum(step.failed for step in self.steps.values())

    def merge(self, other: LoadMetrics) -> None:
        for index, step in other.steps.items():
            mine = self.steps.get(index)
            if mine is None:
                self.steps[index] = step
            else:
                mine.merge(step)
        self.overall.add(other.overall)
        self.loop_lag.add(other.loop_lag)
        while other.point_seconds > self.point_seconds:
            self._coarsen()
        for point in other.series.values():
            slot = int(point.second) // self.point_seconds
            if slot in self.series:
                self.series[slot].merge(point)
            else:
                self.series[slot] = point
        self.elapsed = max(self.elapsed, other.elapsed)
        self.vus_started += other.vus_started
        self.vus_finished += other.vus_finished
        self.iterations += other.iterations
        self.interrupted = self.interrupted or other.interrupted

    def to_json(self, *, raw: bool = False) -> dict[str, Any]:
        updates = self.updates
        data: dict[str, Any] = {
            "updates": updates,
            "failed": self.failed,
            "error_rate": round(self.failed / updates, 6) if updates else 0.0,
            "elapsed_s": round(self.elapsed, 3),
            "throughput": round(updates / self.elapsed, 3) if self.elapsed else 0.0,
            "vus_started": self.vus_started,
            "vus_finished": self.vus_finished,
            "iterations": self.iterations,
            "interrupted": self.interrupted,
            "latency": summary(self.overall),
            "loop_lag": summary(self.loop_lag),
            "errors": dict(sum((s.errors for s in self.steps.values()), Counter()).most_common()),
            "steps": [self.steps[i].to_json(raw=raw) | {"index": i} for i in sorted(self.steps)],
            "series": [
                self.series[s].to_json(raw=raw, until=self.elapsed) for s in sorted(self.series)
            ],
            "point_seconds": self.point_seconds,
        }
        if raw:
            data["histograms"] = {
                "overall": encode(self.overall),
                "loop_lag": encode(self.loop_lag),
            }
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LoadMetrics:
        """Back from the raw form (with histograms) that workers send their parent."""
        metrics = cls(
            elapsed=data["elapsed_s"],
            vus_started=data["vus_started"],
            vus_finished=data["vus_finished"],
            iterations=data["iterations"],
            interrupted=data["interrupted"],
            point_seconds=data.get("point_seconds", 1),
        )
        histograms = data["histograms"]
        metrics.overall = decode(histograms["overall"])
        metrics.loop_lag = decode(histograms["loop_lag"])
        metrics.steps = {step["index"]: StepMetrics.from_json(step) for step in data["steps"]}
        metrics.series = {
            int(point["second"]) // metrics.point_seconds: Point.from_json(point)
            for point in data["series"]
        }
        return metrics
