"""Run a scenario for `/profile` in a separate process, one run at a time.

The live Dispatcher's routers cannot join a second Dispatcher in this process, and a run must
not freeze the live bot, so replay runs as a child process (`python -m replay run ...`) with
its own sandbox database and offline Bot. The child's environment has no bot token and no
database or Redis URL: whatever the scenario does, it cannot reach the live bot's data or users.
"""

import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.profiling.command import NAME
from replay.reporters.jsonformat import load_results
from replay.result import RunResult
from replay.scenario import ScenarioError, load_scenario

LIVE_SECRETS = ("BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "REPLAY_DATABASE_URL")


class ProfileBusy(Exception):
    """A run is in progress."""


class ProfileTimeout(Exception):
    """The run took longer than allowed and was stopped."""


class ProfileFailed(Exception):
    """The child process ended without a result (a bad scenario, a crash)."""


@dataclass(frozen=True, slots=True)
class ScenarioEntry:
    name: str
    description: str
    path: Path


@dataclass(frozen=True, slots=True)
class ProfileOutcome:
    result: RunResult
    report: Path  # the HTML report; remove `directory` once it is sent
    directory: Path

    def cleanup(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


class ProfileRunner:
    """Knows the scenarios directory; runs one scenario at a time in a child process."""

    def __init__(self, scenarios: Path, project_root: Path, timeout: float = 120.0) -> None:
        self.scenarios = scenarios
        self.project_root = project_root
        self.timeout = timeout
        self._lock = asyncio.Lock()
        self.current: asyncio.Task[None] | None = None

    def entries(self) -> list[ScenarioEntry]:
        """The runnable scenarios (fragments `_*.yaml` and invalid files left out)."""
        found: list[ScenarioEntry] = []
        if not self.scenarios.is_dir():
            return found
        for path in sorted(self.scenarios.glob("*.y*ml")):
            if path.name.startswith("_"):
                continue
            try:
                scenario = load_scenario(path)
            except (ScenarioError, OSError):
                continue
            name = scenario.name or path.stem
            if NAME.match(name):
                found.append(ScenarioEntry(name, scenario.description, path))
        return found

    def find(self, name: str) -> ScenarioEntry | None:
        """The scenario called `name`: looked up among the entries, never used as a path."""
        return next((entry for entry in self.entries() if entry.name == name), None)

    @property
    def busy(self) -> bool:
        """A run is going on (or was started and has not begun yet)."""
        started = self.current is not None and not self.current.done()
        return self._lock.locked() or started

    async def wait(self) -> None:
        """Wait for the run in progress, if any, to finish and report."""
        if self.current is not None:
            await asyncio.shield(self.current)

    async def run(self, entry: ScenarioEntry, iterations: int) -> ProfileOutcome:
        if self._lock.locked():
            raise ProfileBusy
        async with self._lock:
            return await self._run(entry, iterations)

    async def _run(self, entry: ScenarioEntry, iterations: int) -> ProfileOutcome:
        directory = Path(tempfile.mkdtemp(prefix="bot-profile-"))
        result_file, report = directory / "run.json", directory / "report.html"
        command = [
            sys.executable,
            "-m",
            "replay",
            "run",
            str(entry.path),
            "--iterations",
            str(iterations),
            "--json",
            str(result_file),
            "--html",
            str(report),
            "--format",
            "text",
        ]
        env = {key: value for key, value in os.environ.items() if key not in LIVE_SECRETS}
        process = await asyncio.create_subprocess_exec(
            *command,
            cwd=self.project_root,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _, stderr = await asyncio.wait_for(process.communicate(), self.timeout)
        except TimeoutError:
            await _stop(process)
            shutil.rmtree(directory, ignore_errors=True)
            raise ProfileTimeout from None
        except asyncio.CancelledError:  # the bot is shutting down: leave nothing behind
            await asyncio.shield(_stop(process))
            shutil.rmtree(directory, ignore_errors=True)
            raise
        if not result_file.is_file():
            shutil.rmtree(directory, ignore_errors=True)
            reason = stderr.decode(errors="replace").strip().splitlines()
            raise ProfileFailed("\n".join(reason[-5:]) or f"exit status {process.returncode}")
        results = load_results(result_file.read_text(encoding="utf-8"))
        return ProfileOutcome(results[0], report, directory)


async def _stop(process: asyncio.subprocess.Process) -> None:
    """Interrupt the child (it removes its sandbox on SIGINT), then kill it if it lingers."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(2)  # SIGINT: replay cleans up and exits
    try:
        await asyncio.wait_for(process.wait(), 5)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
