"""The production loop that runs the background jobs every ``JOBS_INTERVAL`` seconds."""

import asyncio
import logging
from collections.abc import Mapping
from contextlib import suppress

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Config
from bot.jobs import JOBS, Job

logger = logging.getLogger(__name__)


async def run_jobs_once(
    bot: Bot,
    db: async_sessionmaker[AsyncSession],
    config: Config,
    jobs: Mapping[str, Job] = JOBS,
) -> dict[str, int]:
    """Run each job once; a job that raises is logged and skipped, the others still run."""
    processed: dict[str, int] = {}
    for name, job in jobs.items():
        try:
            processed[name] = await job(bot, db, config)
        except Exception:
            logger.exception("Job %s failed; it will run again on the next tick", name)
    return processed


async def run_scheduler(
    bot: Bot,
    db: async_sessionmaker[AsyncSession],
    config: Config,
    *,
    jobs: Mapping[str, Job] = JOBS,
    interval: float | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the jobs, wait ``interval`` (default ``config.jobs_interval``), repeat until stopped.

    Cancel the task or set ``stop`` to end the loop.
    """
    period = config.jobs_interval if interval is None else interval
    stop_event = stop or asyncio.Event()
    while not stop_event.is_set():
        processed = await run_jobs_once(bot, db, config, jobs)
        if any(processed.values()):
            logger.info("Jobs processed %s", processed)
        with suppress(TimeoutError):
            await asyncio.wait_for(stop_event.wait(), timeout=period)
