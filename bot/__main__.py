"""``python -m bot``: long polling plus the job scheduler.

A configuration problem prints one line to stderr and exits with status 2.
"""

import asyncio
import contextlib
import logging
import os
import sys

from bot.app import create_bot, create_dispatcher, create_storage
from bot.config import Config, ConfigError
from bot.db import create_engine_and_sessionmaker, create_schema
from bot.scheduler import run_scheduler

logger = logging.getLogger("bot")


async def run(config: Config) -> None:
    """Create the schema if missing, then poll Telegram and run the jobs until stopped."""
    engine, db = create_engine_and_sessionmaker(config.database_url)
    storage = create_storage(config)
    bot = create_bot(config)
    try:
        await create_schema(engine)
        dp = create_dispatcher(config, db, storage)
        scheduler = asyncio.create_task(run_scheduler(bot, db, config), name="jobs")
        try:
            await dp.start_polling(bot)
        finally:
            scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await scheduler
    finally:
        await storage.close()
        await bot.session.close()
        await engine.dispose()


def main() -> int:
    try:
        config = Config.from_env(os.environ)
    except ConfigError as error:
        print(f"bot: configuration error: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(run(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
