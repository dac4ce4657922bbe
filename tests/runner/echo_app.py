"""tests/bots/basic.py plus handlers that show what a `send:` mapping put in the message.

basic.py ignores locations and replies; these handlers echo them so tests can see the update.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import Message

from replay import App, SandboxContext
from tests.bots import basic


def create_router() -> Router:
    router = Router()

    @router.message(F.location)
    async def location(message: Message) -> None:
        point = message.location
        assert point is not None
        await message.answer(f"at {point.latitude},{point.longitude}")

    @router.message(F.reply_to_message)
    async def replied(message: Message) -> None:
        original = message.reply_to_message
        assert original is not None
        await message.answer(f"{message.text} -> #{original.message_id}: {original.text}")

    return router


def create_app(ctx: SandboxContext) -> App:
    app = basic.create_app(ctx)
    app.dispatcher.include_router(create_router())
    return app


def create_broken_app(ctx: SandboxContext) -> App:
    """An app factory that fails, as one does when its database is unreachable."""
    raise ConnectionError("database is down")


async def calls_telegram_in_factory(ctx: SandboxContext) -> App:
    """An app factory that talks to Telegram while it sets up (`set_my_commands`, say)."""
    from aiogram import Bot

    bot = Bot("123456:factory-token")
    await bot.get_me()
    return basic.create_app(ctx)
