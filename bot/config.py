"""Configuration read from the environment.

``Config.from_env`` raises :class:`ConfigError` with a one-line message naming the variable,
what is wrong and how to fix it; ``python -m bot`` prints it and exits with status 2.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Self

from aiogram.utils.token import TokenValidationError, validate_token

from bot.parsing import InputError, parse_wait_time
from bot.services.settings import BotSettings
from bot.texts import DEFAULT_WELCOME_TEXT

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///bot.db"
DEFAULT_VIP_CHANNEL_ID = -1001000000001
DEFAULT_FREE_CHANNEL_ID = -1001000000002
DEFAULT_FREE_WAIT = "1h"
DEFAULT_JOBS_INTERVAL = 60.0
DEFAULT_PROFILE_SCENARIOS = "scenarios"
DEFAULT_PROFILE_TIMEOUT = 120.0


class ConfigError(Exception):
    """The environment does not describe a usable configuration."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything the bot needs to know before it starts."""

    bot_token: str = field(repr=False)
    admin_ids: frozenset[int] = frozenset()
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    vip_channel_id: int = DEFAULT_VIP_CHANNEL_ID
    free_channel_id: int = DEFAULT_FREE_CHANNEL_ID
    free_wait_seconds: int = 3600
    jobs_interval: float = DEFAULT_JOBS_INTERVAL
    profile_scenarios: str = DEFAULT_PROFILE_SCENARIOS
    profile_timeout: float = DEFAULT_PROFILE_TIMEOUT
    profile_handlers: bool = False
    profile_sample_rate: float = 1.0
    # A /profile run goes on in the background while the handler returns; replay's own tests
    # turn this off so the run belongs to the step that asked for it.
    profile_background: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Self:
        """Build a config from environment variables (see the module docstring of bot)."""
        return cls(
            bot_token=_bot_token(environ.get("BOT_TOKEN", "")),
            admin_ids=_admin_ids(environ.get("ADMIN_IDS", "")),
            database_url=environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
            redis_url=environ.get("REDIS_URL", "").strip() or None,
            vip_channel_id=_chat_id(environ, "VIP_CHANNEL_ID", DEFAULT_VIP_CHANNEL_ID),
            free_channel_id=_chat_id(environ, "FREE_CHANNEL_ID", DEFAULT_FREE_CHANNEL_ID),
            free_wait_seconds=_free_wait(environ.get("FREE_WAIT", "").strip()),
            jobs_interval=_positive(environ, "JOBS_INTERVAL", DEFAULT_JOBS_INTERVAL),
            profile_scenarios=environ.get("PROFILE_SCENARIOS", "").strip()
            or DEFAULT_PROFILE_SCENARIOS,
            profile_timeout=_positive(environ, "PROFILE_TIMEOUT", DEFAULT_PROFILE_TIMEOUT),
            profile_handlers=_flag(environ, "PROFILE_HANDLERS"),
            profile_sample_rate=_sample_rate(environ.get("PROFILE_SAMPLE_RATE", "").strip()),
        )

    def is_admin(self, user_id: int) -> bool:
        """Tell whether ``user_id`` is listed in ``ADMIN_IDS``."""
        return user_id in self.admin_ids

    def default_settings(self) -> BotSettings:
        """The run-time settings used until an administrator stores other values."""
        return BotSettings(
            free_wait_seconds=self.free_wait_seconds,
            vip_channel_id=self.vip_channel_id,
            free_channel_id=self.free_channel_id,
            welcome_text=DEFAULT_WELCOME_TEXT,
        )


def _bot_token(raw: str) -> str:
    token = raw.strip()
    if not token:
        msg = "BOT_TOKEN is not set: export the token @BotFather gave you (123456:ABC-DEF...)"
        raise ConfigError(msg)
    try:
        validate_token(token)
    except TokenValidationError:
        msg = "BOT_TOKEN is malformed: expected the form 123456:ABC-DEF... given by @BotFather"
        raise ConfigError(msg) from None
    return token


def _admin_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.split(","):
        item = part.strip()
        if not item:
            continue
        try:
            ids.add(int(item))
        except ValueError:
            msg = f"ADMIN_IDS has {item!r}, not a number: use comma separated user ids (1,2,3)"
            raise ConfigError(msg) from None
    return frozenset(ids)


def _chat_id(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        msg = f"{name} is {raw!r}, not a chat id: use a number such as -1001234567890"
        raise ConfigError(msg) from None


def _free_wait(raw: str) -> int:
    try:
        return parse_wait_time(raw or DEFAULT_FREE_WAIT)
    except InputError as error:
        msg = f"FREE_WAIT: {error}"
        raise ConfigError(msg) from None


def _positive(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (value > 0 and math.isfinite(value)):
        msg = f"{name} is {raw!r}: use a positive number of seconds such as {default:g}"
        raise ConfigError(msg)
    return value


def _flag(environ: Mapping[str, str], name: str) -> bool:
    raw = environ.get(name, "").strip().lower()
    if raw in {"", "0", "false", "no", "off"}:
        return False
    if raw in {"1", "true", "yes", "on"}:
        return True
    msg = f"{name} is {raw!r}: use 1 to turn it on or 0 to leave it off"
    raise ConfigError(msg)


def _sample_rate(raw: str) -> float:
    if not raw:
        return 1.0
    try:
        rate = float(raw)
    except ValueError:
        rate = -1.0
    if not 0 < rate <= 1:
        msg = f"PROFILE_SAMPLE_RATE is {raw!r}: use a fraction above 0 and up to 1, e.g. 0.1"
        raise ConfigError(msg)
    return rate
