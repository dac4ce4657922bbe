"""A bot that keeps its FSM state in whatever storage replay hands it (`ctx.fsm_storage`),
and can show where that state lives: the storage class and the Redis keys under its prefix.

Without `--fsm-storage` it falls back to aiogram's MemoryStorage, so its scenarios also say
which storage a run really used.
"""

from __future__ import annotations

from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Message

from replay import App, SandboxContext


class Note(StatesGroup):
    text = State()
    saved = State()


async def describe_keys(storage: BaseStorage) -> str:
    """`keys N under PREFIX`: the Redis keys of this run's storage, or `no redis`."""
    redis = getattr(storage, "redis", None)
    key_builder = getattr(storage, "key_builder", None)
    prefix = getattr(key_builder, "prefix", None)
    if redis is None or prefix is None:
        return "no redis"
    keys = [key async for key in redis.scan_iter(match=f"{prefix}:*")]
    return f"keys {len(keys)} under {prefix}"


def create_router() -> Router:
    router = Router()

    @router.message(Command("storage"))
    async def storage(message: Message, fsm_storage: BaseStorage) -> None:
        await message.answer(type(fsm_storage).__name__)

    @router.message(Command("note"))
    async def note(message: Message, state: FSMContext) -> None:
        await state.set_state(Note.text)
        await message.answer("What should I remember?")

    @router.message(Note.text, F.text)
    async def remember(message: Message, state: FSMContext) -> None:
        await state.update_data(note=message.text)
        await state.set_state(Note.saved)
        await message.answer(f"Remembered {message.text}")

    @router.message(Command("keys"))
    async def keys(message: Message, fsm_storage: BaseStorage) -> None:
        await message.answer(await describe_keys(fsm_storage))

    @router.message(Command("boom"))
    async def boom(message: Message) -> None:
        raise RuntimeError("the handler failed with FSM state set")

    return router


def create_app(ctx: SandboxContext) -> App:
    storage = ctx.fsm_storage or MemoryStorage()
    dispatcher = Dispatcher(storage=storage)
    dispatcher.include_router(create_router())
    first = next(iter(ctx.actors.values()))

    async def count_keys(bot: Bot) -> str:
        text = await describe_keys(storage)
        await bot.send_message(first.id, text)
        return text

    return App(dispatcher=dispatcher, jobs={"count_keys": count_keys})
