import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import (
    DEFAULT_DATABASE_URL,
    DEFAULT_FREE_CHANNEL_ID,
    DEFAULT_VIP_CHANNEL_ID,
    Config,
    ConfigError,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"


def test_defaults_with_only_a_token() -> None:
    config = Config.from_env({"BOT_TOKEN": TOKEN})
    assert config.bot_token == TOKEN
    assert config.admin_ids == frozenset()
    assert config.database_url == DEFAULT_DATABASE_URL
    assert config.redis_url is None
    assert config.vip_channel_id == DEFAULT_VIP_CHANNEL_ID
    assert config.free_channel_id == DEFAULT_FREE_CHANNEL_ID
    assert config.free_wait_seconds == 3600
    assert config.jobs_interval == 60.0


def test_every_variable_is_read() -> None:
    config = Config.from_env(
        {
            "BOT_TOKEN": TOKEN,
            "ADMIN_IDS": "1, 2,3",
            "DATABASE_URL": "postgresql+asyncpg://u:p@localhost/bot",
            "REDIS_URL": "redis://localhost:6379/0",
            "VIP_CHANNEL_ID": "-100111",
            "FREE_CHANNEL_ID": "-100222",
            "FREE_WAIT": "30m",
            "JOBS_INTERVAL": "15",
        }
    )
    assert config.admin_ids == frozenset({1, 2, 3})
    assert config.database_url == "postgresql+asyncpg://u:p@localhost/bot"
    assert config.redis_url == "redis://localhost:6379/0"
    assert (config.vip_channel_id, config.free_channel_id) == (-100111, -100222)
    assert config.free_wait_seconds == 1800
    assert config.jobs_interval == 15.0
    assert config.is_admin(2)
    assert not config.is_admin(4)


def test_the_token_is_kept_out_of_repr() -> None:
    assert TOKEN not in repr(Config.from_env({"BOT_TOKEN": TOKEN}))


@pytest.mark.parametrize("raw", ["", " ", ",", "7", "7,,8, 9 "])
def test_admin_ids_tolerate_blanks(raw: str) -> None:
    config = Config.from_env({"BOT_TOKEN": TOKEN, "ADMIN_IDS": raw})
    assert config.admin_ids <= {7, 8, 9}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "nonsense"}, "BOT_TOKEN is malformed"),
        ({"BOT_TOKEN": "abc:def"}, "BOT_TOKEN is malformed"),
        ({"BOT_TOKEN": "123:"}, "BOT_TOKEN is malformed"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "1,two"}, "ADMIN_IDS has 'two'"),
        ({"BOT_TOKEN": TOKEN, "VIP_CHANNEL_ID": "@vip"}, "VIP_CHANNEL_ID"),
        ({"BOT_TOKEN": TOKEN, "FREE_WAIT": "forever"}, "FREE_WAIT"),
        ({"BOT_TOKEN": TOKEN, "FREE_WAIT": "31d"}, "FREE_WAIT"),
        ({"BOT_TOKEN": TOKEN, "JOBS_INTERVAL": "0"}, "JOBS_INTERVAL"),
        ({"BOT_TOKEN": TOKEN, "JOBS_INTERVAL": "soon"}, "JOBS_INTERVAL"),
    ],
)
def test_bad_values_raise_a_config_error_naming_the_variable(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.from_env(env)


def _run_bot(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN is malformed"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "1;2"}, "ADMIN_IDS"),
    ],
)
def test_python_m_bot_exits_2_with_one_line_on_bad_config(
    env: dict[str, str], message: str
) -> None:
    result = _run_bot(env)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr
