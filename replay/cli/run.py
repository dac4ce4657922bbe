"""`replay run`: scenarios, functional or under load, and their reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from replay.cli.common import (
    DURATION,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    RATE,
    emit,
    handle_errors,
    load_all,
    write_atomic,
)
from replay.cli.group import cli
from replay.errors import SetupError
from replay.options import DEFAULT_STEP_TIMEOUT, RunOptions
from replay.reporters.base import FORMATS
from replay.result import RunResult
from replay.scenario.loader import display_path
from replay.scenario.model import Scenario


def run_all(
    scenarios: list[Scenario],
    options: RunOptions,
    load_mode: bool | None,
    load_options: dict[str, Any],
    iterations: int,
) -> tuple[list[RunResult], list[str], bool]:
    """Run each scenario (functional or load); (results, broken scenarios, interrupted)."""
    from replay.runner import run_scenario

    explicit_load = any(value is not None for value in load_options.values())
    results: list[RunResult] = []
    broken: list[str] = []
    interrupted = False
    for scenario in scenarios:
        as_load = load_mode if load_mode is not None else explicit_load or bool(scenario.load)
        try:
            if as_load:
                overrides = {**load_options, "iterations": iterations if iterations != 1 else None}
                result = run_load_command(scenario, options, overrides)
                interrupted = interrupted or bool(result.load and result.load["interrupted"])
            else:
                result = run_scenario(scenario, options)
        except SetupError as exc:
            # The other scenarios still run; this one is reported and makes the exit status 2.
            where = scenario.path or scenario.name or "scenario"
            broken.append(f"{where}: {exc}")
            click.echo(f"error: {where}: {exc}", err=True)
            continue
        except KeyboardInterrupt:
            # asyncio.run cancelled the run and its clean-up ran (sandbox, FSM keys removed);
            # the scenarios finished before it are still reported.
            where = scenario.path or scenario.name or "scenario"
            click.echo(f"interrupted during {where}: its sandbox was removed", err=True)
            interrupted = True
            break
        results.append(result)
        if interrupted:
            break
    return results, broken, interrupted


def run_load_command(
    scenario: Scenario, options: RunOptions, overrides: dict[str, Any]
) -> RunResult:
    """A load run with live progress on a terminal and Ctrl-C as a clean, partial stop."""
    import asyncio
    import signal

    from replay.load.plan import make_plan
    from replay.load.runner import run_load_async

    plan = make_plan(scenario, overrides)
    live = sys.stderr.isatty()
    click.echo(f"{scenario.name}: load, {plan.describe()}", err=True)

    def show(progress: Any) -> None:
        click.echo(
            f"\r  {progress.elapsed:6.1f}s  VUs {progress.active:>5}  "
            f"{progress.rate:8.1f} updates/s  p95 {progress.p95_ms:8.1f} ms  "
            f"errors {progress.errors:<8}",
            err=True,
            nl=False,
        )

    async def main() -> RunResult:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, stop.set)
        try:
            return await run_load_async(
                scenario, plan, options, stop=stop, progress=show if live else None
            )
        finally:
            loop.remove_signal_handler(signal.SIGINT)

    result = asyncio.run(main())
    if live:
        click.echo("", err=True)
    return result


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format (to stdout, or to --output).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE instead of stdout.",
)
@click.option("--app", metavar="MODULE:FUNCTION", help="App factory (overrides the scenario).")
@click.option("--fail-fast", is_flag=True, help="Stop a scenario at its first failed step.")
@click.option(
    "--timeout",
    type=DURATION,
    default=DEFAULT_STEP_TIMEOUT,
    show_default="10s",
    help="Per-step timeout (steps may set their own).",
)
@click.option("--seed", type=int, help="Faker seed (overrides the scenario's faker_seed).")
@click.option(
    "--iterations",
    type=click.IntRange(1, 1000),
    default=1,
    show_default=True,
    help="Run each scenario N times (fresh sandbox each); report min/median/max.",
)
@click.option(
    "--interval",
    type=DURATION,
    default="0.1ms",
    show_default=True,
    help="Profiler sampling interval.",
)
@click.option("--no-profile", is_flag=True, help="Do not run pyinstrument.")
@click.option("--no-sql", is_flag=True, help="Do not capture SQL statements.")
@click.option(
    "--n-plus-one-threshold",
    type=click.IntRange(2),
    default=2,
    show_default=True,
    help="Repeats of one query from one place that make an N+1 finding.",
)
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the HTML report to FILE.",
)
@click.option(
    "--junit",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write JUnit XML to FILE.",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the JSON result to FILE.",
)
@click.option(
    "--speedscope",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the combined profile as speedscope JSON to FILE.",
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write every scenario's HTML, JSON and JUnit and an index.html to DIR.",
)
@click.option(
    "--send",
    "sends",
    multiple=True,
    metavar="TEXT",
    help="Profile an ad-hoc update without YAML (repeatable): --send /admin --as admin.",
)
@click.option(
    "--as",
    "actor",
    default="user",
    show_default=True,
    metavar="NAME",
    help="The actor of --send (an actor named 'admin' is an admin).",
)
@click.option("--admin", is_flag=True, help="Make the --send actor an admin.")
@click.option("--users", type=click.IntRange(1), help="Load: virtual users (VUs) at once.")
@click.option("--ramp", type=DURATION, help="Load: start the VUs over this time.")
@click.option("--duration", type=DURATION, help="Load: run for this long.")
@click.option("--think", type=DURATION, help="Load: pause between a VU's steps.")
@click.option(
    "--arrival-rate",
    type=RATE,
    help="Load, open model: new VUs per second (20/s) whatever the bot's speed.",
)
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Load: spread the VUs over K processes."
)
@click.option(
    "--profile-sample",
    type=click.FloatRange(0, 1),
    help="Load: profile this fraction of steps (default 0: no profiling under load).",
)
@click.option(
    "--load/--no-load",
    "load_mode",
    default=None,
    help="Run as virtual users (default: when a load option is given or the scenario has a "
    "load: section). In load mode --iterations counts each VU's passes.",
)
@click.option(
    "--database-url",
    metavar="URL",
    envvar="REPLAY_DATABASE_URL",
    help="A PostgreSQL server (postgresql+asyncpg://user@host/postgres) to create a throwaway "
    "database on for each run, instead of a temporary SQLite file. Env: REPLAY_DATABASE_URL.",
)
@click.option(
    "--fsm-storage",
    metavar="URL",
    envvar="REPLAY_FSM_STORAGE",
    help="Keep FSM state in Redis (redis://host:6379/0) under a unique key prefix, removed "
    "after the run; the app receives it as ctx.fsm_storage. Env: REPLAY_FSM_STORAGE.",
)
@handle_errors
def run(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    app: str | None,
    fail_fast: bool,
    timeout: float,
    seed: int | None,
    iterations: int,
    interval: float,
    no_profile: bool,
    no_sql: bool,
    n_plus_one_threshold: int,
    html: Path | None,
    junit: Path | None,
    json_path: Path | None,
    speedscope: Path | None,
    report_dir: Path | None,
    sends: tuple[str, ...],
    actor: str,
    admin: bool,
    database_url: str | None,
    fsm_storage: str | None,
    users: int | None,
    ramp: float | None,
    duration: float | None,
    think: float | None,
    arrival_rate: float | None,
    workers: int | None,
    profile_sample: float | None,
    load_mode: bool | None,
) -> None:
    """Run scenarios (files or directories) and report every step.

    Exit status 0 when every step passed, 1 when any failed, 2 for a bad scenario.

    \b
    Examples:
      replay run scenarios/vip_flow.yaml
      replay run scenarios/ --report-dir reports        (what make profile-all does)
      replay run scenarios/expiry.yaml --iterations 5 --html expiry.html
      replay run --send /admin --as admin               (one update, no YAML)
    """
    from replay.adhoc import adhoc_scenario

    if not paths and not sends:
        raise click.UsageError("name a scenario file or directory, or use --send TEXT")
    scenarios = load_all(paths) if paths else []
    if sends:
        scenarios.append(adhoc_scenario(sends, actor, admin=admin))
    options = RunOptions(
        app=app,
        timeout=timeout,
        fail_fast=fail_fast,
        faker_seed=seed,
        iterations=iterations,
        profile=not no_profile,
        capture_sql=not no_sql,
        interval=interval,
        n_plus_one_threshold=n_plus_one_threshold,
        database_url=database_url,
        fsm_storage=fsm_storage,
    )
    if database_url:
        from replay.postgres import check_server_url

        check_server_url(database_url)
    if fsm_storage:
        from replay.fsm import check_storage_url

        check_storage_url(fsm_storage)
    load_options = {
        "users": users,
        "ramp": ramp,
        "duration": duration,
        "think": think,
        "arrival_rate": arrival_rate,
        "workers": workers,
        "profile_sample": profile_sample,
    }
    results, broken, interrupted = run_all(scenarios, options, load_mode, load_options, iterations)
    if not results:
        sys.exit(EXIT_INTERRUPTED if interrupted else EXIT_USAGE)
    extra = {"html": html, "junit": junit, "json": json_path, "speedscope": speedscope}
    emit(results, fmt, output, extra)
    if report_dir is not None:
        from replay.reporters.directory import render_directory

        for name, text in render_directory(results).items():
            write_atomic(report_dir / name, text)
        click.echo(f"wrote {display_path(report_dir / 'index.html')}", err=fmt != "text")
    if interrupted:
        click.echo("interrupted: the partial results above were written", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if broken:
        sys.exit(EXIT_USAGE)
    if not all(result.passed for result in results):
        sys.exit(EXIT_FAILED)
