import asyncio
from typing import cast

from aiogram import Bot
from faker import Faker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Config
from bot.jobs import JOBS
from bot.scheduler import run_jobs_once, run_scheduler
from bot.seed import seed_database
from bot.services.stats import collect_stats

CONFIG = Config(bot_token="1:x")


async def test_stats_count_seeded_rows(db: async_sessionmaker[AsyncSession], faker: Faker) -> None:
    await seed_database(
        db, faker, users=30, vip_subscribers=9, pending_requests=4, tokens=5, admin_ids=(1,)
    )
    async with db() as session:
        stats = await collect_stats(session)
    assert stats.users_total == 31
    assert [name for name, _ in stats.active_vip_by_plan] == ["monthly", "quarterly", "yearly"]
    assert stats.active_vip_total == 9
    assert stats.pending_free == 4
    assert (stats.tokens_issued, stats.tokens_redeemed) == (5, 0)


async def test_a_failing_job_does_not_stop_the_others(
    db: async_sessionmaker[AsyncSession],
) -> None:
    calls: list[str] = []

    async def broken(bot: Bot, db: async_sessionmaker[AsyncSession], config: Config) -> int:
        calls.append("broken")
        msg = "boom"
        raise RuntimeError(msg)

    async def working(bot: Bot, db: async_sessionmaker[AsyncSession], config: Config) -> int:
        calls.append("working")
        return 3

    processed = await run_jobs_once(
        cast(Bot, object()), db, CONFIG, {"broken": broken, "working": working}
    )
    assert calls == ["broken", "working"]
    assert processed == {"working": 3}


def test_jobs_are_registered_by_name() -> None:
    assert list(JOBS) == ["approve_free_requests", "expire_subscriptions", "remind_expiring"]


async def test_the_scheduler_loop_survives_a_failing_job(
    db: async_sessionmaker[AsyncSession],
) -> None:
    stop = asyncio.Event()
    ticks: list[int] = []

    async def broken(bot: Bot, db: async_sessionmaker[AsyncSession], config: Config) -> int:
        msg = "boom"
        raise RuntimeError(msg)

    async def counting(bot: Bot, db: async_sessionmaker[AsyncSession], config: Config) -> int:
        ticks.append(len(ticks))
        if len(ticks) == 3:
            stop.set()
        return 0

    jobs = {"broken": broken, "counting": counting}
    await asyncio.wait_for(
        run_scheduler(cast(Bot, object()), db, CONFIG, jobs=jobs, interval=0.001, stop=stop),
        timeout=10,
    )
    assert ticks == [0, 1, 2]
