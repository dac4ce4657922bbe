"""Middlewares: a database session per update, the user row, bans and the admin guard.

The first three are outer middlewares on ``dp.update`` (in this order) so every handler, in
every router, gets ``session`` and ``db_user``; the admin guard is an inner middleware on the
admin router, so it runs only when an admin handler matched and covers its sub-routers.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from aiogram.types import User as TelegramUser
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import texts
from bot.db.models import Role, User
from bot.services.users import upsert_user

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DbSessionMiddleware(BaseMiddleware):
    """Open one ``AsyncSession`` per update as ``session``: commit on success, else roll back."""

    def __init__(self, db: async_sessionmaker[AsyncSession]) -> None:
        self._db = db

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._db() as session:
            data["session"] = session
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            await session.commit()
            return result


class UserMiddleware(BaseMiddleware):
    """Register or refresh the sender of every update and inject the row as ``db_user``."""

    def __init__(self, admin_ids: frozenset[int]) -> None:
        self._admin_ids = admin_ids

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        if sender is not None:
            data["db_user"] = await upsert_user(
                data["session"],
                user_id=sender.id,
                first_name=sender.first_name,
                last_name=sender.last_name,
                username=sender.username,
                language=sender.language_code,
                is_admin=sender.id in self._admin_ids,
            )
        return await handler(event, data)


class BannedUserMiddleware(BaseMiddleware):
    """Answer banned users with a short refusal instead of handling their update."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        db_user: User | None = data.get("db_user")
        if db_user is None or not db_user.banned or db_user.role == Role.ADMIN:
            return await handler(event, data)
        if isinstance(event, Update):
            if event.message is not None:
                await event.message.answer(texts.BANNED)
            elif event.callback_query is not None:
                await event.callback_query.answer(texts.BANNED, show_alert=True)
            elif event.chat_join_request is not None:
                await event.chat_join_request.decline()
        return None


class AdminGuardMiddleware(BaseMiddleware):
    """Refuse every admin command and button to anyone not in ``ADMIN_IDS``, with one text."""

    def __init__(self, admin_ids: frozenset[int]) -> None:
        self._admin_ids = admin_ids

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        if sender is not None and sender.id in self._admin_ids:
            return await handler(event, data)
        if isinstance(event, CallbackQuery):
            await event.answer(texts.ADMIN_ONLY, show_alert=True)
        elif isinstance(event, Message):
            await event.answer(texts.ADMIN_ONLY)
        return None
