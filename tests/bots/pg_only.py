"""A bot written for PostgreSQL: user settings in a `jsonb` column, merged by an upsert
(`INSERT ... ON CONFLICT DO UPDATE` with `jsonb_build_object` and `||`) and read with `->>`.

The schema also creates on SQLite (`JSON` there, `JSONB` on PostgreSQL), as it would for a
bot whose tests once ran on SQLite; the SQL of its handlers only runs on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from aiogram import Dispatcher, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlalchemy import JSON, BigInteger, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from replay import App, SandboxContext


class Base(DeclarativeBase):
    pass


class Settings(Base):
    __tablename__ = "settings"
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))


def create_router(db: async_sessionmaker[AsyncSession]) -> Router:
    router = Router()

    @router.message(Command("theme"))
    async def theme(message: Message, command: CommandObject) -> None:
        user_id = message.chat.id
        new = pg_insert(Settings).values(
            user_id=user_id, data=func.jsonb_build_object("theme", command.args or "light")
        )
        upsert = new.on_conflict_do_update(
            index_elements=[Settings.user_id],
            set_={"data": Settings.data.op("||")(new.excluded.data)},
        )
        async with db() as session:
            await session.execute(upsert)  # PostgreSQL-only SQL
            await session.commit()
            query = select(
                Settings.data.op("->>")("theme"), Settings.data.op("->>")("lang")
            ).where(Settings.user_id == user_id)
            chosen, lang = (await session.execute(query)).one()
        await message.answer(f"theme {chosen}, lang {lang}")

    return router


async def create_app(ctx: SandboxContext) -> App:
    engine = create_async_engine(ctx.database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    db = async_sessionmaker(engine, expire_on_commit=False)
    async with db() as session:
        for actor in ctx.actors.values():
            session.add(Settings(user_id=actor.id, data={"lang": actor.language_code or "en"}))
        await session.commit()
    dispatcher = Dispatcher()
    dispatcher.include_router(create_router(db))
    return App(dispatcher=dispatcher, shutdown=engine.dispose)
