"""The terminal report: a per-step table, then findings and failures in detail."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from replay.capture.fingerprint import short_sql
from replay.reporters.base import Reporter
from replay.result import ERROR, FAILED, PASSED, RunResult, StepResult

STATUS_STYLE = {PASSED: "green", FAILED: "red", ERROR: "bold red"}


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _preview(step: StepResult, width: int = 48) -> str:
    if step.error:
        return short_sql(step.error, width)
    if step.replies:
        return short_sql(step.replies[-1].replace("\n", " "), width)
    return ""


def shown_name(index: int, name: str) -> str:
    """A step's name without the index prefix that default names carry (`3 send /x`)."""
    prefix = f"{index} "
    return name[len(prefix) :] if name.startswith(prefix) else name


def summary_line(result: RunResult) -> str:
    if result.load is not None:
        load = result.load
        latency = load["latency"]
        failed = sum(1 for t in load.get("thresholds", []) if not t["passed"])
        return " · ".join(
            [
                f"{result.scenario}: {result.status} (load)",
                f"{load['updates']} updates",
                f"{load['throughput']:.1f}/s",
                f"p95 {_ms(latency.get('p95_ms', 0.0))} ms",
                f"errors {load['error_rate'] * 100:.2f}%",
                f"{failed} threshold{'s' if failed != 1 else ''} failed",
            ]
        )
    total = len(result.steps)
    bad = len(result.failed_steps)
    queries = sum(step.queries.count for step in result.steps)
    findings = sum(1 for step in result.steps for f in step.n_plus_one if f.severity != "allowed")
    parts = [
        f"{result.scenario}: {result.status}",
        f"{total - bad}/{total} steps passed",
        f"{queries} queries",
        f"{findings} N+1 finding{'s' if findings != 1 else ''}",
        f"{_ms(result.duration_ms)} ms",
    ]
    if result.iterations > 1:
        parts.append(f"{result.iterations} iterations")
    return " · ".join(parts)


