"""URLs replay refuses for `--database-url` and `--fsm-storage`, with a clear reason, exit
status 2 and never the password. None of these needs a server: they always run.

Every URL carries the password `hunter2` (where it has a place for one) so a message that
quotes the URL is caught showing it.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from replay import run_scenario
from replay.cli import cli
from replay.postgres import UnsafeDatabaseUrl, check_server_url
from replay.scenario.loader import load_scenario

from .conftest import ROOT

PASSWORD = "hunter2"
SCENARIO = ROOT / "tests" / "scenarios" / "passing.yaml"

REFUSED_DATABASES = [
    ("sqlite:///x.db", "PostgreSQL only, not on 'sqlite'"),
    (f"postgresql://replay:{PASSWORD}@127.0.0.1:5432/postgres", "postgresql+asyncpg://"),
    (f"mysql+aiomysql://replay:{PASSWORD}@127.0.0.1/db", "PostgreSQL only, not on 'mysql'"),
    (f"postgresql+asyncpg://replay:{PASSWORD}@/postgres", "names no host"),
    ("not a url", "is not a database URL"),
    # Typos that make the URL unreadable: the message quotes it, the password masked.
    (f"postgresql+asyncpg//replay:{PASSWORD}@127.0.0.1/postgres", "is not a database URL"),
    (f"postgresql+asyncpg://replay:{PASSWORD}@127.0.0.1:54e2/postgres", "is not a database URL"),
]


def replay_run(*args: str) -> Result:
    """`replay run tests/scenarios/passing.yaml ARGS`, the environment's service URLs unset."""
    env = {"REPLAY_DATABASE_URL": None, "REPLAY_FSM_STORAGE": None}
    return CliRunner(env=env).invoke(cli, ["run", str(SCENARIO), "--no-profile", *args])


def assert_refused(result: Result, reason: str) -> None:
    assert result.exit_code == 2, result.output
    assert reason in result.stderr
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output
    assert PASSWORD not in result.output


@pytest.mark.parametrize(("url", "reason"), REFUSED_DATABASES)
def test_check_server_url_refuses(url: str, reason: str) -> None:
    with pytest.raises(UnsafeDatabaseUrl) as raised:
        check_server_url(url)
    assert reason in str(raised.value)
    assert PASSWORD not in str(raised.value)


@pytest.mark.parametrize(("url", "reason"), REFUSED_DATABASES)
def test_cli_refuses_database_url(url: str, reason: str) -> None:
    assert_refused(replay_run("--database-url", url), reason)


def test_cli_refuses_database_url_from_the_environment() -> None:
    runner = CliRunner(env={"REPLAY_DATABASE_URL": "sqlite:///x.db", "REPLAY_FSM_STORAGE": None})
    result = runner.invoke(cli, ["run", str(SCENARIO), "--no-profile"])
    assert_refused(result, "PostgreSQL only, not on 'sqlite'")


UNREACHABLE = f"postgresql+asyncpg://replay:{PASSWORD}@127.0.0.1:1/postgres"


def test_an_unreachable_server_is_refused_by_the_api() -> None:
    # Port 1: nothing listens there, so the connection is refused at once.
    with pytest.raises(UnsafeDatabaseUrl, match=r"cannot connect to PostgreSQL at 127\.0\.0\.1:1"):
        run_scenario(load_scenario(SCENARIO), profile=False, database_url=UNREACHABLE)


def test_an_unreachable_server_is_refused_by_the_cli() -> None:
    assert_refused(
        replay_run("--database-url", UNREACHABLE), "cannot connect to PostgreSQL at 127.0.0.1:1"
    )


@pytest.mark.parametrize("url", ["memcached://x", f"memcached://replay:{PASSWORD}@x:11211"])
def test_cli_refuses_fsm_storage_other_than_redis(url: str) -> None:
    assert_refused(replay_run("--fsm-storage", url), "can keep FSM state in Redis only")


def test_cli_refuses_an_unreachable_redis() -> None:
    # Regression: the clean-up used to scan the unreachable server for keys and replace the
    # clear message with redis' ConnectionError and a traceback.
    assert_refused(
        replay_run("--fsm-storage", f"redis://:{PASSWORD}@127.0.0.1:1/0"), "cannot reach Redis"
    )
