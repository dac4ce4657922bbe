"""Join requests: the VIP channel admits active subscribers, the Free channel queues everyone."""

from aiogram import Bot, Router
from aiogram.types import ChatJoinRequest
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.config import Config
from bot.notify import notify
from bot.services.free_requests import mark_approved, queue_free_request
from bot.services.settings import BotSettings, load_settings
from bot.services.subscriptions import get_active_subscription


async def join_request(
    request: ChatJoinRequest, bot: Bot, session: AsyncSession, config: Config
) -> None:
    settings = await load_settings(session, config.default_settings())
    if request.chat.id == settings.vip_channel_id:
        await _vip_request(request, bot, session)
    elif request.chat.id == settings.free_channel_id:
        await _free_request(request, bot, session, settings)
    # Requests to any other chat are not ours to decide.


async def _vip_request(request: ChatJoinRequest, bot: Bot, session: AsyncSession) -> None:
    user_id = request.from_user.id
    if await get_active_subscription(session, user_id) is None:
        await bot.decline_chat_join_request(chat_id=request.chat.id, user_id=user_id)
        await notify(bot, session, user_id, texts.VIP_JOIN_DECLINED)
        return
    await bot.approve_chat_join_request(chat_id=request.chat.id, user_id=user_id)
    await notify(bot, session, user_id, texts.VIP_JOIN_APPROVED)


async def _free_request(
    request: ChatJoinRequest, bot: Bot, session: AsyncSession, settings: BotSettings
) -> None:
    user_id = request.from_user.id
    queued = await queue_free_request(
        session,
        user_id=user_id,
        chat_id=request.chat.id,
        wait_seconds=settings.free_wait_seconds,
    )
    if not queued.created:
        await notify(bot, session, user_id, texts.free_already_queued(queued.request))
        return
    if settings.free_wait_seconds == 0:
        await bot.approve_chat_join_request(chat_id=request.chat.id, user_id=user_id)
        mark_approved(queued.request)
        await notify(bot, session, user_id, texts.FREE_APPROVED)
        return
    await notify(
        bot, session, user_id, texts.free_queued(queued.request, settings.free_wait_seconds)
    )


def create_router() -> Router:
    router = Router(name="join_requests")
    router.chat_join_request.register(join_request)
    return router
