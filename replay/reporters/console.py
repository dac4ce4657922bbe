"""The terminal report: a per-step table, then findings and failures in detail."""

from __future__ import annotations

import io
from collections.abc import Sequence

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


def summary_line(result: RunResult) -> str:
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
        if self.table:
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
                step.name,
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
