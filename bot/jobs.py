"""Background jobs: plain async functions the scheduler (or a replay scenario) runs by name.

Each takes ``(bot, db, config)``, opens its own session, commits once at the end and returns
how many rows it processed. A Telegram refusal for one row is logged and the job goes on.
"""

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import texts
from bot.channels import kick_member
from bot.config import Config
from bot.db.models import FreeJoinRequest
from bot.notify import notify
from bot.services.free_requests import due_requests, mark_approved, mark_declined
from bot.services.settings import load_settings
from bot.services.subscriptions import (
    mark_expired,
    mark_reminded,
    subscriptions_due_for_expiry,
    subscriptions_due_for_reminder,
)

logger = logging.getLogger(__name__)

Job = Callable[[Bot, async_sessionmaker[AsyncSession], Config], Awaitable[int]]


async def approve_join_requests(
    bot: Bot, session: AsyncSession, requests: Sequence[FreeJoinRequest]
) -> int:
    """Approve ``requests`` in Telegram, mark them and tell the users; return how many.

    A request Telegram no longer knows (withdrawn, or the user joined another way) is marked
    declined; any other refusal leaves it pending for the next run.
    """
    approved = 0
    for request in requests:
        try:
            await bot.approve_chat_join_request(chat_id=request.chat_id, user_id=request.user_id)
        except TelegramBadRequest as error:
            logger.info("Join request %s is gone: %s", request.id, error)
            mark_declined(request)
            continue
        except TelegramAPIError as error:
            logger.warning("Could not approve join request %s: %s", request.id, error)
            continue
        mark_approved(request)
        approved += 1
        await notify(bot, session, request.user_id, texts.FREE_APPROVED)
    return approved


async def approve_free_requests(
    bot: Bot, db: async_sessionmaker[AsyncSession], config: Config
) -> int:
    """Approve every Free channel request whose wait is over."""
    async with db() as session:
        approved = await approve_join_requests(bot, session, await due_requests(session))
        await session.commit()
    return approved


async def expire_subscriptions(
    bot: Bot, db: async_sessionmaker[AsyncSession], config: Config
) -> int:
    """Mark ended subscriptions expired, remove their users from the VIP channel, tell them."""
    async with db() as session:
        settings = await load_settings(session, config.default_settings())
        subscriptions = await subscriptions_due_for_expiry(session)
        for subscription in subscriptions:
            mark_expired(subscription)
            await kick_member(bot, settings.vip_channel_id, subscription.user_id)
            await notify(
                bot, session, subscription.user_id, texts.subscription_expired(subscription)
            )
        await session.commit()
    return len(subscriptions)


async def remind_expiring(bot: Bot, db: async_sessionmaker[AsyncSession], config: Config) -> int:
    """Remind, once, each user whose subscription ends within 24 hours."""
    async with db() as session:
        subscriptions = await subscriptions_due_for_reminder(session)
        for subscription in subscriptions:
            mark_reminded(subscription)
            await notify(
                bot, session, subscription.user_id, texts.subscription_reminder(subscription)
            )
        await session.commit()
    return len(subscriptions)


JOBS: Mapping[str, Job] = {
    "approve_free_requests": approve_free_requests,
    "expire_subscriptions": expire_subscriptions,
    "remind_expiring": remind_expiring,
}
"""Every job by name, in the order the scheduler runs them."""
