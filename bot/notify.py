"""Messages to users from handlers and jobs, tolerating Telegram's refusals.

A user who blocked the bot is remembered (``blocked_bot``) and skipped by broadcasts; any other
refusal is logged, never fatal, so one bad row cannot stop a job.
"""

import asyncio
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError, TelegramRetryAfter
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.users import mark_blocked_bot

logger = logging.getLogger(__name__)


async def notify(bot: Bot, session: AsyncSession, user_id: int, text: str) -> bool:
    """Send ``text`` to ``user_id``; on failure log it and return False.

    Flood control (``TelegramRetryAfter``) is waited out once, then the send is retried.
    """
    try:
        try:
            await bot.send_message(user_id, text)
        except TelegramRetryAfter as error:
            await asyncio.sleep(error.retry_after)
            await bot.send_message(user_id, text)
    except TelegramForbiddenError:
        await mark_blocked_bot(session, user_id)
        return False
    except TelegramAPIError as error:
        logger.warning("Could not message user %s: %s", user_id, error)
        return False
    return True
