from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from faker import Faker
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import (
    Base,
    FreeJoinRequest,
    Plan,
    Role,
    Subscription,
    User,
    VipToken,
    create_engine_and_sessionmaker,
    create_schema,
)
from bot.seed import SEED_USER_ID_BASE, SeedSummary, seed_database

# The naive UTC form the bot stores.
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC).replace(tzinfo=None)


async def _seed_and_dump(path: Path, seed: int, **counts: Any) -> list[tuple[str, list[Any]]]:
    """Seed a fresh SQLite file and return every table's rows in primary key order."""
    engine, db = create_engine_and_sessionmaker(f"sqlite+aiosqlite:///{path}")
    try:
        await create_schema(engine)
        faker = Faker()
        faker.seed_instance(seed)
        await seed_database(db, faker, now=NOW, **counts)
        dump = []
        async with engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                statement = select(table).order_by(*table.primary_key.columns)
                rows = (await connection.execute(statement)).all()
                dump.append((table.name, [tuple(row) for row in rows]))
        return dump
    finally:
        await engine.dispose()


async def _count(session: AsyncSession, model: type[Base]) -> int:
    return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_same_seed_gives_the_same_rows(tmp_path: Path) -> None:
    first = await _seed_and_dump(tmp_path / "a.db", 7, admin_ids=(1, 2))
    second = await _seed_and_dump(tmp_path / "b.db", 7, admin_ids=(1, 2))
    assert first == second
    assert all(rows for name, rows in first if name != "settings")


async def test_another_seed_gives_other_rows(tmp_path: Path) -> None:
    first = await _seed_and_dump(tmp_path / "a.db", 7)
    second = await _seed_and_dump(tmp_path / "b.db", 8)
    assert dict(first)["users"] != dict(second)["users"]


async def test_row_counts_match_the_arguments(
    db: async_sessionmaker[AsyncSession], faker: Faker
) -> None:
    summary = await seed_database(
        db,
        faker,
        users=50,
        plans=5,
        vip_subscribers=12,
        pending_requests=7,
        tokens=9,
        admin_ids=(42,),
        now=NOW,
    )
    assert summary == SeedSummary(
        users=50,
        admins=1,
        plans=5,
        vip_subscribers=12,
        pending_requests=7,
        tokens=9,
        token_values=summary.token_values,
    )
    assert len(set(summary.token_values)) == 9
    async with db() as session:
        assert await _count(session, User) == 51
        assert await _count(session, Plan) == 5
        assert await _count(session, Subscription) == 12
        assert await _count(session, FreeJoinRequest) == 7
        assert await _count(session, VipToken) == 9
        admin = await session.get(User, 42)
        assert admin is not None
        assert admin.role == Role.ADMIN
        names = (await session.execute(select(Plan.name).order_by(Plan.id))).scalars().all()
        assert names[:3] == ["monthly", "quarterly", "yearly"]


async def test_seeded_ids_start_far_above_hand_written_ids(
    db: async_sessionmaker[AsyncSession], faker: Faker
) -> None:
    await seed_database(db, faker, users=20, vip_subscribers=5, pending_requests=5, now=NOW)
    async with db() as session:
        ids = (await session.execute(select(User.id).order_by(User.id))).scalars().all()
    assert ids == list(range(SEED_USER_ID_BASE, SEED_USER_ID_BASE + 20))


async def test_seeded_rows_are_consistent(
    db: async_sessionmaker[AsyncSession], faker: Faker
) -> None:
    await seed_database(db, faker, now=NOW)
    async with db() as session:
        subscriptions = (await session.execute(select(Subscription))).scalars().all()
        tokens = (await session.execute(select(VipToken))).scalars().all()
        subscribers = {sub.user_id for sub in subscriptions}
    assert len(subscribers) == len(subscriptions)
    assert all(sub.starts_at <= NOW < sub.ends_at for sub in subscriptions)
    assert all(token.redeemed_at is None and token.expires_at > NOW for token in tokens)


async def test_ten_thousand_users(db: async_sessionmaker[AsyncSession], faker: Faker) -> None:
    summary = await seed_database(db, faker, users=10_000, vip_subscribers=1_000)
    assert summary.users == 10_000
    async with db() as session:
        assert await _count(session, User) == 10_000


@pytest.mark.parametrize(
    "counts",
    [
        {"users": 5, "vip_subscribers": 4, "pending_requests": 2},
        {"users": -1},
        {"plans": 0},
        {"admin_ids": (SEED_USER_ID_BASE,)},
    ],
)
async def test_impossible_counts_are_refused(
    db: async_sessionmaker[AsyncSession], faker: Faker, counts: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match="seed_database"):
        await seed_database(db, faker, **counts)
