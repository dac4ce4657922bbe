"""What the commands share: parameter types, exit codes, error handling, file helpers."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from replay.errors import ReplayError
from replay.reporters.base import reporter_for
from replay.reporters.console import summary_line
from replay.result import RunResult
from replay.scenario.durations import parse_duration, parse_rate
from replay.scenario.errors import ScenarioError
from replay.scenario.loader import display_path, load_scenario
from replay.scenario.model import Scenario

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class ParsedType(click.ParamType):  # type: ignore[type-arg]
    """A number of seconds (or per second) written the way scenario files write them."""

    def __init__(self, name: str, parse: Callable[[str], float]) -> None:
        self.name = name
        self.parse = parse

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, int | float):
            return float(value)
        try:
            return self.parse(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DURATION = ParsedType("DURATION", lambda text: parse_duration(text).total_seconds())
RATE = ParsedType("RATE", parse_rate)


def handle_errors(command: F) -> F:
    """User mistakes end with a clear message and exit status 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScenarioError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_USAGE)
        except ReplayError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


def scenario_files(paths: Sequence[Path]) -> list[Path]:
    """Files named on the command line, and the scenarios in named directories.

    In a directory, files starting with `_` are fragments for `include:` and are skipped.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix in {".yaml", ".yml"} and not p.name.startswith("_") and p.is_file()
            )
            if not found:
                msg = f"{display_path(path)}: no scenario files (*.yaml) in this directory"
                raise ReplayError(msg)
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            msg = f"{display_path(path)}: no such file or directory"
            raise ReplayError(msg)
    return files


def load_all(paths: Sequence[Path]) -> list[Scenario]:
    """Every scenario, or one ScenarioError with the issues of all the files at once."""
    scenarios, issues = [], []
    for path in scenario_files(paths):
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as exc:
            issues.extend(exc.issues)
    if issues:
        raise ScenarioError(issues)
    return scenarios


def write_atomic(path: Path, text: str) -> None:
    """Write atomically: a failed run never leaves half a report behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def color() -> bool:
    return sys.stdout.isatty()


def emit(
    results: Sequence[RunResult], fmt: str, output: Path | None, extra: dict[str, Path | None]
) -> None:
    text = reporter_for(fmt, color=output is None and color()).render_many(results)
    if output is not None:
        write_atomic(output, text)
        for result in results:
            click.echo(summary_line(result))
        click.echo(f"wrote {display_path(output)}")
    else:
        click.echo(text, nl=not text.endswith("\n"))
    for name, path in extra.items():
        if path is not None:
            write_atomic(path, reporter_for(name).render_many(results))
            click.echo(f"wrote {display_path(path)}", err=output is None and fmt != "text")


def load_run_file(path: Path) -> list[RunResult]:
    from replay.reporters.jsonformat import load_results

    try:
        return load_results(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError, ReplayError) as exc:
        msg = f"{display_path(path)} is not a replay result file ({exc})"
        raise ReplayError(msg) from None
