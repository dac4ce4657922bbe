"""Channel membership operations: invite links, kicks, bans and unbans.

Telegram may refuse any of them (the user left, the bot lost its rights); each refusal is
logged and reported as False so a job or a panel goes on with the next row.
"""

import logging
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.clock import as_aware, utcnow

logger = logging.getLogger(__name__)

INVITE_LINK_LIFETIME = timedelta(days=1)


async def create_vip_invite(bot: Bot, chat_id: int, ends_at: datetime) -> str | None:
    """A one-use invite link valid for a day (or until ``ends_at``, if sooner)."""
    expire = min(ends_at, utcnow() + INVITE_LINK_LIFETIME)
    try:
        link = await bot.create_chat_invite_link(
            chat_id=chat_id,
            member_limit=1,
            expire_date=as_aware(expire),
            creates_join_request=False,
        )
    except TelegramAPIError as error:
        logger.warning("Could not create an invite link for chat %s: %s", chat_id, error)
        return None
    return link.invite_link


async def kick_member(bot: Bot, chat_id: int, user_id: int) -> bool:
    """Remove a user from a channel without banning them (ban, then unban)."""
    try:
        await bot.ban_chat_member(chat_id=chat_id, user_id=user_id)
        await bot.unban_chat_member(chat_id=chat_id, user_id=user_id, only_if_banned=True)
    except TelegramAPIError as error:
        logger.warning("Could not remove user %s from chat %s: %s", user_id, chat_id, error)
        return False
    return True


async def ban_member(bot: Bot, chat_id: int, user_id: int) -> bool:
    try:
        await bot.ban_chat_member(chat_id=chat_id, user_id=user_id)
    except TelegramAPIError as error:
        logger.warning("Could not ban user %s in chat %s: %s", user_id, chat_id, error)
        return False
    return True


async def unban_member(bot: Bot, chat_id: int, user_id: int) -> bool:
    try:
        await bot.unban_chat_member(chat_id=chat_id, user_id=user_id, only_if_banned=True)
    except TelegramAPIError as error:
        logger.warning("Could not unban user %s in chat %s: %s", user_id, chat_id, error)
        return False
    return True
