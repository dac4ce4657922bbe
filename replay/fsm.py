"""An FSM storage replay makes for a run: aiogram's RedisStorage under a unique key prefix.

`replay run --fsm-storage redis://host:6379/0` hands the app (as `ctx.fsm_storage`) a
RedisStorage whose keys all start with `replay:<scenario>:<unique>`, and deletes exactly those
keys when the run ends, whatever happened, so a shared Redis is left as it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
from typing import Any

from aiogram.fsm.storage.base import DefaultKeyBuilder

from replay.errors import ReplayError

KEY_ROOT = "replay"


class UnsafeStorageUrl(ReplayError):
    """A URL replay will not keep FSM state at."""


def check_storage_url(raw: str) -> str:
    if not re.match(r"^(redis|rediss|unix)://", raw):
        msg = (
            f"--fsm-storage {re.sub(':[^:@/]*@', ':***@', raw)!r}: replay can keep FSM state "
            "in Redis only; write redis://HOST:6379/0 (or leave the option out to keep the "
            "app's own storage)"
        )
        raise UnsafeStorageUrl(msg)
    return raw


class RedisFsm:
    def __init__(self, url: str, label: str) -> None:
        from aiogram.fsm.storage.redis import RedisStorage

        clean = re.sub(r"[^a-z0-9_-]+", "_", label.lower())[:30] or "run"
        self.prefix = f"{KEY_ROOT}:{clean}:{secrets.token_hex(4)}"
        self.storage = RedisStorage.from_url(
            check_storage_url(url),
            key_builder=DefaultKeyBuilder(prefix=self.prefix, with_bot_id=True),
        )
        self.reachable = False

    async def check(self) -> None:
        try:
            await self.storage.redis.ping()
        except Exception as exc:  # noqa: BLE001 - any connection failure is reported the same way
            msg = f"cannot reach Redis for --fsm-storage: {exc}"
            raise UnsafeStorageUrl(msg) from None
        self.reachable = True

    async def keys(self) -> list[Any]:
        return [key async for key in self.storage.redis.scan_iter(match=f"{self.prefix}:*")]

    async def close(self) -> None:
        """Delete the run's keys (when Redis was reached at all), then the connection pool."""
        try:
            if self.reachable:
                await asyncio.shield(self._delete_keys())
        finally:
            with contextlib.suppress(Exception):
                await self.storage.close()

    async def _delete_keys(self) -> None:
        keys = await self.keys()
        if keys:
            await self.storage.redis.delete(*keys)
