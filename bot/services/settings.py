"""Settings an administrator can change at run time, stored as key/value rows.

A missing row means "use the default from the environment"; a row overrides it.
"""

import logging
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Setting

logger = logging.getLogger(__name__)


class SettingKey(StrEnum):
    FREE_WAIT_SECONDS = "free_wait_seconds"
    VIP_CHANNEL_ID = "vip_channel_id"
    FREE_CHANNEL_ID = "free_channel_id"
    WELCOME_TEXT = "welcome_text"


@dataclass(frozen=True, slots=True)
class BotSettings:
    free_wait_seconds: int
    vip_channel_id: int
    free_channel_id: int
    welcome_text: str


_INT_KEYS = {SettingKey.FREE_WAIT_SECONDS, SettingKey.VIP_CHANNEL_ID, SettingKey.FREE_CHANNEL_ID}


async def load_settings(session: AsyncSession, defaults: BotSettings) -> BotSettings:
    """The defaults with every stored row applied on top."""
    rows = (await session.execute(select(Setting))).scalars().all()
    overrides: dict[str, int | str] = {}
    for row in rows:
        if row.key not in SettingKey.__members__.values():
            continue
        if row.key in _INT_KEYS:
            try:
                overrides[row.key] = int(row.value)
            except ValueError:
                logger.warning("Ignoring setting %s=%r: not an integer", row.key, row.value)
        else:
            overrides[row.key] = row.value
    return replace(defaults, **overrides)  # type: ignore[arg-type]


async def save_setting(session: AsyncSession, key: SettingKey, value: int | str) -> None:
    """Store ``value`` under ``key``, replacing any previous value."""
    row = await session.get(Setting, key.value)
    if row is None:
        session.add(Setting(key=key.value, value=str(value)))
    else:
        row.value = str(value)
    await session.flush()