class ConsoleReporter(Reporter):
    extension = ".txt"

    def __init__(self, *, color: bool = False, width: int = 120, table: bool = True) -> None:
        self.color = color
        self.width = width
        self.table = table  # False: only findings, failures and the summary (pytest, CI logs)

    def _console(self, buffer: io.StringIO) -> Console:
        return Console(
            file=buffer,
            width=self.width,
            force_terminal=self.color,
            no_color=not self.color,
            highlight=False,
            emoji=False,
        )

    def render(self, result: RunResult) -> str:
        buffer = io.StringIO()
        console = self._console(buffer)
        self._render(console, result)
        return buffer.getvalue()

    def render_many(self, results: Sequence[RunResult]) -> str:
        buffer = io.StringIO()
        console = self._console(buffer)
        for result in results:
            self._render(console, result)
            console.print()
        if len(results) > 1:
            passed = sum(1 for r in results if r.passed)
            style = "green" if passed == len(results) else "red"
            console.print(Text(f"{passed}/{len(results)} scenarios passed", style=f"bold {style}"))
        return buffer.getvalue()

    def _render(self, console: Console, result: RunResult) -> None:
        title = Text(result.scenario, style="bold")
        if result.path:
            title.append(f"  {result.path}", style="dim")
        console.print(title)
        if result.description:
            console.print(Text(result.description, style="dim"))
        if result.load is not None:
            self._load(console, result.load)
        elif self.table:
            console.print(self._table(result))
        self._findings(console, result)
        self._failures(console, result)
        style = STATUS_STYLE.get(result.status, "")
        console.print(Text(summary_line(result), style=f"bold {style}"))

    def _table(self, result: RunResult) -> Table:
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        timed = result.iterations > 1
        table.add_column("#", justify="right")
        table.add_column("step", overflow="fold", max_width=34)
        table.add_column("actor")
        table.add_column("verb")
        table.add_column("status")
        table.add_column("median ms" if timed else "ms", justify="right")
        if timed:
            table.add_column("min–max", justify="right")
        table.add_column("SQL", justify="right")
        table.add_column("SQL ms", justify="right")
        table.add_column("N+1", justify="right")
        table.add_column("reply", overflow="ellipsis", no_wrap=True, max_width=48)
        for step in result.steps:
            findings = [f for f in step.n_plus_one if f.severity != "allowed"]
            row: list[str | Text] = [
                str(step.index),
                shown_name(step.index, step.name),
                step.actor or "",
                step.verb,
                Text(step.status, style=STATUS_STYLE.get(step.status, "")),
                _ms(step.wall_ms),
            ]
            if timed:
                timing = step.timing
                row.append(f"{_ms(timing.min_ms)}–{_ms(timing.max_ms)}" if timing else "")
            row += [
                str(step.queries.count),
                _ms(step.queries.time_ms),
                Text(str(len(findings)), style="yellow") if findings else Text("-", style="dim"),
                _preview(step),
            ]
            table.add_row(*row)
        return table

    def _load(self, console: Console, load: dict[str, Any]) -> None:
        plan = load.get("plan", {})
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        for column in ("#", "step", "count", "errors", "p50", "p90", "p95", "p99", "max"):
            table.add_column(column, justify="left" if column == "step" else "right")
        table.add_column("SQL/upd", justify="right")
        for step in load["steps"]:
            latency = step["latency"]
            errors = Text(str(step["failed"]), style="red") if step["failed"] else Text("0")
            table.add_row(
                str(step["index"]),
                shown_name(step["index"], step["name"]),
                str(step["count"]),
                errors,
                *(
                    _ms(latency.get(f"{key}_ms", 0.0))
                    for key in ("p50", "p90", "p95", "p99", "max")
                ),
                f"{step['queries_per_update']:.1f}",
            )
        console.print(table)
        overall = load["latency"]
        lag = load.get("loop_lag", {})
        line = (
            f"{load['updates']} updates in {load['elapsed_s']:.1f} s: {load['throughput']:.1f}/s"
            f" · errors {load['error_rate'] * 100:.2f}%"
            f" · latency p50 {_ms(overall.get('p50_ms', 0))} p95 {_ms(overall.get('p95_ms', 0))}"
            f" p99 {_ms(overall.get('p99_ms', 0))} ms"
            f" · loop lag p99 {_ms(lag.get('p99_ms', 0))} ms"
            f" · {load['vus_started']} VUs, {load['iterations']} iterations"
        )
        console.print(Text(line))
        if plan.get("profile_sample"):
            console.print(Text(f"profiled {plan['profile_sample']:.0%} of steps", style="dim"))
        if load.get("interrupted"):
            console.print(Text("interrupted: these are partial results", style="bold yellow"))
        if load.get("errors"):
            listed = ", ".join(f"{name} ×{count}" for name, count in load["errors"].items())
            console.print(Text(f"errors: {listed}", style="red"))
        for threshold in load.get("thresholds", []):
            mark, style = ("ok  ", "green") if threshold["passed"] else ("FAIL", "bold red")
            console.print(Text(f"  {mark} {threshold['message']}", style=style))

    def _findings(self, console: Console, result: RunResult) -> None:
        steps = [s for s in result.steps if any(f.severity != "allowed" for f in s.n_plus_one)]
        if not steps:
            return
        console.print(Text("\nN+1 findings", style="bold yellow"))
        for step in steps:
            for finding in step.n_plus_one:
                if finding.severity == "allowed":
                    continue
                console.print(Text(f"  {step.index} {step.name}: ", style="bold"), end="")
                console.print(Text(f"[{finding.severity}] {finding.message}"))
                console.print(Text(f"      fix: {finding.hint}", style="dim"))

    def _failures(self, console: Console, result: RunResult) -> None:
        failed = [s for s in result.steps if s.failures or s.warnings]
        if not failed:
            return
        console.print(Text("\nFailures and warnings", style="bold red"))
        for step in failed:
            where = f"  ({step.source})" if step.source else ""
            header = Text(f"  {step.index} {step.name}", style="bold")
            header.append(f" [{step.status}]", style=STATUS_STYLE.get(step.status, ""))
            header.append(where, style="dim")
            console.print(header)
            for failure in step.failures:
                if failure.startswith("N+1 "):
                    continue  # shown with its fix above
                console.print(Text(f"      - {failure}"))
            for warning in step.warnings:
                if warning.startswith("N+1 "):
                    continue
                console.print(Text(f"      ! {warning}", style="yellow"))
