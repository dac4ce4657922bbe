"""Fixtures for the bot's tests: a real SQLite file per test, schema created, engine disposed."""

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from faker import Faker
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db import Base, Plan, User, create_engine_and_sessionmaker, create_schema

# A fixed instant for tests that travel in time (aware, so time-machine cannot misread it).
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def naive(moment: datetime) -> datetime:
    """The naive UTC form the bot stores."""
    return moment.astimezone(UTC).replace(tzinfo=None)


@pytest.fixture
async def engine_and_db(
    tmp_path: Path,
) -> AsyncIterator[tuple[AsyncEngine, async_sessionmaker[AsyncSession]]]:
    """A fresh SQLite file, or the database in ``BOT_TEST_DATABASE_URL`` (emptied first).

    Set ``BOT_TEST_DATABASE_URL=postgresql+asyncpg://...`` to run the same tests against
    PostgreSQL; every table in that database is dropped before and after each test.
    """
    url = os.environ.get("BOT_TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    engine, db = create_engine_and_sessionmaker(url)
    external = "BOT_TEST_DATABASE_URL" in os.environ
    if external:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.drop_all)
    await create_schema(engine)
    yield engine, db
    if external:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.drop_all)
    await engine.dispose()


@pytest.fixture
def db(
    engine_and_db: tuple[AsyncEngine, async_sessionmaker[AsyncSession]],
) -> async_sessionmaker[AsyncSession]:
    return engine_and_db[1]


@pytest.fixture
async def session(db: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with db() as session:
        yield session


@pytest.fixture
def faker() -> Faker:
    fake = Faker()
    fake.seed_instance(1234)
    return fake


async def add_user(session: AsyncSession, user_id: int, **fields: object) -> User:
    values: dict[str, object] = {"first_name": f"User{user_id}", "username": f"user{user_id}"}
    values.update(fields)
    user = User(id=user_id, **values)
    session.add(user)
    await session.flush()
    return user


async def add_plan(session: AsyncSession, name: str = "monthly", days: int = 30) -> Plan:
    plan = Plan(name=name, days=days, price_cents=999, active=True)
    session.add(plan)
    await session.flush()
    return plan
