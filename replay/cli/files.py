"""The commands around runs: validate, list, schema, report, compare."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from replay.cli.common import (
    DURATION,
    EXIT_FAILED,
    color,
    handle_errors,
    load_all,
    load_run_file,
    scenario_files,
    write_atomic,
)
from replay.cli.group import cli
from replay.reporters.base import FORMATS, reporter_for
from replay.scenario.errors import ScenarioError
from replay.scenario.loader import display_path, load_scenario


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@handle_errors
def validate(paths: tuple[Path, ...]) -> None:
    """Check scenario files without running them; exit 2 listing every problem."""
    scenarios = load_all(paths)
    for scenario in scenarios:
        steps = sum(1 for _ in scenario.steps)
        plural = "s" if steps != 1 else ""
        click.echo(f"ok  {scenario.path}  ({scenario.name}, {steps} step{plural})")


@cli.command(name="list")
@click.argument(
    "directory",
    required=False,
    default="scenarios",
    type=click.Path(file_okay=False, path_type=Path),
)
@handle_errors
def list_(directory: Path) -> None:
    """Show the scenarios in DIRECTORY (default: scenarios/): name, steps, description."""
    files = scenario_files([directory])
    rows = []
    for path in files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            rows.append(
                (path.stem, "-", f"INVALID: {len(exc.issues)} problem(s); run replay validate")
            )
            continue
        rows.append((scenario.name or path.stem, str(len(scenario.steps)), scenario.description))
    width = max(len(name) for name, _, _ in rows)
    for name, steps, description in rows:
        click.echo(f"{name:<{width}}  {steps:>3} steps  {description}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editors: YAML language servers)."""
    from replay.scenario.jsonschema import scenario_schema

    click.echo(json.dumps(scenario_schema(), indent=2))


@cli.command()
@click.argument("run_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of stdout.",
)
@handle_errors
def report(run_file: Path, fmt: str, output: Path | None) -> None:
    """Render a saved run (from --format json / --json) again, in any format."""
    results = load_run_file(run_file)
    text = reporter_for(fmt, color=output is None and color()).render_many(results)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_atomic(output, text)
        click.echo(f"wrote {display_path(output)}")


@cli.command()
@click.argument("base", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("head", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--time-threshold",
    type=click.FloatRange(0),
    default=0.5,
    show_default=True,
    help="Relative slow-down that counts (0.5 = 50% slower)...",
)
@click.option(
    "--time-floor",
    type=DURATION,
    default="5ms",
    show_default=True,
    help="...and the absolute slow-down it must also exceed.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--all", "show_all", is_flag=True, help="List unchanged steps too.")
@handle_errors
def compare(
    base: Path, head: Path, time_threshold: float, time_floor: float, fmt: str, show_all: bool
) -> None:
    """Compare two saved runs (from --json / --format json): BASE before, HEAD after.

    Query counts are compared exactly; times only beyond the noise threshold. Exit status 1
    when a step runs more queries, gets a new N+1 finding, stops passing, or is slower.
    """
    from replay.compare import compare_runs, format_comparison, format_comparison_json

    comparison = compare_runs(
        load_run_file(base),
        load_run_file(head),
        threshold=time_threshold,
        floor_ms=time_floor * 1000,
    )
    if fmt == "json":
        click.echo(format_comparison_json(comparison))
    else:
        click.echo(format_comparison(comparison, show_all=show_all), nl=False)
    if comparison.regressed:
        sys.exit(EXIT_FAILED)
