"""A bot on a server database whose connection pool the scenario sizes (`seed:`), with
handlers that hold a pooled connection for a while, or for ever, and a record of how many
times its database was prepared.

`seed:` keys: `pool_size`, `max_overflow`, `pool_timeout` (seconds), `hold` (seconds /hold
keeps its connection). The app factory honours `ctx.prepared`: load workers sharing a database
the parent prepared skip the schema and the seeding, so `/seeded` answers `seeded 1` in every
worker when replay shares the database as documented.
"""

from __future__ import annotations

import asyncio
import os

from aiogram import Dispatcher, Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy import BigInteger, String, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as make_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from replay import App, SandboxContext


class Base(DeclarativeBase):
    pass


class Seeding(Base):
    """One row per run of the seeding code against this database."""

    __tablename__ = "seedings"
    id: Mapped[int] = mapped_column(primary_key=True)
    pid: Mapped[int]


class Hit(Base):
    __tablename__ = "hits"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(20))


def create_router(
    engine: AsyncEngine, db: async_sessionmaker[AsyncSession], hold: float
) -> Router:
    router = Router()

    @router.message(Command("seeded"))
    async def seeded(message: Message) -> None:
        async with db() as session:
            count = await session.scalar(select(func.count()).select_from(Seeding))
        await message.answer(f"seeded {count}")

    @router.message(Command("write"))
    async def write(message: Message) -> None:
        async with db() as session:
            session.add(Hit(user_id=message.chat.id, note="w"))
            await session.commit()
        await message.answer("written")

    @router.message(Command("hold"))
    async def hold_connection(message: Message) -> None:
        # Checks a connection out of the pool and keeps it while it sleeps.
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            await asyncio.sleep(hold)
        await message.answer("held")

    @router.message(Command("hang"))
    async def hang(message: Message) -> None:
        # Keeps a connection to the sandbox open for ever: only a forced DROP gets past it.
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            await asyncio.sleep(3600)

    return router


async def create_app(ctx: SandboxContext) -> App:
    engine = make_engine(
        ctx.database_url,
        pool_size=int(ctx.seed.get("pool_size", 5)),
        max_overflow=int(ctx.seed.get("max_overflow", 10)),
        pool_timeout=float(ctx.seed.get("pool_timeout", 30)),
    )
    db = async_sessionmaker(engine, expire_on_commit=False)
    if not ctx.prepared:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        async with db() as session:
            session.add(Seeding(pid=os.getpid()))
            await session.commit()
    dispatcher = Dispatcher()
    dispatcher.include_router(create_router(engine, db, float(ctx.seed.get("hold", 0.5))))
    return App(dispatcher=dispatcher, shutdown=engine.dispose)
