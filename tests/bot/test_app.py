import pytest
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import MemoryStorage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_bot, create_dispatcher, create_storage
from bot.config import Config

CONFIG = Config(bot_token="123456:abc", admin_ids=frozenset({1}))


def test_each_dispatcher_gets_its_own_routers(db: async_sessionmaker[AsyncSession]) -> None:
    # The profiler builds one Dispatcher per run in one process; shared routers would fail.
    first = create_dispatcher(CONFIG, db, MemoryStorage())
    second = create_dispatcher(CONFIG, db, MemoryStorage())
    assert first.sub_routers
    assert not {id(r) for r in first.sub_routers} & {id(r) for r in second.sub_routers}
    assert first["config"] is CONFIG
    assert first["db"] is db
    assert callable(first["token_factory"])
    assert "chat_join_request" in first.resolve_used_update_types()


async def test_the_bot_speaks_html() -> None:
    bot = create_bot(CONFIG)
    assert bot.id == 123456
    assert bot.default.parse_mode == ParseMode.HTML
    await bot.session.close()


async def test_storage_is_in_memory_without_redis_url() -> None:
    storage = create_storage(CONFIG)
    assert isinstance(storage, MemoryStorage)
    await storage.close()


async def test_storage_is_redis_with_redis_url() -> None:
    pytest.importorskip("redis", reason="the redis package is optional")
    from aiogram.fsm.storage.redis import RedisStorage

    config = Config(bot_token="1:x", redis_url="redis://127.0.0.1:6379/0")
    storage = create_storage(config)  # from_url does not connect yet
    assert isinstance(storage, RedisStorage)
    await storage.close()
