"""The bot itself: globals everywhere, as found in the wild."""

from __future__ import annotations

import os

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.chat_action import ChatActionSender
from sqlalchemy import String, func, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

TOKEN = os.environ.get("BOT_TOKEN", "123456:GLOBAL-style-token")
bot = Bot(TOKEN)
router = Router()
engine = create_async_engine(os.environ["DATABASE_URL"])
Session = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int]
    text: Mapped[str] = mapped_column(String(200))


@router.message(Command("note"))
async def add_note(message: Message) -> None:
    text = (message.text or "").partition(" ")[2] or "empty"
    async with Session() as session:
        session.add(Note(user_id=message.chat.id, text=text))
        await session.commit()
    # The module-level bot, not message.answer(): replay must still see this call.
    await bot.send_message(message.chat.id, f"Saved: {text}")


@router.message(Command("count"))
async def count(message: Message) -> None:
    async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id), Session() as session:
        total = await session.scalar(select(func.count()).select_from(Note))
    await bot.send_message(message.chat.id, f"{total} notes")


@router.message(F.text)
async def echo(message: Message) -> None:
    await bot.send_message(message.chat.id, message.text or "")
