"""A bot whose handlers take known times, fail on purpose, or hold a SQLite write lock: the
fixture of the load-mode tests."""

from __future__ import annotations

import asyncio

from aiogram import Dispatcher, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy import Integer, String, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from replay import App, SandboxContext


class Base(DeclarativeBase):
    pass


class Hit(Base):
    __tablename__ = "hits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int]
    note: Mapped[str] = mapped_column(String(50))


def create_router(db: async_sessionmaker[AsyncSession], admin_ids: tuple[int, ...]) -> Router:
    router = Router()

    @router.message(Command("fast"))
    async def fast(message: Message) -> None:
        await asyncio.sleep(0.01)
        await message.answer("fast")

    @router.message(Command("slow"))
    async def slow(message: Message) -> None:
        await asyncio.sleep(0.05)
        await message.answer("slow")

    @router.message(Command("boom"))
    async def boom(message: Message) -> None:
        raise RuntimeError("boom")

    @router.message(Command("whoami"))
    async def whoami(message: Message, state: FSMContext) -> None:
        await state.update_data(seen=message.from_user.id if message.from_user else 0)
        await message.answer(f"you are {message.from_user.id if message.from_user else 0}")

    @router.message(Command("admin"))
    async def admin(message: Message) -> None:
        is_admin = message.from_user is not None and message.from_user.id in admin_ids
        await message.answer("admin" if is_admin else "refused")

    @router.message(Command("write"))
    async def write(message: Message) -> None:
        async with db() as session:
            session.add(Hit(user_id=message.chat.id, note="w"))
            await session.commit()
        await message.answer("written")

    @router.message(Command("hold"))
    async def hold(message: Message) -> None:
        # Takes SQLite's write lock and keeps it: concurrent writers see "database is locked".
        async with db() as session:
            await session.execute(text("BEGIN IMMEDIATE"))
            await session.execute(text("INSERT INTO hits (user_id, note) VALUES (0, 'hold')"))
            await asyncio.sleep(0.3)
            await session.commit()
        await message.answer("held")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    return router


async def create_app(ctx: SandboxContext) -> App:
    # A short busy timeout, so lock contention shows up as errors quickly.
    engine = create_async_engine(ctx.database_url, connect_args={"timeout": 0.05})
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    db = async_sessionmaker(engine, expire_on_commit=False)
    dispatcher = Dispatcher()
    dispatcher.include_router(create_router(db, ctx.admin_ids))
    return App(dispatcher=dispatcher, shutdown=engine.dispose)
