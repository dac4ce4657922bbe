"""App factories: the Dispatcher with fresh routers, the Bot, and the FSM storage.

``create_dispatcher`` builds new routers on every call: aiogram refuses to attach one router
to two parents, and the profiler builds one Dispatcher per run in the same process.
"""

from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Config
from bot.handlers import admin, common, join_requests, user
from bot.middlewares import BannedUserMiddleware, DbSessionMiddleware, UserMiddleware
from bot.profiling.runner import ProfileRunner
from bot.profiling.stats import HandlerStats
from bot.profiling.stats import install as install_handler_stats
from bot.services.tokens import new_token


def create_storage(config: Config) -> BaseStorage:
    """Redis FSM storage when ``REDIS_URL`` is set, else in-memory."""
    if config.redis_url:
        # Imported here so the redis package is needed only by bots that use it.
        from aiogram.fsm.storage.redis import RedisStorage  # noqa: PLC0415

        return RedisStorage.from_url(config.redis_url)
    return MemoryStorage()


def create_dispatcher(
    config: Config,
    db: async_sessionmaker[AsyncSession],
    storage: BaseStorage | None = None,
) -> Dispatcher:
    """Build the bot's Dispatcher.

    Handlers receive from the workflow data ``config`` (:class:`Config`), ``db`` (the
    sessionmaker) and ``token_factory`` (makes VIP token strings; replace ``dp["token_factory"]``
    for predictable tokens), and from the middlewares ``session`` and ``db_user``.
    """
    dp = Dispatcher(storage=storage if storage is not None else create_storage(config))
    dp["config"] = config
    dp["db"] = db
    dp["token_factory"] = new_token
    dp["profile_runner"] = ProfileRunner(
        Path(config.profile_scenarios), project_root=Path.cwd(), timeout=config.profile_timeout
    )
    dp["handler_stats"] = None

    dp.update.outer_middleware(DbSessionMiddleware(db))
    dp.update.outer_middleware(UserMiddleware(config.admin_ids))
    dp.update.outer_middleware(BannedUserMiddleware())

    dp.include_routers(
        common.create_router(),
        user.create_router(),
        join_requests.create_router(),
        admin.create_router(config.admin_ids),
        common.create_fallback_router(),
    )
    if config.profile_handlers:
        # Installed only when asked for: when off, live statistics cost nothing.
        handler_stats = HandlerStats(config.profile_sample_rate)
        install_handler_stats(dp, db.kw["bind"], handler_stats)
        dp["handler_stats"] = handler_stats
    return dp


def create_bot(config: Config) -> Bot:
    """A Bot that sends HTML-formatted messages by default."""
    return Bot(config.bot_token, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
