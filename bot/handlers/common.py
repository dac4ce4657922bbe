"""Handlers every user may reach: ``/cancel`` first, a fallback for anything unhandled last."""

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot import texts


async def cancel(message: Message, state: FSMContext) -> None:
    """Leave whatever dialog the user is in."""
    if await state.get_state() is None:
        await message.answer(texts.NOTHING_TO_CANCEL)
        return
    await state.clear()
    await message.answer(texts.CANCELLED)


async def fallback(message: Message) -> None:
    await message.answer(texts.FALLBACK)


def create_router() -> Router:
    """``/cancel``, included before every other router so it works inside any dialog."""
    router = Router(name="common")
    router.message.register(cancel, Command("cancel"))
    return router


def create_fallback_router() -> Router:
    """A private message nothing else handled: point the user to ``/start``."""
    router = Router(name="fallback")
    router.message.register(fallback, F.chat.type == ChatType.PRIVATE)
    return router
