"""`/profile` and live handler statistics: the pieces, then the whole through replay itself."""

from __future__ import annotations

import asyncio
import random
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.config import Config, ConfigError
from bot.profiling import runner as runner_module
from bot.profiling.command import (
    ListScenarios,
    ProfileUsageError,
    RunScenario,
    parse_profile_args,
)
from bot.profiling.runner import ProfileRunner, ProfileTimeout
from bot.profiling.stats import MAX_HANDLERS, HandlerStats, format_stats
from bot.profiling.summary import format_summary
from replay.result import RunResult
from replay.runner import run_scenario

ROOT = Path(__file__).resolve().parent.parent.parent
SCENARIOS = ROOT / "tests" / "scenarios"


@pytest.mark.parametrize("args", [None, "", "  ", "list"])
def test_no_arguments_lists(args: str | None) -> None:
    assert parse_profile_args(args) == ListScenarios()


def test_scenario_and_iterations() -> None:
    assert parse_profile_args("scenario:vip_flow iterations:3") == RunScenario("vip_flow", 3)
    assert parse_profile_args("iterations:10 scenario:a-b_1") == RunScenario("a-b_1", 10)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("scenario:../../etc/passwd", "only lowercase letters"),
        ("scenario:/etc/passwd", "only lowercase letters"),
        ("scenario:VIP", "only lowercase letters"),
        ("scenario:", "Name the scenario"),
        ("iterations:2", "Name the scenario"),
        ("scenario:a iterations:0", "from 1 to 10"),
        ("scenario:a iterations:11", "from 1 to 10"),
        ("scenario:a iterations:-1", "from 1 to 10"),
        ("scenario:a scenario:b", "did not understand 'scenario:b'"),
        ("vip_flow", "did not understand 'vip_flow'"),
    ],
)
def test_bad_arguments_are_refused(args: str, message: str) -> None:
    with pytest.raises(ProfileUsageError, match=message):
        parse_profile_args(args)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()


@pytest.fixture(scope="module")
def long_run() -> RunResult:
    return run_scenario(SCENARIOS / "twenty_steps.yaml", profile=False)


@pytest.mark.parametrize("limit", [3900, 1200, 600])
def test_summary_fits_and_is_never_cut_inside_a_tag(long_run: RunResult, limit: int) -> None:
    text = format_summary(long_run, limit=limit)
    assert len(text) <= limit
    tags = _Tags()
    tags.feed(text)
    assert tags.open == []
    assert text.startswith("<b>twenty_steps</b>: failed")


def test_short_summary_names_what_it_left_out(long_run: RunResult) -> None:
    assert "more steps in the report" in format_summary(long_run, limit=600)
    full = format_summary(long_run)
    assert "more steps" not in full
    assert "Menu-missing" in full  # the failure is listed


def test_stats_percentiles_and_reset() -> None:
    stats = HandlerStats()
    for microseconds in (1000, 2000, 3000, 4000, 100_000):
        stats.record("user.start", microseconds, queries=2)
    stats.record("user.status", 500, queries=1)
    rows = stats.rows()
    assert [row.handler for row in rows] == ["user.start", "user.status"]
    assert rows[0].count == 5
    assert rows[0].p50_ms == pytest.approx(3.0, rel=0.01)
    assert rows[0].max_ms == pytest.approx(100.0, rel=0.01)
    assert rows[0].queries_per_call == 2.0
    assert "user.start" in format_stats(stats)
    stats.reset()
    assert stats.rows() == []


def test_stats_memory_is_bounded_by_handler_count() -> None:
    stats = HandlerStats()
    for number in range(MAX_HANDLERS + 50):
        stats.record(f"handler_{number}", 100, 0)
    names = {row.handler for row in stats.rows(limit=10_000)}
    assert len(names) == MAX_HANDLERS + 1
    assert "other" in names


def test_sample_rate_samples_a_fraction() -> None:
    stats = HandlerStats(sample_rate=0.1, rng=random.Random(3))
    sampled = sum(stats.sampled() for _ in range(10_000))
    assert 800 < sampled < 1200


def test_profile_settings_from_the_environment() -> None:
    environ = {
        "BOT_TOKEN": "123456:ABCdef",
        "PROFILE_HANDLERS": "1",
        "PROFILE_SAMPLE_RATE": "0.25",
        "PROFILE_TIMEOUT": "30",
        "PROFILE_SCENARIOS": "my/scenarios",
    }
    config = Config.from_env(environ)
    assert (config.profile_handlers, config.profile_sample_rate) == (True, 0.25)
    assert (config.profile_timeout, config.profile_scenarios) == (30.0, "my/scenarios")
    assert Config.from_env({"BOT_TOKEN": "123456:ABCdef"}).profile_handlers is False


@pytest.mark.parametrize(
    ("name", "value"),
    [("PROFILE_HANDLERS", "maybe"), ("PROFILE_SAMPLE_RATE", "0"), ("PROFILE_TIMEOUT", "-1")],
)
def test_bad_profile_settings_are_refused(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Config.from_env({"BOT_TOKEN": "123456:ABCdef", name: value})


def test_runner_lists_only_valid_named_scenarios(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(
        "name: good\ndescription: fine\nactors: {a: {}}\nsteps:\n  - send: hi\n"
    )
    (tmp_path / "_fragment.yaml").write_text("steps:\n  - send: hi\n")
    (tmp_path / "broken.yaml").write_text("steps: [\n")
    runner = ProfileRunner(tmp_path, ROOT)
    assert [(e.name, e.description) for e in runner.entries()] == [("good", "fine")]
    assert runner.find("good") is not None
    assert runner.find("broken") is None
    assert runner.find("../good") is None


async def test_a_finished_run_leaves_a_report_and_cleanup_removes_it() -> None:
    runner = ProfileRunner(SCENARIOS / "profile", ROOT, timeout=120)
    entry = runner.find("tiny")
    assert entry is not None
    outcome = await runner.run(entry, 1)
    assert outcome.result.passed
    assert outcome.report.read_text().startswith("<!doctype html>")
    outcome.cleanup()
    assert not outcome.directory.exists()


async def test_a_hanging_run_is_stopped_and_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[Path] = []
    real_mkdtemp = tempfile.mkdtemp

    def recording(*args: object, **kwargs: object) -> str:
        directory = real_mkdtemp(*args, **kwargs)  # type: ignore[arg-type]
        made.append(Path(directory))
        return directory

    monkeypatch.setattr(runner_module.tempfile, "mkdtemp", recording)
    runner = ProfileRunner(SCENARIOS / "profile", ROOT, timeout=3)
    entry = runner.find("hang")
    assert entry is not None
    with pytest.raises(ProfileTimeout):
        await runner.run(entry, 1)
    assert len(made) == 1
    assert not made[0].exists()
    assert not runner.busy
    await asyncio.sleep(0)


@pytest.mark.parametrize(
    "name", ["profile_command", "profile_timeout", "profile_busy", "profile_stats"]
)
def test_through_replay(name: str) -> None:
    result = run_scenario(SCENARIOS / f"{name}.yaml", profile=False)
    problems = [f"{s.index} {s.name}: {s.failures}" for s in result.steps if not s.passed]
    assert result.passed, problems


def test_the_report_sent_is_an_html_file() -> None:
    result = run_scenario(SCENARIOS / "profile_command.yaml", profile=False)
    documents = [c for s in result.steps for c in s.calls if c.method == "sendDocument"]
    assert len(documents) == 2
    assert all(
        str(c.params["document"]).startswith("<file tiny-profile.html, ") for c in documents
    )
